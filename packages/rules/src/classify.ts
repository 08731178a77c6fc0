/**
 * Evaluation of a composed pack: per-unit json-rules-engine runs (`classify`, `explain`) and the
 * bulk path (`classifyMany`) that evaluates the engine once per distinct truth-vector of the
 * pack's leaf conditions. Pure: no I/O.
 */
import type { Engine, EngineResult } from 'json-rules-engine';
import { combineFired } from './combine';
import { buildEngine, engineOperator, EngineRunner, type OperatorEvaluate } from './engine';
import { ZUnitFactsSchema, type FactResolver, type Period, type UnitFacts } from './facts';
import type { Runtime } from './runtime';
import type { ConditionJson } from './schema';
import type { Classification, CompiledRule, ComposedPack } from './types';

/** A leaf condition in an explanation, with the value the unit had. */
export interface ExplainedLeaf {
  readonly fact: string;
  readonly operator: string;
  readonly value: unknown;
  readonly factValue: unknown;
  readonly result: boolean;
}

/** A condition tree node in an explanation. */
export type ExplainedCondition =
  | ExplainedLeaf
  | { readonly all: readonly ExplainedCondition[]; readonly result: boolean }
  | { readonly any: readonly ExplainedCondition[]; readonly result: boolean }
  | { readonly not: ExplainedCondition; readonly result: boolean };

/** One rule's outcome for a unit. */
export interface RuleOutcome {
  readonly rule: string;
  readonly file: string;
  readonly description: string;
  readonly source: string;
  readonly fired: boolean;
  readonly sets: CompiledRule['params'];
  readonly conditions: ExplainedCondition;
}

/** Why a unit got its classification. */
export interface Explanation {
  readonly pack: string;
  readonly version: string;
  readonly period: Period;
  readonly unitId: string;
  /** The fact values the rules read (base and derived). */
  readonly facts: Readonly<Record<string, unknown>>;
  readonly classification: Classification;
  /** Every rule in pack order, fired or not. */
  readonly rules: readonly RuleOutcome[];
}

/** Result of `classifyMany`. */
export interface BulkClassification {
  /** One classification per input unit, same order. Units with equal truth-vectors share one frozen object. */
  readonly results: readonly Classification[];
  /** Whether the truth-vector fast path was used. */
  readonly fastPath: boolean;
  /** Number of json-rules-engine runs made (distinct truth-vectors on the fast path). */
  readonly engineRuns: number;
  /** Loud notes, e.g. falling back to per-unit runs. */
  readonly warnings: readonly string[];
}

/** Options of `classifyMany`. */
export interface ClassifyManyOptions {
  /** Called now and then with the number of units done. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Receives warnings as they happen (default: `process.emitWarning`). */
  readonly onWarning?: (message: string) => void;
  /** Report progress every this many units (default 100 000). */
  readonly progressEvery?: number;
}

/** Thrown when unit facts fail validation; names the unit and the fact. */
export class UnitFactsError extends Error {
  /** Builds the error from the index in the input, the unit id if known, and the zod message. */
  constructor(
    readonly index: number,
    readonly unitId: string | undefined,
    detail: string,
  ) {
    super(`unit ${unitId ?? `#${index}`}: ${detail}`);
    this.name = 'UnitFactsError';
  }
}

/** Validates one unit's facts with zod (throws `UnitFactsError`). */
export function parseUnitFacts(input: unknown, index = 0): UnitFacts {
  const parsed = ZUnitFactsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const unitId = typeof input === 'object' && input !== null ? (input as { unitId?: unknown }).unitId : undefined;
  const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(facts)'}: ${i.message}`).join('; ');
  throw new UnitFactsError(index, typeof unitId === 'string' ? unitId : undefined, detail);
}

function freezeDeep<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) freezeDeep(v);
    Object.freeze(value);
  }
  return value;
}

/** Re-evaluates a rule's condition tree for the explanation (json-rules-engine short-circuits, so its own result tree is partial). */
function explainCondition(node: ConditionJson, facts: Record<string, unknown>, opOf: (name: string) => OperatorEvaluate | null): ExplainedCondition {
  if ('all' in node) {
    const all = node.all.map((c) => explainCondition(c, facts, opOf));
    return { all, result: all.every((c) => c.result) };
  }
  if ('any' in node) {
    const any = node.any.map((c) => explainCondition(c, facts, opOf));
    return { any, result: any.some((c) => c.result) };
  }
  if ('not' in node) {
    const not = explainCondition(node.not, facts, opOf);
    return { not, result: !not.result };
  }
  const factValue = facts[node.fact];
  const value = typeof node.value === 'object' && node.value !== null && 'fact' in node.value ? facts[(node.value as { fact: string }).fact] : node.value;
  const op = opOf(node.operator);
  return { fact: node.fact, operator: node.operator, value: node.value, factValue, result: op ? op(factValue, value) : false };
}

/**
 * Classifies units with one composed pack. Holds one json-rules-engine Engine and never runs it
 * concurrently; build one Classifier per pack (and per worker, if you use workers).
 */
export class Classifier {
  private readonly engine: Engine;
  private readonly runner: EngineRunner;
  private readonly byId: ReadonlyMap<string, CompiledRule>;
  private readonly derived: readonly FactResolver[];
  private readonly baseFacts: readonly string[];

  /** Builds the engine for `pack` with the runtime's operators and resolvers. */
  constructor(
    readonly pack: ComposedPack,
    private readonly runtime: Runtime,
  ) {
    this.engine = buildEngine(runtime, pack.rules);
    this.runner = new EngineRunner(this.engine);
    this.byId = new Map(pack.rules.map((r) => [r.id, r]));
    this.derived = pack.facts.flatMap((f) => {
      const r = runtime.resolvers.get(f);
      return r ? [r] : [];
    });
    this.baseFacts = pack.facts.filter((f) => !runtime.resolvers.has(f));
  }

  /** The facts the pack reads for one (validated) unit: base facts plus derived facts for the period. */
  factsFor(unit: UnitFacts, period: Period): Record<string, unknown> {
    const facts: Record<string, unknown> = {};
    const record = unit as unknown as Record<string, unknown>;
    for (const f of this.baseFacts) facts[f] = record[f];
    for (const r of this.derived) facts[r.name] = r.resolve(unit, period);
    return facts;
  }

  private toClassification(result: EngineResult): Classification {
    const fired = result.results.map((r) => this.byId.get(r.name)!);
    return combineFired(this.pack, fired);
  }

  private async runFacts(facts: Record<string, unknown>): Promise<EngineResult> {
    return this.runner.run(facts);
  }

  /** Classifies one unit with a json-rules-engine run (validates the facts first). */
  async classify(unit: unknown, period: Period): Promise<Classification> {
    const facts = parseUnitFacts(unit);
    return this.toClassification(await this.runFacts(this.factsFor(facts, period)));
  }

  /** Classifies one unit and says which rules fired and why. */
  async explain(unit: unknown, period: Period): Promise<Explanation> {
    const facts = parseUnitFacts(unit);
    const input = this.factsFor(facts, period);
    const result = await this.runFacts(input);
    const outcomes = new Map<string, RuleOutcome>();
    for (const [list, fired] of [
      [result.results, true],
      [result.failureResults, false],
    ] as const) {
      for (const r of list) {
        const rule = this.byId.get(r.name)!;
        const opOf = (name: string) => engineOperator(this.engine, name);
        outcomes.set(rule.id, {
          rule: rule.id,
          file: rule.file,
          description: rule.description,
          source: rule.source,
          fired,
          sets: rule.params,
          conditions: explainCondition(rule.conditions, input, opOf),
        });
      }
    }
    return {
      pack: this.pack.id,
      version: this.pack.version,
      period,
      unitId: facts.unitId,
      facts: input,
      classification: this.toClassification(result),
      rules: this.pack.rules.flatMap((r) => {
        const o = outcomes.get(r.id);
        return o ? [o] : [];
      }),
    };
  }

  /**
   * Classifies a whole roster. Output is identical to `classify` on each unit. When every leaf
   * condition compares a fact with a constant, the engine runs once per distinct truth-vector of
   * the leaves; otherwise it falls back to one run per unit and says so in `warnings`.
   */
  async classifyMany(units: readonly unknown[], period: Period, options: ClassifyManyOptions = {}): Promise<BulkClassification> {
    const warnings: string[] = [];
    const warn = (message: string) => {
      warnings.push(message);
      if (options.onWarning) options.onWarning(message);
      else process.emitWarning(message, 'SpotcheckRulesWarning');
    };
    const every = options.progressEvery ?? 100_000;
    const total = units.length;
    const results = new Array<Classification>(total);
    if (!this.pack.fastPath.eligible) {
      warn(`rule pack ${this.pack.id}: fast path disabled, running json-rules-engine once per unit (${total} runs): ${this.pack.fastPath.reasons.join('; ')}`);
      for (let i = 0; i < total; i++) {
        const facts = parseUnitFacts(units[i], i);
        results[i] = freezeDeep(this.toClassification(await this.runFacts(this.factsFor(facts, period))));
        if ((i + 1) % every === 0) options.onProgress?.(i + 1, total);
      }
      options.onProgress?.(total, total);
      return { results, fastPath: false, engineRuns: total, warnings };
    }

    const leaves = this.pack.leaves.map((leaf) => {
      const op: OperatorEvaluate | null = engineOperator(this.engine, leaf.operator);
      if (!op) throw new Error(`rule pack ${this.pack.id}: unknown operator ${leaf.operator}`);
      return { fact: leaf.fact, value: leaf.value, op };
    });
    const cache = new Map<number | string, Classification>();
    const wide = leaves.length > 52;
    let engineRuns = 0;
    for (let i = 0; i < total; i++) {
      const facts = this.factsFor(parseUnitFacts(units[i], i), period);
      let key: number | string = 0;
      if (!wide) {
        let bit = 1;
        for (const leaf of leaves) {
          if (leaf.op(facts[leaf.fact], leaf.value)) key += bit;
          bit *= 2;
        }
      } else {
        key = leaves.map((leaf) => (leaf.op(facts[leaf.fact], leaf.value) ? '1' : '0')).join('');
      }
      let c = cache.get(key);
      if (c === undefined) {
        c = freezeDeep(this.toClassification(await this.runFacts(facts)));
        engineRuns++;
        cache.set(key, c);
      }
      results[i] = c;
      if ((i + 1) % every === 0) options.onProgress?.(i + 1, total);
    }
    options.onProgress?.(total, total);
    return { results, fastPath: true, engineRuns, warnings };
  }
}
