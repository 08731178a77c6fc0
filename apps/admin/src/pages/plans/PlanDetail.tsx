import { PrinterOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Steps,
  Tag,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Commitment, CommitmentV2, SignOff } from '@spotcheck/core';
import { ErrorAlert, PageTitle, StatusTag } from '../../components/common';
import { CITY_BUREAU_CODE } from '@spotcheck/core';
import { useI18n } from '../../i18n';
import { holds } from '../../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { sourceLabel } from '../../lib/sources';
import { AttemptsCard, CommitmentCard, DrawResultCard } from './DrawCards';
import { NextAttemptSources } from './NextAttemptSources';
import { newOperationId, OperationProgress } from './OperationProgress';
import { ReplacementsCard } from './Replacements';
import { VerifyReport } from './VerifyReport';
import { browserKeys, signDrawOff, signVoidEnvelope, wholeSeconds } from '../../lib/signing-key';
import { useSession } from '../../session';

const FLOW = [
  'draft',
  'submitted',
  'approved',
  'randomness-entered',
  'drawn',
  'signed',
  'tasks-issued',
] as const;

/** Parses lottery groups typed one per line, numbers separated by spaces, commas or 、. */
export function parseGroups(text: string): number[][] | null {
  const lines = text
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean);
  const groups = lines.map(parseNumbers);
  return groups.length && groups.every((g) => g) ? (groups as number[][]) : null;
}

/** Parses lottery numbers or dice typed with spaces, commas or 、. */
export function parseNumbers(text: string): number[] | null {
  const parts = text.split(/[\s,，、]+/).filter(Boolean);
  if (!parts.length || parts.some((p) => !/^\d+$/.test(p))) return null;
  return parts.map(Number);
}

/** The draw room of one plan: approval, commitment, randomness, draw, sign-off, tasks, void. */
export default function PlanDetailPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const user = useSession();
  const bureaus = useBureaus();
  const { message } = AntApp.useApp();
  const plan = useQuery(trpc.plans.get.queryOptions({ planId: id }));
  const p = plan.data;
  const live = p?.attempts.filter((a) => a.status !== 'voided').at(-1);
  const draw = useQuery({ ...trpc.draws.get.queryOptions({ drawId: live?.id ?? '' }), enabled: !!live });
  const d = draw.data;
  const commitment = d?.commitment as Commitment | undefined;
  const v2 = (d?.commitment as { algorithm?: string } | undefined)?.algorithm === 'sr-draw/v2';
  const c2 = v2 ? (d!.commitment as CommitmentV2) : undefined;
  const signOff = (d as { signOff?: SignOff | null } | undefined)?.signOff ?? null;
  const summary = d?.summary ?? null;
  const randomness = d?.randomness as { values: unknown[]; string: string } | null | undefined;

  /** The verification asked for last (its operation id): a city draw's check takes tens of seconds. */
  const [verifying, setVerifying] = useState<string | null>(null);
  const refresh = async () => {
    // A change to the draw puts away the last verification's report rather than check it again.
    setVerifying(null);
    await qc.invalidateQueries({ queryKey: trpc.plans.pathKey() });
    await qc.invalidateQueries({ queryKey: trpc.draws.pathKey() });
  };
  const opts = { onSuccess: refresh };
  const submit = useMutation(trpc.plans.submit.mutationOptions(opts));
  const approve = useMutation(trpc.plans.approve.mutationOptions(opts));
  const giveBack = useMutation(trpc.plans.returnToDraft.mutationOptions(opts));
  const enter = useMutation(trpc.draws.enterRandomness.mutationOptions(opts));
  const run = useMutation(trpc.draws.run.mutationOptions(opts));
  const sign = useMutation(trpc.draws.sign.mutationOptions(opts));
  const issue = useMutation(
    trpc.draws.issueTasks.mutationOptions({
      onSuccess: async (r) => (message.success(t('draw.tasksIssued', { n: r.tasks })), refresh()),
    }),
  );
  const requestVoid = useMutation(trpc.draws.requestVoid.mutationOptions(opts));
  const signVoid = useMutation(trpc.draws.signVoid.mutationOptions(opts));
  const voidReasons = useQuery(trpc.draws.voidReasons.queryOptions());
  const registry = useQuery({
    ...trpc.keys.list.queryOptions({ bureauCode: plan.data?.bureauCode ?? CITY_BUREAU_CODE }),
    enabled: !!plan.data,
  });
  const [signing, setSigning] = useState<string | null>(null);
  /** The approval or draw running now, whose progress is shown. */
  const [operation, setOperation] = useState<string | null>(null);
  const [reasonId, setReasonId] = useState<string | undefined>(undefined);
  /** The caller's registered, active key held in this browser (null: none here). */
  const myKey = async (bureau: string) => {
    const active = new Set(
      (registry.data ?? []).filter((k) => k.userId === user.id && k.status === 'active').map((k) => k.keyId),
    );
    return (await browserKeys(user.id, bureau)).find((k) => active.has(k.keyId)) ?? null;
  };
  /** The server's clock, so a signature's time matches the server's checks. */
  const serverNow = async () => new Date((await qc.fetchQuery(trpc.health.queryOptions())).time);
  const rejectVoid = useMutation(trpc.draws.rejectVoid.mutationOptions(opts));
  const verify = useQuery({
    ...trpc.draws.verify.queryOptions({ drawId: live?.id ?? '', operationId: verifying ?? undefined }),
    enabled: verifying !== null && !!live,
    // Checked once a click: never again on its own (on focus, on remount).
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const [reasonFor, setReasonFor] = useState<'return' | 'void' | 'reject' | null>(null);
  const [reason, setReason] = useState('');
  const [randomForm] = Form.useForm<{ values: string[] }>();

  if (!p) return <Card loading={plan.isPending}>{plan.error && <ErrorAlert error={plan.error} />}</Card>;
  const bureau = p.bureauCode;
  const is = (roles: Parameters<typeof holds>[1]) => holds(user.roles, roles, bureau);
  const planner = is(['city-admin', 'district-admin', 'draw-operator']);
  const operator = is(['draw-operator']);
  const approver = is(['approver']);
  const error =
    submit.error ??
    approve.error ??
    giveBack.error ??
    enter.error ??
    run.error ??
    sign.error ??
    issue.error ??
    requestVoid.error ??
    signVoid.error ??
    rejectVoid.error ??
    draw.error ??
    verify.error;
  const voidedCount = p.attempts.filter((a) => a.status === 'voided').length;
  const stepIndex = p.status === 'voided' ? 0 : FLOW.indexOf(p.status);

  const submitReason = () => {
    if (!reasonFor) return;
    const done = { onSuccess: () => (setReasonFor(null), setReason('')) };
    if (reasonFor === 'return') giveBack.mutate({ planId: p.id, reason }, done);
    if (reasonFor === 'void' && live && reasonId)
      requestVoid.mutate(
        { drawId: live.id, reasonId: reasonId as 'emergency', reason },
        { onSuccess: () => (setReasonFor(null), setReason(''), setReasonId(undefined)) },
      );
    if (reasonFor === 'reject' && live) rejectVoid.mutate({ drawId: live.id, reason }, done);
  };

  return (
    <>
      <PageTitle
        title={p.title}
        sub={`${bureaus.name(bureau)} · ${p.period} · ${t(`kind.${p.kind}`)}`}
        extra={
          <Space>
            <StatusTag status={p.status} label={t(`plan.status.${p.status}`)} />
            {!['draft', 'submitted', 'approved'].includes(p.status) && (
              <Link to={`/plans/${p.id}/notices`} data-testid="plan-notices">
                <Button icon={<PrinterOutlined />}>{t('notice.printAll')}</Button>
              </Link>
            )}
          </Space>
        }
      />
      <Card className="no-print" style={{ marginBottom: 16 }}>
        <Steps size="small" current={stepIndex} items={FLOW.map((s) => ({ title: t(`plan.status.${s}`) }))} />
      </Card>
      <ErrorAlert error={error} />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card
          className="no-print"
          title={t('draw.room')}
          extra={
            <Space wrap>
              {p.status === 'draft' && planner && (
                <Button
                  type="primary"
                  loading={submit.isPending}
                  onClick={() => submit.mutate({ planId: p.id })}
                  data-testid="plan-submit-detail"
                >
                  {t('plan.submit')}
                </Button>
              )}
              {p.status === 'submitted' && approver && (
                <>
                  <Button
                    type="primary"
                    loading={approve.isPending}
                    onClick={() => {
                      const operationId = newOperationId();
                      setOperation(operationId);
                      approve.mutate({ planId: p.id, operationId }, { onSettled: () => setOperation(null) });
                    }}
                    data-testid="plan-approve"
                  >
                    {t('plan.approve')}
                  </Button>
                  <Button onClick={() => setReasonFor('return')}>{t('plan.return')}</Button>
                </>
              )}
              {p.status === 'randomness-entered' && operator && live && (
                <Button
                  type="primary"
                  loading={run.isPending}
                  onClick={() => {
                    const operationId = newOperationId();
                    setOperation(operationId);
                    run.mutate({ drawId: live.id, operationId }, { onSettled: () => setOperation(null) });
                  }}
                  data-testid="draw-run"
                >
                  {t('draw.run')}
                </Button>
              )}
              {p.status === 'drawn' && approver && live && (
                <Button
                  type="primary"
                  loading={sign.isPending || signing === 'sign'}
                  // The result and the key registry load apart from the plan: a click before they
                  // are here would do nothing.
                  disabled={!d?.resultDigest || !registry.data}
                  onClick={async () => {
                    if (!d?.resultDigest) return;
                    setSigning('sign');
                    try {
                      const key = await myKey(bureau);
                      if (!key) return void message.error(t('v2.sign.noKey'));
                      const signOff = await signDrawOff(
                        key,
                        { id: user.id, name: user.displayName },
                        wholeSeconds(await serverNow()),
                        d.commitmentDigest,
                        d.resultDigest,
                      );
                      sign.mutate({ drawId: live.id, signOff });
                    } finally {
                      setSigning(null);
                    }
                  }}
                  data-testid="draw-sign"
                >
                  {t('draw.sign')}
                </Button>
              )}
              {p.status === 'signed' && operator && live && (
                <Button
                  type="primary"
                  loading={issue.isPending}
                  onClick={() => issue.mutate({ drawId: live.id })}
                  data-testid="draw-issue"
                >
                  {t('draw.issueTasks')}
                </Button>
              )}
              {live &&
                live.status !== 'void-requested' &&
                is(['draw-operator', 'approver', 'district-admin', 'city-admin']) && (
                  <Button danger onClick={() => setReasonFor('void')} data-testid="draw-void">
                    {t('draw.void')}
                  </Button>
                )}
              {live?.status === 'void-requested' &&
                // Only once the draw and the key registry are loaded: a click before would do nothing.
                d &&
                d.voidRequestedBy !== user.id &&
                is(['approver', 'district-admin', 'city-admin']) && (
                  <>
                    <Button
                      danger
                      type="primary"
                      loading={signVoid.isPending || signing === 'void'}
                      disabled={!registry.data}
                      onClick={async () => {
                        if (!d?.voidReasonId || !d.voidRequestedBy) return;
                        setSigning('void');
                        try {
                          const key = await myKey(bureau);
                          if (!key) return void message.error(t('v2.sign.noKey'));
                          const env = await signVoidEnvelope(
                            key,
                            { id: user.id, name: user.displayName },
                            wholeSeconds(await serverNow()),
                            {
                              commitmentDigest: d.commitmentDigest,
                              reason: d.voidReasonId,
                              requestedBy: d.voidRequestedBy,
                            },
                          );
                          signVoid.mutate({ drawId: live.id, void: env });
                        } finally {
                          setSigning(null);
                        }
                      }}
                      data-testid="draw-approve-void"
                    >
                      {t('v2.void.sign')}
                    </Button>
                    <Button onClick={() => setReasonFor('reject')}>{t('draw.rejectVoid')}</Button>
                  </>
                )}
              {live?.id && summary && (
                <Button
                  loading={verify.isFetching}
                  onClick={() => setVerifying(newOperationId())}
                  data-testid="draw-verify"
                >
                  {t('draw.verify')}
                </Button>
              )}
              {live?.id && summary && (!v2 || signOff) && (
                // For `spotcheck verify`: the server writes it from the database (a city's is ~10^8 bytes).
                <Button href={`/draws/${live.id}/bundle.json`} data-testid="draw-download-bundle">
                  {t('draw.downloadBundle')}
                </Button>
              )}
            </Space>
          }
        >
          <OperationProgress operationId={operation ?? (verify.isFetching ? verifying : null)} />
          {verify.data && <VerifyReport report={verify.data} />}
          {live?.status === 'void-requested' && (
            <Alert
              type="warning"
              showIcon
              title={t('draw.voidRequested')}
              description={
                <>
                  <div>
                    {d?.voidReasonId && (
                      <Tag>
                        {voidReasons.data?.[d.voidReasonId as keyof typeof voidReasons.data]?.[
                          lang === 'zh' ? 0 : 1
                        ] ?? d.voidReasonId}
                      </Tag>
                    )}
                    {d?.voidReason}
                  </div>
                  {d?.voidAfterRandomness && <div>{t('v2.void.afterRandomness')}</div>}
                  <div>{t('v2.void.newSources')}</div>
                  {d?.voidRequestedBy === user.id && <div>{t('draw.voidOtherApprover')}</div>}
                </>
              }
              style={{ marginBottom: 16 }}
              data-testid="draw-void-requested"
            />
          )}
          {!live && voidedCount > 0 && (
            <Alert
              type="info"
              showIcon
              title={t('draw.voidedNeedsCommitment', { n: voidedCount, next: voidedCount + 1 })}
              style={{ marginBottom: 16 }}
              data-testid="draw-needs-commitment"
            />
          )}
          <Descriptions size="small" bordered column={{ xs: 1, lg: 2 }}>
            <Descriptions.Item label={t('plan.period')}>{p.period}</Descriptions.Item>
            <Descriptions.Item label={t('plan.kind')}>{t(`kind.${p.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('plan.sources')}>
              {p.sources.map((s) => sourceLabel(s, t('v2.demoBeacon'))).join('；')}
            </Descriptions.Item>
            <Descriptions.Item label={t('plan.team')}>
              {(() => {
                const team = p.team as { size?: number; unitsOnlyReason?: string };
                return team.unitsOnlyReason
                  ? `${t('plan.team.unitsOnlyReason')}：${team.unitsOnlyReason}`
                  : `${t('plan.team.size')} ${team.size ?? 2}`;
              })()}
            </Descriptions.Item>
          </Descriptions>
        </Card>

        {p.status === 'draft' && planner && !live && voidedCount > 0 && (
          <NextAttemptSources
            planId={p.id}
            attempt={p.attempts.length + 1}
            previous={p.attempts.at(-1)?.sources ?? []}
            current={p.sources}
          />
        )}

        {p.status === 'approved' && operator && c2 && live && (
          <Card className="no-print" title={t('v2.randomness.title')} data-testid="randomness-v2">
            <Form
              form={randomForm}
              layout="vertical"
              onFinish={(v: { values: string[] }) => {
                const values = c2.sources.map((s, i) => {
                  const text = (v.values?.[i] ?? '').trim();
                  if (s.kind === 'drand') return text ? text.toLowerCase() : null;
                  return parseGroups(text) ?? [];
                });
                enter.mutate({ drawId: live.id, values });
              }}
            >
              {c2.sources.map((s, i) => (
                <Form.Item
                  key={i}
                  name={['values', i]}
                  label={
                    <Space>
                      {sourceLabel(s, t('v2.demoBeacon'))}
                      {s.kind === 'drand' && s.info && <Tag color="orange">{t('v2.demoBeacon')}</Tag>}
                    </Space>
                  }
                  extra={s.kind === 'drand' ? t('v2.randomness.signature') : t('v2.randomness.groups')}
                  rules={s.kind === 'lottery' ? [{ required: true }] : []}
                >
                  {s.kind === 'drand' ? (
                    <Input data-testid={`randomness-${i}`} />
                  ) : (
                    <Input.TextArea rows={2} data-testid={`randomness-${i}`} />
                  )}
                </Form.Item>
              ))}
              <Button
                type="primary"
                htmlType="submit"
                loading={enter.isPending}
                data-testid="randomness-submit"
              >
                {t('v2.randomness.fetch')}
              </Button>
            </Form>
          </Card>
        )}

        {commitment && d && <CommitmentCard draw={d} />}

        {live && summary && <DrawResultCard key={live.id} drawId={live.id} summary={summary} />}

        {v2 && live && signOff && summary && (
          <ReplacementsCard
            drawId={live.id}
            canReplace={is(['draw-operator', 'district-admin', 'city-admin'])}
          />
        )}

        <AttemptsCard attempts={p.attempts} />
      </Space>
      <Modal
        open={!!reasonFor}
        title={
          reasonFor === 'void'
            ? t('draw.void')
            : reasonFor === 'reject'
              ? t('draw.rejectVoid')
              : t('plan.return')
        }
        onCancel={() => setReasonFor(null)}
        onOk={submitReason}
        okButtonProps={{
          disabled:
            reason.trim().length < (reasonFor === 'void' ? 10 : 2) || (reasonFor === 'void' && !reasonId),
          danger: reasonFor === 'void',
        }}
        confirmLoading={giveBack.isPending || requestVoid.isPending || rejectVoid.isPending}
      >
        {reasonFor === 'void' && (
          <Select
            style={{ width: '100%', marginBottom: 8 }}
            placeholder={t('v2.void.reasonId')}
            value={reasonId}
            onChange={setReasonId}
            data-testid="void-reason-id"
            options={Object.entries(voidReasons.data ?? {}).map(([id, text]) => ({
              value: id,
              label: text[lang === 'zh' ? 0 : 1],
              // §9.8: "a source is late" only while its value does not exist yet.
              disabled: id === 'source-late' && !!randomness,
            }))}
          />
        )}
        <Input.TextArea
          rows={3}
          data-testid="reason-input"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={
            reasonFor === 'void'
              ? t('draw.voidReason')
              : reasonFor === 'reject'
                ? t('draw.rejectReason')
                : t('plan.returnReason')
          }
        />
      </Modal>
    </>
  );
}
