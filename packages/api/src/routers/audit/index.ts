import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { auditEvents, draws, plans, publications } from '@spotcheck/db';
import type { DbOrTx } from '../../lib/db';
import { verifyAuditChain } from '../../audit/chain';
import { rowSchema } from '../../lib/outputs';
import { ZBureauCodeSchema } from '../../lib/zod';
import { AUDIT_CHECKPOINT_PAGE_MAX, listAuditCheckpoints } from '../../audit/checkpoint';
import { pageOf } from '../../lib/paging';
import { publicProcedure, roleProcedure, router } from '../../trpc';
import { CITY_BUREAU_CODE } from '@spotcheck/core';

/** Of `drawIds`, the draws of covert plans not published yet (still sealed, R10). */
async function sealedDraws(db: DbOrTx, drawIds: string[]): Promise<Set<string>> {
  const ids = drawIds.filter((id) => UUID.test(id));
  if (!ids.length) return new Set();
  const rows = await db
    .select({ id: draws.id })
    .from(draws)
    .innerJoin(plans, eq(plans.id, draws.planId))
    .where(
      and(
        inArray(draws.id, ids),
        eq(plans.sealed, true),
        sql`not exists (select 1 from ${publications} where ${publications.kind} = 'draw'
          and ${publications.refId} = ${draws.id}::text)`,
      ),
    );
  return new Set(rows.map((r) => r.id));
}

const UUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/;

/** Input of `audit.list`. */
export const ZAuditListSchema = z
  .object({
    bureauCode: ZBureauCodeSchema.optional(),
    entity: z.string().max(64).optional(),
    entityId: z.string().max(200).optional(),
    /** Page backwards from this seq (exclusive). */
    beforeSeq: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .default({ limit: 100 });

/** Input of `audit.checkpoints`: keyset paging in seq order. */
export const ZAuditCheckpointsSchema = z
  .object({
    /** The checkpoints after this seq (exclusive): the `next` of the page before. */
    after: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(AUDIT_CHECKPOINT_PAGE_MAX).default(100),
  })
  .default({ limit: 100 });
/** A published audit checkpoint. */
const ZAuditCheckpointSchema = z.object({
  seq: z.number().int(),
  hash: z.string(),
  at: z.string(),
  publicKey: z.string(),
  signature: z.string(),
});

/** Reading and verifying the hash-chained audit trail (R21). */
export const auditRouter = router({
  /**
   * The published, signed checkpoints of the chain's head in seq order, a page at a time (public,
   * no login): pass each page's `next` as `after` until it is null. Without input, the first page.
   */
  checkpoints: publicProcedure
    .input(ZAuditCheckpointsSchema)
    .output(pageOf(ZAuditCheckpointSchema).extend({ next: z.number().int().nullable() }))
    .query(({ ctx, input }) => listAuditCheckpoints(ctx.db, input)),

  /** Events, newest first, within the caller's bureaus (the city sees all). */
  list: roleProcedure(['city-admin', 'district-admin', 'auditor'])
    .input(ZAuditListSchema)
    .output(z.array(rowSchema(auditEvents)))
    .query(async ({ ctx, input }) => {
      if (input.bureauCode) ctx.access.bureau(input.bureauCode);
      const scope = input.bureauCode ? [input.bureauCode] : ctx.access.scope;
      const where: SQL[] = [];
      if (scope !== 'all') where.push(inArray(auditEvents.bureauCode, scope));
      if (input.entity) where.push(eq(auditEvents.entity, input.entity));
      if (input.entityId) where.push(eq(auditEvents.entityId, input.entityId));
      if (input.beforeSeq) where.push(lt(auditEvents.seq, input.beforeSeq));
      const rows = await ctx.db
        .select()
        .from(auditEvents)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(auditEvents.seq))
        .limit(input.limit);
      // A covert draw's replacements name its sealed teams (R10): their detail is withheld here
      // until the draw is published, as the records themselves are (draws.replaceMember).
      const replacing = rows.filter((r) => r.action === 'draw.replace-member' && r.entityId !== null);
      const sealed = await sealedDraws(ctx.db, [...new Set(replacing.map((r) => r.entityId!))]);
      return rows.map((r) =>
        replacing.includes(r) && sealed.has(r.entityId!)
          ? { ...r, before: null, after: { withheld: 'covert-sealed' } }
          : r,
      );
    }),

  /** Recomputes the whole chain; reports the first altered, removed or reordered event. */
  verify: roleProcedure(['city-admin', 'auditor'])
    .input(
      z
        .object({
          expectedHead: z
            .object({ seq: z.number().int().positive(), hash: z.string().regex(/^[0-9a-f]{64}$/) })
            .optional(),
        })
        .default({}),
    )
    .output(
      z.object({
        ok: z.boolean(),
        count: z.number(),
        head: z.object({ seq: z.number(), hash: z.string() }).nullable(),
        problem: z
          .object({ seq: z.number(), kind: z.enum(['altered', 'removed', 'reordered']), detail: z.string() })
          .nullable(),
      }),
    )
    .query(async ({ ctx, input }) => {
      ctx.access.bureau(CITY_BUREAU_CODE);
      return verifyAuditChain(ctx.db, input);
    }),
});
