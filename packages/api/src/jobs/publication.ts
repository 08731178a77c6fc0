import { and, eq, isNull, sql } from 'drizzle-orm';
import { plans, publications, reminders } from '@spotcheck/db';
import { publishPendingBlacklist } from '../lib/blacklist';
import { previousQuarter, publishQuarter, quarterOf, quarterSchedule, quarterStatus } from '../lib/quarterly';
import { todayInChina } from '../lib/scope';
import { registerJob } from './registry';
import type { Db } from '@spotcheck/db';

/** How many ended quarters the jobs look back at (late results, supplements, reminders). */
const LOOKBACK_QUARTERS = 4;

/** The last `n` ended quarters before today's, newest first. */
export function endedQuarters(today: string, n = LOOKBACK_QUARTERS): string[] {
  const out: string[] = [];
  for (let q = previousQuarter(quarterOf(today)); out.length < n; q = previousQuarter(q)) out.push(q);
  return out;
}

/** Bureaus that run plans (the ones with results to publish). */
async function planningBureaus(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ code: plans.bureauCode }).from(plans).orderBy(plans.bureauCode);
  return rows.map((r) => r.code);
}

async function isPublished(db: Db, bureauCode: string, period: string): Promise<boolean> {
  const [row] = await db
    .select({ id: publications.id })
    .from(publications)
    .where(
      and(
        eq(publications.bureauCode, bureauCode),
        eq(publications.kind, 'quarterly-results'),
        eq(publications.period, period),
      ),
    )
    .limit(1);
  return !!row;
}

/**
 * Quarterly publication of results (R15): on the quarter's publication working day each bureau
 * that runs plans publishes the results inspected in it; afterwards, results of a published
 * quarter entered late go out as a supplementary publication. Runs daily; idempotent.
 */
export const quarterlyResultsJob = registerJob({
  name: 'quarterly-results',
  cron: '0 2 * * *',
  description: 'Publishes each quarter’s inspection results on its publication working day, and supplements',
  async run({ db, now }) {
    const today = todayInChina(now);
    const done: { bureauCode: string; period: string; status: string; items: number }[] = [];
    for (const bureauCode of await planningBureaus(db)) {
      for (const period of endedQuarters(today)) {
        const published = await isPublished(db, bureauCode, period);
        if (!published && today < quarterSchedule(period).publishOn) continue;
        const r = await publishQuarter(db, { bureauCode, period, by: null, byRole: 'job', now });
        if (r.status !== 'unchanged') done.push({ bureauCode, period, status: r.status, items: r.items });
      }
    }
    if (done.length)
      await db
        .update(reminders)
        .set({ resolvedAt: now })
        .where(
          and(
            eq(reminders.kind, 'quarterly-results'),
            isNull(reminders.resolvedAt),
            sql`(${reminders.bureauCode}, ${reminders.subject}) in (${sql.join(
              done.map((d) => sql`(${d.bureauCode}, ${d.period})`),
              sql`, `,
            )})`,
          ),
        );
    return {
      published: done.filter((d) => d.status === 'published').length,
      supplements: done.filter((d) => d.status === 'supplement').length,
      done,
    };
  },
});

/**
 * Reminders to bureaus about quarterly publication: `due-soon` from the reminder working day,
 * `overdue` once the 20-working-day deadline has passed without a publication. One reminder per
 * bureau, quarter and level; resolved when the quarter is published.
 */
export const publicationRemindersJob = registerJob({
  name: 'publication-reminders',
  cron: '0 9 * * *',
  description: 'Reminds bureaus of quarterly publications due soon or overdue',
  async run({ db, now }) {
    const today = todayInChina(now);
    let created = 0;
    let resolved = 0;
    for (const bureauCode of await planningBureaus(db)) {
      for (const period of endedQuarters(today)) {
        const s = await quarterStatus(db, bureauCode, period, now);
        if (s.state === 'published' || s.state === 'published-late') {
          const r = await db
            .update(reminders)
            .set({ resolvedAt: now })
            .where(
              and(
                eq(reminders.bureauCode, bureauCode),
                eq(reminders.kind, 'quarterly-results'),
                eq(reminders.subject, period),
                isNull(reminders.resolvedAt),
              ),
            )
            .returning({ id: reminders.id });
          resolved += r.length;
          continue;
        }
        if (s.state !== 'due-soon' && s.state !== 'overdue') continue;
        const r = await db
          .insert(reminders)
          .values({
            bureauCode,
            kind: 'quarterly-results',
            subject: period,
            level: s.state,
            dueOn: s.dueOn,
            createdAt: now,
          })
          .onConflictDoNothing()
          .returning({ id: reminders.id });
        created += r.length;
      }
    }
    return { created, resolved };
  },
});

/** Publishes blacklist entries not yet public (seeded, imported, pushed, decided), every 10 minutes. */
export const blacklistPublicationJob = registerJob({
  name: 'blacklist-publication',
  cron: '*/10 * * * *',
  description: 'Publishes every blacklist entry not yet in the public column, with its basis and date',
  run: ({ db, now }) => db.transaction((tx) => publishPendingBlacklist(tx, { now })),
});
