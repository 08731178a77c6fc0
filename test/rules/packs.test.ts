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
} from '../../packages/rules/src/index';
import { discoverPacks } from '../../packages/rules/src/load';

const ROOT = join(import.meta.dirname, '../..');
const registry = new PackRegistry();
const load = registry.load(discoverPacks(join(ROOT, 'rules'), ROOT));

describe('rules/ loads cleanly', () => {
  it('has no errors and no warnings', () => {
    expect(load.issues.map(formatIssue)).toEqual([]);
    expect(load.ok).toBe(true);
  });
  it('has the city pack and the four district packs', () => {
    expect(registry.ids()).toEqual([
      'tianjin/binhai',
      'tianjin/city',
      'tianjin/heping',
      'tianjin/jinghai',
      'tianjin/jizhou',
    ]);
    for (const [id, bureau] of [
      ['tianjin/binhai', '120116'],
      ['tianjin/jinghai', '120118'],
      ['tianjin/jizhou', '120119'],
      ['tianjin/heping', '120101'],
    ] as const) {
      expect(registry.forBureau(bureau)!.id).toBe(id);
      expect(registry.get(id)!.chain[0]!.id).toBe('tianjin/city');
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
