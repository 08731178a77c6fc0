// Golden cases of every committed rule pack, the "every rule has a case" gate, and the
// committed JSON Schemas. Reads rules/ from disk exactly as `spotcheck rules test` does.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatIssue,
  PackRegistry,
  runCase,
  uncoveredRules,
  type CaseResult,
  ratio as exactRatio,
} from '@spotcheck/rules';
import { discoverPacks } from '@spotcheck/rules/load';
import { DISTRICT_SPECIALTIES, MIN_SPECIALISTS } from '@spotcheck/demo/profiles';
import { generateInspectors, generateUnits, type DemoUnit, tianjinDivisions } from '@spotcheck/demo';
import { unitFactsOf } from '@spotcheck/api';

const ROOT = join(import.meta.dirname, '../..');
const registry = new PackRegistry();
const load = registry.load(discoverPacks(join(ROOT, 'rules'), ROOT));

describe('rules/ loads cleanly', () => {
  it('has no errors and no warnings', () => {
    expect(load.issues.map(formatIssue)).toEqual([]);
    expect(load.ok).toBe(true);
  });
  it('has the city pack and a pack for each of the 16 districts, extending it', () => {
    const districts = tianjinDivisions().districts.map((d) => d.code);
    expect(districts).toHaveLength(16);
    expect(registry.ids()).toHaveLength(17);
    for (const code of districts) {
      const pack = registry.forBureau(code)!;
      expect(pack.bureau, code).toBe(code);
      expect(pack.chain[0]!.id).toBe('tianjin/city');
      expect(pack.chain[1]!.cases.length, `${pack.id} has cases`).toBeGreaterThan(0);
    }
  });
  it('the demo officers cover every specialty each district pack requires', () => {
    for (const code of tianjinDivisions().districts.map((d) => d.code)) {
      const required = new Set(
        registry.forBureau(code)!.rules.flatMap((r) => (r.params.specialty ? [r.params.specialty] : [])),
      );
      expect([...(DISTRICT_SPECIALTIES[code] ?? [])].sort(), code).toEqual([...required].sort());
      const officers = generateInspectors(20270101).filter(
        (i) => i.bureauCode === code && i.status === 'active',
      );
      for (const s of required)
        expect(
          officers.filter((i) => i.specialties.includes(s)).length,
          `${code} ${s}`,
        ).toBeGreaterThanOrEqual(MIN_SPECIALISTS);
    }
  });
});

for (const id of registry.ids()) {
  const pack = registry.compiledPack(id)!;
  describe(`${id} cases`, () => {
    const results: CaseResult[] = [];
    it.each(pack.cases.map((c) => [`${c.file.split('/').pop()}: ${c.name}`, c] as const))(
      '%s',
      async (_, c) => {
        const result = await runCase(registry.classifier(id), pack, c);
        results.push(result);
        expect(result.mismatches).toEqual([]);
      },
    );
    it('bulk path agrees with the cases', async () => {
      const classifier = registry.classifier(id);
      const bulk = await classifier.classifyMany(
        pack.cases.map((c) => c.facts),
        pack.cases[0]!.period,
      );
      const single = [];
      for (const c of pack.cases) single.push(await classifier.classify(c.facts, pack.cases[0]!.period));
      expect(bulk.results).toEqual(single);
    });
    it('gate: every rule is exercised by a passing case', () => {
      expect(results).toHaveLength(pack.cases.length);
      expect(uncoveredRules(pack, results)).toEqual([]);
    });
  });
}

describe('gate catches a rule without a case', () => {
  it('reports the rule', async () => {
    const pack = registry.compiledPack('tianjin/jizhou')!;
    const classifier = registry.classifier('tianjin/jizhou');
    const results = [];
    for (const c of pack.cases.filter((c) => !c.fired?.includes('tianjin/jizhou#scenic-crowded'))) {
      results.push(await runCase(classifier, pack, c));
    }
    expect(uncoveredRules(pack, results)).toEqual(['tianjin/jizhou#scenic-crowded']);
  });
});

// The JSON Schemas under rules/schema are generated from the registered plugins: test/rules/plugins.test.ts checks them.

describe('tighten-only is proven at load (issue #10 loophole)', () => {
  const loophole = {
    name: 'good-credit-holiday',
    priority: 99,
    meta: { description: 'A/B credit: never inspected', source: 'none' },
    conditions: { all: [{ fact: 'creditGrade', operator: 'in', value: ['A', 'B'] }] },
    event: {
      type: 'classify',
      params: { maxPerYear: 0, stratum: 'general', inspectionKind: 'general' },
    },
  };
  const withFacts = (manifest: string) => {
    const m = JSON.parse(manifest) as { facts: string[] };
    const facts = [
      'creditGrade',
      'blacklisted',
      'riskGrade',
      'jointPunishment',
      'majorHazard',
      'keyUnit',
      'trialProduction',
      'resuming',
      'yearsSinceFatalAccident',
    ];
    return { ...m, facts: [...new Set([...m.facts, ...facts])] };
  };
  const withRule = (rule: unknown) =>
    discoverPacks(join(ROOT, 'rules'), ROOT).map((s) =>
      s.origin === 'rules/tianjin/binhai'
        ? {
            ...s,
            files: {
              ...s.files,
              'pack.json': withFacts(String(s.files['pack.json'])),
              'rules/good-credit-holiday.json': rule,
            },
          }
        : s,
    );

  it('refuses the pack, naming file, field and the city rule it loosens', () => {
    const r = new PackRegistry();
    const res = r.load(withRule(loophole));
    expect(res.ok).toBe(false);
    expect(r.ids()).toEqual([]);
    const errors = res.issues.filter((i) => i.severity === 'error');
    const at = (path: string) => errors.find((i) => i.path === path);
    const file = 'rules/tianjin/binhai/rules/good-credit-holiday.json';
    expect(at('$.event.params.maxPerYear')).toMatchObject({ file });
    expect(at('$.event.params.maxPerYear')!.message).toContain('tianjin/city#r13-good-credit');
    expect(at('$.event.params.inspectionKind')).toMatchObject({ file });
    expect(at('$.event.params.inspectionKind')!.message).toContain('tianjin/city#r12-blacklist');
    expect(at('$.event.params.stratum')).toMatchObject({ file });
    expect(at('$.event.params.stratum')!.message).toContain('tianjin/city#r11-high-risk');
  });

  it('accepts the same rule once it only tightens (cap ≥ 1, lower priority than the city)', () => {
    const tight = {
      ...loophole,
      priority: 8,
      event: { type: 'classify', params: { maxPerYear: 1, stratum: 'ab-credit', ratio: '5%' } },
    };
    const res = new PackRegistry().load(withRule(tight));
    expect(res.issues.filter((i) => i.severity === 'error').map(formatIssue)).toEqual([]);
  });

  it('knows which city rules cannot fire with the same unit', () => {
    const disjoint = {
      ...loophole,
      conditions: {
        all: [
          { fact: 'creditGrade', operator: 'in', value: ['A', 'B'] },
          { fact: 'blacklisted', operator: 'equal', value: false },
          { fact: 'riskGrade', operator: 'in', value: ['low', 'medium'] },
          { fact: 'jointPunishment', operator: 'equal', value: false },
          { fact: 'majorHazard', operator: 'equal', value: false },
          { fact: 'keyUnit', operator: 'equal', value: false },
          { fact: 'trialProduction', operator: 'equal', value: false },
          { fact: 'resuming', operator: 'equal', value: false },
          { fact: 'yearsSinceFatalAccident', operator: 'equal', value: null },
        ],
      },
      event: { type: 'classify', params: { stratum: 'ab-credit', inspectionKind: 'general' } },
    };
    const res = new PackRegistry().load(withRule(disjoint));
    const errors = res.issues.filter((i) => i.severity === 'error');
    // None of the city's mandatory or covert rules can fire with these facts, except the
    // fatal-accident rule, whose derived fact the checker cannot prove disjoint: it is refused.
    expect(errors.map((e) => e.path).sort()).toEqual([
      '$.event.params.inspectionKind',
      '$.event.params.stratum',
    ]);
    for (const e of errors) {
      expect(e.message).toContain('tianjin/city#r11-fatal-accident');
      for (const city of ['r11-high-risk', 'r12-blacklist', 'r12-major-hazard', 'r12-key-unit'])
        expect(e.message).not.toContain(city);
    }
  });
});

describe('the default demo city (20,000 units) has the officers its packs need', () => {
  it('expected units a quarter ≤ the district officers’ capacity for teams of two, in every district', async () => {
    const streetsByDistrict = new Map<string, string[]>();
    for (const s of tianjinDivisions().streets)
      streetsByDistrict.set(s.bureauCode, [...(streetsByDistrict.get(s.bureauCode) ?? []), s.code]);
    const byDistrict = new Map<string, DemoUnit[]>();
    for (const { unit } of generateUnits({ seed: 20270101, count: 20_000, streetsByDistrict }))
      byDistrict.set(unit.bureauCode, [...(byDistrict.get(unit.bureauCode) ?? []), unit]);
    const officers = generateInspectors(20270101);
    const short: string[] = [];
    for (const [code, list] of byDistrict) {
      const pack = registry.forBureau(code)!;
      const { results } = await registry.classifier(pack.id).classifyMany(
        list.map((u) => unitFactsOf({ ...u, status: 'active' } as never)),
        {
          start: '2027-01-01',
          end: '2027-04-01',
        },
      );
      // A quarter: a quarter of every yearly minimum, a quarter of every other unit's ratio.
      let units = 0;
      for (const c of results) {
        const f = exactRatio(c.ratio);
        units += c.mandatory ? c.minPerYear / 4 : f.num / f.den / 4;
      }
      const places = officers
        .filter((i) => i.bureauCode === code && i.status === 'active')
        .reduce((n, i) => n + i.capacityPerQuarter, 0);
      if (units * 2 > places) short.push(`${code}: ${Math.ceil(units)} units a quarter, ${places / 2} teams`);
    }
    expect(short).toEqual([]);
  });
});
