import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkFeasibilityV2, SR_DRAW_V2, type CommitmentV2, type PreviousAttempt } from '@spotcheck/core';
import { draws, plans, publications, type AvoidanceReasons } from '@spotcheck/db';
import { CanonicalPiece, digestOf } from '../canonical';
import type { DbOrTx } from '../db';
import { checkCommitmentSources, formatFeasibilityV2, frameRowsV2, personRowsV2 } from '../draw-v2';
import { fail } from '../errors';
import { MAX_JSONB_BYTES } from '../jsonb-size';
import { wholeSeconds } from '../key-registry';
import { publish } from '../publish';
import { drawRowPieces } from '../stored-piece';
import { commitmentPublication, planIdPublication } from '../publications-v2';
import { ensurePreviousRandomness } from '../void-v2';
import { drawHeaderColumns, loadPlan, transitionPlan, type PlanRow } from '../workflow';
import { json, rowSchema } from '../outputs';
import { ZIdSchema } from '../zod';
import {
  NO_PROGRESS,
  progressReporter,
  withProgress,
  ZOperationIdSchema,
  type ReportProgress,
} from '../progress';
import { requestLogCheckpoint } from '../../jobs/runtime';
import { CITY_BUREAU, roleProcedure, type Context } from '../../trpc';
import { exclusionLedger, rosterChangesBefore } from './exclusions';
import { assemblePlanFrame, unitNames } from './frame';
import { drawPublicationBound } from './publication-bound';
import type { TPlanCreate } from './schemas';

export { MANDATORY_DUE_STRATUM, unitFactsOf } from './frame';

/** Problems a refused approval names (with the units' names). */
const FEASIBILITY_LINES = 10;
/** Capacity of an expert in a draw: experts have no capacity rule (overloads are reported). */
const EXPERT_CAPACITY_PER_QUARTER = 20;

/**
 * Everything that is frozen at approval (sr-draw/v2 §1), computed from the database
 * ({@link assemblePlanFrame}): frame rows with the expert flag, the exclusion ledger of the whole
 * roster, inspector and expert rows with exclusion reasons, the rule packs, the published
 * checklist, the team rule (every plan assigns teams), the sources and the voided previous attempt.
 */
export async function buildPlanFrame(
  tx: DbOrTx,
  plan: PlanRow,
  now: Date,
  attempt: number,
  previous: PreviousAttempt | null,
  production: boolean,
  report: ReportProgress = NO_PROGRESS,
  publicationLimitBytes: number = MAX_JSONB_BYTES,
) {
  // R2: the checklist version must be published.
  if (!plan.checklistVersionId) fail('PRECONDITION_FAILED', 'checklistVersionId', 'plan.noChecklist');
  const checklist = await tx.query.checklistVersions.findFirst({
    where: (c, { eq }) => eq(c.id, plan.checklistVersionId!),
  });
  if (!checklist || checklist.status !== 'published' || !checklist.digest) {
    fail('PRECONDITION_FAILED', 'checklistVersionId', 'plan.checklistNotPublished', {
      version: checklist?.version ?? '?',
      status: checklist?.status ?? 'missing',
    });
  }
  if (checklist.bureauCode !== plan.bureauCode && checklist.bureauCode !== CITY_BUREAU) {
    fail('PRECONDITION_FAILED', 'checklistVersionId', 'plan.checklistOtherDistrict');
  }
  const committedAt = wholeSeconds(now);
  const committedSeconds = Date.parse(committedAt) / 1000;
  const sources = plan.sources;
  checkCommitmentSources(sources, committedSeconds, previous, production);

  const draft = plan as PlanRow & Pick<TPlanCreate, 'scope' | 'strata' | 'team'>;
  // The scope is counted for the progress only when someone asks for it.
  const built = await assemblePlanFrame(tx, draft, {
    onProgress: report === NO_PROGRESS ? undefined : (done, total) => report('roster', done, total),
  });
  report('computing');
  const ledger = await exclusionLedger(tx, built);
  const frame = frameRowsV2(built.frame.rows, new Set(built.experts.units));
  const inspectorRows = personRowsV2(
    built.inspectors.rows.map(([id, capacity, specialties]) => ({ id, capacity, specialties })),
    built.inspectors.reasons,
  );
  const quarters = /^\d{4}$/.test(plan.period) ? 4 : 1;
  const expertRows = personRowsV2(
    built.experts.pool.map((e) => ({ ...e, capacity: EXPERT_CAPACITY_PER_QUARTER * quarters })),
    new Map(),
  );
  // Every plan assigns teams of at least two officers (回避): a units-only or random-order plan
  // takes its team from the v2 team walk too (issue #9, #10).
  const team = { assign: true, size: Math.max(2, draft.team.size), specialist: draft.team.specialist };
  const feasibility = checkFeasibilityV2(
    { team, strata: built.frame.strata },
    frame,
    inspectorRows,
    expertRows,
  );
  if (!feasibility.ok) {
    const names = await unitNames(
      tx,
      feasibility.problems.slice(0, FEASIBILITY_LINES).map((p) => p.unitId ?? ''),
    );
    fail('PRECONDITION_FAILED', 'feasibility', 'plan.infeasible', {
      detail: formatFeasibilityV2(feasibility, (id) => names.get(id) ?? '', FEASIBILITY_LINES),
    });
  }
  const rulePacks = [...built.pack.chain].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Each row set is written as canonical JSON once: its digest, the draw's column and the
  // commitment publication all take that text (a city's frame is 10^6 rows, issue 16).
  const pieces = {
    frame: CanonicalPiece.of(frame),
    excluded: CanonicalPiece.of(ledger.rows),
    inspectors: CanonicalPiece.of(inspectorRows),
    experts: CanonicalPiece.of(expertRows),
  };
  const commitment: CommitmentV2 = {
    algorithm: SR_DRAW_V2,
    plan: { id: plan.id, bureau: plan.bureauCode, period: plan.period, kind: plan.kind, attempt },
    rulePacks,
    checklist: { id: checklist.id, version: String(checklist.version), digest: checklist.digest },
    frame: { count: frame.length, digest: pieces.frame.digest },
    excluded: { count: ledger.rows.length, digest: pieces.excluded.digest },
    strata: built.frame.strata,
    inspectors: { count: inspectorRows.length, digest: pieces.inspectors.digest },
    experts: { count: expertRows.length, digest: pieces.experts.digest },
    team,
    sources,
    previous,
    committedAt,
  };
  // Nothing is written yet: a draw that could never be published is refused here (issue 16).
  const bound = await drawPublicationBound(
    tx,
    {
      scope: built.scope,
      frame,
      excluded: ledger.rows,
      inspectorRows,
      expertRows,
      commitment,
    },
    publicationLimitBytes,
  );
  if (bound.bytes > publicationLimitBytes)
    fail('PRECONDITION_FAILED', 'scope', 'plan.tooLargeToPublish', {
      units: frame.length,
      selected: bound.selected,
      megabytes: Math.ceil(bound.bytes / 2 ** 20),
      limitMegabytes: Math.floor(publicationLimitBytes / 2 ** 20),
    });
  const reasons: AvoidanceReasons = {};
  for (const [ins, perUnit] of built.inspectors.reasons) reasons[ins] = Object.fromEntries(perUnit);
  return {
    commitment,
    commitmentDigest: digestOf(commitment),
    frame,
    excluded: ledger.rows,
    excludedByReason: ledger.byReason,
    pieces,
    inspectorRows,
    expertRows,
    reasons,
    sealed: plan.kind === 'covert',
    rulePacks: built.pack.chain,
    fastPath: built.fastPath,
    obligations: built.obligations,
  };
}

/**
 * A commitment publication whose rows are the pieces just written to draw `drawId`: hashed as
 * their text, copied from the draw's columns by PostgreSQL (not sent and parsed again: ~60 MB for a
 * city's frame, issue 16). Only rows the publication holds as they are take a piece: a publication
 * that ever shows other rows (redacted, reordered) publishes those, never the draw's.
 */
function withRowPieces(
  content: ReturnType<typeof commitmentPublication>,
  pieces: Awaited<ReturnType<typeof buildPlanFrame>>['pieces'],
  drawId: string,
): object {
  if (content.sealed) return content;
  const asCommitted =
    content.frame === pieces.frame.value &&
    content.excluded === pieces.excluded.value &&
    content.inspectors === pieces.inspectors.value &&
    content.experts === pieces.experts.value;
  if (!asCommitted) return content;
  const rows = drawRowPieces(drawId);
  return {
    ...content,
    frame: pieces.frame.storedIn(rows.frame.jsonb),
    excluded: pieces.excluded.storedIn(rows.excluded.jsonb),
    inspectors: pieces.inspectors.storedIn(rows.inspectors.jsonb),
    experts: pieces.experts.storedIn(rows.experts.jsonb),
  };
}

/** The voided attempt before `attempt`, as the next commitment's `previous` (null for attempt 1). */
async function previousAttempt(
  ctx: Pick<Context, 'beacon' | 'now'>,
  tx: DbOrTx,
  planId: string,
  by: string,
): Promise<PreviousAttempt | null> {
  // Its header: the rows (~10^8 bytes for a city) are read only if its result is still to compute.
  const [last] = await tx
    .select(drawHeaderColumns)
    .from(draws)
    .where(eq(draws.planId, planId))
    .orderBy(desc(draws.attempt))
    .limit(1);
  if (!last) return null;
  if (last.status !== 'voided')
    fail('CONFLICT', 'planId', 'plan.previousAttemptOpen', { attempt: last.attempt, status: last.status });
  if (last.algorithm !== SR_DRAW_V2 || !last.voidBundleDigest) {
    // A v1 attempt voided before sr-draw/v2: it is published as it was; the chain starts afresh.
    return null;
  }
  // A void never hides what was known: if the voided attempt's sources exist by now, its
  // randomness and result are computed and republished before the next commitment names them.
  const voided = await ensurePreviousRandomness(ctx, tx, last, by);
  const knownVoids = (
    await tx
      .select({ id: draws.id })
      .from(draws)
      .where(and(eq(draws.planId, planId), eq(draws.status, 'voided'), eq(draws.voidAfterRandomness, true)))
  ).length;
  const c = voided.commitment as CommitmentV2;
  return {
    attempt: voided.attempt,
    commitmentDigest: voided.commitmentDigest,
    sources: c.sources,
    randomness: (voided.randomness as { string: string } | null)?.string ?? null,
    resultDigest: voided.resultDigest,
    reason: voided.voidReasonId!,
    bundleDigest: voided.voidBundleDigest!,
    knownVoids,
  };
}

/**
 * Fixes the plan year's obligations (R11–R12) at approval: units the packs make mandatory get a
 * stored obligation; a stored one is only ever raised (a higher yearly minimum), never lowered or
 * removed, so later facts can add obligations but not take them away.
 */
export async function fixObligations(
  tx: DbOrTx,
  plan: PlanRow,
  changes: Awaited<ReturnType<typeof buildPlanFrame>>['obligations'],
  now: Date,
): Promise<number> {
  const year = Number(plan.period.slice(0, 4));
  const at = now.toISOString();
  // Set-based: one statement per 100,000 obligations, each column one array parameter (an array in
  // an SQL template would be a list of parameters), each distinct list of reasons sent once: a city
  // plan fixes ~10^5 obligations whose reasons repeat a few rule descriptions, and as one JSON
  // object per row they were 30 MB for PostgreSQL to parse (1.7 s, issue 16).
  for (let i = 0; i < changes.length; i += 100_000) {
    const chunk = changes.slice(i, i + 100_000);
    const reasonIndex = new Map<string, number>();
    const reasonOf = chunk.map((c) => {
      const text = JSON.stringify(c.reasons);
      let n = reasonIndex.get(text);
      if (n === undefined) reasonIndex.set(text, (n = reasonIndex.size + 1));
      return n;
    });
    await tx.execute(sql`
      INSERT INTO yearly_obligations (unit_id, year, bureau_code, min_per_year, reasons, fixed_by_plan_id, fixed_at)
      SELECT x.unit_id, ${year}::integer, x.bureau_code, x.min_per_year, r.reasons, ${plan.id}::uuid, ${at}::timestamptz
      FROM unnest(
        ${sql.param(chunk.map((c) => c.unitId))}::text[],
        ${sql.param(chunk.map((c) => c.bureauCode))}::text[],
        ${sql.param(chunk.map((c) => c.minPerYear))}::integer[],
        ${sql.param(reasonOf)}::integer[]
      ) AS x(unit_id, bureau_code, min_per_year, reason)
      JOIN jsonb_array_elements(${`[${[...reasonIndex.keys()].join(',')}]`}::jsonb) WITH ORDINALITY AS r(reasons, n)
        ON r.n = x.reason
      ON CONFLICT (bureau_code, unit_id, year) DO UPDATE SET
        min_per_year = greatest(yearly_obligations.min_per_year, excluded.min_per_year),
        reasons = excluded.reasons,
        raised_at = ${at}::timestamptz
      WHERE yearly_obligations.min_per_year < excluded.min_per_year`);
  }
  return changes.length;
}

/**
 * `plans.approve` (approver): publishes the plan's id (attempt 1), then freezes the frame, the
 * exclusion ledger of the whole roster, inspector and expert rows with their exclusion reasons,
 * the published checklist, the rule packs, the sources and the voided previous attempt into an
 * sr-draw/v2 commitment, stored as a new draw attempt and published with the roster changes of
 * the 30 days before it (sealed covert plans: only its digest, sources and time until executed).
 * Refused before anything is committed when the sources are too early, stale after a void, or
 * the plan cannot be staffed for every unit.
 */
export const approvePlan = roleProcedure(['approver'])
  .input(z.object({ planId: ZIdSchema, operationId: ZOperationIdSchema }))
  .output(
    z.object({
      plan: rowSchema(plans),
      draw: z.object({
        id: z.string(),
        attempt: z.number(),
        commitmentDigest: z.string(),
        commitment: json<CommitmentV2>(),
      }),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    await loadPlan(ctx.db, input.planId, ctx.access);
    const report = progressReporter(ctx.user.id, input.operationId, ctx.db);
    const approved = await withProgress(report, () =>
      ctx.db.transaction(async (tx) => {
        const [locked] = await tx.select().from(plans).where(eq(plans.id, input.planId)).for('update');
        if (locked!.status !== 'submitted')
          fail('CONFLICT', 'planId', 'plan.notSubmitted', { status: locked!.status });
        const previous = await previousAttempt(ctx, tx, locked!.id, ctx.user.id);
        const [prev] = await tx
          .select({ attempt: draws.attempt })
          .from(draws)
          .where(eq(draws.planId, locked!.id))
          .orderBy(desc(draws.attempt))
          .limit(1);
        const attempt = (prev?.attempt ?? 0) + 1;
        const frozen = await buildPlanFrame(
          tx,
          locked!,
          now,
          attempt,
          previous,
          ctx.production,
          report,
          ctx.publicationLimitBytes,
        );
        await report.writing(tx);
        // The plan's id is public before its first commitment (§9.2), so no attempt can be hidden.
        const [idPublished] = await tx
          .select({ id: publications.id })
          .from(publications)
          .where(and(eq(publications.kind, 'plan-id'), eq(publications.refId, locked!.id)));
        if (!idPublished) {
          await publish(tx, {
            bureauCode: locked!.bureauCode,
            kind: 'plan-id',
            refId: locked!.id,
            period: locked!.period,
            title: `${locked!.title}（计划编号）`,
            content: planIdPublication(locked!, now),
            by: ctx.user.id,
            at: now,
          });
        }
        const [draw] = await tx
          .insert(draws)
          .values({
            planId: locked!.id,
            bureauCode: locked!.bureauCode,
            attempt,
            algorithm: SR_DRAW_V2,
            status: 'committed',
            commitment: frozen.commitment,
            commitmentDigest: frozen.commitmentDigest,
            frame: frozen.pieces.frame.jsonb,
            excluded: frozen.pieces.excluded.jsonb,
            inspectorRows: frozen.pieces.inspectors.jsonb,
            expertRows: frozen.pieces.experts.jsonb,
            avoidanceReasons: frozen.reasons,
            committedAt: new Date(frozen.commitment.committedAt),
            committedBy: ctx.user.id,
          })
          .returning({ id: draws.id, attempt: draws.attempt, commitmentDigest: draws.commitmentDigest });
        const obligations = await fixObligations(tx, locked!, frozen.obligations, now);
        const plan = await transitionPlan(tx, locked!.id, ['submitted'], 'approved', now, {
          approvedAt: now,
          approvedBy: ctx.user.id,
          rulePacks: frozen.rulePacks,
          sealed: frozen.sealed,
        });
        const rosterChanges = await rosterChangesBefore(tx, plan.bureauCode, now);
        await publish(tx, {
          bureauCode: plan.bureauCode,
          kind: 'commitment',
          refId: draw!.id,
          period: plan.period,
          title: `${plan.title}（抽取承诺 第${draw!.attempt}次${frozen.sealed ? '，暗查暗访仅公布摘要' : ''}）`,
          content: withRowPieces(
            commitmentPublication(frozen, rosterChanges, ctx.beacon?.demo === true),
            frozen.pieces,
            draw!.id,
          ),
          by: ctx.user.id,
          at: now,
        });
        await ctx.audit(tx, {
          bureauCode: plan.bureauCode,
          action: 'plan.approve',
          entity: 'plans',
          entityId: plan.id,
          before: { status: 'submitted' },
          after: {
            status: 'approved',
            drawId: draw!.id,
            attempt: draw!.attempt,
            commitmentDigest: draw!.commitmentDigest,
            frameCount: frozen.frame.length,
            excluded: frozen.excludedByReason,
            inspectors: frozen.inspectorRows.length,
            experts: frozen.expertRows.length,
            rulePacks: frozen.rulePacks,
            obligationsFixed: obligations,
          },
        });
        return { plan, draw: { ...draw!, commitment: frozen.commitment } };
      }),
    );
    // The commitment's time is the first witnessed checkpoint holding it (§9.1): issue one now.
    requestLogCheckpoint(ctx.user.id);
    return approved;
  });
