import { Card, Space, Table, Tag } from 'antd';
import { INDUSTRIES } from '@spotcheck/core';
import { Link, useParams } from 'react-router';
import { DownloadButton, Loaded, Page, usePublication } from '../components/common';
import { useI18n } from '../i18n';
import { fmtTime } from '../lib/format';
import { downloadName, prettyJson, readQuarterly, type QuarterlyItem } from '../lib/publications';

/** One quarter's results of a bureau: per inspected unit, outcome and finding counts. */
export default function ResultDetail() {
  const { t, tx, lang } = useI18n();
  const { id = '' } = useParams();
  const q = usePublication(id);
  return (
    <Loaded query={q}>
      {(p) => {
        const c = readQuarterly(p.content);
        return (
          <Page
            title={p.title}
            intro={t('results.intro')}
            extra={
              <Space>
                <Link to="/results">{t('common.back')}</Link>
                <DownloadButton filename={downloadName(p)} json={prettyJson(p.content)} />
              </Space>
            }
          >
            <Card
              title={`${c.period} · ${t('results.inspected', { n: c.inspected })}`}
              extra={`${t('common.publishedAt')} ${fmtTime(p.publishedAt)}`}
            >
              <Table<QuarterlyItem>
                data-testid="results-items"
                size="small"
                rowKey={(r) => `${r.unit.id}:${r.inspectedOn}`}
                dataSource={c.items}
                pagination={c.items.length > 50 ? { pageSize: 50 } : false}
                columns={[
                  { title: t('results.unitName'), render: (_, r) => r.unit.name },
                  { title: t('results.unitId'), width: 200, render: (_, r) => r.unit.id },
                  {
                    title: t('results.industry'),
                    width: 130,
                    render: (_, r) =>
                      INDUSTRIES[r.unit.industry as keyof typeof INDUSTRIES]?.[lang] ?? r.unit.industry,
                  },
                  { title: t('results.inspectedOn'), dataIndex: 'inspectedOn', width: 120 },
                  {
                    title: t('results.outcome'),
                    width: 140,
                    render: (_, r) => (
                      <Tag
                        color={
                          r.outcome === 'compliant' ? 'green' : r.outcome === 'violations' ? 'red' : 'default'
                        }
                      >
                        {tx(`outcome.${r.outcome}`, r.outcome)}
                      </Tag>
                    ),
                  },
                  {
                    title: t('results.team'),
                    render: (_, r) => r.team.map((m) => `${m.name}（${m.certificateNo}）`).join('、'),
                  },
                  {
                    title: t('results.findings'),
                    width: 220,
                    render: (_, r) =>
                      t('results.findingsValue', {
                        v: r.findings.violation,
                        h: r.findings.hazard,
                        m: r.findings.majorHazard,
                      }),
                  },
                ]}
              />
            </Card>
          </Page>
        );
      }}
    </Loaded>
  );
}
