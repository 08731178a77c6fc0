/**
 * Pure pack compilation: validates pack sources (zod + a condition walker with suggestions),
 * composes each district pack on the city pack it extends, and checks at load time that a
 * district only tightens the city's floor. No I/O: sources come from files or from JSON.
 */
import { z } from 'zod';
import { packDigest } from './digest';
import { buildEngine, engineOperator, type OperatorEvaluate } from './engine';
import { BASE_FACT_DEFAULTS, parsePeriod, ZUnitFactsSchema, type FactType, type FactValue } from './facts';
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
import {
  formatCodeOf,
  hint,
  hintMessage,
  issueMessage,
  type Basis,
  type Hint,
  type IssueCode,
  type IssueParamsOf,
  type RuleRef,
} from './messages';
import { closest } from './suggest';
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

/** The closest candidate as a `didYouMean` hint, or undefined. */
function didYouMeanHint(word: string, candidates: Iterable<string>): Hint | undefined {
  const candidate = closest(word, candidates);
  return candidate === undefined ? undefined : hint('didYouMean', { candidate });
}

/** What a zod issue is about, for `schema.tooSmall`/`schema.tooBig`. */
function originOf(origin: unknown): 'number' | 'list' | 'text' {
  return origin === 'array' || origin === 'set' ? 'list' : origin === 'string' ? 'text' : 'number';
}

class Issues {
  readonly list: PackIssue[] = [];
  private push<C extends IssueCode>(
    severity: 'error' | 'warning',
    file: string,
    path: string,
    code: C,
    params: IssueParamsOf<C>,
    h?: Hint,
  ): void {
    const p = params as Readonly<Record<string, unknown>>;
    this.list.push({
      severity,
      file,
      path,
      code,
      params: p,
      message: issueMessage(code, p),
      ...(h ? { hint: h, suggestion: hintMessage(h) } : {}),
    });
  }
  error<C extends IssueCode>(file: string, path: string, code: C, params: IssueParamsOf<C>, h?: Hint): void {
    this.push('error', file, path, code, params, h);
  }
  warn<C extends IssueCode>(file: string, path: string, code: C, params: IssueParamsOf<C>, h?: Hint): void {
    this.push('warning', file, path, code, params, h);
  }
  zod(file: string, error: z.ZodError, base: readonly PropertyKey[] = []): void {
    for (const issue of error.issues) this.zodIssue(file, issue, [...base, ...issue.path]);
  }
  /** One zod issue as a coded issue at `where`. */
  zodIssue(file: string, issue: z.core.$ZodIssue, where: readonly PropertyKey[]): void {
    const path = jsonPath(where);
    const field = String(where[where.length - 1] ?? '$');
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys)
          this.error(
            file,
            jsonPath([...where, key]),
            'schema.unknownField',
            { field: key },
            didYouMeanHint(key, KNOWN_KEYS),
          );
        return;
      case 'invalid_value':
        if (issue.values.every((v) => typeof v === 'string')) {
          const input = (issue as { input?: unknown }).input;
          const allowed = issue.values as string[];
          this.error(
            file,
            path,
            'schema.notOneOf',
            { value: input, allowed },
            typeof input === 'string' ? didYouMeanHint(input, allowed) : undefined,
          );
          return;
        }
        break;
      case 'invalid_type':
        if (/received undefined/.test(issue.message)) this.error(file, path, 'schema.missing', { field });
        else if (issue.expected === 'int') this.error(file, path, 'schema.notInteger', {});
        else this.error(file, path, 'schema.type', { expected: String(issue.expected) });
        return;
      case 'too_small':
        this.error(file, path, 'schema.tooSmall', {
          minimum: Number(issue.minimum),
          of: originOf(issue.origin),
        });
        return;
      case 'too_big':
        this.error(file, path, 'schema.tooBig', {
          maximum: Number(issue.maximum),
          of: originOf(issue.origin),
        });
        return;
      case 'invalid_format':
      case 'custom':
        this.error(file, path, 'schema.format', { format: formatCodeOf(issue.message) });
        return;
      default:
        break;
    }
    this.error(file, path, 'schema.invalid', { detail: issue.message });
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
    issues.error(file, '$', 'json.invalid', { detail: (err as Error).message }, hint('checkJsonSyntax'));
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
    issues.error(manifestFile, '$', 'pack.manifestMissing', {}, hint('addManifest'));
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
      issues.warn(file, '$', 'pack.fileIgnored', {});
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
    issues.error(file, at, 'condition.notObject', {});
    return;
  }
  const extra = (allowed: string[]) => {
    for (const key of Object.keys(node)) {
      if (!allowed.includes(key))
        issues.error(
          file,
          jsonPath([...path, key]),
          'schema.unknownField',
          { field: key },
          didYouMeanHint(key, allowed),
        );
    }
  };
  if ('condition' in node) {
    issues.error(file, at, 'condition.sharedReference', {}, hint('inlineCondition'));
    return;
  }
  for (const bool of ['all', 'any'] as const) {
    if (bool in node) {
      extra([bool, 'name', 'priority']);
      const list = node[bool];
      if (!Array.isArray(list) || list.length === 0) {
        issues.error(file, jsonPath([...path, bool]), 'condition.emptyList', { combinator: bool });
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
      'condition.noKind',
      {},
      didYouMeanHint(Object.keys(node)[0] ?? '', ['all', 'any', 'not', 'fact']),
    );
    return;
  }
  extra(['fact', 'operator', 'value', 'path', 'params', 'name', 'priority']);
  const { fact, operator, value } = node;
  const factPath = jsonPath([...path, 'fact']);
  let type: FactType | undefined;
  if (typeof fact !== 'string') {
    issues.error(file, factPath, 'condition.factNotName', {});
  } else if (!runtime.factTypes.has(fact)) {
    issues.error(
      file,
      factPath,
      'condition.unknownFact',
      { fact },
      didYouMeanHint(fact, runtime.factTypes.keys()) ?? hint('seeFactList'),
    );
  } else {
    type = runtime.factTypes.get(fact);
    out.facts.add(fact);
    if (!manifestFacts.has(fact))
      issues.error(file, factPath, 'condition.factNotListed', { fact }, hint('addFactToManifest', { fact }));
  }
  const opPath = jsonPath([...path, 'operator']);
  const opEval = typeof operator === 'string' ? operatorOf(operator) : null;
  if (typeof operator !== 'string' || !opEval) {
    issues.error(
      file,
      opPath,
      'condition.unknownOperator',
      { operator },
      typeof operator === 'string' ? didYouMeanHint(operator, runtime.operatorNames) : undefined,
    );
  }
  if (!('value' in node)) issues.error(file, jsonPath([...path, 'value']), 'condition.noValue', {});
  const custom = typeof operator === 'string' ? runtime.operators.get(operator) : undefined;
  const valuePath = jsonPath([...path, 'value']);
  const valueIsFact = isObject(value) && 'fact' in value;
  if (custom && !valueIsFact) {
    const problem = custom.validateValue(value);
    if (problem)
      issues.error(file, valuePath, 'condition.badOperatorValue', {
        operator: String(operator),
        detail: problem,
      });
  }
  if (type && !valueIsFact && (type.kind === 'enum' || type.kind === 'boolean')) {
    const domain: readonly FactValue[] = type.kind === 'enum' ? type.values : [true, false];
    const check = (v: unknown, p: string) => {
      if (!domain.includes(v as FactValue)) {
        issues.error(
          file,
          p,
          'condition.neverAValue',
          { value: v, fact: String(fact), domain },
          typeof v === 'string'
            ? didYouMeanHint(
                v,
                domain.filter((d): d is string => typeof d === 'string'),
              )
            : undefined,
        );
      }
    };
    if (operator === 'equal' || operator === 'notEqual') check(value, valuePath);
    if (operator === 'in' || operator === 'notIn') {
      if (!Array.isArray(value)) issues.error(file, valuePath, 'condition.needsList', { operator });
      else value.forEach((v, i) => check(v, `${valuePath}[${i}]`));
    }
  }
  if (valueIsFact) {
    const ref = value.fact;
    if (typeof ref !== 'string' || !runtime.factTypes.has(ref)) {
      issues.error(
        file,
        `${valuePath}.fact`,
        'condition.unknownFact',
        { fact: ref },
        typeof ref === 'string' ? didYouMeanHint(ref, runtime.factTypes.keys()) : undefined,
      );
    } else {
      out.facts.add(ref);
      if (!manifestFacts.has(ref))
        issues.error(
          file,
          `${valuePath}.fact`,
          'condition.factNotListed',
          { fact: ref },
          hint('addFactToManifest', { fact: ref }),
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
        'condition.unknownFact',
        { fact: f },
        didYouMeanHint(f, runtime.factTypes.keys()) ?? hint('seeFactList'),
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
        'rule.nameMismatch',
        { name: json.name, file: base },
        RULE_NAME.test(base) ? hint('renameRule', { file: base, name: json.name }) : undefined,
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
      issues.error(file, '$.conditions', 'rule.topCondition', {}, hint('wrapInAll'));
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
      issues.warn(parsed.manifestFile, '$.facts', 'manifest.factUnused', { fact: f });
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
    const refs = (rs: CompiledRule[]): RuleRef[] =>
      rs.map((r) => ({
        id: r.id,
        priority: r.priority,
        description: r.description,
        ...(r.params.ratio !== undefined ? { ratio: r.params.ratio } : {}),
        ...(r.params.inspectionKind !== undefined ? { inspectionKind: r.params.inspectionKind } : {}),
        stratum: r.params.stratum ?? defaults.stratum,
      }));
    if (p.mandatory === false) {
      issues.error(
        d.file,
        '$.event.params.mandatory',
        'tighten.mandatoryDropped',
        {},
        hint('removeMandatoryFalse'),
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
    const minWhy: Basis =
      minSetters.length || mandatoryBy.length
        ? { kind: 'rules', rules: refs([...minSetters, ...mandatoryBy]) }
        : { kind: 'cityPack' };
    if (p.minPerYear !== undefined && p.minPerYear < minLB) {
      issues.error(
        d.file,
        '$.event.params.minPerYear',
        'tighten.minBelowFloor',
        { value: p.minPerYear, floor: minLB, basis: minWhy },
        hint('useAtLeast', { field: 'minPerYear', value: minLB }),
      );
    }
    if (p.maxPerYear !== undefined && p.maxPerYear < minLB) {
      issues.error(
        d.file,
        '$.event.params.maxPerYear',
        'tighten.maxBelowFloor',
        { value: p.maxPerYear, floor: minLB, basis: minWhy },
        hint('useAtLeast', { field: 'maxPerYear', value: minLB }),
      );
    }
    // Loopholes through the fields the highest-priority rule decides, or the cap (issue #10):
    // proven against every city rule that may fire for the same unit.
    const coFiring = city.filter((c) => implication.mayCoFire(d.conditions, c.conditions));
    if (p.maxPerYear !== undefined && p.maxPerYear < 1) {
      const samplers = coFiring.filter(
        (c) => c.params.ratio !== undefined && compareRatios(c.params.ratio, '0/1') > 0,
      );
      issues.error(
        d.file,
        '$.event.params.maxPerYear',
        'tighten.maxBelowSampling',
        {
          value: p.maxPerYear,
          rules: refs(samplers),
          pack: city[0]?.pack ?? 'the city pack',
          ratio: defaults.ratio,
        },
        hint('useAtLeast', { field: 'maxPerYear', value: 1 }),
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
          'tighten.weakerKind',
          { kind: p.inspectionKind, priority: d.priority, rules: refs(stronger) },
          hint('usePriorityBelow', { priority: Math.min(...stronger.map((c) => c.priority)), or: 'kind' }),
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
          'tighten.stratumTakeover',
          { stratum: p.stratum, priority: d.priority, rules: refs(mandatoryCity) },
          hint('usePriorityBelow', {
            priority: Math.min(...mandatoryCity.map((c) => c.priority)),
            or: 'mandatory',
          }),
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
        const why: Basis = ratioSetters.length
          ? { kind: 'rules', rules: refs(ratioSetters) }
          : { kind: 'lowestCityRatio' };
        issues.error(
          d.file,
          '$.event.params.ratio',
          'tighten.ratioBelow',
          { ratio: p.ratio, floor: lb, basis: why },
          hint('useAtLeast', { field: 'ratio', value: lb }),
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
        issues.error(file, c.period ? `$.cases[${i}].period` : '$.period', 'case.badPeriod', {
          text: periodText,
        });
        return;
      }
      const facts = ZUnitFactsSchema.safeParse({ ...BASE_FACT_DEFAULTS, ...json.base, ...c.facts });
      if (!facts.success) {
        for (const issue of facts.error.issues) {
          const key = issue.path[0];
          const inCase = typeof key === 'string' && key in c.facts;
          const where = inCase
            ? ['cases', i, 'facts', ...issue.path]
            : json.base
              ? ['base', ...issue.path]
              : ['cases', i, 'facts'];
          if (
            issue.code === 'invalid_type' &&
            !inCase &&
            !(json.base && typeof key === 'string' && key in json.base)
          )
            issues.error(file, jsonPath(where), 'case.factMissing', { fact: String(key) });
          else issues.zodIssue(file, issue, where);
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
              'case.noSuchRule',
              { rule: name, pack: own },
              didYouMeanHint(id, ids),
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
      issues.error(parsed.manifestFile, '$.id', 'pack.definedTwice', {
        pack: id,
        file: drafts.get(id)!.parsed.manifestFile,
      });
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
        issues.error(file, '$.bureau', 'pack.bureauTaken', {
          bureau: m.bureau,
          pack: bureaus.get(m.bureau)!,
        });
      bureaus.set(m.bureau, id);
    }
    if (m.extends === undefined) {
      if (!m.defaults) issues.error(file, '$.defaults', 'pack.rootNeedsDefaults', {}, hint('addDefaults'));
      continue;
    }
    if (m.defaults) issues.error(file, '$.defaults', 'pack.districtDefaults', {}, hint('removeDefaults'));
    const parent = drafts.get(m.extends);
    if (!parent) {
      issues.error(
        file,
        '$.extends',
        'pack.extendsUnknown',
        { pack: m.extends },
        didYouMeanHint(m.extends, drafts.keys()),
      );
    } else if (parent.parsed.manifest.extends !== undefined) {
      issues.error(file, '$.extends', 'pack.extendsDistrict', {
        pack: m.extends,
        city: parent.parsed.manifest.extends,
      });
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
