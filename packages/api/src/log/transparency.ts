import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import {
  logCheckpoints,
  logCosignatures,
  logKeys,
  logLeaves,
  logWitnesses,
  publications,
  signingKeys,
  draws,
  type Db,
} from '@spotcheck/db';
import { canonicalJson, fromHex, toHex, type PublicationContent } from '@spotcheck/core';
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
  SubtreeMemo,
  treeRoot,
  verifyConsistency,
  verifyCosignature,
  verifyCheckpointSignature,
  WITNESS_CLOCK_SKEW_SECONDS,
  witnessesOf,
  type Checkpoint,
  type LogInclusion,
  type SignedCheckpoint,
  type WitnessKey,
} from '@spotcheck/core/log';
import { decryptSecret, encryptSecret } from '../auth/signing-keys';
import { fail, notFound } from '../lib/errors';
import { isLargePublication, publicationFilePath, readableColumns } from '../lib/publications';
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

/** Leaf hashes of one database's log checked against a signed checkpoint, with their subtree roots. */
interface LogHashCache {
  /** Leaves 0..trusted-1: their tree head equals the root of a checkpoint the log signed. */
  leaves: Uint8Array[];
  memo: SubtreeMemo;
}

/** Per database handle (not per transaction): entries die with the handle. */
const hashCaches = new WeakMap<object, LogHashCache>();

/** Whether a handle is a transaction (drizzle's transactions can roll back; databases cannot). */
const isTransaction = (db: DbOrTx) => typeof (db as { rollback?: unknown }).rollback === 'function';

/**
 * Leaf hashes 0..size-1 for a proof or a tree head, without reading and hashing the whole log on
 * every request: a database handle keeps the leaves it has already checked, with a
 * {@link SubtreeMemo} of their complete subtrees, so a proof at 10^6 leaves costs O(log n) once
 * warm (BENCHMARKS.md, "Transparency-log proofs"). Trust is anchored on a signed checkpoint (one
 * the log's key signed, {@link isSignedByLog}: a row as read is no anchor, for a row an insider
 * wrote would drop the cache on every request and leave each to re-read the whole log). The
 * cached leaves are reused only while their tree head equals `anchor`'s root (or the root of a
 * checkpoint they were checked against), new leaves join the cache only once a checkpoint's root
 * covers them, and any mismatch (a reset or rewritten log) drops the cache and reads the database
 * afresh, so a proof never rests on hashes the database no longer holds unnoticed. Inside a
 * transaction nothing is cached. Checkpoints are not signed from this cache (see
 * {@link issueCheckpoint}): they sign what the database holds.
 *
 * `size` may be below `anchor.size` (a consistency proof to a size no checkpoint has, anchored on
 * a larger checkpoint): the leaf hashes of a prefix are a prefix of the anchor's, so the leaves are
 * read and checked up to `anchor.size` once and every such size is then answered from the cache.
 * Reading only `size` leaves instead would return hashes no signed root was checked against, and
 * would read them again on every request. Callers never ask past `anchor.size`: leaves beyond it
 * would be the database's, unchecked.
 */
export async function leafHashesFor(
  db: DbOrTx,
  size: number,
  anchor: { size: number; rootHash: string },
): Promise<{ hashes: Uint8Array[]; memo?: SubtreeMemo }> {
  if (isTransaction(db)) return { hashes: await loadLeafHashes(db, size) };
  let cache = hashCaches.get(db);
  if (!cache) {
    cache = { leaves: [], memo: new SubtreeMemo() };
    cache.memo.trustedLeaves = 0;
    hashCaches.set(db, cache);
  }
  const fresh = async () => {
    hashCaches.delete(db);
    return { hashes: await loadLeafHashes(db, size) };
  };
  const trusted = cache.leaves.length;
  if (anchor.size > 0 && anchor.size <= trusted) {
    if (toHex(treeRoot(cache.leaves, anchor.size, cache.memo)) !== anchor.rootHash) return fresh();
  }
  if (size <= anchor.size && size <= trusted) return { hashes: cache.leaves, memo: cache.memo };
  // Up to the anchor even when fewer leaves were asked for: only then can they be checked.
  const upTo = Math.max(size, anchor.size);
  const rows = await db
    .select({ seq: logLeaves.seq, h: logLeaves.leafHash })
    .from(logLeaves)
    .where(and(gte(logLeaves.seq, trusted), sql`${logLeaves.seq} < ${upTo}`))
    .orderBy(asc(logLeaves.seq));
  if (rows.some((r, i) => r.seq !== trusted + i)) return fresh();
  const hashes = cache.leaves.concat(rows.map((r) => fromHex(r.h)));
  // The database holds fewer leaves than a signed checkpoint of it: a reset or truncated log.
  if (anchor.size > hashes.length) return fresh();
  if (anchor.size > trusted) {
    // The memo reads and keeps only subtrees of the trusted prefix while the rest is checked.
    if (toHex(treeRoot(hashes, anchor.size, cache.memo)) !== anchor.rootHash) return fresh();
    cache.leaves = hashes.slice(0, anchor.size);
    cache.memo.trustedLeaves = anchor.size;
  }
  return { hashes, memo: cache.memo };
}

/**
 * The signed tree head the cached leaves of `db` were last checked against, when it holds at least
 * `size` leaves (never inside a transaction, where nothing is cached); otherwise null.
 */
function checkedHead(db: DbOrTx, size: number): { size: number; rootHash: string } | null {
  const cache = isTransaction(db) ? undefined : hashCaches.get(db);
  const n = cache?.leaves.length ?? 0;
  if (!cache || n === 0 || n < size) return null;
  return { size: n, rootHash: toHex(treeRoot(cache.leaves, n, cache.memo)) };
}

/**
 * The cached subtree roots of `db`'s log when its checked leaves are, byte for byte, the first of
 * `hashes` (read from the database just now); otherwise the cache is dropped and nothing is reused.
 */
function memoIfUnchanged(db: DbOrTx, hashes: readonly Uint8Array[]): SubtreeMemo | undefined {
  const cache = hashCaches.get(db);
  if (!cache) return undefined;
  const n = cache.leaves.length;
  let same = hashes.length >= n;
  for (let i = 0; same && i < n; i++) {
    const a = cache.leaves[i]!;
    const b = hashes[i]!;
    for (let j = 0; j < a.length; j++)
      if (a[j] !== b[j]) {
        same = false;
        break;
      }
  }
  if (same) return cache.memo;
  hashCaches.delete(db);
  return undefined;
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
  return (await signedCheckpointsOf(db, [row]))[0]!;
}

/**
 * Stored checkpoints with their co-signatures, in the order given: one statement for all of their
 * co-signatures (a page of checkpoints read one statement each was a statement per checkpoint,
 * hundreds for a list or a search past unwitnessed ones).
 */
export async function signedCheckpointsOf(
  db: DbOrTx,
  rows: CheckpointRow[],
): Promise<(SignedCheckpoint & { id: number })[]> {
  if (!rows.length) return [];
  const cos = await db
    .select({
      checkpointId: logCosignatures.checkpointId,
      name: logWitnesses.name,
      publicKey: logWitnesses.publicKey,
      time: logCosignatures.time,
      signature: logCosignatures.signature,
    })
    .from(logCosignatures)
    .innerJoin(logWitnesses, eq(logWitnesses.id, logCosignatures.witnessId))
    .where(
      inArray(
        logCosignatures.checkpointId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(logCosignatures.receivedAt));
  const byCheckpoint = new Map<number, SignedCheckpoint['cosignatures']>(rows.map((r) => [r.id, []]));
  for (const c of cos)
    byCheckpoint.get(c.checkpointId)!.push({
      witness: c.name,
      publicKey: c.publicKey,
      time: isoSeconds(c.time),
      signature: c.signature,
    });
  return rows.map((row) => ({
    id: row.id,
    origin: row.origin,
    size: row.size,
    rootHash: row.rootHash,
    time: isoSeconds(row.time),
    logKey: row.logKey,
    signature: row.signature,
    cosignatures: byCheckpoint.get(row.id)!,
  }));
}

/**
 * Checkpoint rows read per statement when choosing one the log signed (an anchor for proofs, the
 * latest checkpoint): the work of a request stays bounded however many rows an insider wrote, at
 * most this many signature checks, each done once per process ({@link isSignedByLog}).
 */
const SIGNED_CANDIDATES = 16;

/** The log's public key of each origin (`log_keys`, one row per origin, made on first use). */
async function logKeysByOrigin(db: DbOrTx): Promise<Map<string, string>> {
  const rows = await db.select({ origin: logKeys.origin, publicKey: logKeys.publicKey }).from(logKeys);
  return new Map(rows.map((r) => [r.origin, r.publicKey]));
}

/** Log signatures checked so far, by everything the check reads: each is verified once per process. */
const logSignatureMemo = new Map<string, boolean>();
const LOG_SIGNATURE_MEMO_MAX = 8192;

type SignedText = Checkpoint & { logKey: string; signature: string };

/** Notes whether a signature of a checkpoint text verifies. */
function rememberSignature(cp: SignedText, ok: boolean): void {
  if (logSignatureMemo.size >= LOG_SIGNATURE_MEMO_MAX) logSignatureMemo.clear();
  logSignatureMemo.set(signatureMemoKey(cp), ok);
}

/** Everything a check of the log's signature reads. */
function signatureMemoKey(cp: SignedText): string {
  return JSON.stringify([cp.logKey, cp.signature, cp.origin, cp.size, cp.rootHash, cp.time]);
}

/**
 * Whether a stored checkpoint is one the log signed: its key is the log's key of its origin (a row
 * signed with a key of the writer's own is not) and its signature verifies over its text. Only
 * such a checkpoint vouches for the leaves; the database accepts any row (append-only, not signed).
 */
function isSignedByLog(cp: SignedText, keys: ReadonlyMap<string, string>): boolean {
  if (keys.get(cp.origin) !== cp.logKey) return false;
  let ok = logSignatureMemo.get(signatureMemoKey(cp));
  if (ok === undefined) {
    ok = verifyCheckpointSignature(
      { origin: cp.origin, size: cp.size, rootHash: cp.rootHash, time: cp.time },
      cp.logKey,
      cp.signature,
    );
    rememberSignature(cp, ok);
  }
  return ok;
}

/** The first of `rows` (read in the order of preference) that the log signed, or null. */
async function firstSignedByLog(db: DbOrTx, rows: CheckpointRow[]): Promise<CheckpointRow | null> {
  if (!rows.length) return null;
  const keys = await logKeysByOrigin(db);
  return rows.find((r) => isSignedByLog({ ...r, time: isoSeconds(r.time) }, keys)) ?? null;
}

/**
 * The newest checkpoint the log signed (of `origin`, when given), looked for among the
 * {@link SIGNED_CANDIDATES} newest rows; null when none of them is.
 */
async function latestSignedRow(db: DbOrTx, origin?: string): Promise<CheckpointRow | null> {
  const rows = await db
    .select()
    .from(logCheckpoints)
    .where(origin === undefined ? undefined : eq(logCheckpoints.origin, origin))
    .orderBy(desc(logCheckpoints.id))
    .limit(SIGNED_CANDIDATES);
  return firstSignedByLog(db, rows);
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
 * the last one is older than the heartbeat; returns it, or null when none was due. The
 * `log-checkpoint` job (and tests, with a pinned clock) call this.
 */
export async function issueCheckpoint(db: Db, opts: IssueCheckpointOptions) {
  const origin = opts.origin ?? logOriginFromEnv();
  const time = new Date(Math.floor(opts.now.getTime() / 1000) * 1000);
  return db.transaction(async (tx) => {
    // Leaves appended concurrently wait for the lock; the tree read below is complete.
    await tx.execute(sql`select pg_advisory_xact_lock(${LOG_LOCK_KEY})`);
    // The last checkpoint the log signed: a row written past it (dated in the future, say) would
    // otherwise hold back every checkpoint until its time.
    const last = await latestSignedRow(tx, origin);
    // A checkpoint signs exactly what the database holds (a leaf rewritten in the database must
    // make it inconsistent, for witnesses to refuse): every leaf is read; only the hashing of the
    // subtrees already checked is saved, when the database still holds those very leaves.
    const hashes = await loadLeafHashes(tx);
    const memo = memoIfUnchanged(db, hashes);
    const size = hashes.length;
    if (last) {
      if (time <= last.time) return null;
      const age = (time.getTime() - last.time.getTime()) / 1000;
      if (last.size === size && age < (opts.heartbeatSeconds ?? 300)) return null;
    }
    const key = await ensureLogKey(tx, opts.keySecret, origin);
    const cp: Checkpoint = {
      origin,
      size,
      rootHash: toHex(treeRoot(hashes, size, memo)),
      time: isoSeconds(time),
    };
    const signature = signCheckpoint(cp, key.secretKey);
    const [row] = await tx
      .insert(logCheckpoints)
      .values({ origin, size, rootHash: cp.rootHash, time, logKey: key.publicKey, signature })
      .returning();
    // Signed just now with the key its public key was checked against: not verified again.
    rememberSignature({ ...cp, logKey: key.publicKey, signature }, true);
    return signedCheckpointOf(tx, row!);
  });
}

/** The latest checkpoint row as stored (signed or not: monitors check), or null before the first. */
export async function latestCheckpoint(db: DbOrTx) {
  const [row] = await db.select().from(logCheckpoints).orderBy(desc(logCheckpoints.id)).limit(1);
  return row ? signedCheckpointOf(db, row) : null;
}

/**
 * The latest checkpoint the log signed, or null before the first (or when none of the newest
 * {@link SIGNED_CANDIDATES} rows is: rows an insider wrote); what proofs and co-signing rest on.
 */
export async function latestSignedCheckpoint(db: DbOrTx) {
  const row = await latestSignedRow(db);
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
export async function allWitnesses(db: DbOrTx): Promise<WitnessKey[]> {
  const rows = await db.select().from(logWitnesses);
  return rows.map((w) => ({ name: w.name, label: w.label, publicKey: w.publicKey }));
}

/**
 * A checkpoint with the witnesses whose co-signatures count (`known`: every witness ever
 * registered, when the caller has read them for several checkpoints).
 */
export async function describeCheckpoint(
  db: DbOrTx,
  cp: SignedCheckpoint & { id: number },
  known?: WitnessKey[],
) {
  const witnesses = witnessesOf(cp, known ?? (await allWitnesses(db)));
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

/** Checkpoints read per statement while looking for a witnessed one. */
const WITNESSED_PAGE = 100;

/**
 * A checkpoint the log signed and {@link MIN_WITNESSES} of `trusted` co-signed: the first of at least
 * `first` leaves, or the newest of a time before `newestBefore`; null when there is none. Only
 * checkpoints with that many co-signatures on file are read (each is verified on receipt, and again
 * here), page after page with no cap: unwitnessed checkpoints in between, however many, never make
 * a leaf look unwitnessed (a cap of 500 did, and a key that ended meanwhile then failed an honest
 * sign-off, §9.7).
 */
async function witnessedCheckpoint(
  db: DbOrTx,
  trusted: WitnessKey[],
  which: { first: number } | { newestBefore: Date },
): Promise<(SignedCheckpoint & { id: number }) | null> {
  const newest = 'newestBefore' in which;
  const keys = await logKeysByOrigin(db);
  for (let cursor: number | null = null; ;) {
    const rows = await db
      .select()
      .from(logCheckpoints)
      .where(
        and(
          'first' in which
            ? gte(logCheckpoints.size, which.first)
            : lt(logCheckpoints.time, which.newestBefore),
          cursor === null
            ? undefined
            : newest
              ? lt(logCheckpoints.id, cursor)
              : gt(logCheckpoints.id, cursor),
          sql`(SELECT count(*) FROM ${logCosignatures} WHERE ${logCosignatures.checkpointId} = ${logCheckpoints.id}) >= ${MIN_WITNESSES}`,
        ),
      )
      .orderBy(newest ? desc(logCheckpoints.id) : asc(logCheckpoints.id))
      .limit(WITNESSED_PAGE);
    for (const s of await signedCheckpointsOf(db, rows))
      if (witnessesOf(s, trusted).length >= MIN_WITNESSES && isSignedByLog(s, keys)) return s;
    if (rows.length < WITNESSED_PAGE) return null;
    cursor = rows[rows.length - 1]!.id;
  }
}

/**
 * The newest checkpoint of a time before `before` co-signed by enough witnesses: every leaf it
 * holds has a log time before `before`.
 */
export async function newestWitnessedCheckpoint(db: DbOrTx, before: Date) {
  return witnessedCheckpoint(db, await allWitnesses(db), { newestBefore: before });
}

/**
 * The inclusion proof of a publication: against the latest checkpoint the log signed, or against
 * the first checkpoint co-signed by enough witnesses (the one that dates the publication, SPEC §9.1).
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
  const trusted = await allWitnesses(db);
  const cp =
    which === 'latest'
      ? await latestSignedCheckpoint(db)
      : await witnessedCheckpoint(db, trusted, { first: leafRow.seq + 1 });
  if (!cp || cp.size <= leafRow.seq) return { inclusion: null, witnessedBy: [], pending: true };
  const { hashes, memo } = await leafHashesFor(db, cp.size, cp);
  const { id: _id, ...checkpoint } = cp;
  return {
    inclusion: {
      spec: 'spotcheck/log-inclusion/v1',
      leaf: JSON.parse(leafRow.leaf),
      leafIndex: leafRow.seq,
      proof: inclusionProof(hashes, leafRow.seq, cp.size, memo).map(toHex),
      checkpoint,
    },
    witnessedBy: witnessesOf(cp, trusted),
    pending: false,
  };
}

/**
 * The consistency proof between two tree sizes of the log (hex). Anyone may ask, for any sizes,
 * so the leaves always come from {@link leafHashesFor}'s checked cache, anchored on the smallest
 * checkpoint the log signed of at least `to` leaves (monitors ask between checkpoints, where that
 * is the checkpoint of size `to`): an anchor of exactly `to` only would leave every other size to
 * read and hash the whole log on each request (1.4 s at 10^5 leaves). A row the log did not sign
 * is passed over as if absent (its root would not match the cache, and every request would read
 * the whole log again); the search reads {@link SIGNED_CANDIDATES} rows, then the latest signed
 * checkpoint, then the signed head the cache was checked against, so that rows an insider wrote,
 * however many, cost a bounded read and at most one check each per process.
 */
export async function consistencyBetween(db: DbOrTx, from: number, to: number) {
  if (from > to) fail('BAD_REQUEST', 'from', 'log.rangeReversed', { from, to });
  // The empty tree needs no leaves and no anchor.
  let anchor: { size: number; rootHash: string } | null = null;
  if (to > 0) {
    const smallest = await db
      .select()
      .from(logCheckpoints)
      .where(gte(logCheckpoints.size, to))
      .orderBy(asc(logCheckpoints.size), desc(logCheckpoints.id))
      .limit(SIGNED_CANDIDATES);
    anchor = await firstSignedByLog(db, smallest);
    const latest = anchor ? null : await latestSignedRow(db);
    if (!anchor) anchor = latest && latest.size >= to ? latest : checkedHead(db, to);
    // A size past every signed checkpoint is refused rather than read unchecked (and unbounded)
    // from the database: no signed root vouches for its leaves, so its root proves nothing to a
    // verifier, and witnesses and monitors only ever ask up to a checkpoint they hold.
    if (!anchor) fail('BAD_REQUEST', 'to', 'log.beyondCheckpoints', { to, size: latest?.size ?? 0 });
  }
  const { hashes, memo } = anchor
    ? await leafHashesFor(db, to, anchor)
    : { hashes: [] as Uint8Array[], memo: undefined };
  if (hashes.length < to) fail('BAD_REQUEST', 'to', 'log.tooFewLeaves', { leaves: hashes.length, to });
  return {
    from,
    to,
    fromRoot: toHex(treeRoot(hashes, from, memo)),
    toRoot: toHex(treeRoot(hashes, to, memo)),
    proof: consistencyProof(hashes, from, to, memo).map(toHex),
  };
}

/**
 * Stored bytes of contents one call of {@link logEntries} sends inline: past them, a publication
 * comes with `contentFile` as a large one does (500 entries of up to 4 MB each would otherwise be
 * one anonymous answer of up to 2 GB, built in the server's memory).
 */
export const LOG_ENTRIES_INLINE_BYTES = 8 * 1024 * 1024;

/**
 * Leaves `from`..`from+limit-1` with the publication each names as it reads now (null when gone).
 * A publication stored larger than `PUBLICATION_READ_MAX_STORED` (a city's draw or
 * commitment, 10^8 bytes), or past {@link LOG_ENTRIES_INLINE_BYTES} of the contents before it,
 * comes without its content and with `contentFile`, its file's path, where a monitor reads it:
 * anyone may ask for these entries, and 500 of them at once.
 */
export async function logEntries(db: DbOrTx, from: number, limit: number) {
  const { content: _content, ...headers } = readableColumns();
  const rows = await db
    .select({ leaf: logLeaves, publication: headers })
    .from(logLeaves)
    .leftJoin(publications, eq(publications.id, logLeaves.publicationId))
    .where(and(gte(logLeaves.seq, from), lte(logLeaves.seq, from + limit - 1)))
    .orderBy(asc(logLeaves.seq));
  // The contents sent inline, in log order, within the budget; read in one statement.
  let budget = LOG_ENTRIES_INLINE_BYTES;
  const inline: string[] = [];
  for (const r of rows) {
    const bytes = r.publication?.storedBytes;
    if (bytes === undefined || isLargePublication(bytes) || bytes > budget) continue;
    budget -= bytes;
    inline.push(r.publication!.id);
  }
  const contents = new Map<string, PublicationContent>();
  for (let i = 0; i < inline.length; i += 500)
    for (const c of await db
      .select({ id: publications.id, content: publications.content })
      .from(publications)
      .where(inArray(publications.id, inline.slice(i, i + 500))))
      contents.set(c.id, c.content);
  return rows.map((r) => {
    if (!r.publication)
      return { seq: r.leaf.seq, leaf: r.leaf.leaf, leafHash: r.leaf.leafHash, publication: null };
    const { storedBytes: _stored, ...publication } = r.publication;
    return {
      seq: r.leaf.seq,
      leaf: r.leaf.leaf,
      leafHash: r.leaf.leafHash,
      publication: contents.has(publication.id)
        ? { ...publication, content: contents.get(publication.id)! }
        : { ...publication, content: null, contentFile: publicationFilePath(publication.id) },
    };
  });
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

/** Raw base64 of a lowercase-hex 32-byte key, or null. */
function rawOfHex(hex: string | null): string | null {
  return hex && /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex').toString('base64') : null;
}

/**
 * Refuses a witness key that is not independent of the bureaus: the log's own key, any officials'
 * registry key (`signing_keys`, whatever its status: pending, active, rotated, revoked or rejected),
 * any key a draw was signed with, or an already registered
 * witness's key.
 */
export async function assertIndependentWitnessKey(db: DbOrTx, publicKey: string): Promise<void> {
  if (!isValidPublicKey(publicKey)) fail('BAD_REQUEST', 'publicKey', 'witness.keyFormat');
  const logs = await db.select({ k: logKeys.publicKey }).from(logKeys);
  if (logs.some((l) => l.k === publicKey)) fail('BAD_REQUEST', 'publicKey', 'witness.isLogKey');
  const hex = Buffer.from(publicKey, 'base64').toString('hex');
  const [official] = await db
    .select({ bureauCode: signingKeys.bureauCode })
    .from(signingKeys)
    .where(eq(signingKeys.publicKey, hex))
    .limit(1);
  if (official)
    fail('BAD_REQUEST', 'publicKey', 'witness.isOfficialKey', { bureauCode: official.bureauCode });
  const drawSigners = await db
    .select({ k: draws.signerPublicKey })
    .from(draws)
    .where(sql`${draws.signerPublicKey} is not null`);
  if (
    drawSigners.some((s) => rawOfSpki(s.k) === publicKey || rawOfHex(s.k) === publicKey || s.k === publicKey)
  ) {
    fail('BAD_REQUEST', 'publicKey', 'witness.isBureauKey');
  }
  const [dup] = await db
    .select({ name: logWitnesses.name })
    .from(logWitnesses)
    .where(eq(logWitnesses.publicKey, publicKey))
    .limit(1);
  if (dup) fail('CONFLICT', 'publicKey', 'witness.keyTaken', { name: dup.name });
}

/**
 * Whether a string is a real instant written as whole seconds UTC, exactly as {@link isoSeconds}
 * writes it: no month 13, no 25th hour, no 30 February rolled over into March.
 */
export function isRealIsoSeconds(s: string): boolean {
  const ms = Date.parse(s);
  return Number.isFinite(ms) && isoSeconds(ms) === s;
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
  if (!w || w.retiredAt) fail('FORBIDDEN', 'publicKey', 'witness.keyUnknown');
  if (w.name !== s.witness) fail('BAD_REQUEST', 'witness', 'witness.nameMismatch', { name: w.name });
  // A rolled-over date ("2027-02-30T…" parses as 2 March) would look up another time's checkpoint.
  if (!isRealIsoSeconds(s.checkpointTime))
    fail('BAD_REQUEST', 'checkpointTime', 'witness.checkpointTimeInvalid');
  const cpTime = new Date(s.checkpointTime);
  const row = await db.query.logCheckpoints.findFirst({
    where: (c, { and, eq }) => and(eq(c.size, s.size), eq(c.time, cpTime)),
  });
  // A row the log did not sign is no checkpoint of the log: nothing to co-sign (and no anchor for
  // the consistency check below, which would drop the checked leaves).
  if (!row || !(await firstSignedByLog(db, [row])))
    fail('NOT_FOUND', 'checkpointTime', 'witness.checkpointNotFound', {
      size: s.size,
      checkpointTime: s.checkpointTime,
    });
  const cp = await signedCheckpointOf(db, row);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(s.time))
    fail('BAD_REQUEST', 'time', 'witness.timeFormat');
  // The pattern lets "2027-13-45T25:61:61Z" through: NaN then passes the skew checks below
  // (NaN > 30 is false) and the refusal's signed text throws, a 500 instead of a 400.
  if (!isRealIsoSeconds(s.time)) fail('BAD_REQUEST', 'time', 'witness.timeInvalid', { time: s.time });
  if (Math.abs(secondsBetween(cp.time, s.time)) > WITNESS_CLOCK_SKEW_SECONDS) {
    fail('BAD_REQUEST', 'time', 'witness.timeSkewCheckpoint', {
      time: s.time,
      skew: WITNESS_CLOCK_SKEW_SECONDS,
      checkpointTime: cp.time,
    });
  }
  if (Math.abs(secondsBetween(isoSeconds(now), s.time)) > WITNESS_CLOCK_SKEW_SECONDS) {
    fail('BAD_REQUEST', 'time', 'witness.timeSkewLog', { time: s.time, skew: WITNESS_CLOCK_SKEW_SECONDS });
  }
  if (
    !verifyCosignature(cp, {
      witness: s.witness,
      publicKey: s.publicKey,
      time: s.time,
      signature: s.signature,
    })
  ) {
    fail('BAD_REQUEST', 'signature', 'witness.badSignature', {
      signedText: JSON.stringify(cosignatureMessage(cp, s.time).split('\n')[0]),
    });
  }
  if (s.previous) {
    if (s.previous.size > cp.size)
      fail('BAD_REQUEST', 'previous.size', 'witness.previousTooLarge', { size: cp.size });
    const { hashes, memo } = await leafHashesFor(db, cp.size, cp);
    const proof = consistencyProof(hashes, s.previous.size, cp.size, memo);
    if (
      !verifyConsistency(s.previous.size, cp.size, fromHex(s.previous.rootHash), fromHex(cp.rootHash), proof)
    ) {
      fail('CONFLICT', 'previous', 'witness.inconsistent', { size: s.previous.size });
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
