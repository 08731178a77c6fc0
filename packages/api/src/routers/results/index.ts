import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { draws, findings, plans, results, tasks, unitFacts, units } from '@spotcheck/db';
import { publishDraw } from '../../lib/bundle';
import { fail, notFound } from '../../lib/errors';
import { evidencePath, usableEvidence, ZEvidenceSchema, type TEvidence } from '../../lib/evidence';
import { REDACTION_REASONS, redactableFields } from '../../lib/redact';
import { bureauFilter, todayInChina } from '../../lib/scope';
import { teamVisibility } from '../../lib/team-scope';
import { ZBureauCodeSchema, ZDateSchema, ZIdSchema } from '../../lib/zod';
import type { SessionUser } from '../../auth/sessions';
import { accessFor, ROLE_GROUPS, roleProcedure, router, type Context } from '../../trpc';
import { loadTask } from '../../lib/tasks';
import { drawHeaderColumns } from '../../lib/workflow';
import { rowSchema } from '../../lib/outputs';
import { pageFields, pageOf } from '../../lib/paging';

/** One finding of a result. */
export const ZFindingSchema = z.object({
  /** R1: every finding cites an item of the task's effective checklist. */
  checklistItemCode: z.string().trim().min(1, 'cite the checklist item this finding falls under').max(64),
  kind: z.enum(['violation', 'hazard', 'major-hazard']),
  description: z.string().trim().min(2).max(2000),
  enforcementAction: z.string().max(200).nullish(),
  rectificationDue: ZDateSchema.nullish(),
  /** Files uploaded first through `POST /upload/evidence` (its response, as is). */
  evidence: z.array(ZEvidenceSchema).max(50).default([]),
});

/** Input of `results.record`. */
export const ZRecordResultSchema = z
  .object({
    taskId: ZIdSchema,
    outcome: z.enum(['compliant', 'violations', 'closed-or-absent']),
    summary: z.string().max(5000).default(''),
    inspectedOn: ZDateSchema,
    findings: z.array(ZFindingSchema).max(200).default([]),
    /** A correction names the result it supersedes, with a reason. */
    supersedesId: ZIdSchema.optional(),
    correctionReason: z.string().trim().min(4).max(2000).optional(),
    /**
     * R16: fields of this result withheld from the public column, each with a reason category;
     * fixed with the result (a correction states them anew).
     */
    redactions: z
      .array(
        z.object({
          field: z.enum(redactableFields('result') as [string, ...string[]]),
          reason: z.enum(REDACTION_REASONS),
          note: z.string().trim().max(500).nullish(),
        }),
      )
      .max(10)
      .default([]),
  })
  .refine((r) => new Set(r.redactions.map((x) => x.field)).size === r.redactions.length, {
    message: 'name each withheld field once',
    path: ['redactions'],
  })
  .refine((r) => r.outcome !== 'violations' || r.findings.length > 0, {
    message: 'list the violations found',
    path: ['findings'],
  })
  .refine((r) => !r.supersedesId === !r.correctionReason, {
    message: 'a correction needs both supersedesId and correctionReason',
    path: ['correctionReason'],
  });

/** Inspection results 检查结果 (R17): never edited; a correction is a new result naming the old one. */
export const resultsRouter = router({
  /**
   * Results of the bureaus in reach, with findings, newest first and a page at a time: `rows` is
   * the page (at `offset`, at most `limit`), `total` counts every matching result (a district
   * records 10^4 a year: none is left out without saying so). `superseded` says a later result
   * corrects the row. An inspector sees the results of their own team's tasks only.
   */
  list: roleProcedure(ROLE_GROUPS.all)
    .input(
      z
        .object({
          bureauCode: ZBureauCodeSchema.optional(),
          planId: ZIdSchema.optional(),
          taskId: ZIdSchema.optional(),
          ...pageFields(),
        })
        .default({ limit: 100, offset: 0 }),
    )
    .output(
      pageOf(
        z.object({
          result: rowSchema(results),
          unitId: z.string(),
          /** The unit's name (null when it is no longer on the roster). */
          unitName: z.string().nullable(),
          planId: z.string(),
          bureauCode: z.string(),
          /** A later result of the task names this one as the one it corrects. */
          superseded: z.boolean(),
          findings: z.array(rowSchema(findings)),
        }),
      ),
    )
    .query(async ({ ctx, input }) => {
      const matching = and(
        bureauFilter(ctx.access, plans.bureauCode, input.bureauCode),
        input.planId ? eq(tasks.planId, input.planId) : undefined,
        input.taskId ? eq(tasks.id, input.taskId) : undefined,
        teamVisibility(ctx.user, plans.bureauCode, tasks.team),
      );
      const [rows, [count]] = await Promise.all([
        ctx.db
          .select({
            result: results,
            unitId: tasks.unitId,
            unitName: units.name,
            planId: tasks.planId,
            bureauCode: plans.bureauCode,
            // A correction is of the same task: found through the task's index.
            superseded: sql<boolean>`exists (select 1 from ${results} as later
              where later.task_id = ${results.taskId} and later.supersedes_id = ${results.id})`,
          })
          .from(results)
          .innerJoin(tasks, eq(tasks.id, results.taskId))
          .innerJoin(plans, eq(plans.id, tasks.planId))
          .leftJoin(units, eq(units.id, tasks.unitId))
          .where(matching)
          .orderBy(desc(results.recordedAt), desc(results.id))
          .limit(input.limit)
          .offset(input.offset),
        ctx.db
          .select({ n: sql<number>`count(*)::int` })
          .from(results)
          .innerJoin(tasks, eq(tasks.id, results.taskId))
          .innerJoin(plans, eq(plans.id, tasks.planId))
          .where(matching),
      ]);
      const ids = rows.map((r) => r.result.id);
      const f = ids.length ? await ctx.db.select().from(findings).where(inArray(findings.resultId, ids)) : [];
      return {
        rows: rows.map((r) => ({ ...r, findings: f.filter((x) => x.resultId === r.result.id) })),
        total: count!.n,
      };
    }),

  /**
   * Records what the team found (a team member, or an admin of the bureau). Major hazards mark
   * the unit for listed supervision (R17); the task is done; a covert plan's draw is published
   * once all its tasks are executed (R10).
   */
  record: roleProcedure(['inspector', 'district-admin', 'city-admin'])
    .input(ZRecordResultSchema)
    .output(rowSchema(results))
    .mutation(async ({ ctx, input }) => {
      const { task, bureauCode } = await loadTask(ctx.db, input.taskId, ctx.access, ctx.user);
      const role = ctx.access.bureau(bureauCode);
      if (role === 'inspector' && (!ctx.user.inspectorId || !task.team.includes(ctx.user.inspectorId)))
        fail('FORBIDDEN', 'taskId', 'result.onlyTeam');
      if (task.status === 'cancelled') fail('CONFLICT', 'taskId', 'result.taskCancelled');
      // B3: an inspection is carried out by a team of at least two; nobody, no result.
      if (task.team.length < 2)
        fail('PRECONDITION_FAILED', 'taskId', 'result.teamTooSmall', { teamSize: task.team.length });
      // R1: findings cite the task's own checklist items (its effective checklist).
      for (const [i, f] of input.findings.entries())
        if (!task.checklistItemCodes.includes(f.checklistItemCode))
          fail('BAD_REQUEST', `findings.${i}.checklistItemCode`, 'result.itemNotOnChecklist', {
            checklistItemCode: f.checklistItemCode,
            allowed: task.checklistItemCodes.join(', ') || 'none',
          });
      if (input.supersedesId) {
        const old = await ctx.db.query.results.findFirst({
          where: (r, { eq }) => eq(r.id, input.supersedesId!),
        });
        if (!old || old.taskId !== task.id) fail('BAD_REQUEST', 'supersedesId', 'result.supersedesOtherTask');
      } else if (task.status === 'done') fail('CONFLICT', 'taskId', 'result.alreadyRecorded');
      // Only files uploaded in this bureau (or by the recorder) may be named; another bureau's
      // file answers exactly like a file never uploaded, so a SHA-256 reveals nothing.
      const usable = await usableEvidence(
        ctx.db,
        input.findings.flatMap((f) => f.evidence.map((e) => e.sha256)),
        bureauCode,
        ctx.user.id,
      );
      for (const [i, f] of input.findings.entries())
        for (const [k, e] of f.evidence.entries()) {
          if (usable.get(e.sha256) !== e.size)
            fail('BAD_REQUEST', `findings.${i}.evidence.${k}.sha256`, 'evidence.notUploaded');
        }
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        const [result] = await tx
          .insert(results)
          .values({
            bureauCode: task.bureauCode,
            taskId: task.id,
            outcome: input.outcome,
            summary: input.summary,
            inspectedOn: input.inspectedOn,
            supersedesId: input.supersedesId ?? null,
            correctionReason: input.correctionReason ?? null,
            redactions: input.redactions,
            recordedAt: now,
            recordedBy: ctx.user.id,
          })
          .returning();
        if (input.findings.length)
          await tx
            .insert(findings)
            .values(
              input.findings.map((f) => ({ ...f, bureauCode: result!.bureauCode, resultId: result!.id })),
            );
        // Conditional write: the task must still be open (or, for a correction, done), and not
        // cancelled meanwhile; with the unique index on originals, racing records yield one.
        const moved = await tx
          .update(tasks)
          .set({ status: 'done', executedAt: task.executedAt ?? now })
          .where(
            and(
              eq(tasks.id, task.id),
              inArray(tasks.status, input.supersedesId ? ['done'] : ['issued', 'in-progress']),
            ),
          )
          .returning({ id: tasks.id });
        if (!moved.length) fail('CONFLICT', 'taskId', 'result.taskChanged');
        const majorHazard = input.findings.some((f) => f.kind === 'major-hazard');
        // The unit's bureau now (its facts go there), which is not the task's for a city-wide plan
        // or a unit moved since the draw.
        const [unit] = await tx
          .update(units)
          .set({
            lastInspectedOn: input.inspectedOn,
            updatedAt: now,
            ...(majorHazard ? { majorHazard } : {}),
          })
          .where(eq(units.id, task.unitId))
          .returning({ bureauCode: units.bureauCode });
        if (majorHazard)
          await tx.insert(unitFacts).values({
            bureauCode: unit!.bureauCode,
            unitId: task.unitId,
            kind: 'major-hazard',
            value: { active: true, result: result!.id, listedSupervision: true },
            effectiveOn: input.inspectedOn,
            source: `result:${result!.id}`,
            recordedBy: ctx.user.id,
          });
        if (task.sealed) {
          const [open] = await tx
            .select({ n: sql<number>`count(*)::int` })
            .from(tasks)
            .where(and(eq(tasks.drawId, task.drawId), inArray(tasks.status, ['issued', 'in-progress'])));
          if (open!.n === 0) {
            const [draw] = await tx.select(drawHeaderColumns).from(draws).where(eq(draws.id, task.drawId));
            const plan = (await tx.select().from(plans).where(eq(plans.id, task.planId)))[0]!;
            if (draw!.status === 'signed') await publishDraw(tx, plan, draw!, ctx.user.id, now);
          }
        }
        await ctx.audit(tx, {
          bureauCode,
          action: input.supersedesId ? 'result.correct' : 'result.record',
          entity: 'results',
          entityId: result!.id,
          after: { ...result, findings: input.findings },
        });
        return result!;
      });
    }),

  /** One result with its findings. */
  get: roleProcedure(ROLE_GROUPS.all)
    .input(z.object({ resultId: ZIdSchema }))
    .query(async ({ ctx, input }) => {
      const result = await ctx.db.query.results.findFirst({ where: (r, { eq }) => eq(r.id, input.resultId) });
      if (!result) notFound('resultId', 'result', input.resultId);
      await loadTask(ctx.db, result.taskId, ctx.access, ctx.user);
      return {
        ...result,
        findings: await ctx.db.select().from(findings).where(eq(findings.resultId, result.id)),
        today: todayInChina(ctx.now()),
      };
    }),
});

/**
 * An evidence file of a result for download, if the user may see the result (same rules as
 * `results.get`: bureau, team, covert sealing) and one of its findings names the file.
 */
export async function evidenceForDownload(
  ctx: { db: Context['db']; user: SessionUser; evidenceDir: string },
  resultId: string,
  sha256: string,
): Promise<TEvidence & { path: string }> {
  const access = accessFor(ctx.user, ROLE_GROUPS.all);
  const result = await ctx.db.query.results.findFirst({ where: (r, { eq }) => eq(r.id, resultId) });
  if (!result) notFound('resultId', 'result', resultId);
  await loadTask(ctx.db, result.taskId, access, ctx.user);
  const rows = await ctx.db.select().from(findings).where(eq(findings.resultId, result.id));
  const file = rows.flatMap((f) => f.evidence as TEvidence[]).find((e) => e.sha256 === sha256);
  if (!file) notFound('sha256', 'evidence file of this result', sha256);
  return { ...file, path: evidencePath(ctx.evidenceDir, sha256) };
}
