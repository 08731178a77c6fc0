import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../../i18n';
import { SPECIALTIES, vocabOptions } from '../../lib/labels';
import type { RouterOutputs } from '../../lib/types';

/** The registered facts and operators (`rulePacks.catalog`). */
export type Catalog = RouterOutputs['rulePacks']['catalog'];
type FactInfo = Catalog['facts'][number];
/** A loader issue shown on the field it names. */
export interface FieldIssue {
  path: string;
  message: string;
  suggestion: string | null;
}

interface Leaf {
  fact: string;
  operator: string;
  value: unknown;
}
interface RuleJson {
  name?: string;
  priority?: number;
  meta?: { description?: string; source?: string };
  conditions?: { all?: unknown[]; any?: unknown[] };
  event?: { type: 'classify'; params: Record<string, unknown> };
  [k: string]: unknown;
}

const isLeaf = (c: unknown): c is Leaf => typeof c === 'object' && c !== null && 'fact' in c;

/** Operators the editor offers for a fact kind (plugins may name the kinds they apply to). */
function operatorsFor(fact: FactInfo | undefined, catalog: Catalog): Catalog['operators'] {
  const kind = fact?.type.kind;
  const engine: Record<string, string[]> = {
    boolean: ['equal', 'notEqual'],
    enum: ['equal', 'notEqual', 'in', 'notIn'],
    number: ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'],
    date: ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'],
    string: ['equal', 'notEqual', 'in', 'notIn'],
  };
  return catalog.operators.filter((o) =>
    o.plugin === 'json-rules-engine'
      ? !kind || engine[kind]!.includes(o.name)
      : !o.appliesTo || !kind || o.appliesTo.includes(kind),
  );
}

/** `"20%"` → 20, `"1/20"` → 5 (the percentage a ratio means). */
export function ratioPercent(ratio: unknown): number | null {
  if (typeof ratio !== 'string') return null;
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(ratio);
  if (pct) return Number(pct[1]);
  const frac = /^(\d+)\/(\d+)$/.exec(ratio);
  if (frac) return Math.round((Number(frac[1]) / Number(frac[2])) * 1e6) / 1e4;
  return null;
}

/**
 * The visual editor of one rule file: conditions over the registered facts (Chinese labels,
 * value pickers from the allowed values, dates), the event's fields as a form (ratio as a
 * percentage), and the loader's messages on the field they name. Edits the JSON text it is given.
 */
export default function RuleEditor({
  text,
  onChange,
  catalog,
  issues,
  readOnly,
}: {
  text: string;
  onChange: (text: string) => void;
  catalog: Catalog;
  issues: FieldIssue[];
  readOnly: boolean;
}) {
  const { t, lang } = useI18n();
  let rule: RuleJson;
  try {
    rule = JSON.parse(text) as RuleJson;
  } catch {
    return <Alert type="warning" showIcon title={t('authoring.json')} />;
  }
  const write = (next: RuleJson) => onChange(`${JSON.stringify(next, null, 2)}\n`);
  const mode: 'all' | 'any' = rule.conditions && 'any' in rule.conditions ? 'any' : 'all';
  const list = (rule.conditions?.[mode] ?? []) as unknown[];
  const params = rule.event?.params ?? {};
  const setList = (next: unknown[], m = mode) => write({ ...rule, conditions: { [m]: next } });
  const setParam = (key: string, value: unknown) => {
    const next = { ...params };
    if (value === undefined || value === null || value === '') delete next[key];
    else next[key] = value;
    write({ ...rule, event: { type: 'classify', params: next } });
  };
  const issueAt = (path: string) => issues.find((i) => i.path === path || i.path.startsWith(`${path}[`));
  const status = (path: string) => {
    const i = issueAt(path);
    return i
      ? {
          validateStatus: 'error' as const,
          help: (
            <span data-testid={`field-error-${path}`}>
              {i.message}
              {i.suggestion ? ` — ${i.suggestion}` : ''}
            </span>
          ),
        }
      : {};
  };
  const factLabel = (f: FactInfo) => `${lang === 'zh' ? f.label.zh : f.label.en}（${f.name}）`;
  const factOptions = catalog.facts.map((f) => ({ value: f.name, label: factLabel(f) }));
  const valueEditor = (leaf: Leaf, index: number) => {
    const fact = catalog.facts.find((f) => f.name === leaf.fact);
    const set = (value: unknown) => setList(list.map((c, i) => (i === index ? { ...leaf, value } : c)));
    const kind = fact?.type.kind;
    if (leaf.operator === 'between') {
      const [lo, hi] = Array.isArray(leaf.value) ? (leaf.value as (number | null)[]) : [null, null];
      return (
        <Space.Compact>
          <InputNumber
            placeholder={t('authoring.low')}
            value={lo ?? null}
            onChange={(v) => set([v, hi ?? null])}
            data-testid={`cond-${index}-low`}
          />
          <InputNumber
            placeholder={t('authoring.high')}
            value={hi ?? null}
            onChange={(v) => set([lo ?? null, v])}
            data-testid={`cond-${index}-high`}
          />
        </Space.Compact>
      );
    }
    if (kind === 'boolean')
      return (
        <Select
          style={{ minWidth: 100 }}
          value={leaf.value as boolean}
          onChange={set}
          options={[
            { value: true, label: t('authoring.yes') },
            { value: false, label: t('authoring.no') },
          ]}
          data-testid={`cond-${index}-value`}
        />
      );
    if (kind === 'enum' && fact?.type.kind === 'enum') {
      const multiple = leaf.operator === 'in' || leaf.operator === 'notIn';
      return (
        <Select
          style={{ minWidth: 200 }}
          mode={multiple ? 'multiple' : undefined}
          value={leaf.value as string}
          onChange={set}
          showSearch={{ optionFilterProp: 'label' }}
          options={fact.type.values.map((v) => ({
            value: v,
            label: fact.valueLabels?.[v]?.[lang] ?? v,
          }))}
          data-testid={`cond-${index}-value`}
        />
      );
    }
    if (kind === 'date')
      return (
        <DatePicker
          value={typeof leaf.value === 'string' ? dayjs(leaf.value) : null}
          onChange={(d) => set(d ? d.format('YYYY-MM-DD') : null)}
          data-testid={`cond-${index}-value`}
        />
      );
    if (kind === 'number')
      return (
        <InputNumber
          value={typeof leaf.value === 'number' ? leaf.value : null}
          onChange={set}
          data-testid={`cond-${index}-value`}
        />
      );
    return (
      <Input
        value={typeof leaf.value === 'string' ? leaf.value : JSON.stringify(leaf.value ?? '')}
        onChange={(e) => set(e.target.value)}
        data-testid={`cond-${index}-value`}
      />
    );
  };
  const base = `$.conditions.${mode}`;
  const ratio = ratioPercent(params.ratio);
  return (
    <Form layout="vertical" disabled={readOnly} data-testid="rule-visual-editor">
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item label={t('authoring.ruleName')} {...status('$.name')}>
            <Input value={rule.name} disabled />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item label={t('authoring.priority')} {...status('$.priority')}>
            <InputNumber
              min={1}
              max={100}
              value={rule.priority ?? 1}
              onChange={(v) => write({ ...rule, priority: v ?? 1 })}
              data-testid="rule-priority"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label={t('authoring.source')} {...status('$.meta.source')}>
            <Input
              value={rule.meta?.source}
              onChange={(e) => write({ ...rule, meta: { ...rule.meta, source: e.target.value } })}
              data-testid="rule-source"
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={t('authoring.description')} {...status('$.meta.description')}>
        <Input
          value={rule.meta?.description}
          onChange={(e) => write({ ...rule, meta: { ...rule.meta, description: e.target.value } })}
          data-testid="rule-description"
        />
      </Form.Item>
      <Card size="small" title={t('authoring.conditions')} style={{ marginBottom: 12 }}>
        <Radio.Group
          value={mode}
          onChange={(e) => setList(list, e.target.value as 'all' | 'any')}
          style={{ marginBottom: 8 }}
          options={[
            { value: 'all', label: t('authoring.match.all') },
            { value: 'any', label: t('authoring.match.any') },
          ]}
        />
        {list.map((c, i) =>
          isLeaf(c) ? (
            <Row gutter={8} key={i} data-testid={`cond-${i}`}>
              <Col span={9}>
                <Form.Item {...status(`${base}[${i}].fact`)}>
                  <Select
                    value={c.fact}
                    options={factOptions}
                    showSearch={{ optionFilterProp: 'label' }}
                    onChange={(fact: string) => {
                      const info = catalog.facts.find((f) => f.name === fact);
                      const op = operatorsFor(info, catalog)[0]?.name ?? 'equal';
                      const value =
                        info?.type.kind === 'boolean'
                          ? true
                          : info?.type.kind === 'enum'
                            ? info.type.values[0]
                            : null;
                      setList(list.map((x, j) => (j === i ? { fact, operator: op, value } : x)));
                    }}
                    data-testid={`cond-${i}-fact`}
                  />
                </Form.Item>
              </Col>
              <Col span={5}>
                <Form.Item {...status(`${base}[${i}].operator`)}>
                  <Select
                    value={c.operator}
                    options={operatorsFor(
                      catalog.facts.find((f) => f.name === c.fact),
                      catalog,
                    ).map((o) => ({ value: o.name, label: lang === 'zh' ? o.label.zh : o.label.en }))}
                    onChange={(operator: string) =>
                      setList(
                        list.map((x, j) =>
                          j === i
                            ? {
                                ...c,
                                operator,
                                value:
                                  operator === 'between'
                                    ? [null, null]
                                    : operator === 'in' || operator === 'notIn'
                                      ? Array.isArray(c.value)
                                        ? c.value
                                        : [c.value]
                                      : Array.isArray(c.value)
                                        ? c.value[0]
                                        : c.value,
                              }
                            : x,
                        ),
                      )
                    }
                    data-testid={`cond-${i}-operator`}
                  />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item {...status(`${base}[${i}].value`)}>{valueEditor(c, i)}</Form.Item>
              </Col>
              <Col span={2}>
                <Button
                  icon={<DeleteOutlined />}
                  onClick={() => setList(list.filter((_, j) => j !== i))}
                  aria-label="delete"
                />
              </Col>
            </Row>
          ) : (
            <Typography.Paragraph key={i} type="secondary">
              {t('authoring.nested')}
            </Typography.Paragraph>
          ),
        )}
        <Button
          icon={<PlusOutlined />}
          type="dashed"
          onClick={() => setList([...list, { fact: 'riskGrade', operator: 'equal', value: 'major' }])}
          data-testid="cond-add"
        >
          {t('authoring.addCondition')}
        </Button>
      </Card>
      <Card size="small" title={t('authoring.event')}>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item label={t('authoring.stratum')} {...status('$.event.params.stratum')}>
              <Input
                value={(params.stratum as string) ?? ''}
                onChange={(e) => setParam('stratum', e.target.value)}
                data-testid="param-stratum"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label={t('authoring.ratio')} {...status('$.event.params.ratio')}>
              <InputNumber
                min={0}
                max={100}
                suffix="%"
                value={ratio}
                onChange={(v) => setParam('ratio', v === null ? undefined : `${v}%`)}
                data-testid="param-ratio"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label={t('authoring.inspectionKind')} {...status('$.event.params.inspectionKind')}>
              <Select
                allowClear
                value={params.inspectionKind as string | undefined}
                onChange={(v) => setParam('inspectionKind', v)}
                options={(['general', 'key', 'covert'] as const).map((k) => ({
                  value: k,
                  label: t(`authoring.kind.${k}`),
                }))}
                data-testid="param-kind"
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item label={t('authoring.minPerYear')} {...status('$.event.params.minPerYear')}>
              <InputNumber
                min={0}
                max={52}
                value={(params.minPerYear as number | undefined) ?? null}
                onChange={(v) => setParam('minPerYear', v ?? undefined)}
                data-testid="param-minPerYear"
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item label={t('authoring.maxPerYear')} {...status('$.event.params.maxPerYear')}>
              <InputNumber
                min={0}
                max={52}
                value={(params.maxPerYear as number | undefined) ?? null}
                onChange={(v) => setParam('maxPerYear', v ?? undefined)}
                data-testid="param-maxPerYear"
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item label={t('authoring.weight')} {...status('$.event.params.weight')}>
              <InputNumber
                min={1}
                max={1000}
                value={(params.weight as number | undefined) ?? null}
                onChange={(v) => setParam('weight', v ?? undefined)}
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item label={t('authoring.specialty')} {...status('$.event.params.specialty')}>
              <Select
                allowClear
                value={params.specialty as string | undefined}
                onChange={(v) => setParam('specialty', v)}
                options={vocabOptions(SPECIALTIES, lang)}
                showSearch={{ optionFilterProp: 'label' }}
                data-testid="param-specialty"
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item label={t('authoring.mandatory')} {...status('$.event.params.mandatory')}>
              <Switch
                checked={params.mandatory === true}
                onChange={(v) => setParam('mandatory', v || undefined)}
                data-testid="param-mandatory"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label={t('authoring.reason')} {...status('$.event.params.reason')}>
              <Input
                value={(params.reason as string) ?? ''}
                onChange={(e) => setParam('reason', e.target.value)}
                data-testid="param-reason"
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item label={t('authoring.expert')} {...status('$.event.params.expert')}>
              <Switch checked={params.expert === true} onChange={(v) => setParam('expert', v || undefined)} />
            </Form.Item>
          </Col>
        </Row>
        {issueAt('$.event') && !issueAt('$.event.params.') && (
          <Alert type="error" showIcon title={issueAt('$.event')!.message} />
        )}
      </Card>
    </Form>
  );
}
