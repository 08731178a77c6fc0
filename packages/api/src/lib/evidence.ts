/**
 * Evidence files of findings (photos, scans, recordings): stored once per content under the
 * evidence directory, named by their SHA-256 (`ab/cd/abcd…`), so the same file uploaded twice
 * is kept once and a stored file can never silently change under a result that names it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { z } from 'zod';
import { and, eq, gt, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import {
  blacklistProceedingSteps,
  enforcementCaseSteps,
  evidenceQuotaHolds,
  evidenceUploads,
  findings,
  projectRoot,
  supervisionEvents,
  type Db,
} from '@spotcheck/db';
import { appendAudit } from '../audit/chain';
import type { DbOrTx } from './db';

/** Whether a file name holds a control character (NUL, line breaks, DEL…). */
export function hasControlCharacter(name: string): boolean {
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Largest evidence file accepted by default (bytes). */
export const MAX_EVIDENCE_BYTES = 25 * 1024 * 1024;

/** A stored evidence file as findings reference it. */
export const ZEvidenceSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256'),
  size: z.number().int().min(0),
  mime: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a media type like image/jpeg'),
  name: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .refine((n) => !hasControlCharacter(n), 'must not contain control characters'),
});
/** A stored evidence file. */
export type TEvidence = z.infer<typeof ZEvidenceSchema>;

/**
 * Where evidence lives: `SPOTCHECK_EVIDENCE_DIR`; else `evidence` beside the PGlite directory
 * `SPOTCHECK_DATA_DIR` (never inside it: that folder belongs to the database); else
 * `.data/evidence` in the project.
 */
export function evidenceDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPOTCHECK_EVIDENCE_DIR) return resolve(env.SPOTCHECK_EVIDENCE_DIR);
  if (env.SPOTCHECK_DATA_DIR && !env.SPOTCHECK_DATA_DIR.startsWith('memory://'))
    return resolve(env.SPOTCHECK_DATA_DIR, '..', 'evidence');
  return resolve(projectRoot, '.data/evidence');
}

/** Path of a stored file. */
export function evidencePath(dir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('evidencePath: not a SHA-256');
  return join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/** Size of a stored file, or null when there is none. */
export async function storedEvidenceSize(dir: string, sha256: string): Promise<number | null> {
  try {
    const s = await stat(evidencePath(dir, sha256));
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}

/** Thrown by {@link storeEvidence} when the body exceeds the limit. */
export class EvidenceTooLargeError extends Error {
  /** The limit that was exceeded. */
  constructor(readonly limit: number) {
    super(`file: larger than ${limit} bytes`);
    this.name = 'EvidenceTooLargeError';
  }
}

/** Thrown by {@link storeEvidence} for an empty body: nothing is kept. */
export class EmptyEvidenceError extends Error {
  constructor() {
    super('file: is empty; choose the photo or document to upload');
    this.name = 'EmptyEvidenceError';
  }
}

/**
 * Streams a body into the store: written to a temporary file while hashing, then renamed to
 * its content address (kept once if already there). Over `limit` bytes, nothing is kept.
 */
export async function storeEvidence(
  dir: string,
  body: AsyncIterable<Buffer> | NodeJS.ReadableStream,
  limit = MAX_EVIDENCE_BYTES,
): Promise<{ sha256: string; size: number }> {
  const tmpDir = join(dir, 'tmp');
  await mkdir(tmpDir, { recursive: true });
  const tmp = join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > limit) return done(new EvidenceTooLargeError(limit));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(body as NodeJS.ReadableStream, meter, createWriteStream(tmp));
    if (size === 0) throw new EmptyEvidenceError();
    const sha256 = hash.digest('hex');
    const target = evidencePath(dir, sha256);
    await mkdir(dirname(target), { recursive: true });
    if ((await storedEvidenceSize(dir, sha256)) === size) {
      await rm(tmp, { force: true });
      // Uploaded again: fresh for the collector until the new upload record is written.
      await utimes(target, new Date(), new Date());
    } else await rename(tmp, target);
    return { sha256, size };
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Evidence a user may upload per rolling 24 hours (bytes; each upload counts at least {@link EVIDENCE_QUOTA_MIN_BYTES}). */
export const EVIDENCE_QUOTA_BYTES_PER_DAY = 2 * 1024 * 1024 * 1024;

/**
 * The least an upload counts against the quota: a file-system block. However small, a stored file
 * takes one on disk, with an upload record and an audit event, so tiny uploads cannot keep millions
 * of files a day within the quota.
 */
export const EVIDENCE_QUOTA_MIN_BYTES = 4096;

/** What an upload of `bytes` counts against the daily quota. */
export function evidenceQuotaCharge(bytes: number): number {
  return Math.max(bytes, EVIDENCE_QUOTA_MIN_BYTES);
}

/**
 * What a user's uploads of the 24 hours before `now` count against the quota
 * ({@link evidenceQuotaCharge}). An upload is recorded in its uploader's bureau, and read there:
 * one shard on Citus (SCALING.md), not every bureau's. A user moved to another bureau the same day
 * starts that bureau's day afresh.
 */
export async function evidenceBytesUploaded(
  db: DbOrTx,
  user: { id: string; bureauCode: string },
  now: Date,
): Promise<number> {
  const [row] = await db
    .select({
      n: sql<string>`coalesce(sum(greatest(${evidenceUploads.size}, ${EVIDENCE_QUOTA_MIN_BYTES}::bigint)), 0)`,
    })
    .from(evidenceUploads)
    .where(
      and(
        eq(evidenceUploads.bureauCode, user.bureauCode),
        eq(evidenceUploads.uploadedBy, user.id),
        gt(evidenceUploads.uploadedAt, new Date(now.getTime() - 24 * 60 * 60 * 1000)),
      ),
    );
  return Number(row?.n ?? 0);
}

/** The quota locks' namespace (`pg_advisory_xact_lock(int, int)`, "EVQH"); the key is the user. */
const QUOTA_LOCK = 0x45565148;

/**
 * How long a hold counts: past the longest an upload can take on the server (Node's `requestTimeout`,
 * 300 s by default, ends a request that has not arrived whole). A process that dies mid-upload leaves
 * its hold: it stops counting then, and the nightly collection deletes it.
 */
export const EVIDENCE_QUOTA_HOLD_MS = 60 * 60 * 1000;

/** A user's hold on their quota, taken before an upload's body is read. */
export interface EvidenceQuotaHold {
  /** Quota left before this hold: the day's uploads and every other unexpired hold deducted. */
  left: number;
  /** Bytes held (0 when nothing is left). */
  bytes: number;
  /** The hold's row, to give back ({@link releaseEvidenceQuota}); null when nothing is held. */
  id: string | null;
}

/**
 * Checks a user's daily quota and holds `want` bytes of it (what is left, when less). The day's
 * recorded uploads and every unexpired hold count as spent, so parallel uploads — on one API process
 * or several — cannot each spend what is left. One hold of a user at a time: an advisory lock per
 * user, held to the commit. The user's expired holds are deleted on the way.
 */
export async function holdEvidenceQuota(
  db: DbOrTx,
  user: { id: string; bureauCode: string },
  quota: number,
  want: number,
  now: Date,
): Promise<EvidenceQuotaHold> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${QUOTA_LOCK}::int, hashtext(${user.id}))`);
    // A user's holds are in their bureau, as their uploads are: one shard on Citus.
    const mine = and(
      eq(evidenceQuotaHolds.bureauCode, user.bureauCode),
      eq(evidenceQuotaHolds.userId, user.id),
    );
    await tx.delete(evidenceQuotaHolds).where(and(mine, lte(evidenceQuotaHolds.expiresAt, now)));
    const [held] = await tx
      .select({ n: sql<string>`coalesce(sum(${evidenceQuotaHolds.bytes}), 0)` })
      .from(evidenceQuotaHolds)
      .where(mine);
    const left = quota - Number(held?.n ?? 0) - (await evidenceBytesUploaded(tx, user, now));
    const bytes = left > 0 ? Math.min(want, left) : 0;
    if (bytes === 0) return { left, bytes, id: null };
    const [row] = await tx
      .insert(evidenceQuotaHolds)
      .values({
        bureauCode: user.bureauCode,
        userId: user.id,
        bytes,
        expiresAt: new Date(now.getTime() + EVIDENCE_QUOTA_HOLD_MS),
      })
      .returning({ id: evidenceQuotaHolds.id });
    return { left, bytes, id: row!.id };
  });
}

/**
 * Gives a hold back. The upload that succeeds does it in the transaction that records it, so at no
 * moment do both, or neither, count.
 */
export async function releaseEvidenceQuota(
  db: DbOrTx,
  bureauCode: string,
  hold: Pick<EvidenceQuotaHold, 'id'>,
): Promise<void> {
  if (!hold.id) return;
  await db
    .delete(evidenceQuotaHolds)
    .where(and(eq(evidenceQuotaHolds.bureauCode, bureauCode), eq(evidenceQuotaHolds.id, hold.id)));
}

/**
 * The uploads a finding in `bureauCode` may name, recorded by `userId`: files uploaded in that
 * bureau or by the recorder. Returns sha256 → size; a file not in the map is, for this caller,
 * indistinguishable from one that was never uploaded (no existence oracle).
 */
export async function usableEvidence(
  db: DbOrTx,
  sha256s: string[],
  bureauCode: string,
  userId: string,
): Promise<Map<string, number>> {
  if (!sha256s.length) return new Map();
  const rows = await db
    .select({ sha256: evidenceUploads.sha256, size: evidenceUploads.size })
    .from(evidenceUploads)
    .where(
      and(
        inArray(evidenceUploads.sha256, sha256s),
        or(eq(evidenceUploads.bureauCode, bureauCode), eq(evidenceUploads.uploadedBy, userId)),
      ),
    );
  return new Map(rows.map((r) => [r.sha256, r.size]));
}

/**
 * Whether any record names a file: a finding's evidence, or the documents of an enforcement-case
 * step, a 挂牌督办 event or a blacklist-proceeding step (R17–R19).
 */
function namedAnywhere(sha256: SQL) {
  const doc = sql`jsonb_build_array(jsonb_build_object('sha256', ${sha256}))`;
  return sql`(exists (select 1 from ${findings} f where f.evidence @> ${doc})
    or exists (select 1 from ${enforcementCaseSteps} c where c.documents @> ${doc})
    or exists (select 1 from ${supervisionEvents} e where e.documents @> ${doc})
    or exists (select 1 from ${blacklistProceedingSteps} b where b.documents @> ${doc}))`;
}

const evidenceDirOfDb = new WeakMap<object, string>();

/** Remembers the evidence store a server uses for its database, for the collection job. */
export function registerEvidenceDir(db: object, dir: string): void {
  evidenceDirOfDb.set(db, dir);
}

/** The evidence store of the server behind `db` ({@link registerEvidenceDir}), else {@link evidenceDirFromEnv}. */
export function evidenceDirOf(db: object): string {
  return evidenceDirOfDb.get(db) ?? evidenceDirFromEnv();
}

/** Whether a stored file is kept: an upload record or any record names it. */
async function stillWanted(db: DbOrTx, sha256: string): Promise<boolean> {
  const [still] = await db
    .select({ id: evidenceUploads.id })
    .from(evidenceUploads)
    .where(eq(evidenceUploads.sha256, sha256))
    .limit(1);
  if (still) return true;
  const [named] = await db
    .select({ named: sql<boolean>`${namedAnywhere(sql`${sha256}::text`)}` })
    .from(sql`(select 1) as one`);
  return named?.named === true;
}

/**
 * Collects abandoned evidence: uploads older than `olderThanMs` that no record names lose their
 * upload record (one `evidence.collect` audit event says how many), and a stored file goes once
 * no upload record and no record names it. Files in the store that no upload record ever named
 * (a crash between storing and recording, an upload refused after its bytes were kept) go once
 * they are as old; so do stale partial uploads (`tmp/*.part`). Returns how much was removed.
 */
export async function collectAbandonedEvidence(
  db: Db,
  dir: string,
  now: Date,
  olderThanMs = 24 * 60 * 60 * 1000,
): Promise<{ uploads: number; files: number }> {
  // Quota holds of uploads whose process died (a live upload gives its hold back).
  await db.delete(evidenceQuotaHolds).where(lte(evidenceQuotaHolds.expiresAt, now));
  const cutoff = new Date(now.getTime() - olderThanMs);
  const referenced = namedAnywhere(sql`${evidenceUploads.sha256}`);
  const dropped = await db.transaction(async (tx) => {
    const rows = await tx
      .delete(evidenceUploads)
      .where(and(lt(evidenceUploads.uploadedAt, cutoff), sql`not ${referenced}`))
      .returning({ sha256: evidenceUploads.sha256, bureauCode: evidenceUploads.bureauCode });
    if (rows.length)
      await appendAudit(
        tx,
        {
          actorUserId: null,
          actorRole: null,
          bureauCode: null,
          action: 'evidence.collect',
          entity: 'evidence',
          entityId: null,
          after: { uploads: rows.length, sha256: [...new Set(rows.map((r) => r.sha256))].sort() },
        },
        now,
      );
    return rows;
  });
  let files = 0;
  for (const sha256 of new Set(dropped.map((d) => d.sha256))) {
    if (await stillWanted(db, sha256)) continue;
    await rm(evidencePath(dir, sha256), { force: true });
    files++;
  }
  // Files no upload record names: walk the store (ab/cd/<sha256>).
  for (const a of await readdir(dir).catch(() => [] as string[])) {
    if (!/^[0-9a-f]{2}$/.test(a)) continue;
    for (const b of await readdir(join(dir, a)).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{2}$/.test(b)) continue;
      for (const f of await readdir(join(dir, a, b)).catch(() => [] as string[])) {
        if (!/^[0-9a-f]{64}$/.test(f) || !f.startsWith(a + b)) continue;
        const s = await stat(join(dir, a, b, f)).catch(() => null);
        if (!s || !s.isFile() || s.mtimeMs >= cutoff.getTime()) continue;
        if (await stillWanted(db, f)) continue;
        await rm(join(dir, a, b, f), { force: true });
        files++;
      }
    }
  }
  const tmp = join(dir, 'tmp');
  for (const f of await readdir(tmp).catch(() => [] as string[])) {
    const p = join(tmp, f);
    const s = await stat(p).catch(() => null);
    if (s && s.mtimeMs < now.getTime() - 60 * 60 * 1000) await rm(p, { force: true });
  }
  return { uploads: dropped.length, files };
}
