import { and, eq, inArray, isNull, notInArray } from 'drizzle-orm';
import { z } from 'zod';
import {
  DrawInputError,
  nextReplacementV2,
  SR_DRAW_V2,
  teamsAfterReplacements,
  type ReplacementRecordV2,
} from '@spotcheck/core';
import { conflicts, drawReplacements, draws, tasks } from '@spotcheck/db';
import type { DbOrTx } from '../../lib/db';
import { ApiError, fail } from '../../lib/errors';
import { wholeSeconds } from '../../lib/key-registry';
import { publishReplacement, replacementRecordsOf } from '../../lib/replacements';
import { signedBundleOf } from '../../lib/void-v2';
import { loadDraw, sealedNow, type DrawRow } from '../../lib/workflow';
import { ZIdSchema } from '../../lib/zod';
import { roleProcedure } from '../../trpc';
import { json } from '../../lib/outputs';

/** Roles that may record a replacement (who leaves and why; never who joins). */
export const REPLACERS = ['draw-operator', 'district-admin', 'city-admin'] as const;

export { replacementRecordsOf, type ReplacementPublicationV2 } from '../../lib/replacements';

/** Inspectors with a standing (not revoked) conflict declared with the unit. */
async function avoidingOf(db: DbOrTx, unitId: string): Promise<string[]> {
  const rows = await db
    .select({ id: conflicts.inspectorId })
    .from(conflicts)
    .where(and(eq(conflicts.unitId, unitId), isNull(conflicts.revokedAt)));
  return rows.map((r) => r.id);
}

function drawnV2(draw: DrawRow): void {
  if (draw.algorithm !== SR_DRAW_V2) fail('CONFLICT', 'drawId', 'replace.v1');
  if (draw.status !== 'signed')
    fail('CONFLICT', 'drawId', 'replace.notSigned', { attempt: draw.attempt, status: draw.status });
}

/**
 * `draws.replaceMember` (§9.6): takes a member off a team because they became unavailable (ill, on
 * leave — then off every team of the draw whose inspection is not done) or declared a conflict with
 * the unit after the draw (a standing conflict must be on record). The replacement is computed by
 * packages/core: the next eligible inspector in the unit's committed keyed shuffle, passing people
 * taken off as unavailable and people with a standing conflict with the unit. The input has no
 * field for the replacement, and unknown fields are refused. Each replacement is a numbered record,
 * applied to the unit's task and published: at once for open plans, with the draw for covert
 * ones (once every inspection is executed, so the covert team is never named before).
 */
export const replaceMember = roleProcedure(REPLACERS)
  .input(
    z
      .object({
        drawId: ZIdSchema,
        unitId: z.string().trim().min(1).max(64),
        inspectorId: z.string().trim().min(1).max(64),
        reason: z.enum(['unavailable', 'avoid']),
        note: z.string().trim().min(4, 'state the reason in at least 4 characters').max(1000),
      })
      .strict(),
  )
  .output(
    z.object({
      drawId: z.string(),
      records: z.array(json<ReplacementRecordV2>()),
      /** Records of other units, not returned while a covert draw is sealed. */
      withheld: z.number(),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const { draw, plan } = await loadDraw(ctx.db, input.drawId, ctx.access);
    drawnV2(draw);
    const now = ctx.now();
    return ctx.db.transaction(async (tx) => {
      // One replacement at a time per draw: lock the draw row.
      await tx.select({ id: draws.id }).from(draws).where(eq(draws.id, draw.id)).for('update');
      // A sealed covert draw names no unit or team to staff (R10): its answers may not tell a
      // selected unit from another, a member from another, or list the other units of the member.
      const sealed = await sealedNow(tx, plan, draw);
      try {
        const bundle = signedBundleOf(draw);
        const records = await replacementRecordsOf(tx, draw.id);
        const teams = teamsAfterReplacements(bundle, records);
        const team = teams.get(input.unitId);
        if (!team)
          fail('BAD_REQUEST', 'unitId', 'replace.unitNotSelected', {
            unitId: input.unitId,
            attempt: draw.attempt,
          });
        if (!team.includes(input.inspectorId))
          fail('BAD_REQUEST', 'inspectorId', 'replace.notOnTeam', {
            inspectorId: input.inspectorId,
            unitId: input.unitId,
            team: team.join(', '),
          });
        const done = new Set(
          (
            await tx
              .select({ unitId: tasks.unitId })
              .from(tasks)
              .where(and(eq(tasks.drawId, draw.id), inArray(tasks.status, ['done', 'cancelled'])))
          ).map((t) => t.unitId),
        );
        if (done.has(input.unitId))
          fail('CONFLICT', 'unitId', 'replace.inspectionFinished', { unitId: input.unitId });
        let units: string[];
        if (input.reason === 'avoid') {
          if (!(await avoidingOf(tx, input.unitId)).includes(input.inspectorId))
            fail('PRECONDITION_FAILED', 'reason', 'replace.noConflictOnRecord', {
              inspectorId: input.inspectorId,
              unitId: input.unitId,
            });
          units = [input.unitId];
        } else {
          // Unavailable for the draw: off every team still to inspect, in sequence order.
          units = bundle.result.selected
            .map((s) => s.unit)
            .filter((u) => teams.get(u)!.includes(input.inspectorId) && !done.has(u));
        }
        const added: ReplacementRecordV2[] = [];
        for (const unitId of units) {
          let record: ReplacementRecordV2;
          try {
            record = nextReplacementV2(bundle, [...records, ...added], {
              unit: unitId,
              out: input.inspectorId,
              reason: input.reason,
              avoiding: await avoidingOf(tx, unitId),
              recordedAt: wholeSeconds(now),
            });
          } catch (err) {
            if (err instanceof DrawInputError)
              fail('PRECONDITION_FAILED', 'unitId', 'replace.refused', { detail: err.message });
            throw err;
          }
          added.push(record);
          await tx.insert(drawReplacements).values({
            bureauCode: draw.bureauCode,
            drawId: draw.id,
            number: record.number,
            unitId,
            outInspectorId: record.out,
            inInspectorId: record.in,
            reason: record.reason,
            note: input.note,
            record,
            recordedAt: now,
            recordedBy: ctx.user.id,
          });
          const after = teamsAfterReplacements(bundle, [...records, ...added]).get(unitId)!;
          await tx
            .update(tasks)
            .set({ team: after })
            .where(
              and(
                eq(tasks.drawId, draw.id),
                eq(tasks.unitId, unitId),
                notInArray(tasks.status, ['done', 'cancelled']),
              ),
            );
          // A covert plan's replacement names its sealed team: withheld until the draw is
          // published (every inspection executed), then published with it (lib/replacements).
          if (!plan.sealed) await publishReplacement(tx, plan, draw, record, ctx.user.id, now);
          await ctx.audit(tx, {
            bureauCode: plan.bureauCode,
            action: 'draw.replace-member',
            entity: 'draws',
            entityId: draw.id,
            before: { unit: unitId, team: teams.get(unitId) },
            after: { unit: unitId, team: after, record, note: input.note },
          });
        }
        if (!sealed) return { drawId: draw.id, records: added, withheld: 0 };
        const named = added.filter((r) => r.unit === input.unitId);
        return { drawId: draw.id, records: named, withheld: added.length - named.length };
      } catch (err) {
        // Sealed, every refusal is this one: any other answer (not drawn, not on the team, no
        // conflict on record, inspection finished, no one left to replace them) would tell a drawn
        // pair from another, for free, since a refusal writes nothing.
        if (sealed && err instanceof ApiError)
          fail('BAD_REQUEST', 'inspectorId', 'replace.sealedNoSuchMember');
        throw err;
      }
    });
  });
