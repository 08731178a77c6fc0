/**
 * Outgoing credit exchange (R19, R22): blacklist and joint-punishment decisions and inspection
 * results, as records other systems (the credit platform 信用信息共享平台) take. One record shape
 * for the token API and the file export (JSON Lines and CSV); `docs/credit-exchange.md`
 * documents it. The column list below is the schema; the docs table mirrors it.
 */
import { and, asc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { blacklistProceedings, findings, plans, results, tasks, units } from '@spotcheck/db';
import { reasonText } from './blacklist';
import { sha256Hex } from './canonical';
import type { DbOrTx } from './db';
import { writeCsv } from '../transfer/csv';

/** Version of the record format; bumped on any incompatible change. */
export const CREDIT_FORMAT = 'spotcheck-credit/1';

/** Kinds of outgoing record. */
export type CreditRecordType =
  'blacklist-listing' | 'blacklist-removal' | 'joint-punishment' | 'inspection-result';

/** One outgoing record. Dates are China calendar dates `YYYY-MM-DD`. */
export interface CreditRecord {
  format: typeof CREDIT_FORMAT;
  recordType: CreditRecordType;
  /** Proceeding id (decisions) or result id (inspection results). */
  recordId: string;
  bureauCode: string;
  /** The unit's id on the roster: its unified social credit code 统一社会信用代码. */
  unitId: string;
  unitName: string;
  /** Decision date, or the inspection date of a result. */
  date: string;
  decisionNumber: string | null;
  /** Basis of a decision in Chinese (隐瞒重大事故隐患, 信用修复…); null for results. */
  basis: string | null;
  /** Result outcome (`compliant`, `violations`, …); null for decisions. */
  outcome: string | null;
  findings: number | null;
  majorHazards: number | null;
  /** The public notice of a decision, if published. */
  publicationId: string | null;
}

/** Column order of the CSV export (the schema in docs/credit-exchange.md). */
export const CREDIT_COLUMNS: (keyof CreditRecord)[] = [
  'format',
  'recordType',
  'recordId',
  'bureauCode',
  'unitId',
  'unitName',
  'date',
  'decisionNumber',
  'basis',
  'outcome',
  'findings',
  'majorHazards',
  'publicationId',
];

/** The outgoing records of bureaus (`'all'`: every bureau) dated within [from, to]. */
export async function creditRecords(
  db: DbOrTx,
  p: { bureaus: 'all' | string[]; from: string; to: string },
): Promise<CreditRecord[]> {
  const scope = (col: Parameters<typeof eq>[0]): SQL | undefined =>
    p.bureaus === 'all' ? undefined : p.bureaus.length ? inArray(col, p.bureaus) : sql`false`;
  const decisions = await db
    .select({ p: blacklistProceedings, unitName: units.name })
    .from(blacklistProceedings)
    .innerJoin(units, eq(units.id, blacklistProceedings.unitId))
    .where(
      and(
        scope(blacklistProceedings.bureauCode),
        inArray(blacklistProceedings.status, ['decided', 'published']),
        gte(blacklistProceedings.decidedOn, p.from),
        lte(blacklistProceedings.decidedOn, p.to),
      ),
    )
    .orderBy(asc(blacklistProceedings.decidedOn), asc(blacklistProceedings.id));
  const out: CreditRecord[] = [];
  for (const { p: d, unitName } of decisions) {
    const base = {
      format: CREDIT_FORMAT,
      recordId: d.id,
      bureauCode: d.bureauCode,
      unitId: d.unitId,
      unitName,
      date: d.decidedOn!,
      decisionNumber: d.decisionNumber,
      basis: reasonText(d.reason),
      outcome: null,
      findings: null,
      majorHazards: null,
      publicationId: d.publicationId,
    } as const;
    out.push({ ...base, recordType: d.kind === 'listing' ? 'blacklist-listing' : 'blacklist-removal' });
    if (d.kind === 'listing' && d.jointPunishment) out.push({ ...base, recordType: 'joint-punishment' });
  }
  const rs = await db
    .select({
      id: results.id,
      bureauCode: plans.bureauCode,
      unitId: units.id,
      unitName: units.name,
      inspectedOn: results.inspectedOn,
      outcome: results.outcome,
      findings: sql<number>`(select count(*)::int from ${findings} f where f.result_id = ${results.id})`,
      majorHazards: sql<number>`(select count(*)::int from ${findings} f where f.result_id = ${results.id} and f.kind = 'major-hazard')`,
    })
    .from(results)
    .innerJoin(tasks, eq(tasks.id, results.taskId))
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .innerJoin(units, eq(units.id, tasks.unitId))
    .where(
      and(
        scope(plans.bureauCode),
        gte(results.inspectedOn, p.from),
        lte(results.inspectedOn, p.to),
        sql`not exists (select 1 from ${results} x where x.supersedes_id = ${results.id})`,
      ),
    )
    .orderBy(asc(results.inspectedOn), asc(results.id));
  for (const r of rs)
    out.push({
      format: CREDIT_FORMAT,
      recordType: 'inspection-result',
      recordId: r.id,
      bureauCode: r.bureauCode,
      unitId: r.unitId,
      unitName: r.unitName,
      date: r.inspectedOn,
      decisionNumber: null,
      basis: null,
      outcome: r.outcome,
      findings: r.findings,
      majorHazards: r.majorHazards,
      publicationId: null,
    });
  return out;
}

/** JSON Lines: one record per line, UTF-8, LF line ends. */
export function toJsonLines(records: readonly CreditRecord[]): string {
  return (
    records.map((r) => JSON.stringify(Object.fromEntries(CREDIT_COLUMNS.map((c) => [c, r[c]])))).join('\n') +
    (records.length ? '\n' : '')
  );
}

/** CSV with a header row of column names (UTF-8 BOM, CRLF; text formula-safe, counts as numbers). */
export function toCsv(records: readonly CreditRecord[]): Buffer {
  return writeCsv([CREDIT_COLUMNS, ...records.map((r) => CREDIT_COLUMNS.map((c) => r[c]))]);
}

/** SHA-256 of a set of records as JSON Lines, named in the audit trail of each exchange. */
export function creditDigest(records: readonly CreditRecord[]): string {
  return sha256Hex(toJsonLines(records));
}
