import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { sourceIdentity, sourceTime, type LotteryGameId, type SourceSpecV2 } from '@spotcheck/core';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import { sourceLabel } from '../../lib/sources';
import { useTRPC } from '@spotcheck/ui/trpc';
import { gameOptions } from './PlanWizard';
import { chinaDateTimeInput, fromChinaDateTimeInput } from '../../lib/format';

interface NextForm {
  plannedDrawAt: string;
  games: LotteryGameId[];
  lotteries: { game: LotteryGameId; issue: string; drawDate: string }[];
}

/**
 * After a void the plan is a draft again and its next attempt needs new, later sources (§2
 * freshness, §9.4). Shows the voided attempt's sources, asks the server for later ones (drand
 * round and, optionally, lottery issues), and saves them with `plans.update` — which refuses the
 * same or earlier sources with the reason, shown here.
 */
export function NextAttemptSources({
  planId,
  attempt,
  previous,
  current,
}: {
  planId: string;
  /** The number of the attempt these sources are for. */
  attempt: number;
  /** Sources of the voided attempt. */
  previous: SourceSpecV2[];
  /** Sources the plan names now. */
  current: SourceSpecV2[];
}) {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<NextForm>();
  const [drand, setDrand] = useState<SourceSpecV2[]>([]);
  const [proposeError, setProposeError] = useState<unknown>(null);
  const [proposing, setProposing] = useState(false);
  const update = useMutation(
    trpc.plans.update.mutationOptions({
      onSuccess: async () => {
        message.success(t('v2.next.saved'));
        await qc.invalidateQueries({ queryKey: trpc.plans.pathKey() });
      },
    }),
  );
  const demo = t('v2.demoBeacon');

  const propose = async () => {
    setProposing(true);
    setProposeError(null);
    try {
      const v = form.getFieldsValue(true) as NextForm;
      const r = await qc.fetchQuery(
        trpc.plans.proposeSources.queryOptions(
          { plannedDrawAt: fromChinaDateTimeInput(v.plannedDrawAt), games: v.games ?? [], planId },
          { staleTime: 0 },
        ),
      );
      setDrand(r.sources);
      form.setFieldValue(
        'lotteries',
        r.lotteries.map((l) => ({ game: l.source.game, issue: l.source.issue, drawDate: l.source.drawDate })),
      );
    } catch (err) {
      setProposeError(err);
    } finally {
      setProposing(false);
    }
  };

  const [refusal, setRefusal] = useState<string | null>(null);
  /** The rule the server applies (§2 freshness, §9.4), said in the page's language before asking it. */
  const refusalOf = (sources: SourceSpecV2[]): string | null => {
    const ids = new Set(previous.map(sourceIdentity));
    const latest = Math.max(...previous.map((s) => sourceTime(s)));
    for (const s of sources) {
      const label = sourceLabel(s, demo);
      if (ids.has(sourceIdentity(s))) return t('v2.next.same', { source: label, m: attempt - 1 });
      let time: number;
      try {
        time = sourceTime(s);
      } catch {
        continue; // malformed: the server names the field
      }
      if (!(time > latest)) return t('v2.next.earlier', { source: label, m: attempt - 1 });
    }
    return null;
  };
  const save = (v: NextForm) => {
    const sources: SourceSpecV2[] = [
      ...(drand.length ? drand : current.filter((s) => s.kind === 'drand')),
      ...(v.lotteries ?? []).map((l) => ({ kind: 'lottery' as const, ...l, issue: l.issue.trim() })),
    ];
    const why = refusalOf(sources);
    setRefusal(why);
    if (!why) update.mutate({ planId, patch: { sources } });
  };

  return (
    <Card className="no-print" title={t('v2.next.title', { n: attempt })} data-testid="next-attempt-sources">
      <Alert
        type="info"
        showIcon
        title={t('v2.next.hint', { m: attempt - 1 })}
        style={{ marginBottom: 16 }}
      />
      <Descriptions size="small" bordered column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('v2.next.previous')}>
          <Space direction="vertical" data-testid="next-previous">
            {previous.map((s, i) => (
              <Typography.Text key={i} delete>
                {sourceLabel(s, demo)}
              </Typography.Text>
            ))}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('v2.next.current')}>
          <Space direction="vertical">
            {current.map((s, i) => (
              <Typography.Text key={i} code>
                {sourceLabel(s, demo)}
              </Typography.Text>
            ))}
          </Space>
        </Descriptions.Item>
      </Descriptions>
      <Form<NextForm>
        form={form}
        layout="vertical"
        style={{ maxWidth: 820 }}
        initialValues={{
          plannedDrawAt: chinaDateTimeInput(Date.now() + 10 * 60_000),
          games: [],
          lotteries: current
            .filter((s): s is Extract<SourceSpecV2, { kind: 'lottery' }> => s.kind === 'lottery')
            .map((s) => ({ game: s.game, issue: s.issue, drawDate: s.drawDate })),
        }}
        onFinish={save}
      >
        <Space align="end" wrap>
          <Form.Item name="plannedDrawAt" label={t('v2.plannedDrawAt')} rules={[{ required: true }]}>
            <Input type="datetime-local" style={{ width: 240 }} data-testid="next-planned-at" />
          </Form.Item>
          <Form.Item>
            <Button loading={proposing} onClick={() => void propose()} data-testid="next-propose">
              {t('v2.proposeSources')}
            </Button>
          </Form.Item>
        </Space>
        <Form.Item name="games" label={t('v2.proposeGames')} extra={t('v2.proposeGames.hint')}>
          <Checkbox.Group options={gameOptions(lang)} />
        </Form.Item>
        <ErrorAlert error={proposeError} />
        {drand.length > 0 && (
          <Form.Item label={t('v2.next.proposed')}>
            <Space direction="vertical" data-testid="next-proposed">
              {drand.map((s, i) => (
                <Space key={i}>
                  <Typography.Text code>{sourceLabel(s, demo)}</Typography.Text>
                  {s.kind === 'drand' && s.info && <Tag color="orange">{demo}</Tag>}
                </Space>
              ))}
            </Space>
          </Form.Item>
        )}
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
                    <Input style={{ width: 140 }} data-testid={`next-lottery-issue-${i}`} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'drawDate']}
                    label={i === 0 ? t('v2.source.drawDate') : undefined}
                    rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}
                  >
                    <Input type="date" style={{ width: 170 }} data-testid={`next-lottery-date-${i}`} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Form.Item>
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ game: 'cwl-ssq', issue: '', drawDate: '' })}
                  data-testid="next-add-lottery"
                >
                  {t('v2.source.addLottery')}
                </Button>
              </Form.Item>
            </>
          )}
        </Form.List>
        {refusal && (
          <Alert
            type="error"
            showIcon
            title={refusal}
            style={{ marginBottom: 16 }}
            data-testid="next-refused"
          />
        )}
        <ErrorAlert error={update.error} />
        <Button type="primary" htmlType="submit" loading={update.isPending} data-testid="next-save">
          {t('v2.next.save')}
        </Button>
      </Form>
    </Card>
  );
}
