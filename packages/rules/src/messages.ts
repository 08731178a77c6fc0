/**
 * Every message the pack loader gives, by stable code with its parameters. `message` (English)
 * is rendered here for the CLI and logs; user interfaces render the code and parameters in
 * their own language (the admin's zh-CN and English texts). Adding a code here is a type error
 * in every renderer until it renders it too.
 */

/** A city rule a district rule is checked against, as messages name it. */
export interface RuleRef {
  /** `<pack>#<name>`, e.g. `tianjin/city#r13-poor-credit`. */
  readonly id: string;
  readonly priority?: number;
  /** The rule's `meta.description`. */
  readonly description?: string;
  readonly ratio?: string;
  readonly inspectionKind?: string;
  readonly stratum?: string;
}

/** Where a lower bound comes from: named city rules, or the city pack as a whole. */
export type Basis =
  | { readonly kind: 'rules'; readonly rules: readonly RuleRef[] }
  | { readonly kind: 'cityPack' }
  | { readonly kind: 'lowestCityRatio' };

/** The JSON types a schema expects, as zod names them. */
const json = (v: unknown) => JSON.stringify(v);
const ids = (rules: readonly RuleRef[]) => rules.map((r) => r.id).join(', ');
const basis = (b: Basis) =>
  b.kind === 'rules'
    ? `city rule ${ids(b.rules)}`
    : b.kind === 'cityPack'
      ? 'the city pack'
      : 'the lowest ratio the city pack gives any unit';

/** English text of every issue code. */
export const ISSUE_MESSAGES = {
  'json.invalid': (p: { detail: string }) => `not valid JSON: ${p.detail}`,
  'schema.unknownField': (p: { field: string }) => `unknown field "${p.field}"`,
  'schema.notOneOf': (p: { value: unknown; allowed: readonly string[] }) =>
    `${json(p.value)} is not one of ${p.allowed.map((a) => json(a)).join(', ')}`,
  'schema.type': (p: { expected: string }) => `expected ${p.expected}`,
  'schema.missing': (p: { field: string }) => `"${p.field}" is required`,
  'schema.tooSmall': (p: { minimum: number; of: 'number' | 'list' | 'text' }) =>
    p.of === 'number'
      ? `must be at least ${p.minimum}`
      : p.of === 'list'
        ? `needs at least ${p.minimum} entries`
        : `needs at least ${p.minimum} characters`,
  'schema.tooBig': (p: { maximum: number; of: 'number' | 'list' | 'text' }) =>
    p.of === 'number'
      ? `must be at most ${p.maximum}`
      : p.of === 'list'
        ? `takes at most ${p.maximum} entries`
        : `takes at most ${p.maximum} characters`,
  'schema.notInteger': () => 'must be a whole number',
  'schema.format': (p: { format: FormatCode }) => FORMAT_MESSAGES[p.format],
  'schema.invalid': (p: { detail: string }) => p.detail,
  'pack.manifestMissing': () => 'pack.json is missing',
  'pack.fileIgnored': () => 'ignored: pack files are pack.json, rules/*.json and cases/*.json',
  'condition.notObject': () =>
    'a condition must be an object: {"all": [...]}, {"any": [...]}, {"not": {...}} or {"fact", "operator", "value"}',
  'condition.sharedReference': () => 'shared condition references are not supported in packs',
  'condition.emptyList': (p: { combinator: string }) =>
    `"${p.combinator}" must be a non-empty list of conditions`,
  'condition.noKind': () => 'a condition needs "all", "any", "not" or "fact"',
  'condition.factNotName': () => '"fact" must be a fact name',
  'condition.unknownFact': (p: { fact: unknown }) =>
    typeof p.fact === 'string' ? `unknown fact "${p.fact}"` : `unknown fact ${json(p.fact)}`,
  'condition.factNotListed': (p: { fact: string }) => `fact "${p.fact}" is not listed in pack.json "facts"`,
  'condition.unknownOperator': (p: { operator: unknown }) => `unknown operator ${json(p.operator)}`,
  'condition.noValue': () => 'a condition needs a "value"',
  'condition.badOperatorValue': (p: { operator: string; detail: string }) => p.detail,
  'condition.neverAValue': (p: { value: unknown; fact: string; domain: readonly unknown[] }) =>
    `${json(p.value)} is never a value of "${p.fact}" (${p.domain.map((d) => json(d)).join(', ')})`,
  'condition.needsList': (p: { operator: string }) => `"${p.operator}" needs a list value`,
  'manifest.factUnused': (p: { fact: string }) => `fact "${p.fact}" is listed but no rule reads it`,
  'rule.nameMismatch': (p: { name: string; file: string }) =>
    `rule name "${p.name}" differs from the file name "${p.file}.json"`,
  'rule.topCondition': () => 'the top condition must be "all", "any" or "not"',
  'tighten.mandatoryDropped': () =>
    'a district pack cannot drop a mandatory unit (mandatory combines with OR)',
  'tighten.minBelowFloor': (p: { value: number; floor: number; basis: Basis }) =>
    `minPerYear ${p.value} is below the city floor ${p.floor} for every unit this rule matches (${basis(p.basis)}); a district may only tighten`,
  'tighten.maxBelowFloor': (p: { value: number; floor: number; basis: Basis }) =>
    `maxPerYear ${p.value} is below the city floor of ${p.floor} inspections a year for these units (${basis(p.basis)})`,
  'tighten.maxBelowSampling': (p: {
    value: number;
    rules: readonly RuleRef[];
    pack: string;
    ratio: string;
  }) =>
    `maxPerYear ${p.value} is below what the city samples for these units: ${
      p.rules.length
        ? p.rules.map((r) => `${r.id} (ratio ${r.ratio})`).join(', ')
        : `${p.pack} defaults (ratio ${p.ratio})`
    } may draw them once a year; a district cap may only tighten`,
  'tighten.weakerKind': (p: { kind: string; priority: number; rules: readonly RuleRef[] }) =>
    `inspectionKind "${p.kind}" at priority ${p.priority} would lower the city's kind for units matching ${p.rules
      .map((r) => `${r.id} ("${r.inspectionKind}", priority ${r.priority})`)
      .join(', ')}; covert > key > general, a district may only raise it`,
  'tighten.stratumTakeover': (p: { stratum: string; priority: number; rules: readonly RuleRef[] }) =>
    `stratum "${p.stratum}" at priority ${p.priority} would move units the city makes mandatory out of their mandatory stratum: ${p.rules
      .map((r) => `${r.id} (stratum "${r.stratum}", priority ${r.priority})`)
      .join(', ')}`,
  'tighten.ratioBelow': (p: { ratio: string; floor: string; basis: Basis }) =>
    `ratio "${p.ratio}" is below the city's "${p.floor}" for every unit this rule matches (${basis(p.basis)}); a district may only tighten`,
  'case.badPeriod': (p: { text: string }) =>
    `"${p.text}" is not a period: write a year "2027", a quarter "2027-Q2" or a range "2027-01-01/2027-07-01"`,
  'case.factMissing': (p: { fact: string }) =>
    `fact "${p.fact}" is missing (give it in "base" or in the case's "facts")`,
  'case.noSuchRule': (p: { rule: string; pack: string }) =>
    `no rule "${p.rule}" in ${p.pack} or the pack it extends`,
  'pack.definedTwice': (p: { pack: string; file: string }) =>
    `pack "${p.pack}" is defined twice (also in ${p.file})`,
  'pack.bureauTaken': (p: { bureau: string; pack: string }) =>
    `bureau ${p.bureau} already has pack ${p.pack}`,
  'pack.rootNeedsDefaults': () => 'a root (city) pack needs "defaults"',
  'pack.districtDefaults': () => 'only the city pack has defaults; a district tightens with rules',
  'pack.extendsUnknown': (p: { pack: string }) => `extends unknown pack "${p.pack}"`,
  'pack.extendsDistrict': (p: { pack: string; city: string }) =>
    `"${p.pack}" is itself a district pack; extend the city pack "${p.city}"`,
} as const;

/** Formats a schema field must follow, by code. */
export const FORMAT_MESSAGES = {
  ratio: 'must be an exact ratio such as "5%", "2.5%" or "1/20" (a string, never a float)',
  stratum: 'must be an ASCII id: letters, digits, and . _ : - (max 64)',
  date: 'must be a calendar date written YYYY-MM-DD',
  eventEmpty: 'an event must set at least one field',
  mandatoryReason: 'a mandatory rule must give a reason',
  ruleName: 'must be kebab-case (a-z, 0-9, -), max 64',
  packId: 'must look like "tianjin/binhai"',
  version: 'must be MAJOR.MINOR.PATCH, e.g. "1.0.0"',
  districtCode: 'must be a 6-digit GB/T 2260 district code such as "120116"',
  streetCode: 'must be a 9-digit street code or null',
  uscc: 'not a USCC',
  pattern: 'does not have the required form',
} as const;

/** A format code (`schema.format`). */
export type FormatCode = keyof typeof FORMAT_MESSAGES;

/** English text of every suggestion (hint) code. */
export const HINT_MESSAGES = {
  didYouMean: (p: { candidate: string }) => `did you mean "${p.candidate}"?`,
  checkJsonSyntax: () => 'check commas, quotes and brackets',
  addManifest: () => 'every pack directory needs a pack.json manifest',
  inlineCondition: () => 'write the condition inline',
  seeFactList: () => 'see the fact list in rules/README.md',
  addFactToManifest: (p: { fact: string }) => `add "${p.fact}" to "facts" in pack.json`,
  renameRule: (p: { file: string; name: string }) =>
    `rename the rule to "${p.file}" or the file to "${p.name}.json"`,
  wrapInAll: () => 'wrap it: {"all": [ ...your condition... ]}',
  removeMandatoryFalse: () => 'remove "mandatory": false',
  useAtLeast: (p: { field: string; value: number | string }) =>
    `use at least ${typeof p.value === 'string' ? `"${p.value}"` : p.value}, or remove ${p.field}`,
  usePriorityBelow: (p: { priority: number; or: 'kind' | 'mandatory' }) =>
    `use a priority below ${p.priority}, ${p.or === 'kind' ? 'or a kind at least as strong' : 'or make the rule mandatory too'}`,
  addDefaults: () => 'add {"stratum", "ratio", "minPerYear", "maxPerYear", "inspectionKind"}',
  removeDefaults: () => 'remove "defaults"',
} as const;

/** A stable issue code. */
export type IssueCode = keyof typeof ISSUE_MESSAGES;
/** The parameters of issue code `C`. */
export type IssueParamsOf<C extends IssueCode> = Parameters<(typeof ISSUE_MESSAGES)[C]>[0] extends undefined
  ? Record<string, never>
  : Parameters<(typeof ISSUE_MESSAGES)[C]>[0];
/** A stable suggestion code. */
export type HintCode = keyof typeof HINT_MESSAGES;
/** The parameters of suggestion code `C`. */
export type HintParamsOf<C extends HintCode> = Parameters<(typeof HINT_MESSAGES)[C]>[0] extends undefined
  ? Record<string, never>
  : Parameters<(typeof HINT_MESSAGES)[C]>[0];

/** Every issue code, for renderers' completeness tests. */
export const ISSUE_CODES = Object.keys(ISSUE_MESSAGES) as IssueCode[];
/** Every suggestion code. */
export const HINT_CODES = Object.keys(HINT_MESSAGES) as HintCode[];
/** Every format code. */
export const FORMAT_CODES = Object.keys(FORMAT_MESSAGES) as FormatCode[];

/** A suggestion as code and parameters. */
export interface Hint {
  readonly code: HintCode;
  readonly params: Readonly<Record<string, unknown>>;
}

/** Builds a hint. */
export function hint<C extends HintCode>(
  code: C,
  ...params: Parameters<(typeof HINT_MESSAGES)[C]>['length'] extends 0 ? [] : [HintParamsOf<C>]
): Hint {
  return { code, params: params[0] ?? {} };
}

/** The English text of an issue code with its parameters. */
export function issueMessage(code: IssueCode, params: Readonly<Record<string, unknown>>): string {
  return (ISSUE_MESSAGES[code] as (p: unknown) => string)(params);
}

/** The English text of a hint. */
export function hintMessage(h: Hint): string {
  return (HINT_MESSAGES[h.code] as (p: unknown) => string)(h.params);
}

/** The format code of a zod message this package's schemas give, else `pattern`. */
export function formatCodeOf(message: string): FormatCode {
  for (const code of FORMAT_CODES) if (message.startsWith(FORMAT_MESSAGES[code])) return code;
  return 'pattern';
}
