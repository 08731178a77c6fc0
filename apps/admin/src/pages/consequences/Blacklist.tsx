import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Space,
  Tag,
  Timeline,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ErrorAlert, PageTitle } from '../../components/common';
import { useBureauScope } from '../../components/Layout';
import { useI18n, type TKey } from '../../i18n';
import { usePage } from '../../lib/paging';
import { holds } from '../../lib/access';
import type { Evidence } from '../../lib/evidence';
import type { RouterOutputs } from '../../lib/types';
import { useSession } from '../../session';
import { useTRPC } from '@spotcheck/ui/trpc';
import { chinaToday, downloadFile } from '@spotcheck/ui/format';
import {
  DecisionField,
  RecordsTable,
  StepDateField,
  StepDocumentsField,
  StepModal,
  StepNoteField,
  useStepDone,
} from './parts';

type Row = RouterOutputs['blacklist']['list']['rows'][number];
type Action = 'review' | 'notice' | 'objection' | 'decide' | 'repair';

const STATUS_COLOR: Record<string, string> = {
  proposed: 'orange',
  reviewed: 'gold',
  noticed: 'blue',
  decided: 'purple',
  published: 'black',
  rejected: 'default',
  dismissed: 'default',
};

interface ActionForm {
  on: Dayjs;
  approve?: boolean;
  noticeNumber?: string;
  objectionDays?: number;
  decisionNumber?: string;
  unitId?: string;
  note?: string;
  documents?: Evidence[];
}

/**
 * 黑名单 (R18–R19): proposals and decisions with due process (review by a second person, notice
 * with an objection period, decision after it, publication), credit repair, and the outgoing
 * credit report.
 */
export default function BlacklistPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const user = useSession();
  const { bureauCode } = useBureauScope();
  const listPage = usePage(20, bureauCode);
  const list = useQuery(
    trpc.blacklist.list.queryOptions(
      { bureauCode, ...listPage.input },
      { placeholderData: keepPreviousData },
    ),
  );
  const [action, setAction] = useState<{ kind: Action; row?: Row } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [form] = Form.useForm<ActionForm>();
  const admin = (code: string) => holds(user.roles, ['district-admin', 'city-admin'], code);
  const decider = (code: string) => holds(user.roles, ['approver', 'district-admin', 'city-admin'], code);
  const done = useStepDone(trpc.blacklist.pathKey(), () => setAction(null));
  const m = {
    review: useMutation(trpc.blacklist.review.mutationOptions({ onSuccess: done })),
    notice: useMutation(trpc.blacklist.notice.mutationOptions({ onSuccess: done })),
    objection: useMutation(trpc.blacklist.recordObjection.mutationOptions({ onSuccess: done })),
    decide: useMutation(trpc.blacklist.decide.mutationOptions({ onSuccess: done })),
    repair: useMutation(trpc.blacklist.propose.mutationOptions({ onSuccess: done })),
  };
  const publish = useMutation(trpc.blacklist.publish.mutationOptions({ onSuccess: done }));
  const start = (a: NonNullable<typeof action>) => {
    form.resetFields();
    // Steps are dated by the server's calendar (the row carries it), not the browser's.
    if (a.row) form.setFieldsValue({ on: dayjs(a.row.today) });
    setAction(a);
  };
  const submit = (v: ActionForm) => {
    if (!action) return;
    const on = (v.on ?? dayjs(chinaToday())).format('YYYY-MM-DD');
    const note = v.note ?? '';
    const proceedingId = action.row?.proceeding.id ?? '';
    if (action.kind === 'review') m.review.mutate({ proceedingId, approve: v.approve ?? true, note });
    if (action.kind === 'notice')
      m.notice.mutate({
        proceedingId,
        noticeNumber: v.noticeNumber ?? '',
        noticedOn: on,
        objectionDays: v.objectionDays ?? 7,
        documents: v.documents ?? [],
      });
    if (action.kind === 'objection')
      m.objection.mutate({ proceedingId, receivedOn: on, note, documents: v.documents ?? [] });
    if (action.kind === 'decide')
      m.decide.mutate({
        proceedingId,
        decidedOn: on,
        apply: v.approve ?? true,
        decisionNumber: v.decisionNumber || undefined,
        note,
      });
    if (action.kind === 'repair')
      m.repair.mutate({
        kind: 'removal',
        unitId: (v.unitId ?? '').trim(),
        note,
        documents: v.documents ?? [],
      });
  };
  const pending = Object.values(m).some((x) => x.isPending);
  const error = m.review.error ?? m.notice.error ?? m.objection.error ?? m.decide.error ?? m.repair.error;
  const titles: Record<Action, TKey> = {
    review: 'bl.review',
    notice: 'bl.notice',
    objection: 'bl.objection',
    decide: 'bl.decide',
    repair: 'bl.repair',
  };

  const actions = (r: Row) => {
    const p = r.proceeding;
    const own = p.proposedBy === user.id;
    const b = (kind: Action, testId: string, label: TKey) => (
      <Button size="small" data-testid={testId} onClick={() => start({ kind, row: r })}>
        {t(label)}
      </Button>
    );
    if (p.status === 'proposed' && decider(p.bureauCode) && !own)
      return b('review', 'bl-review', 'bl.review');
    if (p.status === 'reviewed' && admin(p.bureauCode)) return b('notice', 'bl-notice', 'bl.notice');
    // While the objection period runs an admin records objections; once it is over, a second
    // person decides.
    if (p.status === 'noticed' && !r.objectionOver)
      return admin(p.bureauCode) ? b('objection', 'bl-objection', 'bl.objection') : null;
    if (p.status === 'noticed')
      return decider(p.bureauCode) && !own ? b('decide', 'bl-decide', 'bl.decide') : null;
    if (p.status === 'decided' && admin(p.bureauCode))
      return (
        <Popconfirm title={t('bl.publishConfirm')} onConfirm={() => publish.mutate({ proceedingId: p.id })}>
          <Button size="small" type="primary" danger data-testid="bl-publish">
            {t('bl.publish')}
          </Button>
        </Popconfirm>
      );
    return null;
  };

  return (
    <>
      <PageTitle
        title={t('bl.title')}
        sub={t('bl.sub')}
        extra={
          admin(bureauCode ?? user.bureauCode) && (
            <Button data-testid="bl-repair" onClick={() => start({ kind: 'repair' })}>
              {t('bl.repair')}
            </Button>
          )
        }
      />
      <ErrorAlert error={list.error ?? publish.error} />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Alert type="info" showIcon title={t('bl.secondPerson')} />
        <Card>
          <RecordsTable<Row>
            query={list}
            page={listPage}
            rowKey={(r) => r.proceeding.id}
            data-testid="bl-table"
            scroll={{ x: 1100 }}
            columns={[
              {
                title: t('cq.unit'),
                render: (_, r) => (
                  <a onClick={() => setOpen(r.proceeding.id)} data-testid="bl-detail">
                    {r.unitName}
                  </a>
                ),
              },
              { title: t('bl.kind'), render: (_, r) => t(`bl.kind.${r.proceeding.kind}`) },
              { title: t('bl.reason'), render: (_, r) => t(`bl.reason.${r.proceeding.reason}`) },
              { title: t('bl.origin'), render: (_, r) => t(`bl.origin.${r.proceeding.origin}`) },
              {
                title: t('bl.status'),
                render: (_, r) => (
                  <Tag color={STATUS_COLOR[r.proceeding.status]}>{t(`bl.status.${r.proceeding.status}`)}</Tag>
                ),
              },
              { title: t('bl.objectionEndsOn'), render: (_, r) => r.proceeding.objectionEndsOn ?? '—' },
              { title: t('bl.decisionNumber'), render: (_, r) => r.proceeding.decisionNumber ?? '—' },
              // Kept in view at the right edge: on a narrow screen the table scrolls under it.
              { title: t('cq.actions'), fixed: 'right', width: 132, render: (_, r) => actions(r) },
            ]}
          />
        </Card>
        {holds(user.roles, ['city-admin', 'district-admin', 'auditor'], bureauCode ?? user.bureauCode) && (
          <CreditExport bureauCode={bureauCode ?? user.bureauCode} />
        )}
      </Space>
      {action && (
        <StepModal<ActionForm>
          title={t(titles[action.kind])}
          testId="bl"
          form={form}
          initialValues={{ on: dayjs(chinaToday()), approve: true, objectionDays: 7 }}
          onFinish={submit}
          onCancel={() => setAction(null)}
          pending={pending}
          error={error}
        >
          {action.kind === 'repair' && (
            <Form.Item name="unitId" label={t('bl.unitId')} rules={[{ required: true }]}>
              <Input data-testid="bl-unit" />
            </Form.Item>
          )}
          {(action.kind === 'review' || action.kind === 'decide') && (
            <DecisionField
              name="approve"
              yes={action.kind === 'review' ? t('bl.approve') : t('bl.apply')}
              no={action.kind === 'review' ? t('bl.reject') : t('bl.dismiss')}
              testId="bl-approve"
            />
          )}
          {action.kind === 'notice' && (
            <>
              <Form.Item name="noticeNumber" label={t('bl.noticeNumber')} rules={[{ required: true }]}>
                <Input data-testid="bl-notice-number" />
              </Form.Item>
              <Form.Item name="objectionDays" label={t('bl.objectionDays')}>
                <InputNumber min={5} max={30} />
              </Form.Item>
            </>
          )}
          {action.kind !== 'review' && action.kind !== 'repair' && <StepDateField />}
          {action.kind === 'decide' && (
            <Form.Item name="decisionNumber" label={t('bl.decisionNumber')}>
              <Input data-testid="bl-decision-number" />
            </Form.Item>
          )}
          {action.kind !== 'notice' && <StepNoteField required testId="bl-note" />}
          {(action.kind === 'notice' || action.kind === 'objection' || action.kind === 'repair') && (
            <StepDocumentsField />
          )}
        </StepModal>
      )}
      {open && <ProceedingDrawer id={open} onClose={() => setOpen(null)} />}
    </>
  );
}

function ProceedingDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const q = useQuery(trpc.blacklist.get.queryOptions({ proceedingId: id }));
  return (
    <Drawer open width={520} title={q.data ? t(`bl.kind.${q.data.kind}`) : ''} onClose={onClose}>
      <ErrorAlert error={q.error} />
      <Timeline
        items={(q.data?.steps ?? []).map((s) => ({
          children: (
            <div data-testid="bl-step">
              <b>{t(`bl.step.${s.step}`)}</b> {s.on}
              {s.note && <div>{s.note}</div>}
              {s.documents.map((d) => (
                <Tag key={d.sha256}>{d.name}</Tag>
              ))}
            </div>
          ),
        }))}
      />
    </Drawer>
  );
}

/** 信用信息报送: the outgoing credit report as a JSON Lines or CSV file (audited). */
function CreditExport({ bureauCode }: { bureauCode: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const { message } = AntApp.useApp();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([
    dayjs(chinaToday()).startOf('year'),
    dayjs(chinaToday()).endOf('year'),
  ]);
  const [format, setFormat] = useState<'jsonl' | 'csv'>('csv');
  const exp = useMutation(
    trpc.credit.exportFile.mutationOptions({
      onSuccess: (f) => {
        downloadFile(f.filename, f.content, f.mime);
        message.success(t('credit.done', { n: f.records }));
      },
    }),
  );
  return (
    <Card title={t('credit.export')}>
      <ErrorAlert error={exp.error} />
      <p>{t('credit.exportHint')}</p>
      <Space wrap>
        <DatePicker.RangePicker
          allowClear={false}
          value={range}
          onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
        />
        <Radio.Group value={format} onChange={(e) => setFormat(e.target.value as 'jsonl' | 'csv')}>
          <Radio value="csv">CSV</Radio>
          <Radio value="jsonl">JSON Lines</Radio>
        </Radio.Group>
        <Button
          type="primary"
          data-testid="credit-export"
          loading={exp.isPending}
          onClick={() =>
            exp.mutate({
              bureauCode,
              format,
              from: range[0].format('YYYY-MM-DD'),
              to: range[1].format('YYYY-MM-DD'),
            })
          }
        >
          {t('credit.download')}
        </Button>
      </Space>
    </Card>
  );
}
