import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { findings, plans, rectifications, results, tasks, unitFacts, units } from '@spotcheck/db';
import { blacklistUnit, type BlacklistReason } from '../../lib/blacklist';
import type { DbOrTx } from '../../lib/db';
import { fail, notFound } from '../../lib/errors';
import { bureauFilter, todayInChina } from '../../lib/scope';
import { ZBureauCodeSchema, ZDateSchema, ZIdSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router, type Access } from '../../trpc';
import type { SessionUser } from '../../auth/sessions';
import { loadTask } from '../tasks';

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

/** Findings whose rectification is due before `today` and has no `rectified` check. */
function overdueWhere(today: string) {
  return and(
    lt(findings.rectificationDue, today),
    sql`not exists (select 1 from ${rectifications} r where r.finding_id = ${findings.id} and r.outcome = 'rectified')`,
    sql`not exists (select 1 from ${results} s where s.supersedes_id = ${results.id})`,
  );
}

/** Rectification 整改复查 of findings and its consequences (R17–R18). */
export const rectificationsRouter = router({
  /**
   * Records a follow-up check of a finding (a member of the task's team, or an admin of the
   * bureau). Consequences, in the same transaction and audited:
   * - `rectified` on a major hazard ends the listed supervision 挂牌督办: the result's
   *   'major-hazard' fact is closed (`endedOn`) and the unit's `majorHazard` flag cleared when no
   *   other major-hazard fact of the unit remains open (R17);
   * - `concealed` (any finding), or `inadequate` on a major hazard, puts the unit on the
   *   blacklist with a public `blacklist` notice (R18), which the next draws read (R19).
   */
  record: roleProcedure(['inspector', 'district-admin', 'city-admin'])
    .input(ZRectificationSchema)
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
        fail('FORBIDDEN', 'findingId', 'only a member of the team records its follow-up checks');
      const correction = await ctx.db.query.results.findFirst({
        where: (r, { eq }) => eq(r.supersedesId, result.id),
      });
      if (correction)
        fail(
          'CONFLICT',
          'findingId',
          `the result was corrected (${correction.id}): record checks on the correction's findings`,
        );
      const now = ctx.now();
      const today = todayInChina(now);
      if (input.checkedOn > today) fail('BAD_REQUEST', 'checkedOn', 'cannot be in the future');
      if (input.checkedOn < result.inspectedOn)
        fail('BAD_REQUEST', 'checkedOn', `is before the inspection (${result.inspectedOn})`);
      return ctx.db.transaction(async (tx) => {
        const [done] = await tx
          .select({ id: rectifications.id })
          .from(rectifications)
          .where(and(eq(rectifications.findingId, finding.id), eq(rectifications.outcome, 'rectified')))
          .limit(1);
        if (done) fail('CONFLICT', 'findingId', 'the finding is already rectified');
        const [row] = await tx
          .insert(rectifications)
          .values({
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
          await tx
            .update(unitFacts)
            .set({ endedOn: input.checkedOn })
            .where(
              and(
                eq(unitFacts.unitId, task.unitId),
                eq(unitFacts.kind, 'major-hazard'),
                eq(unitFacts.source, `result:${result.id}`),
                isNull(unitFacts.endedOn),
              ),
            );
          const [open] = await tx
            .select({ n: sql<number>`count(*)::int` })
            .from(unitFacts)
            .where(
              and(
                eq(unitFacts.unitId, task.unitId),
                eq(unitFacts.kind, 'major-hazard'),
                isNull(unitFacts.endedOn),
                sql`coalesce((${unitFacts.value}->>'active')::boolean, true)`,
              ),
            );
          if (open!.n === 0) {
            await tx
              .update(units)
              .set({ majorHazard: false, updatedAt: now })
              .where(eq(units.id, task.unitId));
            supervisionEnded = true;
          }
        }
        const reason: BlacklistReason | null =
          input.outcome === 'concealed'
            ? 'concealed'
            : major && input.outcome === 'inadequate'
              ? 'inadequate'
              : null;
        const notice = reason
          ? await blacklistUnit(tx, {
              unitId: task.unitId,
              reason,
              finding,
              userId: ctx.user.id,
              today,
              now,
            })
          : null;
        if (notice)
          await ctx.audit(tx, {
            bureauCode,
            action: 'unit.blacklist',
            entity: 'units',
            entityId: task.unitId,
            before: { blacklisted: false },
            after: { blacklisted: true, reason, findingId: finding.id, publicationId: notice.id },
          });
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
            blacklisted: notice ? { reason, publicationId: notice.id } : null,
          },
        });
        return { ...row!, supervisionEnded, blacklistPublicationId: notice?.id ?? null };
      });
    }),

  /** Follow-up checks of a finding, oldest first (same visibility as its task). */
  list: roleProcedure(ROLE_GROUPS.all)
    .input(z.object({ findingId: ZIdSchema }))
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
   * Blacklists the units of every overdue major-hazard finding of a bureau (R18: rectification
   * overdue), with a public notice each (admins of the bureau). Units already on the blacklist
   * are left as they are. All or nothing, audited per unit.
   */
  blacklistOverdue: roleProcedure(ROLE_GROUPS.admins)
    .input(z.object({ bureauCode: ZBureauCodeSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.access.bureau(input.bureauCode);
      const now = ctx.now();
      const today = todayInChina(now);
      return ctx.db.transaction(async (tx) => {
        const rows = await tx
          .select({ finding: findings, unitId: tasks.unitId })
          .from(findings)
          .innerJoin(results, eq(results.id, findings.resultId))
          .innerJoin(tasks, eq(tasks.id, results.taskId))
          .innerJoin(plans, eq(plans.id, tasks.planId))
          .innerJoin(units, eq(units.id, tasks.unitId))
          .where(
            and(
              eq(plans.bureauCode, input.bureauCode),
              eq(findings.kind, 'major-hazard'),
              eq(units.blacklisted, false),
              overdueWhere(today),
            ),
          )
          .orderBy(asc(findings.rectificationDue), asc(findings.id));
        const blacklisted: { unitId: string; findingId: string; publicationId: string }[] = [];
        for (const r of rows) {
          const notice = await blacklistUnit(tx, {
            unitId: r.unitId,
            reason: 'overdue',
            finding: r.finding,
            userId: ctx.user.id,
            today,
            now,
          });
          if (!notice) continue;
          blacklisted.push({ unitId: r.unitId, findingId: r.finding.id, publicationId: notice.id });
          await ctx.audit(tx, {
            bureauCode: input.bureauCode,
            action: 'unit.blacklist',
            entity: 'units',
            entityId: r.unitId,
            before: { blacklisted: false },
            after: {
              blacklisted: true,
              reason: 'overdue',
              findingId: r.finding.id,
              publicationId: notice.id,
            },
          });
        }
        return { blacklisted };
      });
    }),
});
