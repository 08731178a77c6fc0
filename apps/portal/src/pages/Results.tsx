import { Card, Select, Space, Table, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useBureau } from '../bureau';
import { Loaded, Page, PublicationTable, usePublications } from '../components/common';
import { useI18n } from '../i18n';
import { fmtTime } from '@spotcheck/ui/format';
import { useTRPC } from '@spotcheck/ui/trpc';
import { Notice } from '@spotcheck/ui/notice';

const STATE_COLOR: Record<string, string> = {
  published: 'green',
  'published-late': 'orange',
  overdue: 'red',
  'due-soon': 'gold',
  upcoming: 'blue',
  open: 'default',
};

/**
 * The bureau's quarterly deadlines as the public sees them: a quarter skipped or published late
 * reads so, rather than as a gap in the list below.
 */
function Deadlines() {
  const { t, tx } = useI18n();
  const trpc = useTRPC();
  const { code } = useBureau();
  const q = useQuery(trpc.publications.deadlines.queryOptions({ bureauCode: code }));
  const quarters = q.data?.quarters ?? [];
  if (!quarters.length) return null;
  const overdue = quarters.filter((x) => x.state === 'overdue').map((x) => x.period);
  return (
    <Card title={t('deadlines.title')} style={{ marginBottom: 16 }} data-testid="deadlines">
      {overdue.length > 0 && (
        <Notice
          type="error"
          data-testid="deadlines-overdue"
          title={t('deadlines.overdue', { periods: overdue.join('、') })}
        />
      )}
      <Table
        size="small"
        rowKey="period"
        pagination={false}
        dataSource={quarters}
        scroll={{ x: 480 }}
        columns={[
          { title: t('results.period'), dataIndex: 'period', width: 90 },
          {
            title: t('deadlines.state'),
            width: 120,
            render: (_, r) => (
              <Tag color={STATE_COLOR[r.state]} data-testid={`deadline-${r.period}`}>
                {tx(`deadlines.state.${r.state}`, r.state)}
              </Tag>
            ),
          },
          { title: t('deadlines.dueOn'), dataIndex: 'dueOn', width: 110 },
          {
            title: t('deadlines.publishedAt'),
            render: (_, r) => fmtTime(r.publishedAt),
          },
        ]}
      />
      <div style={{ marginTop: 8, color: 'rgba(0,0,0,0.45)' }}>{t('deadlines.intro')}</div>
    </Card>
  );
}

/** 季度检查结果: each quarter's published results (R15), redacted (R16); `?period=` in the URL. */
export default function Results() {
  const { t } = useI18n();
  const q = usePublications('quarterly-results');
  const [params, setParams] = useSearchParams();
  const period = params.get('period') ?? '';
  const periods = [...new Set((q.data ?? []).map((p) => p.period).filter((p): p is string => !!p))]
    .sort()
    .reverse();
  return (
    <Page
      title={t('results.title')}
      intro={t('results.intro')}
      extra={
        <Space>
          {t('results.period')}
          <Select
            data-testid="period-picker"
            style={{ width: 140 }}
            value={period}
            onChange={(v) =>
              setParams((p) => {
                if (v) p.set('period', v);
                else p.delete('period');
                return p;
              })
            }
            options={[
              { value: '', label: t('results.allPeriods') },
              ...periods.map((p) => ({ value: p, label: p })),
            ]}
          />
        </Space>
      }
    >
      <Deadlines />
      <Loaded query={q}>
        {(rows) => (
          <PublicationTable
            rows={period ? rows.filter((r) => r.period === period) : rows}
            testId="results-table"
          />
        )}
      </Loaded>
    </Page>
  );
}
