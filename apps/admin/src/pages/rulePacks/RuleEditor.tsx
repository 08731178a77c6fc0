import { Alert, Card, Col, Form, Input, InputNumber, Row, Select, Switch } from 'antd';
import { STRATA, stratumName } from '@spotcheck/core';
import { useI18n } from '../../i18n';
import { ratioPercent } from '../../lib/format';
import ConditionBuilder from './ConditionBuilder';
import { issueText, vocabularyOf, type CodedIssue } from './issueText';
import { SPECIALTIES, vocabOptions } from '../../lib/labels';
import type { RouterOutputs } from '../../lib/types';

/** The registered facts and operators (`rulePacks.catalog`). */
export type Catalog = RouterOutputs['rulePacks']['catalog'];
/** A loader issue shown on the field it names. */
export interface FieldIssue extends CodedIssue {
  path: string;
}

interface RuleJson {
  name?: string;
  priority?: number;
  meta?: { description?: string; source?: string };
  conditions?: unknown;
  event?: { type: 'classify'; params: Record<string, unknown> };
  [k: string]: unknown;
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
  const params = rule.event?.params ?? {};
  const setParam = (key: string, value: unknown) => {
    const next = { ...params };
    if (value === undefined || value === null || value === '') delete next[key];
    else next[key] = value;
    write({ ...rule, event: { type: 'classify', params: next } });
  };
  const issueAt = (path: string) => issues.find((i) => i.path === path || i.path.startsWith(`${path}[`));
  const vocab = vocabularyOf(catalog);
  const render = (i: FieldIssue) => issueText(i, lang, vocab);
  const status = (path: string) => {
    const i = issueAt(path);
    return i
      ? {
          validateStatus: 'error' as const,
          help: <span data-testid={`field-error-${path}`}>{render(i)}</span>,
        }
      : {};
  };
  const ratio = ratioPercent(params.ratio);
  // The stratum is an id in the file; the draw and the portal show it by its name.
  const stratumNote = (id: unknown) =>
    typeof id !== 'string' || !id ? undefined : id in STRATA ? (
      <span data-testid="stratum-name">{t('authoring.stratumShownAs', { name: stratumName(id, lang) })}</span>
    ) : (
      <span data-testid="stratum-name">{t('authoring.stratumUnnamed')}</span>
    );
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
        <ConditionBuilder
          conditions={rule.conditions}
          onChange={(conditions) => write({ ...rule, conditions })}
          catalog={catalog}
          issues={issues.filter((i) => i.path.startsWith('$.conditions'))}
          render={render}
          disabled={readOnly}
        />
      </Card>
      <Card size="small" title={t('authoring.event')}>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item
              label={t('authoring.stratum')}
              extra={stratumNote(params.stratum)}
              {...status('$.event.params.stratum')}
            >
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
          <Alert type="error" showIcon title={render(issueAt('$.event')!)} />
        )}
      </Card>
    </Form>
  );
}
