import { DatePicker, Input, InputNumber, Select } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../../i18n';
import type { RouterOutputs } from '../../lib/types';

type FactInfo = RouterOutputs['rulePacks']['catalog']['facts'][number];
/** How a value is edited: a registered fact's type, or (for a unit field no fact names) its sample. */
export type ValueKind = 'boolean' | 'enum' | 'date' | 'number' | 'string';

/** The kind of a unit field: the fact of the same name, else guessed from a sample value. */
export function valueKindOf(fact: FactInfo | undefined, sample: unknown): ValueKind {
  if (fact) return fact.type.kind;
  if (typeof sample === 'boolean') return 'boolean';
  if (typeof sample === 'number') return 'number';
  if (typeof sample === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(sample)) return 'date';
  return 'string';
}

/**
 * A value picker for one fact: yes/no, the fact's allowed values by their labels (several for
 * `in`/`notIn`), a date, a number, or text. Used by the rule editor and the cases table.
 */
export function FactValueInput({
  fact,
  kind = valueKindOf(fact, undefined),
  value,
  onChange,
  multiple = false,
  testId,
}: {
  fact: FactInfo | undefined;
  kind?: ValueKind;
  value: unknown;
  onChange: (value: unknown) => void;
  multiple?: boolean;
  testId: string;
}) {
  const { t, lang } = useI18n();
  if (kind === 'boolean')
    return (
      <Select
        style={{ minWidth: 100 }}
        value={value as boolean}
        onChange={onChange}
        options={[
          { value: true, label: t('authoring.yes') },
          { value: false, label: t('authoring.no') },
        ]}
        data-testid={testId}
      />
    );
  if (kind === 'enum' && fact?.type.kind === 'enum')
    return (
      <Select
        style={{ minWidth: 200 }}
        mode={multiple ? 'multiple' : undefined}
        value={value as string}
        onChange={onChange}
        showSearch={{ optionFilterProp: 'label' }}
        options={fact.type.values.map((v) => ({
          value: v,
          label: fact.valueLabels?.[v]?.[lang] ?? v,
        }))}
        data-testid={testId}
      />
    );
  if (kind === 'date')
    return (
      <DatePicker
        value={typeof value === 'string' ? dayjs(value) : null}
        onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : null)}
        data-testid={testId}
      />
    );
  if (kind === 'number')
    return (
      <InputNumber
        value={typeof value === 'number' ? value : null}
        onChange={onChange}
        data-testid={testId}
      />
    );
  return (
    <Input
      value={typeof value === 'string' ? value : JSON.stringify(value ?? '')}
      onChange={(e) => onChange(e.target.value)}
      data-testid={testId}
    />
  );
}
