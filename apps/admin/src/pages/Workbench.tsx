import { CITY_BUREAU_CODE, type PlanStatus } from '@spotcheck/core';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, List, Progress, Row, Statistic, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { Chart } from '../components/Chart';
import { ErrorAlert, PageTitle, StatusTag } from '../components/common';
import { PublicationAlerts } from '../components/PublicationStatus';
import { useBureauScope } from '../components/Layout';
import { useI18n } from '../i18n';
import { canOpen, currentQuarter, holds } from '../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { useSession } from '../session';
import { OverdueCard } from './workbench/OverdueCard';
import { RosterCharts } from './workbench/RosterCharts';

/** What is due this quarter for my bureau: plans, draws to sign, tasks, overdue rectifications, coverage. */
export default function WorkbenchPage() {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const user = useSession();
  const bureaus = useBureaus();
  const { bureauCode } = useBureauScope();
  const quarter = currentQuarter();
  const year = quarter.slice(0, 4);
  const staff = canOpen(user.roles, 'plans');
  const stats = useQuery({ ...trpc.stats.overview.queryOptions({ year, bureauCode }), enabled: staff });
  const plans = useQuery({ ...trpc.plans.list.queryOptions({ bureauCode }), enabled: staff });
  // Open tasks (the caller's own team's for an officer): the first few and how many in all.
  const tasks = useQuery(
    trpc.tasks.list.queryOptions({
      bureauCode,
      mine: !!user.inspectorId,
      status: ['issued', 'in-progress'],
      limit: 8,
    }),
  );
  const results = useQuery({ ...trpc.results.list.queryOptions({ bureauCode, limit: 6 }), enabled: staff });
  const overdueQ = useQuery({ ...trpc.rectifications.overdue.queryOptions({ bureauCode }), enabled: staff });

  const periodPlans = (plans.data ?? []).filter(
    (p) => p.period === quarter || p.period === year || p.period.startsWith(`${year}-`),
  );
  const toSign = (plans.data ?? []).filter((p) => p.status === 'drawn');
  const myTasks = tasks.data?.rows ?? [];
  // The overdue card shares this query (one request): the count shows at the top.
  const overdue = overdueQ.data ?? [];
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
      <ErrorAlert error={stats.error ?? plans.error ?? tasks.error ?? results.error ?? overdueQ.error} />
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
            <Statistic title={t('workbench.tasks')} value={tasks.data?.total ?? 0} />
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
        {staff && <RosterCharts bureauCode={bureauCode} />}
        <Col xs={24} lg={staff ? 12 : 24}>
          <Card title={t('workbench.myTasks')} extra={<Link to="/tasks">{t('nav.tasks')}</Link>}>
            <List
              data-testid="workbench-tasks"
              dataSource={myTasks}
              locale={{ emptyText: t('common.none') }}
              renderItem={(r) => (
                <List.Item
                  extra={<StatusTag status={r.task.status} label={t(`task.status.${r.task.status}`)} />}
                >
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
                dataSource={results.data?.rows ?? []}
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
                    // By name, the credit code beneath (the name alone may repeat across units).
                    render: (_: unknown, r) => (
                      <>
                        <Link to={`/rosters/units/${r.unitId}`}>{r.unitName ?? r.unitId}</Link>
                        {r.unitName && (
                          <div>
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                              {r.unitId}
                            </Typography.Text>
                          </div>
                        )}
                      </>
                    ),
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
        {staff && <OverdueCard bureauCode={bureauCode} />}
      </Row>
      <span hidden>{lang}</span>
    </>
  );
}
