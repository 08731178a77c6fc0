import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import {
  checkSigner,
  SR_DRAW_V2,
  VOID_SPEC,
  verifyVoid,
  voidMessage,
  type CommitmentV2,
  type VoidEnvelope,
} from '@spotcheck/core';
import { draws, plans, tasks } from '@spotcheck/db';
import type { DbOrTx } from '../../lib/db';
import { VOID_REASONS } from '../../lib/draw-v2';
import { fail } from '../../lib/errors';
import { lockSigningKey, publishedRegistryOf, wholeSeconds } from '../../lib/key-registry';
import { checkSignedAtNear, ZSignerSchema } from '../../lib/signoff-v2';
import { computeIfSourcesExist, publishVoid, sourcesExist } from '../../lib/void-v2';
import { publishSignatureRecord } from '../../lib/signature-record';
import { requestLogCheckpoint } from '../../jobs/runtime';
import { loadDrawHeader, transitionDrawHeader, transitionPlan, type DrawHeader } from '../../lib/workflow';
import { ZIdSchema } from '../../lib/zod';
import { roleProcedure } from '../../trpc';
import { rowSchema } from '../../lib/outputs';

/** Roles that may ask for a draw to be voided. */
export const VOID_REQUESTERS = ['draw-operator', 'approver', 'district-admin', 'city-admin'] as const;
/** Roles that may sign a void (never the requester in person). */
export const VOID_APPROVERS = ['approver', 'district-admin', 'city-admin'] as const;

/** The status a draw returns to when a void request is rejected. */
function statusBeforeVoid(d: DrawHeader): DrawHeader['status'] {
  return d.signedAt ? 'signed' : d.resultDigest ? 'drawn' : 'committed';
}

/** Whether an attempt's randomness is known (entered, or its sources exist by now). */
function randomnessKnown(d: DrawHeader, now: Date): boolean {
  return d.randomness !== null || sourcesExist((d.commitment as CommitmentV2).sources, now);
}

/** Refuses a second void after the randomness was known (§9.4: `knownVoids` ≤ 1). */
async function refuseSecondKnownVoid(tx: DbOrTx, d: DrawHeader): Promise<void> {
  const [earlier] = await tx
    .select({ attempt: draws.attempt })
    .from(draws)
    .where(and(eq(draws.planId, d.planId), eq(draws.status, 'voided'), eq(draws.voidAfterRandomness, true)))
    .limit(1);
  if (earlier) fail('PRECONDITION_FAILED', 'drawId', 'void.secondLateVoid', { attempt: earlier.attempt });
}

/**
 * `draws.requestVoid`: asks for an attempt to be voided (B2), with a reason id from the published
 * list and an explanation. Refused when it would be the plan's second void after the randomness
 * was known, and for `source-late` once the source's value exists (§9.8).
 */
export const requestVoid = roleProcedure(VOID_REQUESTERS)
  .input(
    z.object({
      drawId: ZIdSchema,
      reasonId: z.enum(
        Object.keys(VOID_REASONS) as [keyof typeof VOID_REASONS, ...(keyof typeof VOID_REASONS)[]],
      ),
      reason: z.string().trim().min(10, 'state the reason in at least 10 characters').max(2000),
    }),
  )
  .output(
    z.object({ drawId: z.string(), status: rowSchema(draws).shape.status, afterRandomness: z.boolean() }),
  )
  .mutation(async ({ ctx, input }) => {
    const { draw, plan } = await loadDrawHeader(ctx.db, input.drawId, ctx.access);
    if (draw.algorithm !== SR_DRAW_V2) fail('CONFLICT', 'drawId', 'draw.v1NotVoidable');
    const now = ctx.now();
    const known = randomnessKnown(draw, now);
    if (input.reasonId === 'source-late' && known)
      fail('PRECONDITION_FAILED', 'reasonId', 'void.tooLateForReason');
    return ctx.db.transaction(async (tx) => {
      if (known) await refuseSecondKnownVoid(tx, draw);
      const after = await transitionDrawHeader(
        tx,
        draw.id,
        ['committed', 'drawn', 'signed'],
        'void-requested',
        {
          voidReason: input.reason,
          voidReasonId: input.reasonId,
          voidAfterRandomness: known,
          voidRequestedAt: now,
          voidRequestedBy: ctx.user.id,
        },
      );
      await ctx.audit(tx, {
        bureauCode: plan.bureauCode,
        action: 'draw.request-void',
        entity: 'draws',
        entityId: draw.id,
        before: { status: draw.status },
        after: {
          status: after.status,
          reasonId: input.reasonId,
          reason: input.reason,
          afterRandomness: known,
        },
      });
      return { drawId: draw.id, status: after.status, afterRandomness: known };
    });
  });

/**
 * `draws.signVoid`: a registered official other than the requester signs the void in their
 * browser (`sr-draw/v2/void` envelope over the commitment digest, reason id and requester). The
 * server checks the signer, registry and signature; then the attempt's randomness and result are
 * computed if its sources exist, its tasks cancelled, its whole bundle published with the void,
 * and the plan returns to draft: a new attempt needs new, later sources and a new commitment.
 */
export const signVoid = roleProcedure(VOID_APPROVERS)
  .input(
    z.object({
      drawId: ZIdSchema,
      void: z.strictObject({
        signer: ZSignerSchema,
        signedAt: z.string(),
        signature: z.string().regex(/^[0-9a-f]{128}$/, 'expected 128 lowercase hex digits'),
      }),
    }),
  )
  .output(
    z.object({
      drawId: z.string(),
      status: rowSchema(draws).shape.status,
      planStatus: rowSchema(plans).shape.status,
      cancelledTasks: z.number(),
      afterRandomness: z.boolean(),
      resultDigest: z.string().nullable(),
      bundleDigest: z.string(),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    // The header only: the rows (~10^8 bytes for a city) are read whole only when the attempt
    // must still be computed, and the publication copies them inside the database.
    const { draw, plan } = await loadDrawHeader(ctx.db, input.drawId, ctx.access);
    if (draw.status !== 'void-requested')
      fail('CONFLICT', 'drawId', 'void.notRequested', { attempt: draw.attempt, status: draw.status });
    if (draw.voidRequestedBy === ctx.user.id) fail('FORBIDDEN', 'drawId', 'void.sameSigner');
    if (input.void.signer.id !== ctx.user.id) fail('FORBIDDEN', 'void.signer.id', 'signOff.onlyYourself');
    const now = ctx.now();
    checkSignedAtNear('void', input.void.signedAt, now);
    const envelope: VoidEnvelope = {
      spec: VOID_SPEC,
      commitmentDigest: draw.commitmentDigest,
      reason: draw.voidReasonId!,
      requestedBy: draw.voidRequestedBy!,
      signer: input.void.signer,
      signedAt: input.void.signedAt,
      signature: input.void.signature,
    };
    const registry = await publishedRegistryOf(ctx.db, plan.bureauCode);
    const check = verifyVoid(envelope, registry, plan.bureauCode);
    if (!check.ok) fail('FORBIDDEN', `void.${check.rule}`, 'signOff.signerRefused', { detail: check.reason });
    // The key must be valid now as well, as for a draw's sign-off: the void's record is logged now
    // and verifiers check the key at that log time (§9.7).
    const atNow = checkSigner(
      registry,
      plan.bureauCode,
      envelope.signer,
      wholeSeconds(now),
      voidMessage(envelope),
      envelope.signature,
    );
    if (!atNow.ok) fail('FORBIDDEN', `void.${atNow.rule}`, 'signOff.signerRefused', { detail: atNow.reason });
    const signed = await ctx.db.transaction(async (tx) => {
      // The key is still the one checked above, and stays so until the record is logged.
      await lockSigningKey(tx, plan.bureauCode, envelope.signer.keyId, 'void.signer.keyId');
      const known = randomnessKnown(draw, now);
      if (known && !draw.voidAfterRandomness) await refuseSecondKnownVoid(tx, draw);
      let voided = await transitionDrawHeader(tx, draw.id, ['void-requested'], 'voided', {
        voidApprovedAt: now,
        voidApprovedBy: ctx.user.id,
        voidSignOff: envelope,
        voidAfterRandomness: known,
      });
      // A void never hides what was known: compute the attempt if its sources exist (a drawn
      // attempt has its result already).
      if (!voided.resultDigest && sourcesExist((voided.commitment as CommitmentV2).sources, now)) {
        const [full] = await tx.select().from(draws).where(eq(draws.id, draw.id));
        voided = await computeIfSourcesExist(ctx, tx, full!, true);
      }
      const cancelled = await tx
        .update(tasks)
        .set({ status: 'cancelled' })
        .where(and(eq(tasks.drawId, draw.id), ne(tasks.status, 'done')))
        .returning({ id: tasks.id });
      const p = await transitionPlan(
        tx,
        plan.id,
        ['approved', 'randomness-entered', 'drawn', 'signed', 'tasks-issued'],
        'draft',
        now,
        { submittedAt: null },
      );
      // The void's own log entry, dated now whatever is published again later (§9.7).
      await publishSignatureRecord(tx, p, draw, 'void', envelope, ctx.user.id, now);
      voided = await publishVoid(ctx, tx, p, voided, ctx.user.id, now);
      await ctx.audit(tx, {
        bureauCode: plan.bureauCode,
        action: 'draw.sign-void',
        entity: 'draws',
        entityId: draw.id,
        before: { status: 'void-requested' },
        after: {
          status: 'voided',
          reasonId: voided.voidReasonId,
          requestedBy: voided.voidRequestedBy,
          signedBy: ctx.user.id,
          void: envelope,
          afterRandomness: known,
          resultDigest: voided.resultDigest,
          bundleDigest: voided.voidBundleDigest,
          cancelledTasks: cancelled.length,
        },
      });
      return {
        drawId: draw.id,
        status: voided.status,
        planStatus: p.status,
        cancelledTasks: cancelled.length,
        afterRandomness: known,
        resultDigest: voided.resultDigest,
        bundleDigest: voided.voidBundleDigest!,
      };
    });
    // Its witnessed checkpoint at once: the void's log time is that checkpoint's (§9.7).
    requestLogCheckpoint(ctx.user.id);
    return signed;
  });

/** `draws.rejectVoid`: declines a void request; the attempt continues where it was. */
export const rejectVoid = roleProcedure(VOID_APPROVERS)
  .input(z.object({ drawId: ZIdSchema, reason: z.string().trim().min(2).max(2000) }))
  .output(z.object({ drawId: z.string(), status: rowSchema(draws).shape.status }))
  .mutation(async ({ ctx, input }) => {
    const { draw, plan } = await loadDrawHeader(ctx.db, input.drawId, ctx.access);
    if (draw.status !== 'void-requested')
      fail('CONFLICT', 'drawId', 'draw.statusIs', { attempt: draw.attempt, status: draw.status });
    return ctx.db.transaction(async (tx) => {
      const after = await transitionDrawHeader(tx, draw.id, ['void-requested'], statusBeforeVoid(draw), {
        voidReason: null,
        voidReasonId: null,
        voidAfterRandomness: null,
        voidRequestedAt: null,
        voidRequestedBy: null,
      });
      await ctx.audit(tx, {
        bureauCode: plan.bureauCode,
        action: 'draw.reject-void',
        entity: 'draws',
        entityId: draw.id,
        before: { status: 'void-requested', reason: draw.voidReason },
        after: { status: after.status, rejection: input.reason },
      });
      return { drawId: draw.id, status: after.status };
    });
  });
