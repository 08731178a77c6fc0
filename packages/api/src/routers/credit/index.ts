import { z } from 'zod';
import { appendAudit } from '../../audit/chain';
import { creditDigest, creditRecords, toCsv, toJsonLines, CREDIT_FORMAT } from '../../lib/credit-report';
import { fail } from '../../lib/errors';
import { ZBureauCodeSchema, ZDateSchema } from '../../lib/zod';
import { CITY_BUREAU, roleProcedure, router, tokenProcedure } from '../../trpc';

/** A date range of at most a year and a day (a quarter or a year of records per exchange). */
const ZRangeSchema = z
  .object({ from: ZDateSchema, to: ZDateSchema })
  .refine((r) => r.from <= r.to, { message: 'must not be before from', path: ['to'] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= 366 * 86400_000, {
    message: 'a range spans at most one year',
    path: ['to'],
  });

/** Credit exchange, outgoing (R19, R22): decisions and inspection results for other systems. */
export const creditRouter = router({
  /**
   * For other systems with a `credit:read` token: blacklist and joint-punishment decisions and
   * inspection results dated in the range (a district token: its own bureau; a city token:
   * every bureau). Each exchange is audited with the records' digest.
   */
  outgoing: tokenProcedure('credit:read')
    .input(ZRangeSchema)
    .query(async ({ ctx, input }) => {
      const token = ctx.apiToken;
      const records = await creditRecords(ctx.db, {
        bureaus: token.bureauCode === CITY_BUREAU ? 'all' : [token.bureauCode],
        ...input,
      });
      const digest = creditDigest(records);
      await appendAudit(
        ctx.db,
        {
          actorUserId: null,
          actorRole: `api-token:${token.id}`,
          bureauCode: token.bureauCode,
          action: 'credit.outgoing',
          entity: 'credit_exchange',
          entityId: null,
          after: { token: token.name, ...input, records: records.length, digest },
        },
        ctx.now(),
      );
      return { format: CREDIT_FORMAT, ...input, digest, records };
    }),

  /**
   * The same records as a file for hand-over (JSON Lines or CSV, format in
   * docs/credit-exchange.md), for the bureau's administrators and auditors. Audited.
   */
  exportFile: roleProcedure(['city-admin', 'district-admin', 'auditor'])
    .input(z.object({ bureauCode: ZBureauCodeSchema, format: z.enum(['jsonl', 'csv']) }).and(ZRangeSchema))
    .output(
      z.object({
        filename: z.string(),
        mime: z.string(),
        content: z.string(),
        records: z.number(),
        digest: z.string(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      ctx.access.bureau(input.bureauCode);
      if (input.bureauCode === CITY_BUREAU && ctx.access.scope !== 'all')
        fail('FORBIDDEN', 'bureauCode', 'credit.cityExportNeedsCityRole');
      const records = await creditRecords(ctx.db, {
        bureaus: input.bureauCode === CITY_BUREAU ? 'all' : [input.bureauCode],
        from: input.from,
        to: input.to,
      });
      const digest = creditDigest(records);
      const content = input.format === 'jsonl' ? toJsonLines(records) : toCsv(records).toString('utf8');
      const filename = `credit-${input.bureauCode}-${input.from}-${input.to}.${input.format}`;
      await ctx.db.transaction((tx) =>
        ctx.audit(tx, {
          bureauCode: input.bureauCode,
          action: 'credit.export',
          entity: 'credit_exchange',
          entityId: null,
          after: { filename, from: input.from, to: input.to, records: records.length, digest },
        }),
      );
      return {
        filename,
        mime: input.format === 'jsonl' ? 'application/x-ndjson' : 'text/csv; charset=utf-8',
        content,
        records: records.length,
        digest,
      };
    }),
});
