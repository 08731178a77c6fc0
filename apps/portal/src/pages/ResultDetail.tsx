import { Card, Space, Table, Tag } from 'antd';
import { INDUSTRIES } from '@spotcheck/core';
import { Link, useParams } from 'react-router';
import { DownloadButton, Loaded, Page, usePublication, WithheldTag } from '../components/common';
import { useI18n } from '../i18n';
import { fmtTime } from '@spotcheck/ui/format';
import { downloadName, isWithheld, prettyJson, readQuarterly, type QuarterlyItem } from '../lib/publications';

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
              title={
                <>
                  {`${c.period} · ${t('results.inspected', { n: c.inspected })}`}{' '}
                  {c.supplement && <Tag color="blue">{t('results.supplement')}</Tag>}
                </>
              }
              extra={`${t('common.publishedAt')} ${fmtTime(p.publishedAt)}`}
            >
              <Table<QuarterlyItem>
                data-testid="results-items"
                size="small"
                rowKey={(r) => c.items.indexOf(r)}
                scroll={{ x: 1690 }}
                dataSource={c.items}
                pagination={c.items.length > 50 ? { pageSize: 50 } : false}
                columns={[
                  {
                    title: t('results.unitName'),
                    width: 220,
                    render: (_, r) => (isWithheld(r.unit) ? <WithheldTag value={r.unit} /> : r.unit.name),
                  },
                  {
                    title: t('results.unitId'),
                    width: 200,
                    render: (_, r) => (isWithheld(r.unit) ? '' : r.unit.id),
                  },
                  {
                    title: t('results.industry'),
                    width: 130,
                    render: (_, r) =>
                      isWithheld(r.unit)
                        ? ''
                        : (INDUSTRIES[r.unit.industry as keyof typeof INDUSTRIES]?.[lang] ?? r.unit.industry),
                  },
                  {
                    title: t('results.inspectedOn'),
                    width: 120,
                    render: (_, r) =>
                      isWithheld(r.inspectedOn) ? <WithheldTag value={r.inspectedOn} /> : r.inspectedOn,
                  },
                  {
                    title: t('results.outcome'),
                    width: 140,
                    render: (_, r) =>
                      isWithheld(r.outcome) ? (
                        <WithheldTag value={r.outcome} />
                      ) : (
                        <Tag
                          color={
                            r.outcome === 'compliant'
                              ? 'green'
                              : r.outcome === 'violations'
                                ? 'red'
                                : 'default'
                          }
                        >
                          {tx(`outcome.${r.outcome}`, r.outcome)}
                        </Tag>
                      ),
                  },
                  {
                    title: t('results.team'),
                    width: 240,
                    render: (_, r) =>
                      isWithheld(r.team) ? (
                        <WithheldTag value={r.team} />
                      ) : (
                        r.team.map((m) => `${m.name}（${m.certificateNo}）`).join('、')
                      ),
                  },
                  {
                    title: t('results.summary'),
                    width: 200,
                    render: (_, r) => (isWithheld(r.summary) ? <WithheldTag value={r.summary} /> : r.summary),
                  },
                  {
                    title: t('results.findings'),
                    width: 220,
                    render: (_, r) =>
                      r.findings
                        ? t('results.findingsValue', {
                            v: r.findings.violation,
                            h: r.findings.hazard,
                            m: r.findings.majorHazard,
                          })
                        : '—',
                  },
                  {
                    title: t('results.details'),
                    width: 220,
                    render: (_, r) =>
                      isWithheld(r.details) ? (
                        <WithheldTag value={r.details} />
                      ) : (
                        r.details.map((d) => d.description).join('；')
                      ),
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
