/**
 * The units a draw selected, as both protocol versions' pages show them: order, unit (public name
 * and credit code), stratum, why it was taken, its team, then the version's own columns (the v1
 * key, the v2 expert). One card, so the two pages cannot drift apart.
 */
import { Card, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { stratumName } from '@spotcheck/core';
import { useI18n } from '../i18n';

/** What both versions publish of a selected unit. */
interface Selected {
  sequence: number;
  unit: string;
  stratum: string;
  reason: string;
  team: readonly string[];
}

/** Public names published beside the id-only bundle (older publications have none). */
export interface SelectedNames {
  units: Record<string, { name: string }>;
  inspectors: Record<string, { name: string; certificateNo: string }>;
}

/** An officer by public name and certificate number, or the id when the names are not published. */
export function officerName(names: SelectedNames | undefined, id: string): string {
  const p = names?.inspectors[id];
  return p ? `${p.name}（${p.certificateNo}）` : id;
}

export function SelectedUnitsCard<T extends Selected>({
  rows,
  names,
  extra,
}: {
  rows: readonly T[];
  names?: SelectedNames;
  /** The version's own columns, after the team. */
  extra: ColumnsType<T>;
}) {
  const { t, tx, lang } = useI18n();
  const columns: ColumnsType<T> = [
    { title: t('draw.sequence'), dataIndex: 'sequence', width: 60 },
    {
      title: t('draw.unit'),
      dataIndex: 'unit',
      width: 210,
      render: (u: string) => (
        <>
          {names?.units[u] && <div>{names.units[u].name}</div>}
          <Typography.Text code>{u}</Typography.Text>
        </>
      ),
    },
    {
      title: t('draw.stratum'),
      dataIndex: 'stratum',
      width: 120,
      render: (s: string) => <span title={s}>{stratumName(s, lang)}</span>,
    },
    {
      title: t('draw.reason'),
      dataIndex: 'reason',
      width: 90,
      render: (x: string) => (
        <Tag color={x === 'mandatory' ? 'volcano' : x === 'certainty' ? 'gold' : 'blue'}>
          {tx(`reason.${x}`, x)}
        </Tag>
      ),
    },
    {
      title: t('draw.team'),
      dataIndex: 'team',
      render: (team: readonly string[]) => team.map((id) => officerName(names, id)).join('、') || '—',
    },
    ...extra,
  ];
  return (
    <Card title={`${t('draw.selected')}（${rows.length}）`} style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">{t('draw.redactionNote')}</Typography.Paragraph>
      <Table<T>
        data-testid="draw-selected"
        size="small"
        rowKey="unit"
        dataSource={rows}
        scroll={{ x: 720 }}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        columns={columns}
      />
    </Card>
  );
}
