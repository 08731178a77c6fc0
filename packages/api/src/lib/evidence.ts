/**
 * Evidence files of findings (photos, scans, recordings): stored once per content under the
 * evidence directory, named by their SHA-256 (`ab/cd/abcd…`), so the same file uploaded twice
 * is kept once and a stored file can never silently change under a result that names it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { z } from 'zod';
import { projectRoot } from '@spotcheck/db';

/** Largest evidence file accepted by default (bytes). */
export const MAX_EVIDENCE_BYTES = 25 * 1024 * 1024;

/** A stored evidence file as findings reference it. */
export const ZEvidenceSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256'),
  size: z.number().int().min(0),
  mime: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a media type like image/jpeg'),
  name: z.string().trim().min(1).max(255),
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
