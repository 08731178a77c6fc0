import { and, asc, desc, eq, gte, isNull, lte, sql } from 'drizzle-orm';
import {
  logCheckpoints,
  logCosignatures,
  logKeys,
  logLeaves,
  logWitnesses,
  publications,
  users,
  draws,
  type Db,
} from '@spotcheck/db';
import { canonicalJson, fromHex, toHex } from '@spotcheck/core';
import {
  consistencyProof,
  cosignatureMessage,
  generateLogKeyPair,
  hashLeaf,
  inclusionProof,
  isoSeconds,
  isValidPublicKey,
  leafBytes,
  MIN_WITNESSES,
  publicationLeaf,
  publicKeyOf,
  secondsBetween,
  signCheckpoint,
  treeRoot,
  verifyConsistency,
  verifyCosignature,
  WITNESS_CLOCK_SKEW_SECONDS,
  witnessesOf,
  type Checkpoint,
  type LogInclusion,
  type SignedCheckpoint,
  type WitnessKey,
} from '@spotcheck/core/log';
import { decryptSecret, encryptSecret } from '../auth/signing-keys';
import { fail, notFound } from '../lib/errors';
import type { DbOrTx } from '../lib/db';

/** Advisory lock key that serialises leaf appends ("SPLOG"). */
const LOG_LOCK_KEY = 0x53504c4f47;

/** The log's origin line (`SPOTCHECK_LOG_ORIGIN`), stable for a deployment. */
export function logOriginFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.SPOTCHECK_LOG_ORIGIN && env.SPOTCHECK_LOG_ORIGIN.trim()
    ? env.SPOTCHECK_LOG_ORIGIN.trim()
    : 'spotcheck.local/log';
}

type PublicationRow = typeof publications.$inferSelect;

/**
 * Appends the leaf of a publication that was just inserted, in the same transaction: the advisory
 * lock keeps leaf numbers consecutive across concurrent publications.
 */
export async function appendLogLeaf(
  tx: DbOrTx,
  row: PublicationRow,
): Promise<{ seq: number; leafHash: string }> {
  await tx.execute(sql`select pg_advisory_xact_lock(${LOG_LOCK_KEY})`);
  const [last] = await tx
    .select({ seq: logLeaves.seq })
    .from(logLeaves)
    .orderBy(desc(logLeaves.seq))
    .limit(1);
  const leaf = publicationLeaf(row);
  const bytes = leafBytes(leaf);
  const leafHash = toHex(hashLeaf(bytes));
  const seq = last ? last.seq + 1 : 0;
  await tx.insert(logLeaves).values({
    seq,
    publicationId: row.id,
    leaf: canonicalJson(leaf),
    leafHash,
    appendedAt: row.publishedAt,
  });
  return { seq, leafHash };
}

/** Leaf hashes 0..size-1 (all by default), in order. */
export async function loadLeafHashes(db: DbOrTx, size?: number): Promise<Uint8Array[]> {
  const rows = await db
    .select({ h: logLeaves.leafHash })
    .from(logLeaves)
    .where(size === undefined ? undefined : sql`${logLeaves.seq} < ${size}`)
    .orderBy(asc(logLeaves.seq));
  return rows.map((r) => fromHex(r.h));
}

/** The log key of an origin, made and stored (encrypted) on first use. */
export async function ensureLogKey(
  db: DbOrTx,
  keySecret: string,
  origin: string,
): Promise<{ publicKey: string; secretKey: string }> {
  const found = await db.query.logKeys.findFirst({ where: (k, { eq }) => eq(k.origin, origin) });
  if (found) {
    const secretKey = new TextDecoder().decode(decryptSecret(found.secretKeyEnc, keySecret));
    if (publicKeyOf(secretKey) !== found.publicKey) throw new Error('log key does not match its public key');
    return { publicKey: found.publicKey, secretKey };
  }
  const kp = generateLogKeyPair();
  await db
    .insert(logKeys)
    .values({
      origin,
      publicKey: kp.publicKey,
      secretKeyEnc: encryptSecret(Buffer.from(kp.secretKey, 'utf8'), keySecret),
    })
    .onConflictDoNothing();
  return ensureLogKey(db, keySecret, origin);
}

type CheckpointRow = typeof logCheckpoints.$inferSelect;

/** A stored checkpoint with its co-signatures. */
export async function signedCheckpointOf(
  db: DbOrTx,
  row: CheckpointRow,
): Promise<SignedCheckpoint & { id: number }> {
  const cos = await db
    .select({
      name: logWitnesses.name,
      publicKey: logWitnesses.publicKey,
      time: logCosignatures.time,
      signature: logCosignatures.signature,
    })
    .from(logCosignatures)
    .innerJoin(logWitnesses, eq(logWitnesses.id, logCosignatures.witnessId))
    .where(eq(logCosignatures.checkpointId, row.id))
    .orderBy(asc(logCosignatures.receivedAt));
  return {
    id: row.id,
    origin: row.origin,
    size: row.size,
    rootHash: row.rootHash,
    time: isoSeconds(row.time),
    logKey: row.logKey,
    signature: row.signature,
    cosignatures: cos.map((c) => ({
      witness: c.name,
      publicKey: c.publicKey,
      time: isoSeconds(c.time),
      signature: c.signature,
    })),
  };
}

/** Options of {@link issueCheckpoint}. */
export interface IssueCheckpointOptions {
  now: Date;
  keySecret: string;
  origin?: string;
  /** Issue a checkpoint of an unchanged tree once the last is this old (default 300 s), so witnesses always have a fresh one. */
  heartbeatSeconds?: number;
}

/**
 * Issues a signed checkpoint of the whole log when the tree grew since the last checkpoint or
 * the last one is older than the heartbeat; returns it, or null when none was due. The job
 * queue's scheduled task (and tests, with a pinned clock) call this.
 */
export async function issueCheckpoint(db: Db, opts: IssueCheckpointOptions) {
  const origin = opts.origin ?? logOriginFromEnv();
  const time = new Date(Math.floor(opts.now.getTime() / 1000) * 1000);
  return db.transaction(async (tx) => {
    // Leaves appended concurrently wait for the lock; the tree read below is complete.
    await tx.execute(sql`select pg_advisory_xact_lock(${LOG_LOCK_KEY})`);
    const [last] = await tx
      .select()
      .from(logCheckpoints)
      .where(eq(logCheckpoints.origin, origin))
      .orderBy(desc(logCheckpoints.id))
      .limit(1);
    const hashes = await loadLeafHashes(tx);
    const size = hashes.length;
    if (last) {
      if (time <= last.time) return null;
      const age = (time.getTime() - last.time.getTime()) / 1000;
      if (last.size === size && age < (opts.heartbeatSeconds ?? 300)) return null;
    }
    const key = await ensureLogKey(tx, opts.keySecret, origin);
    const cp: Checkpoint = { origin, size, rootHash: toHex(treeRoot(hashes)), time: isoSeconds(time) };
    const [row] = await tx
      .insert(logCheckpoints)
      .values({
        origin,
        size,
        rootHash: cp.rootHash,
        time,
        logKey: key.publicKey,
        signature: signCheckpoint(cp, key.secretKey),
      })
      .returning();
    return signedCheckpointOf(tx, row!);
  });
}

/** Runs {@link issueCheckpoint} every `intervalMs` in-process until stopped (until the job queue takes over). */
export function startCheckpointSchedule(
  db: Db,
  opts: {
    intervalMs?: number;
    keySecret: string;
    origin?: string;
    now?: () => Date;
    onError?: (e: unknown) => void;
  },
): { stop(): void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await issueCheckpoint(db, {
        now: (opts.now ?? (() => new Date()))(),
        keySecret: opts.keySecret,
        origin: opts.origin,
      });
    } catch (e) {
      opts.onError?.(e);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 30_000);
  timer.unref?.();
  void tick();
  return { stop: () => clearInterval(timer) };
}

/** The latest checkpoint, or null before the first. */
export async function latestCheckpoint(db: DbOrTx) {
  const [row] = await db.select().from(logCheckpoints).orderBy(desc(logCheckpoints.id)).limit(1);
  return row ? signedCheckpointOf(db, row) : null;
}

/** The witnesses currently registered (not retired). */
export async function activeWitnesses(db: DbOrTx): Promise<(WitnessKey & { id: string; addedAt: Date })[]> {
  const rows = await db
    .select()
    .from(logWitnesses)
    .where(isNull(logWitnesses.retiredAt))
    .orderBy(asc(logWitnesses.addedAt));
  return rows.map((w) => ({
    id: w.id,
    name: w.name,
    label: w.label,
    publicKey: w.publicKey,
    addedAt: w.addedAt,
  }));
}

/** Every witness ever registered (co-signatures by a since-retired witness still count for their time). */
async function allWitnesses(db: DbOrTx): Promise<WitnessKey[]> {
  const rows = await db.select().from(logWitnesses);
  return rows.map((w) => ({ name: w.name, label: w.label, publicKey: w.publicKey }));
}

/** A checkpoint with the witnesses whose co-signatures count. */
export async function describeCheckpoint(db: DbOrTx, cp: SignedCheckpoint & { id: number }) {
  const witnesses = witnessesOf(cp, await allWitnesses(db));
  return { ...cp, witnessedBy: witnesses, witnessed: witnesses.length >= MIN_WITNESSES };
}

/** The first checkpoint of at least `size` leaves (or of exactly `size` when `exact`). */
export async function checkpointBySize(db: DbOrTx, size: number, exact = true) {
  const [row] = await db
    .select()
    .from(logCheckpoints)
    .where(exact ? eq(logCheckpoints.size, size) : gte(logCheckpoints.size, size))
    .orderBy(asc(logCheckpoints.id))
    .limit(1);
  return row ? signedCheckpointOf(db, row) : null;
}

/**
 * The inclusion proof of a publication: against the latest checkpoint, or against the first
 * checkpoint co-signed by enough witnesses (the one that dates the publication, SPEC §9.1).
 */
export async function publicationInclusion(
  db: DbOrTx,
  publicationId: string,
  which: 'latest' | 'first-witnessed' = 'latest',
): Promise<{ inclusion: LogInclusion | null; witnessedBy: WitnessKey[]; pending: boolean }> {
  const leafRow = await db.query.logLeaves.findFirst({
    where: (l, { eq }) => eq(l.publicationId, publicationId),
  });
  if (!leafRow) notFound('publicationId', 'logged publication', publicationId);
  let cp: (SignedCheckpoint & { id: number }) | null = null;
  const trusted = await allWitnesses(db);
  if (which === 'latest') {
    cp = await latestCheckpoint(db);
  } else {
    const rows = await db
      .select()
      .from(logCheckpoints)
      .where(gte(logCheckpoints.size, leafRow.seq + 1))
      .orderBy(asc(logCheckpoints.id))
      .limit(500);
    for (const r of rows) {
      const s = await signedCheckpointOf(db, r);
      if (witnessesOf(s, trusted).length >= MIN_WITNESSES) {
        cp = s;
        break;
      }
    }
  }
  if (!cp || cp.size <= leafRow.seq) return { inclusion: null, witnessedBy: [], pending: true };
  const hashes = await loadLeafHashes(db, cp.size);
  const { id: _id, ...checkpoint } = cp;
  return {
    inclusion: {
      spec: 'spotcheck/log-inclusion/v1',
      leaf: JSON.parse(leafRow.leaf),
      leafIndex: leafRow.seq,
      proof: inclusionProof(hashes, leafRow.seq, cp.size).map(toHex),
      checkpoint,
    },
    witnessedBy: witnessesOf(cp, trusted),
    pending: false,
  };
}

/** The consistency proof between two tree sizes of the log (hex). */
export async function consistencyBetween(db: DbOrTx, from: number, to: number) {
  if (from > to) fail('BAD_REQUEST', 'from', `must not exceed to (${from} > ${to})`);
  const hashes = await loadLeafHashes(db, to);
  if (hashes.length < to) fail('BAD_REQUEST', 'to', `the log has ${hashes.length} leaves, not ${to}`);
  return {
    from,
    to,
    fromRoot: toHex(treeRoot(hashes, from)),
    toRoot: toHex(treeRoot(hashes, to)),
    proof: consistencyProof(hashes, from, to).map(toHex),
  };
}

/** Leaves `from`..`from+limit-1` with the publication each names as it reads now (null when gone). */
export async function logEntries(db: DbOrTx, from: number, limit: number) {
  const rows = await db
    .select({ leaf: logLeaves, publication: publications })
    .from(logLeaves)
    .leftJoin(publications, eq(publications.id, logLeaves.publicationId))
    .where(and(gte(logLeaves.seq, from), lte(logLeaves.seq, from + limit - 1)))
    .orderBy(asc(logLeaves.seq));
  return rows.map((r) => ({
    seq: r.leaf.seq,
    leaf: r.leaf.leaf,
    leafHash: r.leaf.leafHash,
    publication: r.publication,
  }));
}

const SPKI_ED25519_PREFIX = '302a300506032b6570032100';

/** Raw base64 key of a base64 SPKI DER Ed25519 key, or null. */
function rawOfSpki(spkiB64: string | null): string | null {
  if (!spkiB64) return null;
  const hex = Buffer.from(spkiB64, 'base64').toString('hex');
  return hex.startsWith(SPKI_ED25519_PREFIX) && hex.length === 88
    ? Buffer.from(hex.slice(24), 'hex').toString('base64')
    : null;
}

/**
 * Refuses a witness key that is not independent of the bureaus: the log's own key, or any key a
 * bureau official signs with (user signing keys, draw signers).
 */
export async function assertIndependentWitnessKey(db: DbOrTx, publicKey: string): Promise<void> {
  if (!isValidPublicKey(publicKey))
    fail('BAD_REQUEST', 'publicKey', 'must be a base64 raw 32-byte Ed25519 public key');
  const logs = await db.select({ k: logKeys.publicKey }).from(logKeys);
  if (logs.some((l) => l.k === publicKey))
    fail('BAD_REQUEST', 'publicKey', "is the log's own key; a witness must be independent of the bureau");
  const signers = await db
    .select({ k: users.signingPublicKey })
    .from(users)
    .where(sql`${users.signingPublicKey} is not null`);
  const drawSigners = await db
    .select({ k: draws.signerPublicKey })
    .from(draws)
    .where(sql`${draws.signerPublicKey} is not null`);
  if ([...signers, ...drawSigners].some((s) => rawOfSpki(s.k) === publicKey || s.k === publicKey)) {
    fail('BAD_REQUEST', 'publicKey', 'is a bureau signing key; a witness must be independent of the bureau');
  }
}

/** What a witness submits. */
export interface CosignatureSubmission {
  /** The checkpoint co-signed, by its tree size and time. */
  size: number;
  checkpointTime: string;
  witness: string;
  publicKey: string;
  /** The witness's clock when it signed. */
  time: string;
  signature: string;
  /** The checkpoint the witness saw before (it verified consistency from it). */
  previous?: { size: number; rootHash: string } | null;
}

/**
 * Verifies and stores a co-signature: a registered witness key, a valid signature of that exact
 * checkpoint, the witness's time within ±30 s of the checkpoint time and of the server clock, and
 * the log consistent with the checkpoint the witness saw before.
 */
export async function submitCosignature(db: Db, s: CosignatureSubmission, now: Date) {
  const w = await db.query.logWitnesses.findFirst({ where: (x, { eq }) => eq(x.publicKey, s.publicKey) });
  if (!w || w.retiredAt) fail('FORBIDDEN', 'publicKey', 'is not a registered witness key');
  if (w.name !== s.witness) fail('BAD_REQUEST', 'witness', `the key is registered as ${w.name}`);
  const cpTime = new Date(s.checkpointTime);
  if (Number.isNaN(cpTime.getTime())) fail('BAD_REQUEST', 'checkpointTime', 'is not a time');
  const row = await db.query.logCheckpoints.findFirst({
    where: (c, { and, eq }) => and(eq(c.size, s.size), eq(c.time, cpTime)),
  });
  if (!row) fail('NOT_FOUND', 'checkpointTime', `no checkpoint of size ${s.size} at ${s.checkpointTime}`);
  const cp = await signedCheckpointOf(db, row);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(s.time))
    fail('BAD_REQUEST', 'time', 'must be whole seconds UTC (…Z)');
  if (Math.abs(secondsBetween(cp.time, s.time)) > WITNESS_CLOCK_SKEW_SECONDS) {
    fail(
      'BAD_REQUEST',
      'time',
      `the witness time ${s.time} is more than ${WITNESS_CLOCK_SKEW_SECONDS} s from the checkpoint time ${cp.time}`,
    );
  }
  if (Math.abs(secondsBetween(isoSeconds(now), s.time)) > WITNESS_CLOCK_SKEW_SECONDS) {
    fail(
      'BAD_REQUEST',
      'time',
      `the witness time ${s.time} is more than ${WITNESS_CLOCK_SKEW_SECONDS} s from the log's clock`,
    );
  }
  if (
    !verifyCosignature(cp, {
      witness: s.witness,
      publicKey: s.publicKey,
      time: s.time,
      signature: s.signature,
    })
  ) {
    fail(
      'BAD_REQUEST',
      'signature',
      `is not a valid cosignature/v1 signature of this checkpoint (message ${JSON.stringify(cosignatureMessage(cp, s.time).split('\n')[0])}…)`,
    );
  }
  if (s.previous) {
    if (s.previous.size > cp.size)
      fail('BAD_REQUEST', 'previous.size', `exceeds the checkpoint size ${cp.size}`);
    const hashes = await loadLeafHashes(db, cp.size);
    const proof = consistencyProof(hashes, s.previous.size, cp.size);
    if (
      !verifyConsistency(s.previous.size, cp.size, fromHex(s.previous.rootHash), fromHex(cp.rootHash), proof)
    ) {
      fail(
        'CONFLICT',
        'previous',
        `the log is not consistent with the checkpoint of size ${s.previous.size} the witness saw`,
      );
    }
  }
  await db
    .insert(logCosignatures)
    .values({
      checkpointId: cp.id,
      witnessId: w.id,
      time: new Date(s.time),
      signature: s.signature,
      receivedAt: now,
    })
    .onConflictDoNothing();
  return describeCheckpoint(db, await signedCheckpointOf(db, row));
}
