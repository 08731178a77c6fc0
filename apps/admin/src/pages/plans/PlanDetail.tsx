import { PrinterOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Space,
  Steps,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Commitment, DrawResult, SelectedUnit, StratumOutcome } from '@spotcheck/core';
import { ErrorAlert, PageTitle, StatusTag } from '../../components/common';
import { useI18n, type TKey } from '../../i18n';
import { holds } from '../../lib/access';
import { useBureaus } from '../../lib/bureaus';
import { fmtTime } from '../../lib/format';
import { useSession } from '../../session';
import { useTRPC } from '../../trpc';

const FLOW = [
  'draft',
  'submitted',
  'approved',
  'randomness-entered',
  'drawn',
  'signed',
  'tasks-issued',
] as const;

/** Parses lottery numbers or dice typed with spaces, commas or 、. */
export function parseNumbers(text: string): number[] | null {
  const parts = text.split(/[\s,，、]+/).filter(Boolean);
  if (!parts.length || parts.some((p) => !/^\d+$/.test(p))) return null;
  return parts.map(Number);
}

/** The draw room of one plan: approval, commitment, randomness, draw, sign-off, tasks, void. */
export default function PlanDetailPage() {
  const { id = '' } = useParams();
  const { t, tx } = useI18n();
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
  const result = d?.result as DrawResult | null | undefined;
  const randomness = d?.randomness as { values: unknown[]; string: string } | null | undefined;

  const refresh = async () => {
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
  const approveVoid = useMutation(trpc.draws.approveVoid.mutationOptions(opts));
  const rejectVoid = useMutation(trpc.draws.rejectVoid.mutationOptions(opts));
  const verify = useQuery({ ...trpc.draws.verify.queryOptions({ drawId: live?.id ?? '' }), enabled: false });
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
    approveVoid.error ??
    rejectVoid.error ??
    draw.error ??
    verify.error;
  const voidedCount = p.attempts.filter((a) => a.status === 'voided').length;
  const stepIndex = p.status === 'voided' ? 0 : FLOW.indexOf(p.status as (typeof FLOW)[number]);

  const submitReason = () => {
    if (!reasonFor) return;
    const done = { onSuccess: () => (setReasonFor(null), setReason('')) };
    if (reasonFor === 'return') giveBack.mutate({ planId: p.id, reason }, done);
    if (reasonFor === 'void' && live) requestVoid.mutate({ drawId: live.id, reason }, done);
    if (reasonFor === 'reject' && live) rejectVoid.mutate({ drawId: live.id, reason }, done);
  };

  return (
    <>
      <PageTitle
        title={p.title}
        sub={`${bureaus.name(bureau)} · ${p.period} · ${t(`kind.${p.kind}` as TKey)}`}
        extra={<StatusTag prefix="plan.status" status={p.status} />}
      />
      <Card className="no-print" style={{ marginBottom: 16 }}>
        <Steps
          size="small"
          current={stepIndex}
          items={FLOW.map((s) => ({ title: t(`plan.status.${s}` as TKey) }))}
        />
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
                    onClick={() => approve.mutate({ planId: p.id })}
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
                  onClick={() => run.mutate({ drawId: live.id })}
                  data-testid="draw-run"
                >
                  {t('draw.run')}
                </Button>
              )}
              {p.status === 'drawn' && approver && live && (
                <Button
                  type="primary"
                  loading={sign.isPending}
                  onClick={() => sign.mutate({ drawId: live.id })}
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
                d?.voidRequestedBy !== user.id &&
                is(['approver', 'district-admin', 'city-admin']) && (
                  <>
                    <Button
                      danger
                      type="primary"
                      loading={approveVoid.isPending}
                      onClick={() => approveVoid.mutate({ drawId: live.id })}
                      data-testid="draw-approve-void"
                    >
                      {t('draw.approveVoid')}
                    </Button>
                    <Button onClick={() => setReasonFor('reject')}>{t('draw.rejectVoid')}</Button>
                  </>
                )}
              {live?.id && result && (
                <Button
                  loading={verify.isFetching}
                  onClick={() => void verify.refetch()}
                  data-testid="draw-verify"
                >
                  {t('draw.verify')}
                </Button>
              )}
            </Space>
          }
        >
          {verify.data && (
            <Alert
              style={{ marginBottom: 16 }}
              showIcon
              type={verify.data.bundle.ok && verify.data.signature.ok ? 'success' : 'warning'}
              title={
                verify.data.bundle.ok && verify.data.signature.ok
                  ? t('draw.verifyOk')
                  : [verify.data.bundle.reason, verify.data.signature.reason].filter(Boolean).join('；')
              }
              data-testid="draw-verify-result"
            />
          )}
          {live?.status === 'void-requested' && (
            <Alert
              type="warning"
              showIcon
              title={t('draw.voidRequested')}
              description={
                <>
                  <div>{d?.voidReason}</div>
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
            <Descriptions.Item label={t('plan.kind')}>{t(`kind.${p.kind}` as TKey)}</Descriptions.Item>
            <Descriptions.Item label={t('plan.sources')}>
              {(p.sources as { name: string; issue: string }[])
                .map((s) => `${s.name}（${s.issue}）`)
                .join('；')}
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

        {p.status === 'approved' && operator && commitment && live && (
          <Card className="no-print" title={t('draw.randomness')}>
            <Form
              form={randomForm}
              layout="vertical"
              onFinish={(v: { values: string[] }) => {
                const values = commitment.sources.map((s, i) =>
                  s.kind === 'numbers'
                    ? (parseNumbers(v.values[i] ?? '') ?? [])
                    : (v.values[i] ?? '').trim().toLowerCase(),
                );
                enter.mutate({ drawId: live.id, values });
              }}
            >
              {commitment.sources.map((s, i) => (
                <Form.Item
                  key={i}
                  name={['values', i]}
                  label={`${s.name}（${s.issue}） · ${s.kind === 'numbers' ? t('draw.randomness.numbers') : t('draw.randomness.hex')}`}
                  rules={[
                    { required: true },
                    s.kind === 'numbers'
                      ? {
                          validator: async (_, v: string) =>
                            parseNumbers(v ?? '')
                              ? undefined
                              : Promise.reject(new Error(t('draw.randomness.numbers'))),
                        }
                      : { pattern: /^[0-9a-fA-F]+$/, message: t('draw.randomness.hex') },
                  ]}
                >
                  <Input data-testid={`randomness-${i}`} />
                </Form.Item>
              ))}
              <Button
                type="primary"
                htmlType="submit"
                loading={enter.isPending}
                data-testid="randomness-submit"
              >
                {t('draw.randomness.enter')}
              </Button>
            </Form>
          </Card>
        )}

        {commitment && d && (
          <Card
            title={`${t('draw.commitment')} · ${t('draw.attempt', { n: d.attempt })}`}
            extra={
              <Button className="no-print" icon={<PrinterOutlined />} onClick={() => window.print()}>
                {t('draw.printCommitment')}
              </Button>
            }
            className="printable"
            data-testid="draw-commitment"
          >
            <Descriptions size="small" bordered column={1}>
              <Descriptions.Item label={t('draw.commitmentDigest')}>
                <Typography.Text code copyable>
                  {d.commitmentDigest}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('draw.committedAt')}>{fmtTime(d.committedAt)}</Descriptions.Item>
              <Descriptions.Item
                label={t('draw.rulePack')}
              >{`${commitment.rulePack.id}@${commitment.rulePack.version}`}</Descriptions.Item>
              <Descriptions.Item
                label={t('draw.checklist')}
              >{`${t('checklist.version')} ${commitment.checklist.version} · ${commitment.checklist.digest.slice(0, 16)}…`}</Descriptions.Item>
              <Descriptions.Item
                label={t('draw.frame')}
              >{`${commitment.frame.count} · ${commitment.frame.digest.slice(0, 16)}…`}</Descriptions.Item>
              <Descriptions.Item
                label={t('draw.inspectors')}
              >{`${commitment.inspectors.count} · ${commitment.inspectors.digest.slice(0, 16)}…`}</Descriptions.Item>
              <Descriptions.Item label={t('plan.sources')}>
                {commitment.sources.map((s) => `${s.name}（${s.issue}）`).join('；')}
              </Descriptions.Item>
              <Descriptions.Item label={t('plan.strata')}>
                {commitment.strata.map((s) => (
                  <Tag key={s.id}>{`${s.id} · ${s.method} · ${s.quota}`}</Tag>
                ))}
              </Descriptions.Item>
              {randomness && (
                <Descriptions.Item label={t('draw.randomness.string')}>
                  <Typography.Text code style={{ wordBreak: 'break-all' }}>
                    {randomness.string}
                  </Typography.Text>
                </Descriptions.Item>
              )}
              {d.signature && (
                <>
                  <Descriptions.Item label={t('draw.resultDigest')}>
                    <Typography.Text code>{d.resultDigest}</Typography.Text>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('draw.signature')}>
                    <Typography.Text code style={{ wordBreak: 'break-all' }} data-testid="draw-signature">
                      {d.signature}
                    </Typography.Text>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('draw.signerKey')}>
                    <Typography.Text code style={{ wordBreak: 'break-all' }}>
                      {d.signerPublicKey}
                    </Typography.Text>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('draw.signedAt')}>{fmtTime(d.signedAt)}</Descriptions.Item>
                </>
              )}
            </Descriptions>
          </Card>
        )}

        {result && (
          <Card title={t('draw.result')} className="no-print" data-testid="draw-result">
            <Table<StratumOutcome>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={result.strata}
              style={{ marginBottom: 16 }}
              columns={[
                { title: t('plan.stratum.id'), dataIndex: 'id' },
                { title: t('draw.quota'), dataIndex: 'quota' },
                {
                  title: t('draw.certain'),
                  key: 'certain',
                  render: (_: unknown, s) =>
                    result.selected.filter((x) => x.stratum === s.id && x.reason === 'mandatory').length,
                },
                { title: t('draw.selected'), dataIndex: 'selected' },
                {
                  title: t('draw.shortfall'),
                  dataIndex: 'shortfall',
                  render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : 0),
                },
                {
                  title: t('draw.threshold'),
                  dataIndex: 'threshold',
                  render: (k: string | null) =>
                    k ? <Typography.Text code>{k.slice(0, 16)}…</Typography.Text> : '—',
                },
              ]}
            />
            {result.overloads.length > 0 && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 16 }}
                title={t('draw.overloads')}
                description={result.overloads
                  .map((o) => `${o.inspector}: ${o.load}/${o.capacity}`)
                  .join('；')}
              />
            )}
            <Table<SelectedUnit>
              rowKey="unit"
              size="small"
              dataSource={result.selected}
              pagination={{ pageSize: 20, showSizeChanger: false }}
              columns={[
                { title: t('draw.sequence'), dataIndex: 'sequence', width: 70 },
                {
                  title: t('draw.unit'),
                  dataIndex: 'unit',
                  render: (u: string) => <Link to={`/rosters/units/${u}`}>{u}</Link>,
                },
                { title: t('plan.stratum.id'), dataIndex: 'stratum' },
                {
                  title: t('draw.reason'),
                  dataIndex: 'reason',
                  render: (r: string) => tx(`draw.reason.${r}`, r),
                },
                {
                  title: t('draw.key'),
                  dataIndex: 'key',
                  render: (k: string) => <Typography.Text code>{k.slice(0, 12)}…</Typography.Text>,
                },
                { title: t('draw.team'), dataIndex: 'team', render: (team: string[]) => team.join('、') },
              ]}
            />
          </Card>
        )}

        <Card title={t('draw.attempts')} className="no-print">
          {p.attempts.length ? (
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={p.attempts}
              columns={[
                { title: '#', dataIndex: 'attempt', width: 50 },
                {
                  title: t('common.status'),
                  dataIndex: 'status',
                  render: (s: string) => <StatusTag prefix="draw.status" status={s} />,
                },
                {
                  title: t('draw.commitmentDigest'),
                  dataIndex: 'commitmentDigest',
                  render: (h: string) => <Typography.Text code>{h.slice(0, 16)}…</Typography.Text>,
                },
                { title: t('draw.committedAt'), dataIndex: 'committedAt', render: fmtTime },
                { title: t('draw.signedAt'), dataIndex: 'signedAt', render: fmtTime },
                { title: t('common.reason'), dataIndex: 'voidReason' },
              ]}
            />
          ) : (
            <Empty />
          )}
        </Card>
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
          disabled: reason.trim().length < (reasonFor === 'void' ? 10 : 2),
          danger: reasonFor === 'void',
        }}
        confirmLoading={giveBack.isPending || requestVoid.isPending || rejectVoid.isPending}
      >
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
