import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { SR_DRAW_V2, VERIFY_STEPS_V2, verifyReplacementsV2 } from '@spotcheck/core';
import { draws } from '@spotcheck/db';
import { bundleOf, signOffOf, ZDrawVerificationSchema, ZVerificationReportSchema } from '../../lib/bundle';
import type { DbOrTx } from '../../lib/db';
import { VOID_REASONS } from '../../lib/draw-v2';
import { fail, notFound } from '../../lib/errors';
import { commitmentInclusionOf, logVerificationInputs } from '../../log/proofs';
import { signedBundleBytesOf, signedBundleWithInclusionBytesOf } from '../../lib/void-v2';
import { checkDrawOffThread } from '../../lib/verification-thread';
import type { DrawCheck } from '../../lib/draw-check';
import {
  drawSummaryOf,
  replacementNamesOf,
  selectedPageOf,
  ZDrawSelectedInputSchema,
  ZDrawSelectedPageSchema,
  ZDrawViewSchema,
} from '../../lib/draw-view';
import {
  loadDraw,
  loadDrawHeader,
  loadPlan,
  sealedNow,
  type DrawHeader,
  type PlanRow,
} from '../../lib/workflow';
import { ZIdSchema } from '../../lib/zod';
import { progressReporter, withProgress, ZOperationIdSchema } from '../../lib/progress';
import {
  accessFor,
  publicProcedure,
  ROLE_GROUPS,
  roleProcedure,
  router,
  type Access,
  type Context,
} from '../../trpc';
import { issueTasks } from './issue-tasks';
import { beaconStatus, enterRandomness, runDraw } from './run';
import { signDraw } from './sign';
import { replacementRecordsOf, replaceMember } from './replace';
import { replacementBundleOf } from '../../lib/replacements';
import { rejectVoid, requestVoid, signVoid } from './void';
import { columnsSchema, json } from '../../lib/outputs';
import type { ReplacementRecordV2 } from '@spotcheck/core';

const reader = roleProcedure(ROLE_GROUPS.staff);

/**
 * The header of an attempt whose bundle may be read by `access`: drawn, not sealed (covert plans
 * until executed), v2 signed. The checks of the bundle file.
 */
async function bundleHeadOf(db: DbOrTx, access: Access, drawId: string) {
  const { draw, plan } = await loadDrawHeader(db, drawId, access);
  if (!draw.resultDigest) fail('CONFLICT', 'drawId', 'draw.notDrawnYet', { attempt: draw.attempt });
  if (await sealedNow(db, plan, draw)) fail('FORBIDDEN', 'drawId', 'draw.covertSealed');
  if (draw.algorithm === SR_DRAW_V2 && !draw.signOff)
    fail('CONFLICT', 'drawId', 'draw.notSignedYet', { attempt: draw.attempt });
  return { draw, plan };
}

/**
 * The members of a v2 bundle file beside the bundle, as the portal's download carries them: the
 * registry with its proofs, the witnesses and (§9.7) the sign-off's signature record in its
 * witnessed checkpoint with the bureau's newest registry by the log's order, so that `spotcheck
 * verify` checks the key at the sign-off's log time offline too.
 */
async function bundleProofsOf(db: DbOrTx, plan: PlanRow, draw: DrawHeader) {
  const log = await logVerificationInputs(
    db,
    draw.id,
    plan.bureauCode,
    (draw.signOff as { signedAt?: string } | null)?.signedAt,
  );
  return {
    algorithm: SR_DRAW_V2,
    registry: log.registry,
    registryInclusion: log.registryInclusion,
    registryHistory: log.registryHistory,
    witnesses: log.witnesses,
    // A record's only: a draw signed before records is dated by its publication's own leaf, which
    // proves nothing without that publication's whole content beside it.
    ...(log.signOff.leaf === 'record' && log.signOff.inclusion
      ? { signOffInclusion: log.signOff.inclusion }
      : {}),
    ...(log.currentRegistry !== undefined
      ? {
          currentRegistry: log.currentRegistry,
          currentRegistryHistory: log.currentRegistryHistory,
          ...(log.currentRegistryInclusion ? { currentRegistryInclusion: log.currentRegistryInclusion } : {}),
        }
      : {}),
  };
}

const utf8 = new TextEncoder();

/**
 * A drawn attempt's bundle as staff download it for `spotcheck verify` (`GET /draws/<id>/bundle.json`,
 * the admin's 下载抽取包): `{ bundle, registry, registryInclusion, registryHistory, witnesses }` and,
 * once the log has them, `signOffInclusion`, `currentRegistry`, `currentRegistryInclusion` and
 * `currentRegistryHistory` (§9.7)
 * (v1: `{ algorithm, bundle, signOff }`), as the UTF-8 parts of its JSON text, in order. A v2
 * bundle is written by PostgreSQL from the row and read as bytes (a city's ~10^8 bytes are neither
 * parsed, serialised nor held as a string here, so there is no procedure returning it as a value:
 * one such call could take the server's memory, issue 16); the small members beside it by
 * `JSON.stringify`. Staff roles of the draw's bureau only; sealed covert plans refused; throws
 * coded errors as procedures do.
 */
export async function drawBundleFile(ctx: Context, drawId: string): Promise<Uint8Array[]> {
  if (!ctx.user) fail('UNAUTHORIZED', 'session', 'auth.signInFirst');
  const access = accessFor(ctx.user, ROLE_GROUPS.staff);
  if (access.scope !== 'all' && access.scope.length === 0)
    fail('FORBIDDEN', 'role', 'access.role', { roles: [...ROLE_GROUPS.staff] });
  if (!ZIdSchema.safeParse(drawId).success) notFound('drawId', 'draw', drawId);
  const { draw, plan } = await bundleHeadOf(ctx.db, access, drawId);
  if (draw.algorithm !== SR_DRAW_V2) {
    const { draw: full } = await loadDraw(ctx.db, drawId, access);
    const text = JSON.stringify({
      algorithm: 'sr-draw/v1',
      bundle: bundleOf(full),
      signOff: await signOffOf(ctx.db, full),
    });
    return [utf8.encode(text)];
  }
  const bundle = await signedBundleWithInclusionBytesOf(
    ctx.db,
    draw.id,
    await commitmentInclusionOf(ctx.db, draw.id),
  );
  const rest = JSON.stringify(await bundleProofsOf(ctx.db, plan, draw));
  return [utf8.encode('{"bundle":'), bundle, utf8.encode(`,${rest.slice(1)}`)];
}

/** An attempt as `draws.list` lists it (without frames). */
const attemptColumns = {
  id: draws.id,
  attempt: draws.attempt,
  algorithm: draws.algorithm,
  status: draws.status,
  commitmentDigest: draws.commitmentDigest,
  resultDigest: draws.resultDigest,
  committedAt: draws.committedAt,
  drawnAt: draws.drawnAt,
  signedAt: draws.signedAt,
  voidReason: draws.voidReason,
  voidReasonId: draws.voidReasonId,
  voidAfterRandomness: draws.voidAfterRandomness,
  voidRequestedBy: draws.voidRequestedBy,
  voidApprovedBy: draws.voidApprovedBy,
  voidBundleDigest: draws.voidBundleDigest,
};

/** Draw attempts 抽取 of a plan: randomness → draw (once) → sign-off → tasks; void, never redo. */
export const drawsRouter = router({
  /** Attempts of a plan (without frames). */
  list: reader
    .input(z.object({ planId: ZIdSchema }))
    .output(z.array(columnsSchema(attemptColumns)))
    .query(async ({ ctx, input }) => {
      const plan = await loadPlan(ctx.db, input.planId, ctx.access);
      return ctx.db
        .select(attemptColumns)
        .from(draws)
        .where(eq(draws.planId, plan.id))
        .orderBy(asc(draws.attempt));
    }),

  /**
   * One attempt's header (commitment, randomness, digests, sign-off, void) and its result's summary
   * (count selected, strata, overloads). The frame, excluded and person rows, avoidance reasons and
   * result stay in the database (~10^8 bytes of JSON for a city, issue 16): the selected units are
   * read a page at a time with `draws.selected`, the whole attempt as the bundle file. Sealed
   * covert plans: the header only (digests), no summary.
   */
  get: reader
    .input(z.object({ drawId: ZIdSchema }))
    .output(ZDrawViewSchema)
    .query(async ({ ctx, input }) => {
      const { draw, plan } = await loadDrawHeader(ctx.db, input.drawId, ctx.access);
      if (await sealedNow(ctx.db, plan, draw)) return { ...draw, sealed: true, summary: null };
      return { ...draw, sealed: false, summary: await drawSummaryOf(ctx.db, draw) };
    }),

  /**
   * A page of a drawn attempt's selected units in draw order (at most 200), optionally those whose
   * id is `search` or whose name contains it: each unit by name, its team after any replacements
   * and its expert by name, with how many match. Sealed covert plans: refused until executed.
   */
  selected: reader
    .input(ZDrawSelectedInputSchema)
    .output(ZDrawSelectedPageSchema)
    .query(async ({ ctx, input }) => {
      const { draw, plan } = await loadDrawHeader(ctx.db, input.drawId, ctx.access);
      if (!draw.resultDigest) fail('CONFLICT', 'drawId', 'draw.notDrawnYet', { attempt: draw.attempt });
      if (await sealedNow(ctx.db, plan, draw)) fail('FORBIDDEN', 'drawId', 'draw.covertSealed');
      return selectedPageOf(ctx.db, draw, input);
    }),

  /**
   * Verifies an attempt from its bundle: v2 — every check of core's verifier, one line each
   * (digests, each source, timing, freshness, feasibility, result, signer against the published
   * registry); v1 — the recomputation and the stored signature.
   */
  verify: reader
    .input(z.object({ drawId: ZIdSchema, operationId: ZOperationIdSchema }))
    .output(ZDrawVerificationSchema)
    .query(async ({ ctx, input }) => {
      // Each step as it begins on the thread, for `progress.get` (a city draw's check takes tens of seconds).
      const report = progressReporter(ctx.user.id, input.operationId, ctx.db);
      return withProgress(report, async () => {
        const { draw: header, plan } = await loadDrawHeader(ctx.db, input.drawId, ctx.access);
        if (!header.resultDigest) fail('CONFLICT', 'drawId', 'draw.notDrawnYet', { attempt: header.attempt });
        if (await sealedNow(ctx.db, plan, header)) fail('FORBIDDEN', 'drawId', 'draw.covertSealed');
        // The check itself runs on the verification thread (a city draw's takes seconds); a v2
        // bundle goes there as the JSON text PostgreSQL writes, in bytes, never parsed on this thread.
        if (header.algorithm === SR_DRAW_V2) {
          if (!header.signOff) fail('CONFLICT', 'drawId', 'draw.notSignedYet', { attempt: header.attempt });
          const check = async (signedAt: string | null): Promise<DrawCheck> => ({
            algorithm: 'sr-draw/v2',
            isVoid: false,
            content: await signedBundleBytesOf(ctx.db, header.id),
            inputs: await logVerificationInputs(
              ctx.db,
              header.id,
              plan.bureauCode,
              signedAt,
              null,
              'draw',
              ctx.now(),
            ),
            production: ctx.production,
          });
          return checkDrawOffThread(
            await check(header.signOff.signedAt),
            check,
            (step) => report('verifying', VERIFY_STEPS_V2.indexOf(step) + 1, VERIFY_STEPS_V2.length, step),
            'drawId',
          );
        }
        const { draw } = await loadDraw(ctx.db, input.drawId, ctx.access);
        const signOff = await signOffOf(ctx.db, draw);
        return checkDrawOffThread(
          { algorithm: 'sr-draw/v1', content: JSON.stringify({ bundle: bundleOf(draw), signOff }) },
          null,
        );
      });
    }),

  /**
   * A signed v2 draw's team replacement records (§9.6) in order, with the verifier's line for each
   * (sealed covert plans: none until executed).
   */
  replacements: reader
    .input(z.object({ drawId: ZIdSchema }))
    .output(
      z.object({
        records: z.array(json<ReplacementRecordV2>()),
        report: ZVerificationReportSchema.nullable(),
        /** The names of the units and inspectors the records name (staff read names, not ids). */
        names: z.object({
          units: z.record(z.string(), z.string()),
          inspectors: z.record(z.string(), z.string()),
        }),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { draw, plan } = await loadDrawHeader(ctx.db, input.drawId, ctx.access);
      if (draw.algorithm !== SR_DRAW_V2 || !draw.signOff)
        return { records: [], report: null, names: { units: {}, inspectors: {} } };
      if (await sealedNow(ctx.db, plan, draw)) fail('FORBIDDEN', 'drawId', 'draw.covertSealed');
      const records = await replacementRecordsOf(ctx.db, draw.id);
      // The verifier gets what it reads (the named units' rows, the loads), not the whole draw.
      return {
        records,
        report: verifyReplacementsV2(await replacementBundleOf(ctx.db, draw.id, records), records),
        names: await replacementNamesOf(ctx.db, records),
      };
    }),

  /** The published list of void reason ids and their meaning (`[zh, en]`). */
  voidReasons: publicProcedure
    .output(
      z.record(
        z.enum(Object.keys(VOID_REASONS) as [keyof typeof VOID_REASONS]),
        z.tuple([z.string(), z.string()]).readonly(),
      ),
    )
    .query(() => VOID_REASONS),

  beaconStatus,
  enterRandomness,
  run: runDraw,
  sign: signDraw,
  issueTasks,
  requestVoid,
  signVoid,
  rejectVoid,
  replaceMember,
});
