import { and, asc, eq, gt, ilike, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { INDUSTRY_IDS, RISK_GRADES } from '@spotcheck/core';
import { unitCounts, unitFacts, units, type Db } from '@spotcheck/db';
import { fail, notFound } from '../../lib/errors';
import { ZUnitSchema, ZUsccSchema } from '../../lib/roster-schemas';
import { bureauFilter, todayInChina } from '../../lib/scope';
import { recordFactChanges } from '../../lib/unit-facts';
import { unitsWithFoundHazard } from '../../lib/supervision';
import { checkUnitIdFree, lockKeys } from '../../lib/roster-keys';
import { patchSchemaOf, ZBureauCodeSchema, ZPageSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router, type Access } from '../../trpc';
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

/** Which filters a roster page has: the shape of its statement (the values are its parameters). */
interface UnitPageShape {
  /** One bureau (asked for, or the caller's only one), several (the caller's), every one, or none. */
  bureau: 'one' | 'many' | 'all' | 'none';
  industry: boolean;
  riskGrade: boolean;
  status: boolean;
  after: boolean;
}

/**
 * The statements of a roster page of `shape`: `page` gives the page's {@link UNIT_LIST_COLUMNS}
 * and, on each row, the total of the matching units from the trigger-kept counts (a few hundred
 * rows for a city), so that a page is one round trip; `total` gives the total alone, for an empty
 * page. Prepared once per shape: the ORM built a roster page and a second statement for its total
 * on every request, 10–20 % of the server's CPU per page (issue 16).
 */
function prepareUnitPage(db: Db, shape: UnitPageShape, name: string) {
  const matching = (t: typeof units | typeof unitCounts) =>
    and(
      shape.bureau === 'one'
        ? eq(t.bureauCode, sql.placeholder('bureau'))
        : shape.bureau === 'many'
          ? sql`${t.bureauCode} = ANY(${sql.placeholder('bureaus')}::text[])`
          : shape.bureau === 'none'
            ? sql`false`
            : undefined,
      shape.industry ? eq(t.industry, sql.placeholder('industry')) : undefined,
      shape.riskGrade ? eq(t.riskGrade, sql.placeholder('riskGrade')) : undefined,
      shape.status ? eq(t.status, sql.placeholder('status')) : undefined,
    );
  const total = db
    .select({ n: sql<number>`coalesce(sum(${unitCounts.units}), 0)::int` })
    .from(unitCounts)
    .where(matching(unitCounts));
  return {
    page: db
      .select({ ...UNIT_LIST_COLUMNS, total: sql<number>`(${total})`.as('total') })
      .from(units)
      .where(and(matching(units), shape.after ? gt(units.id, sql.placeholder('after')) : undefined))
      .orderBy(asc(units.id))
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .prepare(name),
    total: total.prepare(`${name}_total`),
  };
}

type UnitPageStatement = ReturnType<typeof prepareUnitPage>;
/** A row of a roster page. */
type UnitListRow = Omit<Awaited<ReturnType<UnitPageStatement['page']['execute']>>[number], 'total'>;

const unitPageStatements = new WeakMap<Db, Map<string, UnitPageStatement>>();

/** A roster page without a text search, and the exact total of the units it pages through. */
async function unitPage(
  db: Db,
  access: Access,
  input: z.infer<typeof ZUnitListSchema>,
): Promise<{ rows: UnitListRow[]; total: number }> {
  // The caller's reach, as `bureauFilter` decides it.
  if (input.bureauCode) access.bureau(input.bureauCode); // refuses a bureau out of reach
  const bureaus = input.bureauCode ? [input.bureauCode] : access.scope === 'all' ? null : access.scope;
  const shape: UnitPageShape = {
    bureau: bureaus === null ? 'all' : bureaus.length === 0 ? 'none' : bureaus.length === 1 ? 'one' : 'many',
    industry: input.industry !== undefined,
    riskGrade: input.riskGrade !== undefined,
    status: input.status !== undefined,
    after: input.after !== undefined,
  };
  const key = `units_list_${shape.bureau}_${+shape.industry}${+shape.riskGrade}${+shape.status}${+shape.after}`;
  let statements = unitPageStatements.get(db);
  if (!statements) unitPageStatements.set(db, (statements = new Map()));
  let statement = statements.get(key);
  if (!statement) statements.set(key, (statement = prepareUnitPage(db, shape, key)));
  // Exactly the values the shape has placeholders for: one the shape lacks would throw ("No value
  // for placeholder"), not bind NULL and answer an empty page.
  const params: Record<string, unknown> = { limit: input.limit, offset: input.after ? 0 : input.offset };
  if (shape.bureau === 'one') params.bureau = bureaus![0];
  if (shape.bureau === 'many') params.bureaus = bureaus;
  if (shape.industry) params.industry = input.industry;
  if (shape.riskGrade) params.riskGrade = input.riskGrade;
  if (shape.status) params.status = input.status;
  if (shape.after) params.after = input.after;
  const rows = await statement.page.execute(params);
  if (rows.length) return { rows: rows.map(({ total: _, ...row }) => row), total: rows[0]!.total };
  // An empty page (past the end, or nothing matches) has no row to carry the total.
  const [count] = await statement.total.execute(params);
  return { rows: [], total: count!.n };
}

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
      // Without a text search: the page and its exact total in one prepared statement.
      if (!input.q) return { ...(await unitPage(ctx.db, ctx.access, input)), totalCapped: false };
      const matching = and(
        bureauFilter(ctx.access, units.bureauCode, input.bureauCode),
        input.industry ? eq(units.industry, input.industry) : undefined,
        input.riskGrade ? eq(units.riskGrade, input.riskGrade) : undefined,
        input.status ? eq(units.status, input.status) : undefined,
        or(ilike(units.name, `%${input.q}%`), ilike(units.id, `${input.q}%`)),
      );
      const page = ctx.db
        .select(UNIT_LIST_COLUMNS)
        .from(units)
        .where(input.after ? and(matching, gt(units.id, input.after)) : matching)
        .orderBy(asc(units.id))
        .limit(input.limit);
      const rowsOfPage = input.after ? page : page.offset(input.offset);
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
   * national: refused when a unit of any bureau has it (the key holds within a bureau only). A
   * unit is never added as blacklisted: only blacklist proceedings list it, as in `update`.
   */
  create: admin
    .input(ZUnitSchema)
    .output(rowSchema(units))
    .mutation(async ({ ctx, input }) => {
      ctx.access.bureau(input.bureauCode);
      if (input.blacklisted) fail('BAD_REQUEST', 'blacklisted', 'unit.blacklistedByProceedings');
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
        // Listed and taken off through blacklist proceedings only (review, notice, objection, a
        // second person's decision, publication), as the roster import refuses too: one
        // administrator's edit would list or de-list a unit with no record of why.
        if (input.patch.blacklisted !== undefined && input.patch.blacklisted !== before.blacklisted)
          fail('BAD_REQUEST', 'patch.blacklisted', 'unit.blacklistedByProceedings');
        // A major hazard an inspection found ends by its rectification check or 销号 (R17).
        if (
          input.patch.majorHazard === false &&
          before.majorHazard &&
          (await unitsWithFoundHazard(tx, [before.id])).size
        )
          fail('BAD_REQUEST', 'patch.majorHazard', 'unit.majorHazardByRectification');
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
