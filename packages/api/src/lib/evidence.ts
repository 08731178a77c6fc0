/**
 * Evidence files of findings (photos, scans, recordings): stored once per content under the
 * evidence directory, named by their SHA-256 (`ab/cd/abcd…`), so the same file uploaded twice
 * is kept once and a stored file can never silently change under a result that names it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { z } from 'zod';
import { and, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import { evidenceUploads, findings, projectRoot, type Db } from '@spotcheck/db';
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
    if ((await storedEvidenceSize(dir, sha256)) === size) await rm(tmp, { force: true });
    else await rename(tmp, target);
    return { sha256, size };
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Evidence a user may upload per rolling 24 hours (bytes). */
export const EVIDENCE_QUOTA_BYTES_PER_DAY = 2 * 1024 * 1024 * 1024;

/** Bytes a user has uploaded in the 24 hours before `now`. */
export async function evidenceBytesUploaded(db: DbOrTx, userId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<string>`coalesce(sum(${evidenceUploads.size}), 0)` })
    .from(evidenceUploads)
    .where(
      and(
        eq(evidenceUploads.uploadedBy, userId),
        gt(evidenceUploads.uploadedAt, new Date(now.getTime() - 24 * 60 * 60 * 1000)),
      ),
    );
  return Number(row?.n ?? 0);
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
 * Collects abandoned evidence: uploads older than `olderThanMs` that no finding names lose their
 * upload record, and a stored file goes once no upload record and no finding names it. Stale
 * partial uploads (`tmp/*.part`) go too. Returns how many files were removed.
 */
export async function collectAbandonedEvidence(
  db: Db,
  dir: string,
  now: Date,
  olderThanMs = 24 * 60 * 60 * 1000,
): Promise<{ uploads: number; files: number }> {
  const cutoff = new Date(now.getTime() - olderThanMs);
  const referenced = sql`exists (select 1 from ${findings} f where f.evidence @> jsonb_build_array(jsonb_build_object('sha256', ${evidenceUploads.sha256})))`;
  const dropped = await db
    .delete(evidenceUploads)
    .where(and(lt(evidenceUploads.uploadedAt, cutoff), sql`not ${referenced}`))
    .returning({ sha256: evidenceUploads.sha256 });
  let files = 0;
  for (const sha256 of new Set(dropped.map((d) => d.sha256))) {
    const [still] = await db
      .select({ id: evidenceUploads.id })
      .from(evidenceUploads)
      .where(eq(evidenceUploads.sha256, sha256))
      .limit(1);
    const [named] = await db
      .select({ id: findings.id })
      .from(findings)
      .where(sql`${findings.evidence} @> jsonb_build_array(jsonb_build_object('sha256', ${sha256}::text))`)
      .limit(1);
    if (still || named) continue;
    await rm(evidencePath(dir, sha256), { force: true });
    files++;
  }
  const tmp = join(dir, 'tmp');
  for (const f of await readdir(tmp).catch(() => [] as string[])) {
    const p = join(tmp, f);
    const s = await stat(p).catch(() => null);
    if (s && s.mtimeMs < now.getTime() - 60 * 60 * 1000) await rm(p, { force: true });
  }
  return { uploads: dropped.length, files };
}
