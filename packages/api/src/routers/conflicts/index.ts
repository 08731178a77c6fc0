import { and, asc, eq, isNull, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { conflicts, inspectors } from '@spotcheck/db';
import { fail, notFound } from '../../lib/errors';
import { ZUsccSchema } from '../../lib/roster-schemas';
import { bureauFilter, todayInChina } from '../../lib/scope';
import { ZBureauCodeSchema, ZDrawIdSchema, ZIdSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import { rowSchema } from '../../lib/outputs';

/** Input of `conflicts.declare`. */
export const ZDeclareConflictSchema = z.object({
  inspectorId: ZDrawIdSchema,
  unitId: ZUsccSchema,
  reason: z.string().trim().min(2).max(500),
});

const reader = roleProcedure(ROLE_GROUPS.staff);
/** Admins record declarations; an inspector may declare their own conflicts. */
const declarer = roleProcedure(['city-admin', 'district-admin', 'inspector']);

/** Conflict-of-interest declarations 回避 (B3): the inspector is excluded from the unit in every draw. */
export const conflictsRouter = router({
  /** Live and revoked declarations of inspectors in reach. */
  list: reader
    .input(
      z
        .object({
          bureauCode: ZBureauCodeSchema.optional(),
          inspectorId: ZDrawIdSchema.optional(),
          unitId: ZUsccSchema.optional(),
        })
        .default({}),
    )
    .output(
      z.array(
        z.object({ conflict: rowSchema(conflicts), inspectorName: z.string(), inspectorBureau: z.string() }),
      ),
    )
    .query(({ ctx, input }) => {
      const where: (SQL | undefined)[] = [bureauFilter(ctx.access, inspectors.bureauCode, input.bureauCode)];
      if (input.inspectorId) where.push(eq(conflicts.inspectorId, input.inspectorId));
      if (input.unitId) where.push(eq(conflicts.unitId, input.unitId));
      return ctx.db
        .select({
          conflict: conflicts,
          inspectorName: inspectors.name,
          inspectorBureau: inspectors.bureauCode,
        })
        .from(conflicts)
        .innerJoin(inspectors, eq(inspectors.id, conflicts.inspectorId))
        .where(and(...where))
        .orderBy(asc(conflicts.declaredOn));
    }),

  /** Declares that an inspector must not inspect a unit. */
  declare: declarer
    .input(ZDeclareConflictSchema)
    .output(rowSchema(conflicts))
    .mutation(async ({ ctx, input }) => {
      const inspector = await ctx.db.query.inspectors.findFirst({
        where: (i, { eq }) => eq(i.id, input.inspectorId),
      });
      if (!inspector) notFound('inspectorId', 'inspector', input.inspectorId);
      const role = ctx.access.bureau(inspector.bureauCode);
      if (role === 'inspector' && ctx.user.inspectorId !== inspector.id)
        fail('FORBIDDEN', 'inspectorId', 'conflict.ownOnly');
      const unit = await ctx.db.query.units.findFirst({ where: (u, { eq }) => eq(u.id, input.unitId) });
      if (!unit) notFound('unitId', 'unit', input.unitId);
      return ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(conflicts)
          .values({
            ...input,
            bureauCode: inspector.bureauCode,
            declaredOn: todayInChina(ctx.now()),
            declaredBy: ctx.user.id,
          })
          .returning();
        await ctx.audit(tx, {
          bureauCode: inspector.bureauCode,
          action: 'conflict.declare',
          entity: 'conflicts',
          entityId: row!.id,
          after: row,
        });
        return row!;
      });
    }),

  /** Revokes a declaration, with a reason. */
  revoke: roleProcedure(ROLE_GROUPS.admins)
    .input(z.object({ id: ZIdSchema, reason: z.string().trim().min(2).max(500) }))
    .output(rowSchema(conflicts))
    .mutation(async ({ ctx, input }) => {
      return ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .select({ c: conflicts, bureau: inspectors.bureauCode })
          .from(conflicts)
          .innerJoin(inspectors, eq(inspectors.id, conflicts.inspectorId))
          .where(eq(conflicts.id, input.id))
          .for('update', { of: conflicts });
        if (!row) notFound('id', 'conflict', input.id);
        ctx.access.bureau(row.bureau);
        const [after] = await tx
          .update(conflicts)
          .set({ revokedAt: ctx.now(), revokeReason: input.reason })
          .where(and(eq(conflicts.id, input.id), isNull(conflicts.revokedAt)))
          .returning();
        if (!after) fail('CONFLICT', 'id', 'conflict.alreadyRevoked');
        await ctx.audit(tx, {
          bureauCode: row.bureau,
          action: 'conflict.revoke',
          entity: 'conflicts',
          entityId: input.id,
          before: row.c,
          after,
        });
        return after;
      });
    }),
});
