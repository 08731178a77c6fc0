import { Card, Col, Row, Space, Table, Typography } from 'antd';
import { useBureau } from '../bureau';
import { useBureaus } from '@spotcheck/ui/trpc';
import { Page } from '../components/common';
import { useI18n } from '../i18n';

/** Columns of each dataset, as documented in docs/open-data.md and served at /open/schema.json. */
const DATASETS: { name: 'publications' | 'results' | 'blacklist'; columns: string[] }[] = [
  {
    name: 'publications',
    columns: ['id', 'bureauCode', 'kind', 'period', 'title', 'digest', 'replacesId', 'publishedAt'],
  },
  {
    name: 'results',
    columns: [
      'publicationId',
      'bureauCode',
      'period',
      'supplement',
      'unitId',
      'unitName',
      'industry',
      'inspectedOn',
      'outcome',
      'team',
      'violations',
      'hazards',
      'majorHazards',
      'summary',
      'withheld',
    ],
  },
  {
    name: 'blacklist',
    columns: ['publicationId', 'bureauCode', 'unitId', 'unitName', 'basis', 'effectiveOn', 'publishedAt'],
  },
];

/** 开放数据: every public list as CSV and JSON with its schema, and an Atom feed per bureau. */
export default function OpenData() {
  const { t } = useI18n();
  const { code } = useBureau();
  const bureaus = useBureaus();
  const feed = `${window.location.origin}/feed/${code}.atom`;
  return (
    <Page title={t('open.title')} intro={t('open.intro')}>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Card>
          <Typography.Paragraph>{t('open.feedIntro', { bureau: bureaus.name(code) })}</Typography.Paragraph>
          <Typography.Paragraph copyable={{ text: feed }} style={{ wordBreak: 'break-all' }}>
            <a href={feed} data-testid="atom-feed">
              {feed}
            </a>
          </Typography.Paragraph>
          <a href="/open/schema.json" data-testid="open-schema">
            {t('open.schema')}
          </a>
        </Card>
        <Row gutter={[16, 16]}>
          {DATASETS.map((d) => (
            <Col xs={24} lg={8} key={d.name}>
              <Card
                title={t(`open.dataset.${d.name}`)}
                data-testid={`dataset-${d.name}`}
                extra={
                  <Space>
                    <a href={`/open/${d.name}.csv?bureau=${code}`} download>
                      CSV
                    </a>
                    <a href={`/open/${d.name}.json?bureau=${code}`} download>
                      JSON
                    </a>
                  </Space>
                }
              >
                <Typography.Text type="secondary">
                  {t('open.scope', { bureau: bureaus.name(code) })}
                </Typography.Text>
                <Table
                  size="small"
                  style={{ marginTop: 8 }}
                  rowKey="name"
                  pagination={false}
                  dataSource={d.columns.map((name) => ({ name }))}
                  columns={[
                    { title: t('open.columns'), dataIndex: 'name', render: (v: string) => <code>{v}</code> },
                  ]}
                />
              </Card>
            </Col>
          ))}
        </Row>
      </Space>
    </Page>
  );
}
