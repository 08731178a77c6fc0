import {
  AntDActionElement,
  AntDNotToggle,
  AntDValueSelector,
  QueryBuilderAntD,
} from '@react-querybuilder/antd';
import { Alert, Form, InputNumber, Space } from 'antd';
import { useMemo, useRef, useState, type ReactNode } from 'react';
import {
  prepareRuleGroup,
  QueryBuilder,
  type ActionProps,
  type Field,
  type FieldSelectorProps,
  type OperatorSelectorProps,
  type NotToggleProps,
  type RuleGroupType,
  type ValueEditorProps,
  type ValueSelectorProps,
} from 'react-querybuilder';
import 'react-querybuilder/dist/query-builder.css';
import { useI18n, type TKey } from '../../i18n';
import { FactValueInput } from './FactValue';
import { fromQuery, jsonPathsById, toQuery, type Condition, type ConditionGroup } from './conditionQuery';
import type { Catalog, FieldIssue } from './RuleEditor';

type FactInfo = Catalog['facts'][number];

/** Operators json-rules-engine applies to a fact kind; plugin operators name their kinds. */
const ENGINE_BY_KIND: Record<string, string[]> = {
  boolean: ['equal', 'notEqual'],
  enum: ['equal', 'notEqual', 'in', 'notIn'],
  number: ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'],
  date: ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'],
  string: ['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain'],
};

/** Operators the builder offers for a fact (the condition's own operator always stays offered). */
export function operatorsFor(fact: FactInfo | undefined, catalog: Catalog): Catalog['operators'] {
  const kind = fact?.type.kind;
  return catalog.operators.filter((o) =>
    o.plugin === 'json-rules-engine'
      ? !kind || ENGINE_BY_KIND[kind]!.includes(o.name)
      : !o.appliesTo || !kind || o.appliesTo.includes(kind),
  );
}

/** The value a fresh condition starts with, by fact kind and operator. */
export function defaultValueFor(fact: FactInfo | undefined, operator: string): unknown {
  if (operator === 'between') return [null, null];
  const kind = fact?.type.kind;
  const first =
    kind === 'boolean' ? true : kind === 'enum' && fact?.type.kind === 'enum' ? fact.type.values[0] : null;
  return operator === 'in' || operator === 'notIn' ? (first === null ? [] : [first]) : first;
}

interface BuilderContext {
  catalog: Catalog;
  paths: Map<string, string>;
  issues: FieldIssue[];
  render: (issue: FieldIssue) => string;
}

/** True when `id` names a group of the query (not a leaf rule). */
function isGroupId(group: ConditionGroup, id: string): boolean {
  if (group.id === id) return true;
  return group.rules.some((r) => 'rules' in r && isGroupId(r, id));
}

/** Testids of a rule's controls: `cond-<path>-fact`, path joined by dots (`cond-1.0-value`). */
const tid = (path: readonly number[], part: string) => `cond-${path.join('.')}-${part}`;

/** The loader's message for `at` (the exact JSON path, or one inside it), on the control itself. */
function OnField({
  ctx,
  at,
  children,
}: {
  ctx: BuilderContext;
  at: string | undefined;
  children: ReactNode;
}) {
  const issue =
    at === undefined ? undefined : ctx.issues.find((i) => i.path === at || i.path.startsWith(`${at}[`));
  if (!issue) return <>{children}</>;
  return (
    <Form.Item
      validateStatus="error"
      style={{ marginBottom: 0, display: 'inline-block' }}
      help={<span data-testid={`field-error-${at}`}>{ctx.render(issue)}</span>}
    >
      {children}
    </Form.Item>
  );
}

function FieldSelector(props: FieldSelectorProps) {
  const ctx = props.context as BuilderContext;
  const at = props.rule?.id ? ctx.paths.get(props.rule.id) : undefined;
  return (
    <OnField ctx={ctx} at={at === undefined ? undefined : `${at}.fact`}>
      <span data-testid={tid(props.path, 'fact')}>
        <AntDValueSelector
          {...(props as ValueSelectorProps)}
          showSearch={{ optionFilterProp: 'label' }}
          style={{ minWidth: 150 }}
        />
      </span>
    </OnField>
  );
}

function OperatorSelector(props: OperatorSelectorProps) {
  const ctx = props.context as BuilderContext;
  const at = props.rule?.id ? ctx.paths.get(props.rule.id) : undefined;
  return (
    <OnField ctx={ctx} at={at === undefined ? undefined : `${at}.operator`}>
      <span data-testid={tid(props.path, 'operator')}>
        <AntDValueSelector {...(props as ValueSelectorProps)} style={{ minWidth: 120 }} />
      </span>
    </OnField>
  );
}

/** The value of one condition: a picker from the fact's allowed values, a date, a number, a range. */
function ValueEditor(props: ValueEditorProps) {
  const ctx = props.context as BuilderContext;
  const { t } = useI18n();
  const at = props.rule.id ? ctx.paths.get(props.rule.id) : undefined;
  const fact = ctx.catalog.facts.find((f) => f.name === props.field);
  const testId = tid(props.path, 'value');
  let editor: ReactNode;
  if (props.valueSource === 'field') {
    editor = (
      <span data-testid={testId}>
        <AntDValueSelector
          {...(props as unknown as ValueSelectorProps)}
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- false positive: tsc refuses the field list here without it (TS2322, OptionGroup[] expected)
          options={props.schema.fields as ValueSelectorProps['options']}
          value={props.value as string}
          handleOnChange={props.handleOnChange}
        />
      </span>
    );
  } else if (props.operator === 'between') {
    const [lo, hi] = Array.isArray(props.value) ? (props.value as (number | null)[]) : [null, null];
    editor = (
      <Space.Compact>
        <InputNumber
          placeholder={t('authoring.low')}
          value={lo ?? null}
          disabled={props.disabled}
          onChange={(v) => props.handleOnChange([v, hi ?? null])}
          data-testid={tid(props.path, 'low')}
        />
        <InputNumber
          placeholder={t('authoring.high')}
          value={hi ?? null}
          disabled={props.disabled}
          onChange={(v) => props.handleOnChange([lo ?? null, v])}
          data-testid={tid(props.path, 'high')}
        />
      </Space.Compact>
    );
  } else {
    editor = (
      <FactValueInput
        fact={fact}
        value={props.value}
        onChange={props.handleOnChange}
        multiple={props.operator === 'in' || props.operator === 'notIn'}
        testId={testId}
      />
    );
  }
  return (
    <OnField ctx={ctx} at={at === undefined ? undefined : `${at}.value`}>
      {editor}
    </OnField>
  );
}

/** Add/remove buttons carrying a testid by the group's path (`cond-add` for the top group). */
function action(kind: string) {
  return function Action(props: ActionProps) {
    const where = props.path.length ? `-${props.path.join('.')}` : '';
    return (
      <span data-testid={`${kind}${where}`}>
        <AntDActionElement {...props} />
      </span>
    );
  };
}
const AddRule = action('cond-add');
const AddGroup = action('group-add');
const RemoveRule = action('cond-remove');
const RemoveGroup = action('group-remove');

/** The "not" switch of a group, with its word beside it (antd's switch alone shows no label). */
function NotToggle(props: NotToggleProps) {
  const where = props.path.length ? `-${props.path.join('.')}` : '';
  return (
    <span data-testid={`group-not${where}`} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
      <AntDNotToggle {...{ ...props, checkedChildren: null, unCheckedChildren: null }} />
      <span>{props.label}</span>
    </span>
  );
}

function CombinatorSelector(props: ValueSelectorProps) {
  const where = props.path.length ? `-${props.path.join('.')}` : '';
  return (
    <span data-testid={`group-combinator${where}`}>
      <AntDValueSelector {...props} style={{ minWidth: 180 }} />
    </span>
  );
}

/**
 * The conditions of a rule as a react-querybuilder tree with antd controls: facts by their labels,
 * operators per fact kind (plugin operators included), value pickers from the fact's allowed
 * values, nested all/any/not groups. Writes json-rules-engine conditions (`fromQuery`) and shows
 * the loader's messages on the control they name.
 */
export default function ConditionBuilder({
  conditions,
  onChange,
  catalog,
  issues,
  render,
  disabled,
}: {
  conditions: unknown;
  onChange: (conditions: Condition) => void;
  catalog: Catalog;
  issues: FieldIssue[];
  render: (issue: FieldIssue) => string;
  disabled: boolean;
}) {
  const { t, lang } = useI18n();
  const incoming = JSON.stringify(conditions ?? null);
  const emitted = useRef<string | null>(null);
  const [query, setQuery] = useState<ConditionGroup>(() => prepareRuleGroup(toQuery(conditions)));
  // A change from outside (the JSON view, another file) replaces the tree; our own echo does not.
  const [seen, setSeen] = useState(incoming);
  if (incoming !== seen) {
    setSeen(incoming);
    if (incoming !== emitted.current) setQuery(prepareRuleGroup(toQuery(conditions)));
  }
  const fields = useMemo<Field[]>(
    () =>
      catalog.facts.map((f) => ({
        name: f.name,
        value: f.name,
        label: lang === 'zh' ? f.label.zh : f.label.en,
      })),
    [catalog, lang],
  );
  const factOf = (name: string) => catalog.facts.find((f) => f.name === name);
  const label = (key: TKey) => ({ label: t(key), title: t(key) });
  const paths = jsonPathsById(query);
  const ctx: BuilderContext = { catalog, paths, issues, render };
  // Messages about a group (an empty list, the top condition) have no control of their own.
  const rulePaths = [...paths.entries()].filter(([id]) => !isGroupId(query, id)).map(([, p]) => p);
  const onRule = (p: string) =>
    rulePaths.some((r) =>
      ['fact', 'operator', 'value'].some((k) => p === `${r}.${k}` || p.startsWith(`${r}.${k}`)),
    );
  const loose = issues.filter((i) => !onRule(i.path));
  return (
    <div data-testid="condition-builder" className="spotcheck-conditions">
      <style>
        {'.spotcheck-conditions .rule, .spotcheck-conditions .ruleGroup-header { flex-wrap: wrap; }'}
      </style>
      {loose.map((i) => (
        <Alert
          key={`${i.path}:${i.message}`}
          type="error"
          showIcon
          style={{ marginBottom: 8 }}
          title={render(i)}
          data-testid={`field-error-${i.path}`}
        />
      ))}
      <QueryBuilderAntD>
        <QueryBuilder
          fields={fields}
          query={query as RuleGroupType}
          onQueryChange={(q) => {
            const next = q as ConditionGroup;
            setQuery(next);
            const json = fromQuery(next);
            emitted.current = JSON.stringify(json);
            onChange(json);
          }}
          getOperators={(field) =>
            operatorsFor(factOf(field), catalog).map((o) => ({
              name: o.name,
              value: o.name,
              label: lang === 'zh' ? o.label.zh : o.label.en,
            }))
          }
          getDefaultValue={(rule) => defaultValueFor(factOf(rule.field), rule.operator)}
          getDefaultField={
            catalog.facts.some((f) => f.name === 'riskGrade') ? 'riskGrade' : (catalog.facts[0]?.name ?? '')
          }
          combinators={[
            { name: 'and', value: 'and', label: t('authoring.match.all') },
            { name: 'or', value: 'or', label: t('authoring.match.any') },
          ]}
          showNotToggle
          addRuleToNewGroups
          enableMountQueryChange={false}
          resetOnFieldChange
          resetOnOperatorChange
          disabled={disabled}
          context={ctx}
          translations={{
            fields: { title: t('authoring.fact') },
            operators: { title: t('authoring.operator') },
            value: { title: t('authoring.value') },
            combinators: { title: t('authoring.conditions') },
            addRule: { label: `+ ${t('authoring.addCondition')}`, title: t('authoring.addCondition') },
            addGroup: { label: `+ ${t('authoring.addGroup')}`, title: t('authoring.addGroup') },
            removeRule: { label: '⨯', title: t('authoring.remove') },
            removeGroup: { label: '⨯', title: t('authoring.removeGroup') },
            notToggle: label('authoring.not'),
            cloneRule: label('authoring.copy'),
            cloneRuleGroup: label('authoring.copy'),
          }}
          controlElements={{
            fieldSelector: FieldSelector,
            operatorSelector: OperatorSelector,
            valueEditor: ValueEditor,
            addRuleAction: AddRule,
            addGroupAction: AddGroup,
            removeRuleAction: RemoveRule,
            removeGroupAction: RemoveGroup,
            notToggle: NotToggle,
            combinatorSelector: CombinatorSelector,
          }}
        />
      </QueryBuilderAntD>
    </div>
  );
}
