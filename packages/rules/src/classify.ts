/**
 * Evaluation of a composed pack: per-unit json-rules-engine runs (`classify`, `explain`) and the
 * bulk path (`classifyMany`) that evaluates the engine once per distinct truth-vector of the
 * pack's leaf conditions. Pure: no I/O.
 */
import type { Engine, EngineResult } from 'json-rules-engine';
import { combineFired } from './combine';
import { buildEngine, engineOperator, EngineRunner, type OperatorEvaluate } from './engine';
import { isValidUnitFacts, ZUnitFactsSchema, type FactResolver, type Period, type UnitFacts } from './facts';
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
  /** json-rules-engine runs made (on the fast path: distinct sets of rules whose conditions hold). */
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
  /**
   * Caches kept across calls on batches of one roster (from {@link Classifier.bulkCache}): each
   * distinct truth-vector then costs one engine run per roster, not one per batch.
   */
  readonly cache?: BulkCache;
}

/** Values remembered per fact by `classifyMany` (its memo starts afresh past this). */
export const MEMO_LIMIT = 65_536;

/**
 * What `classifyMany` learns of a pack and a period: value → leaf bits per fact (at most
 * {@link MEMO_LIMIT} values each), truth-vector → classification. Owned by the caller, for one
 * classifier and one period (copied: changing the caller's object later does not move the cache
 * to another period), and dropped with the roster; it grows with the distinct vectors seen, not
 * with the units.
 */
export class BulkCache {
  /** @internal */
  readonly memos = new Map<string, Map<unknown, number>>();
  /** @internal */
  readonly byVector = new Map<number | string, Classification>();
  /** @internal */
  readonly byFiredSet = new Map<string, Classification>();

  readonly period: Period;

  /** @internal */
  constructor(
    readonly owner: Classifier,
    period: Period,
  ) {
    this.period = Object.freeze({ start: period.start, end: period.end });
  }
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
  if (isValidUnitFacts(input)) return input;
  const parsed = ZUnitFactsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const unitId =
    typeof input === 'object' && input !== null ? (input as { unitId?: unknown }).unitId : undefined;
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
function explainCondition(
  node: ConditionJson,
  facts: Record<string, unknown>,
  opOf: (name: string) => OperatorEvaluate | null,
): ExplainedCondition {
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
  const value =
    typeof node.value === 'object' && node.value !== null && 'fact' in node.value
      ? facts[(node.value as { fact: string }).fact]
      : node.value;
  const op = opOf(node.operator);
  return {
    fact: node.fact,
    operator: node.operator,
    value: node.value,
    factValue,
    result: op ? op(factValue, value) : false,
  };
}

/** Leaf conditions of one fact, for the bulk path. */
interface Group {
  index: number;
  fact: string;
  /** The unit field the memo is keyed on: the fact itself, or the one base fact a derived fact reads. */
  keyFact: string;
  /** Slot of a derived fact reading several base facts (resolved per unit), else undefined. */
  slot: number | undefined;
  /** Resolver of a single-read derived fact, called on memo misses. */
  resolver: FactResolver | undefined;
  tests: { bit: number; op: OperatorEvaluate; value: unknown }[];
  /** fact value → bits of the tests it passes. */
  memo: Map<unknown, number>;
}

/** Compiles a condition tree into a test over leaf truth bits (indices from `leafIndex`). */
function compileTruthTree(
  node: ConditionJson,
  leafIndex: ReadonlyMap<string, number>,
): (bits: readonly boolean[]) => boolean {
  if ('all' in node) {
    const parts = node.all.map((c) => compileTruthTree(c, leafIndex));
    return (bits) => parts.every((p) => p(bits));
  }
  if ('any' in node) {
    const parts = node.any.map((c) => compileTruthTree(c, leafIndex));
    return (bits) => parts.some((p) => p(bits));
  }
  if ('not' in node) {
    const part = compileTruthTree(node.not, leafIndex);
    return (bits) => !part(bits);
  }
  const index = leafIndex.get(JSON.stringify([node.fact, node.operator, node.value]));
  if (index === undefined)
    throw new Error(`leaf ${node.fact} ${node.operator} is not in the pack's leaf table`);
  return (bits) => bits[index]!;
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

  /** A cache for {@link classifyMany} calls on batches of one roster in `period`. */
  bulkCache(period: Period): BulkCache {
    return new BulkCache(this, period);
  }

  /**
   * Classifies a whole roster. Output is identical to `classify` on each unit. When every leaf
   * condition compares a fact with a constant, each unit's leaf truth-vector is computed with the
   * engine's own operators; vectors are cached, and json-rules-engine runs once per distinct set
   * of rules those vectors make true (checked against the engine's fired rules on every run).
   * Otherwise it falls back to one run per unit and says so in `warnings`.
   */
  async classifyMany(
    units: readonly unknown[],
    period: Period,
    options: ClassifyManyOptions = {},
  ): Promise<BulkClassification> {
    const warnings: string[] = [];
    const warn = (message: string) => {
      warnings.push(message);
      if (options.onWarning) options.onWarning(message);
      else process.emitWarning(message, 'SpotcheckRulesWarning');
    };
    const cache = options.cache;
    if (
      cache &&
      (cache.owner !== this || cache.period.start !== period.start || cache.period.end !== period.end)
    )
      throw new Error(`classifyMany: the cache belongs to another rule pack or period than ${this.pack.id}`);
    const every = options.progressEvery ?? 100_000;
    const total = units.length;
    const results = new Array<Classification>(total);
    if (!this.pack.fastPath.eligible) {
      warn(
        `rule pack ${this.pack.id}: fast path disabled, running json-rules-engine once per unit (${total} runs): ${this.pack.fastPath.reasons.join('; ')}`,
      );
      for (let i = 0; i < total; i++) {
        const facts = parseUnitFacts(units[i], i);
        results[i] = freezeDeep(this.toClassification(await this.runFacts(this.factsFor(facts, period))));
        if ((i + 1) % every === 0) options.onProgress?.(i + 1, total);
      }
      options.onProgress?.(total, total);
      return { results, fastPath: false, engineRuns: total, warnings };
    }

    // Leaves are grouped by fact. Operators are pure, so the bits a fact contributes depend only on
    // its value: memoise value → bits per fact (enums, booleans and small numbers repeat).
    const derivedIndex = new Map(this.derived.map((r, i) => [r.name, i]));
    const slots = new Array<unknown>(this.derived.length);
    const groups = new Map<string, Group>();
    const position: [number, number][] = []; // leaf → [group, bit within group]
    this.pack.leaves.forEach((leaf) => {
      const op = engineOperator(this.engine, leaf.operator);
      if (!op) throw new Error(`rule pack ${this.pack.id}: unknown operator ${leaf.operator}`);
      let g = groups.get(leaf.fact);
      if (!g) {
        // A derived fact reading one base fact is memoised on that base value (no resolver call per unit).
        const resolver = this.runtime.resolvers.get(leaf.fact);
        const single = resolver && resolver.reads.length === 1 ? resolver : undefined;
        g = {
          index: groups.size,
          fact: leaf.fact,
          keyFact: single ? single.reads[0]! : leaf.fact,
          slot: single ? undefined : derivedIndex.get(leaf.fact),
          resolver: single,
          tests: [],
          memo: cache ? memoOf(cache, leaf.fact) : new Map(),
        };
        groups.set(leaf.fact, g);
      }
      position.push([g.index, g.tests.length]);
      g.tests.push({ bit: 2 ** g.tests.length, op, value: leaf.value });
    });
    const factGroups = [...groups.values()];
    const multiRead = [...new Set(factGroups.flatMap((g) => (g.slot === undefined ? [] : [g.slot])))];
    if (factGroups.some((g) => g.tests.length > 30)) {
      throw new Error(`rule pack ${this.pack.id}: more than 30 leaf conditions on one fact`);
    }
    // Narrow packs key the cache with one number (group bits shifted into place), wide ones with a string.
    const offsets: number[] = [];
    let width = 0;
    for (const g of factGroups) {
      offsets.push(2 ** width);
      width += g.tests.length;
    }
    const narrow = width <= 52;
    const leafIndex = new Map(
      this.pack.leaves.map((l, i) => [JSON.stringify([l.fact, l.operator, l.value]), i]),
    );
    // Each rule's condition tree over the leaf truth bits: the set of rules whose conditions hold.
    const ruleTests = this.pack.rules.map((rule) => compileTruthTree(rule.conditions, leafIndex));
    const byVector = cache?.byVector ?? new Map<number | string, Classification>();
    const byFiredSet = cache?.byFiredSet ?? new Map<string, Classification>();
    const parts = new Array<number>(factGroups.length);
    let engineRuns = 0;
    for (let i = 0; i < total; i++) {
      const unit = parseUnitFacts(units[i], i);
      const record = unit as unknown as Record<string, unknown>;
      for (const d of multiRead) slots[d] = this.derived[d]!.resolve(unit, period);
      let key: number | string = 0;
      for (let gi = 0; gi < factGroups.length; gi++) {
        const g = factGroups[gi]!;
        const memoKey = g.slot === undefined ? record[g.keyFact] : slots[g.slot];
        let part = g.memo.get(memoKey);
        if (part === undefined) {
          const v = g.resolver ? g.resolver.resolve(unit, period) : memoKey;
          part = 0;
          for (const t of g.tests) if (t.op(v, t.value)) part += t.bit;
          // A fact with a value per unit (an id, a name) would hold the roster: start the memo afresh.
          if (g.memo.size >= MEMO_LIMIT) g.memo.clear();
          g.memo.set(memoKey, part);
        }
        parts[gi] = part;
        if (narrow) key += part * offsets[gi]!;
      }
      if (!narrow) key = parts.join(',');
      let c = byVector.get(key);
      if (c === undefined) {
        const bits = position.map(([gi, b]) => Math.floor(parts[gi]! / 2 ** b) % 2 === 1);
        const firedKey = ruleTests.map((test) => (test(bits) ? '1' : '0')).join('');
        c = byFiredSet.get(firedKey);
        if (c === undefined) {
          c = freezeDeep(this.toClassification(await this.runFacts(this.factsFor(unit, period))));
          engineRuns++;
          const predicted = this.pack.rules.filter((_, r) => firedKey[r] === '1').map((r) => r.id);
          if (predicted.join('\n') !== c.fired.join('\n')) {
            throw new Error(
              `rule pack ${this.pack.id}: fast path disagrees with json-rules-engine on unit ${unit.unitId} (predicted ${predicted.join(', ')}; engine fired ${c.fired.join(', ')})`,
            );
          }
          byFiredSet.set(firedKey, c);
        }
        byVector.set(key, c);
      }
      results[i] = c;
      if ((i + 1) % every === 0) options.onProgress?.(i + 1, total);
    }
    options.onProgress?.(total, total);
    return { results, fastPath: true, engineRuns, warnings };
  }
}

function memoOf(cache: BulkCache, fact: string): Map<unknown, number> {
  let memo = cache.memos.get(fact);
  if (!memo) cache.memos.set(fact, (memo = new Map()));
  return memo;
}
