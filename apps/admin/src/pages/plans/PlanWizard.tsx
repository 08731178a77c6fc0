import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Steps,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import {
  INSPECTION_KINDS,
  LOTTERY_GAME_IDS,
  LOTTERY_GAMES,
  RISK_GRADES,
  type InspectionKind,
  type LotteryGameId,
  type Industry,
  type RiskGrade,
  type SourceSpecV2,
} from '@spotcheck/core';
import { ErrorAlert, PageTitle } from '../../components/common';
import { useBureauScope } from '../../components/Layout';
import { useI18n, type TKey } from '../../i18n';
import { CITY_BUREAU, currentQuarter } from '../../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { INDUSTRIES, VOCAB_SEARCH, vocabOptions } from '../../lib/labels';
import { sourceLabel } from '../../lib/sources';
import type { RouterInputs } from '../../lib/types';
import { useSession } from '../../session';
import { PlanPreview } from './Preview';
import { chinaDateTimeInput, fromChinaDateTimeInput } from '../../lib/format';

type PlanCreate = RouterInputs['plans']['create'];
interface StratumRow {
  id: string;
  method: 'srs' | 'pareto';
  amount: 'quota' | 'ratio';
  quota?: number;
  /** The stratum's ratio as a percentage (staff enter 20 for 20%). */
  ratio?: number;
}
interface WizardForm {
  title: string;
  period: string;
  kind: InspectionKind;
  checklistVersionId: string;
  industries: Industry[];
  riskGrades: RiskGrade[];
  strata: StratumRow[];
  size: number;
  specialist: boolean;
  ownJurisdiction: boolean;
  unitsOnly: boolean;
  unitsOnlyReason?: string;
  keyMode?: 'random-inspectors' | 'random-order';
  /** sr-draw/v2: the drand round(s) proposed by the server for the planned draw time. */
  sources: SourceSpecV2[];
  /** `YYYY-MM-DDTHH:mm` (local time) of the planned draw. */
  plannedDrawAt: string;
  /** Optional lottery draws added beside drand. */
  lotteries?: { game: LotteryGameId; issue: string; drawDate: string }[];
  /** Games whose next issue the server should propose beside the drand round. */
  proposeGames?: LotteryGameId[];
}

const STEPS: TKey[] = [
  'plan.step.basics',
  'plan.step.scope',
  'plan.step.team',
  'plan.feasibility',
  'plan.step.sources',
  'plan.step.review',
];
const STEP_FIELDS: (keyof WizardForm)[][] = [
  ['title', 'period', 'kind', 'checklistVersionId'],
  ['industries', 'riskGrades', 'strata'],
  ['size', 'unitsOnlyReason', 'keyMode'],
  [],
  ['sources', 'plannedDrawAt', 'lotteries', 'proposeGames'],
  [],
];

/** Turns the form into `plans.create` input. */
export function toPlanInput(bureauCode: string, v: WizardForm): PlanCreate {
  return {
    bureauCode,
    title: v.title.trim(),
    period: v.period.trim(),
    kind: v.kind,
    checklistVersionId: v.checklistVersionId,
    scope: {
      ...(v.industries?.length ? { industries: v.industries } : {}),
      ...(v.riskGrades?.length ? { riskGrades: v.riskGrades } : {}),
    },
    strata: (v.strata ?? []).map((s) => ({
      id: s.id,
      method: s.method,
      ...(s.amount === 'quota' ? { quota: s.quota ?? 0 } : { ratio: `${s.ratio ?? 0}%` }),
    })),
    team: {
      size: v.size,
      specialist: v.specialist,
      ownJurisdiction: v.ownJurisdiction,
      ...(v.kind === 'general' && v.unitsOnly && v.unitsOnlyReason
        ? { unitsOnlyReason: v.unitsOnlyReason }
        : {}),
      ...(v.kind === 'key' && v.keyMode ? { keyMode: v.keyMode } : {}),
    },
    sources: [
      ...(v.sources ?? []),
      ...(v.lotteries ?? []).map((l) => ({ kind: 'lottery' as const, ...l, issue: l.issue.trim() })),
    ],
    ...(v.plannedDrawAt ? { plannedDrawAt: fromChinaDateTimeInput(v.plannedDrawAt) } : {}),
  };
}

/** Options of the lottery game pickers: 双色球 … on Chinese pages, 双色球 (cwl-ssq) … on English ones. */
export function gameOptions(lang: 'zh' | 'en') {
  return LOTTERY_GAME_IDS.map((g) => ({
    value: g,
    label: lang === 'zh' ? LOTTERY_GAMES[g].nameZh : `${LOTTERY_GAMES[g].nameZh} (${g})`,
  }));
}

/** The drand sources the server proposed, read-only (a form control). */
function SourceList({ value, demo }: { value?: SourceSpecV2[]; demo: string }) {
  if (!value?.length) return null;
  return (
    <Space direction="vertical" data-testid="sources-proposed">
      {value.map((s, i) => (
        <Space key={i}>
          <Typography.Text code>{sourceLabel(s, demo)}</Typography.Text>
          {s.kind === 'drand' && s.info && <Tag color="orange">{demo}</Tag>}
        </Space>
      ))}
    </Space>
  );
}

/** Plan wizard: basics → scope and strata → team → randomness sources → review, then draft and submit. */
export default function PlanWizardPage() {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const user = useSession();
  const bureaus = useBureaus();
  const scope = useBureauScope();
  const bureauCode = scope.bureauCode ?? (scope.cityWide ? CITY_BUREAU : user.bureauCode);
  const [step, setStep] = useState(0);
  const [form] = Form.useForm<WizardForm>();
  const versions = useQuery(trpc.checklist.versions.queryOptions({}));
  const published = (versions.data ?? []).filter(
    (v) => v.status === 'published' && (v.bureauCode === bureauCode || v.bureauCode === CITY_BUREAU),
  );
  const create = useMutation(trpc.plans.create.mutationOptions());
  const submit = useMutation(trpc.plans.submit.mutationOptions());
  const values = Form.useWatch([], form) as WizardForm | undefined;
  // The preview (feasibility step and review) uses what is typed so far; nothing is written.
  const previewInput = useMemo(() => {
    if (step < 3 || !values) return null;
    const {
      bureauCode: b,
      period,
      kind,
      scope,
      strata,
      team,
    } = toPlanInput(bureauCode, {
      ...(form.getFieldsValue(true) as WizardForm),
    });
    return { bureauCode: b, period, kind, scope, strata, team };
  }, [step, values, bureauCode, form]);
  const preview = useQuery({
    ...trpc.plans.preview.queryOptions(previewInput ?? (undefined as never)),
    enabled: !!previewInput,
  });
  const infeasible = preview.data ? !preview.data.feasibility.ok : false;
  const qc = useQueryClient();
  const [proposing, setProposing] = useState(false);
  const [proposeError, setProposeError] = useState<unknown>(null);
  const [estimated, setEstimated] = useState(false);
  /**
   * Asks the server for the first drand round after the planned time (and ≥ 60 s after a
   * commitment now), and for the next issue of each chosen lottery game (a later date than today).
   */
  const proposeSources = async () => {
    setProposing(true);
    setProposeError(null);
    try {
      const at = form.getFieldValue('plannedDrawAt') as string;
      const games = (form.getFieldValue('proposeGames') as LotteryGameId[] | undefined) ?? [];
      const r = await qc.fetchQuery(
        trpc.plans.proposeSources.queryOptions(
          { plannedDrawAt: fromChinaDateTimeInput(at), games },
          { staleTime: 0 },
        ),
      );
      form.setFieldValue('sources', r.sources);
      if (r.lotteries.length) {
        const kept = ((form.getFieldValue('lotteries') as WizardForm['lotteries']) ?? []).filter(
          (l) => !games.includes(l.game),
        );
        form.setFieldValue('lotteries', [
          ...kept,
          ...r.lotteries.map((l) => ({
            game: l.source.game,
            issue: l.source.issue,
            drawDate: l.source.drawDate,
          })),
        ]);
        setEstimated(true);
      }
      await form.validateFields(['sources']);
    } catch (err) {
      setProposeError(err);
    } finally {
      setProposing(false);
    }
  };

  const save = async (andSubmit: boolean) => {
    const v = await form.validateFields();
    const plan = await create.mutateAsync(toPlanInput(bureauCode, { ...form.getFieldsValue(true), ...v }));
    if (andSubmit) await submit.mutateAsync({ planId: plan.id });
    void navigate(`/plans/${plan.id}`);
  };
  const next = async () => {
    await form.validateFields(STEP_FIELDS[step] as string[]);
    setStep((s) => s + 1);
  };

  return (
    <>
      <PageTitle title={t('plan.new')} sub={bureaus.name(bureauCode)} />
      <Card>
        <Steps current={step} items={STEPS.map((k) => ({ title: t(k) }))} style={{ marginBottom: 24 }} />
        {versions.isSuccess && !published.length && (
          <Alert type="warning" showIcon title={t('plan.noChecklist')} style={{ marginBottom: 16 }} />
        )}
        <ErrorAlert error={create.error ?? submit.error} />
        <Form<WizardForm>
          form={form}
          layout="vertical"
          style={{ maxWidth: 820 }}
          initialValues={{
            period: currentQuarter(),
            kind: 'general',
            title: `${bureaus.name(bureauCode)}${currentQuarter()}安全生产“双随机”抽查计划`,
            industries: [],
            riskGrades: [],
            strata: [],
            size: 2,
            specialist: true,
            ownJurisdiction: false,
            unitsOnly: false,
            sources: [],
            lotteries: [],
            plannedDrawAt: chinaDateTimeInput(Date.now() + 10 * 60_000),
          }}
        >
          <div style={{ display: step === 0 ? 'block' : 'none' }}>
            <Form.Item name="title" label={t('plan.title')} rules={[{ required: true, max: 200 }]}>
              <Input data-testid="plan-title" />
            </Form.Item>
            <Space size="large" wrap>
              <Form.Item
                name="period"
                label={t('plan.period')}
                rules={[
                  {
                    required: true,
                    pattern: /^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/,
                    message: 'YYYY / YYYY-Qn / YYYY-MM',
                  },
                ]}
              >
                <Input style={{ width: 140 }} data-testid="plan-period" />
              </Form.Item>
              <Form.Item name="kind" label={t('plan.kind')} rules={[{ required: true }]}>
                <Select
                  style={{ width: 160 }}
                  options={INSPECTION_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
                  data-testid="plan-kind"
                />
              </Form.Item>
              <Form.Item
                name="checklistVersionId"
                label={t('plan.checklistVersion')}
                rules={[{ required: true }]}
              >
                <Select
                  style={{ width: 300 }}
                  data-testid="plan-checklist"
                  loading={versions.isPending}
                  options={published.map((v) => ({
                    value: v.id,
                    label: `${bureaus.name(v.bureauCode)} · ${t('checklist.version')} ${v.version}`,
                  }))}
                />
              </Form.Item>
            </Space>
          </div>
          <div style={{ display: step === 1 ? 'block' : 'none' }}>
            <Form.Item name="industries" label={t('plan.scope.industries')}>
              <Select
                mode="multiple"
                allowClear
                options={vocabOptions(INDUSTRIES, lang)}
                showSearch={VOCAB_SEARCH}
                data-testid="plan-industries"
              />
            </Form.Item>
            <Form.Item name="riskGrades" label={t('plan.scope.riskGrades')}>
              <Checkbox.Group options={RISK_GRADES.map((g) => ({ value: g, label: t(`risk.${g}`) }))} />
            </Form.Item>
            <Alert
              type="info"
              showIcon
              title={t('plan.strata')}
              description={t('plan.strata.hint')}
              style={{ marginBottom: 12 }}
            />
            <Form.List name="strata">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline" wrap>
                      <Form.Item
                        name={[f.name, 'id']}
                        rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/ }]}
                      >
                        <Input placeholder={t('plan.stratum.id')} style={{ width: 200 }} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'method']} initialValue="srs">
                        <Select
                          style={{ width: 110 }}
                          options={[
                            { value: 'srs', label: 'SRS' },
                            { value: 'pareto', label: 'Pareto' },
                          ]}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'amount']} initialValue="ratio">
                        <Select
                          style={{ width: 100 }}
                          options={[
                            { value: 'ratio', label: t('plan.stratum.ratio') },
                            { value: 'quota', label: t('plan.stratum.quota') },
                          ]}
                        />
                      </Form.Item>
                      {values?.strata?.[f.name]?.amount === 'quota' ? (
                        <Form.Item name={[f.name, 'quota']} rules={[{ required: true }]}>
                          <InputNumber min={0} placeholder={t('plan.stratum.quota')} />
                        </Form.Item>
                      ) : (
                        <Form.Item name={[f.name, 'ratio']} rules={[{ required: true }]}>
                          <InputNumber
                            min={0}
                            max={100}
                            step={0.5}
                            precision={2}
                            suffix="%"
                            placeholder="5"
                            style={{ width: 110 }}
                            data-testid={`stratum-${f.name}-ratio`}
                          />
                        </Form.Item>
                      )}
                      <MinusCircleOutlined onClick={() => remove(f.name)} />
                    </Space>
                  ))}
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ method: 'srs', amount: 'ratio' })}
                  >
                    {t('plan.stratum.add')}
                  </Button>
                </>
              )}
            </Form.List>
          </div>
          <div style={{ display: step === 2 ? 'block' : 'none' }}>
            <Form.Item name="size" label={t('plan.team.size')} rules={[{ required: true }]}>
              <InputNumber min={2} max={10} />
            </Form.Item>
            <Form.Item name="specialist" label={t('plan.team.specialist')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="ownJurisdiction" label={t('plan.team.ownJurisdiction')} valuePropName="checked">
              <Switch />
            </Form.Item>
            {values?.kind === 'general' && (
              <>
                <Form.Item name="unitsOnly" valuePropName="checked">
                  <Checkbox>{t('plan.team.unitsOnlyReason')}</Checkbox>
                </Form.Item>
                {values.unitsOnly && (
                  <Form.Item name="unitsOnlyReason" rules={[{ required: true, min: 4 }]}>
                    <Input.TextArea rows={2} />
                  </Form.Item>
                )}
              </>
            )}
            {values?.kind === 'key' && (
              <Form.Item name="keyMode" label={t('plan.team.keyMode')}>
                <Select
                  style={{ width: 260 }}
                  options={(['random-inspectors', 'random-order'] as const).map((m) => ({
                    value: m,
                    label: t(`plan.keyMode.${m}`),
                  }))}
                />
              </Form.Item>
            )}
          </div>
          <div style={{ display: step === 4 ? 'block' : 'none' }}>
            <Alert type="info" showIcon title={t('v2.sources.hint')} style={{ marginBottom: 16 }} />
            <Space align="end" wrap>
              <Form.Item name="plannedDrawAt" label={t('v2.plannedDrawAt')} rules={[{ required: true }]}>
                <Input type="datetime-local" style={{ width: 240 }} data-testid="planned-draw-at" />
              </Form.Item>
              <Form.Item>
                <Button
                  loading={proposing}
                  onClick={() => void proposeSources()}
                  data-testid="sources-propose"
                >
                  {t('v2.proposeSources')}
                </Button>
              </Form.Item>
            </Space>
            <Form.Item name="proposeGames" label={t('v2.proposeGames')} extra={t('v2.proposeGames.hint')}>
              <Checkbox.Group options={gameOptions(lang)} data-testid="propose-games" />
            </Form.Item>
            <ErrorAlert error={proposeError} />
            {estimated && (
              <Alert
                type="warning"
                showIcon
                title={t('v2.lottery.estimated')}
                style={{ marginBottom: 16 }}
                data-testid="lottery-estimated"
              />
            )}
            <Form.Item
              name="sources"
              rules={[
                {
                  validator: async (_, v: SourceSpecV2[]) =>
                    v?.some((s) => s.kind === 'drand')
                      ? undefined
                      : Promise.reject(new Error(t('v2.source.none'))),
                },
              ]}
            >
              <SourceList demo={t('v2.demoBeacon')} />
            </Form.Item>
            <Form.List name="lotteries">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f, i) => (
                    <Space key={f.key} align="baseline" wrap>
                      <Form.Item
                        name={[f.name, 'game']}
                        label={i === 0 ? t('v2.source.game') : undefined}
                        rules={[{ required: true }]}
                      >
                        <Select style={{ width: 160 }} options={gameOptions(lang)} />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'issue']}
                        label={i === 0 ? t('v2.source.issue') : undefined}
                        rules={[{ required: true, pattern: /^[0-9]{5,10}$/ }]}
                      >
                        <Input style={{ width: 140 }} data-testid={`lottery-issue-${i}`} />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'drawDate']}
                        label={i === 0 ? t('v2.source.drawDate') : undefined}
                        rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}
                      >
                        <Input type="date" style={{ width: 170 }} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(f.name)} />
                    </Space>
                  ))}
                  <div>
                    <Button
                      type="dashed"
                      icon={<PlusOutlined />}
                      onClick={() => add({ game: 'cwl-ssq', issue: '', drawDate: '' })}
                    >
                      {t('v2.source.addLottery')}
                    </Button>
                  </div>
                </>
              )}
            </Form.List>
          </div>
          {step === 3 && (
            <PlanPreview data={preview.data} error={preview.error} loading={preview.isFetching} />
          )}
          {step === 5 && values && (
            <Descriptions bordered size="small" column={1} data-testid="plan-review">
              <Descriptions.Item label={t('plan.title')}>{values.title}</Descriptions.Item>
              <Descriptions.Item label={t('plan.period')}>{values.period}</Descriptions.Item>
              <Descriptions.Item label={t('plan.kind')}>{t(`kind.${values.kind}`)}</Descriptions.Item>
              <Descriptions.Item label={t('plan.scope')}>
                {[...(values.industries ?? []), ...(values.riskGrades ?? []).map((g) => t(`risk.${g}`))].join(
                  '、',
                ) || t('common.all')}
              </Descriptions.Item>
              <Descriptions.Item label={t('plan.strata')}>
                {(values.strata ?? [])
                  .map((s) => `${s.id} ${s.method} ${s.amount === 'quota' ? s.quota : `${s.ratio ?? 0}%`}`)
                  .join('；') || t('plan.strata.hint')}
              </Descriptions.Item>
              <Descriptions.Item label={t('plan.team.size')}>{values.size}</Descriptions.Item>
              <Descriptions.Item label={t('plan.sources')}>
                {toPlanInput(bureauCode, form.getFieldsValue(true) as WizardForm)
                  .sources.map((s) => sourceLabel(s, t('v2.demoBeacon')))
                  .join('；')}
              </Descriptions.Item>
            </Descriptions>
          )}
        </Form>
        {step === 5 && infeasible && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 16 }}
            title={t('plan.preview.infeasible', { n: preview.data?.feasibility.problemCount ?? 0 })}
            description={t('plan.preview.infeasibleHint')}
          />
        )}
        <Space style={{ marginTop: 24 }}>
          {step > 0 && <Button onClick={() => setStep((s) => s - 1)}>{t('common.prev')}</Button>}
          {step < STEPS.length - 1 && (
            <Button type="primary" onClick={() => void next().catch(() => {})} data-testid="wizard-next">
              {t('common.next')}
            </Button>
          )}
          {step === STEPS.length - 1 && (
            <>
              <Button onClick={() => void save(false).catch(() => {})} loading={create.isPending}>
                {t('plan.createDraft')}
              </Button>
              <Button
                type="primary"
                onClick={() => void save(true).catch(() => {})}
                loading={create.isPending || submit.isPending}
                disabled={infeasible}
                data-testid="plan-submit"
              >
                {t('plan.submit')}
              </Button>
            </>
          )}
        </Space>
      </Card>
    </>
  );
}
