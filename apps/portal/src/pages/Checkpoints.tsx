import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Table, Tag, Typography } from 'antd';
import { Loaded, Mono, Page } from '../components/common';
import { useWitnesses } from '../components/LogProof';
import { useI18n } from '../i18n';
import { fmtTime, shortHash } from '@spotcheck/ui/format';
import { useTRPC } from '@spotcheck/ui/trpc';

/** The log's checkpoints, newest first, with who witnessed each, and the witness registry. */
export default function Checkpoints() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const q = useQuery(trpc.transparency.checkpoints.queryOptions({ limit: 100 }));
  const witnesses = useWitnesses();
  return (
    <Page title={t('log.title')} intro={t('log.intro')}>
      <Loaded query={q}>
        {(rows) => (
          <>
            {rows[0] && (
              <Descriptions bordered size="small" column={1} style={{ marginBottom: 16 }}>
                <Descriptions.Item label={t('log.origin')}>
                  <Mono>{rows[0].origin}</Mono>
                </Descriptions.Item>
                <Descriptions.Item label={t('log.logKey')}>
                  <Mono>{rows[0].logKey}</Mono>
                </Descriptions.Item>
              </Descriptions>
            )}
            <Table
              data-testid="checkpoints-table"
              rowKey="id"
              size="small"
              scroll={{ x: true }}
              pagination={false}
              dataSource={rows}
              columns={[
                { title: t('log.size'), dataIndex: 'size' },
                { title: t('log.time'), dataIndex: 'time', render: (v: string) => fmtTime(v) },
                {
                  title: t('log.root'),
                  dataIndex: 'rootHash',
                  render: (v: string) => <Typography.Text code>{shortHash(v)}</Typography.Text>,
                },
                {
                  title: t('log.witnesses'),
                  key: 'w',
                  render: (_: unknown, r: (typeof rows)[number]) =>
                    r.witnessedBy.length
                      ? r.witnessedBy.map((w) => <Tag key={w.publicKey}>{w.label ?? w.name}</Tag>)
                      : t('log.noWitness'),
                },
                {
                  title: t('log.status'),
                  key: 's',
                  render: (_: unknown, r: (typeof rows)[number]) =>
                    r.witnessed ? (
                      <Tag color="green">{t('log.witnessed')}</Tag>
                    ) : (
                      <Tag color="orange">{t('log.unwitnessed')}</Tag>
                    ),
                },
              ]}
            />
          </>
        )}
      </Loaded>
      <Card title={t('log.registry')} style={{ marginTop: 16 }} data-testid="witness-registry">
        {(witnesses.data ?? []).map((w) => (
          <div key={w.publicKey}>
            <Tag>{w.label}</Tag> <Mono>{w.publicKey}</Mono>
          </div>
        ))}
      </Card>
    </Page>
  );
}
