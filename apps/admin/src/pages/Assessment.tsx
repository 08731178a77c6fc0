import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Drawer,
  Progress,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useMemo, useState, type ReactNode } from 'react';
import { Chart } from '../components/Chart';
import { ErrorAlert, PageTitle } from '../components/common';
import { PublicationStateTag } from '../components/PublicationStatus';
import { useI18n } from '../i18n';
import { currentQuarter } from '../lib/access';
import { downloadBase64 } from '../lib/files';
import type { RouterOutputs } from '../lib/types';
import { useTRPC, useTRPCClient } from '@spotcheck/ui/trpc';

type Card = RouterOutputs['stats']['scorecard'][number];
type Detail = RouterOutputs['stats']['scorecardDetail'];

/** The quarter before `p` (`2027-Q1` → `2026-Q4`). */
function previous(p: string): string {
  const [y, q] = [Number(p.slice(0, 4)), Number(p.slice(6))];
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
}

/** The current quarter and the seven before it, newest first. */
function recentQuarters(): string[] {
  const out = [currentQuarter()];
  while (out.length < 8) out.push(previous(out.at(-1)!));
  return out;
}

const mark = (ok: boolean, text: ReactNode, testId?: string) => (
  <Tag color={ok ? 'green' : 'red'} data-testid={testId} style={{ whiteSpace: 'normal' }}>
    {ok ? '✓' : '✗'} {text}
  </Tag>
);

/** R25: each district's scorecard for a quarter, with the drill-down and the trend. */
export default function AssessmentPage() {
  const { t, tx, lang } = useI18n();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const quarters = useMemo(recentQuarters, []);
  const [period, setPeriod] = useState(quarters[0]!);
  const [open, setOpen] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const list = useQuery(trpc.stats.scorecard.queryOptions({ period }));
  const pct = (n: number | null) => (n === null ? '—' : `${n}%`);

  const exportXlsx = async () => {
    setExporting(true);
    try {
      downloadBase64(
        await client.stats.scorecardExport.query({ period, lang: lang === 'en' ? 'en' : 'zh-CN' }),
      );
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <PageTitle
        title={t('sc.title')}
        sub={t('sc.sub')}
        extra={
          <Space>
            <span>{t('sc.period')}</span>
            <Select
              data-testid="scorecard-period"
              value={period}
              onChange={setPeriod}
              style={{ width: 120 }}
              options={quarters.map((q) => ({ value: q, label: q }))}
            />
            <Button
              icon={<DownloadOutlined />}
              loading={exporting}
              onClick={() => void exportXlsx()}
              data-testid="scorecard-export"
            >
              {t('sc.export')}
            </Button>
          </Space>
        }
      />
      <Card>
        <ErrorAlert error={list.error} />
        {list.data?.[0] && (
          <Typography.Paragraph type="secondary">
            {t('sc.asOf', { date: list.data[0].asOf })}
          </Typography.Paragraph>
        )}
        <Table<Card>
          rowKey="bureauCode"
          size="small"
          loading={list.isFetching}
          dataSource={list.data ?? []}
          pagination={false}
          scroll={{ x: 1400 }}
          data-testid="assessment-table"
          columns={[
            { title: t('sc.bureau'), dataIndex: 'name', fixed: 'left', width: 110 },
            {
              title: t('sc.checklist'),
              key: 'c',
              render: (_: unknown, r) =>
                mark(
                  r.checklist.ok,
                  r.checklist.source
                    ? t(`sc.checklist.${r.checklist.source}`, { v: r.checklist.version ?? '' })
                    : t('sc.none'),
                ),
            },
            {
              title: t('sc.rosters'),
              key: 'r',
              render: (_: unknown, r) => (
                <Tooltip title={t('sc.rosters.changed', { date: r.rosters.unitsChangedOn ?? '—' })}>
                  {mark(
                    r.rosters.ok,
                    t('sc.rosters.value', { units: r.rosters.units, inspectors: r.rosters.inspectors }),
                  )}
                </Tooltip>
              ),
            },
            {
              title: t('sc.procedure'),
              key: 'p',
              render: (_: unknown, r) =>
                mark(r.procedure.ok, r.procedure.version ? `v${r.procedure.version}` : t('sc.none')),
            },
            {
              title: t('sc.plans'),
              key: 'pl',
              render: (_: unknown, r) =>
                mark(r.plans.ok, t('sc.plans.value', { onTime: r.plans.onTime, total: r.plans.total })),
            },
            {
              title: t('sc.draws'),
              key: 'd',
              render: (_: unknown, r) => mark(r.plans.signedDraws > 0, r.plans.signedDraws),
            },
            {
              title: t('sc.coverage'),
              key: 'cv',
              width: 170,
              render: (_: unknown, r) => (
                <div data-testid={`sc-coverage-${r.bureauCode}`}>
                  {r.coverage.percent === null ? (
                    <div>—</div>
                  ) : (
                    <Progress
                      percent={r.coverage.percent}
                      size="small"
                      strokeColor={r.coverage.ok ? undefined : '#ff4d4f'}
                    />
                  )}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('sc.coverage.value', {
                      covered: r.coverage.covered,
                      mandatory: r.coverage.mandatory,
                      pace: r.coverage.pace,
                    })}
                  </Typography.Text>
                </div>
              ),
            },
            {
              title: t('sc.tasks'),
              key: 't',
              width: 190,
              render: (_: unknown, r) => (
                <div data-testid={`sc-tasks-${r.bureauCode}`}>
                  {r.tasks.completion === null ? (
                    <div>—</div>
                  ) : (
                    <Progress
                      percent={r.tasks.completion}
                      size="small"
                      strokeColor={r.tasks.ok ? undefined : '#ff4d4f'}
                    />
                  )}
                  <Space size={4} wrap>
                    <span>{t('sc.tasks.value', { done: r.tasks.done, total: r.tasks.total })}</span>
                    {r.tasks.overdue > 0 && (
                      <Tag color="orange">{t('sc.tasks.overdue', { n: r.tasks.overdue })}</Tag>
                    )}
                    {r.tasks.cancelled > 0 && (
                      <Tooltip
                        title={r.tasks.cancelReasons
                          .map((c) => `${tx(`sc.reason.${c.reasonId}`, c.reasonId)}: ${c.tasks}`)
                          .join('；')}
                      >
                        <Tag>{t('sc.tasks.cancelled', { n: r.tasks.cancelled })}</Tag>
                      </Tooltip>
                    )}
                  </Space>
                </div>
              ),
            },
            {
              title: t('sc.publication'),
              key: 'pub',
              render: (_: unknown, r) => (
                <Space size={4} direction="vertical">
                  <PublicationStateTag state={r.publication.state} />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('sc.publication.due', { date: r.publication.dueOn })}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('sc.rect'),
              key: 'rc',
              render: (_: unknown, r) =>
                mark(
                  r.rectifications.ok,
                  `${t('sc.rect.value', { onTime: r.rectifications.closedOnTime, due: r.rectifications.due })} (${pct(r.rectifications.percent)})`,
                ),
            },
            {
              title: t('sc.responsible'),
              key: 'who',
              render: (_: unknown, r) =>
                [r.responsible.leadDepartment, ...r.responsible.approvers].filter(Boolean).join('、') || '—',
            },
            {
              title: t('sc.missing'),
              key: 'm',
              render: (_: unknown, r) =>
                r.missing.length ? (
                  <Space size={2} wrap data-testid={`sc-missing-${r.bureauCode}`}>
                    {r.missing.map((m) => (
                      <Tag key={m} color="red">
                        {t(`sc.check.${m}`)}
                      </Tag>
                    ))}
                  </Space>
                ) : (
                  <Tag color="green">{t('sc.allMet')}</Tag>
                ),
            },
            {
              title: '',
              key: 'x',
              fixed: 'right',
              width: 80,
              render: (_: unknown, r) => (
                <Button
                  size="small"
                  onClick={() => setOpen(r.bureauCode)}
                  data-testid={`sc-open-${r.bureauCode}`}
                >
                  {t('sc.details')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        width={960}
        title={list.data?.find((c) => c.bureauCode === open)?.name}
        destroyOnHidden
      >
        {open && <ScorecardDetail bureauCode={open} period={period} />}
      </Drawer>
    </>
  );
}

/** A capped drill-down list says how many rows it leaves out. */
function More({ total, shown }: { total: number; shown: number }) {
  const { t } = useI18n();
  return total > shown ? <Alert type="info" showIcon message={t('sc.d.more', { total, shown })} /> : null;
}

/** What is behind one district's figures: plans, tasks, units, results, findings; and the trend. */
function ScorecardDetail({ bureauCode, period }: { bureauCode: string; period: string }) {
  const { t, tx } = useI18n();
  const trpc = useTRPC();
  const detail = useQuery(trpc.stats.scorecardDetail.queryOptions({ bureauCode, period }));
  const trend = useQuery(trpc.stats.scorecardTrend.queryOptions({ bureauCode, period, quarters: 4 }));
  const d: Detail | undefined = detail.data;
  const state = (s: string) => tx(`sc.state.${s}`, s);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large" data-testid="scorecard-detail">
      <ErrorAlert error={detail.error ?? trend.error} />
      {d && (
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t('sc.d.leadDepartment')}>
            {d.scorecard.responsible.leadDepartment ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('sc.d.leadingGroup')}>
            {d.scorecard.responsible.leadingGroup ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('sc.d.approvers')}>
            {d.scorecard.responsible.approvers.join('、') || '—'}
          </Descriptions.Item>
        </Descriptions>
      )}
      <Card size="small" title={t('sc.trend')}>
        <Chart
          testId="scorecard-trend"
          height={240}
          option={{
            tooltip: { trigger: 'axis' },
            legend: { top: 0, left: 'center' },
            grid: { left: 48, right: 24, top: 48, bottom: 32 },
            xAxis: { type: 'category', data: (trend.data?.points ?? []).map((p) => p.period) },
            yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
            series: (
              [
                ['coverage', 'sc.trend.coverage'],
                ['completion', 'sc.trend.completion'],
                ['rectifications', 'sc.trend.rect'],
              ] as const
            ).map(([k, label]) => ({
              name: t(label),
              type: 'line' as const,
              connectNulls: false,
              data: (trend.data?.points ?? []).map((p) => p[k]),
            })),
          }}
        />
      </Card>
      <Card size="small" title={t('sc.d.plans')}>
        <Table
          size="small"
          rowKey="planId"
          pagination={false}
          loading={detail.isFetching}
          dataSource={d?.plans ?? []}
          columns={[
            { title: t('sc.d.planTitle'), dataIndex: 'title' },
            { title: t('sc.d.periodCol'), dataIndex: 'period' },
            { title: t('sc.d.deadline'), dataIndex: 'deadline' },
            { title: t('sc.d.approvedOn'), dataIndex: 'approvedOn', render: (v: string | null) => v ?? '—' },
            { title: t('sc.d.approver'), dataIndex: 'approver', render: (v: string | null) => v ?? '—' },
            {
              title: t('sc.d.state'),
              dataIndex: 'state',
              render: (s: string) => <Tag color={s === 'on-time' ? 'green' : 'red'}>{state(s)}</Tag>,
            },
          ]}
        />
      </Card>
      <Card size="small" title={`${t('sc.d.tasks')}（${d?.tasks.total ?? 0}）`}>
        <Table
          size="small"
          rowKey="taskId"
          pagination={{ pageSize: 10 }}
          dataSource={d?.tasks.rows ?? []}
          data-testid="sc-detail-tasks"
          columns={[
            { title: t('sc.d.unit'), dataIndex: 'unitName' },
            { title: t('sc.d.planTitle'), dataIndex: 'planTitle' },
            { title: t('sc.d.state'), dataIndex: 'state', render: (s: string) => <Tag>{state(s)}</Tag> },
            {
              title: t('sc.d.reason'),
              key: 'reason',
              render: (_: unknown, r) =>
                r.reasonId
                  ? `${tx(`sc.reason.${r.reasonId}`, r.reasonId)}${r.reason ? `：${r.reason}` : ''}`
                  : '—',
            },
          ]}
        />
        {d && <More total={d.tasks.total} shown={d.tasks.rows.length} />}
      </Card>
      <Card size="small" title={`${t('sc.d.uncovered')}（${d?.uncovered.total ?? 0}）`}>
        <Table
          size="small"
          rowKey="unitId"
          pagination={{ pageSize: 10 }}
          dataSource={d?.uncovered.rows ?? []}
          columns={[
            { title: t('sc.d.unit'), dataIndex: 'unitName' },
            {
              title: t('sc.d.inspections'),
              key: 'n',
              render: (_: unknown, r) => `${r.inspections}/${r.minPerYear}`,
            },
          ]}
        />
        {d && <More total={d.uncovered.total} shown={d.uncovered.rows.length} />}
      </Card>
      <Card size="small" title={`${t('sc.d.unpublished')}（${d?.unpublished.total ?? 0}）`}>
        <Table
          size="small"
          rowKey="resultId"
          pagination={{ pageSize: 10 }}
          dataSource={d?.unpublished.rows ?? []}
          columns={[
            { title: t('sc.d.unit'), dataIndex: 'unitName' },
            { title: t('sc.d.inspectedOn'), dataIndex: 'inspectedOn' },
          ]}
        />
      </Card>
      <Card size="small" title={`${t('sc.d.rect')}（${d?.rectifications.total ?? 0}）`}>
        <Table
          size="small"
          rowKey="findingId"
          pagination={{ pageSize: 10 }}
          dataSource={d?.rectifications.rows ?? []}
          columns={[
            { title: t('sc.d.unit'), dataIndex: 'unitName' },
            { title: t('sc.d.finding'), dataIndex: 'description' },
            { title: t('sc.d.due'), dataIndex: 'due' },
            {
              title: t('sc.d.rectifiedOn'),
              dataIndex: 'rectifiedOn',
              render: (v: string | null) => v ?? '—',
            },
            {
              title: t('sc.d.state'),
              dataIndex: 'state',
              render: (s: string) => <Tag color="red">{state(s)}</Tag>,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
