import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import {
  blacklistProceedings,
  blacklistProceedingSteps,
  publications,
  unitFacts,
  units,
} from '@spotcheck/db';
import { proceedingUnderWay, proposeListing, reasonText } from '../../lib/blacklist';
import {
  addDays,
  checkDocuments,
  checkStepDate,
  loadFindingContext,
  ZDocumentsSchema,
} from '../../lib/consequences';
import type { DbOrTx } from '../../lib/db';
import { fail, notFound } from '../../lib/errors';
import { publish } from '../../lib/publish';
import { publicFields, redactUnit } from '../../lib/redact';
import { bureauFilter, todayInChina } from '../../lib/scope';
import { ZBureauCodeSchema, ZDateSchema, ZIdSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import { rowSchema } from '../../lib/outputs';
import { pageFields, pageOf } from '../../lib/paging';

/** Who proposes by hand, notices, records objections and publishes: the bureau's administrators. */
const ADMIN_ROLES = ['district-admin', 'city-admin'] as const;
/** Who reviews and decides: an approver or administrator, never the proposer. */
const DECIDER_ROLES = ['approver', 'district-admin', 'city-admin'] as const;

type Proceeding = typeof blacklistProceedings.$inferSelect;

/** Input of `blacklist.propose`. */
export const ZBlacklistProposeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('listing'),
    unitId: z.string().min(1).max(64),
    reason: z.enum(['concealed', 'inadequate', 'overdue']),
    /** The finding the proposal rests on (of this unit). */
    findingId: ZIdSchema,
    jointPunishment: z.boolean().default(false),
    note: z.string().trim().min(2, 'state the grounds').max(2000),
  }),
  z.object({
    kind: z.literal('removal'),
    unitId: z.string().min(1).max(64),
    reason: z.literal('credit-repair').default('credit-repair'),
    note: z.string().trim().min(2, 'state the grounds of the credit repair').max(2000),
    documents: ZDocumentsSchema,
  }),
]);

async function loadProceeding(db: DbOrTx, id: string): Promise<Proceeding> {
  const [row] = await db.select().from(blacklistProceedings).where(eq(blacklistProceedings.id, id));
  if (!row) notFound('proceedingId', 'blacklist proceeding', id);
  return row;
}

/** Date of the newest step of a proceeding. */
async function lastStepOn(db: DbOrTx, id: string): Promise<string> {
  const [s] = await db
    .select({ on: blacklistProceedingSteps.on })
    .from(blacklistProceedingSteps)
    .where(eq(blacklistProceedingSteps.proceedingId, id))
    .orderBy(desc(blacklistProceedingSteps.on))
    .limit(1);
  return s!.on;
}

function expectStatus(p: Proceeding, want: Proceeding['status'], what: string) {
  if (p.status !== want)
    fail('CONFLICT', 'proceedingId', 'blacklist.wrongStatus', { status: p.status, what });
}

/** Moves a proceeding on; a racing step loses (CONFLICT). */
async function move(tx: DbOrTx, p: Proceeding, patch: Partial<typeof blacklistProceedings.$inferInsert>) {
  const [row] = await tx
    .update(blacklistProceedings)
    .set(patch)
    .where(and(eq(blacklistProceedings.id, p.id), eq(blacklistProceedings.status, p.status)))
    .returning();
  if (!row) fail('CONFLICT', 'proceedingId', 'blacklist.changedMeanwhile');
  return row;
}

/**
 * Applies a decision to the unit (R18–R19): a listing sets `blacklisted` (and `jointPunishment`
 * when decided so) with dated facts the next draws read; a removal by credit repair clears it,
 * closing the open blacklist facts.
 */
async function applyDecision(tx: DbOrTx, p: Proceeding, on: string, userId: string, now: Date) {
  const source = `proceeding:${p.id}`;
  if (p.kind === 'listing') {
    // The facts go to the unit's bureau now, which is not the proceeding's if the unit has moved.
    const [unit] = await tx
      .update(units)
      .set({ blacklisted: true, ...(p.jointPunishment ? { jointPunishment: true } : {}), updatedAt: now })
      .where(eq(units.id, p.unitId))
      .returning({ bureauCode: units.bureauCode });
    await tx.insert(unitFacts).values([
      {
        bureauCode: unit!.bureauCode,
        unitId: p.unitId,
        kind: 'blacklist' as const,
        value: { active: true, reason: p.reason, finding: p.findingId, decisionNumber: p.decisionNumber },
        effectiveOn: on,
        source,
        recordedAt: now,
        recordedBy: userId,
      },
      ...(p.jointPunishment
        ? [
            {
              bureauCode: unit!.bureauCode,
              unitId: p.unitId,
              kind: 'joint-punishment' as const,
              value: { active: true, reference: p.decisionNumber },
              effectiveOn: on,
              source,
              recordedAt: now,
              recordedBy: userId,
            },
          ]
        : []),
    ]);
    return;
  }
  // Removal: the joint punishment this bureau decided with the listing goes with it.
  const [listing] = await tx
    .select()
    .from(blacklistProceedings)
    .where(
      and(
        eq(blacklistProceedings.unitId, p.unitId),
        eq(blacklistProceedings.kind, 'listing'),
        inArray(blacklistProceedings.status, ['decided', 'published']),
      ),
    )
    .orderBy(desc(blacklistProceedings.decidedOn))
    .limit(1);
  const liftJoint = !!listing?.jointPunishment;
  const [unit] = await tx
    .update(units)
    .set({ blacklisted: false, ...(liftJoint ? { jointPunishment: false } : {}), updatedAt: now })
    .where(eq(units.id, p.unitId))
    .returning({ bureauCode: units.bureauCode });
  const kinds = liftJoint ? (['blacklist', 'joint-punishment'] as const) : (['blacklist'] as const);
  await tx
    .update(unitFacts)
    .set({ endedOn: on })
    .where(
      and(eq(unitFacts.unitId, p.unitId), inArray(unitFacts.kind, [...kinds]), isNull(unitFacts.endedOn)),
    );
  await tx.insert(unitFacts).values(
    kinds.map((kind) => ({
      bureauCode: unit!.bureauCode,
      unitId: p.unitId,
      kind,
      value: { active: false, reason: 'credit-repair', decisionNumber: p.decisionNumber },
      effectiveOn: on,
      endedOn: on,
      source,
      recordedAt: now,
      recordedBy: userId,
    })),
  );
}

/** Blacklist 黑名单 with due process (R18–R19), listing and removal by credit repair. */
export const blacklistRouter = router({
  /**
   * Proposes a listing (on a finding of the unit) or a removal by credit repair 信用修复 (for a
   * unit on the blacklist). One proceeding of a kind per unit at a time. Audited.
   */
  propose: roleProcedure(ADMIN_ROLES)
    .input(ZBlacklistProposeSchema)
    .output(rowSchema(blacklistProceedings))
    .mutation(async ({ ctx, input }) => {
      const [unit] = await ctx.db.select().from(units).where(eq(units.id, input.unitId));
      if (!unit) notFound('unitId', 'unit', input.unitId);
      ctx.access.bureau(unit.bureauCode);
      const now = ctx.now();
      const today = todayInChina(now);
      if (input.kind === 'listing') {
        const f = await loadFindingContext(ctx.db, input.findingId, ctx.access);
        if (f.task.unitId !== unit.id) fail('BAD_REQUEST', 'findingId', 'blacklist.findingOfOtherUnit');
        if (unit.blacklisted) fail('CONFLICT', 'unitId', 'blacklist.alreadyListed');
        const row = await ctx.db.transaction((tx) =>
          proposeListing(tx, {
            unitId: unit.id,
            reason: input.reason,
            origin: 'staff',
            findingId: f.finding.id,
            userId: ctx.user.id,
            actorRole: ctx.access.bureau(unit.bureauCode),
            jointPunishment: input.jointPunishment,
            note: input.note,
            today,
            now,
          }),
        );
        if (!row) fail('CONFLICT', 'unitId', 'blacklist.listingUnderWay');
        return row;
      }
      if (!unit.blacklisted) fail('CONFLICT', 'unitId', 'blacklist.notListed');
      await checkDocuments(ctx.db, input.documents, unit.bureauCode, ctx.user.id);
      return ctx.db.transaction(async (tx) => {
        if (await proceedingUnderWay(tx, unit.id, 'removal'))
          fail('CONFLICT', 'unitId', 'blacklist.repairUnderWay');
        const [row] = await tx
          .insert(blacklistProceedings)
          .values({
            bureauCode: unit.bureauCode,
            unitId: unit.id,
            kind: 'removal',
            reason: 'credit-repair',
            origin: 'staff',
            status: 'proposed',
            proposedOn: today,
            proposedBy: ctx.user.id,
            createdAt: now,
          })
          .onConflictDoNothing()
          .returning();
        if (!row) fail('CONFLICT', 'unitId', 'blacklist.repairUnderWay');
        await tx.insert(blacklistProceedingSteps).values({
          bureauCode: row.bureauCode,
          proceedingId: row.id,
          step: 'proposed',
          on: today,
          note: input.note,
          detail: { reason: 'credit-repair' },
          documents: input.documents,
          recordedAt: now,
          recordedBy: ctx.user.id,
        });
        await ctx.audit(tx, {
          bureauCode: unit.bureauCode,
          action: 'blacklist.propose',
          entity: 'blacklist_proceedings',
          entityId: row.id,
          after: { ...row, documents: input.documents },
        });
        return row;
      });
    }),

  /** Reviews a proposal: a second person (never the proposer) accepts or rejects it. Audited. */
  review: roleProcedure(DECIDER_ROLES)
    .input(
      z.object({
        proceedingId: ZIdSchema,
        approve: z.boolean(),
        note: z.string().trim().min(2, 'state the review’s reasons').max(2000),
      }),
    )
    .output(rowSchema(blacklistProceedings))
    .mutation(async ({ ctx, input }) => {
      const p = await loadProceeding(ctx.db, input.proceedingId);
      ctx.access.bureau(p.bureauCode);
      expectStatus(p, 'proposed', 'only a proposal is reviewed');
      if (p.proposedBy === ctx.user.id) fail('FORBIDDEN', 'proceedingId', 'blacklist.selfReview');
      const now = ctx.now();
      const today = todayInChina(now);
      return ctx.db.transaction(async (tx) => {
        const row = await move(tx, p, {
          status: input.approve ? 'reviewed' : 'rejected',
          reviewedBy: ctx.user.id,
        });
        await tx.insert(blacklistProceedingSteps).values({
          bureauCode: p.bureauCode,
          proceedingId: p.id,
          step: input.approve ? 'reviewed' : 'rejected',
          on: today,
          note: input.note,
          recordedAt: now,
          recordedBy: ctx.user.id,
        });
        await ctx.audit(tx, {
          bureauCode: p.bureauCode,
          action: input.approve ? 'blacklist.review' : 'blacklist.reject',
          entity: 'blacklist_proceedings',
          entityId: p.id,
          before: { status: p.status },
          after: { status: row.status, note: input.note },
        });
        return row;
      });
    }),

  /**
   * Notices the unit 告知 of the intended decision and its right to object within
   * `objectionDays` (5–30 calendar days); no decision before the period has passed. Audited.
   */
  notice: roleProcedure(ADMIN_ROLES)
    .input(
      z.object({
        proceedingId: ZIdSchema,
        noticeNumber: z.string().trim().min(1).max(64),
        noticedOn: ZDateSchema,
        objectionDays: z.number().int().min(5).max(30).default(7),
        documents: ZDocumentsSchema,
      }),
    )
    .output(rowSchema(blacklistProceedings))
    .mutation(async ({ ctx, input }) => {
      const p = await loadProceeding(ctx.db, input.proceedingId);
      ctx.access.bureau(p.bureauCode);
      expectStatus(p, 'reviewed', 'the unit is noticed after a second person reviewed the proposal');
      const now = ctx.now();
      checkStepDate(
        'noticedOn',
        input.noticedOn,
        todayInChina(now),
        await lastStepOn(ctx.db, p.id),
        'the review',
      );
      await checkDocuments(ctx.db, input.documents, p.bureauCode, ctx.user.id);
      const objectionEndsOn = addDays(input.noticedOn, input.objectionDays);
      return ctx.db.transaction(async (tx) => {
        const row = await move(tx, p, {
          status: 'noticed',
          noticeNumber: input.noticeNumber,
          noticedOn: input.noticedOn,
          objectionDays: input.objectionDays,
          objectionEndsOn,
        });
        await tx.insert(blacklistProceedingSteps).values({
          bureauCode: p.bureauCode,
          proceedingId: p.id,
          step: 'noticed',
          on: input.noticedOn,
          detail: { noticeNumber: input.noticeNumber, objectionDays: input.objectionDays, objectionEndsOn },
          documents: input.documents,
          recordedAt: now,
          recordedBy: ctx.user.id,
        });
        await ctx.audit(tx, {
          bureauCode: p.bureauCode,
          action: 'blacklist.notice',
          entity: 'blacklist_proceedings',
          entityId: p.id,
          before: { status: p.status },
          after: {
            status: row.status,
            noticeNumber: input.noticeNumber,
            noticedOn: input.noticedOn,
            objectionEndsOn,
          },
        });
        return row;
      });
    }),

  /** Records the unit's objection 陈述申辩 received within the period. Audited. */
  recordObjection: roleProcedure(ADMIN_ROLES)
    .input(
      z.object({
        proceedingId: ZIdSchema,
        receivedOn: ZDateSchema,
        note: z.string().trim().min(2).max(4000),
        documents: ZDocumentsSchema,
      }),
    )
    .output(rowSchema(blacklistProceedingSteps))
    .mutation(async ({ ctx, input }) => {
      const p = await loadProceeding(ctx.db, input.proceedingId);
      ctx.access.bureau(p.bureauCode);
      expectStatus(p, 'noticed', 'objections are taken during the objection period');
      const now = ctx.now();
      checkStepDate('receivedOn', input.receivedOn, todayInChina(now), p.noticedOn, 'the notice');
      if (input.receivedOn > p.objectionEndsOn!)
        fail('BAD_REQUEST', 'receivedOn', 'blacklist.objectionPeriodOver', {
          objectionEndsOn: p.objectionEndsOn,
        });
      await checkDocuments(ctx.db, input.documents, p.bureauCode, ctx.user.id);
      return ctx.db.transaction(async (tx) => {
        const [step] = await tx
          .insert(blacklistProceedingSteps)
          .values({
            bureauCode: p.bureauCode,
            proceedingId: p.id,
            step: 'objection',
            on: input.receivedOn,
            note: input.note,
            documents: input.documents,
            recordedAt: now,
            recordedBy: ctx.user.id,
          })
          .returning();
        await ctx.audit(tx, {
          bureauCode: p.bureauCode,
          action: 'blacklist.objection',
          entity: 'blacklist_proceedings',
          entityId: p.id,
          after: { receivedOn: input.receivedOn, note: input.note, documents: input.documents },
        });
        return step!;
      });
    }),

  /**
   * Decides after the objection period (not before the day after it ends), by someone other
   * than the proposer: `apply` puts the unit on the blacklist (or takes it off, for credit
   * repair); otherwise the proceeding is dismissed. Audited.
   */
  decide: roleProcedure(DECIDER_ROLES)
    .input(
      z.object({
        proceedingId: ZIdSchema,
        decidedOn: ZDateSchema,
        apply: z.boolean(),
        decisionNumber: z.string().trim().min(1).max(64).optional(),
        note: z.string().trim().min(2, 'state the decision’s reasons').max(2000),
      }),
    )
    .output(rowSchema(blacklistProceedings))
    .mutation(async ({ ctx, input }) => {
      const p = await loadProceeding(ctx.db, input.proceedingId);
      ctx.access.bureau(p.bureauCode);
      expectStatus(p, 'noticed', 'a decision follows the notice and its objection period');
      if (p.proposedBy === ctx.user.id) fail('FORBIDDEN', 'proceedingId', 'blacklist.selfDecide');
      const now = ctx.now();
      const today = todayInChina(now);
      if (today <= p.objectionEndsOn! || input.decidedOn <= p.objectionEndsOn!)
        fail('PRECONDITION_FAILED', 'decidedOn', 'blacklist.objectionPeriodRunning', {
          objectionEndsOn: p.objectionEndsOn,
        });
      checkStepDate('decidedOn', input.decidedOn, today, await lastStepOn(ctx.db, p.id), 'the last step');
      if (input.apply && !input.decisionNumber)
        fail('BAD_REQUEST', 'decisionNumber', 'blacklist.decisionNumberRequired');
      return ctx.db.transaction(async (tx) => {
        const row = await move(tx, p, {
          status: input.apply ? 'decided' : 'dismissed',
          decisionNumber: input.decisionNumber ?? null,
          decidedOn: input.decidedOn,
          decidedBy: ctx.user.id,
        });
        if (input.apply) await applyDecision(tx, row, input.decidedOn, ctx.user.id, now);
        await tx.insert(blacklistProceedingSteps).values({
          bureauCode: p.bureauCode,
          proceedingId: p.id,
          step: input.apply ? 'decided' : 'dismissed',
          on: input.decidedOn,
          note: input.note,
          detail: { decisionNumber: input.decisionNumber ?? null },
          recordedAt: now,
          recordedBy: ctx.user.id,
        });
        await ctx.audit(tx, {
          bureauCode: p.bureauCode,
          action: input.apply ? 'blacklist.decide' : 'blacklist.dismiss',
          entity: 'blacklist_proceedings',
          entityId: p.id,
          before: { status: p.status },
          after: {
            status: row.status,
            kind: p.kind,
            unitId: p.unitId,
            decisionNumber: input.decisionNumber ?? null,
            decidedOn: input.decidedOn,
          },
        });
        return row;
      });
    }),

  /**
   * Publishes a decided proceeding in the public column (public exposure, R18; identity and
   * sector only, R16): a listing as a `blacklist` notice, a credit repair as a
   * `blacklist-removal` notice replacing it. Only after the decision. Audited.
   */
  publish: roleProcedure(ADMIN_ROLES)
    .input(z.object({ proceedingId: ZIdSchema }))
    .output(rowSchema(blacklistProceedings))
    .mutation(async ({ ctx, input }) => {
      const p = await loadProceeding(ctx.db, input.proceedingId);
      ctx.access.bureau(p.bureauCode);
      if (p.status === 'published') fail('PRECONDITION_FAILED', 'proceedingId', 'blacklist.alreadyPublished');
      if (p.status !== 'decided')
        fail('PRECONDITION_FAILED', 'proceedingId', 'blacklist.notDecided', { status: p.status });
      const now = ctx.now();
      const [unit] = await ctx.db.select().from(units).where(eq(units.id, p.unitId));
      const basis = reasonText(p.reason);
      return ctx.db.transaction(async (tx) => {
        const [previous] =
          p.kind === 'removal'
            ? await tx
                .select({ id: publications.id })
                .from(publications)
                .where(and(eq(publications.kind, 'blacklist'), eq(publications.refId, p.unitId)))
                .orderBy(desc(publications.publishedAt))
                .limit(1)
            : [];
        const content = {
          ...publicFields('blacklist', { unit: redactUnit(unit!), basis, effectiveOn: p.decidedOn }),
          reason: p.reason,
          reasonText: basis,
          origin: 'decided',
          decisionNumber: p.decisionNumber,
          jointPunishment: p.kind === 'listing' ? p.jointPunishment : undefined,
        };
        const pub = await publish(tx, {
          bureauCode: p.bureauCode,
          kind: p.kind === 'listing' ? 'blacklist' : 'blacklist-removal',
          refId: p.unitId,
          title:
            p.kind === 'listing'
              ? `黑名单公示：${unit!.name}（${basis}）`
              : `移出黑名单公示：${unit!.name}（信用修复）`,
          content,
          by: ctx.user.id,
          at: now,
          replacesId: previous?.id ?? null,
        });
        const row = await move(tx, p, { status: 'published', publicationId: pub.id });
        await tx.insert(blacklistProceedingSteps).values({
          bureauCode: p.bureauCode,
          proceedingId: p.id,
          step: 'published',
          on: todayInChina(now),
          detail: { publicationId: pub.id },
          recordedAt: now,
          recordedBy: ctx.user.id,
        });
        await ctx.audit(tx, {
          bureauCode: p.bureauCode,
          action: 'blacklist.publish',
          entity: 'blacklist_proceedings',
          entityId: p.id,
          before: { status: p.status },
          after: { status: row.status, publicationId: pub.id, digest: pub.digest },
        });
        return row;
      });
    }),

  /**
   * Proceedings of the bureau (default: every bureau in reach), newest first, with the unit name,
   * the server's date and whether the objection period is over: the page at `offset` of at most
   * `limit`, and how many there are.
   */
  list: roleProcedure(ROLE_GROUPS.staff)
    .input(
      z
        .object({
          bureauCode: ZBureauCodeSchema.optional(),
          status: z
            .enum(['proposed', 'reviewed', 'noticed', 'decided', 'published', 'rejected', 'dismissed'])
            .optional(),
          ...pageFields(),
        })
        .default({ limit: 100, offset: 0 }),
    )
    .output(
      pageOf(
        z.object({
          proceeding: rowSchema(blacklistProceedings),
          unitName: z.string(),
          today: z.string(),
          objectionOver: z.boolean(),
        }),
      ),
    )
    .query(async ({ ctx, input }) => {
      const today = todayInChina(ctx.now());
      const matching = and(
        bureauFilter(ctx.access, blacklistProceedings.bureauCode, input.bureauCode),
        input.status ? eq(blacklistProceedings.status, input.status) : undefined,
      );
      const [rows, total] = await Promise.all([
        ctx.db
          .select({ proceeding: blacklistProceedings, unitName: units.name })
          .from(blacklistProceedings)
          .innerJoin(units, eq(units.id, blacklistProceedings.unitId))
          .where(matching)
          .orderBy(desc(blacklistProceedings.createdAt), desc(blacklistProceedings.id))
          .limit(input.limit)
          .offset(input.offset),
        ctx.db.$count(blacklistProceedings, matching),
      ]);
      // The server's calendar decides when the objection period is over, not the browser's.
      return {
        rows: rows.map((r) => ({
          ...r,
          today,
          objectionOver: !!r.proceeding.objectionEndsOn && today > r.proceeding.objectionEndsOn,
        })),
        total,
      };
    }),

  /** One proceeding with its steps, oldest first. */
  get: roleProcedure(ROLE_GROUPS.staff)
    .input(z.object({ proceedingId: ZIdSchema }))
    .output(rowSchema(blacklistProceedings).extend({ steps: z.array(rowSchema(blacklistProceedingSteps)) }))
    .query(async ({ ctx, input }) => {
      const p = await loadProceeding(ctx.db, input.proceedingId);
      ctx.access.bureau(p.bureauCode);
      const steps = await ctx.db
        .select()
        .from(blacklistProceedingSteps)
        .where(eq(blacklistProceedingSteps.proceedingId, p.id))
        .orderBy(asc(blacklistProceedingSteps.id));
      return { ...p, steps };
    }),
});
