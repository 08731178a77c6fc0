import { describe, expect, it } from 'vitest';
import { compilePacks, formatIssue } from './compile';
import { canonicalJson, packDigest } from './digest';
import { periodOfYear } from './facts';
import { PackRegistry } from './registry';
import { createRuntime, defaultRuntime } from './runtime';
import { repoPacks, withFile } from './testing/fixtures';
import type { PackIssue } from './types';

const errors = (issues: readonly PackIssue[]) => issues.filter((i) => i.severity === 'error');

describe('loading the repository packs', () => {
  it('validates and composes city + the 16 districts', () => {
    const result = compilePacks(repoPacks(), defaultRuntime);
    expect(errors(result.issues)).toEqual([]);
    expect(result.packs.size).toBe(17);
    for (const id of [
      'tianjin/binhai',
      'tianjin/city',
      'tianjin/heping',
      'tianjin/jinghai',
      'tianjin/jizhou',
    ])
      expect(result.packs.has(id)).toBe(true);
    const binhai = result.packs.get('tianjin/binhai')!;
    expect(binhai.chain.map((p) => p.id)).toEqual(['tianjin/city', 'tianjin/binhai']);
    expect(binhai.bureau).toBe('120116');
    expect(binhai.fastPath.eligible).toBe(true);
  });
});

describe('load errors name the file, the JSON path and a fix', () => {
  it('suggests the nearest fact for a typo', () => {
    const sources = withFile(repoPacks(), 'tianjin/city', 'rules/r11-high-risk.json', (r) => {
      (r.conditions as { all: { fact: string }[] }).all[0]!.fact = 'riskLevel';
      return r;
    });
    const [issue] = errors(compilePacks(sources, defaultRuntime).issues);
    expect(issue).toMatchObject({
      file: 'rules/tianjin/city/rules/r11-high-risk.json',
      path: '$.conditions.all[0].fact',
      message: 'unknown fact "riskLevel"',
      suggestion: 'did you mean "riskGrade"?',
    });
    expect(formatIssue(issue!)).toBe(
      'error rules/tianjin/city/rules/r11-high-risk.json $.conditions.all[0].fact: unknown fact "riskLevel" — did you mean "riskGrade"?',
    );
  });
  it('suggests operators, enum values, event fields and packs', () => {
    let sources = withFile(repoPacks(), 'tianjin/city', 'rules/r11-high-risk.json', (r) => {
      const leaf = (r.conditions as { all: Record<string, unknown>[] }).all[0]!;
      leaf.operator = 'inn';
      return r;
    });
    sources = withFile(sources, 'tianjin/city', 'rules/medium-risk.json', (r) => {
      (r.conditions as { all: Record<string, unknown>[] }).all[0]!.value = 'meduim';
      return r;
    });
    sources = withFile(sources, 'tianjin/city', 'rules/r13-poor-credit.json', (r) => {
      (r.event as { params: Record<string, unknown> }).params = { stratum: 'poor-credit', raito: '20%' };
      return r;
    });
    sources = withFile(sources, 'tianjin/heping', 'pack.json', (m) => ({ ...m, extends: 'tianjin/cty' }));
    const found = errors(compilePacks(sources, defaultRuntime).issues).map((i) => [i.path, i.suggestion]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['$.conditions.all[0].operator', 'did you mean "in"?'],
        ['$.conditions.all[0].value', 'did you mean "medium"?'],
        ['$.event.params.raito', 'did you mean "ratio"?'],
        ['$.extends', 'did you mean "tianjin/city"?'],
      ]),
    );
  });
  it('reports JSON syntax errors with the file', () => {
    const sources = repoPacks();
    (sources[0]!.files as Record<string, unknown>)['rules/broken.json'] = '{"name": "broken",';
    const [issue] = errors(compilePacks(sources, defaultRuntime).issues);
    expect(issue!.file).toMatch(/rules\/broken\.json$/);
    expect(issue!.message).toMatch(/not valid JSON/);
  });
  it('requires facts to be declared in pack.json', () => {
    const sources = withFile(repoPacks(), 'tianjin/binhai', 'pack.json', (m) => ({
      ...m,
      facts: ['industry'],
    }));
    const issues = errors(compilePacks(sources, defaultRuntime).issues);
    expect(issues[0]).toMatchObject({
      path: '$.conditions.all[1].fact',
      message: 'fact "majorHazardSource" is not listed in pack.json "facts"',
      suggestion: 'add "majorHazardSource" to "facts" in pack.json',
    });
  });
  it('requires complete unit facts in cases', () => {
    const sources = withFile(repoPacks(), 'tianjin/binhai', 'cases/binhai.json', (c) => {
      delete (c.base as Record<string, unknown>).employees;
      return c;
    });
    const issues = errors(compilePacks(sources, defaultRuntime).issues);
    expect(issues[0]).toMatchObject({
      path: '$.base.employees',
      message: expect.stringMatching(/fact "employees" is missing/),
    });
  });
  it('rejects a case that names an unknown rule', () => {
    const sources = withFile(repoPacks(), 'tianjin/jinghai', 'cases/jinghai.json', (c) => {
      (c.cases as { expect: { fired: string[] } }[])[0]!.expect.fired = ['metallurgy-ratios'];
      return c;
    });
    const [issue] = errors(compilePacks(sources, defaultRuntime).issues);
    expect(issue).toMatchObject({
      path: '$.cases[0].expect.fired[0]',
      suggestion: 'did you mean "tianjin/jinghai#metallurgy-ratio"?',
    });
  });
});

describe('a district may only tighten the city floor', () => {
  const districtRule = (params: Record<string, unknown>, conditions: unknown) =>
    withFile(
      withFile(repoPacks(), 'tianjin/binhai', 'rules/loosen.json', () => ({
        name: 'loosen',
        meta: { description: 'test', source: 'test' },
        conditions,
        event: { type: 'classify', params },
      })),
      'tianjin/binhai',
      'pack.json',
      (m) => ({ ...m, facts: ['industry', 'majorHazardSource', 'majorHazard', 'riskGrade'] }),
    );
  const hazchemA = { all: [{ fact: 'industry', operator: 'equal', value: 'hazardous-chemicals' }] };

  it('rejects dropping a mandatory unit', () => {
    const r = compilePacks(districtRule({ mandatory: false }, hazchemA), defaultRuntime);
    expect(r.ok).toBe(false);
    expect(errors(r.issues)[0]).toMatchObject({
      file: 'rules/tianjin/binhai/rules/loosen.json',
      path: '$.event.params.mandatory',
      message: expect.stringMatching(/cannot drop a mandatory unit/),
    });
  });
  it('rejects a minimum below the city floor for the units it matches', () => {
    const r = compilePacks(
      districtRule(
        { minPerYear: 2 },
        { all: [{ fact: 'majorHazard', operator: 'equal', value: true }, hazchemA.all[0]] },
      ),
      defaultRuntime,
    );
    expect(errors(r.issues)[0]).toMatchObject({
      path: '$.event.params.minPerYear',
      message: expect.stringMatching(/below the city floor 4 .*tianjin\/city#r12-major-hazard/),
      suggestion: 'use at least 4, or remove minPerYear',
    });
  });
  it('rejects a cap below the city floor', () => {
    const r = compilePacks(
      districtRule({ maxPerYear: 0 }, { all: [{ fact: 'riskGrade', operator: 'equal', value: 'major' }] }),
      defaultRuntime,
    );
    expect(errors(r.issues)[0]).toMatchObject({
      path: '$.event.params.maxPerYear',
      suggestion: 'use at least 2, or remove maxPerYear',
    });
  });
  it('rejects a ratio below the city ratio, via implication over enum domains', () => {
    // creditGrade in [A] ⊆ creditGrade in [C, D]? no; riskGrade "medium" implies the city's medium-risk rule (10%).
    const r = compilePacks(
      districtRule({ ratio: '1/20' }, { all: [{ fact: 'riskGrade', operator: 'in', value: ['medium'] }] }),
      defaultRuntime,
    );
    expect(errors(r.issues)[0]).toMatchObject({
      path: '$.event.params.ratio',
      suggestion: 'use at least "10%", or remove ratio',
    });
    // Below the lowest ratio the city gives anyone (3% for good credit): rejected whatever it matches.
    const r2 = compilePacks(districtRule({ ratio: '1%' }, hazchemA), defaultRuntime);
    expect(errors(r2.issues)[0]!.message).toMatch(/below the city's "3%"/);
  });
  it('accepts a ratio that tightens some units even if the city gives others more', () => {
    const r = compilePacks(districtRule({ ratio: '4%' }, hazchemA), defaultRuntime);
    expect(errors(r.issues)).toEqual([]);
  });
  it('keeps loosening structurally impossible: a weaker value has no effect', async () => {
    // 4% passes the check (it tightens good-credit units from 3%) but cannot lower the 5% default.
    const reg = new PackRegistry();
    expect(
      reg.load(
        districtRule({ ratio: '4%' }, { all: [{ fact: 'industry', operator: 'equal', value: 'machinery' }] }),
      ).ok,
    ).toBe(true);
    const c = reg.classifier('tianjin/binhai');
    const base = (
      repoPacks().find((s) => s.origin.endsWith('binhai'))!.files['cases/binhai.json'] as { base: object }
    ).base;
    const plain = await c.classify({ ...base, industry: 'machinery' }, periodOfYear(2027));
    expect(plain.ratio).toBe('5%');
    const good = await c.classify({ ...base, industry: 'machinery', creditGrade: 'A' }, periodOfYear(2027));
    expect(good.ratio).toBe('4%');
  });
});

describe('registry', () => {
  it('keeps the active version when a new load is invalid (all-or-nothing)', () => {
    const reg = new PackRegistry();
    expect(reg.load(repoPacks()).ok).toBe(true);
    const before = reg.get('tianjin/binhai');
    const bad = withFile(repoPacks(), 'tianjin/binhai', 'pack.json', (m) => ({
      ...m,
      version: '2.0.0',
      facts: ['riskLevel'],
    }));
    const result = reg.load(bad);
    expect(result.ok).toBe(false);
    expect(reg.get('tianjin/binhai')).toBe(before);
    expect(reg.get('tianjin/binhai')!.version).toBe('1.0.0');
  });
  it('loads in-memory JSON the same as files and finds packs by bureau', () => {
    const reg = new PackRegistry();
    const inMemory = JSON.parse(JSON.stringify(repoPacks())) as ReturnType<typeof repoPacks>;
    expect(reg.load(inMemory).ok).toBe(true);
    expect(reg.forBureau('120119')!.id).toBe('tianjin/jizhou');
    expect(reg.forBureau('120103')!.id).toBe('tianjin/hexi');
    expect(reg.forBureau('120199')!.id).toBe('tianjin/city');
    expect(() => reg.classifier('tianjin/nowhere')).toThrow(/no rule pack "tianjin\/nowhere"/);
  });
  it('registers custom operators and fact resolvers by name', async () => {
    const runtime = createRuntime({
      facts: [
        {
          name: 'bigUnit',
          description: '≥ 1000 staff',
          type: { kind: 'boolean' },
          reads: ['employees'],
          resolve: (u) => u.employees >= 1000,
        },
      ],
      operators: [
        { name: 'isTrue', description: 'true', validateValue: () => null, evaluate: (f) => f === true },
      ],
    });
    const sources = withFile(
      withFile(repoPacks(), 'tianjin/heping', 'rules/big.json', () => ({
        name: 'big',
        meta: { description: 'big units', source: 'test' },
        conditions: { all: [{ fact: 'bigUnit', operator: 'isTrue', value: null }] },
        event: { type: 'classify', params: { weight: 5 } },
      })),
      'tianjin/heping',
      'pack.json',
      (m) => ({ ...m, facts: [...(m.facts as string[]), 'bigUnit'] }),
    );
    const reg = new PackRegistry(runtime);
    const load = reg.load(sources);
    expect(errors(load.issues)).toEqual([]);
    const base = (
      sources.find((s) => s.origin.endsWith('heping'))!.files['cases/heping.json'] as { base: object }
    ).base;
    const c = await reg
      .classifier('tianjin/heping')
      .classify({ ...base, employees: 1200 }, periodOfYear(2027));
    expect(c.weight).toBe(5);
    expect(c.fired).toContain('tianjin/heping#big');
    expect(() =>
      createRuntime({
        facts: [
          { name: 'riskGrade', description: '', type: { kind: 'boolean' }, reads: [], resolve: () => true },
        ],
      }),
    ).toThrow(/already registered/);
  });
});

describe('packDigest', () => {
  it('is the sha256 of canonical JSON: key order and formatting do not matter, content does', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
    const [city] = repoPacks();
    const text = {
      origin: 'elsewhere',
      files: Object.fromEntries(Object.entries(city!.files).map(([k, v]) => [k, JSON.stringify(v, null, 4)])),
    };
    expect(packDigest(text)).toBe(packDigest(city!));
    expect(packDigest(city!)).toMatch(/^[0-9a-f]{64}$/);
    const changed = withFile([city!], city!.origin, 'pack.json', (m) => ({ ...m, version: '1.0.1' }));
    expect(packDigest(changed[0]!)).not.toBe(packDigest(city!));
  });
});
