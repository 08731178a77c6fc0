/**
 * A sign-off's own log entry (sr-draw/v2 §9.7): the moment a draw is signed or an attempt voided,
 * its signature record is published (covert plans included), so the signature's log time is when
 * it was made. A covert plan's draw is published only once executed and a void again at the next
 * attempt: dated by those, an honest signature would fail after any key rotation in between.
 */
import { and, asc, desc, eq, gte, inArray } from 'drizzle-orm';
import { draws, logLeaves, publications } from '@spotcheck/db';
import {
  digestOf,
  signatureRecord,
  signatureRecordKind,
  type SignOff,
  type VoidEnvelope,
} from '@spotcheck/core';
import { newestWitnessedCheckpoint } from '../log/transparency';
import type { DbOrTx } from './db';
import { publish } from './publish';
import type { PlanRow } from './workflow';

/** Publishes the signature record of a draw's sign-off or an attempt's void, in the signing transaction. */
export function publishSignatureRecord(
  tx: DbOrTx,
  plan: PlanRow,
  draw: { id: string; attempt: number; commitmentDigest: string; resultDigest: string | null },
  of: 'draw' | 'void',
  signature: SignOff | VoidEnvelope,
  by: string,
  at: Date,
) {
  return publish(tx, {
    bureauCode: plan.bureauCode,
    kind: signatureRecordKind(of),
    refId: draw.id,
    period: plan.period,
    title: `${plan.title}（第${draw.attempt}次抽取${of === 'void' ? '的作废签名' : '的签名'}）`,
    content: signatureRecord(of, plan.bureauCode, draw.commitmentDigest, draw.resultDigest, signature),
    by,
    at,
  });
}

/**
 * The publication of the first signature record of a draw (`of`) in the log, found by the leaves
 * themselves (a publication's row can be edited; its leaf cannot), or null when the log holds none.
 * The first leaf recording the record of the signature the draw's row holds is taken, else the
 * first of any: a record an insider logged for the draw before its sign-off (any content, no key
 * needed) dates no signature but its own, and the honest sign-off's record after it stands (taken
 * first, it failed that sign-off for good). The row only chooses among leaves: the verifiers
 * check the one given against the bundle they hold, so an edited row can make a check fail, never
 * pass.
 */
export async function signatureRecordLeaf(
  db: DbOrTx,
  drawId: string,
  of: 'draw' | 'void',
): Promise<string | null> {
  const leaves = await db
    .select({ publicationId: logLeaves.publicationId, leaf: logLeaves.leaf })
    .from(logLeaves)
    .where(and(eq(logLeaves.kind, signatureRecordKind(of)), eq(logLeaves.refId, drawId)))
    .orderBy(asc(logLeaves.seq));
  if (leaves.length < 2) return leaves[0]?.publicationId ?? null;
  const [row] = await db
    .select({
      bureauCode: draws.bureauCode,
      commitmentDigest: draws.commitmentDigest,
      resultDigest: draws.resultDigest,
      signature: of === 'void' ? draws.voidSignOff : draws.signOff,
    })
    .from(draws)
    .where(eq(draws.id, drawId));
  const own =
    row?.signature &&
    digestOf(signatureRecord(of, row.bureauCode, row.commitmentDigest, row.resultDigest, row.signature));
  const recorded = (leaf: string) => (JSON.parse(leaf) as { contentDigest?: unknown }).contentDigest;
  return (leaves.find((l) => own && recorded(l.leaf) === own) ?? leaves[0]!).publicationId;
}

/**
 * Every key registry of `bureauCode` by the log's order (not by a publication's editable date),
 * oldest first: each leaf's publication with its content as served now (null when that publication
 * is gone). The last is the bureau's newest registry.
 */
export async function registryLeaves(
  db: DbOrTx,
  bureauCode: string,
): Promise<{ publicationId: string; content: unknown }[]> {
  const rows = await db
    .select({ publicationId: logLeaves.publicationId, content: publications.content })
    .from(logLeaves)
    .leftJoin(publications, eq(publications.id, logLeaves.publicationId))
    .where(and(eq(logLeaves.kind, 'key-registry'), eq(logLeaves.bureauCode, bureauCode)))
    .orderBy(asc(logLeaves.seq));
  return rows.map((r) => ({ publicationId: r.publicationId, content: r.content ?? null }));
}

/**
 * The signature records of `bureauCode` made with one of `keyIds` that no checkpoint witnessed with
 * a time before `endsAt` holds, newest first: their log time is `endsAt` or later (or still to
 * come), so a key ending at `endsAt` would fail them for good (§9.7: the key must be valid at the
 * sign-off's log time). Only the leaves after the newest such checkpoint are read. A record whose
 * publication is gone, or is not what its leaf recorded, counts whatever key it names now: its
 * key cannot be told from an editable row, and ending the wrong one fails an honest sign-off.
 */
export async function unwitnessedSignatureRecords(
  db: DbOrTx,
  bureauCode: string,
  keyIds: readonly string[],
  endsAt: Date,
): Promise<{ publicationId: string; refId: string | null; kind: string | null }[]> {
  if (!keyIds.length) return [];
  const witnessed = await newestWitnessedCheckpoint(db, endsAt);
  const rows = await db
    .select({
      publicationId: logLeaves.publicationId,
      refId: logLeaves.refId,
      kind: logLeaves.kind,
      leaf: logLeaves.leaf,
      content: publications.content,
    })
    .from(logLeaves)
    .leftJoin(publications, eq(publications.id, logLeaves.publicationId))
    .where(
      and(
        inArray(logLeaves.kind, [signatureRecordKind('draw'), signatureRecordKind('void')]),
        eq(logLeaves.bureauCode, bureauCode),
        gte(logLeaves.seq, witnessed?.size ?? 0),
      ),
    )
    .orderBy(desc(logLeaves.seq));
  const ended = new Set(keyIds);
  return rows
    .filter((r) => {
      const recorded = (JSON.parse(r.leaf) as { contentDigest?: unknown }).contentDigest;
      if (r.content === null || digestOf(r.content) !== recorded) return true;
      const keyId = (r.content as { signature?: { signer?: { keyId?: unknown } } }).signature?.signer?.keyId;
      return typeof keyId === 'string' && ended.has(keyId);
    })
    .map(({ publicationId, refId, kind }) => ({ publicationId, refId, kind }));
}
