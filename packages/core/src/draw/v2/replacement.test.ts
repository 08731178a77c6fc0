import { describe, expect, it } from 'vitest';
import { keyedShuffle } from './shuffle';
import {
  assignKeyOf,
  nextReplacementV2,
  teamsAfterReplacements,
  verifyReplacementsV2,
  type ReplacementRecordV2,
} from './replacement';
import { makeCaseV2, signedBundle } from './testing/fixtures';

// 12 units, 4 picked, teams of 2 from 8 inspectors (the first 4 hold every specialty, the rest none);
// inspector 5 excludes units 0 and 1 of the frame.
const c = makeCaseV2({
  units: Array.from({ length: 12 }, (_, i) => ({
    n: 500 + i,
    stratum: 0,
    weight: 1,
    mandatory: false,
    specialty: i % 2 === 0 ? 0 : 9,
    expert: false,
  })),
  excluded: [],
  strata: [{ method: 'srs', quota: 4 }],
  inspectors: Array.from({ length: 8 }, (_, i) => ({
    capacity: 3,
    specialties: [false, false, false],
    excluded: i === 5 ? [0, 1, 3, 4] : [],
  })),
  experts: [
    { capacity: 2, specialties: [false, false, false], excluded: [] },
    { capacity: 2, specialties: [false, false, false], excluded: [] },
  ],
  team: { assign: true, size: 2, specialist: true },
  kl8: [7, 9],
});
const bundle = signedBundle(c);
const AT = '2027-01-08T02:00:00Z';

/** The replacement computed by hand from the spec: the unit's shuffle order, minus members and leavers, by (full, position). */
function byHand(unit: string, out: string, passed: ReadonlySet<string> = new Set()): string {
  const cand = bundle.inspectors.filter((r) => !r[3].some((e) => e[0] === unit));
  const order = Array.from(keyedShuffle(assignKeyOf(bundle, unit), cand.length), (i) => cand[i]!);
  const team = bundle.result.selected.find((s) => s.unit === unit)!.team;
  const load = new Map<string, number>();
  for (const s of bundle.result.selected) for (const i of s.team) load.set(i, (load.get(i) ?? 0) + 1);
  const spec = bundle.frame.find((r) => r[0] === unit)![4];
  const needSpec =
    spec !== '' &&
    !team.filter((i) => i !== out).some((i) => bundle.inspectors.find((r) => r[0] === i)![2].includes(spec));
  const ok = order
    .map((r, pos) => ({ r, pos }))
    .filter(({ r }) => !team.includes(r[0]) && (!needSpec || r[2].includes(spec)))
    .sort(
      (a, b) =>
        Number((load.get(a.r[0]) ?? 0) >= a.r[1]) - Number((load.get(b.r[0]) ?? 0) >= b.r[1]) ||
        a.pos - b.pos,
    )
    .map(({ r }) => r[0])
    .filter((id) => !passed.has(id));
  return ok[0]!;
}

describe('sr-draw/v2 member replacement (§9.6)', () => {
  const first = bundle.result.selected[0]!;

  it('replaces a member by the next eligible inspector of the unit’s committed shuffle, and the verifier agrees', () => {
    const r = nextReplacementV2(bundle, [], {
      unit: first.unit,
      out: first.team[1]!,
      reason: 'unavailable',
      recordedAt: AT,
    });
    expect(r).toMatchObject({ number: 1, unit: first.unit, out: first.team[1], skipped: [] });
    expect(r.in).toBe(byHand(first.unit, first.team[1]!));
    expect(first.team).not.toContain(r.in);
    const report = verifyReplacementsV2(bundle, JSON.parse(JSON.stringify([r])));
    expect(report.ok).toBe(true);
    expect(report.checks.map((x) => x.id)).toEqual(['replacement.1']);
    expect(teamsAfterReplacements(bundle, [r]).get(first.unit)).toEqual([first.team[0], r.in]);
  });

  it('refuses a record naming a replacement of someone’s choosing, whoever else is eligible', () => {
    const r = nextReplacementV2(bundle, [], {
      unit: first.unit,
      out: first.team[1]!,
      reason: 'unavailable',
      recordedAt: AT,
    });
    const eligible = bundle.inspectors
      .map((x) => x[0])
      .filter(
        (id) =>
          !first.team.includes(id) &&
          id !== r.in &&
          !bundle.inspectors.find((x) => x[0] === id)![3].some((e) => e[0] === first.unit),
      );
    expect(eligible.length).toBeGreaterThan(0);
    for (const chosen of eligible) {
      const forged: ReplacementRecordV2 = { ...r, in: chosen };
      const report = verifyReplacementsV2(bundle, [forged]);
      expect(report.ok).toBe(false);
      expect(report.checks[0]!.message).toContain(`must be replaced by ${r.in}`);
    }
    // Passing the rightful replacement as "avoiding" to reach a chosen one is visible and must name the skip.
    const skipHidden: ReplacementRecordV2 = { ...r, in: byHand(first.unit, first.team[1]!, new Set([r.in])) };
    expect(verifyReplacementsV2(bundle, [skipHidden]).ok).toBe(false);
    const skipShown: ReplacementRecordV2 = { ...skipHidden, skipped: [[r.in, 'avoid']] };
    const shown = verifyReplacementsV2(bundle, [skipShown]);
    expect(shown.ok).toBe(true);
    expect(shown.checks[0]!.message).toContain('after 1 passed');
    // …and nobody can be skipped as "unavailable" who was not taken off a team as unavailable first.
    expect(verifyReplacementsV2(bundle, [{ ...skipHidden, skipped: [[r.in, 'unavailable']] }]).ok).toBe(
      false,
    );
  });

  it('an inspector taken off as unavailable is passed everywhere after, by rule, and never rejoins', () => {
    const sick = first.team[0]!;
    const records: ReplacementRecordV2[] = [];
    const units = bundle.result.selected.filter((s) => s.team.includes(sick));
    for (const s of units)
      records.push(
        nextReplacementV2(bundle, records, {
          unit: s.unit,
          out: sick,
          reason: 'unavailable',
          recordedAt: AT,
        }),
      );
    // Now take someone else off the first unit: the sick inspector is never the replacement.
    const other = teamsAfterReplacements(bundle, records)
      .get(first.unit)!
      .find((i) => i !== sick)!;
    const r = nextReplacementV2(bundle, records, {
      unit: first.unit,
      out: other,
      reason: 'unavailable',
      recordedAt: AT,
    });
    expect(r.in).not.toBe(sick);
    records.push(r);
    for (const x of records) expect(x.in).not.toBe(sick);
    expect(verifyReplacementsV2(bundle, records).ok).toBe(true);
    // Records out of order, renumbered, or for another draw fail.
    expect(verifyReplacementsV2(bundle, [...records].reverse()).ok).toBe(false);
    expect(verifyReplacementsV2(bundle, [{ ...records[0]!, number: 2 }]).ok).toBe(false);
    expect(verifyReplacementsV2(bundle, [{ ...records[0]!, resultDigest: 'f'.repeat(64) }]).ok).toBe(false);
  });

  it('refuses taking off someone who is not on the team, and a unit that was not drawn', () => {
    const outsider = bundle.inspectors.map((r) => r[0]).find((id) => !first.team.includes(id))!;
    expect(() =>
      nextReplacementV2(bundle, [], { unit: first.unit, out: outsider, reason: 'avoid', recordedAt: AT }),
    ).toThrow(/is not on the team/);
    const notDrawn = bundle.frame
      .map((r) => r[0])
      .find((u) => !bundle.result.selected.some((s) => s.unit === u))!;
    expect(() =>
      nextReplacementV2(bundle, [], { unit: notDrawn, out: first.team[0]!, reason: 'avoid', recordedAt: AT }),
    ).toThrow(/was not selected/);
    expect(verifyReplacementsV2(bundle, [{ spec: 'x' }]).ok).toBe(false);
  });

  it('keeps the specialty: when the specialist leaves, only a holder of the unit’s specialty replaces them', () => {
    const withSpec = bundle.result.selected.find(
      (s) => bundle.frame.find((r) => r[0] === s.unit)![4] !== '',
    )!;
    const spec = bundle.frame.find((r) => r[0] === withSpec.unit)![4];
    const holders = withSpec.team.filter((i) => bundle.inspectors.find((r) => r[0] === i)![2].includes(spec));
    expect(holders.length).toBeGreaterThan(0);
    // Take off every holder in turn; each replacement holds the specialty whenever no holder is left.
    const records: ReplacementRecordV2[] = [];
    for (const h of holders) {
      const r = nextReplacementV2(bundle, records, {
        unit: withSpec.unit,
        out: h,
        reason: 'avoid',
        recordedAt: AT,
      });
      records.push(r);
    }
    const team = teamsAfterReplacements(bundle, records).get(withSpec.unit)!;
    expect(team.some((i) => bundle.inspectors.find((r) => r[0] === i)![2].includes(spec))).toBe(true);
    expect(verifyReplacementsV2(bundle, records).ok).toBe(true);
  });
});
