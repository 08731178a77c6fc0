import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, DatePicker, Form, Input, Modal, Radio, Space, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useI18n } from '../i18n';
import { evidenceOf } from '../lib/evidence';
import type { RouterInputs, RouterOutputs } from '../lib/types';
import { useTRPC } from '@spotcheck/ui/trpc';
import { ErrorAlert } from './common';
import { EvidenceList } from './Evidence';
import { chinaToday } from '@spotcheck/ui/format';

/** A finding of a result as `results.list` returns it. */
export type Finding = RouterOutputs['results']['list']['rows'][number]['findings'][number];
type Check = RouterOutputs['rectifications']['list'][number];
type CheckOutcome = RouterInputs['rectifications']['record']['outcome'];

/** Colours of the finding kinds. */
export const KIND_COLORS: Record<string, string> = {
  violation: 'orange',
  hazard: 'gold',
  'major-hazard': 'red',
};
const CHECK_COLORS: Record<CheckOutcome, string> = {
  rectified: 'green',
  inadequate: 'orange',
  concealed: 'red',
};

/**
 * Whether a follow-up check proposes the unit for the blacklist, as `rectifications.record`
 * documents it (R18): concealment of any finding, or inadequate rectification of a major hazard.
 */
export function checkBlacklists(kind: string, outcome: string): boolean {
  return outcome === 'concealed' || (kind === 'major-hazard' && outcome === 'inadequate');
}

/** The follow-up checks 整改复查 of a finding (`rectifications.list`), oldest first. */
export function useChecks(findingId: string) {
  const trpc = useTRPC();
  return useQuery(trpc.rectifications.list.queryOptions({ findingId }));
}

/** A finding's kind, with the listed-supervision 挂牌督办 tag on a major hazard until rectified (R17). */
function KindCell({ finding }: { finding: Finding }) {
  const { t } = useI18n();
  const checks = useChecks(finding.id);
  const rectified = (checks.data ?? []).some((c) => c.outcome === 'rectified');
  return (
    <Space size={4} wrap>
      <Tag color={KIND_COLORS[finding.kind]}>{t(`finding.${finding.kind}`)}</Tag>
      {finding.kind === 'major-hazard' &&
        checks.isSuccess &&
        (rectified ? (
          <Tag color="green" data-testid="supervision-ended">
            {t('supervision.ended')}
          </Tag>
        ) : (
          <Tag color="volcano" data-testid="listed-supervision">
            {t('supervision.listed')}
          </Tag>
        ))}
    </Space>
  );
}

/** The follow-up checks of a finding, their consequences, and the button to record one. */
function ChecksCell({
  finding,
  canCheck,
  onRecord,
}: {
  finding: Finding;
  canCheck: boolean;
  onRecord: (f: Finding) => void;
}) {
  const { t } = useI18n();
  const checks = useChecks(finding.id);
  const list: Check[] = checks.data ?? [];
  const rectified = list.some((c) => c.outcome === 'rectified');
  return (
    <Space direction="vertical" size={2} data-testid="finding-checks">
      {checks.isSuccess && list.length === 0 && <span style={{ color: '#999' }}>{t('rect.none')}</span>}
      {list.map((c) => (
        <div key={c.id}>
          {c.checkedOn} <Tag color={CHECK_COLORS[c.outcome]}>{t(`rect.outcome.${c.outcome}`)}</Tag>
          {checkBlacklists(finding.kind, c.outcome) && (
            <Tag color="black" data-testid="check-consequence">
              {t('rect.consequence')}
            </Tag>
          )}
          {c.note && <div style={{ color: '#666', fontSize: 12 }}>{c.note}</div>}
        </div>
      ))}
      {canCheck && !rectified && (
        <Button size="small" data-testid="rect-record" onClick={() => onRecord(finding)}>
          {t('rect.record')}
        </Button>
      )}
    </Space>
  );
}

interface CheckForm {
  outcome: CheckOutcome;
  checkedOn: Dayjs;
  note?: string;
}

/** Records a follow-up check of a finding (`rectifications.record`) and reports its consequence. */
function RectificationModal({
  finding,
  inspectedOn,
  onClose,
  onBlacklisted,
}: {
  finding: Finding;
  inspectedOn: string;
  onClose: () => void;
  onBlacklisted?: (proposalId: string) => void;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<CheckForm>();
  const record = useMutation(
    trpc.rectifications.record.mutationOptions({
      onSuccess: async (r) => {
        message.success(t('rect.recorded'));
        if (r.supervisionEnded) message.info(t('rect.supervisionEnded'));
        if (r.blacklistProposalId) {
          message.warning(t('rect.blacklisted'));
          onBlacklisted?.(r.blacklistProposalId);
        }
        onClose();
        await qc.invalidateQueries({ queryKey: trpc.rectifications.pathKey() });
      },
    }),
  );
  return (
    <Modal
      open
      title={t('rect.recordFor', { desc: finding.description.slice(0, 30) })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      okButtonProps={{ 'data-testid': 'rect-submit' }}
      confirmLoading={record.isPending}
      destroyOnHidden
    >
      <ErrorAlert error={record.error} />
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('rect.consequenceHint')} />
      <Form<CheckForm>
        form={form}
        layout="vertical"
        initialValues={{ outcome: 'rectified', checkedOn: dayjs(chinaToday()) }}
        onFinish={(v) =>
          record.mutate({
            findingId: finding.id,
            outcome: v.outcome,
            checkedOn: v.checkedOn.format('YYYY-MM-DD'),
            note: v.note ?? '',
          })
        }
      >
        <Form.Item name="outcome" label={t('rect.outcome')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" buttonStyle="solid" data-testid="rect-outcome">
            {(['rectified', 'inadequate', 'concealed'] as const).map((o) => (
              <Radio key={o} value={o}>
                {t(`rect.outcome.${o}`)}
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="checkedOn" label={t('rect.checkedOn')} rules={[{ required: true }]}>
          <DatePicker
            allowClear={false}
            disabledDate={(d) => d.isAfter(chinaToday(), 'day') || d.isBefore(dayjs(inspectedOn), 'day')}
          />
        </Form.Item>
        <Form.Item name="note" label={t('rect.note')}>
          <Input.TextArea rows={3} data-testid="rect-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * The findings of one result: kind (with 挂牌督办 on open major hazards), description,
 * enforcement record number, deadline, evidence files with download links, and the
 * rectification checks (with a button to record one when `canCheck`).
 */
export function FindingsTable({
  resultId,
  inspectedOn,
  findings,
  canCheck,
  onBlacklisted,
  itemTitles,
}: {
  resultId: string;
  inspectedOn: string;
  findings: Finding[];
  canCheck: boolean;
  onBlacklisted?: (proposalId: string) => void;
  /** Checklist item titles by code, shown beside the code. */
  itemTitles?: ReadonlyMap<string, string>;
}) {
  const { t } = useI18n();
  const [checking, setChecking] = useState<Finding | null>(null);
  return (
    <>
      <Table<Finding>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={findings}
        data-testid="findings-table"
        locale={{ emptyText: t('common.none') }}
        scroll={{ x: 1000 }}
        columns={[
          {
            title: t('result.finding.item'),
            dataIndex: 'checklistItemCode',
            width: itemTitles ? 200 : 110,
            render: (code: string | null) =>
              code ? (itemTitles?.get(code) ? `${code} ${itemTitles.get(code)}` : code) : '—',
          },
          {
            title: t('result.finding.kind'),
            key: 'kind',
            width: 150,
            render: (_: unknown, f) => <KindCell finding={f} />,
          },
          { title: t('result.finding.description'), dataIndex: 'description' },
          { title: t('result.finding.enforcement'), dataIndex: 'enforcementAction', width: 150 },
          { title: t('result.finding.due'), dataIndex: 'rectificationDue', width: 110 },
          {
            title: t('result.evidence'),
            key: 'evidence',
            render: (_: unknown, f) => <EvidenceList resultId={resultId} files={evidenceOf(f)} />,
          },
          {
            title: t('rect.title'),
            key: 'checks',
            width: 230,
            render: (_: unknown, f) => <ChecksCell finding={f} canCheck={canCheck} onRecord={setChecking} />,
          },
        ]}
      />
      {checking && (
        // Mounted per opening: a fresh form whose initial values are there before the first click.
        <RectificationModal
          key={checking.id}
          finding={checking}
          inspectedOn={inspectedOn}
          onClose={() => setChecking(null)}
          onBlacklisted={onBlacklisted}
        />
      )}
    </>
  );
}
