import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { rulePackVersions } from '@spotcheck/db';
import { fail, notFound } from '../../lib/errors';
import { assertPackSetValid, manifestOf, packDigest, publishedPackRows } from '../../lib/rule-packs';
import { ZIdSchema } from '../../lib/zod';
import { CITY_BUREAU, ROLE_GROUPS, roleProcedure, router } from '../../trpc';

/** Input of `rulePacks.upload`: a pack's files (path → JSON or JSON text), as in `rules/<city>/<district>/`. */
export const ZRulePackUploadSchema = z.object({
  files: z
    .record(z.string().min(1).max(200), z.unknown())
    .refine((f) => 'pack.json' in f, 'must contain pack.json'),
});

const admin = roleProcedure(ROLE_GROUPS.admins);
const columns = {
  id: rulePackVersions.id,
  packId: rulePackVersions.packId,
  version: rulePackVersions.version,
  bureauCode: rulePackVersions.bureauCode,
  status: rulePackVersions.status,
  digest: rulePackVersions.digest,
  publishedAt: rulePackVersions.publishedAt,
  retiredAt: rulePackVersions.retiredAt,
  createdAt: rulePackVersions.createdAt,
};

/** Rule packs (R14): uploaded as drafts, validated with the whole set, immutable once published. */
export const rulePacksRouter = router({
  /** Every pack version (packs are public law; all staff may read them). */
  list: roleProcedure(ROLE_GROUPS.staff).query(({ ctx }) =>
    ctx.db
      .select(columns)
      .from(rulePackVersions)
      .orderBy(asc(rulePackVersions.packId), asc(rulePackVersions.createdAt)),
  ),

  /** One version with its files. */
  get: roleProcedure(ROLE_GROUPS.staff)
    .input(z.object({ id: ZIdSchema }))
    .query(async ({ ctx, input }) => {
      const row = await ctx.db.query.rulePackVersions.findFirst({ where: (r, { eq }) => eq(r.id, input.id) });
      if (!row) notFound('id', 'rule pack version', input.id);
      return row;
    }),

  /** Uploads a new draft version; refused when the set it would join does not validate. */
  upload: admin.input(ZRulePackUploadSchema).mutation(async ({ ctx, input }) => {
    const manifest = manifestOf({ origin: 'upload', files: input.files });
    const bureauCode = manifest.bureau ?? CITY_BUREAU;
    ctx.access.bureau(bureauCode);
    const content = { files: input.files };
    const digest = packDigest({ origin: `db:${manifest.id}@${manifest.version}`, files: input.files });
    return ctx.db.transaction(async (tx) => {
      const existing = await tx.query.rulePackVersions.findFirst({
        where: (r, { and, eq }) => and(eq(r.packId, manifest.id), eq(r.version, manifest.version)),
      });
      if (existing)
        fail(
          'CONFLICT',
          'files.pack.json',
          `${manifest.id}@${manifest.version} exists (${existing.status}): bump the version`,
        );
      assertPackSetValid([
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

  /** Publishes a draft version; the previous published version of the pack is retired. */
  publish: admin.input(z.object({ id: ZIdSchema })).mutation(async ({ ctx, input }) => {
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
        fail('CONFLICT', 'id', `${row.packId}@${row.version} is ${row.status}: published packs never change`);
      assertPackSetValid(await publishedPackRows(tx, row));
      await tx
        .update(rulePackVersions)
        .set({ status: 'retired', retiredAt: now, updatedAt: now })
        .where(and(eq(rulePackVersions.packId, row.packId), eq(rulePackVersions.status, 'published')));
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
        after: { status: 'published', digest: row.digest },
      });
      return after!;
    });
  }),
});
