/**
 * Shared pieces of the use of results (R17–R19): the finding a case, supervision or proposal
 * starts from, documents (evidence uploads), step dates, and the legal basis of a checklist item.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { checklistItems, checklistVersions, findings, plans, results, tasks } from '@spotcheck/db';
import type { Access } from '../trpc';
import type { DbOrTx } from './db';
import { fail, notFound } from './errors';
import { usableEvidence, ZEvidenceSchema, type TEvidence } from './evidence';

/** Documents of a step: evidence files uploaded first (`/api/evidence`), at most 20. */
export const ZDocumentsSchema = z.array(ZEvidenceSchema).max(20).default([]);

/** A finding with its result, task and the bureau of its plan. */
export interface FindingContext {
  finding: typeof findings.$inferSelect;
  result: typeof results.$inferSelect;
  task: typeof tasks.$inferSelect;
  plan: typeof plans.$inferSelect;
  bureauCode: string;
}

/**
 * Loads a finding with its result, task and plan, checking the caller reaches its bureau
 * (`access`; null for internal callers). Refuses a finding of a result that has been
 * corrected (the correction's findings count), so nothing acts on a superseded record.
 */
export async function loadFindingContext(
  db: DbOrTx,
  findingId: string,
  access: Pick<Access, 'bureau'> | null,
): Promise<FindingContext> {
  const [row] = await db
    .select({ finding: findings, result: results, task: tasks, plan: plans })
    .from(findings)
    .innerJoin(results, eq(results.id, findings.resultId))
    .innerJoin(tasks, eq(tasks.id, results.taskId))
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .where(eq(findings.id, findingId));
  if (!row) notFound('findingId', 'finding', findingId);
  // The caller's scope first: another bureau learns nothing about the finding's history.
  access?.bureau(row.plan.bureauCode);
  const correction = await db.query.results.findFirst({
    where: (r, { eq }) => eq(r.supersedesId, row.result.id),
  });
  if (correction) fail('CONFLICT', 'findingId', 'finding.corrected', { correctionId: correction.id });
  return { ...row, bureauCode: row.plan.bureauCode };
}

/** Checks that every document was uploaded in the bureau (or by the user); names the bad one. */
export async function checkDocuments(
  db: DbOrTx,
  docs: readonly TEvidence[],
  bureauCode: string,
  userId: string,
  field = 'documents',
): Promise<void> {
  const usable = await usableEvidence(
    db,
    docs.map((d) => d.sha256),
    bureauCode,
    userId,
  );
  for (const [i, d] of docs.entries())
    if (usable.get(d.sha256) !== d.size) fail('BAD_REQUEST', `${field}.${i}.sha256`, 'evidence.notUploaded');
}

/** A step's date: not in the future, and not before the step it follows. */
export function checkStepDate(field: string, on: string, today: string, after: string | null, what: string) {
  if (on > today) fail('BAD_REQUEST', field, 'date.inFuture');
  if (after && on < after) fail('BAD_REQUEST', field, 'date.beforeStep', { what, after });
}

/**
 * The checklist item a finding cites, from the plan's checklist version (else the newest
 * published version that has the code): code, title and legal basis 检查依据.
 */
export async function checklistItemOf(
  db: DbOrTx,
  code: string | null,
  planVersionId: string | null,
): Promise<{ code: string; title: string; legalBasis: string } | null> {
  if (!code) return null;
  const pick = (rows: (typeof checklistItems.$inferSelect)[]) =>
    rows[0]
      ? { code: rows[0].code, title: `${rows[0].item}：${rows[0].content}`, legalBasis: rows[0].legalBasis }
      : null;
  if (planVersionId) {
    const own = await db
      .select()
      .from(checklistItems)
      .where(and(eq(checklistItems.versionId, planVersionId), eq(checklistItems.code, code)));
    if (own.length) return pick(own);
  }
  const newest = await db
    .select({ item: checklistItems })
    .from(checklistItems)
    .innerJoin(checklistVersions, eq(checklistVersions.id, checklistItems.versionId))
    .where(and(eq(checklistItems.code, code), inArray(checklistVersions.status, ['published'])))
    .orderBy(desc(checklistVersions.publishedAt))
    .limit(1);
  return pick(newest.map((r) => r.item));
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
