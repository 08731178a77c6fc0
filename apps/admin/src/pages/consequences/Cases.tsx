import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Drawer, Form, Input, Radio, Space, Tag, Timeline } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ErrorAlert, PageTitle } from '../../components/common';
import { useBureauScope } from '../../components/Layout';
import { useI18n } from '../../i18n';
import { usePage } from '../../lib/paging';
import { holds } from '../../lib/access';
import type { Evidence } from '../../lib/evidence';
import type { RouterOutputs } from '../../lib/types';
import { useSession } from '../../session';
import { useTRPC } from '@spotcheck/ui/trpc';
import { chinaToday } from '@spotcheck/ui/format';
import {
  RecordsTable,
  StepDateField,
  StepDocumentsField,
  StepModal,
  StepNoteField,
  useStepDone,
} from './parts';

type CaseRow = RouterOutputs['cases']['list']['rows'][number];
type Candidate = RouterOutputs['cases']['candidates']['rows'][number];
type Stage = CaseRow['case']['stage'];

const NEXT: Partial<Record<Stage, 'investigated' | 'decided' | 'closed'>> = {
  filed: 'investigated',
  investigated: 'decided',
  decided: 'closed',
};
const STAGE_COLOR: Record<Stage, string> = {
  filed: 'processing',
  investigated: 'geekblue',
  decided: 'orange',
  closed: 'green',
};

interface StepForm {
  on: Dayjs;
  caseNumber?: string;
  decisionNumber?: string;
  penaltyAmount?: string;
  execution?: 'paid' | 'performed' | 'court-enforced';
  note?: string;
  documents?: Evidence[];
}

/** 执法案件 (R17): findings awaiting a case, and cases moved one step at a time. */
export default function CasesPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const user = useSession();
  const { bureauCode } = useBureauScope();
  const listPage = usePage(20, bureauCode);
  const candidatePage = usePage(10, bureauCode);
  const list = useQuery(
    trpc.cases.list.queryOptions({ bureauCode, ...listPage.input }, { placeholderData: keepPreviousData }),
  );
  const candidates = useQuery(
    trpc.cases.candidates.queryOptions(
      { bureauCode, ...candidatePage.input },
      { placeholderData: keepPreviousData },
    ),
  );
  const [filing, setFiling] = useState<Candidate | null>(null);
  const [advancing, setAdvancing] = useState<CaseRow | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [form] = Form.useForm<StepForm>();
  const canAct = (code: string) => holds(user.roles, ['district-admin', 'city-admin'], code);
  const done = useStepDone(trpc.cases.pathKey(), () => {
    setFiling(null);
    setAdvancing(null);
    form.resetFields();
  });
  const file = useMutation(trpc.cases.file.mutationOptions({ onSuccess: done }));
  const advance = useMutation(trpc.cases.advance.mutationOptions({ onSuccess: done }));
  const next = advancing ? NEXT[advancing.case.stage] : undefined;
  const stageLabel = (s: Stage) => t(`case.stage.${s}`);

  const submit = (v: StepForm) => {
    const on = v.on.format('YYYY-MM-DD');
    const documents = v.documents ?? [];
    const note = v.note ?? '';
    if (filing)
      file.mutate({
        findingId: filing.finding.id,
        caseNumber: v.caseNumber ?? '',
        filedOn: on,
        note,
        documents,
      });
    else if (advancing && next === 'investigated')
      advance.mutate({ caseId: advancing.case.id, step: 'investigated', on, note, documents });
    else if (advancing && next === 'decided')
      advance.mutate({
        caseId: advancing.case.id,
        step: 'decided',
        on,
        decisionNumber: v.decisionNumber ?? '',
        penaltyAmount: v.penaltyAmount ?? '',
        note,
        documents,
      });
    else if (advancing && next === 'closed')
      advance.mutate({
        caseId: advancing.case.id,
        step: 'closed',
        on,
        execution: v.execution ?? 'paid',
        note,
        documents,
      });
  };

  return (
    <>
      <PageTitle title={t('case.title')} sub={t('case.sub')} />
      <ErrorAlert error={list.error ?? candidates.error} />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card title={t('case.candidates')}>
          <RecordsTable<Candidate>
            query={candidates}
            page={candidatePage}
            rowKey={(r) => r.finding.id}
            size="small"
            data-testid="case-candidates"
            columns={[
              { title: t('cq.unit'), render: (_, r) => r.unitName },
              {
                title: t('cq.finding'),
                render: (_, r) => <Tag>{t(`cq.kind.${r.finding.kind}`)}</Tag>,
              },
              { title: t('cq.note'), render: (_, r) => r.finding.description },
              { title: t('cq.inspectedOn'), dataIndex: 'inspectedOn' },
              {
                title: t('cq.actions'),
                render: (_, r) =>
                  canAct(r.bureauCode) && (
                    <Button
                      size="small"
                      type="primary"
                      data-testid="case-file"
                      onClick={() => {
                        form.resetFields();
                        setFiling(r);
                      }}
                    >
                      {t('case.file')}
                    </Button>
                  ),
              },
            ]}
          />
        </Card>
        <Card title={t('case.list')}>
          <RecordsTable<CaseRow>
            query={list}
            page={listPage}
            rowKey={(r) => r.case.id}
            data-testid="case-table"
            scroll={{ x: 1000 }}
            columns={[
              {
                title: t('case.number'),
                render: (_, r) => (
                  <a onClick={() => setOpen(r.case.id)} data-testid="case-open">
                    {r.case.caseNumber}
                  </a>
                ),
              },
              { title: t('cq.unit'), render: (_, r) => r.unitName },
              {
                title: t('case.stage'),
                render: (_, r) => (
                  <Tag color={STAGE_COLOR[r.case.stage]} data-testid="case-stage">
                    {stageLabel(r.case.stage)}
                  </Tag>
                ),
              },
              { title: t('case.filedOn'), render: (_, r) => r.case.filedOn },
              { title: t('case.decisionNumber'), render: (_, r) => r.case.decisionNumber ?? '—' },
              { title: t('case.amount'), render: (_, r) => r.case.penaltyAmount ?? '—' },
              { title: t('case.legalBasis'), render: (_, r) => r.case.legalBasis ?? '—' },
              {
                title: t('cq.actions'),
                render: (_, r) =>
                  NEXT[r.case.stage] &&
                  canAct(r.case.bureauCode) && (
                    <Button
                      size="small"
                      data-testid="case-next"
                      onClick={() => {
                        form.resetFields();
                        setAdvancing(r);
                      }}
                    >
                      {t('case.nextStep', { step: t(`case.step.${NEXT[r.case.stage]!}`) })}
                    </Button>
                  ),
              },
            ]}
          />
        </Card>
      </Space>
      {(filing || advancing) && (
        <StepModal<StepForm>
          title={filing ? t('case.file') : t(`case.step.${next!}`)}
          testId="case"
          form={form}
          initialValues={{ on: dayjs(chinaToday()), execution: 'paid' }}
          onFinish={submit}
          onCancel={() => {
            setFiling(null);
            setAdvancing(null);
          }}
          pending={file.isPending || advance.isPending}
          error={file.error ?? advance.error}
          notice={
            next === 'decided' && (
              <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('case.legalBasisHint')} />
            )
          }
        >
          {filing && (
            <Form.Item name="caseNumber" label={t('case.number')} rules={[{ required: true }]}>
              <Input data-testid="case-number" />
            </Form.Item>
          )}
          <StepDateField />
          {next === 'decided' && (
            <>
              <Form.Item name="decisionNumber" label={t('case.decisionNumber')} rules={[{ required: true }]}>
                <Input data-testid="case-decision-number" />
              </Form.Item>
              <Form.Item name="penaltyAmount" label={t('case.amount')} rules={[{ required: true }]}>
                <Input data-testid="case-amount" inputMode="decimal" />
              </Form.Item>
            </>
          )}
          {next === 'closed' && (
            <Form.Item name="execution" label={t('case.execution')}>
              <Radio.Group>
                {(['paid', 'performed', 'court-enforced'] as const).map((e) => (
                  <Radio key={e} value={e}>
                    {t(`case.execution.${e}`)}
                  </Radio>
                ))}
              </Radio.Group>
            </Form.Item>
          )}
          <StepNoteField />
          <StepDocumentsField />
        </StepModal>
      )}
      {open && <CaseDrawer caseId={open} onClose={() => setOpen(null)} />}
    </>
  );
}

/** One case with its dated steps. */
function CaseDrawer({ caseId, onClose }: { caseId: string; onClose: () => void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const q = useQuery(trpc.cases.get.queryOptions({ caseId }));
  const c = q.data;
  return (
    <Drawer open width={560} title={c?.caseNumber} onClose={onClose}>
      <ErrorAlert error={q.error} />
      {c && (
        <>
          <Descriptions column={1} size="small" bordered data-testid="case-detail">
            <Descriptions.Item label={t('cq.unit')}>{c.unitName}</Descriptions.Item>
            <Descriptions.Item label={t('case.stage')}>{t(`case.stage.${c.stage}`)}</Descriptions.Item>
            <Descriptions.Item label={t('case.decisionNumber')}>{c.decisionNumber ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('case.amount')}>{c.penaltyAmount ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('case.legalBasis')}>{c.legalBasis ?? '—'}</Descriptions.Item>
          </Descriptions>
          <h4 style={{ marginTop: 16 }}>{t('cq.steps')}</h4>
          <Timeline
            items={c.steps.map((s) => ({
              children: (
                <div data-testid="case-step">
                  <b>{t(`case.step.${s.step}`)}</b> {s.on}
                  {s.note && <div>{s.note}</div>}
                  {s.documents.map((d) => (
                    <Tag key={d.sha256}>{d.name}</Tag>
                  ))}
                </div>
              ),
            }))}
          />
        </>
      )}
    </Drawer>
  );
}
