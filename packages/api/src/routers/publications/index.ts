import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { digestOf, SR_DRAW_V2 } from '@spotcheck/core';
import { logVerificationInputs, type LogVerificationInputs } from '../../log/proofs';
import { draws, logLeaves, plans, publications, reminders } from '@spotcheck/db';
import { ZDrawVerificationSchema } from '../../lib/bundle';
import { checkDrawOffThread } from '../../lib/verification-thread';
import type { DrawCheck } from '../../lib/draw-check';
import { fail, notFound } from '../../lib/errors';
import { learnedSigningTime, learnSigningTime, verificationMemo } from '../../lib/verification-memo';
import { publicationRecords } from '../../lib/publication-record';
import { endedQuarters } from '../../jobs/publication';
import {
  firstQuarterPublications,
  publishQuarter,
  quarterlyItems,
  quarterOf,
  quarterResults,
  quarterSchedule,
  quarterState,
  quarterStatus,
  type QuarterStatus,
} from '../../lib/quarterly';
import { workCalendar } from '../../lib/work-calendar';
import { todayInChina } from '../../lib/scope';
import { ZBureauCodeSchema, ZIdSchema } from '../../lib/zod';
import { publicProcedure, ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import {
  publicationHeader,
  readPublication,
  listPublications,
  ZPublicationHeaderSchema,
  ZPublicationListSchema,
  ZPublicationSchema,
} from '../../lib/publications';
import { rowSchema } from '../../lib/outputs';

export { PUBLICATION_KINDS } from '../../lib/publications';

/** A bureau and a quarter `YYYY-Qn`. */
export const ZQuarterInputSchema = z.object({
  bureauCode: ZBureauCodeSchema,
  period: z.string().regex(/^\d{4}-Q[1-4]$/, 'must be YYYY-Qn'),
});

const ZQuarterStateSchema = z.enum([
  'open',
  'upcoming',
  'due-soon',
  'published',
  'published-late',
  'overdue',
]);
/** A bureau's quarter: its schedule on the PRC calendar and its publication state. */
const ZQuarterStatusSchema = z.object({
  period: z.string(),
  endsOn: z.string(),
  remindOn: z.string(),
  publishOn: z.string(),
  dueOn: z.string(),
  calendarKnown: z.boolean(),
  bureauCode: z.string(),
  publishedAt: z.date().nullable(),
  pending: z.number(),
  state: ZQuarterStateSchema,
  workdaysLeft: z.number(),
});

/** The public 双随机、一公开 column (R15–R16): read by anyone; quarterly results published by admins. */
export const publicationsRouter = router({
  /** Publications, newest first (no login). */
  list: publicProcedure
    .input(ZPublicationListSchema)
    .output(z.array(ZPublicationHeaderSchema))
    .query(({ ctx, input }) => listPublications(ctx.db, input)),

  /**
   * One publication with its content (no login); one too large to send as one response (a city
   * draw) is refused, naming its file `/open/publication/<id>.json`.
   */
  get: publicProcedure
    .input(z.object({ id: ZIdSchema }))
    .output(ZPublicationSchema)
    .query(({ ctx, input }) => readPublication(ctx.db, input.id)),

  /**
   * Recomputes a published draw and checks its sign-off (no login): anyone can verify (B1). A v2
   * `void` publication is checked the same way (its commitment time from the log, its inputs,
   * randomness and result when they existed, the signed void against the registry).
   */
  verifyDraw: publicProcedure
    .input(z.object({ id: ZIdSchema }))
    .output(ZDrawVerificationSchema)
    .query(async ({ ctx, input }) => {
      // The head first (kind, draw, bureau, algorithm, signing time), without the content: a
      // city draw's bundle is 10^8 bytes and its check takes tens of seconds, so a report is
      // kept for the same publication checked against the same log and registry inputs, and
      // concurrent requests share one check (anyone may call this, as often as they like). The
      // algorithm and the signing time are read from the draw's row: each read of a member of the
      // content would decompress all of it (0.7 s for a city draw). The check then uses the
      // signing time its bundle says, whatever the row says (checkDrawOffThread), and a bundle of
      // another algorithm than its row fails its check.
      const isDrawOrVoid = sql`${publications.kind} in ('draw', 'void')
        and ${publications.refId} ~ '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'`;
      const [head] = await ctx.db
        .select({
          id: publications.id,
          kind: publications.kind,
          refId: publications.refId,
          bureauCode: publications.bureauCode,
          // The row's version: a report is kept for it only (one edited behind the platform's
          // back is checked again).
          version: sql<string>`${publications}.xmin::text`,
          // A draw or void whose draw's row is gone says its algorithm itself (its content read
          // then only: other kinds' are never read here).
          algorithm: sql<string | null>`case when ${draws.id} is not null then ${draws.algorithm}
            when ${publications.kind} in ('draw', 'void') then ${publications.content}->>'algorithm' end`,
          drawFound: sql<boolean>`${draws.id} is not null`,
          // Whether the draw's plan on record is covert: only its voids may be published sealed.
          planSealed: sql<boolean>`coalesce((select ${plans.sealed} from ${plans} where ${plans.id} = ${draws.planId}), false)`,
          // A void is checked against the registry of its void's signing; a draw, of its sign-off.
          signedAt: sql<string | null>`case when ${publications.kind} = 'void'
            then ${draws.voidSignOff}->>'signedAt' else ${draws.signOff}->>'signedAt' end`,
        })
        .from(publications)
        .leftJoin(
          draws,
          and(
            eq(draws.bureauCode, publications.bureauCode),
            // Only a draw's or a void's reference is a draw's id (others are not uuids).
            sql`${draws.id} = case when ${isDrawOrVoid} then ${publications.refId}::uuid end`,
          ),
        )
        .where(eq(publications.id, input.id));
      if (!head) notFound('id', 'publication', input.id);
      const isVoidV2 = head.kind === 'void' && head.algorithm === SR_DRAW_V2;
      if (head.kind !== 'draw' && !isVoidV2)
        fail('BAD_REQUEST', 'id', 'publication.notDrawOrVoid', { id: head.id, kind: head.kind });
      // The record's JSON goes to the verification thread as it is: parsing and checking a city
      // draw there leaves this thread free for every other request. It is the very bytes its
      // public file serves, read once per version of the row for both (publication-record.ts),
      // and copied for the thread (the kept bytes stay with the file).
      const content = async () => {
        const record = await publicationRecords(ctx.db)(head.id);
        if (!record) notFound('id', 'publication', head.id);
        return new Uint8Array(record.json);
      };
      if (head.algorithm !== SR_DRAW_V2) {
        // sr-draw/v1 trusts the key its sign-off carries, so nothing but the log tells a legacy
        // draw from one an insider wrote into the row with a key of their own: the check runs only
        // for a draw on record whose content is what the log recorded when it was published.
        const refused = (reason: string) => ({
          algorithm: 'sr-draw/v1' as const,
          ok: false,
          checks: [{ id: 'log', status: 'fail' as const, params: {}, message: reason }],
          bundle: { ok: false, reason },
          signature: { ok: false, reason },
        });
        if (!head.drawFound) return refused('the publication names no draw on record');
        const [logged] = await ctx.db
          .select({ leaf: logLeaves.leaf })
          .from(logLeaves)
          .where(eq(logLeaves.publicationId, head.id))
          .limit(1);
        if (!logged) return refused('the transparency log holds no entry of this publication');
        const recorded = (JSON.parse(logged.leaf) as { contentDigest?: unknown }).contentDigest;
        return verificationMemo(head.id, `${head.version}|v1`, async () => {
          const bytes = await content();
          const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { content?: unknown };
          if (digestOf(parsed.content) !== recorded)
            return refused('the content is not what the transparency log recorded when it was published');
          return checkDrawOffThread({ algorithm: 'sr-draw/v1', content: bytes, record: true }, null);
        });
      }
      const check = async (inputs: LogVerificationInputs): Promise<DrawCheck> => ({
        algorithm: 'sr-draw/v2',
        isVoid: isVoidV2,
        planSealed: head.planSealed,
        content: await content(),
        record: true,
        inputs,
        production: ctx.production,
      });
      const inputsAt = (signedAt: string | null) =>
        logVerificationInputs(
          ctx.db,
          head.refId,
          head.bureauCode,
          signedAt,
          head.id,
          isVoidV2 ? 'void' : 'draw',
          ctx.now(),
        );
      // The registry of the bundle's own signing time: the row's, unless a check of this version
      // found the bundle saying another. The report is kept under the inputs it was made from.
      const learned = learnedSigningTime(head.id, head.version);
      const inputs = await inputsAt(learned ? learned.signedAt : head.signedAt);
      return verificationMemo(
        head.id,
        `${head.version}|${ctx.production}|${head.planSealed}|${inputs.fingerprint}`,
        async () =>
          checkDrawOffThread(await check(inputs), async (signedAt) => {
            learnSigningTime(head.id, head.version, signedAt);
            return check(await inputsAt(signedAt));
          }),
      );
    }),

  /**
   * Publishes a quarter's results of a bureau now (R15, admins): every result inspected in the
   * quarter the first time, then only results not yet published (a supplementary publication);
   * nothing new → nothing published. Items go through the redaction policy (R16). Returns the
   * publication's header (a city quarter's content is read from its file, as anyone reads it).
   */
  publishQuarterlyResults: roleProcedure(ROLE_GROUPS.admins)
    .input(ZQuarterInputSchema)
    .output(ZPublicationHeaderSchema)
    .mutation(async ({ ctx, input }) => {
      const role = ctx.access.bureau(input.bureauCode);
      const r = await publishQuarter(ctx.db, {
        bureauCode: input.bureauCode,
        period: input.period,
        by: ctx.user.id,
        byRole: role,
        now: ctx.now(),
      });
      if (r.status === 'unchanged')
        fail('CONFLICT', 'period', 'publication.nothingNew', { period: input.period });
      await ctx.db
        .update(reminders)
        .set({ resolvedAt: ctx.now() })
        .where(
          and(
            eq(reminders.bureauCode, input.bureauCode),
            eq(reminders.kind, 'quarterly-results'),
            eq(reminders.subject, input.period),
            isNull(reminders.resolvedAt),
          ),
        );
      return publicationHeader(ctx.db, r.publicationId!);
    }),

  /** What publishing a quarter now would publish (staff of the bureau): the public items and counts. */
  previewQuarterlyResults: roleProcedure(ROLE_GROUPS.staff)
    .input(ZQuarterInputSchema)
    .output(
      ZQuarterStatusSchema.extend({
        alreadyPublished: z.number(),
        items: z.array(z.record(z.string(), z.unknown())),
      }),
    )
    .query(async ({ ctx, input }) => {
      ctx.access.bureau(input.bureauCode);
      const { rows, published } = await quarterResults(ctx.db, input.bureauCode, input.period);
      const fresh = rows.filter((r) => !published.has(r.result.id));
      return {
        ...(await quarterStatus(ctx.db, input.bureauCode, input.period, ctx.now())),
        alreadyPublished: published.size,
        items: await quarterlyItems(ctx.db, fresh),
      };
    }),

  /**
   * The public's view of a bureau's quarterly deadlines (no login): for the current and the last
   * four ended quarters, the 20-working-day deadline on the PRC calendar, when the quarter was first
   * published, and whether that was on time — so a quarter a bureau skipped, or published late,
   * shows on the portal as such instead of as a silent gap. Only for bureaus that run plans; no
   * counts of unpublished results (those stay internal).
   */
  deadlines: publicProcedure
    .input(z.object({ bureauCode: ZBureauCodeSchema }))
    .output(
      z.object({
        today: z.string(),
        quarters: z.array(
          ZQuarterStatusSchema.pick({
            period: true,
            endsOn: true,
            dueOn: true,
            publishedAt: true,
            state: true,
            calendarKnown: true,
          }),
        ),
      }),
    )
    .query(async ({ ctx, input }) => {
      const now = ctx.now();
      const today = todayInChina(now);
      // A bureau runs plans once it has published one (its commitment or plan id): a draft plan,
      // which the public may not know of, changes nothing here.
      const [planning] = await ctx.db
        .select({ code: publications.bureauCode })
        .from(publications)
        .where(
          and(
            eq(publications.bureauCode, input.bureauCode),
            inArray(publications.kind, ['plan-id', 'commitment']),
          ),
        )
        .limit(1);
      if (!planning) return { today, quarters: [] };
      // Only when each quarter was first published: not its results (their counts stay internal),
      // which cost a read per quarter of every result the bureau recorded in it.
      const periods = [quarterOf(today), ...endedQuarters(today)];
      const first = await firstQuarterPublications(ctx.db, input.bureauCode, periods);
      const cal = workCalendar();
      const quarters = periods.map((period) => {
        const s = quarterSchedule(period, cal);
        const publishedAt = first.get(period) ?? null;
        return {
          period,
          endsOn: s.endsOn,
          dueOn: s.dueOn,
          publishedAt,
          state: quarterState(s, publishedAt, today),
          calendarKnown: s.calendarKnown,
        };
      });
      return { today, quarters };
    }),

  /**
   * Publication status of a bureau's recent quarters (staff): schedule (reminder, publication and
   * due working days on the PRC calendar), state (overdue…), pending results, open reminders.
   */
  quarterStatus: roleProcedure(ROLE_GROUPS.staff)
    .input(
      z.object({
        bureauCode: ZBureauCodeSchema.optional(),
        quarters: z.number().int().min(1).max(8).default(4),
      }),
    )
    .output(
      z.object({
        today: z.string(),
        quarters: z.array(ZQuarterStatusSchema),
        reminders: z.array(rowSchema(reminders)),
      }),
    )
    .query(async ({ ctx, input }) => {
      const now = ctx.now();
      const today = todayInChina(now);
      if (input.bureauCode) ctx.access.bureau(input.bureauCode);
      const codes = input.bureauCode
        ? [input.bureauCode]
        : (await ctx.db.selectDistinct({ code: plans.bureauCode }).from(plans)).map((r) => r.code);
      const out: QuarterStatus[] = [];
      for (const code of codes.filter((c) => ctx.access.reaches(c))) {
        ctx.access.bureau(code);
        for (const period of [quarterOf(today), ...endedQuarters(today, input.quarters)])
          out.push(await quarterStatus(ctx.db, code, period, now));
      }
      const open = await ctx.db
        .select()
        .from(reminders)
        .where(isNull(reminders.resolvedAt))
        .orderBy(desc(reminders.createdAt))
        .limit(200);
      return {
        today,
        quarters: out,
        reminders: open.filter((r) => codes.includes(r.bureauCode) && ctx.access.reaches(r.bureauCode)),
      };
    }),
});
