import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { apiTokens } from '@spotcheck/db';
import { API_TOKEN_SCOPES, newApiToken } from '../../auth/api-tokens';
import { fail } from '../../lib/errors';
import { columnsSchema } from '../../lib/outputs';
import { bureauFilter } from '../../lib/scope';
import { ZBureauCodeSchema, ZIdSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router } from '../../trpc';

const admin = roleProcedure(ROLE_GROUPS.admins);
const columns = {
  id: apiTokens.id,
  name: apiTokens.name,
  bureauCode: apiTokens.bureauCode,
  scopes: apiTokens.scopes,
  createdAt: apiTokens.createdAt,
  revokedAt: apiTokens.revokedAt,
};
const ZApiTokenSchema = columnsSchema(columns);

/** Bearer tokens for other government systems (R22–R23). The token is shown once; only its hash is kept. */
export const apiTokensRouter = router({
  /** Tokens of the bureaus in reach. */
  list: admin
    .input(z.object({ bureauCode: ZBureauCodeSchema.optional() }).default({}))
    .output(z.array(ZApiTokenSchema))
    .query(({ ctx, input }) =>
      ctx.db
        .select(columns)
        .from(apiTokens)
        .where(bureauFilter(ctx.access, apiTokens.bureauCode, input.bureauCode))
        .orderBy(asc(apiTokens.createdAt)),
    ),

  /** Creates a token; the response is the only time the token is visible. */
  create: admin
    .input(
      z.object({
        name: z.string().trim().min(2).max(100),
        bureauCode: ZBureauCodeSchema,
        scopes: z.array(z.enum(API_TOKEN_SCOPES)).min(1),
      }),
    )
    .output(ZApiTokenSchema.extend({ token: z.string() }))
    .mutation(async ({ ctx, input }) => {
      ctx.access.bureau(input.bureauCode);
      const { token, tokenHash } = newApiToken();
      return ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(apiTokens)
          .values({
            ...input,
            scopes: [...new Set(input.scopes)],
            tokenHash,
            createdBy: ctx.user.id,
            createdAt: ctx.now(),
          })
          .returning(columns);
        await ctx.audit(tx, {
          bureauCode: input.bureauCode,
          action: 'api-token.create',
          entity: 'api_tokens',
          entityId: row!.id,
          after: row,
        });
        return { ...row!, token };
      });
    }),

  /** Revokes a token at once. */
  revoke: admin
    .input(z.object({ id: ZIdSchema }))
    .output(ZApiTokenSchema)
    .mutation(async ({ ctx, input }) => {
      const row = await ctx.db.query.apiTokens.findFirst({ where: (t, { eq }) => eq(t.id, input.id) });
      if (!row) fail('NOT_FOUND', 'id', 'apiToken.notFound', { id: input.id });
      ctx.access.bureau(row.bureauCode);
      return ctx.db.transaction(async (tx) => {
        const [after] = await tx
          .update(apiTokens)
          .set({ revokedAt: ctx.now() })
          .where(and(eq(apiTokens.id, row.id), isNull(apiTokens.revokedAt)))
          .returning(columns);
        if (!after) fail('CONFLICT', 'id', 'apiToken.alreadyRevoked');
        await ctx.audit(tx, {
          bureauCode: row.bureauCode,
          action: 'api-token.revoke',
          entity: 'api_tokens',
          entityId: row.id,
          after: { revokedAt: after.revokedAt },
        });
        return after;
      });
    }),
});
