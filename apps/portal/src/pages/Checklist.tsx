import { Alert, Card, Col, Descriptions, Empty, Row, Table, Tag, Timeline, Typography } from 'antd';
import { INDUSTRIES } from '@spotcheck/core';
import { Link, useParams } from 'react-router';
import { useBureau } from '../bureau';
import { DownloadButton, Loaded, Mono, Page, usePublication, usePublications } from '../components/common';
import { useI18n } from '../i18n';
import { fmtTime } from '@spotcheck/ui/format';
import {
  checklistDiff,
  CITY_CODE,
  downloadName,
  prettyJson,
  readChecklist,
  type ChecklistItem,
} from '../lib/publications';

function Items({ items }: { items: ChecklistItem[] }) {
  const { t, lang } = useI18n();
  return (
    <Table<ChecklistItem>
      data-testid="checklist-items"
      rowKey="code"
      size="middle"
      dataSource={items}
      pagination={items.length > 50 ? { pageSize: 50 } : false}
      columns={[
        { title: t('checklist.code'), dataIndex: 'code', width: 110 },
        { title: t('checklist.subject'), dataIndex: 'subject' },
        { title: t('checklist.item'), dataIndex: 'item' },
        { title: t('checklist.content'), dataIndex: 'content' },
        { title: t('checklist.legalBasis'), dataIndex: 'legalBasis' },
        {
          title: t('checklist.industries'),
          width: 160,
          render: (_, i) =>
            i.industries.length
              ? i.industries.map((x) => (
                  <Tag key={x}>{INDUSTRIES[x as keyof typeof INDUSTRIES]?.[lang] ?? x}</Tag>
                ))
              : t('checklist.allIndustries'),
        },
      ]}
    />
  );
}

function Version({ id, previousId }: { id: string; previousId: string | null }) {
  const { t } = useI18n();
  const q = usePublication(id);
  const prev = usePublication(previousId ?? id);
  return (
    <Loaded query={q}>
      {(p) => {
        const c = readChecklist(p.content);
        const diff =
          previousId && prev.data ? checklistDiff(readChecklist(prev.data.content).items, c.items) : null;
        return (
          <Card
            title={`${p.title}`}
            extra={<DownloadButton filename={downloadName(p)} json={prettyJson(p.content)} />}
          >
            <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
              <Descriptions.Item label={t('checklist.itemCount')}>{c.items.length}</Descriptions.Item>
              <Descriptions.Item label={t('common.publishedAt')}>{fmtTime(p.publishedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('common.digest')}>
                <Mono>{c.digest}</Mono>
              </Descriptions.Item>
            </Descriptions>
            {diff && (
              <Alert
                type="info"
                style={{ marginBottom: 12 }}
                message={t('checklist.changes', {
                  a: diff.added.length,
                  r: diff.removed.length,
                  c: diff.changed.length,
                })}
                description={[
                  ...diff.added.map((c) => `+ ${c}`),
                  ...diff.removed.map((c) => `− ${c}`),
                  ...diff.changed.map((c) => `~ ${c}`),
                ].join('  ')}
              />
            )}
            <Items items={c.items} />
          </Card>
        );
      }}
    </Loaded>
  );
}

/** The city's current list, shown under a district's own layer (R1: districts add to it). */
function CityLayer() {
  const { t } = useI18n();
  const q = usePublications('checklist', 1, CITY_CODE);
  if (!q.data?.length) return null;
  return (
    <div style={{ marginTop: 24 }} data-testid="checklist-city">
      <Typography.Title level={4}>{t('checklist.cityTitle')}</Typography.Title>
      <Version id={q.data[0]!.id} previousId={null} />
    </div>
  );
}

/** 抽查事项清单: the bureau's published checklist versions, the chosen one with its items (R15). */
export default function Checklist() {
  const { t } = useI18n();
  const { id } = useParams();
  const { code } = useBureau();
  const q = usePublications('checklist');
  return (
    <Page title={t('checklist.title')} intro={t('checklist.intro')}>
      {code !== CITY_CODE && (
        <>
          <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('checklist.cityLayer')} />
          <Typography.Title level={4}>{t('checklist.districtTitle')}</Typography.Title>
        </>
      )}
      <Loaded query={q}>
        {(versions) => {
          // A version of another bureau opened by link: show it on its own.
          if (id && !versions.some((v) => v.id === id)) return <Version id={id} previousId={null} />;
          if (!versions.length) return <Empty description={t('common.none')} />;
          const shown = versions.find((v) => v.id === id) ?? versions[0]!;
          const index = versions.indexOf(shown);
          return (
            <Row gutter={16}>
              <Col xs={24} lg={18}>
                <Version key={shown.id} id={shown.id} previousId={versions[index + 1]?.id ?? null} />
              </Col>
              <Col xs={24} lg={6}>
                <Card title={t('checklist.history')} data-testid="checklist-history">
                  <Timeline
                    items={versions.map((v, i) => ({
                      color: v.id === shown.id ? 'red' : 'gray',
                      children: (
                        <div>
                          <Link to={`/checklist/${v.id}`}>{v.title}</Link>
                          {i === 0 && (
                            <Tag color="green" style={{ marginLeft: 8 }}>
                              {t('checklist.current')}
                            </Tag>
                          )}
                          <br />
                          <Typography.Text type="secondary">{fmtTime(v.publishedAt)}</Typography.Text>
                        </div>
                      ),
                    }))}
                  />
                </Card>
              </Col>
            </Row>
          );
        }}
      </Loaded>
      {code !== CITY_CODE && <CityLayer />}
    </Page>
  );
}
