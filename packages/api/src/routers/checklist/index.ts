import { and, asc, desc, eq, inArray, ne, or } from 'drizzle-orm';
import { z } from 'zod';
import { checklistDigest } from '@spotcheck/core';
import { checklistItems, checklistVersions } from '@spotcheck/db';
import type { DbOrTx } from '../../lib/db';
import { fail, notFound } from '../../lib/errors';
import { checklistPublication } from '../../lib/baseline';
import { publish } from '../../lib/publish';
import { ZChecklistItemSchema } from '../../lib/roster-schemas';
import { ZBureauCodeSchema, ZIdSchema } from '../../lib/zod';
import { accessFor, CITY_BUREAU, ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import { rowSchema } from '../../lib/outputs';

/** Input of `checklist.createDraft`. */
export const ZChecklistDraftSchema = z.object({
  bureauCode: ZBureauCodeSchema,
  /** For a district layer: the city version it builds on. */
  baseVersionId: ZIdSchema.nullish(),
  note: z.string().max(1000).optional(),
});
/** Input of `checklist.setItems`: the whole item list of a draft. */
export const ZChecklistSetItemsSchema = z.object({
  versionId: ZIdSchema,
  items: z.array(ZChecklistItemSchema).max(5000),
});

/** Loads a version for change: it must exist, be in reach, and still be a draft (published = immutable, R2). */
export async function draftVersionForUpdate(
  tx: DbOrTx,
  versionId: string,
  access: { bureau(code: string): unknown },
) {
  const [v] = await tx
    .select()
    .from(checklistVersions)
    .where(eq(checklistVersions.id, versionId))
    .for('update');
  if (!v) notFound('versionId', 'checklist version', versionId);
  access.bureau(v.bureauCode);
  if (v.status !== 'draft')
    fail('CONFLICT', 'versionId', 'checklist.versionFrozen', { version: v.version, status: v.status });
  return v;
}

const ZLayerSchema = z.enum(['city', 'district']);
const ZVersionMetaSchema = z
  .object({ versionId: z.string(), version: z.number(), digest: z.string().nullable() })
  .nullable();

const reader = roleProcedure(ROLE_GROUPS.all);
const admin = roleProcedure(ROLE_GROUPS.admins);

/** The checklist 随机抽查事项清单 (R1–R2): versioned per bureau, immutable once published. */
export const checklistRouter = router({
  /**
   * Versions of the bureaus in reach, newest first, with the city layer: district users also
   * see the city's published and retired versions (R1: each bureau builds on the city's list),
   * tagged `readOnly` — a version is editable only as a draft by an admin of its bureau.
   */
  versions: reader
    .input(z.object({ bureauCode: ZBureauCodeSchema.optional() }).default({}))
    .output(z.array(rowSchema(checklistVersions).extend({ layer: ZLayerSchema, readOnly: z.boolean() })))
    .query(async ({ ctx, input }) => {
      if (input.bureauCode) ctx.access.bureau(input.bureauCode);
      const scope = input.bureauCode ? [input.bureauCode] : ctx.access.scope;
      const own =
        scope === 'all' ? undefined : inArray(checklistVersions.bureauCode, scope.length ? scope : ['-']);
      const cityLayer = and(
        eq(checklistVersions.bureauCode, CITY_BUREAU),
        ne(checklistVersions.status, 'draft'),
      );
      const rows = await ctx.db
        .select()
        .from(checklistVersions)
        .where(own ? or(own, cityLayer) : undefined)
        .orderBy(asc(checklistVersions.bureauCode), desc(checklistVersions.version));
      const admins = accessFor(ctx.user, ROLE_GROUPS.admins);
      return rows.map((v) => ({
        ...v,
        layer: v.bureauCode === CITY_BUREAU ? ('city' as const) : ('district' as const),
        readOnly: v.status !== 'draft' || !admins.reaches(v.bureauCode),
      }));
    }),

  /** One version with its items (city versions other than drafts: readable by every district). */
  get: reader
    .input(z.object({ versionId: ZIdSchema }))
    .output(rowSchema(checklistVersions).extend({ items: z.array(rowSchema(checklistItems)) }))
    .query(async ({ ctx, input }) => {
      const v = await ctx.db.query.checklistVersions.findFirst({
        where: (c, { eq }) => eq(c.id, input.versionId),
      });
      if (!v) notFound('versionId', 'checklist version', input.versionId);
      if (!(v.bureauCode === CITY_BUREAU && v.status !== 'draft')) ctx.access.bureau(v.bureauCode);
      const items = await ctx.db
        .select()
        .from(checklistItems)
        .where(eq(checklistItems.versionId, v.id))
        .orderBy(asc(checklistItems.sortOrder), asc(checklistItems.code));
      return { ...v, items };
    }),

  /**
   * The checklist in force for a bureau (R1): the city's published version, then the bureau's
   * own published version on top; a district item with the code of a city item replaces it.
   * Each item says its `layer` (`city` | `district`) and the version it comes from.
   */
  effective: reader
    .input(z.object({ bureauCode: ZBureauCodeSchema }))
    .output(
      z.object({
        bureauCode: z.string(),
        city: ZVersionMetaSchema,
        district: ZVersionMetaSchema,
        items: z.array(rowSchema(checklistItems).extend({ layer: ZLayerSchema, overrides: z.boolean() })),
      }),
    )
    .query(async ({ ctx, input }) => {
      ctx.access.bureau(input.bureauCode);
      const published = await ctx.db
        .select()
        .from(checklistVersions)
        .where(
          and(
            inArray(checklistVersions.bureauCode, [...new Set([CITY_BUREAU, input.bureauCode])]),
            eq(checklistVersions.status, 'published'),
          ),
        );
      const city = published.find((v) => v.bureauCode === CITY_BUREAU) ?? null;
      const district =
        input.bureauCode === CITY_BUREAU
          ? null
          : (published.find((v) => v.bureauCode === input.bureauCode) ?? null);
      const layers = [
        { layer: 'city' as const, v: city },
        { layer: 'district' as const, v: district },
      ].filter((l): l is { layer: 'city' | 'district'; v: NonNullable<typeof city> } => l.v !== null);
      const items = layers.length
        ? await ctx.db
            .select()
            .from(checklistItems)
            .where(
              inArray(
                checklistItems.versionId,
                layers.map((l) => l.v.id),
              ),
            )
            .orderBy(asc(checklistItems.sortOrder), asc(checklistItems.code))
        : [];
      const byCode = new Map<
        string,
        (typeof items)[number] & { layer: 'city' | 'district'; overrides: boolean }
      >();
      for (const { layer, v } of layers)
        for (const it of items.filter((i) => i.versionId === v.id))
          byCode.set(it.code, { ...it, layer, overrides: byCode.has(it.code) });
      const meta = (v: typeof city) => (v ? { versionId: v.id, version: v.version, digest: v.digest } : null);
      return {
        bureauCode: input.bureauCode,
        city: meta(city),
        district: meta(district),
        items: [...byCode.values()],
      };
    }),

  /** Starts a new draft version, copying the items of the bureau's latest version (dynamic adjustment). */
  createDraft: admin
    .input(ZChecklistDraftSchema)
    .output(rowSchema(checklistVersions))
    .mutation(async ({ ctx, input }) => {
      ctx.access.bureau(input.bureauCode);
      return ctx.db.transaction(async (tx) => {
        const [latest] = await tx
          .select()
          .from(checklistVersions)
          .where(eq(checklistVersions.bureauCode, input.bureauCode))
          .orderBy(desc(checklistVersions.version))
          .limit(1)
          .for('update');
        if (latest?.status === 'draft')
          fail('CONFLICT', 'bureauCode', 'checklist.draftExists', { version: latest.version });
        if (input.baseVersionId) {
          const base = await tx.query.checklistVersions.findFirst({
            where: (c, { eq }) => eq(c.id, input.baseVersionId!),
          });
          if (!base || base.status === 'draft')
            fail('BAD_REQUEST', 'baseVersionId', 'checklist.baseNotPublished');
        }
        const [v] = await tx
          .insert(checklistVersions)
          .values({
            bureauCode: input.bureauCode,
            version: (latest?.version ?? 0) + 1,
            baseVersionId: input.baseVersionId ?? null,
            note: input.note ?? null,
          })
          .returning();
        if (latest) {
          const items = await tx.select().from(checklistItems).where(eq(checklistItems.versionId, latest.id));
          if (items.length)
            await tx
              .insert(checklistItems)
              .values(items.map(({ id: _id, ...i }) => ({ ...i, versionId: v!.id })));
        }
        await ctx.audit(tx, {
          bureauCode: input.bureauCode,
          action: 'checklist.create-draft',
          entity: 'checklist_versions',
          entityId: v!.id,
          after: v,
        });
        return v!;
      });
    }),

  /** Replaces the items of a draft. */
  setItems: admin
    .input(ZChecklistSetItemsSchema)
    .output(z.object({ versionId: z.string(), items: z.number() }))
    .mutation(async ({ ctx, input }) => {
      const codes = new Set<string>();
      input.items.forEach((it, i) => {
        if (codes.has(it.code))
          fail('BAD_REQUEST', `items.${i}.code`, 'checklist.duplicateCode', { code: it.code });
        codes.add(it.code);
      });
      return ctx.db.transaction(async (tx) => {
        const v = await draftVersionForUpdate(tx, input.versionId, ctx.access);
        const before = await tx.select().from(checklistItems).where(eq(checklistItems.versionId, v.id));
        await tx.delete(checklistItems).where(eq(checklistItems.versionId, v.id));
        if (input.items.length)
          await tx.insert(checklistItems).values(input.items.map((i) => ({ ...i, versionId: v.id })));
        await ctx.audit(tx, {
          bureauCode: v.bureauCode,
          action: 'checklist.set-items',
          entity: 'checklist_versions',
          entityId: v.id,
          before: { codes: before.map((b) => b.code).sort(), digest: checklistDigest(before) },
          after: { codes: [...codes].sort(), digest: checklistDigest(input.items) },
        });
        return { versionId: v.id, items: input.items.length };
      });
    }),

  /** Publishes a draft (R2): digest frozen, previous published version retired, shown in the public column. */
  publish: admin
    .input(z.object({ versionId: ZIdSchema }))
    .output(rowSchema(checklistVersions))
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        const v = await draftVersionForUpdate(tx, input.versionId, ctx.access);
        const items = await tx
          .select()
          .from(checklistItems)
          .where(eq(checklistItems.versionId, v.id))
          .orderBy(asc(checklistItems.code));
        if (!items.length) fail('BAD_REQUEST', 'versionId', 'checklist.empty');
        const digest = checklistDigest(items);
        await tx
          .update(checklistVersions)
          .set({ status: 'retired', retiredAt: now, updatedAt: now })
          .where(
            and(eq(checklistVersions.bureauCode, v.bureauCode), eq(checklistVersions.status, 'published')),
          );
        const [after] = await tx
          .update(checklistVersions)
          .set({ status: 'published', digest, publishedAt: now, publishedBy: ctx.user.id, updatedAt: now })
          .where(eq(checklistVersions.id, v.id))
          .returning();
        await publish(tx, checklistPublication(v, digest, items, ctx.user.id, now));
        await ctx.audit(tx, {
          bureauCode: v.bureauCode,
          action: 'checklist.publish',
          entity: 'checklist_versions',
          entityId: v.id,
          before: { status: 'draft' },
          after: { status: 'published', digest },
        });
        return after!;
      });
    }),
});

/** Checklist item codes of a version (for tasks). */
export async function checklistCodes(db: DbOrTx, versionIds: string[]): Promise<string[]> {
  if (!versionIds.length) return [];
  const rows = await db
    .select({ code: checklistItems.code })
    .from(checklistItems)
    .where(inArray(checklistItems.versionId, versionIds));
  return [...new Set(rows.map((r) => r.code))].sort();
}
