// Every message the pack loader gives has a Chinese rendering that names facts, values and
// rules by their Chinese labels and carries no English word (issue 12: a Chinese page shows
// only Chinese); the English view keeps the loader's own text.
import { fileURLToPath } from 'node:url';
import {
  compilePacks,
  FORMAT_CODES,
  HINT_CODES,
  ISSUE_CODES,
  type HintCode,
  type HintParamsOf,
  type IssueCode,
  type IssueParamsOf,
} from '@spotcheck/rules';
import { discoverPacks, loadRuntime, pluginConfigPath } from '@spotcheck/rules/load';
import { describe, expect, it } from 'vitest';
import { FORMAT_ZH, HINT_ZH, ISSUE_ZH, issueText, locationZh, vocabularyOf } from './issueText';

const ROOT = fileURLToPath(new URL('../../../../..', import.meta.url));
const runtime = await loadRuntime(pluginConfigPath(ROOT));
const vocab = vocabularyOf(runtime.catalog);
const city = {
  id: 'tianjin/city#r13-poor-credit',
  priority: 20,
  ratio: '20%',
  inspectionKind: 'key',
  stratum: 'c',
};

/** Parameters for every code, as the loader gives them (the type makes the list complete). */
const SAMPLES: { [C in IssueCode]: IssueParamsOf<C> } = {
  'json.invalid': { detail: 'Unexpected token } in JSON at position 12' },
  'schema.unknownField': { field: 'ratoi' },
  'schema.notOneOf': { value: 'generl', allowed: ['general', 'key', 'covert'] },
  'schema.type': { expected: 'number' },
  'schema.missing': { field: 'event' },
  'schema.tooSmall': { minimum: 1, of: 'list' },
  'schema.tooBig': { maximum: 100, of: 'number' },
  'schema.notInteger': {},
  'schema.format': { format: 'ratio' },
  'schema.invalid': { detail: 'Invalid input' },
  'pack.manifestMissing': {},
  'pack.fileIgnored': {},
  'condition.notObject': {},
  'condition.sharedReference': {},
  'condition.emptyList': { combinator: 'any' },
  'condition.noKind': {},
  'condition.factNotName': {},
  'condition.unknownFact': { fact: 'riskLevel' },
  'condition.factNotListed': { fact: 'creditGrade' },
  'condition.unknownOperator': { operator: 'equals' },
  'condition.noValue': {},
  'condition.badOperatorValue': { operator: 'between', detail: 'value must be [low, high]' },
  'condition.neverAValue': { value: 'E', fact: 'creditGrade', domain: ['A', 'B', 'C', 'D'] },
  'condition.needsList': { operator: 'in' },
  'manifest.factUnused': { fact: 'keyUnit' },
  'rule.nameMismatch': { name: 'a', file: 'b' },
  'rule.topCondition': {},
  'tighten.mandatoryDropped': {},
  'tighten.minBelowFloor': { value: 0, floor: 1, basis: { kind: 'rules', rules: [city] } },
  'tighten.maxBelowFloor': { value: 0, floor: 1, basis: { kind: 'cityPack' } },
  'tighten.maxBelowSampling': { value: 0, rules: [], pack: 'tianjin/city', ratio: '1/20' },
  'tighten.weakerKind': { kind: 'general', priority: 60, rules: [city] },
  'tighten.stratumTakeover': {
    stratum: 'x',
    priority: 60,
    rules: [{ ...city, description: 'English only' }],
  },
  'tighten.ratioBelow': { ratio: '1%', floor: '3%', basis: { kind: 'lowestCityRatio' } },
  'case.badPeriod': { text: '2027-Q5' },
  'case.factMissing': { fact: 'employees' },
  'case.noSuchRule': { rule: 'x', pack: 'tianjin/binhai' },
  'pack.definedTwice': { pack: 'tianjin/city', file: 'a/pack.json' },
  'pack.bureauTaken': { bureau: '120116', pack: 'tianjin/binhai' },
  'pack.rootNeedsDefaults': {},
  'pack.districtDefaults': {},
  'pack.extendsUnknown': { pack: 'tianjin/cty' },
  'pack.extendsDistrict': { pack: 'tianjin/binhai', city: 'tianjin/city' },
};
const HINT_SAMPLES: { [C in HintCode]: HintParamsOf<C> } = {
  didYouMean: { candidate: 'riskGrade' },
  checkJsonSyntax: {},
  addManifest: {},
  inlineCondition: {},
  seeFactList: {},
  addFactToManifest: { fact: 'creditGrade' },
  renameRule: { file: 'a', name: 'b' },
  wrapInAll: {},
  removeMandatoryFalse: {},
  useAtLeast: { field: 'ratio', value: '1/20' },
  usePriorityBelow: { priority: 30, or: 'kind' },
  addDefaults: {},
  removeDefaults: {},
};

/** An English word, or an internal id such as a fact name, pack id or JSON path. */
const NOT_CHINESE = /[A-Za-z]{2,}|\$\./;

describe('loader messages in zh-CN', () => {
  it.each(ISSUE_CODES)('%s has a Chinese text with no English word or internal id', (code) => {
    expect(ISSUE_ZH[code]).toBeTypeOf('function');
    const text = issueText({ code, params: SAMPLES[code], message: 'English', hint: null }, 'zh', vocab);
    expect(text).toMatch(/[\u4e00-\u9fff]/);
    expect(text).not.toMatch(NOT_CHINESE);
  });

  it.each(HINT_CODES)('suggestion %s has a Chinese text', (code) => {
    const text = issueText(
      { code: 'condition.noValue', params: {}, message: '', hint: { code, params: HINT_SAMPLES[code] } },
      'zh',
      vocab,
    );
    expect(HINT_ZH[code]).toBeTypeOf('function');
    expect(text).not.toMatch(NOT_CHINESE);
  });

  it('has a Chinese text for every schema format', () => {
    for (const f of FORMAT_CODES) expect(FORMAT_ZH[f]).not.toMatch(NOT_CHINESE);
  });

  it('names facts and values by their Chinese labels', () => {
    const text = issueText(
      { code: 'condition.neverAValue', params: SAMPLES['condition.neverAValue'], message: '' },
      'zh',
      vocab,
    );
    expect(text).toContain('信用等级');
    expect(
      issueText(
        { code: 'tighten.ratioBelow', params: SAMPLES['tighten.ratioBelow'], message: '' },
        'zh',
        vocab,
      ),
    ).toContain('1%');
  });

  it('keeps the loader English text in English', () => {
    expect(
      issueText(
        { code: 'condition.noValue', params: {}, message: 'a condition needs a "value"', suggestion: 'x' },
        'en',
        vocab,
      ),
    ).toBe('a condition needs a "value" — x');
  });

  it('renders what a real loosening gives in Chinese, located without a JSON path', () => {
    const packs = discoverPacks(`${ROOT}/rules`, ROOT);
    const binhai = packs.find((p) => p.origin.endsWith('tianjin/binhai'))!;
    const files = {
      ...binhai.files,
      'rules/loose.json': {
        name: 'loose',
        priority: 50,
        meta: { description: 'd', source: 's' },
        conditions: { all: [{ fact: 'industry', operator: 'equal', value: 'hazardous-chemicals' }] },
        event: { type: 'classify', params: { ratio: '1%' } },
      },
    };
    const result = compilePacks(
      [...packs.filter((p) => p !== binhai), { origin: binhai.origin, files }],
      runtime,
    );
    const issue = result.issues.find((i) => i.path === '$.event.params.ratio')!;
    expect(issue.code).toBe('tighten.ratioBelow');
    const zh = issueText({ ...issue, hint: issue.hint ?? null }, 'zh', vocab);
    expect(zh).toMatch(/低于全市/);
    expect(zh).not.toMatch(NOT_CHINESE);
    expect(locationZh(issue.path)).toBe('规则结果 · 抽查比例');
  });
});
