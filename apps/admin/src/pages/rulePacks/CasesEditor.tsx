import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { INSPECTION_KINDS, isOneOf, stratumName } from '@spotcheck/core';
import { useI18n } from '../../i18n';
import { ratioPercent } from '../../lib/format';
import { specialtyLabel } from '../../lib/labels';
import type { RouterOutputs } from '../../lib/types';
import { FactValueInput, valueKindOf } from './FactValue';

type Catalog = RouterOutputs['rulePacks']['catalog'];

/** One case: unit facts that differ from the file's base unit, and the expected classification. */
interface CaseJson {
  name: string;
  facts: Record<string, unknown>;
  expect: Record<string, unknown>;
  [k: string]: unknown;
}
interface CasesFile {
  base?: Record<string, unknown>;
  cases?: CaseJson[];
  [k: string]: unknown;
}

/** Expected fields edited in the table; any other expectation (e.g. `fired`) is kept and shown. */
const EDITED = ['stratum', 'mandatory', 'ratio', 'minPerYear', 'fired'] as const;
/** Other expectations with a label. */
const KEY_LABELS = ['specialty', 'maxPerYear', 'inspectionKind', 'expert'] as const;

/**
 * The cases of a pack as a table (issue #12): each row a unit — the file's base unit with the
 * facts the case changes — and the classification it must get. Edits the JSON text it is given;
 * the JSON view stays for experts.
 */
export default function CasesEditor({
  text,
  onChange,
  catalog,
  ruleNames,
  readOnly,
}: {
  text: string;
  onChange: (text: string) => void;
  catalog: Catalog;
  /** The pack's rule names, for the rules a case expects to fire (publishing needs each one covered). */
  ruleNames: string[];
  readOnly: boolean;
}) {
  const { t, lang } = useI18n();
  let file: CasesFile;
  try {
    file = JSON.parse(text) as CasesFile;
  } catch {
    return <Alert type="warning" showIcon title={t('authoring.json')} />;
  }
  const base = file.base ?? {};
  const cases = file.cases ?? [];
  const write = (next: CaseJson[]) => onChange(`${JSON.stringify({ ...file, cases: next }, null, 2)}\n`);
  const update = (i: number, c: CaseJson) => write(cases.map((x, j) => (j === i ? c : x)));
  const factOf = (name: string) => catalog.facts.find((f) => f.name === name);
  const fieldLabel = (name: string) => factOf(name)?.label[lang] ?? name;
  const fields = Object.keys(base).filter((k) => k !== 'unitId');
  /** An expectation's value in words: specialty and kind by their labels, yes/no, lists joined. */
  const expectText = (key: string, v: unknown): string => {
    if (Array.isArray(v)) return v.map((x) => expectText(key, x)).join('、');
    if (typeof v === 'boolean') return v ? t('authoring.yes') : t('authoring.no');
    if (key === 'specialty' && typeof v === 'string') return specialtyLabel(v, lang);
    if (key === 'inspectionKind' && isOneOf(INSPECTION_KINDS, v)) return t(`kind.${v}`);
    return String(v);
  };
  const setExpect = (i: number, key: string, value: unknown) => {
    const expect = { ...cases[i]!.expect };
    if (value === undefined || value === null || value === '') delete expect[key];
    else expect[key] = value;
    update(i, { ...cases[i]!, expect });
  };
  return (
    <div data-testid="cases-editor">
      <Typography.Paragraph type="secondary">{t('authoring.cases.hint')}</Typography.Paragraph>
      <Table<CaseJson & { index: number }>
        rowKey="index"
        size="small"
        pagination={false}
        dataSource={cases.map((c, index) => ({ ...c, index }))}
        columns={[
          {
            title: t('authoring.cases.name'),
            dataIndex: 'name',
            width: 160,
            render: (name: string, c) => (
              <Input.TextArea
                autoSize={{ minRows: 2, maxRows: 4 }}
                style={{ width: 150 }}
                value={name}
                disabled={readOnly}
                onChange={(e) => update(c.index, { ...cases[c.index]!, name: e.target.value })}
                data-testid={`case-${c.index}-name`}
              />
            ),
          },
          {
            title: t('authoring.cases.facts'),
            key: 'facts',
            render: (_: unknown, c) => (
              <Space direction="vertical" size={4} style={{ width: '100%' }}>
                {Object.entries(c.facts ?? {}).map(([name, value]) => (
                  <Space key={name} size={4} wrap>
                    <Tag>{fieldLabel(name)}</Tag>
                    <FactValueInput
                      fact={factOf(name)}
                      kind={valueKindOf(factOf(name), base[name])}
                      value={value}
                      onChange={(v) =>
                        update(c.index, { ...cases[c.index]!, facts: { ...c.facts, [name]: v } })
                      }
                      testId={`case-${c.index}-fact-${name}`}
                    />
                    {!readOnly && (
                      <Button
                        size="small"
                        type="text"
                        icon={<DeleteOutlined />}
                        aria-label={t('authoring.remove')}
                        onClick={() => {
                          const facts = { ...c.facts };
                          delete facts[name];
                          update(c.index, { ...cases[c.index]!, facts });
                        }}
                      />
                    )}
                  </Space>
                ))}
                {!readOnly && (
                  <Select
                    size="small"
                    style={{ width: 220 }}
                    placeholder={t('authoring.cases.addFact')}
                    value={null}
                    showSearch={{ optionFilterProp: 'label' }}
                    onChange={(name: string) =>
                      update(c.index, {
                        ...cases[c.index]!,
                        facts: { ...c.facts, [name]: base[name] ?? null },
                      })
                    }
                    options={fields
                      .filter((f) => !(f in (c.facts ?? {})))
                      .map((f) => ({ value: f, label: fieldLabel(f) }))}
                    data-testid={`case-${c.index}-add-fact`}
                  />
                )}
              </Space>
            ),
          },
          {
            title: t('authoring.cases.expect'),
            key: 'expect',
            width: 300,
            render: (_: unknown, c) => (
              <Space direction="vertical" size={4}>
                <Space size={4} wrap>
                  <span>{t('rulePack.stratum')}</span>
                  <Input
                    size="small"
                    style={{ width: 150 }}
                    value={typeof c.expect.stratum === 'string' ? c.expect.stratum : ''}
                    disabled={readOnly}
                    onChange={(e) => setExpect(c.index, 'stratum', e.target.value.trim())}
                    data-testid={`case-${c.index}-stratum`}
                  />
                  {typeof c.expect.stratum === 'string' && (
                    <Typography.Text type="secondary">{stratumName(c.expect.stratum, lang)}</Typography.Text>
                  )}
                </Space>
                <Space size={4} wrap>
                  <span>{t('rulePack.mandatory')}</span>
                  <Select
                    size="small"
                    style={{ width: 100 }}
                    value={typeof c.expect.mandatory === 'boolean' ? String(c.expect.mandatory) : ''}
                    disabled={readOnly}
                    onChange={(v: string) =>
                      setExpect(c.index, 'mandatory', v === '' ? undefined : v === 'true')
                    }
                    options={[
                      { value: '', label: t('authoring.cases.any') },
                      { value: 'true', label: t('authoring.yes') },
                      { value: 'false', label: t('authoring.no') },
                    ]}
                    data-testid={`case-${c.index}-mandatory`}
                  />
                  <span>{t('rulePack.ratio')}</span>
                  <InputNumber
                    size="small"
                    style={{ width: 96 }}
                    min={0}
                    max={100}
                    suffix="%"
                    placeholder="15"
                    value={ratioPercent(c.expect.ratio)}
                    disabled={readOnly}
                    onChange={(v) => setExpect(c.index, 'ratio', v === null ? undefined : `${v}%`)}
                    data-testid={`case-${c.index}-ratio`}
                  />
                  <span>{t('authoring.cases.minPerYear')}</span>
                  <InputNumber
                    size="small"
                    min={0}
                    max={12}
                    value={typeof c.expect.minPerYear === 'number' ? c.expect.minPerYear : null}
                    disabled={readOnly}
                    onChange={(v) => setExpect(c.index, 'minPerYear', v)}
                    data-testid={`case-${c.index}-min`}
                  />
                </Space>
                <Space size={4} wrap>
                  <span>{t('authoring.cases.key.fired')}</span>
                  <Select
                    size="small"
                    mode="multiple"
                    style={{ minWidth: 240 }}
                    value={Array.isArray(c.expect.fired) ? (c.expect.fired as string[]) : []}
                    disabled={readOnly}
                    onChange={(v: string[]) => setExpect(c.index, 'fired', v.length ? v : undefined)}
                    options={ruleNames.map((r) => ({ value: r, label: r }))}
                    data-testid={`case-${c.index}-fired`}
                  />
                </Space>
                {Object.entries(c.expect)
                  .filter(([k]) => !(EDITED as readonly string[]).includes(k))
                  .map(([k, v]) => (
                    <Typography.Text key={k} type="secondary" style={{ fontSize: 12 }}>
                      {`${isOneOf(KEY_LABELS, k) ? t(`authoring.cases.key.${k}`) : k}：${expectText(k, v)}`}
                    </Typography.Text>
                  ))}
              </Space>
            ),
          },
          {
            title: '',
            key: 'remove',
            width: 48,
            render: (_: unknown, c) =>
              !readOnly && (
                <Button
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('authoring.remove')}
                  onClick={() => write(cases.filter((_x, j) => j !== c.index))}
                  data-testid={`case-${c.index}-remove`}
                />
              ),
          },
        ]}
      />
      {!readOnly && (
        <Button
          style={{ marginTop: 8 }}
          icon={<PlusOutlined />}
          onClick={() => write([...cases, { name: t('authoring.cases.newName'), facts: {}, expect: {} }])}
          data-testid="case-add"
        >
          {t('authoring.cases.add')}
        </Button>
      )}
    </div>
  );
}
