import { PrinterOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Radio, Select, Space, Table, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ErrorAlert, PageTitle, StatusTag } from '../../components/common';
import { useBureauScope } from '../../components/Layout';
import { useI18n } from '../../i18n';
import { holds } from '../../lib/access';
import { useFitPage, usePage } from '../../lib/paging';
import type { RouterOutputs } from '../../lib/types';
import { useSession } from '../../session';
import { useTRPC } from '@spotcheck/ui/trpc';
import { ResultModal, type ResultTarget } from './ResultModal';

type Row = RouterOutputs['tasks']['list']['rows'][number];
/** Tasks a page of the table shows: each page is read from the server (a city has 10^5 tasks). */
const PAGE_SIZE = 50;
type TaskStatus = Row['task']['status'];

/** Tasks per inspector and per day; team members start them and record results. */
export default function TasksPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const user = useSession();
  const { bureauCode } = useBureauScope();
  const [status, setStatus] = useState<TaskStatus | undefined>();
  const [mine, setMine] = useState(!!user.inspectorId);
  const [byDay, setByDay] = useState(false);
  // Another bureau, filter or order: back to the first page.
  const paging = usePage(PAGE_SIZE, [bureauCode, status, mine, byDay].join('|'));
  const list = useQuery(
    trpc.tasks.list.queryOptions(
      {
        bureauCode,
        status,
        mine: mine && !!user.inspectorId,
        order: byDay ? 'day' : 'plan',
        ...paging.input,
      },
      { placeholderData: keepPreviousData },
    ),
  );
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
  const start = useMutation(trpc.tasks.start.mutationOptions({ onSuccess: refresh }));
  const schedule = useMutation(trpc.tasks.schedule.mutationOptions({ onSuccess: refresh }));
  const [recording, setRecording] = useState<ResultTarget | null>(null);
  const rows = list.data?.rows ?? [];
  useFitPage(paging, list.data?.total);
  const isInspector = holds(user.roles, ['inspector']);
  const canRecord = (r: Row) =>
    r.task.status !== 'done' &&
    r.task.status !== 'cancelled' &&
    (holds(user.roles, ['district-admin', 'city-admin'], r.bureauCode) ||
      (!!user.inspectorId && r.task.team.includes(user.inspectorId)));
  const planner = holds(user.roles, ['city-admin', 'district-admin', 'draw-operator']);

  return (
    <>
      <PageTitle title={t('task.list')} />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            allowClear
            placeholder={t('common.status')}
            style={{ width: 140 }}
            value={status}
            onChange={(v?: TaskStatus) => setStatus(v)}
            options={(['issued', 'in-progress', 'done', 'cancelled'] as const).map((s) => ({
              value: s,
              label: t(`task.status.${s}`),
            }))}
          />
          {user.inspectorId && (
            <Radio.Group
              value={mine}
              onChange={(e) => setMine(e.target.value as boolean)}
              optionType="button"
            >
              <Radio value={true}>{t('task.mine')}</Radio>
              <Radio value={false}>{t('common.all')}</Radio>
            </Radio.Group>
          )}
          <span data-testid="tasks-total">{t('common.total', { n: list.data?.total ?? 0 })}</span>
        </Space>
        <ErrorAlert error={list.error ?? start.error ?? schedule.error} />
        <Table<Row>
          rowKey={(r) => r.task.id}
          size="middle"
          loading={list.isFetching}
          dataSource={rows}
          data-testid="tasks-table"
          pagination={{
            current: paging.page,
            pageSize: PAGE_SIZE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
          }}
          onChange={(p, _filters, sorter) => {
            // Pages and the day order are the server's: a page holds 50 of the bureau's tasks.
            const day = !Array.isArray(sorter) && sorter.columnKey === 'day' && !!sorter.order;
            if (day !== byDay) setByDay(day);
            else paging.setPage(p.current ?? 1);
          }}
          scroll={{ x: 1100 }}
          columns={[
            {
              title: t('task.scheduledOn'),
              key: 'day',
              width: 150,
              sorter: true,
              sortOrder: byDay ? 'ascend' : null,
              sortDirections: ['ascend'],
              render: (_: unknown, r) =>
                planner && r.task.status === 'issued' ? (
                  <DatePicker
                    size="small"
                    value={r.task.scheduledOn ? dayjs(r.task.scheduledOn) : null}
                    onChange={(d) =>
                      d && schedule.mutate({ taskId: r.task.id, scheduledOn: d.format('YYYY-MM-DD') })
                    }
                  />
                ) : (
                  // Once a result is recorded, the date is the inspection's own.
                  (r.inspectedOn ?? r.task.scheduledOn ?? '—')
                ),
            },
            {
              title: t('task.plan'),
              key: 'plan',
              render: (_: unknown, r) =>
                planner ? <Link to={`/plans/${r.task.planId}`}>{r.planTitle}</Link> : r.planTitle,
            },
            { title: t('task.sequence'), key: 'seq', width: 60, render: (_: unknown, r) => r.task.sequence },
            {
              title: t('task.unit'),
              key: 'unit',
              render: (_: unknown, r) =>
                planner ? <Link to={`/rosters/units/${r.task.unitId}`}>{r.unitName}</Link> : r.unitName,
            },
            {
              title: t('task.team'),
              key: 'team',
              render: (_: unknown, r) =>
                r.teamMembers
                  .map((m) => (
                    <Tooltip
                      key={m.id}
                      title={`${t('team.certificate')} ${m.certificateNo || '—'} · ${m.id}`}
                    >
                      <Tag color={m.id === user.inspectorId ? 'blue' : undefined} data-testid="team-member">
                        {m.name || m.id}
                        {m.certificateNo && (
                          <span style={{ opacity: 0.65, marginLeft: 4 }}>{m.certificateNo}</span>
                        )}
                      </Tag>
                    </Tooltip>
                  ))
                  .concat(
                    r.expertMembers.map((e) => (
                      <Tooltip key={e.id} title={`${e.title} · ${e.employer}`}>
                        <Tag color="purple" data-testid="team-expert">
                          {t('team.expert')} {e.name || e.id}
                        </Tag>
                      </Tooltip>
                    )),
                  ),
            },
            {
              title: t('common.status'),
              key: 'status',
              width: 150,
              render: (_: unknown, r) => (
                <Space size={4}>
                  <StatusTag status={r.task.status} label={t(`task.status.${r.task.status}`)} />
                  {r.task.sealed && <Tag color="volcano">{t('task.sealed')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('common.actions'),
              key: 'a',
              width: 320,
              render: (_: unknown, r) => (
                <Space size={4} wrap>
                  <Button
                    size="small"
                    data-testid="task-detail"
                    onClick={() => void navigate(`/tasks/${r.task.id}`)}
                  >
                    {t('taskDetail.open')}
                  </Button>
                  <Link to={`/tasks/${r.task.id}/notice`}>
                    <Button size="small" icon={<PrinterOutlined />}>
                      {t('task.notice')}
                    </Button>
                  </Link>
                  {isInspector &&
                    r.task.status === 'issued' &&
                    user.inspectorId &&
                    r.task.team.includes(user.inspectorId) && (
                      <Button size="small" onClick={() => start.mutate({ taskId: r.task.id })}>
                        {t('task.start')}
                      </Button>
                    )}
                  {canRecord(r) && (
                    <Button
                      size="small"
                      type="primary"
                      data-testid="task-record"
                      onClick={() =>
                        setRecording({
                          taskId: r.task.id,
                          unitName: r.unitName,
                          checklistItemCodes: r.task.checklistItemCodes,
                          checklistItems: r.checklistItems,
                        })
                      }
                    >
                      {t('task.record')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <ResultModal target={recording} onClose={() => setRecording(null)} />
    </>
  );
}
