import { MinusCircleOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App as AntApp,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert, PageTitle, StatusTag } from '../../components/common';
import { useBureauScope } from '../../components/Layout';
import { useI18n, type TKey } from '../../i18n';
import { holds } from '../../lib/access';
import type { RouterInputs, RouterOutputs } from '../../lib/types';
import { useSession } from '../../session';
import { useTRPC } from '../../trpc';

type Row = RouterOutputs['tasks']['list'][number];
type TaskStatus = Row['task']['status'];
type RecordInput = RouterInputs['results']['record'];
interface ResultForm {
  outcome: RecordInput['outcome'];
  inspectedOn: Dayjs;
  summary?: string;
  findings: {
    checklistItemCode?: string;
    kind: 'violation' | 'hazard' | 'major-hazard';
    description: string;
    enforcementAction?: string;
    rectificationDue?: Dayjs;
  }[];
}

/** Tasks per inspector and per day; team members start them and record results. */
export default function TasksPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const user = useSession();
  const { message } = AntApp.useApp();
  const { bureauCode } = useBureauScope();
  const [status, setStatus] = useState<TaskStatus | undefined>();
  const [mine, setMine] = useState(!!user.inspectorId);
  const list = useQuery(trpc.tasks.list.queryOptions({ bureauCode, status }));
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
  const start = useMutation(trpc.tasks.start.mutationOptions({ onSuccess: refresh }));
  const schedule = useMutation(trpc.tasks.schedule.mutationOptions({ onSuccess: refresh }));
  const [recording, setRecording] = useState<Row | null>(null);
  const [form] = Form.useForm<ResultForm>();
  const record = useMutation(
    trpc.results.record.mutationOptions({
      onSuccess: async () => {
        setRecording(null);
        message.success(t('result.recorded'));
        await refresh();
        await qc.invalidateQueries({ queryKey: trpc.results.pathKey() });
      },
    }),
  );
  const rows = (list.data ?? []).filter(
    (r) => !mine || !user.inspectorId || r.task.team.includes(user.inspectorId),
  );
  const isInspector = holds(user.roles, ['inspector']);
  const canRecord = (r: Row) =>
    r.task.status !== 'done' &&
    r.task.status !== 'cancelled' &&
    (holds(user.roles, ['district-admin', 'city-admin'], r.bureauCode) ||
      (!!user.inspectorId && r.task.team.includes(user.inspectorId)));
  const planner = holds(user.roles, ['city-admin', 'district-admin', 'draw-operator']);

  const onFinish = (v: ResultForm) =>
    recording &&
    record.mutate({
      taskId: recording.task.id,
      outcome: v.outcome,
      inspectedOn: v.inspectedOn.format('YYYY-MM-DD'),
      summary: v.summary ?? '',
      findings: (v.findings ?? []).map((f) => ({
        checklistItemCode: f.checklistItemCode ?? null,
        kind: f.kind,
        description: f.description,
        enforcementAction: f.enforcementAction || null,
        rectificationDue: f.rectificationDue ? f.rectificationDue.format('YYYY-MM-DD') : null,
      })),
    });

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
          <span>{t('common.total', { n: rows.length })}</span>
        </Space>
        <ErrorAlert error={list.error ?? start.error ?? schedule.error} />
        <Table<Row>
          rowKey={(r) => r.task.id}
          size="middle"
          loading={list.isFetching}
          dataSource={rows}
          data-testid="tasks-table"
          pagination={{ pageSize: 50, showSizeChanger: false }}
          scroll={{ x: 1100 }}
          columns={[
            {
              title: t('task.scheduledOn'),
              key: 'day',
              width: 150,
              sorter: (a, b) => (a.task.scheduledOn ?? '9999').localeCompare(b.task.scheduledOn ?? '9999'),
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
                  (r.task.scheduledOn ?? '—')
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
                r.task.team.map((m) => (
                  <Tag key={m} color={m === user.inspectorId ? 'blue' : undefined}>
                    {m}
                  </Tag>
                )),
            },
            {
              title: t('common.status'),
              key: 'status',
              width: 150,
              render: (_: unknown, r) => (
                <Space size={4}>
                  <StatusTag prefix="task.status" status={r.task.status} />
                  {r.task.sealed && <Tag color="volcano">{t('task.sealed')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('common.actions'),
              key: 'a',
              width: 260,
              render: (_: unknown, r) => (
                <Space size={4} wrap>
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
                      onClick={() => {
                        form.resetFields();
                        form.setFieldsValue({ outcome: 'compliant', inspectedOn: dayjs(), findings: [] });
                        setRecording(r);
                      }}
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
      <Modal
        open={!!recording}
        width={820}
        title={`${t('task.record')} · ${recording?.unitName ?? ''}`}
        onCancel={() => setRecording(null)}
        onOk={() => form.submit()}
        okText={t('common.submit')}
        okButtonProps={{ 'data-testid': 'result-submit' }}
        confirmLoading={record.isPending}
        destroyOnHidden
      >
        <ErrorAlert error={record.error} />
        <Form<ResultForm> form={form} layout="vertical" onFinish={onFinish}>
          <Space size="large" wrap>
            <Form.Item name="outcome" label={t('result.outcome')} rules={[{ required: true }]}>
              <Radio.Group data-testid="result-outcome">
                {(['compliant', 'violations', 'closed-or-absent'] as const).map((o) => (
                  <Radio key={o} value={o}>
                    {t(`result.outcome.${o}`)}
                  </Radio>
                ))}
              </Radio.Group>
            </Form.Item>
            <Form.Item name="inspectedOn" label={t('result.inspectedOn')} rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
          </Space>
          <Form.Item name="summary" label={t('result.summary')}>
            <Input.TextArea rows={2} data-testid="result-summary" />
          </Form.Item>
          <Form.List name="findings">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Card
                    key={f.key}
                    size="small"
                    style={{ marginBottom: 8 }}
                    extra={<MinusCircleOutlined onClick={() => remove(f.name)} />}
                    title={`${t('result.findings')} ${f.name + 1}`}
                  >
                    <Space wrap align="start">
                      <Form.Item name={[f.name, 'checklistItemCode']} label={t('result.finding.item')}>
                        <Select
                          allowClear
                          style={{ width: 180 }}
                          options={(recording?.task.checklistItemCodes ?? []).map((c) => ({
                            value: c,
                            label: c,
                          }))}
                          data-testid="finding-item"
                        />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'kind']}
                        label={t('result.finding.kind')}
                        rules={[{ required: true }]}
                        initialValue="hazard"
                      >
                        <Select
                          style={{ width: 150 }}
                          options={(['violation', 'hazard', 'major-hazard'] as const).map((k) => ({
                            value: k,
                            label: t(`finding.${k}` as TKey),
                          }))}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'rectificationDue']} label={t('result.finding.due')}>
                        <DatePicker />
                      </Form.Item>
                      <Form.Item name={[f.name, 'enforcementAction']} label={t('result.finding.enforcement')}>
                        <Input style={{ width: 180 }} />
                      </Form.Item>
                    </Space>
                    <Form.Item
                      name={[f.name, 'description']}
                      label={t('result.finding.description')}
                      rules={[{ required: true, min: 2 }]}
                    >
                      <Input.TextArea rows={2} data-testid="finding-description" />
                    </Form.Item>
                  </Card>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ kind: 'hazard' })}
                  data-testid="finding-add"
                >
                  {t('result.finding.add')}
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
    </>
  );
}
