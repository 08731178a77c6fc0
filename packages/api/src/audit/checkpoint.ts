/**
 * Signed checkpoints of the audit chain's head, published in the public column (kind
 * `audit-checkpoint`) at intervals. Anyone holding an earlier checkpoint detects truncation (the
 * chain no longer reaches its seq) and rewriting (the event at its seq has another hash), however
 * consistently the rest of the chain was recomputed: `spotcheck audit verify --from-portal <url>`.
 * The key is Ed25519, derived from the server secret, so a database writer cannot sign.
 */
import { createPrivateKey, createPublicKey, hkdfSync, sign, verify } from 'node:crypto';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { auditEvents, publications, type Db } from '@spotcheck/db';
import { publish } from '../lib/publish';
import { auditEventHash, GENESIS_HASH } from './chain';
import { CITY_BUREAU_CODE } from '@spotcheck/core';

/** A signed audit head as published. */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  at: string;
  /** Ed25519 public key, base64 SPKI DER. */
  publicKey: string;
  /** Base64 Ed25519 signature over {@link auditCheckpointMessage}. */
  signature: string;
}

/** City bureau under which checkpoints are published. */
const CHECKPOINT_BUREAU = CITY_BUREAU_CODE;
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The checkpoint key pair derived from the server secret (HKDF-SHA256, labelled). */
export function checkpointKeys(secret: string) {
  const seed = Buffer.from(
    hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'spotcheck', 'audit-checkpoint/v1', 32),
  );
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64');
  return { privateKey, publicKey };
}

/** The bytes a checkpoint signs. */
export function auditCheckpointMessage(c: { seq: number; hash: string; at: string }): Buffer {
  return Buffer.from(`spotcheck audit checkpoint v1\nseq=${c.seq}\nhash=${c.hash}\nat=${c.at}\n`, 'utf8');
}

/** Whether a checkpoint's signature holds (for its own key, or `publicKey` when pinned). */
export function verifyCheckpointSignature(c: AuditCheckpoint, publicKey = c.publicKey): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    return verify(null, auditCheckpointMessage(c), key, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Checkpoints one page of {@link listAuditCheckpoints} holds at most. */
export const AUDIT_CHECKPOINT_PAGE_MAX = 500;

/** A page of published checkpoints, in seq order. */
export interface AuditCheckpointPage {
  rows: AuditCheckpoint[];
  /** Every published checkpoint, on this page or any other. */
  total: number;
  /** The `after` of the next page: the last seq on this one; null when this page is the last. */
  next: number | null;
}

/** A checkpoint publication's seq, as SQL (the order and the key of the pages). */
const checkpointSeq = sql`(${publications.content}->>'seq')::bigint`;
const isCheckpoint = and(
  eq(publications.bureauCode, CHECKPOINT_BUREAU),
  eq(publications.kind, 'audit-checkpoint'),
);

/**
 * Published checkpoints, a page at a time in seq order (keyset paging: ~52,000 a year, so a
 * reader asks for the checkpoints `after` the last seq it holds). A page holds at most `limit`,
 * and never splits checkpoints of one seq (two runs at once could each publish the head): only
 * when more than `limit` share a seq does a page hold them all, so that none is skipped.
 */
export async function listAuditCheckpoints(
  db: Db,
  page: { after?: number; limit: number },
): Promise<AuditCheckpointPage> {
  const limit = Math.min(Math.max(1, Math.trunc(page.limit)), AUDIT_CHECKPOINT_PAGE_MAX);
  const where =
    page.after === undefined ? isCheckpoint : and(isCheckpoint, sql`${checkpointSeq} > ${page.after}`);
  // The count first: the page, read after it, sees every checkpoint it counted (none is ever
  // removed), so a reader never finds fewer on the pages than the count said.
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(publications)
    .where(isCheckpoint);
  // One more than the page, to tell whether the next checkpoint shares the last seq.
  const found = await db
    .select({ content: publications.content })
    .from(publications)
    .where(where)
    .orderBy(checkpointSeq, asc(publications.publishedAt), asc(publications.id))
    .limit(limit + 1);
  let rows = found.map((r) => r.content as AuditCheckpoint);
  if (rows.length <= limit) return { rows, total: count?.n ?? 0, next: null };
  const boundary = rows[limit]!.seq;
  rows = rows.slice(0, limit);
  if (rows[limit - 1]!.seq === boundary) {
    const before = rows.filter((c) => c.seq < boundary);
    if (before.length) rows = before;
    else {
      const group = await db
        .select({ content: publications.content })
        .from(publications)
        .where(and(isCheckpoint, sql`${checkpointSeq} = ${boundary}`))
        .orderBy(asc(publications.publishedAt), asc(publications.id));
      rows = group.map((r) => r.content as AuditCheckpoint);
    }
  }
  return { rows, total: count?.n ?? 0, next: rows[rows.length - 1]!.seq };
}

/**
 * Publishes a signed checkpoint of the current head when it moved since the last one, after
 * checking that the events since that checkpoint still chain onto it (a broken chain is never
 * certified). The one function a job queue calls. Returns the checkpoint, or null when unchanged.
 */
export async function runAuditCheckpoint(
  db: Db,
  secret: string,
  now: Date = new Date(),
): Promise<AuditCheckpoint | null> {
  return db.transaction(async (tx) => {
    const [head] = await tx
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    if (!head) return null;
    const [last] = await tx
      .select({ content: publications.content })
      .from(publications)
      .where(eq(publications.kind, 'audit-checkpoint'))
      .orderBy(desc(publications.publishedAt))
      .limit(1);
    const prev = last ? (last.content as AuditCheckpoint) : null;
    if (prev && prev.seq === head.seq) return null;
    let expectedPrev = prev?.hash ?? GENESIS_HASH;
    let expectedSeq = (prev?.seq ?? 0) + 1;
    for (let after = prev?.seq ?? 0; ;) {
      const batch = await tx
        .select()
        .from(auditEvents)
        .where(gt(auditEvents.seq, after))
        .orderBy(asc(auditEvents.seq))
        .limit(2000);
      for (const e of batch) {
        if (e.seq !== expectedSeq || e.prevHash !== expectedPrev || auditEventHash(e) !== e.hash)
          throw new Error(
            `audit checkpoint refused: the chain breaks at event ${e.seq} since the checkpoint at ${prev?.seq ?? 0}`,
          );
        expectedPrev = e.hash;
        expectedSeq++;
      }
      if (batch.length < 2000) break;
      after = batch[batch.length - 1]!.seq;
    }
    const keys = checkpointKeys(secret);
    const body = { seq: head.seq, hash: head.hash, at: now.toISOString() };
    const checkpoint: AuditCheckpoint = {
      ...body,
      publicKey: keys.publicKey,
      signature: sign(null, auditCheckpointMessage(body), keys.privateKey).toString('base64'),
    };
    await publish(tx, {
      bureauCode: CHECKPOINT_BUREAU,
      kind: 'audit-checkpoint',
      refId: `audit:${head.seq}`,
      title: `审计日志检查点 第${head.seq}条`,
      content: checkpoint,
      by: null,
      at: now,
    });
    return checkpoint;
  });
}

/** Checks checkpoints' signatures: all under one key (or the pinned one). Returns the first problem. */
export function checkCheckpointSignatures(cps: AuditCheckpoint[], pinnedKey?: string): string | null {
  const key = pinnedKey ?? cps[0]?.publicKey;
  for (const c of cps) {
    if (c.publicKey !== key) return `checkpoint ${c.seq} is signed by another key than the others`;
    if (!verifyCheckpointSignature(c, key)) return `checkpoint ${c.seq} has an invalid signature`;
  }
  return null;
}
