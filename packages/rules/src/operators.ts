/**
 * Custom operators, registered by name on every engine and used by the fast path. An operator
 * compares a fact value with the constant `value` of a condition; it must be pure.
 */

/** A named operator for rule conditions. */
export interface OperatorDefinition {
  /** Operator name used in conditions. */
  readonly name: string;
  /** What it means, for pack authors. */
  readonly description: string;
  /** Returns a message when `value` (the condition's constant) is unusable, else null. */
  validateValue(value: unknown): string | null;
  /** Whether the fact value satisfies the operator against the constant. */
  evaluate(factValue: unknown, value: unknown): boolean;
}

const positiveInt = (value: unknown) =>
  Number.isInteger(value) && (value as number) > 0 ? null : 'value must be a positive whole number';

/** Built-in custom operators. */
export const BUILTIN_OPERATORS: readonly OperatorDefinition[] = [
  {
    name: 'withinYears',
    description:
      'for a "years since" fact: true when there was such an event and it is fewer than `value` whole years before ' +
      'the period start (null, i.e. never, is false). yearsSinceFatalAccident withinYears 3 = fatal accident in the last three years',
    validateValue: positiveInt,
    evaluate: (factValue, value) => typeof factValue === 'number' && factValue < (value as number),
  },
  {
    name: 'overdueMonths',
    description:
      'for a "months since" fact: true when the unit was never inspected (null) or at least `value` whole months ago',
    validateValue: positiveInt,
    evaluate: (factValue, value) =>
      factValue === null || (typeof factValue === 'number' && factValue >= (value as number)),
  },
];

/** json-rules-engine's own operators and the types of value they compare. */
export const ENGINE_OPERATORS: Readonly<Record<string, string>> = {
  equal: 'fact equals value',
  notEqual: 'fact differs from value',
  in: 'fact is one of the values in the list',
  notIn: 'fact is none of the values in the list',
  contains: 'list fact contains value',
  doesNotContain: 'list fact does not contain value',
  lessThan: 'number fact < value',
  lessThanInclusive: 'number fact ≤ value',
  greaterThan: 'number fact > value',
  greaterThanInclusive: 'number fact ≥ value',
};
