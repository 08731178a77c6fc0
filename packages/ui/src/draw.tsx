import { stratumName } from '@spotcheck/core';
import { Table, Tag, Typography } from 'antd';
import type { CSSProperties } from 'react';
import { useI18n } from './i18n';

/** One stratum of a draw's result, as sr-draw v1 and v2 both give it. */
export interface StratumRow {
  id: string;
  quota: number;
  selected: number;
  shortfall: number;
  /** The select key (hex) of the last unit taken at random, else null. */
  threshold: string | null;
}

/**
 * A draw's outcome per stratum, for staff and the public alike: the units certain to be taken
 * (mandatory), the random quota, how many were selected and how many short, and the threshold
 * that anyone recomputing the draw compares (shortened, copyable in full).
 */
export function StrataTable({
  result,
  testId,
  style,
}: {
  /**
   * The strata and either the selected units or, where they are not loaded (a city draws 2·10^5),
   * the count of mandatory units per stratum (`certain`, as the server's draw summary gives it).
   */
  result:
    | { strata: readonly StratumRow[]; selected: readonly { stratum: string; reason: string }[] }
    | { strata: readonly StratumRow[]; certain: Readonly<Record<string, number>> };
  testId?: string;
  style?: CSSProperties;
}) {
  const { t, lang } = useI18n();
  const certain = (stratum: string) =>
    'certain' in result
      ? (result.certain[stratum] ?? 0)
      : result.selected.filter((s) => s.stratum === stratum && s.reason === 'mandatory').length;
  return (
    <Table<StratumRow>
      data-testid={testId}
      style={style}
      rowKey="id"
      size="small"
      pagination={false}
      scroll={{ x: 560 }}
      dataSource={[...result.strata]}
      columns={[
        {
          title: t('strata.stratum'),
          dataIndex: 'id',
          render: (id: string) => <span title={id}>{stratumName(id, lang)}</span>,
        },
        { title: t('strata.quota'), dataIndex: 'quota', width: 90 },
        { title: t('strata.certain'), key: 'certain', width: 90, render: (_, s) => certain(s.id) },
        { title: t('strata.selected'), dataIndex: 'selected', width: 90 },
        {
          title: t('strata.shortfall'),
          dataIndex: 'shortfall',
          width: 90,
          render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : 0),
        },
        {
          title: t('strata.threshold'),
          dataIndex: 'threshold',
          render: (k: string | null) =>
            k ? (
              <Typography.Text code copyable={{ text: k }} title={k}>
                {k.slice(0, 16)}…
              </Typography.Text>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}
