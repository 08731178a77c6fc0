import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Popconfirm, Table, Tag, Tooltip, Typography } from 'antd';
import { ErrorAlert, PageTitle } from '../components/common';
import { useI18n } from '../i18n';
import { AREA_ROLES, CITY_BUREAU, holds } from '../lib/access';
import { errorMessage } from '../lib/errors';
import { fmtTime } from '@spotcheck/ui/format';
import type { RouterOutputs } from '../lib/types';
import { useSession } from '../session';
import { useTRPC } from '@spotcheck/ui/trpc';

type Job = RouterOutputs['jobs']['list'][number];
type Run = Job['runs'][number];

type Outcome = 'ok' | 'failed' | 'running';
const OUTCOME_COLORS: Record<Outcome, string> = { ok: 'green', failed: 'red', running: 'blue' };

/** Scheduled jobs: schedule, next and last run, outcome, failures in a row, and a run-now button. */
export default function JobsPage() {
  const { t, tx, lang } = useI18n();
  const trpc = useTRPC();
  const user = useSession();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const list = useQuery({ ...trpc.jobs.list.queryOptions(), refetchInterval: 15_000 });
  const canRetry = holds(user.roles, ['city-admin']);
  // Jobs run city-wide and their runs name units of every district: the API gives a run's summary
  // and error only to staff with a city grant (district staff get `{}` and null).
  const cityWide = holds(user.roles, AREA_ROLES.jobs, CITY_BUREAU);
  const retry = useMutation(
    trpc.jobs.retry.mutationOptions({
      onSuccess: async (r) => {
        if (r.queued) message.success(t('jobs.retry.queued'));
        else if (r.outcome === 'ok') message.success(t('jobs.retry.done'));
        else message.error(t('jobs.retry.failed', { msg: r.error ?? '' }));
        await qc.invalidateQueries({ queryKey: trpc.jobs.list.queryKey() });
      },
      onError: (e) => message.error(errorMessage(e, lang)),
    }),
  );
  // Jobs are registered at run time (a plugin may add one): a name without text shows as it is.
  const jobName = (name: string) => tx(`job.${name}`, name);
  const mode = list.data?.[0]?.mode ?? 'none';
  return (
    <>
      <PageTitle
        title={t('jobs.title')}
        sub={t('jobs.sub')}
        extra={<Tag data-testid="jobs-mode">{t(`jobs.mode.${mode}`)}</Tag>}
      />
      <Card>
        <ErrorAlert error={list.error} />
        <Table<Job>
          rowKey="name"
          data-testid="jobs-table"
          loading={list.isFetching && !list.data}
          dataSource={list.data ?? []}
          pagination={false}
          scroll={{ x: 900 }}
          expandable={{
            expandedRowRender: (j) => (
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={j.runs}
                columns={[
                  { title: t('jobs.last'), render: (_: unknown, r) => fmtTime(r.startedAt) },
                  { title: t('jobs.outcome'), render: (_: unknown, r) => outcomeTag(r.outcome) },
                  { title: '', render: (_: unknown, r) => t(`jobs.trigger.${r.trigger}`) },
                  { title: t('jobs.summary'), render: (_: unknown, r) => runDetail(r) },
                ]}
              />
            ),
          }}
          columns={[
            {
              title: t('jobs.name'),
              key: 'name',
              render: (_: unknown, j) => (
                <>
                  <Typography.Text strong>{jobName(j.name)}</Typography.Text>
                  <br />
                  <Typography.Text type="secondary">{tx(`job.${j.name}.desc`, '')}</Typography.Text>
                </>
              ),
            },
            { title: t('jobs.schedule'), key: 'cron', render: (_: unknown, j) => <code>{j.cron}</code> },
            { title: t('jobs.next'), key: 'next', render: (_: unknown, j) => fmtTime(j.nextRunAt) },
            {
              title: t('jobs.last'),
              key: 'last',
              render: (_: unknown, j) => (j.lastRun ? fmtTime(j.lastRun.startedAt) : t('jobs.never')),
            },
            {
              title: t('jobs.outcome'),
              key: 'outcome',
              render: (_: unknown, j) =>
                j.running ? (
                  outcomeTag('running')
                ) : j.lastRun ? (
                  <Tooltip
                    title={
                      j.lastRun.outcome === 'failed' && !cityWide
                        ? t('jobs.cityOnly')
                        : (j.lastRun.error ?? undefined)
                    }
                  >
                    {outcomeTag(j.lastRun.outcome)}
                  </Tooltip>
                ) : null,
            },
            {
              title: t('jobs.failures'),
              key: 'failures',
              render: (_: unknown, j) => (j.failures ? <Tag color="red">{j.failures}</Tag> : 0),
            },
            {
              title: '',
              key: 'retry',
              render: (_: unknown, j) =>
                canRetry ? (
                  <Popconfirm
                    title={t('jobs.retry.confirm', { name: jobName(j.name) })}
                    onConfirm={() => retry.mutate({ name: j.name })}
                  >
                    <Button size="small" loading={retry.isPending && retry.variables?.name === j.name}>
                      {t('jobs.retry')}
                    </Button>
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      </Card>
    </>
  );

  function runDetail(r: Run) {
    if (!cityWide) {
      return (
        <Typography.Text type="secondary" data-testid="jobs-city-only">
          {t('jobs.cityOnly')}
        </Typography.Text>
      );
    }
    if (r.error) return <Typography.Text type="danger">{r.error}</Typography.Text>;
    if (Object.keys(r.summary).length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
    return <Typography.Text code>{JSON.stringify(r.summary)}</Typography.Text>;
  }

  function outcomeTag(o: Outcome) {
    return <Tag color={OUTCOME_COLORS[o]}>{t(`jobs.outcome.${o}`)}</Tag>;
  }
}
