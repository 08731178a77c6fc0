// The visual builder edits react-querybuilder queries; the rule file keeps json-rules-engine
// conditions. Every condition the loader accepts must come back exactly as written.
import { fileURLToPath } from 'node:url';
import { compilePacks, type Runtime } from '@spotcheck/rules';
import { loadRuntime, pluginConfigPath } from '@spotcheck/rules/load';
import { prepareRuleGroup } from 'react-querybuilder';
import { describe, expect, it } from 'vitest';
import { fromQuery, jsonPathsById, toQuery, type Condition } from './conditionQuery';

/** A value each operator the loader accepts takes, on a fact it applies to. */
const SAMPLE: Record<string, { fact: string; value: unknown }> = {
  equal: { fact: 'creditGrade', value: 'D' },
  notEqual: { fact: 'majorHazard', value: false },
  in: { fact: 'riskGrade', value: ['major', 'high'] },
  notIn: { fact: 'industry', value: ['hazardous-chemicals'] },
  contains: { fact: 'street', value: '120116001' },
  doesNotContain: { fact: 'street', value: '120116002' },
  lessThan: { fact: 'employees', value: 50 },
  lessThanInclusive: { fact: 'employees', value: 300 },
  greaterThan: { fact: 'lastInspectedOn', value: '2026-01-01' },
  greaterThanInclusive: { fact: 'employees', value: 1000 },
  withinYears: { fact: 'yearsSinceFatalAccident', value: 3 },
  overdueMonths: { fact: 'monthsSinceLastInspection', value: 12 },
  between: { fact: 'employees', value: [50, 300] },
};

const exact = (c: unknown) => JSON.stringify(c);
/** Through the builder: to a query, ids and paths added as the component does, and back. */
const roundTrip = (c: Condition) => fromQuery(prepareRuleGroup(toQuery(c)));

// The deployment's plugins (rules/plugins.json), as the API and the editor's catalog see them.
const runtime: Runtime = await loadRuntime(
  pluginConfigPath(fileURLToPath(new URL('../../../../..', import.meta.url))),
);

describe('json-rules-engine conditions ⇄ query builder', () => {
  const operators = runtime.catalog.operators.map((o) => o.name);

  it('has a sample for every operator the loader accepts, plugin operators included', () => {
    expect(operators).toContain('between');
    expect(Object.keys(SAMPLE).sort()).toEqual([...operators].sort());
  });

  it.each(operators)('keeps a leaf with operator %s exactly', (operator) => {
    const leaf = { fact: SAMPLE[operator]!.fact, operator, value: SAMPLE[operator]!.value };
    for (const top of [{ all: [leaf] }, { any: [leaf] }, { not: leaf }] as Condition[]) {
      expect(exact(roundTrip(top))).toBe(exact(top));
    }
  });

  it('keeps nested groups: any inside all, all inside any, not around a group and around a leaf', () => {
    const nested: Condition = {
      all: [
        { fact: 'industry', operator: 'in', value: ['hazardous-chemicals', 'non-coal-mine'] },
        {
          any: [
            { fact: 'riskGrade', operator: 'equal', value: 'major' },
            {
              all: [
                { fact: 'employees', operator: 'between', value: [50, 300] },
                { not: { fact: 'creditGrade', operator: 'equal', value: 'A' } },
              ],
            },
            { not: { any: [{ fact: 'blacklisted', operator: 'equal', value: true }] } },
          ],
        },
        { fact: 'yearsSinceFatalAccident', operator: 'withinYears', value: 3 },
      ],
    };
    const query = prepareRuleGroup(toQuery(nested));
    expect(query.combinator).toBe('and');
    const inner = query.rules[1] as { combinator: string; rules: unknown[] };
    expect(inner.combinator).toBe('or');
    expect(exact(fromQuery(query))).toBe(exact(nested));
  });

  it('keeps fact-valued comparisons, path, params, name and priority', () => {
    const c: Condition = {
      any: [
        { fact: 'lastInspectedOn', operator: 'lessThan', value: { fact: 'lastFatalAccidentOn' } },
        { fact: 'employees', operator: 'greaterThan', value: 10, path: '$.x', params: { a: 1 }, name: 'n' },
        { all: [{ fact: 'keyUnit', operator: 'equal', value: true, priority: 2 }], name: 'g', priority: 3 },
      ],
      name: 'top',
    };
    const q = toQuery(c);
    expect(q.rules[0]).toMatchObject({
      field: 'lastInspectedOn',
      valueSource: 'field',
      value: 'lastFatalAccidentOn',
    });
    expect(exact(roundTrip(c))).toBe(exact(c));
  });

  it('starts an empty rule as an empty "all" group', () => {
    expect(toQuery(undefined)).toEqual({ combinator: 'and', rules: [] });
    expect(fromQuery(toQuery(undefined))).toEqual({ all: [] });
  });

  it('names every rule and group by the JSON path the loader reports', () => {
    const q = prepareRuleGroup(
      toQuery({
        all: [
          { fact: 'riskGrade', operator: 'equal', value: 'major' },
          { any: [{ fact: 'keyUnit', operator: 'equal', value: true }] },
          { not: { fact: 'blacklisted', operator: 'equal', value: true } },
          { not: { all: [{ fact: 'resuming', operator: 'equal', value: true }] } },
        ],
      }),
    );
    const paths = jsonPathsById(q);
    const at = (...ix: number[]) => {
      let node: { id?: string; rules?: unknown[] } = q;
      for (const i of ix) node = node.rules![i] as typeof node;
      return paths.get(node.id!);
    };
    expect(at(0)).toBe('$.conditions.all[0]');
    expect(at(1, 0)).toBe('$.conditions.all[1].any[0]');
    expect(at(2, 0)).toBe('$.conditions.all[2].not');
    expect(at(3, 0)).toBe('$.conditions.all[3].not.all[0]');
  });

  it('produces conditions the loader accepts, and the loader flags the same paths', () => {
    const conditions = roundTrip({
      all: [
        { fact: 'industry', operator: 'equal', value: 'hazardous-chemicals' },
        { any: [{ fact: 'employees', operator: 'between', value: [50, 300] }] },
      ],
    });
    const files = (c: unknown) => ({
      'pack.json': {
        id: 'test/city',
        version: '1.0.0',
        title: 'test',
        effective: '2026-01-01',
        author: 'test',
        facts: ['industry', 'employees'],
        defaults: {
          stratum: 'general',
          ratio: '5%',
          minPerYear: 0,
          maxPerYear: 1,
          inspectionKind: 'general',
        },
      },
      'rules/r1.json': {
        name: 'r1',
        priority: 10,
        meta: { description: 'd', source: 's' },
        conditions: c,
        event: { type: 'classify', params: { ratio: '10%' } },
      },
    });
    const ok = compilePacks([{ origin: 'mem', files: files(conditions) }], runtime);
    expect(ok.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const bad = compilePacks(
      [
        {
          origin: 'mem',
          files: files({ all: [{ any: [{ fact: 'employees', operator: 'between', value: [300, 50] }] }] }),
        },
      ],
      runtime,
    );
    expect(bad.issues.map((i) => i.path)).toContain('$.conditions.all[0].any[0].value');
  });
});
