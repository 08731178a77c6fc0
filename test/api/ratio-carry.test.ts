/**
 * The ratio stratum's quota across a year's quarters: each quota is a whole number fixed before the
 * randomness, and the rounding of the bureau's earlier draws that year is carried into the next
 * (frame.ts). Checked against the stored draws themselves, recomputed here from their frames and
 * commitments: the carry the preview shows and approval commits, and the year's picks staying
 * within half a unit of the inclusion probabilities summed over the year.
 */
import { and, eq, inArray, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCLUSION_SCALE, quotaFromWeights, type FrameRowV2 } from '@spotcheck/core';
import { draws, plans } from '@spotcheck/db';
import { BINHAI, openTestDb, type TestDb } from './harness';
import { buildWorld, drawAndSign, submittedPlan, type World } from './fixtures';

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
});
afterAll(async () => t?.close());

const RATIO = 'ratio-sample';

/** A draw's ratio stratum: its rows' summed integer weights and its committed quota. */
async function ratioStratumOf(drawId: string): Promise<{ weights: number; quota: number }> {
  const [d] = await t.database.db.select().from(draws).where(eq(draws.id, drawId));
  const frame = d!.frame as FrameRowV2[];
  const strata = (d!.commitment as { strata: { id: string; quota: number }[] }).strata;
  return {
    weights: frame.filter((r) => r[1] === RATIO && r[3] === 0).reduce((n, r) => n + r[2], 0),
    quota: strata.find((s) => s.id === RATIO)!.quota,
  };
}

/** The drawn and signed draws of Binhai's 2027 plans, as the carry counts them. */
async function drawnThisYear(): Promise<string[]> {
  const rows = await t.database.db
    .select({ id: draws.id })
    .from(draws)
    .innerJoin(plans, eq(plans.id, draws.planId))
    .where(
      and(
        eq(plans.bureauCode, BINHAI),
        like(plans.period, '2027%'),
        inArray(draws.status, ['drawn', 'signed']),
      ),
    );
  return rows.map((r) => r.id);
}

const draft = (quarter: number) => ({
  bureauCode: BINHAI,
  period: `2027-Q${quarter}`,
  kind: 'general' as const,
  scope: {},
  strata: [],
  team: { size: 2, specialist: true, ownJurisdiction: false },
});

describe('the ratio stratum’s rounding carried over a year', () => {
  it('carries each earlier draw’s rounding into the next quota, as its stored rows give it', async () => {
    let carried = 0; // in weight units, recomputed from the stored draws
    for (const quarter of [1, 2, 3]) {
      const preview = await w.operator.caller.plans.preview(draft(quarter));
      const sample = preview.strata.find((s) => s.id === RATIO)!;
      expect(sample.source).toMatchObject({ kind: 'rule-ratios', periodIndex: quarter });
      const source = sample.source as { carried: number; expected: number };
      expect(source.carried).toBe(Math.round((carried / INCLUSION_SCALE) * 100) / 100);

      const planId = await submittedPlan(w, `2027年第${quarter}季度`, `2027-Q${quarter}`);
      const { draw } = await drawAndSign(w, planId);
      const own = await ratioStratumOf(draw.id);
      // The quota committed is the rounding of this frame's Σπ plus the carry, and the preview's.
      expect(own.quota).toBe(quotaFromWeights(own.weights + carried));
      expect(own.quota).toBe(sample.quota);
      carried += own.weights - own.quota * INCLUSION_SCALE;
      // So the year's quotas so far are the rounding of the year's Σπ: within half a unit of it.
      expect(Math.abs(carried)).toBeLessThanOrEqual(INCLUSION_SCALE / 2);
    }
    // The carry is the stored draws' own, every one of them counted once.
    const year = await drawnThisYear();
    expect(year).toHaveLength(3);
    let stored = 0;
    for (const id of year) {
      const s = await ratioStratumOf(id);
      stored += s.weights - s.quota * INCLUSION_SCALE;
    }
    expect(stored).toBe(carried);
    // The example has power: the quarters' roundings did not all come out even.
    expect(carried).not.toBe(0);
    const q4 = await w.operator.caller.plans.preview(draft(4));
    const source = q4.strata.find((s) => s.id === RATIO)!.source as { carried: number };
    expect(source.carried).toBe(Math.round((carried / INCLUSION_SCALE) * 100) / 100);
  });
});
