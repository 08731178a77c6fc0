// The plugin mechanism end to end in packages/rules: the example plugin is loaded only through
// rules/plugins.json (no core file names it), its fact and operator validate, classify per unit
// and in bulk (fast path), explain, and take part in the tighten-only check.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compilePacks,
  definePlugin,
  formatIssue,
  generatedFiles,
  PackRegistry,
  periodOfYear,
  runPackCases,
  uncoveredRules,
  withGeneratedReadme,
  type PackIssue,
  type PackSource,
} from '@spotcheck/rules';
import { discoverPacks, loadPlugins, loadRuntime, readPackDir } from '@spotcheck/rules/load';

const ROOT = join(import.meta.dirname, '../..');
const CONFIG = join(ROOT, 'rules/plugins.json');
const runtime = await loadRuntime(CONFIG);
const EXAMPLE = join(ROOT, 'packages/plugin-liquid-ammonia/example/tianjin/ammonia');
const parsed = (s: PackSource): PackSource => ({
  origin: s.origin,
  files: Object.fromEntries(Object.entries(s.files).map(([k, v]) => [k, JSON.parse(v as string) as unknown])),
});
const repo = () => discoverPacks(join(ROOT, 'rules'), ROOT).map(parsed);
const example = () => parsed(readPackDir(EXAMPLE, 'example/ammonia'));
const errors = (r: { issues: readonly PackIssue[] }) => r.issues.filter((i) => i.severity === 'error');

describe('rules/plugins.json', () => {
  it('loads the example plugin by package name, after the built-in plugin', async () => {
    expect(runtime.plugins.map((p) => p.name)).toEqual([
      '@spotcheck/rules (built-in)',
      '@spotcheck/plugin-liquid-ammonia',
    ]);
    expect(runtime.factTypes.get('liquidAmmonia')).toEqual({ kind: 'boolean' });
    expect(runtime.operatorNames).toContain('between');
    const fact = runtime.catalog.facts.find((f) => f.name === 'liquidAmmonia')!;
    expect(fact).toMatchObject({
      from: 'derived',
      label: { zh: '涉氨制冷企业' },
      reads: ['industry', 'majorHazardSource'],
    });
  });
  it('no core package or app names the plugin: only rules/plugins.json and the root manifest do', () => {
    const hits: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory() && e.name !== 'node_modules' && e.name !== 'dist') walk(p);
        else if (
          e.isFile() &&
          /\.(ts|tsx|json)$/.test(e.name) &&
          readFileSync(p, 'utf8').includes('plugin-liquid-ammonia')
        )
          hits.push(relative(ROOT, p));
      }
    };
    for (const top of ['packages', 'apps']) {
      for (const pkg of readdirSync(join(ROOT, top)))
        if (pkg !== 'plugin-liquid-ammonia') walk(join(ROOT, top, pkg));
    }
    expect(hits).toEqual([]);
  });
  it('names the entry and the reason when a listed plugin cannot be loaded or exports none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plugins-'));
    writeFileSync(join(dir, 'plugins.json'), JSON.stringify({ plugins: ['@spotcheck/no-such-plugin'] }));
    await expect(loadPlugins(join(dir, 'plugins.json'))).rejects.toThrow(
      /\$\.plugins\[0\]: cannot load "@spotcheck\/no-such-plugin"/,
    );
    writeFileSync(join(dir, 'empty.mjs'), 'export const x = 1;\n');
    writeFileSync(join(dir, 'plugins.json'), JSON.stringify({ plugins: ['./empty.mjs'] }));
    await expect(loadPlugins(join(dir, 'plugins.json'))).rejects.toThrow(/exports no plugin/);
    writeFileSync(join(dir, 'plugins.json'), '{"plugins": "x"}');
    await expect(loadPlugins(join(dir, 'plugins.json'))).rejects.toThrow(/\$\.plugins: must be a list/);
    expect(await loadPlugins(join(dir, 'missing.json'))).toEqual([]);
  });
  it('refuses a plugin that redefines a fact or reads no base fact', async () => {
    const { createRuntime } = await import('@spotcheck/rules');
    const twice = definePlugin({
      name: 'twice',
      facts: [
        {
          from: 'derived',
          name: 'highRisk',
          type: { kind: 'boolean' },
          label: { zh: '高', en: 'h' },
          description: '',
          reads: ['riskGrade'],
          resolve: () => true,
        },
      ],
      operators: [],
    });
    expect(() => createRuntime({ plugins: [twice] })).toThrow(/"highRisk" of twice is already registered/);
    expect(() =>
      definePlugin({
        name: 'none',
        facts: [
          {
            from: 'derived',
            name: 'x',
            type: { kind: 'boolean' },
            label: { zh: 'x', en: 'x' },
            description: '',
            reads: [],
            resolve: () => true,
          },
        ],
        operators: [],
      }),
    ).toThrow(/must list the base facts it reads/);
    expect(() =>
      createRuntime({
        plugins: [
          definePlugin({
            name: 'col',
            facts: [
              {
                from: 'unit',
                name: 'ammoniaTons',
                type: { kind: 'number', nullable: false },
                label: { zh: '液氨', en: 'NH3' },
                description: '',
              },
            ],
            operators: [],
          }),
        ],
      }),
    ).toThrow(/units have no such column/);
  });
});

describe('the example pack with the plugin', () => {
  const registry = new PackRegistry(runtime);
  const load = registry.load([...repo(), example()]);
  it('validates with the committed packs', () => {
    expect(load.issues.map(formatIssue)).toEqual([]);
    expect(registry.get('tianjin/ammonia')!.fastPath.eligible).toBe(true);
  });
  it('does not validate without the plugin (the fact and operator are unknown)', () => {
    const bare = compilePacks([...repo(), example()], new PackRegistry().runtime);
    expect(errors(bare).map((i) => i.message)).toEqual(
      expect.arrayContaining(['unknown fact "liquidAmmonia"', 'unknown operator "between"']),
    );
  });
  it('passes every case, and every rule is exercised', async () => {
    const pack = registry.compiledPack('tianjin/ammonia')!;
    const results = await runPackCases(registry.classifier('tianjin/ammonia'), pack);
    expect(results.filter((r) => !r.passed).map((r) => [r.name, r.mismatches])).toEqual([]);
    expect(results).toHaveLength(6);
    expect(uncoveredRules(pack, results)).toEqual([]);
  });
  it('bulk classification (fast path) equals per-unit runs', async () => {
    const pack = registry.compiledPack('tianjin/ammonia')!;
    const c = registry.classifier('tianjin/ammonia');
    const units = pack.cases.flatMap((k) =>
      [0, 49, 50, 51, 300, 301, 5000].map((employees, i) => ({
        ...k.facts,
        employees,
        industry: i % 2 ? k.facts.industry : 'port-logistics',
      })),
    );
    const bulk = await c.classifyMany(units, periodOfYear(2027));
    expect(bulk.fastPath).toBe(true);
    const single = [];
    for (const u of units) single.push(await c.classify(u, periodOfYear(2027)));
    expect(bulk.results).toEqual(single);
    expect(bulk.results.filter((r) => r.ratio === '30%').length).toBeGreaterThan(0);
  });
  it('explains the plugin fact and operator with the unit values', async () => {
    const pack = registry.compiledPack('tianjin/ammonia')!;
    const kase = pack.cases.find((k) => k.name.startsWith('中型涉氨企业'))!;
    const e = await registry.classifier('tianjin/ammonia').explain(kase.facts, kase.period);
    expect(e.facts.liquidAmmonia).toBe(true);
    const rule = e.rules.find((r) => r.rule === 'tianjin/ammonia#ammonia-mid-size')!;
    expect(rule.fired).toBe(true);
    expect(rule.conditions).toEqual({
      all: [
        { fact: 'liquidAmmonia', operator: 'equal', value: true, factValue: true, result: true },
        { fact: 'employees', operator: 'between', value: [50, 300], factValue: 50, result: true },
      ],
      result: true,
    });
  });
  it('rejects a bad between value on the field, with the plugin message', () => {
    const src = example();
    (
      src.files['rules/ammonia-mid-size.json'] as { conditions: { all: { value: unknown }[] } }
    ).conditions.all[1]!.value = [300, 50];
    const r = compilePacks([...repo(), src], runtime);
    expect(errors(r)).toEqual([
      expect.objectContaining({
        file: 'example/ammonia/rules/ammonia-mid-size.json',
        path: '$.conditions.all[1].value',
        message: 'value must be [low, high]: two numbers with low ≤ high',
      }),
    ]);
  });
  it('tighten-only reasons through between: a range inside a city floor cannot go below it', () => {
    const city = (files: PackSource['files']) => ({
      ...files,
      'rules/large-units.json': {
        name: 'large-units',
        meta: { description: 'large units yearly', source: 'test' },
        conditions: { all: [{ fact: 'employees', operator: 'greaterThanInclusive', value: 300 }] },
        event: { type: 'classify', params: { minPerYear: 1 } },
      },
      'pack.json': {
        ...(files['pack.json'] as object),
        facts: [...(files['pack.json'] as { facts: string[] }).facts, 'employees'],
      },
    });
    const withDistrict = (range: [number, number]) => {
      const packs = repo().map((s) => (s.origin.endsWith('city') ? { ...s, files: city(s.files) } : s));
      const ex = example();
      const files = ex.files as Record<string, unknown>;
      files['rules/ammonia-mid-size.json'] = {
        name: 'ammonia-mid-size',
        meta: { description: 'd', source: 's' },
        conditions: { all: [{ fact: 'employees', operator: 'between', value: range }] },
        event: { type: 'classify', params: { maxPerYear: 0 } },
      };
      return compilePacks([...packs, ex], runtime);
    };
    // Only the example pack's own file: the district packs' rules meet the added city floor too
    // (tighten-only flags them, rightly), which is not what this case is about.
    const ofExample = (issues: ReturnType<typeof errors>) =>
      issues.filter((i) => i.file?.startsWith('example/'));
    const inside = ofExample(errors(withDistrict([400, 500])));
    // (The city's sampling rules are named too: a cap of 0 is below what they may draw.)
    expect(inside).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'example/ammonia/rules/ammonia-mid-size.json',
          path: '$.event.params.maxPerYear',
          message: expect.stringContaining('below the city floor of 1'),
        }),
      ]),
    );
    // [200, 500] reaches below 300: the city floor does not cover every unit it matches.
    expect(
      ofExample(errors(withDistrict([200, 500]))).filter((i) => i.message.includes('city#large-units')),
    ).toEqual([]);
  });
});

describe('generated files are current (run `npm run spotcheck -- rules generate`)', () => {
  it.each(Object.entries(generatedFiles(runtime)))('%s', (path, text) => {
    expect(readFileSync(join(ROOT, path), 'utf8')).toBe(text);
  });
  it('rules/README.md fact and operator tables', () => {
    const readme = readFileSync(join(ROOT, 'rules/README.md'), 'utf8');
    expect(readme).toBe(withGeneratedReadme(readme, runtime.catalog));
    expect(readme).toContain('| `liquidAmmonia` | 涉氨制冷企业 |');
  });
});
