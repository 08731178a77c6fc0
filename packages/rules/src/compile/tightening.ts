/**
 * Tightening check: a sound lower bound of the city's outcome over the units a district rule
 * matches. A district may only tighten the city's floor.
 */
import type { OperatorEvaluate } from '../engine';
import type { FactType, FactValue } from '../facts';
import { compareRatios } from '../ratio';
import type { Runtime } from '../runtime';
import type { ConditionJson, PackDefaults } from '../schema';
import { type Basis, hint, type RuleRef } from '../messages';
import type { CompiledRule } from '../types';
import { Issues } from './issues';

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

export class Implication {
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

export function checkTightening(
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
