import { Card, Empty, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { useI18n } from '../../i18n';
import { fmtTime } from '@spotcheck/ui/format';
import { readRosterChanges, type RosterChange } from '../../lib/v2';

/** Roster changes of the 30 days before the commitment (§9.5): nothing changed quietly before a draw. */
export function RosterChangesCard({ changes }: { changes: unknown }) {
  const { t, tx } = useI18n();
  const rows = useMemo(() => readRosterChanges(changes), [changes]);
  const fieldNames = (fields: string[]) => {
    const known = fields.map((f) => tx(`rosterField.${f}`, '')).filter((x) => x !== '');
    const names = [...new Set(known)];
    const other = fields.length - known.length;
    return [...names, ...(other > 0 ? [t('roster.fieldsOther', { n: other })] : [])].join('、') || '—';
  };
  return (
    <Card title={t('roster.title')} style={{ marginTop: 16 }} data-testid="roster-changes">
      <Typography.Paragraph type="secondary">{t('roster.intro')}</Typography.Paragraph>
      {rows.length === 0 ? (
        <Empty description={t('roster.none')} />
      ) : (
        <Table<RosterChange>
          size="small"
          rowKey={(r) => `${r.at}|${r.action}|${r.entityId ?? ''}|${r.fields.join()}`}
          dataSource={rows}
          scroll={{ x: 560 }}
          pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          columns={[
            { title: t('roster.at'), dataIndex: 'at', width: 150, render: (v: string) => fmtTime(v) },
            {
              title: t('roster.kind'),
              dataIndex: 'action',
              render: (a: string) => tx(`rosterAction.${a}`, t('rosterAction.other')),
            },
            {
              title: t('roster.subject'),
              dataIndex: 'entityId',
              render: (id: string | null) => (id ? <Typography.Text code>{id}</Typography.Text> : '—'),
            },
            { title: t('roster.fields'), dataIndex: 'fields', render: (f: string[]) => fieldNames(f) },
          ]}
        />
      )}
    </Card>
  );
}
