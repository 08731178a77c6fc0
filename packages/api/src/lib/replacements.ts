/**
 * Publication of §9.6 team member replacements. A replacement on an open plan is published at
 * once; one on a covert plan (暗查暗访, R10) names the covert team, so it is withheld while the
 * plan is sealed and published with the draw once every inspection is executed. Either way the
 * public record ends with every replacement, in order, checkable against the published bundle.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { SR_DRAW_V2, type ReplacementRecordV2 } from '@spotcheck/core';
import { drawReplacements, inspectors, publications } from '@spotcheck/db';
import type { DbOrTx } from './db';
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
