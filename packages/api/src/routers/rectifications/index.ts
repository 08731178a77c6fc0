import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  blacklistProceedings,
  findings,
  plans,
  rectifications,
  results,
  supervisions,
  tasks,
  units,
} from '@spotcheck/db';
import {
  overdueWhere,
  proposeListing,
  proposeOverdueListings,
  type BlacklistReason,
} from '../../lib/blacklist';
import { endMajorHazard } from '../../lib/supervision';
import type { DbOrTx } from '../../lib/db';
import { fail, notFound } from '../../lib/errors';
import { bureauFilter, todayInChina } from '../../lib/scope';
import { ZBureauCodeSchema, ZDateSchema, ZIdSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router, type Access } from '../../trpc';
import type { SessionUser } from '../../auth/sessions';
import { loadTask } from '../../lib/tasks';
import { rowSchema } from '../../lib/outputs';

/** Input of `rectifications.record`. */
export const ZRectificationSchema = z.object({
  findingId: ZIdSchema,
  /** The day of the follow-up check 复查. */
  checkedOn: ZDateSchema,
  outcome: z.enum(['rectified', 'inadequate', 'concealed']),
  note: z.string().trim().max(2000).default(''),
});

/** Loads a finding with its task, checking the caller may see the task (team, bureau, sealing). */
async function loadFinding(db: DbOrTx, findingId: string, access: Access, user: SessionUser) {
  const finding = await db.query.findings.findFirst({ where: (f, { eq }) => eq(f.id, findingId) });
  if (!finding) notFound('findingId', 'finding', findingId);
  const result = (await db.select().from(results).where(eq(results.id, finding.resultId)))[0]!;
  const { task, bureauCode } = await loadTask(db, result.taskId, access, user);
  return { finding, result, task, bureauCode };
}

/** Rectification 整改复查 of findings and its consequences (R17–R18). */
export const rectificationsRouter = router({
  /**
   * Records a follow-up check of a finding (a member of the task's team, or an admin of the
   * bureau). Consequences, in the same transaction and audited:
   * - `rectified` on a major hazard not under a 挂牌督办 record ends it: the result's
   *   'major-hazard' fact is closed (`endedOn`) and the unit's `majorHazard` flag cleared when no
   *   other major-hazard fact of the unit remains open (R17); under a 挂牌督办 record only its
   *   销号 (approved by a second person) ends it;
   * - `concealed` (any finding), or `inadequate` on a major hazard, *proposes* the unit for the
   *   blacklist (R18): review, notice and decision follow in `blacklist.*` (due process).
   */
  record: roleProcedure(['inspector', 'district-admin', 'city-admin'])
    .input(ZRectificationSchema)
    .output(
      rowSchema(rectifications).extend({
        supervisionEnded: z.boolean(),
        blacklistProposalId: z.string().nullable(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { finding, result, task, bureauCode } = await loadFinding(
        ctx.db,
        input.findingId,
        ctx.access,
        ctx.user,
      );
      if (
        ctx.access.bureau(bureauCode) === 'inspector' &&
        !(ctx.user.inspectorId && task.team.includes(ctx.user.inspectorId))
      )
        fail('FORBIDDEN', 'findingId', 'rectification.onlyTeam');
      const correction = await ctx.db.query.results.findFirst({
        where: (r, { eq }) => eq(r.supersedesId, result.id),
      });
      if (correction)
        fail('CONFLICT', 'findingId', 'rectification.resultCorrected', { correctionId: correction.id });
      const now = ctx.now();
      const today = todayInChina(now);
      if (input.checkedOn > today) fail('BAD_REQUEST', 'checkedOn', 'date.inFuture');
      if (input.checkedOn < result.inspectedOn)
        fail('BAD_REQUEST', 'checkedOn', 'rectification.beforeInspection', {
          inspectedOn: result.inspectedOn,
        });
      return ctx.db.transaction(async (tx) => {
        const [done] = await tx
          .select({ id: rectifications.id })
          .from(rectifications)
          .where(and(eq(rectifications.findingId, finding.id), eq(rectifications.outcome, 'rectified')))
          .limit(1);
        if (done) fail('CONFLICT', 'findingId', 'rectification.alreadyDone');
        const [row] = await tx
          .insert(rectifications)
          .values({
            bureauCode: finding.bureauCode,
            findingId: finding.id,
            checkedOn: input.checkedOn,
            outcome: input.outcome,
            note: input.note,
            recordedAt: now,
            recordedBy: ctx.user.id,
          })
          .returning();
        const major = finding.kind === 'major-hazard';
        let supervisionEnded = false;
        if (major && input.outcome === 'rectified') {
          const [listed] = await tx
            .select({ id: supervisions.id })
            .from(supervisions)
            .where(eq(supervisions.findingId, finding.id));
          if (!listed)
            supervisionEnded = await endMajorHazard(tx, {
              unitId: task.unitId,
              resultId: result.id,
              endedOn: input.checkedOn,
              now,
            });
        }
        const reason: BlacklistReason | null =
          input.outcome === 'concealed'
            ? 'concealed'
            : major && input.outcome === 'inadequate'
              ? 'inadequate'
              : null;
        const proposal = reason
          ? await proposeListing(tx, {
              unitId: task.unitId,
              reason,
              origin: 'inspector',
              findingId: finding.id,
              userId: ctx.user.id,
              actorRole: ctx.access.bureau(bureauCode),
              note: input.note,
              today,
              now,
            })
          : null;
        if (supervisionEnded)
          await ctx.audit(tx, {
            bureauCode,
            action: 'unit.end-listed-supervision',
            entity: 'units',
            entityId: task.unitId,
            before: { majorHazard: true },
            after: { majorHazard: false, findingId: finding.id, endedOn: input.checkedOn },
          });
        await ctx.audit(tx, {
          bureauCode,
          action: 'rectification.record',
          entity: 'rectifications',
          entityId: row!.id,
          after: {
            ...row,
            unitId: task.unitId,
            findingKind: finding.kind,
            supervisionEnded,
            blacklistProposal: proposal ? { reason, proceedingId: proposal.id } : null,
          },
        });
        return { ...row!, supervisionEnded, blacklistProposalId: proposal?.id ?? null };
      });
    }),

  /** Follow-up checks of a finding, oldest first (same visibility as its task). */
  list: roleProcedure(ROLE_GROUPS.all)
    .input(z.object({ findingId: ZIdSchema }))
    .output(z.array(rowSchema(rectifications)))
    .query(async ({ ctx, input }) => {
      await loadFinding(ctx.db, input.findingId, ctx.access, ctx.user);
      return ctx.db
        .select()
        .from(rectifications)
        .where(eq(rectifications.findingId, input.findingId))
        .orderBy(asc(rectifications.checkedOn), asc(rectifications.recordedAt));
    }),

  /**
   * Findings of the bureau (default: every bureau in reach) whose rectification deadline has
   * passed without a `rectified` check (superseded results left out), most overdue first, with
   * the last check and whether the unit is already blacklisted.
   */
  overdue: roleProcedure(ROLE_GROUPS.staff)
    .input(z.object({ bureauCode: ZBureauCodeSchema.optional() }).default({}))
    .output(
      z.array(
        z.object({
          finding: rowSchema(findings),
          resultId: z.string(),
          inspectedOn: z.string(),
          taskId: z.string(),
          unitId: z.string(),
          unitName: z.string(),
          unitBlacklisted: z.boolean(),
          unitProposed: z.boolean(),
          bureauCode: z.string(),
          lastCheck: z.object({ outcome: z.string(), checkedOn: z.string() }).nullable(),
          daysOverdue: z.number(),
        }),
      ),
    )
    .query(async ({ ctx, input }) => {
      const today = todayInChina(ctx.now());
      const rows = await ctx.db
        .select({
          finding: findings,
          resultId: results.id,
          inspectedOn: results.inspectedOn,
          taskId: tasks.id,
          unitId: units.id,
          unitName: units.name,
          unitBlacklisted: units.blacklisted,
          /** A listing proceeding of the unit is under way (proposed, reviewed, noticed or decided). */
          unitProposed: sql<boolean>`exists (select 1 from ${blacklistProceedings} b where b.unit_id = ${units.id} and b.kind = 'listing' and b.status in ('proposed', 'reviewed', 'noticed', 'decided'))`,
          bureauCode: plans.bureauCode,
          lastCheck: sql<{ outcome: string; checkedOn: string } | null>`(
            select json_build_object('outcome', r.outcome, 'checkedOn', r.checked_on)
            from ${rectifications} r where r.finding_id = ${findings.id}
            order by r.checked_on desc, r.recorded_at desc limit 1)`,
        })
        .from(findings)
        .innerJoin(results, eq(results.id, findings.resultId))
        .innerJoin(tasks, eq(tasks.id, results.taskId))
        .innerJoin(plans, eq(plans.id, tasks.planId))
        .innerJoin(units, eq(units.id, tasks.unitId))
        .where(and(bureauFilter(ctx.access, plans.bureauCode, input.bureauCode), overdueWhere(today)))
        .orderBy(asc(findings.rectificationDue), asc(findings.id))
        .limit(5000);
      return rows.map((r) => ({
        ...r,
        daysOverdue: Math.round(
          (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${r.finding.rectificationDue}T00:00:00Z`)) /
            86400_000,
        ),
      }));
    }),

  /**
   * Proposes (never decides) the blacklisting of the units of every overdue major-hazard
   * finding of a bureau (R18: rectification overdue), as the daily job
   * `overdue-blacklist-proposals` does, for admins who will not wait for it. Units on the
   * blacklist or with a proceeding under way are left out. All or nothing, audited per proposal.
   */
  blacklistOverdue: roleProcedure(ROLE_GROUPS.admins)
    .input(z.object({ bureauCode: ZBureauCodeSchema }))
    .output(
      z.object({
        proposed: z.array(z.object({ unitId: z.string(), findingId: z.string(), proceedingId: z.string() })),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const role = ctx.access.bureau(input.bureauCode);
      const now = ctx.now();
      const proposed = await ctx.db.transaction((tx) =>
        proposeOverdueListings(tx, {
          bureauCode: input.bureauCode,
          userId: ctx.user.id,
          actorRole: role,
          today: todayInChina(now),
          now,
        }),
      );
      return { proposed };
    }),
});
