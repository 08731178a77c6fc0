import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Space, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { useI18n } from '../../i18n';
import { downloadFile } from '@spotcheck/ui/format';
import { prettyJson } from '../../lib/publications';
import { exclusionsCsv, exclusionSummary, readExcluded } from '../../lib/v2';

/**
 * The units of the bureau's roster left out of the pool (§1 `excluded`, §9.5), summarised by
 * reason with translated names; the full list downloads as CSV and JSON.
 */
export function ExclusionsCard({ excluded, fileStem }: { excluded: unknown; fileStem: string }) {
  const { t, tx } = useI18n();
  const rows = useMemo(() => readExcluded(excluded), [excluded]);
  const summary = useMemo(() => exclusionSummary(rows), [rows]);
  const reasonName = (r: string) => tx(`exclusionReason.${r}`, t('exclusionReason.other'));
  return (
    <Card title={t('excluded.title')} style={{ marginTop: 16 }} data-testid="excluded-card">
      <Typography.Paragraph type="secondary">{t('excluded.intro', { n: rows.length })}</Typography.Paragraph>
      {rows.length === 0 ? (
        <Empty description={t('excluded.none')} />
      ) : (
        <>
          <Table
            data-testid="excluded-summary"
            size="small"
            rowKey="reason"
            pagination={false}
            dataSource={summary}
            style={{ maxWidth: 560 }}
            columns={[
              { title: t('excluded.reason'), dataIndex: 'reason', render: (r: string) => reasonName(r) },
              { title: t('excluded.count'), dataIndex: 'count', width: 100, align: 'right' },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <strong>{t('excluded.total')}</strong>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  <strong>{rows.length}</strong>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
          <Space wrap style={{ marginTop: 12 }}>
            <Button
              icon={<DownloadOutlined />}
              data-testid="excluded-csv"
              onClick={() =>
                downloadFile(
                  `${fileStem}-excluded.csv`,
                  exclusionsCsv(
                    rows,
                    [t('excluded.csvUnit'), t('excluded.csvReasonId'), t('excluded.csvReason')],
                    reasonName,
                  ),
                  'text/csv;charset=utf-8',
                )
              }
            >
              {t('excluded.csv')}
            </Button>
            <Button
              icon={<DownloadOutlined />}
              data-testid="excluded-json"
              onClick={() =>
                downloadFile(
                  `${fileStem}-excluded.json`,
                  prettyJson(excluded),
                  'application/json;charset=utf-8',
                )
              }
            >
              {t('excluded.json')}
            </Button>
          </Space>
        </>
      )}
    </Card>
  );
}
