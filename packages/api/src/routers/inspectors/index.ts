import { and, asc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { INSPECTOR_STATUSES } from '@spotcheck/core';
import { inspectors } from '@spotcheck/db';
import { fail, notFound } from '../../lib/errors';
import { ZInspectorSchema } from '../../lib/roster-schemas';
import { checkCertificateFree, checkInspectorIdFree, lockKeys } from '../../lib/roster-keys';
import { bureauFilter } from '../../lib/scope';
import { patchSchemaOf, ZBureauCodeSchema, ZDateSchema, ZDrawIdSchema, ZPageSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import { rowSchema } from '../../lib/outputs';

/** Input of `inspectors.update`. */
export const ZInspectorUpdateSchema = z.object({
  id: ZDrawIdSchema,
  patch: patchSchemaOf(ZInspectorSchema.omit({ id: true, bureauCode: true, status: true })),
});
/** Input of `inspectors.setStatus` (join, leave, suspend — R3). */
export const ZInspectorStatusSchema = z.object({
  id: ZDrawIdSchema,
  status: z.enum(INSPECTOR_STATUSES),
  on: ZDateSchema.optional(),
});

const reader = roleProcedure(ROLE_GROUPS.staff);
const admin = roleProcedure(ROLE_GROUPS.admins);

/** The inspector roster 执法人员名录库 (R3). */
export const inspectorsRouter = router({
  /** Officers in reach. */
  list: reader
    .input(
      ZPageSchema.extend({
        bureauCode: ZBureauCodeSchema.optional(),
        status: z.enum(INSPECTOR_STATUSES).optional(),
      }).default({ limit: 100, offset: 0 }),
    )
    .output(z.array(rowSchema(inspectors)))
    .query(({ ctx, input }) => {
      const where: (SQL | undefined)[] = [bureauFilter(ctx.access, inspectors.bureauCode, input.bureauCode)];
      if (input.status) where.push(eq(inspectors.status, input.status));
      return ctx.db
        .select()
        .from(inspectors)
        .where(and(...where))
        .orderBy(asc(inspectors.id))
        .limit(input.limit)
        .offset(input.offset);
    }),

  /**
   * Adds an officer. The id and the certificate number are national: refused when an officer of
   * any bureau has either (the keys hold within a bureau only).
   */
  create: admin
    .input(ZInspectorSchema)
    .output(rowSchema(inspectors))
    .mutation(async ({ ctx, input }) => {
      ctx.access.bureau(input.bureauCode);
      return ctx.db.transaction(async (tx) => {
        await lockKeys(tx, 'inspectors', [
          { kind: 'inspector', value: input.id },
          { kind: 'certificate', value: input.certificateNo },
        ]);
        await checkInspectorIdFree(tx, input.id);
        await checkCertificateFree(tx, input.certificateNo);
        const [row] = await tx.insert(inspectors).values(input).returning();
        await ctx.audit(tx, {
          bureauCode: input.bureauCode,
          action: 'inspector.create',
          entity: 'inspectors',
          entityId: input.id,
          after: row,
        });
        return row!;
      });
    }),

  /** Changes an officer's details. */
  update: admin
    .input(ZInspectorUpdateSchema)
    .output(rowSchema(inspectors))
    .mutation(async ({ ctx, input }) => {
      if (Object.keys(input.patch).length === 0) fail('BAD_REQUEST', 'patch', 'patch.empty');
      return ctx.db.transaction(async (tx) => {
        // A certificate number is national: checked across bureaus under a lock on the number,
        // taken before the row's (a roster sync takes its lock, then the rows).
        const certificateNo = input.patch.certificateNo;
        if (certificateNo !== undefined)
          await lockKeys(tx, 'inspectors', [{ kind: 'certificate', value: certificateNo }]);
        const [before] = await tx.select().from(inspectors).where(eq(inspectors.id, input.id)).for('update');
        if (!before) notFound('id', 'inspector', input.id);
        ctx.access.bureau(before.bureauCode);
        if (certificateNo !== undefined && certificateNo !== before.certificateNo)
          await checkCertificateFree(tx, certificateNo, before.id);
        const [after] = await tx
          .update(inspectors)
          .set({ ...input.patch, updatedAt: ctx.now() })
          .where(eq(inspectors.id, input.id))
          .returning();
        await ctx.audit(tx, {
          bureauCode: before.bureauCode,
          action: 'inspector.update',
          entity: 'inspectors',
          entityId: input.id,
          before,
          after,
        });
        return after!;
      });
    }),

  /** Activates, suspends or records the departure of an officer. */
  setStatus: admin
    .input(ZInspectorStatusSchema)
    .output(rowSchema(inspectors))
    .mutation(async ({ ctx, input }) => {
      return ctx.db.transaction(async (tx) => {
        const [before] = await tx.select().from(inspectors).where(eq(inspectors.id, input.id)).for('update');
        if (!before) notFound('id', 'inspector', input.id);
        ctx.access.bureau(before.bureauCode);
        const [after] = await tx
          .update(inspectors)
          .set({
            status: input.status,
            leftOn: input.status === 'left' ? (input.on ?? null) : before.leftOn,
            updatedAt: ctx.now(),
          })
          .where(eq(inspectors.id, input.id))
          .returning();
        await ctx.audit(tx, {
          bureauCode: before.bureauCode,
          action: 'inspector.set-status',
          entity: 'inspectors',
          entityId: input.id,
          before: { status: before.status },
          after: { status: input.status, on: input.on ?? null },
        });
        return after!;
      });
    }),
});
