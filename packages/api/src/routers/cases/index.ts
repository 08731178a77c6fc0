import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { enforcementCases, enforcementCaseSteps, findings, results, units } from '@spotcheck/db';
import {
  checkDocuments,
  checklistItemOf,
  checkStepDate,
  loadFindingContext,
  ZDocumentsSchema,
} from '../../lib/consequences';
import type { DbOrTx } from '../../lib/db';
import { findingsAwaiting, ZFindingAwaitingSchema } from '../../lib/open-findings';
import { fail, notFound } from '../../lib/errors';
import { bureauFilter, todayInChina } from '../../lib/scope';
import { ZBureauCodeSchema, ZDateSchema, ZIdSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import { rowSchema } from '../../lib/outputs';
import { pageFields, pageOf } from '../../lib/paging';

/** Who runs enforcement cases: the bureau's administrators (law-enforcement staff). */
const CASE_ROLES = ['district-admin', 'city-admin'] as const;

/** Stage order: each step moves exactly one stage on. */
const NEXT_STAGE = { filed: 'investigated', investigated: 'decided', decided: 'closed' } as const;
type Stage = (typeof enforcementCases.$inferSelect)['stage'];

const ZNumberSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');

/** A fine in yuan, as a decimal string with at most two decimals (never a float). */
const ZAmountSchema = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,2})?$/, 'must be an amount in yuan, e.g. 20000 or 20000.50');

/** Input of `cases.file` (立案). */
export const ZCaseFileSchema = z.object({
  findingId: ZIdSchema,
  caseNumber: ZNumberSchema,
  filedOn: ZDateSchema,
  note: z.string().trim().max(2000).default(''),
  documents: ZDocumentsSchema,
});

/** Input of `cases.advance`: the next step of a case, with its own details. */
export const ZCaseAdvanceSchema = z.discriminatedUnion('step', [
  z.object({
    caseId: ZIdSchema,
    step: z.literal('investigated'),
    on: ZDateSchema,
    note: z.string().trim().max(2000).default(''),
    documents: ZDocumentsSchema,
  }),
  z.object({
    caseId: ZIdSchema,
    step: z.literal('decided'),
    on: ZDateSchema,
    decisionNumber: ZNumberSchema,
    penaltyAmount: ZAmountSchema,
    note: z.string().trim().max(2000).default(''),
    documents: ZDocumentsSchema,
  }),
  z.object({
    caseId: ZIdSchema,
    step: z.literal('closed'),
    on: ZDateSchema,
    /** 执行情况: paid in full, performed, or enforced by a court. */
    execution: z.enum(['paid', 'performed', 'court-enforced']),
    note: z.string().trim().max(2000).default(''),
    documents: ZDocumentsSchema,
  }),
]);

/** Input of `cases.correct`: a correction of a recorded step, as a new record. */
export const ZCaseCorrectSchema = z.object({
  caseId: ZIdSchema,
  stepId: z.number().int().positive(),
  reason: z.string().trim().min(2).max(2000),
  caseNumber: ZNumberSchema.optional(),
  decisionNumber: ZNumberSchema.optional(),
  penaltyAmount: ZAmountSchema.optional(),
  documents: ZDocumentsSchema,
});

async function loadCase(db: DbOrTx, caseId: string) {
  const [row] = await db.select().from(enforcementCases).where(eq(enforcementCases.id, caseId));
  if (!row) notFound('caseId', 'enforcement case', caseId);
  return row;
}

/** The date of the step that put a case at its current stage. */
function stageDate(c: typeof enforcementCases.$inferSelect): string {
  return (
    { filed: c.filedOn, investigated: c.investigatedOn, decided: c.decidedOn, closed: c.closedOn }[c.stage] ??
    c.filedOn
  );
}

/** Enforcement cases 行政处罚案件 from findings (R17): 立案 → 调查 → 处罚决定 → 执行/结案. */
export const casesRouter = router({
  /**
   * Files a case 立案 on a finding of the bureau (one case per finding). Audited.
   */
  file: roleProcedure(CASE_ROLES)
    .input(ZCaseFileSchema)
    .output(rowSchema(enforcementCases))
    .mutation(async ({ ctx, input }) => {
      const f = await loadFindingContext(ctx.db, input.findingId, ctx.access);
      ctx.access.bureau(f.bureauCode);
      const now = ctx.now();
      checkStepDate('filedOn', input.filedOn, todayInChina(now), f.result.inspectedOn, 'the inspection');
      await checkDocuments(ctx.db, input.documents, f.bureauCode, ctx.user.id);
      return ctx.db.transaction(async (tx) => {
        const [c] = await tx
          .insert(enforcementCases)
          .values({
            bureauCode: f.bureauCode,
            findingId: f.finding.id,
            unitId: f.task.unitId,
            caseNumber: input.caseNumber,
            stage: 'filed',
            checklistItemCode: f.finding.checklistItemCode,
            filedOn: input.filedOn,
            createdAt: now,
            createdBy: ctx.user.id,
          })
          .returning();
        await tx.insert(enforcementCaseSteps).values({
          bureauCode: c!.bureauCode,
          caseId: c!.id,
          step: 'filed',
          on: input.filedOn,
          note: input.note,
          detail: { caseNumber: input.caseNumber },
          documents: input.documents,
          recordedAt: now,
          recordedBy: ctx.user.id,
        });
        await ctx.audit(tx, {
          bureauCode: f.bureauCode,
          action: 'case.file',
          entity: 'enforcement_cases',
          entityId: c!.id,
          after: { ...c, documents: input.documents },
        });
        return c!;
      });
    }),

  /**
   * Moves a case one stage on (调查终结 → 处罚决定 → 执行/结案), dated no earlier than the last
   * step; no stage is skipped and none is reached twice. The penalty decision takes its legal
   * basis from the finding's checklist item. Conditional write: a racing step loses. Audited.
   */
  advance: roleProcedure(CASE_ROLES)
    .input(ZCaseAdvanceSchema)
    .output(rowSchema(enforcementCases))
    .mutation(async ({ ctx, input }) => {
      const c = await loadCase(ctx.db, input.caseId);
      ctx.access.bureau(c.bureauCode);
      const expected = NEXT_STAGE[c.stage as keyof typeof NEXT_STAGE] as Stage | undefined;
      if (!expected) fail('CONFLICT', 'step', 'case.closed');
      if (input.step !== expected)
        fail('CONFLICT', 'step', 'case.wrongStep', { stage: c.stage, expected, step: input.step });
      const now = ctx.now();
      checkStepDate('on', input.on, todayInChina(now), stageDate(c), `the previous step`);
      await checkDocuments(ctx.db, input.documents, c.bureauCode, ctx.user.id);
      const patch: Partial<typeof enforcementCases.$inferInsert> = { stage: input.step };
      let detail: Record<string, unknown> = {};
      if (input.step === 'investigated') patch.investigatedOn = input.on;
      if (input.step === 'decided') {
        const f = await loadFindingContext(ctx.db, c.findingId, null).catch(() => null);
        const item = await checklistItemOf(ctx.db, c.checklistItemCode, f?.plan.checklistVersionId ?? null);
        if (!item) fail('PRECONDITION_FAILED', 'caseId', 'case.noLegalBasis');
        Object.assign(patch, {
          decidedOn: input.on,
          decisionNumber: input.decisionNumber,
          penaltyAmount: input.penaltyAmount,
          legalBasis: item.legalBasis,
        });
        detail = {
          decisionNumber: input.decisionNumber,
          penaltyAmount: input.penaltyAmount,
          legalBasis: item.legalBasis,
          checklistItem: item.code,
        };
      }
      if (input.step === 'closed') {
        patch.closedOn = input.on;
        detail = { execution: input.execution };
      }
      return ctx.db.transaction(async (tx) => {
        const [moved] = await tx
          .update(enforcementCases)
          .set(patch)
          .where(and(eq(enforcementCases.id, c.id), eq(enforcementCases.stage, c.stage)))
          .returning();
        if (!moved) fail('CONFLICT', 'caseId', 'case.changedMeanwhile');
        await tx.insert(enforcementCaseSteps).values({
          bureauCode: c.bureauCode,
          caseId: c.id,
          step: input.step,
          on: input.on,
          note: input.note,
          detail,
          documents: input.documents,
          recordedAt: now,
          recordedBy: ctx.user.id,
        });
        await ctx.audit(tx, {
          bureauCode: c.bureauCode,
          action: `case.${input.step}`,
          entity: 'enforcement_cases',
          entityId: c.id,
          before: { stage: c.stage },
          after: { stage: input.step, on: input.on, ...detail, documents: input.documents },
        });
        return moved;
      });
    }),

  /**
   * Corrects a recorded step (a wrong number or amount) by a new `correction` record naming the
   * step and the reason; the old step stays as it was. Audited.
   */
  correct: roleProcedure(CASE_ROLES)
    .input(ZCaseCorrectSchema)
    .mutation(async ({ ctx, input }) => {
      const c = await loadCase(ctx.db, input.caseId);
      ctx.access.bureau(c.bureauCode);
      const [step] = await ctx.db
        .select()
        .from(enforcementCaseSteps)
        .where(and(eq(enforcementCaseSteps.id, input.stepId), eq(enforcementCaseSteps.caseId, c.id)));
      if (!step) notFound('stepId', 'step of this case', String(input.stepId));
      const patch: Partial<typeof enforcementCases.$inferInsert> = {};
      if (input.caseNumber !== undefined) {
        if (step.step !== 'filed') fail('BAD_REQUEST', 'caseNumber', 'case.caseNumberOnFiled');
        patch.caseNumber = input.caseNumber;
      }
      if (input.decisionNumber !== undefined || input.penaltyAmount !== undefined) {
        if (step.step !== 'decided') fail('BAD_REQUEST', 'decisionNumber', 'case.decisionNumberOnDecision');
        if (input.decisionNumber !== undefined) patch.decisionNumber = input.decisionNumber;
        if (input.penaltyAmount !== undefined) patch.penaltyAmount = input.penaltyAmount;
      }
      if (!Object.keys(patch).length && !input.documents.length)
        fail('BAD_REQUEST', 'input', 'case.emptyCorrection');
      await checkDocuments(ctx.db, input.documents, c.bureauCode, ctx.user.id);
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        const [row] = Object.keys(patch).length
          ? await tx.update(enforcementCases).set(patch).where(eq(enforcementCases.id, c.id)).returning()
          : [c];
        await tx.insert(enforcementCaseSteps).values({
          bureauCode: c.bureauCode,
          caseId: c.id,
          step: 'correction',
          on: todayInChina(now),
          note: input.reason,
          detail: patch,
          documents: input.documents,
          correctsStepId: step.id,
          recordedAt: now,
          recordedBy: ctx.user.id,
        });
        await ctx.audit(tx, {
          bureauCode: c.bureauCode,
          action: 'case.correct',
          entity: 'enforcement_cases',
          entityId: c.id,
          before: Object.fromEntries(Object.keys(patch).map((k) => [k, c[k as keyof typeof c]])),
          after: { ...patch, stepId: step.id, reason: input.reason, documents: input.documents },
        });
        return row!;
      });
    }),

  /**
   * Cases of the bureau (default: every bureau in reach), newest first, with the unit's name: the
   * page at `offset` of at most `limit`, and how many there are.
   */
  list: roleProcedure(ROLE_GROUPS.staff)
    .input(
      z
        .object({
          bureauCode: ZBureauCodeSchema.optional(),
          stage: z.enum(['filed', 'investigated', 'decided', 'closed']).optional(),
          ...pageFields(),
        })
        .default({ limit: 100, offset: 0 }),
    )
    .output(pageOf(z.object({ case: rowSchema(enforcementCases), unitName: z.string() })))
    .query(async ({ ctx, input }) => {
      const matching = and(
        bureauFilter(ctx.access, enforcementCases.bureauCode, input.bureauCode),
        input.stage ? eq(enforcementCases.stage, input.stage) : undefined,
      );
      const [rows, total] = await Promise.all([
        ctx.db
          .select({ case: enforcementCases, unitName: units.name })
          .from(enforcementCases)
          .innerJoin(units, eq(units.id, enforcementCases.unitId))
          .where(matching)
          .orderBy(
            desc(enforcementCases.filedOn),
            desc(enforcementCases.createdAt),
            desc(enforcementCases.id),
          )
          .limit(input.limit)
          .offset(input.offset),
        ctx.db.$count(enforcementCases, matching),
      ]);
      return { rows, total };
    }),

  /**
   * Findings of the bureau without a case (superseded results left out), violations first:
   * what awaits 立案.
   */
  candidates: roleProcedure(ROLE_GROUPS.staff)
    .input(
      z
        .object({ bureauCode: ZBureauCodeSchema.optional(), ...pageFields() })
        .default({ limit: 100, offset: 0 }),
    )
    .output(pageOf(ZFindingAwaitingSchema))
    .query(({ ctx, input }) =>
      findingsAwaiting(
        ctx.db,
        ctx.access,
        input.bureauCode,
        [sql`not exists (select 1 from ${enforcementCases} c where c.finding_id = ${findings.id})`],
        [sql`${findings.kind} <> 'violation'`, asc(results.inspectedOn)],
        input,
      ),
    ),

  /** One case with its steps, oldest first. */
  get: roleProcedure(ROLE_GROUPS.staff)
    .input(z.object({ caseId: ZIdSchema }))
    .output(
      rowSchema(enforcementCases).extend({
        unitName: z.string(),
        steps: z.array(rowSchema(enforcementCaseSteps)),
      }),
    )
    .query(async ({ ctx, input }) => {
      const c = await loadCase(ctx.db, input.caseId);
      ctx.access.bureau(c.bureauCode);
      const steps = await ctx.db
        .select()
        .from(enforcementCaseSteps)
        .where(eq(enforcementCaseSteps.caseId, c.id))
        .orderBy(asc(enforcementCaseSteps.id));
      const [unit] = await ctx.db.select({ name: units.name }).from(units).where(eq(units.id, c.unitId));
      return { ...c, unitName: unit?.name ?? '', steps };
    }),
});
