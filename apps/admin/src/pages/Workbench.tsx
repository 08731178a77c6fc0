import { CITY_BUREAU_CODE, type PlanStatus } from '@spotcheck/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App as AntApp,
  Button,
  Card,
  Col,
  List,
  Popconfirm,
  Progress,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { Link } from 'react-router';
import { Chart } from '../components/Chart';
import { ErrorAlert, PageTitle, StatusTag } from '../components/common';
import { KIND_COLORS } from '../components/Findings';
import { PublicationAlerts } from '../components/PublicationStatus';
import { useBureauScope } from '../components/Layout';
import { useI18n } from '../i18n';
import { canOpen, currentQuarter, holds } from '../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { industryLabel } from '../lib/labels';
import type { RouterOutputs } from '../lib/types';
import { useSession } from '../session';

type Overdue = RouterOutputs['rectifications']['overdue'][number];

const RISK_COLORS: Record<string, string> = {
  major: '#cf1322',
  high: '#fa8c16',
  medium: '#fadb14',
  low: '#1677ff',
};

/** What is due this quarter for my bureau: plans, draws to sign, tasks, overdue rectifications, coverage. */
export default function WorkbenchPage() {
  const { t, tx, lang } = useI18n();
  const trpc = useTRPC();
  const user = useSession();
  const bureaus = useBureaus();
  const { bureauCode } = useBureauScope();
  const quarter = currentQuarter();
  const year = quarter.slice(0, 4);
  const staff = canOpen(user.roles, 'plans');
  const stats = useQuery({ ...trpc.stats.overview.queryOptions({ year, bureauCode }), enabled: staff });
  const plans = useQuery({ ...trpc.plans.list.queryOptions({ bureauCode }), enabled: staff });
  const tasks = useQuery(trpc.tasks.list.queryOptions({ bureauCode }));
  const results = useQuery({ ...trpc.results.list.queryOptions({ bureauCode }), enabled: staff });
  const overdueQ = useQuery({ ...trpc.rectifications.overdue.queryOptions({ bureauCode }), enabled: staff });
  const roster = useQuery({ ...trpc.stats.roster.queryOptions({ bureauCode }), enabled: staff });
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  // blacklistOverdue works on one bureau: the one selected, else the user's own.
  const adminBureau = bureauCode ?? user.bureauCode;
  const blacklister = holds(user.roles, ['district-admin', 'city-admin'], adminBureau);
  const blacklist = useMutation(
    trpc.rectifications.blacklistOverdue.mutationOptions({
      onSuccess: async (r) => {
        message.success(t('overdue.blacklisted', { n: r.proposed.length }));
        await qc.invalidateQueries({ queryKey: trpc.rectifications.pathKey() });
        await qc.invalidateQueries({ queryKey: trpc.stats.pathKey() });
      },
    }),
  );

  const periodPlans = (plans.data ?? []).filter(
    (p) => p.period === quarter || p.period === year || p.period.startsWith(`${year}-`),
  );
  const toSign = (plans.data ?? []).filter((p) => p.status === 'drawn');
  const myTasks = (tasks.data ?? []).filter(
    (r) =>
      (user.inspectorId ? r.task.team.includes(user.inspectorId) : true) &&
      (r.task.status === 'issued' || r.task.status === 'in-progress'),
  );
  const overdue: Overdue[] = overdueQ.data ?? [];
  const blacklistable = overdue.filter(
    (o) =>
      o.finding.kind === 'major-hazard' &&
      !o.unitBlacklisted &&
      !o.unitProposed &&
      o.bureauCode === adminBureau,
  );
  const rosterStaff = canOpen(user.roles, 'rosters');
  const industries = roster.data?.industry ?? [];
  const industryTop = [
    ...industries.slice(0, 10),
    ...(industries.length > 10
      ? [{ key: '*', units: industries.slice(10).reduce((n, r) => n + r.units, 0) }]
      : []),
  ];
  const rows = stats.data ?? [];
  const sum = (k: 'units' | 'inspectors' | 'tasks' | 'tasksDone' | 'plans' | 'signedDraws') =>
    rows.reduce((s, b) => s + b[k], 0);
  const done = sum('tasksDone');
  const total = sum('tasks');
  const districts = rows.filter(
    (b) => b.bureauCode !== CITY_BUREAU_CODE && (b.tasks > 0 || rows.length <= 2),
  );
  const statusCounts = new Map<PlanStatus, number>();
  for (const p of periodPlans) statusCounts.set(p.status, (statusCounts.get(p.status) ?? 0) + 1);

  return (
    <>
      <PageTitle
        title={t('workbench.title')}
        sub={`${bureaus.name(bureauCode ?? user.bureauCode)} · ${quarter}`}
      />
      {staff && <PublicationAlerts bureauCode={bureauCode} />}
      <ErrorAlert
        error={
          stats.error ??
          plans.error ??
          tasks.error ??
          results.error ??
          overdueQ.error ??
          roster.error ??
          blacklist.error
        }
      />
      <Row gutter={[16, 16]}>
        {staff && (
          <Col xs={12} lg={6}>
            <Card>
              <Statistic title={t('workbench.plans')} value={periodPlans.length} />
            </Card>
          </Col>
        )}
        {staff && (
          <Col xs={12} lg={6}>
            <Card>
              <Statistic
                title={t('workbench.drawsToSign')}
                value={toSign.length}
                valueStyle={toSign.length ? { color: '#d46b08' } : undefined}
              />
            </Card>
          </Col>
        )}
        <Col xs={12} lg={6}>
          <Card>
            <Statistic title={t('workbench.tasks')} value={myTasks.length} />
          </Card>
        </Col>
        {staff && (
          <Col xs={12} lg={6}>
            <Card>
              <Statistic
                title={t('workbench.overdue')}
                value={overdue.length}
                valueStyle={overdue.length ? { color: '#cf1322' } : undefined}
              />
            </Card>
          </Col>
        )}
        {staff && (
          <Col xs={24} lg={8}>
            <Card title={t('workbench.taskProgress')} data-testid="workbench-progress">
              <div style={{ textAlign: 'center' }}>
                <Progress type="dashboard" percent={total ? Math.round((100 * done) / total) : 0} />
                <div>
                  {t('workbench.tasksDone')} {done} / {total}
                </div>
              </div>
              <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
                {t('workbench.coverageHint')}
              </Typography.Paragraph>
            </Card>
          </Col>
        )}
        {staff && (
          <Col xs={24} lg={8}>
            <Card title={t('workbench.planStatusChart')}>
              <Chart
                testId="chart-plan-status"
                option={{
                  tooltip: { trigger: 'item' },
                  series: [
                    {
                      type: 'pie',
                      radius: ['40%', '70%'],
                      data: [...statusCounts].map(([s, n]) => ({
                        name: t(`plan.status.${s}`),
                        value: n,
                      })),
                    },
                  ],
                }}
              />
            </Card>
          </Col>
        )}
        {staff && (
          <Col xs={24} lg={8}>
            <Card title={t('workbench.stats')}>
              <Chart
                testId="chart-bureau"
                option={{
                  tooltip: {},
                  grid: { left: 40, right: 10, top: 20, bottom: 30 },
                  xAxis: {
                    type: 'category',
                    data: [
                      t('workbench.units'),
                      t('workbench.inspectors'),
                      t('assessment.plans'),
                      t('assessment.draws'),
                      t('workbench.tasksOpen'),
                      t('workbench.tasksDone'),
                    ],
                  },
                  yAxis: { type: 'log', min: 1 },
                  series: [
                    {
                      type: 'bar',
                      data: [
                        sum('units'),
                        sum('inspectors'),
                        sum('plans'),
                        sum('signedDraws'),
                        total - done,
                        done,
                      ].map((v) => Math.max(v, 1)),
                      itemStyle: { color: '#1d4ed8' },
                    },
                  ],
                }}
              />
            </Card>
          </Col>
        )}
        {staff && districts.length > 1 && (
          <Col xs={24}>
            <Card title={t('workbench.byBureau')}>
              <Chart
                height={300}
                option={{
                  tooltip: { trigger: 'axis' },
                  legend: {},
                  grid: { left: 40, right: 10, top: 40, bottom: 60 },
                  xAxis: {
                    type: 'category',
                    data: districts.map((b) => b.name.replace(/应急管理局$/, '')),
                    axisLabel: { rotate: 30 },
                  },
                  yAxis: { type: 'value' },
                  series: [
                    {
                      name: t('workbench.tasksDone'),
                      type: 'bar',
                      stack: 'a',
                      data: districts.map((b) => b.tasksDone),
                    },
                    {
                      name: t('workbench.tasksOpen'),
                      type: 'bar',
                      stack: 'a',
                      data: districts.map((b) => b.tasks - b.tasksDone),
                    },
                  ],
                }}
              />
            </Card>
          </Col>
        )}
        {staff && roster.data && (
          <Col xs={24} lg={8}>
            <Card
              title={t('workbench.riskChart')}
              extra={
                <Typography.Text type="secondary">
                  {t('workbench.units')} {roster.data.units}
                </Typography.Text>
              }
            >
              <Chart
                testId="chart-risk"
                option={{
                  tooltip: { trigger: 'item' },
                  legend: { bottom: 0 },
                  series: [
                    {
                      type: 'pie',
                      radius: ['35%', '65%'],
                      center: ['50%', '45%'],
                      label: { formatter: '{c}' },
                      data: roster.data.riskGrade.map((r) => ({
                        name: tx(`risk.${r.key}`, r.key),
                        value: r.units,
                        itemStyle: { color: RISK_COLORS[r.key] ?? '#999' },
                      })),
                    },
                  ],
                }}
              />
            </Card>
          </Col>
        )}
        {staff && roster.data && (
          <Col xs={24} lg={8}>
            <Card title={t('workbench.creditChart')}>
              <Chart
                testId="chart-credit"
                option={{
                  tooltip: {},
                  grid: { left: 50, right: 10, top: 20, bottom: 30 },
                  xAxis: {
                    type: 'category',
                    data: [...roster.data.creditGrade]
                      .sort((a, b) => a.key.localeCompare(b.key))
                      .map((c) => t('credit.grade', { g: c.key })),
                  },
                  yAxis: { type: 'value' },
                  series: [
                    {
                      type: 'bar',
                      data: [...roster.data.creditGrade]
                        .sort((a, b) => a.key.localeCompare(b.key))
                        .map((c) => c.units),
                      itemStyle: { color: '#0f766e' },
                      label: { show: true, position: 'top' },
                    },
                  ],
                }}
              />
            </Card>
          </Col>
        )}
        {staff && roster.data && (
          <Col xs={24} lg={8}>
            <Card title={t('workbench.rosterFlags')} data-testid="roster-flags">
              <Row gutter={[8, 16]}>
                {(
                  [
                    ['majorHazard', 'flag.majorHazard', '#cf1322'],
                    ['blacklisted', 'flag.blacklisted', '#000'],
                    ['jointPunishment', 'flag.jointPunishment', '#d46b08'],
                    ['keyUnit', 'flag.keyUnit', '#1d4ed8'],
                  ] as const
                ).map(([k, label, color]) => (
                  <Col span={12} key={k}>
                    <Statistic title={t(label)} value={roster.data[k]} valueStyle={{ color }} />
                  </Col>
                ))}
              </Row>
            </Card>
          </Col>
        )}
        {staff && roster.data && (
          <Col xs={24}>
            <Card title={t('workbench.industryTop')}>
              <Chart
                testId="chart-industry"
                height={300}
                option={{
                  tooltip: { trigger: 'axis' },
                  grid: { left: 160, right: 40, top: 10, bottom: 20 },
                  xAxis: { type: 'value' },
                  yAxis: {
                    type: 'category',
                    inverse: true,
                    data: industryTop.map((r) =>
                      r.key === '*' ? t('common.other') : industryLabel(r.key, lang),
                    ),
                  },
                  series: [
                    {
                      type: 'bar',
                      data: industryTop.map((r) => r.units),
                      itemStyle: { color: '#1d4ed8' },
                      label: { show: true, position: 'right' },
                    },
                  ],
                }}
              />
            </Card>
          </Col>
        )}
        <Col xs={24} lg={staff ? 12 : 24}>
          <Card title={t('workbench.myTasks')} extra={<Link to="/tasks">{t('nav.tasks')}</Link>}>
            <List
              data-testid="workbench-tasks"
              dataSource={myTasks.slice(0, 8)}
              locale={{ emptyText: t('common.none') }}
              renderItem={(r) => (
                <List.Item extra={<StatusTag status={r.task.status} label={t(`task.status.${r.task.status}`)} />}>
                  <List.Item.Meta
                    title={r.unitName}
                    description={`${r.planTitle} · ${r.task.scheduledOn ?? '—'}`}
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
        {staff && (
          <Col xs={24} lg={12}>
            <Card title={t('workbench.recentResults')} extra={<Link to="/results">{t('nav.results')}</Link>}>
              <Table
                data-testid="workbench-results"
                rowKey={(r) => r.result.id}
                size="small"
                pagination={false}
                dataSource={[...(results.data ?? [])].reverse().slice(0, 6)}
                locale={{ emptyText: t('common.none') }}
                columns={[
                  {
                    title: t('result.inspectedOn'),
                    key: 'on',
                    render: (_: unknown, r) => r.result.inspectedOn,
                  },
                  {
                    title: t('task.unit'),
                    key: 'u',
                    render: (_: unknown, r) => <Link to={`/rosters/units/${r.unitId}`}>{r.unitId}</Link>,
                  },
                  {
                    title: t('result.outcome'),
                    key: 'o',
                    render: (_: unknown, r) => (
                      <Tag color={r.result.outcome === 'violations' ? 'red' : 'green'}>
                        {t(`result.outcome.${r.result.outcome}`)}
                      </Tag>
                    ),
                  },
                  { title: t('result.findings'), key: 'f', render: (_: unknown, r) => r.findings.length },
                ]}
              />
            </Card>
          </Col>
        )}
        {staff && toSign.length > 0 && holds(user.roles, ['approver']) && (
          <Col xs={24}>
            <Card title={t('workbench.drawsToSign')}>
              <List
                dataSource={toSign}
                renderItem={(p) => (
                  <List.Item>
                    <Link to={`/plans/${p.id}`}>{p.title}</Link>
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        )}
        {staff && (
          <Col xs={24}>
            <Card
              title={t('workbench.overdue')}
              data-testid="workbench-overdue"
              extra={
                blacklister &&
                blacklistable.length > 0 && (
                  <Popconfirm
                    title={t('overdue.blacklistConfirm')}
                    onConfirm={() => blacklist.mutate({ bureauCode: adminBureau })}
                    okButtonProps={{ 'data-testid': 'overdue-blacklist-confirm' }}
                  >
                    <Button danger loading={blacklist.isPending} data-testid="overdue-blacklist">
                      {t('overdue.blacklist')} ({blacklistable.length})
                    </Button>
                  </Popconfirm>
                )
              }
            >
              <Table<Overdue>
                rowKey={(o) => o.finding.id}
                size="small"
                loading={overdueQ.isFetching}
                dataSource={overdue}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                locale={{ emptyText: t('overdue.none') }}
                data-testid="overdue-table"
                columns={[
                  {
                    title: t('task.unit'),
                    key: 'u',
                    render: (_: unknown, o) => (
                      <Space size={4} wrap>
                        {rosterStaff ? (
                          <Link to={`/rosters/units/${o.unitId}`}>{o.unitName}</Link>
                        ) : (
                          o.unitName
                        )}
                        {o.unitBlacklisted && <Tag color="black">{t('flag.blacklisted')}</Tag>}
                        {!o.unitBlacklisted && o.unitProposed && (
                          <Tag color="orange">{t('overdue.proposed')}</Tag>
                        )}
                      </Space>
                    ),
                  },
                  {
                    title: t('result.finding.kind'),
                    key: 'k',
                    render: (_: unknown, o) => (
                      <Space size={4} wrap>
                        <Tag color={KIND_COLORS[o.finding.kind]}>{t(`finding.${o.finding.kind}`)}</Tag>
                        {o.finding.kind === 'major-hazard' && (
                          <Tag color="volcano">{t('supervision.listed')}</Tag>
                        )}
                      </Space>
                    ),
                  },
                  {
                    title: t('result.finding.description'),
                    key: 'd',
                    render: (_: unknown, o) => o.finding.description,
                  },
                  {
                    title: t('result.finding.due'),
                    key: 'due',
                    width: 110,
                    render: (_: unknown, o) => o.finding.rectificationDue,
                  },
                  {
                    title: t('workbench.overdue'),
                    key: 'days',
                    width: 110,
                    render: (_: unknown, o) => (
                      <Tag color="red">{t('overdue.days', { n: o.daysOverdue })}</Tag>
                    ),
                  },
                  {
                    title: t('overdue.lastCheck'),
                    key: 'last',
                    width: 170,
                    render: (_: unknown, o) =>
                      o.lastCheck
                        ? `${o.lastCheck.checkedOn} ${tx(`rect.outcome.${o.lastCheck.outcome}`, o.lastCheck.outcome)}`
                        : t('rect.none'),
                  },
                  {
                    title: t('result.task'),
                    key: 't',
                    width: 70,
                    render: (_: unknown, o) => <Link to={`/tasks/${o.taskId}`}>{t('taskDetail.open')}</Link>,
                  },
                ]}
              />
            </Card>
          </Col>
        )}
      </Row>
      <span hidden>{lang}</span>
    </>
  );
}
