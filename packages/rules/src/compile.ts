/**
 * Pure pack compilation: validates pack sources (zod + a condition walker with suggestions),
 * composes each district pack on the city pack it extends, and checks at load time that a
 * district only tightens the city's floor. No I/O: sources come from files or from JSON.
 */
import { z } from 'zod';
import { packDigest } from './digest';
import { buildEngine, engineOperator, type OperatorEvaluate } from './engine';
import { parsePeriod, ZUnitFactsSchema, type FactType, type FactValue } from './facts';
import { compareRatios } from './ratio';
import type { Runtime } from './runtime';
import {
  RULE_NAME,
  ZCaseFileSchema,
  ZManifestSchema,
  ZRuleFileLoadSchema,
  type ConditionJson,
  type PackDefaults,
} from './schema';
import { didYouMean } from './suggest';
import type {
  CompiledCase,
  CompiledPack,
  CompiledRule,
  ComposedPack,
  LeafCondition,
  PackIssue,
  PackSource,
} from './types';

/** JSON path text for a path array: `$.a.b[0]["x-y"]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][\w$]*$/.test(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/** Every key any pack file may use, for "did you mean" on unknown keys. */
const KNOWN_KEYS = [
  ...Object.keys(ZManifestSchema.shape),
  'stratum',
  'ratio',
  'minPerYear',
  'maxPerYear',
  'inspectionKind',
  'mandatory',
  'reason',
  'weight',
  'specialty',
  'expert',
  'name',
  'priority',
  'meta',
  'conditions',
  'event',
  'type',
  'params',
  'description',
  'source',
  'all',
  'any',
  'not',
  'fact',
  'operator',
  'value',
  'path',
  'period',
  'base',
  'cases',
  'facts',
  'expect',
  'fired',
  ...Object.keys(ZUnitFactsSchema.shape),
];

class Issues {
  readonly list: PackIssue[] = [];
  error(file: string, path: string, message: string, suggestion?: string): void {
    this.list.push({ severity: 'error', file, path, message, ...(suggestion ? { suggestion } : {}) });
  }
  warn(file: string, path: string, message: string, suggestion?: string): void {
    this.list.push({ severity: 'warning', file, path, message, ...(suggestion ? { suggestion } : {}) });
  }
  zod(file: string, error: z.ZodError, base: readonly PropertyKey[] = []): void {
    for (const issue of error.issues) {
      const path = jsonPath([...base, ...issue.path]);
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          this.error(
            file,
            jsonPath([...base, ...issue.path, key]),
            `unknown field "${key}"`,
            didYouMean(key, KNOWN_KEYS),
          );
        }
      } else if (issue.code === 'invalid_value' && issue.values.every((v) => typeof v === 'string')) {
        const input = (issue as { input?: unknown }).input;
        const shown = issue.values.map((v) => JSON.stringify(v)).join(', ');
        this.error(
          file,
          path,
          `${JSON.stringify(input)} is not one of ${shown}`,
          typeof input === 'string' ? didYouMean(input, issue.values as string[]) : undefined,
        );
      } else {
        this.error(file, path, issue.message);
      }
    }
  }
  get failed(): boolean {
    return this.list.some((i) => i.severity === 'error');
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a file of a source: parsed JSON, raw text parsed now, or undefined with an issue. */
function readJson(source: PackSource, name: string, issues: Issues): unknown {
  const content = source.files[name];
  const file = `${source.origin}/${name}`;
  if (typeof content !== 'string') return content;
  try {
    return JSON.parse(content) as unknown;
  } catch (err) {
    issues.error(file, '$', `not valid JSON: ${(err as Error).message}`, 'check commas, quotes and brackets');
    return undefined;
  }
}

interface ParsedPack {
  source: PackSource;
  manifest: z.infer<typeof ZManifestSchema>;
  manifestFile: string;
  rules: { file: string; base: string; json: z.infer<typeof ZRuleFileLoadSchema> }[];
  cases: { file: string; json: z.infer<typeof ZCaseFileSchema> }[];
}

function parseSource(source: PackSource, issues: Issues): ParsedPack | undefined {
  const manifestFile = `${source.origin}/pack.json`;
  if (!('pack.json' in source.files)) {
    issues.error(
      manifestFile,
      '$',
      'pack.json is missing',
      'every pack directory needs a pack.json manifest',
    );
    return undefined;
  }
  const m = ZManifestSchema.safeParse(readJson(source, 'pack.json', issues));
  if (!m.success) issues.zod(manifestFile, m.error);
  const rules: ParsedPack['rules'] = [];
  const cases: ParsedPack['cases'] = [];
  for (const name of Object.keys(source.files).sort()) {
    const file = `${source.origin}/${name}`;
    const rule = /^rules\/([^/]+)\.json$/.exec(name);
    const kase = /^cases\/[^/]+\.json$/.test(name);
    if (name === 'pack.json') continue;
    if (!rule && !kase) {
      issues.warn(file, '$', 'ignored: pack files are pack.json, rules/*.json and cases/*.json');
      continue;
    }
    const json = readJson(source, name, issues);
    if (json === undefined) continue;
    if (rule) {
      const r = ZRuleFileLoadSchema.safeParse(json);
      if (!r.success) issues.zod(file, r.error);
      else rules.push({ file, base: rule[1]!, json: r.data });
    } else {
      const c = ZCaseFileSchema.safeParse(json);
      if (!c.success) issues.zod(file, c.error);
      else cases.push({ file, json: c.data });
    }
  }
  return m.success ? { source, manifest: m.data, manifestFile, rules, cases } : undefined;
}

/** What walking a rule's conditions found. */
interface Walked {
  facts: Set<string>;
  leaves: LeafCondition[];
  /** Fast-path blockers: "file $.path: why". */
  blockers: string[];
}

function checkConditions(
  node: unknown,
  path: PropertyKey[],
  file: string,
  manifestFacts: ReadonlySet<string>,
  runtime: Runtime,
  operatorOf: (name: string) => OperatorEvaluate | null,
  issues: Issues,
  out: Walked,
): void {
  const at = jsonPath(path);
  if (!isObject(node)) {
    issues.error(
      file,
      at,
      'a condition must be an object: {"all": [...]}, {"any": [...]}, {"not": {...}} or {"fact", "operator", "value"}',
    );
    return;
  }
  const extra = (allowed: string[]) => {
    for (const key of Object.keys(node)) {
      if (!allowed.includes(key))
        issues.error(file, jsonPath([...path, key]), `unknown field "${key}"`, didYouMean(key, allowed));
    }
  };
  if ('condition' in node) {
    issues.error(
      file,
      at,
      'shared condition references are not supported in packs',
      'write the condition inline',
    );
    return;
  }
  for (const bool of ['all', 'any'] as const) {
    if (bool in node) {
      extra([bool, 'name', 'priority']);
      const list = node[bool];
      if (!Array.isArray(list) || list.length === 0) {
        issues.error(file, jsonPath([...path, bool]), `"${bool}" must be a non-empty list of conditions`);
        return;
      }
      list.forEach((child, i) =>
        checkConditions(child, [...path, bool, i], file, manifestFacts, runtime, operatorOf, issues, out),
      );
      return;
    }
  }
  if ('not' in node) {
    extra(['not', 'name', 'priority']);
    checkConditions(node.not, [...path, 'not'], file, manifestFacts, runtime, operatorOf, issues, out);
    return;
  }
  if (!('fact' in node)) {
    issues.error(
      file,
      at,
      'a condition needs "all", "any", "not" or "fact"',
      didYouMean(Object.keys(node)[0] ?? '', ['all', 'any', 'not', 'fact']),
    );
    return;
  }
  extra(['fact', 'operator', 'value', 'path', 'params', 'name', 'priority']);
  const { fact, operator, value } = node;
  const factPath = jsonPath([...path, 'fact']);
  let type: FactType | undefined;
  if (typeof fact !== 'string') {
    issues.error(file, factPath, '"fact" must be a fact name');
  } else if (!runtime.factTypes.has(fact)) {
    issues.error(
      file,
      factPath,
      `unknown fact "${fact}"`,
      didYouMean(fact, runtime.factTypes.keys()) ?? 'see the fact list in rules/README.md',
    );
  } else {
    type = runtime.factTypes.get(fact);
    out.facts.add(fact);
    if (!manifestFacts.has(fact))
      issues.error(
        file,
        factPath,
        `fact "${fact}" is not listed in pack.json "facts"`,
        `add "${fact}" to "facts" in pack.json`,
      );
  }
  const opPath = jsonPath([...path, 'operator']);
  const opEval = typeof operator === 'string' ? operatorOf(operator) : null;
  if (typeof operator !== 'string' || !opEval) {
    issues.error(
      file,
      opPath,
      `unknown operator ${JSON.stringify(operator)}`,
      typeof operator === 'string' ? didYouMean(operator, runtime.operatorNames) : undefined,
    );
  }
  if (!('value' in node)) issues.error(file, jsonPath([...path, 'value']), 'a condition needs a "value"');
  const custom = typeof operator === 'string' ? runtime.operators.get(operator) : undefined;
  const valuePath = jsonPath([...path, 'value']);
  const valueIsFact = isObject(value) && 'fact' in value;
  if (custom && !valueIsFact) {
    const problem = custom.validateValue(value);
    if (problem) issues.error(file, valuePath, problem);
  }
  if (type && !valueIsFact && (type.kind === 'enum' || type.kind === 'boolean')) {
    const domain: readonly FactValue[] = type.kind === 'enum' ? type.values : [true, false];
    const check = (v: unknown, p: string) => {
      if (!domain.includes(v as FactValue)) {
        issues.error(
          file,
          p,
          `${JSON.stringify(v)} is never a value of "${String(fact)}" (${domain.map((d) => JSON.stringify(d)).join(', ')})`,
          typeof v === 'string'
            ? didYouMean(
                v,
                domain.filter((d): d is string => typeof d === 'string'),
              )
            : undefined,
        );
      }
    };
    if (operator === 'equal' || operator === 'notEqual') check(value, valuePath);
    if (operator === 'in' || operator === 'notIn') {
      if (!Array.isArray(value)) issues.error(file, valuePath, `"${operator}" needs a list value`);
      else value.forEach((v, i) => check(v, `${valuePath}[${i}]`));
    }
  }
  if (valueIsFact) {
    const ref = value.fact;
    if (typeof ref !== 'string' || !runtime.factTypes.has(ref)) {
      issues.error(
        file,
        `${valuePath}.fact`,
        `unknown fact ${JSON.stringify(ref)}`,
        typeof ref === 'string' ? didYouMean(ref, runtime.factTypes.keys()) : undefined,
      );
    } else {
      out.facts.add(ref);
      if (!manifestFacts.has(ref))
        issues.error(
          file,
          `${valuePath}.fact`,
          `fact "${ref}" is not listed in pack.json "facts"`,
          `add "${ref}" to "facts"`,
        );
    }
    out.blockers.push(`${file} ${valuePath}: compares a fact with another fact`);
  }
  if ('path' in node) out.blockers.push(`${file} ${jsonPath([...path, 'path'])}: uses a jsonpath`);
  if ('params' in node) out.blockers.push(`${file} ${jsonPath([...path, 'params'])}: passes fact params`);
  if (!valueIsFact && typeof fact === 'string' && typeof operator === 'string') {
    out.leaves.push({ fact, operator, value });
  }
}

interface PackDraft {
  parsed: ParsedPack;
  rules: CompiledRule[];
  walked: Walked;
}

function compileRules(
  parsed: ParsedPack,
  runtime: Runtime,
  operatorOf: (n: string) => OperatorEvaluate | null,
  issues: Issues,
): PackDraft {
  const { manifest } = parsed;
  const manifestFacts = new Set(manifest.facts);
  manifest.facts.forEach((f, i) => {
    if (!runtime.factTypes.has(f)) {
      issues.error(
        parsed.manifestFile,
        `$.facts[${i}]`,
        `unknown fact "${f}"`,
        didYouMean(f, runtime.factTypes.keys()) ?? 'see the fact list in rules/README.md',
      );
    }
  });
  const walked: Walked = { facts: new Set(), leaves: [], blockers: [] };
  const rules: CompiledRule[] = [];
  for (const { file, base, json } of parsed.rules) {
    if (json.name !== base) {
      issues.error(
        file,
        '$.name',
        `rule name "${json.name}" differs from the file name "${base}.json"`,
        RULE_NAME.test(base) ? `rename the rule to "${base}" or the file to "${json.name}.json"` : undefined,
      );
    }
    checkConditions(
      json.conditions,
      ['conditions'],
      file,
      manifestFacts,
      runtime,
      operatorOf,
      issues,
      walked,
    );
    if (isObject(json.conditions) && 'fact' in json.conditions) {
      issues.error(
        file,
        '$.conditions',
        'the top condition must be "all", "any" or "not"',
        'wrap it: {"all": [ ...your condition... ]}',
      );
    }
    rules.push({
      id: `${manifest.id}#${json.name}`,
      name: json.name,
      pack: manifest.id,
      file,
      priority: json.priority ?? 1,
      layer: 0,
      order: 0,
      description: json.meta.description,
      source: json.meta.source,
      conditions: json.conditions as ConditionJson,
      params: json.event.params,
    });
  }
  for (const f of manifest.facts) {
    if (!walked.facts.has(f) && runtime.factTypes.has(f)) {
      issues.warn(parsed.manifestFile, '$.facts', `fact "${f}" is listed but no rule reads it`);
    }
  }
  return { parsed, rules, walked };
}

// ---------------------------------------------------------------------------------------------
// Tightening check: a sound lower bound of the city's outcome over the units a district rule matches.

type Domain = readonly FactValue[];

function finiteDomain(type: FactType | undefined): Domain | undefined {
  if (!type) return undefined;
  if (type.kind === 'boolean') return [true, false];
  if (type.kind === 'enum') return type.values;
  return undefined;
}

function isLeaf(c: ConditionJson): c is Extract<ConditionJson, { fact: string }> {
  return 'fact' in c;
}

/** Leaves that every unit matching `c` satisfies (a conjunction; `not`/`any` parts are dropped, which is sound). */
function conjunctLeaves(c: ConditionJson): Extract<ConditionJson, { fact: string }>[] {
  if (isLeaf(c)) return [c];
  if ('all' in c) return c.all.flatMap(conjunctLeaves);
  return [];
}

class Implication {
  constructor(
    private readonly runtime: Runtime,
    private readonly operatorOf: (n: string) => OperatorEvaluate | null,
  ) {}

  private sat(leaf: Extract<ConditionJson, { fact: string }>, domain: Domain): Set<FactValue> {
    const op = this.operatorOf(leaf.operator);
    return new Set(domain.filter((v) => (op ? op(v, leaf.value) : false)));
  }

  /** Every unit satisfying leaf `k` satisfies leaf `l`. */
  private leafImplies(
    k: Extract<ConditionJson, { fact: string }>,
    l: Extract<ConditionJson, { fact: string }>,
  ): boolean {
    if (k.fact !== l.fact || k.path !== undefined || l.path !== undefined || k.params || l.params)
      return false;
    if (k.operator === l.operator && JSON.stringify(k.value) === JSON.stringify(l.value)) return true;
    // A plugin operator may say how it implies other leaves (e.g. `between` on an unbounded number).
    const declared = this.runtime.operators.get(k.operator);
    if (declared && 'implies' in declared && declared.implies?.(k.value, l)) return true;
    const domain = finiteDomain(this.runtime.factTypes.get(k.fact));
    if (!domain) return false;
    const sk = this.sat(k, domain);
    const sl = this.sat(l, domain);
    return [...sk].every((v) => sl.has(v));
  }

  private impliedBy(leaves: Extract<ConditionJson, { fact: string }>[], c: ConditionJson): boolean {
    if (isLeaf(c)) return leaves.some((k) => this.leafImplies(k, c));
    if ('all' in c) return c.all.every((x) => this.impliedBy(leaves, x));
    if ('any' in c) return c.any.some((x) => this.impliedBy(leaves, x));
    return false;
  }

  /** Every unit satisfying `premise` satisfies `conclusion` (sound, not complete). */
  implies(premise: ConditionJson, conclusion: ConditionJson): boolean {
    if ('any' in premise) return premise.any.every((b) => this.implies(b, conclusion));
    return this.impliedBy(conjunctLeaves(premise), conclusion);
  }

  /** Leaves `k` and `l` can never hold for the same unit (finite domains only). */
  private leavesDisjoint(
    k: Extract<ConditionJson, { fact: string }>,
    l: Extract<ConditionJson, { fact: string }>,
  ): boolean {
    if (k.fact !== l.fact || k.path !== undefined || l.path !== undefined || k.params || l.params)
      return false;
    const domain = finiteDomain(this.runtime.factTypes.get(k.fact));
    if (!domain) return false;
    const sk = this.sat(k, domain);
    return ![...this.sat(l, domain)].some((v) => sk.has(v));
  }

  /**
   * Some unit may satisfy both `a` and `b` (sound: false only when provably disjoint, e.g.
   * `creditGrade in [A,B]` and `creditGrade in [C,D]`).
   */
  mayCoFire(a: ConditionJson, b: ConditionJson): boolean {
    if ('any' in a) return a.any.some((x) => this.mayCoFire(x, b));
    if ('any' in b) return b.any.some((x) => this.mayCoFire(a, x));
    const la = conjunctLeaves(a);
    const lb = conjunctLeaves(b);
    return !la.some((k) => lb.some((l) => this.leavesDisjoint(k, l)));
  }
}

/** Strength of an inspection kind: covert > key > general. A district may only raise it. */
const KIND_RANK: Record<string, number> = { general: 0, key: 1, covert: 2 };

/** The district rule `d` wins a preference field over city rule `c` (combine.ts byPreference). */
function districtWins(d: CompiledRule, c: CompiledRule): boolean {
  return d.priority >= c.priority;
}

function checkTightening(
  district: readonly CompiledRule[],
  city: readonly CompiledRule[],
  defaults: PackDefaults,
  implication: Implication,
  issues: Issues,
): void {
  for (const d of district) {
    const p = d.params;
    const implied = city.filter((c) => implication.implies(d.conditions, c.conditions));
    const names = (rs: CompiledRule[]) => rs.map((r) => r.id).join(', ');
    if (p.mandatory === false) {
      issues.error(
        d.file,
        '$.event.params.mandatory',
        'a district pack cannot drop a mandatory unit (mandatory combines with OR)',
        'remove "mandatory": false',
      );
    }
    // Lower bound of the city's minPerYear over every unit this rule matches.
    const minSetters = implied.filter((c) => c.params.minPerYear !== undefined);
    let minLB = minSetters.length
      ? Math.max(...minSetters.map((c) => c.params.minPerYear!))
      : Math.min(
          defaults.minPerYear,
          ...city.flatMap((c) => (c.params.minPerYear === undefined ? [] : [c.params.minPerYear])),
        );
    const mandatoryBy = implied.filter((c) => c.params.mandatory);
    if (mandatoryBy.length) minLB = Math.max(minLB, 1);
    const minWhy =
      minSetters.length || mandatoryBy.length
        ? `city rule ${names([...minSetters, ...mandatoryBy])}`
        : 'the city pack';
    if (p.minPerYear !== undefined && p.minPerYear < minLB) {
      issues.error(
        d.file,
        '$.event.params.minPerYear',
        `minPerYear ${p.minPerYear} is below the city floor ${minLB} for every unit this rule matches (${minWhy}); a district may only tighten`,
        `use at least ${minLB}, or remove minPerYear`,
      );
    }
    if (p.maxPerYear !== undefined && p.maxPerYear < minLB) {
      issues.error(
        d.file,
        '$.event.params.maxPerYear',
        `maxPerYear ${p.maxPerYear} is below the city floor of ${minLB} inspections a year for these units (${minWhy})`,
        `use at least ${minLB}, or remove maxPerYear`,
      );
    }
    // Loopholes through the fields the highest-priority rule decides, or the cap (issue #10):
    // proven against every city rule that may fire for the same unit.
    const coFiring = city.filter((c) => implication.mayCoFire(d.conditions, c.conditions));
    if (p.maxPerYear !== undefined && p.maxPerYear < 1) {
      const samplers = coFiring.filter(
        (c) => c.params.ratio !== undefined && compareRatios(c.params.ratio, '0/1') > 0,
      );
      const who = samplers.length
        ? samplers.map((c) => `${c.id} (ratio ${c.params.ratio})`).join(', ')
        : `${city[0]?.pack ?? 'the city pack'} defaults (ratio ${defaults.ratio})`;
      issues.error(
        d.file,
        '$.event.params.maxPerYear',
        `maxPerYear ${p.maxPerYear} is below what the city samples for these units: ${who} may draw them once a year; a district cap may only tighten`,
        'use at least 1, or remove maxPerYear',
      );
    }
    if (p.inspectionKind !== undefined) {
      const rank = KIND_RANK[p.inspectionKind] ?? 0;
      const stronger = coFiring.filter(
        (c) =>
          c.params.inspectionKind !== undefined &&
          (KIND_RANK[c.params.inspectionKind] ?? 0) > rank &&
          districtWins(d, c),
      );
      if (stronger.length) {
        issues.error(
          d.file,
          '$.event.params.inspectionKind',
          `inspectionKind "${p.inspectionKind}" at priority ${d.priority} would lower the city's kind for units matching ${stronger
            .map((c) => `${c.id} ("${c.params.inspectionKind}", priority ${c.priority})`)
            .join(', ')}; covert > key > general, a district may only raise it`,
          `use a priority below ${Math.min(...stronger.map((c) => c.priority))}, or a kind at least as strong`,
        );
      }
    }
    const districtMandatory = p.mandatory === true || (p.minPerYear ?? 0) >= 1;
    if (p.stratum !== undefined && !districtMandatory) {
      const mandatoryCity = coFiring.filter(
        (c) => (c.params.mandatory === true || (c.params.minPerYear ?? 0) >= 1) && districtWins(d, c),
      );
      if (mandatoryCity.length) {
        issues.error(
          d.file,
          '$.event.params.stratum',
          `stratum "${p.stratum}" at priority ${d.priority} would move units the city makes mandatory out of their mandatory stratum: ${mandatoryCity
            .map((c) => `${c.id} (stratum "${c.params.stratum ?? defaults.stratum}", priority ${c.priority})`)
            .join(', ')}`,
          `use a priority below ${Math.min(...mandatoryCity.map((c) => c.priority))}, or make the rule mandatory too`,
        );
      }
    }
    if (p.ratio !== undefined) {
      const ratioSetters = implied.filter((c) => c.params.ratio !== undefined);
      const candidates = ratioSetters.length
        ? ratioSetters.map((c) => c.params.ratio!)
        : [defaults.ratio, ...city.flatMap((c) => (c.params.ratio === undefined ? [] : [c.params.ratio]))];
      const pickMax = ratioSetters.length > 0;
      const lb = candidates.reduce((a, b) => (compareRatios(b, a) > 0 === pickMax ? b : a));
      if (compareRatios(p.ratio, lb) < 0) {
        const why = ratioSetters.length
          ? `city rule ${names(ratioSetters)}`
          : 'the lowest ratio the city pack gives any unit';
        issues.error(
          d.file,
          '$.event.params.ratio',
          `ratio "${p.ratio}" is below the city's "${lb}" for every unit this rule matches (${why}); a district may only tighten`,
          `use at least "${lb}", or remove ratio`,
        );
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------

function compileCases(
  draft: PackDraft,
  composedRules: readonly CompiledRule[],
  issues: Issues,
): CompiledCase[] {
  const own = draft.parsed.manifest.id;
  const ids = new Set(composedRules.map((r) => r.id));
  const out: CompiledCase[] = [];
  for (const { file, json } of draft.parsed.cases) {
    json.cases.forEach((c, i) => {
      const periodText = c.period ?? json.period;
      const period = parsePeriod(periodText);
      if (typeof period === 'string') {
        issues.error(file, c.period ? `$.cases[${i}].period` : '$.period', period);
        return;
      }
      const facts = ZUnitFactsSchema.safeParse({ ...json.base, ...c.facts });
      if (!facts.success) {
        for (const issue of facts.error.issues) {
          const key = issue.path[0];
          const inCase = typeof key === 'string' && key in c.facts;
          const where = inCase
            ? ['cases', i, 'facts', ...issue.path]
            : json.base
              ? ['base', ...issue.path]
              : ['cases', i, 'facts'];
          const message =
            issue.code === 'invalid_type' &&
            !inCase &&
            !(json.base && typeof key === 'string' && key in json.base)
              ? `fact "${String(key)}" is missing (give it in "base" or in the case's "facts")`
              : issue.message;
          issues.error(file, jsonPath(where), message);
        }
        return;
      }
      const { fired, ...expect } = c.expect;
      let qualified: string[] | undefined;
      if (fired) {
        qualified = [];
        fired.forEach((name, j) => {
          const id = name.includes('#') ? name : `${own}#${name}`;
          if (!ids.has(id)) {
            issues.error(
              file,
              `$.cases[${i}].expect.fired[${j}]`,
              `no rule "${name}" in ${own} or the pack it extends`,
              didYouMean(id, ids),
            );
          } else qualified!.push(id);
        });
      }
      out.push({
        file,
        name: c.name,
        period,
        facts: facts.data,
        expect,
        ...(qualified ? { fired: qualified } : {}),
      });
    });
  }
  return out;
}

/** The result of compiling a set of pack sources. */
export interface CompileResult {
  /** Composed packs by id (empty when there are errors). */
  readonly packs: ReadonlyMap<string, ComposedPack>;
  /** The validated packs by id, each with its own cases. */
  readonly compiled: ReadonlyMap<string, CompiledPack>;
  readonly issues: readonly PackIssue[];
  readonly ok: boolean;
}

/**
 * Validates and composes a whole set of packs (a city pack and the district packs that extend
 * it). Pure. When any error is found, `ok` is false and no pack is returned.
 */
export function compilePacks(sources: readonly PackSource[], runtime: Runtime): CompileResult {
  const issues = new Issues();
  const probe = buildEngine(runtime);
  const operatorCache = new Map<string, OperatorEvaluate | null>();
  const operatorOf = (name: string) => {
    if (!operatorCache.has(name)) operatorCache.set(name, engineOperator(probe, name));
    return operatorCache.get(name)!;
  };
  const drafts = new Map<string, PackDraft>();
  for (const source of sources) {
    const parsed = parseSource(source, issues);
    if (!parsed) continue;
    const id = parsed.manifest.id;
    if (drafts.has(id)) {
      issues.error(
        parsed.manifestFile,
        '$.id',
        `pack "${id}" is defined twice (also in ${drafts.get(id)!.parsed.manifestFile})`,
      );
      continue;
    }
    drafts.set(id, compileRules(parsed, runtime, operatorOf, issues));
  }
  const bureaus = new Map<string, string>();
  for (const [id, draft] of drafts) {
    const m = draft.parsed.manifest;
    const file = draft.parsed.manifestFile;
    if (m.bureau) {
      if (bureaus.has(m.bureau))
        issues.error(file, '$.bureau', `bureau ${m.bureau} already has pack ${bureaus.get(m.bureau)}`);
      bureaus.set(m.bureau, id);
    }
    if (m.extends === undefined) {
      if (!m.defaults)
        issues.error(
          file,
          '$.defaults',
          'a root (city) pack needs "defaults"',
          'add {"stratum", "ratio", "minPerYear", "maxPerYear", "inspectionKind"}',
        );
      continue;
    }
    if (m.defaults)
      issues.error(
        file,
        '$.defaults',
        'only the city pack has defaults; a district tightens with rules',
        'remove "defaults"',
      );
    const parent = drafts.get(m.extends);
    if (!parent) {
      issues.error(
        file,
        '$.extends',
        `extends unknown pack "${m.extends}"`,
        didYouMean(m.extends, drafts.keys()),
      );
    } else if (parent.parsed.manifest.extends !== undefined) {
      issues.error(
        file,
        '$.extends',
        `"${m.extends}" is itself a district pack; extend the city pack "${parent.parsed.manifest.extends}"`,
      );
    }
  }
  const implication = new Implication(runtime, operatorOf);
  const packs = new Map<string, ComposedPack>();
  const compiled = new Map<string, CompiledPack>();
  if (!issues.failed) {
    for (const [id, draft] of drafts) {
      const m = draft.parsed.manifest;
      const chainDrafts = m.extends ? [drafts.get(m.extends)!, draft] : [draft];
      const defaults = chainDrafts[0]!.parsed.manifest.defaults!;
      let order = 0;
      const rules = chainDrafts.flatMap((d, layer) => d.rules.map((r) => ({ ...r, layer, order: order++ })));
      if (m.extends) {
        checkTightening(
          rules.filter((r) => r.layer === 1),
          rules.filter((r) => r.layer === 0),
          defaults,
          implication,
          issues,
        );
      }
      const cases = compileCases(draft, rules, issues);
      const ownRules = rules.filter((r) => r.pack === id);
      const pack: CompiledPack = {
        id,
        version: m.version,
        manifest: m,
        source: draft.parsed.source,
        digest: packDigest(draft.parsed.source),
        rules: ownRules,
        cases,
      };
      compiled.set(id, pack);
      const seen = new Map<string, LeafCondition>();
      for (const d of chainDrafts) {
        for (const leaf of d.walked.leaves)
          seen.set(JSON.stringify([leaf.fact, leaf.operator, leaf.value]), leaf);
      }
      const blockers = chainDrafts.flatMap((d) => d.walked.blockers);
      packs.set(id, {
        id,
        version: m.version,
        ...(m.bureau ? { bureau: m.bureau } : {}),
        chain: [],
        rules,
        defaults,
        facts: [...new Set(chainDrafts.flatMap((d) => [...d.walked.facts]))].sort(),
        leaves: blockers.length ? [] : [...seen.values()],
        fastPath: { eligible: blockers.length === 0, reasons: blockers },
      });
    }
    for (const [id, pack] of packs) {
      const m = compiled.get(id)!.manifest;
      const chain = m.extends ? [compiled.get(m.extends)!, compiled.get(id)!] : [compiled.get(id)!];
      packs.set(id, { ...pack, chain });
    }
  }
  const ok = !issues.failed;
  return { packs: ok ? packs : new Map(), compiled: ok ? compiled : new Map(), issues: issues.list, ok };
}

/** One issue as a line: `file $.path: message — suggestion`. */
export function formatIssue(issue: PackIssue): string {
  const tail = issue.suggestion ? ` — ${issue.suggestion}` : '';
  return `${issue.severity === 'error' ? 'error' : 'warning'} ${issue.file} ${issue.path}: ${issue.message}${tail}`;
}
