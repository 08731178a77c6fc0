// Issue 12: a base fact is declared once, in BASE_FACT_REGISTRY (packages/rules/src/facts.ts).
// This enumerates the registry and checks that everything derived from it agrees: the unit-facts
// schema and the bulk validator, the editor's fact list (rulePacks.catalog), the JSON Schemas and
// the authoring guide, and the roster columns the API reads each fact from.
import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { units } from '@spotcheck/db';
import {
  BASE_FACT_NAMES,
  BASE_FACT_REGISTRY,
  catalogMarkdown,
  defaultRuntime,
  generatedFiles,
  generateUnits,
  isValidUnitFacts,
  unitFactsFromRecord,
  ZUnitFactsSchema,
  type BaseFactDeclaration,
} from '@spotcheck/rules';

const registry = Object.entries(BASE_FACT_REGISTRY) as [string, BaseFactDeclaration][];

describe('the base fact registry', () => {
  it('is the unit-facts schema, key for key and in order', () => {
    expect(Object.keys(ZUnitFactsSchema.shape)).toEqual(registry.map(([n]) => n));
    expect(BASE_FACT_NAMES).toEqual(registry.map(([n]) => n));
  });

  it('gives every fact a Chinese and an English label, and every enum value a label', () => {
    for (const [name, f] of registry) {
      expect(f.label.zh, name).toMatch(/[\u4e00-\u9fff]/);
      expect(f.label.en, name).not.toBe('');
      if (f.type.kind === 'enum')
        for (const v of f.type.values) expect(f.valueLabels?.[v]?.zh, `${name}=${v}`).toBeTruthy();
    }
  });

  it('is the editor’s fact list: same names, labels, domains and value labels', () => {
    const editor = defaultRuntime.catalog.facts.filter((f) => f.from === 'unit');
    expect(editor.map((f) => f.name)).toEqual(registry.map(([n]) => n));
    for (const [name, f] of registry) {
      const e = editor.find((x) => x.name === name)!;
      expect(e.label).toEqual(f.label);
      expect(e.type).toEqual(f.type);
      expect(e.valueLabels ?? null).toEqual(f.valueLabels ?? null);
      expect(defaultRuntime.factTypes.get(name)).toEqual(f.type);
    }
  });

  it('is in the generated JSON Schemas and the authoring guide', () => {
    const files = generatedFiles(defaultRuntime);
    const guide = catalogMarkdown(defaultRuntime.catalog);
    const schemas = Object.entries(files)
      .filter(([p]) => p.endsWith('.json'))
      .map(([, text]) => text)
      .join('\n');
    for (const [name, f] of registry) {
      expect(schemas, name).toContain(`"${name}"`);
      expect(guide, name).toContain(name);
      expect(guide, name).toContain(f.label.zh);
    }
  });

  it('names a column of the units table for every fact, which the API reads the fact from', () => {
    const columns = getTableColumns(units);
    for (const [name, f] of registry) expect(Object.keys(columns), name).toContain(f.column ?? name);
    const [unit] = generateUnits(1, { seed: 5 });
    const row: Record<string, unknown> = { name: '某单位', address: '', legalRepresentative: '' };
    for (const [name, f] of registry) row[f.column ?? name] = unit![name as keyof typeof unit];
    const facts = unitFactsFromRecord(row);
    expect(facts).toEqual(unit);
    expect(isValidUnitFacts(facts)).toBe(true);
  });

  it('the bulk validator follows the registry: a missing or extra fact fails it', () => {
    const [unit] = generateUnits(1, { seed: 9 });
    const { crowdedPlace: _, ...missing } = unit!;
    expect(isValidUnitFacts(missing)).toBe(false);
    expect(isValidUnitFacts({ ...unit, extra: true })).toBe(false);
    for (const [name, f] of registry) {
      const bad = { ...unit, [name]: f.type.kind === 'boolean' ? 'yes' : { wrong: true } };
      expect(isValidUnitFacts(bad), name).toBe(false);
      expect(ZUnitFactsSchema.safeParse(bad).success, name).toBe(false);
    }
  });
});

describe('a fact declared with a default', () => {
  it('lets case files that predate it leave it out (the default is used), and only such facts', async () => {
    const { BASE_FACT_DEFAULTS } = await import('@spotcheck/rules');
    for (const [name, f] of registry) expect(name in BASE_FACT_DEFAULTS, name).toBe(f.default !== undefined);
  });
});
