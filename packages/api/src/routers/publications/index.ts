import { and, asc, desc, eq, gte, inArray, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { SR_DRAW_V2, verifyBundleV2 } from '@spotcheck/core';
import { nodeCryptoHasher } from '@spotcheck/core/node';
import { publishedRegistryOf } from '../../lib/key-registry';
import { findings, inspectors, plans, publications, results, tasks, units } from '@spotcheck/db';
import { verifyPublishedDraw, type SignOff } from '../../lib/bundle';
import { fail, notFound } from '../../lib/errors';
import { publish } from '../../lib/publish';
import { redactInspector, redactUnit } from '../../lib/redact';
import { ZBureauCodeSchema, ZIdSchema } from '../../lib/zod';
import { publicProcedure, ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import type { DbOrTx } from '../../lib/db';

/** Kinds of publications. */
export const PUBLICATION_KINDS = [
  'checklist',
  'procedure',
  'plan',
  'commitment',
  'draw',
  'void',
  'quarterly-results',
  'blacklist',
  'audit-checkpoint',
  'log-witnesses',
] as const;

/** Input of `publications.list`. */
export const ZPublicationListSchema = z
  .object({
    bureauCode: ZBureauCodeSchema.optional(),
    kind: z.enum(PUBLICATION_KINDS).optional(),
    period: z.string().max(20).optional(),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).default(0),
  })
  .default({ limit: 50, offset: 0 });

/** Lists publications (headers only); shared by the portal and the external API. */
export async function listPublications(db: DbOrTx, input: z.infer<typeof ZPublicationListSchema>) {
  const where: SQL[] = [];
  if (input.bureauCode) where.push(eq(publications.bureauCode, input.bureauCode));
  if (input.kind) where.push(eq(publications.kind, input.kind));
  if (input.period) where.push(eq(publications.period, input.period));
  return db
    .select({
      id: publications.id,
      bureauCode: publications.bureauCode,
      kind: publications.kind,
      refId: publications.refId,
      period: publications.period,
      title: publications.title,
      digest: publications.digest,
      replacesId: publications.replacesId,
      publishedAt: publications.publishedAt,
    })
    .from(publications)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(publications.publishedAt))
    .limit(input.limit)
    .offset(input.offset);
}

/** One publication in full. */
export async function getPublication(db: DbOrTx, id: string) {
  const row = await db.query.publications.findFirst({ where: (p, { eq }) => eq(p.id, id) });
  if (!row) notFound('id', 'publication', id);
  return row;
}

/** First and last instant (China time) of a quarter `YYYY-Qn`. */
function quarterRange(period: string): [Date, Date] {
  const [y, q] = [Number(period.slice(0, 4)), Number(period.slice(6))];
  const start = new Date(`${y}-${String(q * 3 - 2).padStart(2, '0')}-01T00:00:00+08:00`);
  const end =
    q === 4
      ? new Date(`${y + 1}-01-01T00:00:00+08:00`)
      : new Date(`${y}-${String(q * 3 + 1).padStart(2, '0')}-01T00:00:00+08:00`);
  return [start, end];
}

/** The public 双随机、一公开 column (R15–R16): read by anyone; quarterly results published by admins. */
export const publicationsRouter = router({
  /** Publications, newest first (no login). */
  list: publicProcedure
    .input(ZPublicationListSchema)
    .query(({ ctx, input }) => listPublications(ctx.db, input)),

  /** One publication with its content (no login). */
  get: publicProcedure
    .input(z.object({ id: ZIdSchema }))
    .query(({ ctx, input }) => getPublication(ctx.db, input.id)),

  /** Recomputes a published draw and checks its sign-off (no login): anyone can verify (B1). */
  verifyDraw: publicProcedure.input(z.object({ id: ZIdSchema })).query(async ({ ctx, input }) => {
    const p = await getPublication(ctx.db, input.id);
    if (p.kind !== 'draw') fail('BAD_REQUEST', 'id', `publication ${p.id} is a ${p.kind}, not a draw`);
    const content = p.content as { algorithm?: string; bundle: unknown; signOff: SignOff | null };
    if (content.algorithm === SR_DRAW_V2) {
      // v2: every check, one line each, against the registry the bureau has published.
      const report = verifyBundleV2(content.bundle, {
        registry: (await publishedRegistryOf(ctx.db, p.bureauCode)) ?? undefined,
        production: ctx.production,
        hasher: nodeCryptoHasher,
      });
      return { ...report, algorithm: 'sr-draw/v2' as const };
    }
    const v1 = verifyPublishedDraw(content.bundle, content.signOff);
    return { algorithm: 'sr-draw/v1' as const, ok: v1.bundle.ok && v1.signature.ok, checks: [], ...v1 };
  }),

  /**
   * Publishes a quarter's results of a bureau (R15): per inspected unit its identity, the team
   * (name and certificate only), outcome and finding counts. Covert tasks appear once executed.
   */
  publishQuarterlyResults: roleProcedure(ROLE_GROUPS.admins)
    .input(
      z.object({
        bureauCode: ZBureauCodeSchema,
        period: z.string().regex(/^\d{4}-Q[1-4]$/, 'must be YYYY-Qn'),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      ctx.access.bureau(input.bureauCode);
      const [start, end] = quarterRange(input.period);
      const now = ctx.now();
      if (now < end) fail('BAD_REQUEST', 'period', `${input.period} has not ended yet`);
      const rows = await ctx.db
        .select({ result: results, task: tasks, unit: units })
        .from(results)
        .innerJoin(tasks, eq(tasks.id, results.taskId))
        .innerJoin(plans, eq(plans.id, tasks.planId))
        .innerJoin(units, eq(units.id, tasks.unitId))
        .where(
          and(
            eq(plans.bureauCode, input.bureauCode),
            eq(tasks.status, 'done'),
            gte(results.recordedAt, start),
            lt(results.recordedAt, end),
          ),
        )
        .orderBy(asc(results.recordedAt));
      // The latest result per task (corrections supersede).
      const latest = new Map<string, (typeof rows)[number]>();
      for (const r of rows) latest.set(r.task.id, r);
      const resultIds = [...latest.values()].map((r) => r.result.id);
      const f = resultIds.length
        ? await ctx.db
            .select({ resultId: findings.resultId, kind: findings.kind })
            .from(findings)
            .where(inArray(findings.resultId, resultIds))
        : [];
      const teamIds = [...new Set([...latest.values()].flatMap((r) => r.task.team))];
      const people = teamIds.length
        ? await ctx.db.select().from(inspectors).where(inArray(inspectors.id, teamIds))
        : [];
      const items = [...latest.values()].map((r) => ({
        unit: redactUnit(r.unit),
        inspectedOn: r.result.inspectedOn,
        outcome: r.result.outcome,
        team: r.task.team.map((id) => {
          const p = people.find((x) => x.id === id);
          return p ? redactInspector(p) : { name: '', certificateNo: '' };
        }),
        findings: {
          violation: f.filter((x) => x.resultId === r.result.id && x.kind === 'violation').length,
          hazard: f.filter((x) => x.resultId === r.result.id && x.kind === 'hazard').length,
          majorHazard: f.filter((x) => x.resultId === r.result.id && x.kind === 'major-hazard').length,
        },
      }));
      return ctx.db.transaction(async (tx) => {
        const prev = await tx.query.publications.findFirst({
          where: (p, { and, eq }) =>
            and(
              eq(p.bureauCode, input.bureauCode),
              eq(p.kind, 'quarterly-results'),
              eq(p.period, input.period),
            ),
          orderBy: (p, { desc }) => [desc(p.publishedAt)],
        });
        const pub = await publish(tx, {
          bureauCode: input.bureauCode,
          kind: 'quarterly-results',
          refId: `${input.bureauCode}:${input.period}`,
          period: input.period,
          title: `${input.period} 随机抽查结果`,
          content: { period: input.period, inspected: items.length, items },
          by: ctx.user.id,
          at: now,
          replacesId: prev?.id ?? null,
        });
        await ctx.audit(tx, {
          bureauCode: input.bureauCode,
          action: 'publication.quarterly-results',
          entity: 'publications',
          entityId: pub.id,
          after: { period: input.period, inspected: items.length, digest: pub.digest },
        });
        return pub;
      });
    }),
});
