import { CheckCircleTwoTone, CloseCircleTwoTone } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Descriptions, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { usccProblem } from '@spotcheck/core';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import type { RouterOutputs } from '../../lib/types';
import { useTRPC } from '../../trpc';
import type { PackVersion } from './RulePacks';

type Explanation = RouterOutputs['rulePacks']['explain'];
type RuleRow = Explanation['rules'][number];

/** A condition node of an explanation (leaf or all/any/not), loosely typed for rendering. */
interface Node {
  fact?: string;
  operator?: string;
  value?: unknown;
  factValue?: unknown;
  result: boolean;
  all?: Node[];
  any?: Node[];
  not?: Node;
}

const show = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));

/** Renders a condition tree: each leaf with the unit's value and whether it held. */
export function ConditionTree({ node }: { node: Node }): ReactNode {
  const mark = node.result ? (
    <CheckCircleTwoTone twoToneColor="#52c41a" />
  ) : (
    <CloseCircleTwoTone twoToneColor="#bfbfbf" />
  );
  const group = (label: string, children: Node[]) => (
    <div>
      {mark} <Typography.Text strong>{label}</Typography.Text>
      <div style={{ marginLeft: 18 }}>
        {children.map((c, i) => (
          <ConditionTree key={i} node={c} />
        ))}
      </div>
    </div>
  );
  if (node.all) return group('all', node.all);
  if (node.any) return group('any', node.any);
  if (node.not) return group('not', [node.not]);
  return (
    <div>
      {mark} <Typography.Text code>{`${node.fact} ${node.operator} ${show(node.value)}`}</Typography.Text>
      <Typography.Text type="secondary">{` ← ${show(node.factValue)}`}</Typography.Text>
    </div>
  );
}

/** Explains a unit under this version: the classification and every rule, fired or not, and why. */
export function ExplainPanel({ version }: { version: PackVersion }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const [unitId, setUnitId] = useState('');
  const [period, setPeriod] = useState(String(new Date().getFullYear()));
  const [asked, setAsked] = useState<{ unitId: string; period: string } | null>(null);
  const q = useQuery({
    ...trpc.rulePacks.explain.queryOptions({
      unitId: asked?.unitId ?? '',
      period: asked?.period ?? '',
      packId: version.id,
    }),
    enabled: !!asked,
  });
  const problem = unitId ? usccProblem(unitId.trim().toUpperCase()) : null;
  const e = q.data;
  const c = e?.classification;
  return (
    <>
      <Form
        layout="inline"
        onFinish={() => setAsked({ unitId: unitId.trim().toUpperCase(), period: period.trim() })}
      >
        <Form.Item
          label={t('unit.id')}
          validateStatus={problem ? 'error' : undefined}
          help={problem ? `${t('form.usccInvalid')}: ${problem}` : undefined}
        >
          <Input
            value={unitId}
            onChange={(ev) => setUnitId(ev.target.value)}
            maxLength={18}
            style={{ width: 220, fontFamily: 'monospace' }}
            data-testid="explain-unit"
          />
        </Form.Item>
        <Form.Item label={t('rulePack.period')}>
          <Input value={period} onChange={(ev) => setPeriod(ev.target.value)} style={{ width: 110 }} />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          disabled={!unitId || !!problem}
          loading={q.isFetching}
          data-testid="explain-run"
        >
          {t('rulePack.explain')}
        </Button>
      </Form>
      <ErrorAlert error={q.error} />
      {e && c && (
        <div style={{ marginTop: 16 }} data-testid="explain-result">
          <Descriptions size="small" bordered column={{ xs: 1, lg: 3 }} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('rulePack.pack')}>{`${e.pack}@${e.version}`}</Descriptions.Item>
            <Descriptions.Item label={t('rulePack.stratum')}>
              <Tag color="purple">{c.stratum}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('rulePack.mandatory')}>
              {c.mandatory ? <Tag color="red">{t('common.yes')}</Tag> : t('common.no')}
            </Descriptions.Item>
            <Descriptions.Item label={t('rulePack.ratio')}>{c.ratio}</Descriptions.Item>
            <Descriptions.Item label={t('rulePack.perYear')}>
              {`${c.minPerYear} – ${c.maxPerYear ?? '∞'}`}
            </Descriptions.Item>
            <Descriptions.Item label={t('rulePack.expert')}>
              {c.expert ? t('common.yes') : t('common.no')}
            </Descriptions.Item>
            <Descriptions.Item label={t('rulePack.reasons')} span={3}>
              {c.reasons.length
                ? c.reasons.map((r) => (
                    <div key={r.rule}>
                      <Tag>{r.rule}</Tag>
                      {r.reason}
                    </div>
                  ))
                : t('common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('rulePack.fired')} span={3}>
              {c.fired.map((f) => (
                <Tag key={f} color="green">
                  {f}
                </Tag>
              ))}
            </Descriptions.Item>
          </Descriptions>
          <Table<RuleRow>
            rowKey="rule"
            size="small"
            pagination={false}
            dataSource={[...e.rules]}
            scroll={{ x: 1100 }}
            columns={[
              {
                title: t('rulePack.rule'),
                dataIndex: 'rule',
                width: 230,
                render: (r: string, row) => (
                  <Space direction="vertical" size={0}>
                    <Space size={4}>
                      {row.fired ? (
                        <Tag color="green">{t('rulePack.firedTag')}</Tag>
                      ) : (
                        <Tag>{t('rulePack.notFired')}</Tag>
                      )}
                      <Typography.Text strong>{r}</Typography.Text>
                    </Space>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {row.file}
                    </Typography.Text>
                  </Space>
                ),
              },
              {
                title: t('rulePack.why'),
                key: 'c',
                width: 380,
                render: (_: unknown, row) => <ConditionTree node={row.conditions as unknown as Node} />,
              },
              {
                title: t('rulePack.sets'),
                dataIndex: 'sets',
                width: 200,
                render: (s: unknown) => (
                  <Typography.Text code style={{ fontSize: 12 }}>
                    {JSON.stringify(s)}
                  </Typography.Text>
                ),
              },
              { title: t('rulePack.description'), dataIndex: 'description' },
            ]}
          />
        </div>
      )}
    </>
  );
}
