/**
 * Plugins: the typed way to add facts and operators to rule packs (`definePlugin`). The base
 * facts, the built-in derived facts and operators are themselves a plugin (`basePlugin`); the
 * plugins a deployment uses are listed in `rules/plugins.json` and loaded by the API, the CLI and
 * the bulk classifier alike (`@spotcheck/rules/load`). Pure: no I/O here.
 */
import {
  BASE_FACTS,
  BUILTIN_FACT_RESOLVERS,
  type FactResolver,
  type FactType,
  type FactValue,
  type Label,
  type Period,
  type UnitFacts,
} from './facts';
import { BUILTIN_OPERATORS, type OperatorDefinition } from './operators';

/** Shared fields of a declared fact. */
interface FactDeclarationBase {
  /** The fact name used in rule conditions (camelCase). */
  readonly name: string;
  /** The value domain. */
  readonly type: FactType;
  /** What the editor shows. */
  readonly label: Label;
  /** What the fact means, for pack authors (the authoring guide's table). */
  readonly description: string;
  /** Labels of enum values, for value pickers. */
  readonly valueLabels?: Readonly<Record<string, Label>>;
}

/** A fact read from the unit record: a column of the target roster (`UnitFacts`). */
export interface UnitFactDeclaration extends FactDeclarationBase {
  readonly from: 'unit';
}

/** A fact derived from a unit's base facts for the evaluation period. */
export interface DerivedFactDeclaration extends FactDeclarationBase {
  readonly from: 'derived';
  /** Base facts it reads; the value must depend on these and the period only (the bulk path memoises on them). */
  readonly reads: readonly (keyof UnitFacts)[];
  /** Computes the value; must be pure and deterministic. */
  resolve(unit: UnitFacts, period: Period): FactValue;
}

/** A fact a plugin declares. */
export type FactDeclaration = UnitFactDeclaration | DerivedFactDeclaration;

/** What the tighten-only check needs to reason about a leaf using an operator. */
export interface OtherLeaf {
  readonly operator: string;
  readonly value: unknown;
}

/** An operator a plugin declares. */
export interface OperatorDeclaration extends OperatorDefinition {
  /** What the editor shows. */
  readonly label: Label;
  /** Fact kinds the editor offers it for (default: every kind). */
  readonly appliesTo?: readonly FactType['kind'][];
  /**
   * Tighten-only reasoning (optional): true only when every fact value satisfying
   * `fact <this operator> value` also satisfies `fact <other.operator> other.value`. Without it
   * the check can reason only about facts with a finite domain (booleans, enums).
   */
  implies?(value: unknown, other: OtherLeaf): boolean;
}

/** A plugin: facts and operators packs may use. */
export interface RulesPlugin {
  /** The package or plugin name, e.g. `@acme/plugin-cold-storage`. */
  readonly name: string;
  readonly facts: readonly FactDeclaration[];
  readonly operators: readonly OperatorDeclaration[];
}

const CAMEL = /^[a-z][A-Za-z0-9]*$/;

/**
 * Declares a plugin. Checks the declarations eagerly (names camelCase, enum facts with values,
 * derived facts reading at least one base fact) so a broken plugin fails where it is written.
 */
export function definePlugin(plugin: RulesPlugin): RulesPlugin {
  if (!plugin.name.trim()) throw new Error('a plugin needs a name');
  for (const f of plugin.facts) {
    if (!CAMEL.test(f.name)) throw new Error(`plugin ${plugin.name}: fact "${f.name}" must be camelCase`);
    if (!f.label.zh || !f.label.en)
      throw new Error(`plugin ${plugin.name}: fact "${f.name}" needs a zh and an en label`);
    if (f.type.kind === 'enum' && f.type.values.length === 0)
      throw new Error(`plugin ${plugin.name}: enum fact "${f.name}" needs values`);
    if (f.from === 'derived' && f.reads.length === 0)
      throw new Error(`plugin ${plugin.name}: derived fact "${f.name}" must list the base facts it reads`);
  }
  for (const op of plugin.operators) {
    if (!CAMEL.test(op.name))
      throw new Error(`plugin ${plugin.name}: operator "${op.name}" must be camelCase`);
  }
  return Object.freeze({ ...plugin, facts: [...plugin.facts], operators: [...plugin.operators] });
}

/** A derived-fact declaration as the engine's resolver. */
export function resolverOf(f: DerivedFactDeclaration): FactResolver {
  return { name: f.name, description: f.description, type: f.type, reads: f.reads, resolve: f.resolve };
}

const DERIVED_LABELS: Record<string, Label> = {
  yearsSinceFatalAccident: { zh: '距最近死亡事故年数', en: 'Years since fatal accident' },
  monthsSinceLastInspection: { zh: '距最近检查月数', en: 'Months since last inspection' },
  highRisk: { zh: '风险等级较高（重大或较大）', en: 'High risk (major or high)' },
};

const OPERATOR_LABELS: Record<string, Label> = {
  withinYears: { zh: '在……年内发生过', en: 'within years' },
  overdueMonths: { zh: '从未检查或已超过……个月', en: 'never or at least months ago' },
};

/** The built-in plugin: the unit record's facts, the derived facts and operators of packages/rules. */
export const basePlugin: RulesPlugin = definePlugin({
  name: '@spotcheck/rules (built-in)',
  facts: [
    ...Object.entries(BASE_FACTS).map(([name, def]): UnitFactDeclaration => ({
      from: 'unit',
      name,
      type: def.type,
      description: def.description,
      label: def.label,
      ...(def.valueLabels ? { valueLabels: def.valueLabels } : {}),
    })),
    ...BUILTIN_FACT_RESOLVERS.map((r): DerivedFactDeclaration => ({
      from: 'derived',
      name: r.name,
      type: r.type,
      description: r.description,
      label: DERIVED_LABELS[r.name] ?? { zh: r.name, en: r.name },
      reads: r.reads,
      resolve: r.resolve,
    })),
  ],
  operators: BUILTIN_OPERATORS.map((op) => ({
    ...op,
    label: OPERATOR_LABELS[op.name] ?? { zh: op.name, en: op.name },
    appliesTo: ['number'] as const,
  })),
});

/** Labels of json-rules-engine's own operators, for the editor. */
export const ENGINE_OPERATOR_LABELS: Readonly<Record<string, Label>> = {
  equal: { zh: '等于', en: 'equals' },
  notEqual: { zh: '不等于', en: 'does not equal' },
  in: { zh: '属于', en: 'is one of' },
  notIn: { zh: '不属于', en: 'is none of' },
  contains: { zh: '包含', en: 'contains' },
  doesNotContain: { zh: '不包含', en: 'does not contain' },
  lessThan: { zh: '小于', en: 'less than' },
  lessThanInclusive: { zh: '小于等于', en: 'at most' },
  greaterThan: { zh: '大于', en: 'greater than' },
  greaterThanInclusive: { zh: '大于等于', en: 'at least' },
};

/** A fact as the editor and the authoring guide see it (no code). */
export interface FactInfo {
  readonly name: string;
  readonly plugin: string;
  readonly from: 'unit' | 'derived';
  readonly type: FactType;
  readonly label: Label;
  readonly description: string;
  readonly valueLabels?: Readonly<Record<string, Label>>;
  readonly reads?: readonly string[];
}

/** An operator as the editor and the authoring guide see it. */
export interface OperatorInfo {
  readonly name: string;
  readonly plugin: string;
  readonly label: Label;
  readonly description: string;
  readonly appliesTo: readonly FactType['kind'][] | null;
}

/** The facts and operators of a plugin list, as plain data. */
export function catalogOf(plugins: readonly RulesPlugin[]): {
  facts: FactInfo[];
  operators: OperatorInfo[];
} {
  const facts: FactInfo[] = [];
  const operators: OperatorInfo[] = Object.entries(ENGINE_OPERATOR_LABELS).map(([name, label]) => ({
    name,
    plugin: 'json-rules-engine',
    label,
    description: label.en,
    appliesTo: null,
  }));
  for (const p of plugins) {
    for (const f of p.facts) {
      facts.push({
        name: f.name,
        plugin: p.name,
        from: f.from,
        type: f.type,
        label: f.label,
        description: f.description,
        ...(f.valueLabels ? { valueLabels: f.valueLabels } : {}),
        ...(f.from === 'derived' ? { reads: f.reads } : {}),
      });
    }
    for (const op of p.operators) {
      operators.push({
        name: op.name,
        plugin: p.name,
        label: op.label,
        description: op.description,
        appliesTo: op.appliesTo ?? null,
      });
    }
  }
  return { facts, operators };
}

/** Operator declarations of a plugin list, as the runtime registers them. */
export function operatorsOf(plugins: readonly RulesPlugin[]): OperatorDeclaration[] {
  return plugins.flatMap((p) => p.operators);
}

/** Re-exported for plugin authors. */
export type { FactType, FactValue, Label, OperatorDefinition, Period, UnitFacts };
