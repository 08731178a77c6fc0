import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { bureaus, findings, results, supervisionEvents, supervisions, units } from '@spotcheck/db';
import { checkDocuments, checklistItemOf, checkStepDate, loadFindingContext } from '../../lib/consequences';
import type { DbOrTx } from '../../lib/db';
import { findingsAwaiting, ZFindingAwaitingSchema } from '../../lib/open-findings';
import { fail, notFound } from '../../lib/errors';
import { ZEvidenceSchema } from '../../lib/evidence';
import { publish } from '../../lib/publish';
import { publicFields, redactableFields, redactUnit, REDACTION_REASONS } from '../../lib/redact';
import { bureauFilter, todayInChina } from '../../lib/scope';
import { endMajorHazard } from '../../lib/supervision';
import { ZBureauCodeSchema, ZDateSchema, ZIdSchema } from '../../lib/zod';
import { CITY_BUREAU, ROLE_GROUPS, roleProcedure, router, type Access } from '../../trpc';
import { rowSchema } from '../../lib/outputs';
import { pageFields, pageOf } from '../../lib/paging';

/** Who lists, receives evidence and reviews: administrators of the supervising bureau. */
const SUPERVISOR_ROLES = ['district-admin', 'city-admin'] as const;
/** Who approves 销号: an approver or administrator of the supervising bureau, not the proposer. */
const CLOSE_ROLES = ['approver', 'district-admin', 'city-admin'] as const;

/** Input of `supervisions.open` (挂牌). */
export const ZSupervisionOpenSchema = z
  .object({
    findingId: ZIdSchema,
    /** 督办单位: the finding's own bureau (default) or the city. */
    supervisingBureauCode: ZBureauCodeSchema.optional(),
    listingNumber: z.string().trim().min(1).max(64),
    listedOn: ZDateSchema,
    deadline: ZDateSchema,
    /** R16: withhold the hazard's wording from the public listing, with a reason category. */
    redactions: z
      .array(
        z.object({
          field: z.enum(redactableFields('supervision') as [string, ...string[]]),
          reason: z.enum(REDACTION_REASONS),
        }),
      )
      .max(3)
      .default([]),
  })
  .refine((s) => s.deadline > s.listedOn, { message: 'must be after listedOn', path: ['deadline'] });

async function loadSupervision(db: DbOrTx, id: string) {
  const [row] = await db.select().from(supervisions).where(eq(supervisions.id, id));
  if (!row) notFound('supervisionId', 'supervision', id);
  return row;
}

/** The supervising bureau acts; the finding's bureau may read. */
function supervisorOf(access: Access, s: { supervisingBureauCode: string }) {
  return access.bureau(s.supervisingBureauCode);
}

/** Date of the newest event of a supervision. */
async function lastEventOn(db: DbOrTx, id: string): Promise<string> {
  const [e] = await db
    .select({ on: supervisionEvents.on })
    .from(supervisionEvents)
    .where(eq(supervisionEvents.supervisionId, id))
    .orderBy(desc(supervisionEvents.on))
    .limit(1);
  return e!.on;
}

/** Namespace of the advisory locks on listing numbers (`pg_advisory_xact_lock(int, int)`). */
const LISTING_NUMBER_LOCK = 0x5355_5056;

/**
 * 督办编号 is unique within the supervising bureau. The unique key holds it within the finding's
 * bureau only (a distributed table's keys include bureau_code), and the city supervises hazards
 * of every district: so the number is checked here, under a lock on it until the transaction ends.
 * Refuses as the key does (`supervisions_number`).
 */
async function checkListingNumber(tx: DbOrTx, supervisingBureauCode: string, listingNumber: string) {
  await tx.execute(
    sql`select pg_advisory_xact_lock(${LISTING_NUMBER_LOCK}, hashtext(${`${supervisingBureauCode}/${listingNumber}`}))`,
  );
  const [taken] = await tx
    .select({ id: supervisions.id })
    .from(supervisions)
    .where(
      and(
        eq(supervisions.supervisingBureauCode, supervisingBureauCode),
        eq(supervisions.listingNumber, listingNumber),
      ),
    )
    .limit(1);
  if (taken)
    fail('CONFLICT', 'supervisions_number', 'db.duplicate', {
      detail: `Key (supervising_bureau_code, listing_number)=(${supervisingBureauCode}, ${listingNumber}) already exists.`,
    });
}

/** Moves a supervision from one status to another, or fails when it changed meanwhile. */
async function move(
  tx: DbOrTx,
  id: string,
  from: (typeof supervisions.$inferSelect)['status'],
  patch: Partial<typeof supervisions.$inferInsert>,
) {
  const [row] = await tx
    .update(supervisions)
    .set(patch)
    .where(and(eq(supervisions.id, id), eq(supervisions.status, from)))
    .returning();
  if (!row) fail('CONFLICT', 'supervisionId', 'supervision.changedMeanwhile');
  return row;
}

/** Listed supervision 挂牌督办 of major hazards (R17). */
export const supervisionsRouter = router({
  /**
   * Lists a major hazard for supervision 挂牌: supervising bureau (the finding's own or the
   * city), number, deadline; publishes the listing in the public column (unit identity and
   * sector, hazard by checklist item unless withheld, R16). One listing per finding. Audited.
   */
  open: roleProcedure(SUPERVISOR_ROLES)
    .input(ZSupervisionOpenSchema)
    .output(rowSchema(supervisions))
    .mutation(async ({ ctx, input }) => {
      const f = await loadFindingContext(ctx.db, input.findingId, ctx.access);
      ctx.access.bureau(f.bureauCode);
      const supervising = input.supervisingBureauCode ?? f.bureauCode;
      if (supervising !== f.bureauCode && supervising !== CITY_BUREAU)
        fail('BAD_REQUEST', 'supervisingBureauCode', 'supervision.bureau');
      ctx.access.bureau(supervising);
      if (f.finding.kind !== 'major-hazard')
        fail('BAD_REQUEST', 'findingId', 'supervision.notMajorHazard', { kind: f.finding.kind });
      const now = ctx.now();
      checkStepDate('listedOn', input.listedOn, todayInChina(now), f.result.inspectedOn, 'the inspection');
      const [unit] = await ctx.db.select().from(units).where(eq(units.id, f.task.unitId));
      const [bureau] = await ctx.db.select().from(bureaus).where(eq(bureaus.code, supervising));
      const item = await checklistItemOf(ctx.db, f.finding.checklistItemCode, f.plan.checklistVersionId);
      return ctx.db.transaction(async (tx) => {
        await checkListingNumber(tx, supervising, input.listingNumber);
        const [s] = await tx
          .insert(supervisions)
          .values({
            bureauCode: f.bureauCode,
            supervisingBureauCode: supervising,
            findingId: f.finding.id,
            unitId: f.task.unitId,
            listingNumber: input.listingNumber,
            status: 'listed',
            listedOn: input.listedOn,
            deadline: input.deadline,
            createdAt: now,
            createdBy: ctx.user.id,
          })
          .returning();
        const content = publicFields(
          'supervision',
          {
            unit: redactUnit(unit!),
            listingNumber: input.listingNumber,
            supervisingBureau: { code: supervising, name: bureau?.name ?? supervising },
            listedOn: input.listedOn,
            deadline: input.deadline,
            hazard: item ? { code: item.code, title: item.title } : { code: null, title: '重大事故隐患' },
            description: f.finding.description,
          },
          input.redactions,
        );
        const pub = await publish(tx, {
          bureauCode: supervising,
          kind: 'supervision',
          refId: s!.id,
          title: `重大事故隐患挂牌督办：${unit!.name}（${input.listingNumber}）`,
          content,
          by: ctx.user.id,
          at: now,
        });
        const [row] = await tx
          .update(supervisions)
          .set({ listingPublicationId: pub.id })
          .where(eq(supervisions.id, s!.id))
          .returning();
        await tx.insert(supervisionEvents).values({
          bureauCode: s!.bureauCode,
          supervisionId: s!.id,
          kind: 'listed',
          on: input.listedOn,
          detail: { deadline: input.deadline, publicationId: pub.id, redactions: input.redactions },
          recordedAt: now,
          recordedBy: ctx.user.id,
        });
        await ctx.audit(tx, {
          bureauCode: f.bureauCode,
          action: 'supervision.open',
          entity: 'supervisions',
          entityId: s!.id,
          after: { ...row, publicationId: pub.id },
        });
        return row!;
      });
    }),

  /** Records the unit's rectification evidence 整改材料 (at least one document). Audited. */
  submitEvidence: roleProcedure(SUPERVISOR_ROLES)
    .input(
      z.object({
        supervisionId: ZIdSchema,
        on: ZDateSchema,
        note: z.string().trim().max(2000).default(''),
        documents: z.array(ZEvidenceSchema).min(1, 'at least one document').max(20),
      }),
    )
    .output(rowSchema(supervisions))
    .mutation(async ({ ctx, input }) => {
      const s = await loadSupervision(ctx.db, input.supervisionId);
      supervisorOf(ctx.access, s);
      if (s.status !== 'listed')
        fail('CONFLICT', 'supervisionId', 'supervision.notListed', { status: s.status });
      const now = ctx.now();
      checkStepDate('on', input.on, todayInChina(now), await lastEventOn(ctx.db, s.id), 'the last step');
      await checkDocuments(ctx.db, input.documents, s.bureauCode, ctx.user.id);
      return ctx.db.transaction(async (tx) => {
        const row = await move(tx, s.id, 'listed', { status: 'evidence-submitted' });
        await tx.insert(supervisionEvents).values({
          bureauCode: s.bureauCode,
          supervisionId: s.id,
          kind: 'evidence',
          on: input.on,
          note: input.note,
          documents: input.documents,
          recordedAt: now,
          recordedBy: ctx.user.id,
        });
        await ctx.audit(tx, {
          bureauCode: s.bureauCode,
          action: 'supervision.evidence',
          entity: 'supervisions',
          entityId: s.id,
          before: { status: s.status },
          after: { status: row.status, on: input.on, documents: input.documents },
        });
        return row;
      });
    }),

  /**
   * Reviews the evidence 审核: passed proposes 销号 (the reviewer is the proposer); not passed
   * returns the listing to await new evidence. Audited.
   */
  review: roleProcedure(SUPERVISOR_ROLES)
    .input(
      z.object({
        supervisionId: ZIdSchema,
        on: ZDateSchema,
        passed: z.boolean(),
        note: z.string().trim().min(2, 'state the review’s reasons').max(2000),
      }),
    )
    .output(rowSchema(supervisions))
    .mutation(async ({ ctx, input }) => {
      const s = await loadSupervision(ctx.db, input.supervisionId);
      supervisorOf(ctx.access, s);
      if (s.status !== 'evidence-submitted')
        fail('CONFLICT', 'supervisionId', 'supervision.notSubmitted', { status: s.status });
      const now = ctx.now();
      checkStepDate('on', input.on, todayInChina(now), await lastEventOn(ctx.db, s.id), 'the last step');
      return ctx.db.transaction(async (tx) => {
        const row = await move(
          tx,
          s.id,
          'evidence-submitted',
          input.passed ? { status: 'close-proposed', closeProposedBy: ctx.user.id } : { status: 'listed' },
        );
        await tx.insert(supervisionEvents).values({
          bureauCode: s.bureauCode,
          supervisionId: s.id,
          kind: 'review',
          on: input.on,
          note: input.note,
          detail: { passed: input.passed },
          recordedAt: now,
          recordedBy: ctx.user.id,
        });
        await ctx.audit(tx, {
          bureauCode: s.bureauCode,
          action: 'supervision.review',
          entity: 'supervisions',
          entityId: s.id,
          before: { status: s.status },
          after: { status: row.status, passed: input.passed, note: input.note },
        });
        return row;
      });
    }),

  /**
   * Approves (销号) or rejects the closing of a supervision: a second person of the supervising
   * bureau, never the one who proposed it. 销号 ends the major hazard (fact closed, unit flag
   * cleared when no other stays open) and publishes the closing, replacing the listing. Audited.
   */
  decideClose: roleProcedure(CLOSE_ROLES)
    .input(
      z.object({
        supervisionId: ZIdSchema,
        on: ZDateSchema,
        approve: z.boolean(),
        note: z.string().trim().max(2000).default(''),
      }),
    )
    .output(rowSchema(supervisions))
    .mutation(async ({ ctx, input }) => {
      const s = await loadSupervision(ctx.db, input.supervisionId);
      supervisorOf(ctx.access, s);
      if (s.status !== 'close-proposed')
        fail('CONFLICT', 'supervisionId', 'supervision.notPassed', { status: s.status });
      if (s.closeProposedBy === ctx.user.id) fail('FORBIDDEN', 'supervisionId', 'supervision.selfClose');
      const now = ctx.now();
      checkStepDate('on', input.on, todayInChina(now), await lastEventOn(ctx.db, s.id), 'the last step');
      const f = await ctx.db
        .select({ resultId: results.id })
        .from(findings)
        .innerJoin(results, eq(results.id, findings.resultId))
        .where(eq(findings.id, s.findingId));
      return ctx.db.transaction(async (tx) => {
        let flagCleared = false;
        let pubId: string | null = null;
        let row;
        if (input.approve) {
          const [unit] = await tx.select().from(units).where(eq(units.id, s.unitId));
          const pub = await publish(tx, {
            bureauCode: s.supervisingBureauCode,
            kind: 'supervision-closed',
            refId: s.id,
            title: `重大事故隐患挂牌督办销号：${unit!.name}（${s.listingNumber}）`,
            content: publicFields('supervision', {
              unit: redactUnit(unit!),
              listingNumber: s.listingNumber,
              listedOn: s.listedOn,
              deadline: s.deadline,
              closedOn: input.on,
            }),
            by: ctx.user.id,
            at: now,
            replacesId: s.listingPublicationId,
          });
          pubId = pub.id;
          row = await move(tx, s.id, 'close-proposed', {
            status: 'closed',
            closedOn: input.on,
            closedBy: ctx.user.id,
            closingPublicationId: pub.id,
          });
          flagCleared = await endMajorHazard(tx, {
            unitId: s.unitId,
            resultId: f[0]!.resultId,
            endedOn: input.on,
            now,
          });
        } else row = await move(tx, s.id, 'close-proposed', { status: 'listed', closeProposedBy: null });
        await tx.insert(supervisionEvents).values({
          bureauCode: s.bureauCode,
          supervisionId: s.id,
          kind: input.approve ? 'close-approved' : 'close-rejected',
          on: input.on,
          note: input.note,
          detail: { publicationId: pubId, majorHazardCleared: flagCleared },
          recordedAt: now,
          recordedBy: ctx.user.id,
        });
        await ctx.audit(tx, {
          bureauCode: s.bureauCode,
          action: input.approve ? 'supervision.close' : 'supervision.close-reject',
          entity: 'supervisions',
          entityId: s.id,
          before: { status: s.status, proposedBy: s.closeProposedBy },
          after: { status: row.status, on: input.on, publicationId: pubId, majorHazardCleared: flagCleared },
        });
        return row;
      });
    }),

  /**
   * Supervisions of the bureau (found there or supervised by it), open ones first, by deadline:
   * the page at `offset` of at most `limit`, and how many there are.
   */
  list: roleProcedure(ROLE_GROUPS.staff)
    .input(
      z
        .object({ bureauCode: ZBureauCodeSchema.optional(), ...pageFields() })
        .default({ limit: 100, offset: 0 }),
    )
    .output(
      pageOf(
        z.object({ supervision: rowSchema(supervisions), unitName: z.string(), description: z.string() }),
      ),
    )
    .query(async ({ ctx, input }) => {
      const matching = bureauFilter(ctx.access, supervisions.bureauCode, input.bureauCode);
      const [rows, total] = await Promise.all([
        ctx.db
          .select({ supervision: supervisions, unitName: units.name, description: findings.description })
          .from(supervisions)
          .innerJoin(units, eq(units.id, supervisions.unitId))
          .innerJoin(findings, eq(findings.id, supervisions.findingId))
          .where(matching)
          .orderBy(sql`${supervisions.status} = 'closed'`, asc(supervisions.deadline), asc(supervisions.id))
          .limit(input.limit)
          .offset(input.offset),
        ctx.db.$count(supervisions, matching),
      ]);
      return { rows, total };
    }),

  /** One supervision with its steps. */
  get: roleProcedure(ROLE_GROUPS.staff)
    .input(z.object({ supervisionId: ZIdSchema }))
    .output(rowSchema(supervisions).extend({ events: z.array(rowSchema(supervisionEvents)) }))
    .query(async ({ ctx, input }) => {
      const s = await loadSupervision(ctx.db, input.supervisionId);
      if (!ctx.access.reaches(s.supervisingBureauCode)) ctx.access.bureau(s.bureauCode);
      const events = await ctx.db
        .select()
        .from(supervisionEvents)
        .where(eq(supervisionEvents.supervisionId, s.id))
        .orderBy(asc(supervisionEvents.id));
      return { ...s, events };
    }),

  /**
   * Major-hazard findings of the bureau not yet listed (superseded results left out): what
   * awaits 挂牌.
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
        [
          eq(findings.kind, 'major-hazard'),
          sql`not exists (select 1 from ${supervisions} s where s.finding_id = ${findings.id})`,
        ],
        [asc(results.inspectedOn)],
        input,
      ),
    ),
});
