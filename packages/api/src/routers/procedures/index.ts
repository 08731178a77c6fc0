import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { procedures } from '@spotcheck/db';
import { fail, notFound } from '../../lib/errors';
import { procedurePublication } from '../../lib/baseline';
import { publish } from '../../lib/publish';
import { bureauFilter } from '../../lib/scope';
import { ZBureauCodeSchema, ZIdSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import { rowSchema } from '../../lib/outputs';

/** A bureau's 随机抽查制度 (R6). */
export const ZProcedureContentSchema = z.object({
  leadingGroup: z.string().trim().min(1).max(2000),
  planTemplate: z.string().trim().min(1).max(5000),
  steps: z.array(z.string().trim().min(1).max(1000)).min(1).max(50),
  frequency: z.string().trim().min(1).max(2000),
  resultsUse: z.string().trim().min(1).max(2000),
  publication: z.string().trim().min(1).max(2000),
  leadDepartment: z.string().trim().min(1).max(200),
  duties: z.string().trim().min(1).max(5000),
});

const admin = roleProcedure(ROLE_GROUPS.admins);

/** Random-inspection procedures 随机抽查制度 (R6), versioned like the checklist. */
export const proceduresRouter = router({
  /** Versions in reach, newest first. */
  list: roleProcedure(ROLE_GROUPS.all)
    .input(z.object({ bureauCode: ZBureauCodeSchema.optional() }).default({}))
    .output(z.array(rowSchema(procedures)))
    .query(({ ctx, input }) =>
      ctx.db
        .select()
        .from(procedures)
        .where(bureauFilter(ctx.access, procedures.bureauCode, input.bureauCode))
        .orderBy(desc(procedures.version)),
    ),

  /** Saves a new draft version (or replaces the content of the current draft). */
  saveDraft: admin
    .input(z.object({ bureauCode: ZBureauCodeSchema, content: ZProcedureContentSchema }))
    .output(rowSchema(procedures))
    .mutation(async ({ ctx, input }) => {
      ctx.access.bureau(input.bureauCode);
      return ctx.db.transaction(async (tx) => {
        const [latest] = await tx
          .select()
          .from(procedures)
          .where(eq(procedures.bureauCode, input.bureauCode))
          .orderBy(desc(procedures.version))
          .limit(1)
          .for('update');
        if (latest?.status === 'draft') {
          const [after] = await tx
            .update(procedures)
            .set({ content: input.content, updatedAt: ctx.now() })
            .where(eq(procedures.id, latest.id))
            .returning();
          await ctx.audit(tx, {
            bureauCode: input.bureauCode,
            action: 'procedure.update-draft',
            entity: 'procedures',
            entityId: latest.id,
            before: latest,
            after,
          });
          return after!;
        }
        const [row] = await tx
          .insert(procedures)
          .values({
            bureauCode: input.bureauCode,
            version: (latest?.version ?? 0) + 1,
            content: input.content,
          })
          .returning();
        await ctx.audit(tx, {
          bureauCode: input.bureauCode,
          action: 'procedure.create-draft',
          entity: 'procedures',
          entityId: row!.id,
          after: row,
        });
        return row!;
      });
    }),

  /** Publishes the draft; it is immutable from then on. */
  publish: admin
    .input(z.object({ id: ZIdSchema }))
    .output(rowSchema(procedures))
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        const [p] = await tx.select().from(procedures).where(eq(procedures.id, input.id)).for('update');
        if (!p) notFound('id', 'procedure', input.id);
        ctx.access.bureau(p.bureauCode);
        if (p.status !== 'draft')
          fail('CONFLICT', 'id', 'procedure.versionFrozen', { version: p.version, status: p.status });
        await tx
          .update(procedures)
          .set({ status: 'retired', updatedAt: now })
          .where(and(eq(procedures.bureauCode, p.bureauCode), eq(procedures.status, 'published')));
        const [after] = await tx
          .update(procedures)
          .set({ status: 'published', publishedAt: now, publishedBy: ctx.user.id, updatedAt: now })
          .where(eq(procedures.id, p.id))
          .returning();
        await publish(tx, procedurePublication(p, ctx.user.id, now));
        await ctx.audit(tx, {
          bureauCode: p.bureauCode,
          action: 'procedure.publish',
          entity: 'procedures',
          entityId: p.id,
          before: { status: 'draft' },
          after: { status: 'published' },
        });
        return after!;
      });
    }),
});
