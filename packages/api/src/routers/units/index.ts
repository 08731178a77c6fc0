import { and, asc, eq, gt, ilike, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { INDUSTRY_IDS, RISK_GRADES } from '@spotcheck/core';
import { unitCounts, unitFacts, units } from '@spotcheck/db';
import { fail, notFound } from '../../lib/errors';
import { ZUnitSchema, ZUsccSchema } from '../../lib/roster-schemas';
import { bureauFilter, todayInChina } from '../../lib/scope';
import { recordFactChanges } from '../../lib/unit-facts';
import { checkUnitIdFree, lockKeys } from '../../lib/roster-keys';
import { patchSchemaOf, ZBureauCodeSchema, ZPageSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import { columnsSchema, rowSchema } from '../../lib/outputs';

/**
 * Where the roster's pager stops counting: counting every matching row of a 10^6-unit city on
 * each page costs more than the page itself; past this the total reads "10,000+".
 */
export const UNIT_COUNT_CAP = 10_000;

/**
 * The columns of a roster row `units.list` returns: what the roster table shows and filters on
 * (`units.get` has the whole row with its fact history). Address, legal representative, dates
 * and the row's timestamps stay out: half the bytes, and the list's share of CPU went with them.
 */
export const UNIT_LIST_COLUMNS = {
  id: units.id,
  name: units.name,
  nature: units.nature,
  industry: units.industry,
  scale: units.scale,
  bureauCode: units.bureauCode,
  streetCode: units.streetCode,
  riskGrade: units.riskGrade,
  creditGrade: units.creditGrade,
  majorHazard: units.majorHazard,
  majorHazardSource: units.majorHazardSource,
  trialProduction: units.trialProduction,
  resuming: units.resuming,
  blacklisted: units.blacklisted,
  jointPunishment: units.jointPunishment,
  keyUnit: units.keyUnit,
  crowdedPlace: units.crowdedPlace,
  dustExplosion: units.dustExplosion,
  confinedSpace: units.confinedSpace,
  status: units.status,
};

/** Input of `units.list`. */
export const ZUnitListSchema = ZPageSchema.extend({
  /** Keyset paging: the units after this credit code (in code order); `offset` is then ignored. */
  after: ZUsccSchema.optional(),
  bureauCode: ZBureauCodeSchema.optional(),
  industry: z.enum(INDUSTRY_IDS as [string, ...string[]]).optional(),
  riskGrade: z.enum(RISK_GRADES).optional(),
  status: z.enum(['active', 'closed']).optional(),
  q: z.string().max(100).optional(),
});
/** Input of `units.update`: the id and the fields to change. */
export const ZUnitUpdateSchema = z.object({
  id: ZUsccSchema,
  patch: patchSchemaOf(ZUnitSchema.omit({ id: true, bureauCode: true })),
});

const reader = roleProcedure(ROLE_GROUPS.staff);
const admin = roleProcedure(ROLE_GROUPS.admins);

/** The target roster 随机抽查对象名录库 (R4). */
export const unitsRouter = router({
  /**
   * Units in reach, filtered and paged ({@link UNIT_LIST_COLUMNS} of each): `rows` is the page
   * (at `offset`, or after the credit code `after`) of at most `limit`; `total` counts the
   * matching units (exactly without `q`; with a text search up to {@link UNIT_COUNT_CAP}, and
   * `totalCapped` says there are more).
   */
  list: reader
    .input(ZUnitListSchema.default({ limit: 100, offset: 0 }))
    .output(
      z.object({
        rows: z.array(columnsSchema(UNIT_LIST_COLUMNS)),
        total: z.number(),
        totalCapped: z.boolean(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const where: (SQL | undefined)[] = [bureauFilter(ctx.access, units.bureauCode, input.bureauCode)];
      if (input.industry) where.push(eq(units.industry, input.industry));
      if (input.riskGrade) where.push(eq(units.riskGrade, input.riskGrade));
      if (input.status) where.push(eq(units.status, input.status));
      if (input.q) where.push(or(ilike(units.name, `%${input.q}%`), ilike(units.id, `${input.q}%`)));
      const matching = and(...where);
      const page = ctx.db
        .select(UNIT_LIST_COLUMNS)
        .from(units)
        .where(input.after ? and(matching, gt(units.id, input.after)) : matching)
        .orderBy(asc(units.id))
        .limit(input.limit);
      const rowsOfPage = input.after ? page : page.offset(input.offset);
      if (!input.q) {
        // Without a text search the total is exact and cheap: the trigger-kept counts per
        // bureau, industry, risk grade and status (a few hundred rows for a city).
        const [rows, [count]] = await Promise.all([
          rowsOfPage,
          ctx.db
            .select({ n: sql<number>`coalesce(sum(${unitCounts.units}), 0)::int` })
            .from(unitCounts)
            .where(
              and(
                bureauFilter(ctx.access, unitCounts.bureauCode, input.bureauCode),
                input.industry ? eq(unitCounts.industry, input.industry) : undefined,
                input.riskGrade ? eq(unitCounts.riskGrade, input.riskGrade) : undefined,
                input.status ? eq(unitCounts.status, input.status) : undefined,
              ),
            ),
        ]);
        return { rows, total: count!.n, totalCapped: false };
      }
      // A text search counts its matches, up to the cap. Counted in the (bureau_code, id) index's order, so PostgreSQL walks that index (an
      // index-only scan) rather than the table: without an order it took a sequential scan that
      // read the whole table before a late district's first rows (147 ms against 3 ms at 10^6).
      const counted = ctx.db
        .select({ one: sql`1` })
        .from(units)
        .where(matching)
        .orderBy(asc(units.bureauCode), asc(units.id))
        .limit(UNIT_COUNT_CAP + 1)
        .as('counted');
      const [rows, [count]] = await Promise.all([
        rowsOfPage,
        ctx.db.select({ n: sql<number>`count(*)::int` }).from(counted),
      ]);
      return { rows, total: Math.min(count!.n, UNIT_COUNT_CAP), totalCapped: count!.n > UNIT_COUNT_CAP };
    }),

  /** One unit with its dated fact history. */
  get: reader
    .input(z.object({ id: ZUsccSchema }))
    .output(rowSchema(units).extend({ facts: z.array(rowSchema(unitFacts)) }))
    .query(async ({ ctx, input }) => {
      const unit = await ctx.db.query.units.findFirst({ where: (u, { eq }) => eq(u.id, input.id) });
      if (!unit) notFound('id', 'unit', input.id);
      ctx.access.bureau(unit.bureauCode);
      const facts = await ctx.db
        .select()
        .from(unitFacts)
        .where(eq(unitFacts.unitId, unit.id))
        .orderBy(asc(unitFacts.id));
      return { ...unit, facts };
    }),

  /**
   * Adds a unit; nature, industry and region count as verified on entry (R4). The credit code is
   * national: refused when a unit of any bureau has it (the key holds within a bureau only).
   */
  create: admin
    .input(ZUnitSchema)
    .output(rowSchema(units))
    .mutation(async ({ ctx, input }) => {
      ctx.access.bureau(input.bureauCode);
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        await lockKeys(tx, 'units', [{ kind: 'unit', value: input.id }]);
        await checkUnitIdFree(tx, input.id);
        const [row] = await tx
          .insert(units)
          .values({ ...input, verifiedAt: now, createdAt: now, updatedAt: now })
          .returning();
        await recordFactChanges(tx, null, row!, {
          source: `user:${ctx.user.id}`,
          userId: ctx.user.id,
          today: todayInChina(now),
        });
        await ctx.audit(tx, {
          bureauCode: input.bureauCode,
          action: 'unit.create',
          entity: 'units',
          entityId: input.id,
          after: row,
        });
        return row!;
      });
    }),

  /** Changes a unit; changed facts are kept as dated history. Moving bureaus is not an edit. */
  update: admin
    .input(ZUnitUpdateSchema)
    .output(rowSchema(units))
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        const [before] = await tx.select().from(units).where(eq(units.id, input.id)).for('update');
        if (!before) notFound('id', 'unit', input.id);
        ctx.access.bureau(before.bureauCode);
        if (Object.keys(input.patch).length === 0) fail('BAD_REQUEST', 'patch', 'patch.empty');
        const [after] = await tx
          .update(units)
          .set({ ...input.patch, updatedAt: now })
          .where(eq(units.id, input.id))
          .returning();
        await recordFactChanges(tx, before, after!, {
          source: `user:${ctx.user.id}`,
          userId: ctx.user.id,
          today: todayInChina(now),
        });
        await ctx.audit(tx, {
          bureauCode: before.bureauCode,
          action: 'unit.update',
          entity: 'units',
          entityId: input.id,
          before,
          after,
        });
        return after!;
      });
    }),

  /** Closes a unit (it leaves future frames) or reopens it. */
  setStatus: admin
    .input(z.object({ id: ZUsccSchema, status: z.enum(['active', 'closed']) }))
    .output(rowSchema(units))
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        const [before] = await tx.select().from(units).where(eq(units.id, input.id)).for('update');
        if (!before) notFound('id', 'unit', input.id);
        ctx.access.bureau(before.bureauCode);
        const [after] = await tx
          .update(units)
          .set({ status: input.status, updatedAt: now })
          .where(eq(units.id, input.id))
          .returning();
        await ctx.audit(tx, {
          bureauCode: before.bureauCode,
          action: 'unit.set-status',
          entity: 'units',
          entityId: input.id,
          before: { status: before.status },
          after: { status: input.status },
        });
        return after!;
      });
    }),
});
