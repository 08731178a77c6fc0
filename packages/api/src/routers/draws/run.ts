import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { SR_DRAW_V2, type CommitmentV2, type SourceValueV2 } from '@spotcheck/core';
import { draws } from '@spotcheck/db';
import { checkEnteredValue, computeAttemptResult, describeSource } from '../../lib/draw-v2';
import { fail } from '../../lib/errors';
import { inputsOf, resolveValues, type StoredRandomness } from '../../lib/void-v2';
import { drawSummaryOf, ZDrawViewSchema } from '../../lib/draw-view';
import {
  drawHeaderColumns,
  drawStep,
  loadDrawHeader,
  transitionDrawHeader,
  transitionPlan,
} from '../../lib/workflow';
import { ZIdSchema } from '../../lib/zod';
import { progressReporter, withProgress, ZOperationIdSchema } from '../../lib/progress';
import { ROLE_GROUPS, roleProcedure } from '../../trpc';
import { json } from '../../lib/outputs';

/**
 * Input of `draws.enterRandomness`: one value per committed source, in order — a drand round's
 * signature (96 lowercase hex digits), a lottery result as groups of integers exactly as the
 * operator publishes them, or null to fetch the drand round from the configured beacon.
 */
export const ZRandomnessSchema = z.object({
  drawId: ZIdSchema,
  values: z
    .array(
      z.union([
        z.string().max(200),
        z
          .array(z.array(z.number().int().min(0).max(99)).min(1).max(20))
          .min(1)
          .max(2),
        z.null(),
      ]),
    )
    .min(1)
    .max(10),
});

/**
 * `draws.enterRandomness` (draw-operator): records the values of the committed sources, once.
 * Each is refused before its source exists (a round before its time, a lottery before its draw
 * date ends) and every drand value must be the round's BLS signature under the chain's key; null
 * values are fetched from the server's beacon. The R string is computed and stored with them.
 * Also records the values of a voided attempt whose sources exist, so its result can be published.
 */
export const enterRandomness = roleProcedure(['draw-operator'])
  .input(ZRandomnessSchema)
  .output(z.object({ drawId: z.string(), randomness: z.string(), values: json<SourceValueV2[]>() }))
  .mutation(async ({ ctx, input }) => {
    const { draw, plan } = await loadDrawHeader(ctx.db, input.drawId, ctx.access);
    if (draw.algorithm !== SR_DRAW_V2) fail('CONFLICT', 'drawId', 'draw.v1Frozen', { attempt: draw.attempt });
    const commitment = draw.commitment as CommitmentV2;
    if (input.values.length !== commitment.sources.length)
      fail('BAD_REQUEST', 'values', 'draw.valuesCount', {
        expected: commitment.sources.length,
        got: input.values.length,
      });
    input.values.forEach((v, i) => {
      if (v !== null) checkEnteredValue(commitment.sources[i]!, v, ctx.now(), `values.${i}`);
    });
    const resolved = await resolveValues(ctx, commitment.sources, input.values);
    if (!resolved) {
      const missing = commitment.sources
        .filter((s, i) => input.values[i] === null)
        .map(describeSource)
        .join(', ');
      if (ctx.beacon) fail('PRECONDITION_FAILED', 'values', 'draw.beaconNoValueYet', { missing });
      fail('PRECONDITION_FAILED', 'values', 'draw.noBeaconForValues', { missing });
    }
    const now = ctx.now();
    return ctx.db.transaction(async (tx) => {
      if (draw.status === 'voided') {
        // A voided attempt whose sources exist: record its values so its result is published.
        const [row] = await tx
          .update(draws)
          .set({ randomness: resolved })
          .where(and(eq(draws.id, draw.id), eq(draws.status, 'voided'), isNull(draws.randomness)))
          .returning({ id: draws.id });
        if (!row) fail('CONFLICT', 'drawId', 'draw.voidedHasValues', { attempt: draw.attempt });
      } else {
        await transitionPlan(tx, plan.id, ['approved'], 'randomness-entered', now);
        const [row] = await tx
          .update(draws)
          .set({ randomness: resolved })
          .where(eq(draws.id, draw.id))
          .returning({ attempt: draws.attempt, status: draws.status });
        if (row!.status !== 'committed')
          fail('CONFLICT', 'drawId', 'draw.statusIs', { attempt: row!.attempt, status: row!.status });
      }
      await ctx.audit(tx, {
        bureauCode: plan.bureauCode,
        action: 'draw.enter-randomness',
        entity: 'draws',
        entityId: draw.id,
        after: {
          values: resolved.values,
          string: resolved.string,
          fetched: input.values.map((v) => v === null),
        },
      });
      return { drawId: draw.id, randomness: resolved.string, values: resolved.values };
    });
  });

/**
 * `draws.beaconRound` (staff): what the server's beacon says about a committed drand source —
 * round time, whether it exists yet, and its value once it does — so the draw room can show a
 * countdown and the demo beacon's 演示信标 label.
 */
export const beaconStatus = roleProcedure(ROLE_GROUPS.staff)
  .input(z.object({ drawId: ZIdSchema }))
  .query(async ({ ctx, input }) => {
    const { draw } = await loadDrawHeader(ctx.db, input.drawId, ctx.access);
    const now = ctx.now();
    const c = draw.commitment as CommitmentV2;
    const sources = await Promise.all(
      (c.algorithm === SR_DRAW_V2 ? c.sources : []).map(async (s) => {
        if (s.kind !== 'drand')
          return { kind: s.kind, label: describeSource(s), demo: false, time: null, value: null };
        const info = s.info ?? (ctx.beacon?.chain === s.chain ? ctx.beacon.info : null);
        const time = info
          ? new Date((info.genesis + (s.round - 1) * info.period) * 1000).toISOString()
          : null;
        const value =
          ctx.beacon && ctx.beacon.chain === s.chain
            ? await ctx.beacon.fetchRound(s.round, now).catch(() => null)
            : null;
        return { kind: s.kind, label: describeSource(s), demo: s.info !== undefined, time, value };
      }),
    );
    return {
      now: now.toISOString(),
      beacon: ctx.beacon ? { chain: ctx.beacon.chain, demo: ctx.beacon.demo } : null,
      sources,
    };
  });

/**
 * `draws.run` (draw-operator): computes the draw, exactly once per commitment. The status moves
 * committed → drawn with a conditional UPDATE inside the transaction, so of two concurrent
 * calls one draws and the other gets CONFLICT. A covert plan's result stays sealed (R10): the
 * operator gets its digest and size only.
 */
export const runDraw = roleProcedure(['draw-operator'])
  .input(z.object({ drawId: ZIdSchema, operationId: ZOperationIdSchema }))
  .output(
    ZDrawViewSchema.extend({
      drawId: z.string(),
      resultDigest: z.string(),
      /** How many units were selected (also given for a sealed covert plan). */
      selected: z.number(),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const { plan } = await loadDrawHeader(ctx.db, input.drawId, ctx.access);
    const now = ctx.now();
    const report = progressReporter(ctx.user.id, input.operationId, ctx.db);
    return withProgress(report, () =>
      ctx.db.transaction(async (tx) => {
        report('computing');
        const claimed = await transitionDrawHeader(tx, input.drawId, ['committed'], 'drawn', {
          drawnAt: now,
          drawnBy: ctx.user.id,
        });
        if (claimed.algorithm !== SR_DRAW_V2) fail('CONFLICT', 'drawId', 'draw.v1NotDrawable');
        if (!claimed.randomness) fail('PRECONDITION_FAILED', 'drawId', 'draw.needsRandomness');
        const r = claimed.randomness as StoredRandomness;
        // The committed rows the draw reads, once (the claim above returns the header only).
        const [rows] = await tx
          .select({ frame: draws.frame, inspectorRows: draws.inspectorRows, expertRows: draws.expertRows })
          .from(draws)
          .where(eq(draws.id, claimed.id));
        const computed = drawStep('drawId', () =>
          computeAttemptResult({
            ...inputsOf({ ...claimed, ...rows!, excluded: null }),
            randomness: r.string,
          }),
        );
        await report.writing(tx);
        const [row] = await tx
          .update(draws)
          .set({ result: computed.resultPiece.jsonb, resultDigest: computed.resultDigest })
          .where(eq(draws.id, claimed.id))
          .returning(drawHeaderColumns);
        await transitionPlan(tx, plan.id, ['randomness-entered'], 'drawn', now);
        await ctx.audit(tx, {
          bureauCode: plan.bureauCode,
          action: 'draw.run',
          entity: 'draws',
          entityId: claimed.id,
          before: { status: 'committed' },
          after: {
            status: 'drawn',
            resultDigest: computed.resultDigest,
            selected: computed.result.selected.length,
          },
        });
        // The header and the result's summary, as `draws.get` gives them (a city's result is
        // 2·10^5 units: the draw room pages them with `draws.selected`).
        return {
          ...row!,
          sealed: plan.sealed,
          summary: plan.sealed
            ? null
            : await drawSummaryOf(tx, { id: row!.id, resultDigest: computed.resultDigest }),
          drawId: row!.id,
          resultDigest: computed.resultDigest,
          selected: computed.result.selected.length,
        };
      }),
    );
  });
