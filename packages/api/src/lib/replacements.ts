/**
 * Publication of §9.6 team member replacements. A replacement on an open plan is published at
 * once; one on a covert plan (暗查暗访, R10) names the covert team, so it is withheld while the
 * plan is sealed and published with the draw once every inspection is executed. Either way the
 * public record ends with every replacement, in order, checkable against the published bundle.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import {
  SR_DRAW_V2,
  type CommitmentV2,
  type FrameRowV2,
  type PersonRow,
  type ReplacementBundle,
  type ReplacementRecordV2,
  type SelectedUnitV2,
} from '@spotcheck/core';
import { drawReplacements, draws, inspectors, publications } from '@spotcheck/db';
import { executeRows, type DbOrTx } from './db';
import { notFound } from './errors';
import { publish } from './publish';
import { redactInspector } from './redact';
import type { DrawRow, PlanRow } from './workflow';

/** Public content of a `replacement` publication (refId = draw id). */
export interface ReplacementPublicationV2 {
  algorithm: 'sr-draw/v2';
  record: ReplacementRecordV2;
  /** Public names of the inspectors the record names (R16 redaction). */
  inspectors: Record<string, { name: string; certificateNo: string }>;
}

/** A draw's replacement records, in order. */
export async function replacementRecordsOf(db: DbOrTx, drawId: string): Promise<ReplacementRecordV2[]> {
  const rows = await db
    .select({ record: drawReplacements.record })
    .from(drawReplacements)
    .where(eq(drawReplacements.drawId, drawId))
    .orderBy(asc(drawReplacements.number));
  return rows.map((r) => r.record);
}

/**
 * What core's `verifyReplacementsV2` reads of a drawn bundle to check `records`, read in SQL: the
 * commitment, digests, randomness and inspector rows, the result entries of the units the records
 * name and their frame rows (read only for the specialty a `team.specialist` draw requires), and
 * each inspector's load over the whole result (`loads`). A city
 * draw's frame and result (~10^8 bytes) are scanned by PostgreSQL, never sent here whole. The
 * report is the one the whole bundle gives (test/api/replacement-verify.test.ts).
 */
export async function replacementBundleOf(
  db: DbOrTx,
  drawId: string,
  records: readonly unknown[],
): Promise<ReplacementBundle> {
  // Units as the records name them (a malformed record is the verifier's to report).
  const named = JSON.stringify([
    ...new Set(
      records.flatMap((r) => {
        const unit = typeof r === 'object' && r !== null ? (r as { unit?: unknown }).unit : undefined;
        return typeof unit === 'string' ? [unit] : [];
      }),
    ),
  ]);
  const none = records.length === 0;
  // The selected units are listed once (a CTE referenced twice is materialised once), for the
  // named units' entries and for the loads.
  const [row] = await executeRows<{
    commitment: CommitmentV2;
    commitment_digest: string;
    randomness: { string: string };
    result_digest: string;
    inspectors: PersonRow[];
    frame: FrameRowV2[] | string;
    selected: SelectedUnitV2[] | string;
    loads: Record<string, number> | string;
  }>(
    db,
    sql`WITH sel AS (
          SELECT s.v, s.ord FROM ${draws}, jsonb_array_elements(${draws.result} -> 'selected') WITH ORDINALITY AS s(v, ord)
          WHERE ${draws.id} = ${drawId} AND NOT ${none})
        SELECT ${draws.commitment} AS commitment, ${draws.commitmentDigest} AS commitment_digest,
          ${draws.randomness} AS randomness, ${draws.resultDigest} AS result_digest,
          ${draws.inspectorRows} AS inspectors,
          (SELECT coalesce(jsonb_agg(f.v ORDER BY f.ord), '[]'::jsonb)
             FROM jsonb_array_elements(CASE WHEN ${none} OR (${draws.commitment} -> 'team' ->> 'specialist') IS DISTINCT FROM 'true'
               THEN '[]'::jsonb ELSE ${draws.frame} END) WITH ORDINALITY AS f(v, ord)
             WHERE ${named}::jsonb ? (f.v ->> 0)) AS frame,
          (SELECT coalesce(jsonb_agg(sel.v ORDER BY sel.ord), '[]'::jsonb) FROM sel
             WHERE ${named}::jsonb ? (sel.v ->> 'unit')) AS selected,
          (SELECT coalesce(jsonb_object_agg(l.id, l.n), '{}'::jsonb)
             FROM (SELECT m AS id, count(*) AS n FROM sel, jsonb_array_elements_text(sel.v -> 'team') AS m GROUP BY m) AS l) AS loads
        FROM ${draws} WHERE ${draws.id} = ${drawId}`,
  );
  if (!row) notFound('drawId', 'draw', drawId);
  const parsed = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
  return {
    commitment: row.commitment,
    commitmentDigest: row.commitment_digest,
    inspectors: parsed(row.inspectors),
    randomness: parsed(row.randomness) as ReplacementBundle['randomness'],
    resultDigest: row.result_digest,
    frame: parsed(row.frame),
    result: { selected: parsed(row.selected) },
    loads: Object.fromEntries(Object.entries(parsed(row.loads)).map(([k, n]) => [k, Number(n)])),
  };
}

/** Publishes one replacement record (kind `replacement`, refId the draw). */
export async function publishReplacement(
  tx: DbOrTx,
  plan: Pick<PlanRow, 'bureauCode' | 'period' | 'title'>,
  draw: Pick<DrawRow, 'id' | 'attempt'>,
  record: ReplacementRecordV2,
  by: string | null,
  at: Date,
) {
  const ids = [record.out, record.in, ...record.skipped.map((s) => s[0])];
  const names = await tx
    .select({ id: inspectors.id, name: inspectors.name, certificateNo: inspectors.certificateNo })
    .from(inspectors)
    .where(inArray(inspectors.id, ids));
  const content: ReplacementPublicationV2 = {
    algorithm: SR_DRAW_V2,
    record,
    inspectors: Object.fromEntries(names.map((n) => [n.id, redactInspector(n)])),
  };
  return publish(tx, {
    bureauCode: plan.bureauCode,
    kind: 'replacement',
    refId: draw.id,
    period: plan.period,
    title: `${plan.title}（第${draw.attempt}次抽取 检查组成员替换 第${record.number}号）`,
    content,
    by,
    at,
  });
}

/**
 * Publishes, in order, every replacement record of a draw not published yet (the ones a covert
 * plan withheld while sealed). Called when the draw itself is published; returns how many.
 */
export async function publishWithheldReplacements(
  tx: DbOrTx,
  plan: Pick<PlanRow, 'bureauCode' | 'period' | 'title'>,
  draw: Pick<DrawRow, 'id' | 'attempt'>,
  by: string | null,
  at: Date,
): Promise<number> {
  const published = await tx
    .select({ content: publications.content })
    .from(publications)
    .where(and(eq(publications.kind, 'replacement'), eq(publications.refId, draw.id)));
  const done = new Set(published.map((p) => (p.content as ReplacementPublicationV2).record.number));
  let n = 0;
  for (const record of await replacementRecordsOf(tx, draw.id)) {
    if (done.has(record.number)) continue;
    await publishReplacement(tx, plan, draw, record, by, at);
    n++;
  }
  return n;
}
