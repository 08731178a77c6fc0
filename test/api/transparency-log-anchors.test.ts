/**
 * Checkpoint rows the log did not sign (written straight into the table by an insider with the
 * application's rights): proofs pass over them as if they were absent, and they never make the
 * server drop the leaves it has checked and read the whole log again on every request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cosignCheckpoint,
  generateLogKeyPair,
  isoSeconds,
  signCheckpoint,
  treeRoot,
  verifyConsistency,
  verifyPublicationInclusion,
  type WitnessKey,
} from '@spotcheck/core/log';
import type { Db } from '@spotcheck/db';
import {
  appRouter,
  createCallerFactory,
  createContextInner,
  issueCheckpoint,
  keySecretFromEnv,
} from '@spotcheck/api';
import { loadLeafHashes, publish } from '@spotcheck/api/testing';
import { fromHex, toHex } from '@spotcheck/core';
import {
  anonymousCaller,
  BINHAI,
  callerWithToken,
  CITY,
  codeOf,
  openTestDb,
  signedInUser,
  type TestDb,
} from './harness';
import { countingLeafReads } from './transparency-log-reads';

const ORIGIN = 'spotcheck.test/log';
const T0 = Date.parse('2027-06-01T02:00:00Z');
/** Far past every honest checkpoint of the suite: a forged row dated in the future. */
const FUTURE = Date.parse('2031-01-01T00:00:00Z');
const BOGUS_ROOT = 'ee'.repeat(32);
const w1 = { name: 'tj-supervision', ...generateLogKeyPair() };
const w2 = { name: 'public-monitor', ...generateLogKeyPair() };
const trusted: WitnessKey[] = [w1, w2].map((w) => ({ name: w.name, publicKey: w.publicKey }));

let t: TestDb;
let forgedAt = FUTURE;

async function publishMany(n: number, at: number) {
  await t.database.db.transaction(async (tx) => {
    for (let i = 0; i < n; i++) {
      const title = `entry ${at} ${i}`;
      await publish(tx, {
        bureauCode: BINHAI,
        kind: 'checklist',
        refId: title,
        title,
        content: { i },
        by: null,
        at: new Date(at),
      });
    }
  });
}

async function checkpointAt(ms: number) {
  return issueCheckpoint(t.database.db, {
    now: new Date(ms),
    keySecret: keySecretFromEnv(),
    origin: ORIGIN,
    heartbeatSeconds: 1,
  });
}

/**
 * Writes a checkpoint row the log never signed, as the application's database role can: `copied`
 * takes an honest row's key and signature (which do not sign this text), `ownKey` signs it with a
 * key of the writer's own (a valid signature, not by the log's key).
 */
async function forge(
  size: number,
  how: { copied: { logKey: string; signature: string } } | 'ownKey',
  time = (forgedAt += 1000),
): Promise<{ id: number; size: number; rootHash: string; time: string; origin: string }> {
  const cp = { origin: ORIGIN, size, rootHash: BOGUS_ROOT, time: isoSeconds(time) };
  const own = generateLogKeyPair();
  const { logKey, signature } =
    how === 'ownKey' ? { logKey: own.publicKey, signature: signCheckpoint(cp, own.secretKey) } : how.copied;
  const { rows } = await t.database.exec(
    `INSERT INTO log_checkpoints (origin, size, root_hash, time, log_key, signature)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [cp.origin, size, cp.rootHash, new Date(time), logKey, signature],
  );
  return { id: Number(rows[0]!.id), ...cp };
}

/** An anonymous caller on `db` (a counting handle, with its own cache of checked leaves). */
function callerOn(db: Db) {
  return createCallerFactory(appRouter)(() =>
    createContextInner({ db, sessionToken: null, now: () => new Date(T0), production: false }),
  );
}

/** Asks for a consistency proof and checks it against the leaves the database holds. */
async function checkedProof(caller: ReturnType<typeof callerOn>, from: number, to: number) {
  const leaves = await loadLeafHashes(t.database.db);
  const p = await caller.transparency.consistency({ from, to });
  expect([p.fromRoot, p.toRoot]).toEqual([toHex(treeRoot(leaves, from)), toHex(treeRoot(leaves, to))]);
  const proof = p.proof.map((h) => fromHex(h));
  expect(verifyConsistency(from, to, fromHex(p.fromRoot), fromHex(p.toRoot), proof)).toBe(true);
  return p;
}

async function cosign(w: typeof w1, cp: { size: number; time: string; origin: string; rootHash: string }) {
  const c = cosignCheckpoint(cp, w, cp.time);
  const caller = await callerWithToken(t.database, null, () => new Date(Date.parse(cp.time)));
  return caller.transparency.cosign({
    size: cp.size,
    checkpointTime: cp.time,
    witness: c.witness,
    publicKey: c.publicKey,
    time: c.time,
    signature: c.signature,
    previous: null,
  });
}

beforeAll(async () => {
  t = await openTestDb();
  const city = await signedInUser(t.database, 'anchor-city', CITY, ['city-admin']);
  for (const w of [w1, w2])
    await city.caller.transparency.addWitness({ name: w.name, label: w.name, publicKey: w.publicKey });
});
afterAll(async () => {
  await t?.close();
});

describe('checkpoint rows the log did not sign', () => {
  let a: NonNullable<Awaited<ReturnType<typeof checkpointAt>>>;
  let b: typeof a;
  let honestKey: { logKey: string; signature: string };
  const warm = { handle: null as ReturnType<typeof countingLeafReads> | null };

  it('are passed over as anchors of consistency proofs: the honest proofs, from leaves read once', async () => {
    await publishMany(6, T0);
    a = (await checkpointAt(T0 + 10_000))!;
    await publishMany(4, T0 + 20_000);
    b = (await checkpointAt(T0 + 30_000))!;
    expect(b.size).toBe(a.size + 4);
    honestKey = { logKey: b.logKey, signature: b.signature };
    // A forged row at exactly the size asked (and newer than the honest one: it came first), at
    // the honest checkpoint's size below, and between the two, signed with the writer's own key.
    await forge(b.size, { copied: honestKey });
    await forge(a.size, { copied: honestKey });
    await forge(a.size + 1, 'ownKey');
    await forge(a.size + 2, { copied: honestKey });
    const counted = countingLeafReads(t.database.db);
    warm.handle = counted;
    const caller = callerOn(counted.db);
    expect(await checkedProof(caller, a.size, b.size)).toMatchObject({
      fromRoot: a.rootHash,
      toRoot: b.rootHash,
    });
    // Read once, up to b, checked against b's signed root; every later size is answered from there.
    // (Anchored on a forged row, each request would read the leaves, find the root wrong, drop
    // them and read them all again.)
    expect(counted.reads()).toBe(1);
    for (const [from, to] of [
      [a.size, a.size + 1],
      [1, a.size + 2],
      [2, a.size],
      [a.size + 1, b.size],
      [a.size, b.size],
    ] as const)
      await checkedProof(caller, from, to);
    expect(counted.reads()).toBe(1);
  });

  it('however many, cost a bounded search, never the checked leaves; the next signed checkpoint is found again', async () => {
    const counted = warm.handle!;
    // More forged rows at the honest size than one search reads, newer than every honest row.
    for (let i = 0; i < 40; i++) await forge(b.size, { copied: honestKey });
    const caller = callerOn(counted.db);
    // The leaves already checked against b's signed root still answer, unread.
    expect(await checkedProof(caller, a.size, b.size)).toMatchObject({ toRoot: b.rootHash });
    await checkedProof(caller, 3, a.size + 3);
    expect(counted.reads()).toBe(1);
    // A server that checked nothing yet finds no signed checkpoint among the rows it reads: it
    // refuses, rather than read and hash the whole log unchecked on every request.
    const cold = countingLeafReads(t.database.db);
    const refused = callerOn(cold.db).transparency.consistency({ from: a.size, to: b.size });
    expect(await codeOf(refused)).toBe('BAD_REQUEST');
    expect(cold.reads()).toBe(0);
    // The rows, dated years ahead, do not hold back the log's next checkpoint (the heartbeat of an
    // unchanged tree); with it, the cold server answers again, reading the leaves once.
    const c = await checkpointAt(T0 + 40_000);
    expect(c).toMatchObject({ size: b.size });
    expect(await checkedProof(callerOn(cold.db), a.size, b.size)).toMatchObject({ toRoot: c!.rootHash });
    await checkedProof(callerOn(cold.db), 1, a.size);
    expect(cold.reads()).toBe(1);
  });

  it('are passed over for the inclusion in the latest checkpoint, which verifies', async () => {
    await publishMany(2, T0 + 50_000);
    const d = (await checkpointAt(T0 + 60_000))!;
    await forge(d.size + 5, { copied: honestKey });
    await forge(d.size, 'ownKey');
    const counted = countingLeafReads(t.database.db);
    const caller = callerOn(counted.db);
    const leaf = (await caller.transparency.entries({ from: 3, limit: 1 })).entries[0]!;
    const trust = { witnesses: trusted, minWitnesses: 0 };
    for (let round = 0; round < 3; round++) {
      const got = await caller.transparency.inclusion({ publicationId: leaf.publication!.id });
      expect(got.inclusion!.checkpoint).toMatchObject({ size: d.size, time: d.time, rootHash: d.rootHash });
      expect(verifyPublicationInclusion(got.inclusion, trust).ok).toBe(true);
    }
    expect(counted.reads()).toBe(1);
    // The public list still shows every row as stored: monitors check the signatures themselves.
    expect((await callerOn(t.database.db).transparency.latest())!.rootHash).toBe(BOGUS_ROOT);
  });

  it('are neither co-signed nor found as the first witnessed checkpoint, even with valid co-signature rows', async () => {
    const anon = await anonymousCaller(t.database);
    await publishMany(1, T0 + 70_000);
    const leaves = await loadLeafHashes(t.database.db);
    // A forged checkpoint of every leaf, with co-signatures of both registered witnesses over its
    // text written into the table (as a witness that signs whatever it is shown would make them).
    const fake = await forge(leaves.length, { copied: honestKey }, T0 + 75_000);
    for (const w of [w1, w2]) {
      const c = cosignCheckpoint(fake, w, fake.time);
      await t.database.exec(
        `INSERT INTO log_cosignatures (checkpoint_id, witness_id, time, signature, received_at)
         SELECT $1, id, $2, $3, $2 FROM log_witnesses WHERE name = $4`,
        [fake.id, new Date(fake.time), c.signature, w.name],
      );
    }
    // Through the door a witness uses, a row the log did not sign is no checkpoint at all.
    expect(await codeOf(cosign(w1, fake))).toBe('NOT_FOUND');
    const { entries } = await anon.transparency.entries({ from: leaves.length - 1, limit: 1 });
    const publicationId = entries[0]!.publication!.id;
    const pending = await anon.transparency.inclusion({ publicationId, checkpoint: 'first-witnessed' });
    expect(pending).toMatchObject({ pending: true, inclusion: null });
    const e = (await checkpointAt(T0 + 80_000))!;
    await cosign(w1, e);
    await cosign(w2, e);
    const found = await anon.transparency.inclusion({ publicationId, checkpoint: 'first-witnessed' });
    expect(found.inclusion!.checkpoint).toMatchObject({ size: e.size, time: e.time, rootHash: e.rootHash });
    expect(verifyPublicationInclusion(found.inclusion, { witnesses: trusted, minWitnesses: 2 }).ok).toBe(
      true,
    );
  });

  it('while a signed checkpoint that the checked leaves do not give (a rewritten leaf) is still read afresh, and shows', async () => {
    const counted = countingLeafReads(t.database.db);
    const caller = callerOn(counted.db);
    const before = (await callerOn(t.database.db).transparency.checkpoints({ limit: 500 })).find(
      (c) => c.rootHash !== BOGUS_ROOT && c.logKey === honestKey.logKey && c.size === b.size,
    )!;
    await checkedProof(caller, 1, before.size);
    expect(counted.reads()).toBe(1);
    // Someone with the schema owner's rights rewrites a leaf the log holds; the log's next
    // checkpoint signs what the database now holds.
    await t.owner.exec(`ALTER TABLE log_leaves DISABLE TRIGGER log_leaves_append_only`);
    await t.owner.exec(`UPDATE log_leaves SET leaf_hash = '${'ab'.repeat(32)}' WHERE seq = 1`);
    await t.owner.exec(`ALTER TABLE log_leaves ENABLE TRIGGER log_leaves_append_only`);
    await publishMany(1, T0 + 90_000);
    const f = (await checkpointAt(T0 + 100_000))!;
    // Its root does not match the leaves checked before: they are dropped and read afresh, and
    // the proof, from what the database holds, fails against the checkpoint seen before.
    const p = await caller.transparency.consistency({ from: before.size, to: f.size });
    expect(counted.reads()).toBeGreaterThan(1);
    expect(p.toRoot).toBe(f.rootHash);
    expect(p.fromRoot).not.toBe(before.rootHash);
    const proof = p.proof.map((h) => fromHex(h));
    expect(verifyConsistency(before.size, f.size, fromHex(before.rootHash), fromHex(f.rootHash), proof)).toBe(
      false,
    );
  });
});
