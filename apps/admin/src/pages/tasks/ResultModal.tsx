import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
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
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { EvidenceInput } from '../../components/Evidence';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import { evidenceOf, type Evidence } from '../../lib/evidence';
import type { RouterInputs, RouterOutputs } from '../../lib/types';
import { useTRPC } from '@spotcheck/ui/trpc';
import { chinaToday } from '@spotcheck/ui/format';

type RecordInput = RouterInputs['results']['record'];
/** A result row of `results.list` (the one a correction supersedes). */
export type ResultRow = RouterOutputs['results']['list']['rows'][number];

interface FindingForm {
  checklistItemCode?: string;
  kind: 'violation' | 'hazard' | 'major-hazard';
  description: string;
  enforcementAction?: string;
  rectificationDue?: Dayjs;
  evidence?: Evidence[];
}
interface ResultForm {
  outcome: RecordInput['outcome'];
  inspectedOn: Dayjs;
  summary?: string;
  findings: FindingForm[];
  correctionReason?: string;
  /** R16: fields withheld from the public, with the reason category. */
  redactions?: { field: (typeof REDACTABLE)[number]; reason: RedactionReason; note?: string }[];
}

type RedactionReason = 'state-secret' | 'commercial-secret' | 'personal-privacy' | 'other';
const REDACTABLE = ['unit', 'team', 'summary', 'findings'] as const;
const REASONS: RedactionReason[] = ['state-secret', 'commercial-secret', 'personal-privacy', 'other'];

/** The task a result is recorded for. */
export interface ResultTarget {
  taskId: string;
  unitName: string;
  checklistItemCodes: readonly string[];
  /** Code and title of each item, to show "TJ-GEN-005 安全生产责任制" in the picker. */
  checklistItems?: readonly { code: string; item: string }[];
}

/**
 * Records a result of a task with its findings (checklist item, kind, description, enforcement
 * record number, rectification deadline, evidence files). With `supersedes` it records a
 * correction: a new result, prefilled from the old one, naming it and giving a reason (R21:
 * results are never edited).
 */
export function ResultModal({
  target,
  supersedes,
  onClose,
}: {
  target: ResultTarget | null;
  supersedes?: ResultRow | null;
  onClose: () => void;
}) {
  // Mounted per opening: a fresh form whose initial values are there before the first click.
  return target ? (
    <OpenResultModal
      key={`${target.taskId}:${supersedes?.result.id ?? 'new'}`}
      target={target}
      supersedes={supersedes ?? null}
      onClose={onClose}
    />
  ) : null;
}

function OpenResultModal({
  target,
  supersedes,
  onClose,
}: {
  target: ResultTarget;
  supersedes: ResultRow | null;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ResultForm>();
  const correcting = !!supersedes;
  const record = useMutation(
    trpc.results.record.mutationOptions({
      onSuccess: () => {
        message.success(t(correcting ? 'result.corrected' : 'result.recorded'));
        onClose();
        // Not awaited: the mutation would stay pending until every list refetched (see useSaved).
        void qc.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
        void qc.invalidateQueries({ queryKey: trpc.results.pathKey() });
        void qc.invalidateQueries({ queryKey: trpc.rectifications.pathKey() });
      },
    }),
  );
  const initialValues: Partial<ResultForm> = supersedes
    ? {
        outcome: supersedes.result.outcome,
        inspectedOn: dayjs(supersedes.result.inspectedOn),
        summary: supersedes.result.summary,
        findings: supersedes.findings.map((f) => ({
          checklistItemCode: f.checklistItemCode ?? undefined,
          kind: f.kind,
          description: f.description,
          enforcementAction: f.enforcementAction ?? undefined,
          rectificationDue: f.rectificationDue ? dayjs(f.rectificationDue) : undefined,
          evidence: evidenceOf(f),
        })),
        redactions: (supersedes.result.redactions as ResultForm['redactions']) ?? [],
      }
    : { outcome: 'compliant', inspectedOn: dayjs(chinaToday()), findings: [], redactions: [] };

  const onFinish = (v: ResultForm) =>
    record.mutate({
      taskId: target.taskId,
      outcome: v.outcome,
      inspectedOn: v.inspectedOn.format('YYYY-MM-DD'),
      summary: v.summary ?? '',
      findings: (v.findings ?? []).map((f) => ({
        checklistItemCode: f.checklistItemCode ?? '',
        kind: f.kind,
        description: f.description,
        enforcementAction: f.enforcementAction || null,
        rectificationDue: f.rectificationDue ? f.rectificationDue.format('YYYY-MM-DD') : null,
        evidence: f.evidence ?? [],
      })),
      redactions: (v.redactions ?? []).map((r) => ({
        field: r.field,
        reason: r.reason,
        note: r.note || null,
      })),
      ...(supersedes
        ? { supersedesId: supersedes.result.id, correctionReason: v.correctionReason ?? '' }
        : {}),
    });

  return (
    <Modal
      open
      width={860}
      title={`${t(correcting ? 'result.correct.title' : 'task.record')} · ${target.unitName}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      okButtonProps={{ 'data-testid': 'result-submit' }}
      confirmLoading={record.isPending}
      destroyOnHidden
    >
      <ErrorAlert error={record.error} />
      {correcting && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('result.correct.hint')} />
      )}
      <Form<ResultForm> form={form} layout="vertical" initialValues={initialValues} onFinish={onFinish}>
        {correcting && (
          <Form.Item
            name="correctionReason"
            label={t('result.correct.reason')}
            rules={[{ required: true, whitespace: true, min: 4 }]}
          >
            <Input.TextArea rows={2} data-testid="correction-reason" />
          </Form.Item>
        )}
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
            <DatePicker
              data-testid="result-date"
              disabledDate={(d) => d.isAfter(chinaToday(), 'day')}
              allowClear={false}
            />
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
                  data-testid="finding-card"
                  extra={<MinusCircleOutlined onClick={() => remove(f.name)} />}
                  title={`${t('result.findings')} ${f.name + 1}`}
                >
                  <Space wrap align="start">
                    <Form.Item
                      name={[f.name, 'checklistItemCode']}
                      label={t('result.finding.item')}
                      rules={[{ required: true, message: t('result.finding.itemRequired') }]}
                    >
                      <Select
                        style={{ width: 320 }}
                        showSearch={{ optionFilterProp: 'label' }}
                        options={target.checklistItemCodes.map((c) => {
                          const title = target.checklistItems?.find((i) => i.code === c)?.item;
                          return { value: c, label: title ? `${c} ${title}` : c };
                        })}
                        data-testid="finding-item"
                      />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'kind']}
                      label={t('result.finding.kind')}
                      rules={[{ required: true }]}
                      initialValue="hazard"
                    >
                      <Radio.Group optionType="button" buttonStyle="solid" data-testid="finding-kind">
                        {(['violation', 'hazard', 'major-hazard'] as const).map((k) => (
                          <Radio key={k} value={k}>
                            {t(`finding.${k}`)}
                          </Radio>
                        ))}
                      </Radio.Group>
                    </Form.Item>
                    <Form.Item name={[f.name, 'rectificationDue']} label={t('result.finding.due')}>
                      <DatePicker data-testid="finding-due" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'enforcementAction']} label={t('result.finding.enforcement')}>
                      <Input style={{ width: 220 }} data-testid="finding-enforcement" />
                    </Form.Item>
                  </Space>
                  <Form.Item
                    name={[f.name, 'description']}
                    label={t('result.finding.description')}
                    rules={[{ required: true, min: 2 }]}
                  >
                    <Input.TextArea rows={2} data-testid="finding-description" />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'evidence']}
                    label={t('result.evidence')}
                    extra={t('evidence.hint')}
                    initialValue={[]}
                  >
                    <EvidenceInput testId="finding-evidence" />
                  </Form.Item>
                </Card>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ kind: 'hazard', evidence: [] })}
                data-testid="finding-add"
              >
                {t('result.finding.add')}
              </Button>
            </>
          )}
        </Form.List>
        <Card size="small" title={t('redact.title')} style={{ marginTop: 12 }} data-testid="redactions">
          <Alert type="info" showIcon message={t('redact.hint')} style={{ marginBottom: 8 }} />
          <Form.List name="redactions">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline" wrap>
                    <Form.Item
                      name={[f.name, 'field']}
                      label={t('redact.field')}
                      rules={[{ required: true }]}
                    >
                      <Select
                        style={{ width: 150 }}
                        options={REDACTABLE.map((x) => ({ value: x, label: t(`redact.field.${x}`) }))}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'reason']}
                      label={t('redact.reason')}
                      rules={[{ required: true }]}
                    >
                      <Select
                        style={{ width: 130 }}
                        options={REASONS.map((x) => ({ value: x, label: t(`redact.reason.${x}`) }))}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'note']} label={t('redact.note')}>
                      <Input maxLength={500} style={{ width: 200 }} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ reason: 'personal-privacy' })}
                  data-testid="redaction-add"
                >
                  {t('redact.add')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>
      </Form>
    </Modal>
  );
}
