import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Drawer, DatePicker, Form, Input, Radio, Space, Tag, Timeline } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ErrorAlert, PageTitle } from '../../components/common';
import { useBureauScope } from '../../components/Layout';
import { useI18n, type TKey } from '../../i18n';
import { usePage } from '../../lib/paging';
import { CITY_BUREAU, holds } from '../../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import type { Evidence } from '../../lib/evidence';
import type { RouterOutputs } from '../../lib/types';
import { useSession } from '../../session';
import { chinaToday } from '@spotcheck/ui/format';
import {
  DecisionField,
  RecordsTable,
  StepDateField,
  StepDocumentsField,
  StepModal,
  StepNoteField,
  useStepDone,
} from './parts';

type Row = RouterOutputs['supervisions']['list']['rows'][number];
type Candidate = RouterOutputs['supervisions']['candidates']['rows'][number];
type Action = 'open' | 'evidence' | 'review' | 'close';

const STATUS_COLOR: Record<string, string> = {
  listed: 'red',
  'evidence-submitted': 'orange',
  'close-proposed': 'blue',
  closed: 'green',
};

interface ActionForm {
  on: Dayjs;
  listingNumber?: string;
  deadline?: Dayjs;
  supervising?: 'own' | 'city';
  passed?: boolean;
  approve?: boolean;
  note?: string;
  documents?: Evidence[];
}

/** 挂牌督办 (R17): major hazards awaiting listing, listings with evidence, review and 销号. */
export default function SupervisionsPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const user = useSession();
  const bureaus = useBureaus();
  const { bureauCode } = useBureauScope();
  const listPage = usePage(20, bureauCode);
  const candidatePage = usePage(10, bureauCode);
  const list = useQuery(
    trpc.supervisions.list.queryOptions(
      { bureauCode, ...listPage.input },
      { placeholderData: keepPreviousData },
    ),
  );
  const candidates = useQuery(
    trpc.supervisions.candidates.queryOptions(
      { bureauCode, ...candidatePage.input },
      { placeholderData: keepPreviousData },
    ),
  );
  const [action, setAction] = useState<{ kind: Action; candidate?: Candidate; row?: Row } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [form] = Form.useForm<ActionForm>();
  const admin = (code: string) => holds(user.roles, ['district-admin', 'city-admin'], code);
  const closer = (code: string) => holds(user.roles, ['approver', 'district-admin', 'city-admin'], code);
  const done = useStepDone(trpc.supervisions.pathKey(), () => setAction(null));
  const m = {
    open: useMutation(trpc.supervisions.open.mutationOptions({ onSuccess: done })),
    evidence: useMutation(trpc.supervisions.submitEvidence.mutationOptions({ onSuccess: done })),
    review: useMutation(trpc.supervisions.review.mutationOptions({ onSuccess: done })),
    close: useMutation(trpc.supervisions.decideClose.mutationOptions({ onSuccess: done })),
  };
  const start = (a: NonNullable<typeof action>) => {
    form.resetFields();
    setAction(a);
  };
  const submit = (v: ActionForm) => {
    if (!action) return;
    const on = v.on.format('YYYY-MM-DD');
    const note = v.note ?? '';
    const id = action.row?.supervision.id ?? '';
    if (action.kind === 'open' && action.candidate)
      m.open.mutate({
        findingId: action.candidate.finding.id,
        listingNumber: v.listingNumber ?? '',
        listedOn: on,
        deadline: (v.deadline ?? dayjs(chinaToday())).format('YYYY-MM-DD'),
        supervisingBureauCode: v.supervising === 'city' ? CITY_BUREAU : action.candidate.bureauCode,
      });
    if (action.kind === 'evidence')
      m.evidence.mutate({ supervisionId: id, on, note, documents: v.documents ?? [] });
    if (action.kind === 'review') m.review.mutate({ supervisionId: id, on, passed: v.passed ?? true, note });
    if (action.kind === 'close') m.close.mutate({ supervisionId: id, on, approve: v.approve ?? true, note });
  };
  const pending = Object.values(m).some((x) => x.isPending);
  const error = m.open.error ?? m.evidence.error ?? m.review.error ?? m.close.error;
  const titles: Record<Action, TKey> = {
    open: 'sup.open',
    evidence: 'sup.evidence',
    review: 'sup.review',
    close: 'sup.decideClose',
  };

  return (
    <>
      <PageTitle title={t('sup.title')} sub={t('sup.sub')} />
      <ErrorAlert error={list.error ?? candidates.error} />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card title={t('sup.candidates')}>
          <RecordsTable<Candidate>
            query={candidates}
            page={candidatePage}
            rowKey={(r) => r.finding.id}
            size="small"
            data-testid="sup-candidates"
            columns={[
              { title: t('cq.unit'), render: (_, r) => r.unitName },
              { title: t('cq.note'), render: (_, r) => r.finding.description },
              { title: t('cq.inspectedOn'), dataIndex: 'inspectedOn' },
              {
                title: t('cq.actions'),
                render: (_, r) =>
                  admin(r.bureauCode) && (
                    <Button
                      size="small"
                      type="primary"
                      danger
                      data-testid="sup-open"
                      onClick={() => start({ kind: 'open', candidate: r })}
                    >
                      {t('sup.open')}
                    </Button>
                  ),
              },
            ]}
          />
        </Card>
        <Card title={t('sup.list')}>
          <RecordsTable<Row>
            query={list}
            page={listPage}
            rowKey={(r) => r.supervision.id}
            data-testid="sup-table"
            scroll={{ x: 1000 }}
            columns={[
              {
                title: t('sup.number'),
                render: (_, r) => (
                  <a onClick={() => setOpen(r.supervision.id)} data-testid="sup-detail">
                    {r.supervision.listingNumber}
                  </a>
                ),
              },
              { title: t('cq.unit'), render: (_, r) => r.unitName },
              {
                title: t('sup.supervising'),
                render: (_, r) => bureaus.name(r.supervision.supervisingBureauCode),
              },
              { title: t('sup.listedOn'), render: (_, r) => r.supervision.listedOn },
              { title: t('sup.deadline'), render: (_, r) => r.supervision.deadline },
              {
                title: t('sup.status'),
                render: (_, r) => (
                  <Tag color={STATUS_COLOR[r.supervision.status]}>
                    {t(`sup.status.${r.supervision.status}`)}
                  </Tag>
                ),
              },
              {
                title: t('cq.actions'),
                render: (_, r) => {
                  const s = r.supervision;
                  if (s.status === 'listed' && admin(s.supervisingBureauCode))
                    return (
                      <Button
                        size="small"
                        data-testid="sup-evidence"
                        onClick={() => start({ kind: 'evidence', row: r })}
                      >
                        {t('sup.evidence')}
                      </Button>
                    );
                  if (s.status === 'evidence-submitted' && admin(s.supervisingBureauCode))
                    return (
                      <Button
                        size="small"
                        data-testid="sup-review"
                        onClick={() => start({ kind: 'review', row: r })}
                      >
                        {t('sup.review')}
                      </Button>
                    );
                  if (
                    s.status === 'close-proposed' &&
                    closer(s.supervisingBureauCode) &&
                    s.closeProposedBy !== user.id
                  )
                    return (
                      <Button
                        size="small"
                        type="primary"
                        data-testid="sup-close"
                        onClick={() => start({ kind: 'close', row: r })}
                      >
                        {t('sup.decideClose')}
                      </Button>
                    );
                  return null;
                },
              },
            ]}
          />
        </Card>
      </Space>
      {action && (
        <StepModal<ActionForm>
          title={t(titles[action.kind])}
          testId="sup"
          form={form}
          initialValues={{
            on: dayjs(chinaToday()),
            deadline: dayjs(chinaToday()).add(30, 'day'),
            supervising: 'own',
            passed: true,
            approve: true,
          }}
          onFinish={submit}
          onCancel={() => setAction(null)}
          pending={pending}
          error={error}
          notice={
            action.kind === 'close' && (
              <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('sup.secondPerson')} />
            )
          }
        >
          {action.kind === 'open' && (
            <>
              <Form.Item name="listingNumber" label={t('sup.number')} rules={[{ required: true }]}>
                <Input data-testid="sup-number" />
              </Form.Item>
              <Form.Item name="supervising" label={t('sup.supervising')}>
                <Radio.Group>
                  <Radio value="own">{t('sup.own')}</Radio>
                  {holds(user.roles, ['city-admin']) && <Radio value="city">{t('sup.city')}</Radio>}
                </Radio.Group>
              </Form.Item>
            </>
          )}
          <StepDateField label={action.kind === 'open' ? t('sup.listedOn') : undefined} />
          {action.kind === 'open' && (
            <Form.Item name="deadline" label={t('sup.deadline')} rules={[{ required: true }]}>
              <DatePicker allowClear={false} />
            </Form.Item>
          )}
          {action.kind === 'review' && (
            <DecisionField name="passed" yes={t('sup.passed')} no={t('sup.failed')} testId="sup-passed" />
          )}
          {action.kind === 'close' && (
            <DecisionField name="approve" yes={t('sup.approve')} no={t('sup.reject')} />
          )}
          {action.kind !== 'open' && <StepNoteField required={action.kind === 'review'} testId="sup-note" />}
          {action.kind === 'evidence' && <StepDocumentsField required testId="sup-upload" />}
        </StepModal>
      )}
      {open && <SupervisionDrawer id={open} onClose={() => setOpen(null)} />}
    </>
  );
}

function SupervisionDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const q = useQuery(trpc.supervisions.get.queryOptions({ supervisionId: id }));
  return (
    <Drawer open width={520} title={q.data?.listingNumber} onClose={onClose}>
      <ErrorAlert error={q.error} />
      <Timeline
        items={(q.data?.events ?? []).map((e) => ({
          children: (
            <div data-testid="sup-event">
              <b>{t(`sup.event.${e.kind}`)}</b> {e.on}
              {e.note && <div>{e.note}</div>}
              {e.documents.map((d) => (
                <Tag key={d.sha256}>{d.name}</Tag>
              ))}
            </div>
          ),
        }))}
      />
    </Drawer>
  );
}
