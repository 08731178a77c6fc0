import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodOfYear } from './facts';
import { generateUnits } from './generate';
import { MEMO_LIMIT } from './classify';
import { PackRegistry } from './registry';
import { arbUnitFacts, repoPacks, withFile } from './testing/fixtures';

const period = periodOfYear(2027);
const registry = new PackRegistry();
registry.load(repoPacks());

describe('classifyMany ≡ per-unit json-rules-engine runs', () => {
  it.each(registry.ids())('%s: identical output on random rosters (fast-check)', async (id) => {
    const classifier = registry.classifier(id);
    expect(classifier.pack.fastPath.eligible).toBe(true);
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbUnitFacts, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 2026, max: 2029 }),
        async (units, year) => {
          const p = periodOfYear(year);
          const bulk = await classifier.classifyMany(units, p, { onWarning: () => undefined });
          const single = [];
          for (const u of units) single.push(await classifier.classify(u, p));
          expect(bulk.fastPath).toBe(true);
          expect(bulk.warnings).toEqual([]);
          expect(bulk.results).toEqual(single);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('runs the engine once per distinct truth-vector', async () => {
    const units = generateUnits(5000, { seed: 11 });
    const bulk = await registry.classifier('tianjin/binhai').classifyMany(units, period);
    expect(bulk.engineRuns).toBeLessThan(500);
    expect(new Set(bulk.results).size).toBe(bulk.engineRuns);
  });

  it('with a cache across batches: the same results, and each truth-vector runs the engine once per roster', async () => {
    const classifier = registry.classifier('tianjin/binhai');
    const units = generateUnits(6000, { seed: 12 });
    const whole = await classifier.classifyMany(units, period);
    const cache = classifier.bulkCache(period);
    const results = [];
    let runs = 0;
    for (let i = 0; i < units.length; i += 500) {
      const part = await classifier.classifyMany(units.slice(i, i + 500), period, { cache });
      results.push(...part.results);
      runs += part.engineRuns;
    }
    expect(results).toEqual(whole.results);
    expect(runs).toBe(whole.engineRuns);
    let uncached = 0;
    for (let i = 0; i < units.length; i += 500)
      uncached += (await classifier.classifyMany(units.slice(i, i + 500), period)).engineRuns;
    expect(uncached).toBeGreaterThan(2 * runs);
    // The same units in another year classify differently (dates move): a cache is for one period.
    const next = periodOfYear(2031);
    const later = await classifier.classifyMany(units, next, { cache: classifier.bulkCache(next) });
    expect(later.results).toEqual((await classifier.classifyMany(units, next)).results);
    expect(later.results).not.toEqual(whole.results);
  });

  it('refuses a cache of another period or rule pack', async () => {
    const units = generateUnits(10, { seed: 13 });
    const binhai = registry.classifier('tianjin/binhai');
    await expect(
      binhai.classifyMany(units, period, { cache: binhai.bulkCache(periodOfYear(2028)) }),
    ).rejects.toThrow(/another rule pack or period/);
    await expect(
      binhai.classifyMany(units, period, { cache: registry.classifier('tianjin/city').bulkCache(period) }),
    ).rejects.toThrow(/another rule pack or period/);
    // The cache copies its period: moving the caller's object does not move the cache with it.
    const moving = { ...periodOfYear(2027) };
    const cache = binhai.bulkCache(moving);
    await binhai.classifyMany(units, moving, { cache });
    Object.assign(moving, periodOfYear(2035));
    await expect(binhai.classifyMany(units, moving, { cache })).rejects.toThrow(
      /another rule pack or period/,
    );
  });

  it('remembers a bounded number of values per fact, even for a fact with a value per unit', async () => {
    const sources = withFile(repoPacks(), 'tianjin/jinghai', 'rules/one-unit.json', () => ({
      name: 'one-unit',
      meta: { description: 'one named unit', source: 'test' },
      conditions: { all: [{ fact: 'unitId', operator: 'equal', value: '91120118000000070X' }] },
      event: { type: 'classify', params: { weight: 3 } },
    }));
    const withFacts = withFile(sources, 'tianjin/jinghai', 'pack.json', (m) => ({
      ...m,
      facts: [...(m.facts as string[]), 'unitId'],
    }));
    const reg = new PackRegistry();
    expect(reg.load(withFacts).ok).toBe(true);
    const c = reg.classifier('tianjin/jinghai');
    expect(c.pack.fastPath.eligible).toBe(true);
    const units = generateUnits(MEMO_LIMIT + 5_000, { seed: 14, bureaus: ['120118'] });
    const cache = c.bulkCache(period);
    const results = [];
    for (let i = 0; i < units.length; i += 10_000)
      results.push(...(await c.classifyMany(units.slice(i, i + 10_000), period, { cache })).results);
    expect(cache.memos.get('unitId')!.size).toBeLessThanOrEqual(MEMO_LIMIT);
    expect(results).toEqual((await c.classifyMany(units, period)).results);
  });

  it('falls back to per-unit runs loudly when a leaf compares two facts', async () => {
    const sources = withFile(repoPacks(), 'tianjin/jinghai', 'rules/fact-vs-fact.json', () => ({
      name: 'fact-vs-fact',
      meta: { description: 'a unit inspected after its last fatal accident', source: 'test' },
      conditions: {
        all: [{ fact: 'lastInspectedOn', operator: 'equal', value: { fact: 'lastFatalAccidentOn' } }],
      },
      event: { type: 'classify', params: { weight: 2 } },
    }));
    const withFacts = withFile(sources, 'tianjin/jinghai', 'pack.json', (m) => ({
      ...m,
      facts: [...(m.facts as string[]), 'lastInspectedOn', 'lastFatalAccidentOn'],
    }));
    const reg = new PackRegistry();
    expect(reg.load(withFacts).ok).toBe(true);
    const c = reg.classifier('tianjin/jinghai');
    expect(c.pack.fastPath.eligible).toBe(false);
    expect(c.pack.fastPath.reasons[0]).toMatch(
      /fact-vs-fact\.json \$\.conditions\.all\[0\]\.value: compares a fact with another fact/,
    );
    const heard: string[] = [];
    const units = generateUnits(30, { seed: 5 }).map((u, i) =>
      i % 3 ? u : { ...u, lastFatalAccidentOn: null, lastInspectedOn: null },
    );
    const bulk = await c.classifyMany(units, period, { onWarning: (m) => heard.push(m) });
    expect(bulk.fastPath).toBe(false);
    expect(bulk.engineRuns).toBe(30);
    expect(heard).toHaveLength(1);
    expect(bulk.warnings[0]).toMatch(
      /fast path disabled, running json-rules-engine once per unit \(30 runs\)/,
    );
    const single = [];
    for (const u of units) single.push(await c.classify(u, period));
    expect(bulk.results).toEqual(single);
    expect(single.filter((x) => x.weight === 2)).toHaveLength(
      units.filter((u) => u.lastInspectedOn === u.lastFatalAccidentOn).length,
    );
    expect(single.filter((x) => x.weight === 2).length).toBeGreaterThanOrEqual(10);
  });

  it('rejects invalid unit facts with the unit and the fact named', async () => {
    const [u] = generateUnits(1);
    await expect(
      registry.classifier('tianjin/city').classifyMany([u, { ...u, creditGrade: 'E' }], period),
    ).rejects.toThrow(/unit 9112.*creditGrade/);
  });
});

describe('concurrency', () => {
  it('concurrent classify calls on one classifier give the same answers as sequential ones', async () => {
    const c = registry.classifier('tianjin/heping');
    const units = generateUnits(200, { seed: 9 });
    const sequential = [];
    for (const u of units) sequential.push(await c.classify(u, period));
    const concurrent = await Promise.all(units.map((u) => c.classify(u, period)));
    expect(concurrent).toEqual(sequential);
  });
});

describe('explain', () => {
  it('lists fired rules with the facts that made them fire, and rules that did not fire', async () => {
    const [u] = generateUnits(1, { bureaus: ['120116'] });
    const e = await registry.classifier('tianjin/binhai').explain(
      {
        ...u,
        industry: 'hazardous-chemicals',
        majorHazardSource: true,
        riskGrade: 'high',
        lastFatalAccidentOn: '2026-03-01',
      },
      period,
    );
    const fired = e.rules.filter((r) => r.fired).map((r) => r.rule);
    expect(fired).toEqual(
      expect.arrayContaining([
        'tianjin/city#r11-high-risk',
        'tianjin/city#r11-fatal-accident',
        'tianjin/binhai#hazchem-major-hazard-source',
      ]),
    );
    expect(e.classification.mandatory).toBe(true);
    expect(e.classification.reasons.map((r) => r.rule)).toEqual([
      'tianjin/city#r11-fatal-accident',
      'tianjin/city#r11-high-risk',
      // A frequency rule (R12) makes its unit mandatory too, and says so.
      'tianjin/binhai#hazchem-major-hazard-source',
    ]);
    expect(e.facts.yearsSinceFatalAccident).toBe(0);
    const fatal = e.rules.find((r) => r.rule === 'tianjin/city#r11-fatal-accident')!;
    expect(fatal.conditions).toEqual({
      all: [
        { fact: 'yearsSinceFatalAccident', operator: 'withinYears', value: 3, factValue: 0, result: true },
      ],
      result: true,
    });
    expect(e.rules.find((r) => r.rule === 'tianjin/city#r12-major-hazard')!.fired).toBe(false);
    expect(e.rules).toHaveLength(registry.get('tianjin/binhai')!.rules.length);
  });
});
