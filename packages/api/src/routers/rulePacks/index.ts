import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { rulePackVersions } from '@spotcheck/db';
import { fail, notFound } from '../../lib/errors';
import {
  assertPackOwner,
  assertPackSetValid,
  effectiveOf,
  manifestOf,
  newRegistry,
  packDigest,
  publishedPackRows,
  retireSuperseded,
  sourceOf,
} from '../../lib/rule-packs';
import { diffPacks, explainUnit, runCases, simulatePack, validatePack } from './analysis';
import { assertPublishable, versionColumns, workflowProcedures } from './workflow';
import { todayInChina } from '../../lib/scope';
import { ZIdSchema } from '../../lib/zod';
import { CITY_BUREAU, ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import { columnsSchema, rowSchema } from '../../lib/outputs';

/** Input of `rulePacks.upload`: a pack's files (path → JSON or JSON text), as in `rules/<city>/<district>/`. */
export const ZRulePackUploadSchema = z.object({
  files: z
    .record(z.string().min(1).max(200), z.unknown())
    .refine((f) => 'pack.json' in f, 'must contain pack.json'),
});

const admin = roleProcedure(ROLE_GROUPS.admins);
const columns = versionColumns;

/** Rule packs (R14): uploaded as drafts, validated with the whole set, immutable once published. */
export const rulePacksRouter = router({
  /** Every pack version (packs are public law; all staff may read them). */
  list: roleProcedure(ROLE_GROUPS.staff)
    .output(z.array(columnsSchema(columns).extend({ effective: z.string(), inForce: z.boolean() })))
    .query(async ({ ctx }) => {
      const rows = await ctx.db
        .select({ ...columns, content: rulePackVersions.content })
        .from(rulePackVersions)
        .orderBy(asc(rulePackVersions.packId), asc(rulePackVersions.createdAt));
      // Which published version each pack has in force today; the others wait for their date.
      const inForce = new Set(
        (await publishedPackRows(ctx.db, undefined, todayInChina(ctx.now()))).map((r) => r.id),
      );
      return rows.map(({ content, ...r }) => ({
        ...r,
        effective: effectiveOf({ content }),
        inForce: inForce.has(r.id),
      }));
    }),

  /** One version with its files (`files`: path → JSON or JSON text, as uploaded). */
  get: roleProcedure(ROLE_GROUPS.staff)
    .input(z.object({ id: ZIdSchema }))
    .output(rowSchema(rulePackVersions).extend({ files: z.record(z.string(), z.unknown()) }))
    .query(async ({ ctx, input }) => {
      const row = await ctx.db.query.rulePackVersions.findFirst({ where: (r, { eq }) => eq(r.id, input.id) });
      if (!row) notFound('id', 'rule pack version', input.id);
      return { ...row, files: row.content.files ?? {} };
    }),

  validate: validatePack,
  runCases,
  explain: explainUnit,
  diff: diffPacks,
  simulate: simulatePack,
  ...workflowProcedures,

  /**
   * Uploads a new draft version; refused when the set it would join does not validate, or when
   * another bureau has a version of the pack id (a pack id belongs to one bureau).
   */
  upload: admin.input(ZRulePackUploadSchema).mutation(async ({ ctx, input }) => {
    const manifest = manifestOf({ origin: 'upload', files: input.files });
    const bureauCode = manifest.bureau ?? CITY_BUREAU;
    ctx.access.bureau(bureauCode);
    const content = { files: input.files };
    const digest = packDigest({ origin: `db:${manifest.id}@${manifest.version}`, files: input.files });
    return ctx.db.transaction(async (tx) => {
      // The pack id's versions are all of one bureau: no upload of another bureau's pack.
      await assertPackOwner(tx, { packId: manifest.id, bureauCode, field: 'files.pack.json' });
      const existing = await tx.query.rulePackVersions.findFirst({
        where: (r, { and, eq }) => and(eq(r.packId, manifest.id), eq(r.version, manifest.version)),
      });
      if (existing)
        fail('CONFLICT', 'files.pack.json', 'rulePack.versionExists', {
          packId: manifest.id,
          version: manifest.version,
          status: existing.status,
        });
      await assertPackSetValid([
        ...(await publishedPackRows(tx)).filter((r) => r.packId !== manifest.id),
        { packId: manifest.id, version: manifest.version, content },
      ]);
      const [row] = await tx
        .insert(rulePackVersions)
        .values({ packId: manifest.id, version: manifest.version, bureauCode, content, digest })
        .returning(columns);
      await ctx.audit(tx, {
        bureauCode,
        action: 'rule-pack.upload',
        entity: 'rule_pack_versions',
        entityId: row!.id,
        after: row,
      });
      return row!;
    });
  }),

  /**
   * Publishes an approved draft when every case of the stored draft passes and the set loads
   * (tighten-only); the previous published version of the pack is retired. Refused when another
   * bureau has a version of the pack id (a pack id belongs to one bureau).
   */
  publish: admin
    .input(z.object({ id: ZIdSchema }))
    .output(columnsSchema(columns))
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .select()
          .from(rulePackVersions)
          .where(eq(rulePackVersions.id, input.id))
          .for('update');
        if (!row) notFound('id', 'rule pack version', input.id);
        ctx.access.bureau(row.bureauCode);
        if (row.status !== 'draft')
          fail('CONFLICT', 'id', 'rulePack.publishedFrozen', {
            packId: row.packId,
            version: row.version,
            status: row.status,
          });
        // Checked again here, under the pack id's lock: publishing retires the pack id's other
        // published versions, which must be this bureau's own (a draft of another bureau's pack
        // id, however it got in, never publishes).
        await assertPackOwner(tx, {
          packId: row.packId,
          bureauCode: row.bureauCode,
          field: 'id',
          exceptId: row.id,
        });
        const { passed } = await assertPublishable(tx, row);
        const superseded = await retireSuperseded(tx, row.packId, effectiveOf(row), now);
        const [after] = await tx
          .update(rulePackVersions)
          .set({ status: 'published', publishedAt: now, publishedBy: ctx.user.id, updatedAt: now })
          .where(eq(rulePackVersions.id, row.id))
          .returning(columns);
        await ctx.audit(tx, {
          bureauCode: row.bureauCode,
          action: 'rule-pack.publish',
          entity: 'rule_pack_versions',
          entityId: row.id,
          before: { status: 'draft' },
          after: {
            status: 'published',
            digest: row.digest,
            effective: effectiveOf(row),
            casesPassed: passed,
            reviewedBy: row.reviewedBy,
            retired: superseded,
          },
        });
        return after!;
      });
    }),

  /**
   * Retires a version (admins of its bureau). A draft is simply abandoned. A published version
   * is retired only if every bureau is still covered afterwards: a district pack may go (its
   * district falls back to the city pack), but not the city (root) pack, on which every bureau
   * relies, nor a pack other published packs extend — publish a new version instead, which
   * retires the old one. Draws already committed keep the pack digests they froze.
   */
  retire: admin
    .input(z.object({ id: ZIdSchema, reason: z.string().trim().min(2).max(1000) }))
    .output(columnsSchema(columns))
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .select()
          .from(rulePackVersions)
          .where(eq(rulePackVersions.id, input.id))
          .for('update');
        if (!row) notFound('id', 'rule pack version', input.id);
        ctx.access.bureau(row.bureauCode);
        if (row.status === 'retired')
          fail('CONFLICT', 'id', 'rulePack.alreadyRetired', { packId: row.packId, version: row.version });
        if (row.status === 'published') {
          const rest = (await publishedPackRows(tx)).filter((r) => r.id !== row.id);
          const registry = await newRegistry();
          const loaded = registry.load(rest.map(sourceOf));
          if (!loaded.ok)
            fail('PRECONDITION_FAILED', 'id', 'rulePack.extendedByOthers', { packId: row.packId });
          if (!registry.forBureau(row.bureauCode))
            fail('PRECONDITION_FAILED', 'id', 'rulePack.onlyPackOfBureau', {
              packId: row.packId,
              version: row.version,
              bureauCode: row.bureauCode,
            });
        }
        const [after] = await tx
          .update(rulePackVersions)
          .set({ status: 'retired', retiredAt: now, updatedAt: now })
          .where(eq(rulePackVersions.id, row.id))
          .returning(columns);
        await ctx.audit(tx, {
          bureauCode: row.bureauCode,
          action: 'rule-pack.retire',
          entity: 'rule_pack_versions',
          entityId: row.id,
          before: { status: row.status },
          after: { status: 'retired', reason: input.reason },
        });
        return after!;
      });
    }),
});
