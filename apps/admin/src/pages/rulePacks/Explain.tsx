import { CheckCircleTwoTone, CloseCircleTwoTone } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Descriptions, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { ErrorAlert } from '../../components/common';
import { bilingual, INSPECTION_KINDS, isOneOf, stratumName } from '@spotcheck/core';
import { useI18n } from '../../i18n';
import { CITY_BUREAU } from '../../lib/access';
import { fmtRatio } from '../../lib/format';
import { chinaYear } from '@spotcheck/ui/format';
import { specialtyLabel } from '../../lib/labels';
import { usePackLabel } from '../../lib/packs';
import type { RouterOutputs } from '../../lib/types';
import { useTRPC } from '@spotcheck/ui/trpc';
import { ruleText } from './caseText';
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

type Catalog = RouterOutputs['rulePacks']['catalog'];
type Lang = ReturnType<typeof useI18n>['lang'];

/** A value in words: a fact's allowed value by its label, yes/no, lists joined, none as —. */
function valueText(v: unknown, fact: Catalog['facts'][number] | undefined, lang: Lang): string {
  if (v === undefined || v === null) return '—';
  if (Array.isArray(v)) return v.map((x) => valueText(x, fact, lang)).join(lang === 'zh' ? '、' : ', ');
  if (typeof v === 'boolean') return v ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no';
  if (typeof v === 'string') return fact?.valueLabels?.[v]?.[lang] ?? v;
  return String(v);
}

/** Renders a condition tree: each leaf as a line in words, with the unit's value and whether it held. */
export function ConditionTree({ node, catalog }: { node: Node; catalog: Catalog | undefined }): ReactNode {
  const { t, lang } = useI18n();
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
          <ConditionTree key={i} node={c} catalog={catalog} />
        ))}
      </div>
    </div>
  );
  if (node.all) return group(t('rulePack.cond.all'), node.all);
  if (node.any) return group(t('rulePack.cond.any'), node.any);
  if (node.not) return group(t('rulePack.cond.not'), [node.not]);
  const fact = catalog?.facts.find((f) => f.name === node.fact);
  const op = catalog?.operators.find((o) => o.name === node.operator);
  return (
    <div data-testid="explain-condition">
      {mark}{' '}
      <Typography.Text>{`${fact?.label[lang] ?? node.fact} ${op?.label[lang] ?? node.operator} ${valueText(node.value, fact, lang)}`}</Typography.Text>
      <Typography.Text type="secondary">
        {` ${t('rulePack.cond.unitValue', { value: valueText(node.factValue, fact, lang) })}`}
      </Typography.Text>
    </div>
  );
}

/** What a rule sets, in words: stratum, mandatory, ratio, yearly floor and cap, kind, specialty, expert. */
function SetsText({ sets }: { sets: unknown }) {
  const { t, lang } = useI18n();
  const p = (sets ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof p.stratum === 'string') parts.push(`${t('rulePack.stratum')}：${stratumName(p.stratum, lang)}`);
  if (p.mandatory === true) parts.push(t('rulePack.mandatory'));
  if (typeof p.ratio === 'string') parts.push(`${t('rulePack.ratio')}：${fmtRatio(p.ratio)}`);
  if (typeof p.minPerYear === 'number') parts.push(t('rulePack.sets.min', { n: p.minPerYear }));
  if (typeof p.maxPerYear === 'number') parts.push(t('rulePack.sets.max', { n: p.maxPerYear }));
  if (isOneOf(INSPECTION_KINDS, p.inspectionKind)) parts.push(t(`kind.${p.inspectionKind}`));
  if (typeof p.specialty === 'string')
    parts.push(`${t('rulePack.sets.specialty')}：${specialtyLabel(p.specialty, lang)}`);
  if (p.expert === true) parts.push(t('rulePack.expert'));
  return <span>{parts.join(lang === 'zh' ? '；' : '; ') || '—'}</span>;
}

/** Explains a unit under this version: the classification and every rule, fired or not, and why. */
export function ExplainPanel({ version }: { version: PackVersion }) {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const [unitId, setUnitId] = useState('');
  const [search, setSearch] = useState('');
  const [period, setPeriod] = useState(String(chinaYear()));
  const [asked, setAsked] = useState<{ unitId: string; period: string } | null>(null);
  const catalog = useQuery(trpc.rulePacks.catalog.queryOptions());
  // Units of the pack's bureau by name or credit code (the city pack: any unit in reach).
  const found = useQuery({
    ...trpc.units.list.queryOptions({
      q: search.trim(),
      limit: 20,
      offset: 0,
      ...(version.bureauCode === CITY_BUREAU ? {} : { bureauCode: version.bureauCode }),
    }),
    enabled: search.trim().length >= 2,
  });
  const q = useQuery({
    ...trpc.rulePacks.explain.queryOptions({
      unitId: asked?.unitId ?? '',
      period: asked?.period ?? '',
      packId: version.id,
    }),
    enabled: !!asked,
  });
  const e = q.data;
  const c = e?.classification;
  const packLabel = usePackLabel();
  const labels = Object.fromEntries((e?.rules ?? []).map((r) => [r.rule, r.description]));
  const rule = (id: string) => ruleText(id, labels, lang);
  return (
    <>
      <Form layout="inline" onFinish={() => setAsked({ unitId, period: period.trim() })}>
        <Form.Item label={t('rulePack.explainUnit')}>
          <Select
            showSearch
            value={unitId || undefined}
            placeholder={t('rulePack.explainSearch')}
            filterOption={false}
            onSearch={setSearch}
            onChange={(v: string) => setUnitId(v)}
            notFoundContent={search.trim().length >= 2 && !found.isFetching ? t('common.none') : null}
            loading={found.isFetching}
            style={{ width: 360 }}
            data-testid="explain-unit"
            options={(found.data?.rows ?? []).map((u) => ({
              value: u.id,
              label: `${u.name} · ${u.id}`,
            }))}
          />
        </Form.Item>
        <Form.Item label={t('rulePack.period')}>
          <Input value={period} onChange={(ev) => setPeriod(ev.target.value)} style={{ width: 110 }} />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          disabled={!unitId}
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
            <Descriptions.Item label={t('rulePack.pack')}>{packLabel(e.pack, e.version)}</Descriptions.Item>
            <Descriptions.Item label={t('rulePack.stratum')}>
              <Tag color="purple">{stratumName(c.stratum, lang)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('rulePack.mandatory')}>
              {c.mandatory ? <Tag color="red">{t('common.yes')}</Tag> : t('common.no')}
            </Descriptions.Item>
            <Descriptions.Item label={t('rulePack.ratio')}>{fmtRatio(c.ratio)}</Descriptions.Item>
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
                      <Tag>{rule(r.rule)}</Tag>
                      {bilingual(r.reason, lang)}
                    </div>
                  ))
                : t('common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('rulePack.fired')} span={3}>
              {c.fired.map((f) => (
                <Tag key={f} color="green">
                  {rule(f)}
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
                      <Typography.Text strong>{rule(r)}</Typography.Text>
                    </Space>
                    {lang === 'en' && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {row.file}
                      </Typography.Text>
                    )}
                  </Space>
                ),
              },
              {
                title: t('rulePack.why'),
                key: 'c',
                width: 380,
                render: (_: unknown, row) => <ConditionTree node={row.conditions} catalog={catalog.data} />,
              },
              {
                title: t('rulePack.sets'),
                dataIndex: 'sets',
                width: 200,
                render: (s: unknown) => <SetsText sets={s} />,
              },
              {
                title: t('rulePack.description'),
                dataIndex: 'rule',
                render: (id: string) => rule(id),
              },
            ]}
          />
        </div>
      )}
    </>
  );
}
