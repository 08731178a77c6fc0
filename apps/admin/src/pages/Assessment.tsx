import { useQuery } from '@tanstack/react-query';
import { Card, InputNumber, Progress, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { ErrorAlert, PageTitle } from '../components/common';
import { PublicationStateTag } from '../components/PublicationStatus';
import { useI18n, type TKey } from '../i18n';
import type { RouterOutputs } from '../lib/types';
import { useTRPC } from '../trpc';

type Row = RouterOutputs['stats']['assessment'][number];

const check = (ok: boolean, n?: number) =>
  ok ? <Tag color="green">✓{n !== undefined ? ` ${n}` : ''}</Tag> : <Tag color="red">✗</Tag>;

/** R25: each district's scorecard — checklist, rosters, procedure, plans, draws, completion. */
export default function AssessmentPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const [year, setYear] = useState(new Date(Date.now() + 8 * 3600_000).getUTCFullYear());
  const list = useQuery(trpc.stats.assessment.queryOptions({ year: String(year) }));
  // R15: each district's latest ended quarter, flagged when its publication is overdue.
  const pubs = useQuery(trpc.publications.quarterStatus.queryOptions({ quarters: 1 }));
  const lastEnded = (code: string) =>
    pubs.data?.quarters.find((q) => q.bureauCode === code && q.state !== 'open');
  return (
    <>
      <PageTitle
        title={t('assessment.title')}
        extra={
          <Space>
            <InputNumber min={2018} max={2100} value={year} onChange={(v) => v && setYear(v)} />
          </Space>
        }
      />
      <Card>
        <ErrorAlert error={list.error} />
        <Table<Row>
          rowKey="bureauCode"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data ?? []}
          pagination={false}
          data-testid="assessment-table"
          columns={[
            { title: t('assessment.bureau'), dataIndex: 'name' },
            {
              title: t('assessment.list'),
              key: 'c',
              render: (_: unknown, r) => check(r.publishedChecklists > 0),
            },
            { title: t('nav.units'), key: 'u', render: (_: unknown, r) => check(r.units > 0, r.units) },
            {
              title: t('nav.inspectors'),
              key: 'i',
              render: (_: unknown, r) => check(r.inspectors > 0, r.inspectors),
            },
            {
              title: t('assessment.procedure'),
              key: 'p',
              render: (_: unknown, r) => check(r.publishedProcedures > 0),
            },
            {
              title: t('assessment.plans'),
              key: 'pl',
              render: (_: unknown, r) => check(r.plans > 0, r.plans),
            },
            {
              title: t('assessment.draws'),
              key: 'd',
              render: (_: unknown, r) => check(r.signedDraws > 0, r.signedDraws),
            },
            {
              title: t('pub.assessment'),
              key: 'pub',
              render: (_: unknown, r) => {
                const q = lastEnded(r.bureauCode);
                return q ? (
                  <Space size={4} data-testid={`assessment-pub-${r.bureauCode}`}>
                    {q.period}
                    <PublicationStateTag state={q.state} />
                  </Space>
                ) : null;
              },
            },
            {
              title: t('assessment.completion'),
              key: 'cmp',
              width: 160,
              render: (_: unknown, r) => <Progress percent={r.completion} size="small" />,
            },
            {
              title: t('assessment.missing'),
              key: 'm',
              render: (_: unknown, r) =>
                r.missing.length ? (
                  r.missing.map((m) => (
                    <Tag key={m} color="red">
                      {t(`missing.${m}` as TKey)}
                    </Tag>
                  ))
                ) : (
                  <Tag color="green">{t('assessment.ok')}</Tag>
                ),
            },
          ]}
        />
      </Card>
    </>
  );
}
