import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cosignCheckpoint,
  generateLogKeyPair,
  isoSeconds,
  treeRoot,
  verifyCommitmentInclusion,
  verifyConsistency,
  verifyPublicationInclusion,
  type WitnessKey,
} from '@spotcheck/core/log';
import { logLeaves } from '@spotcheck/db';
import {
  appRouter,
  createCallerFactory,
  createContextInner,
  DEMO_WITNESSES,
  demoWitnessKey,
  disableLocalWitnesses,
  enableDemoWitnesses,
  issueCheckpoint,
  keySecretFromEnv,
} from '@spotcheck/api';
import { leafHashesFor, loadLeafHashes, publish } from '@spotcheck/api/testing';
import { fromHex, toHex } from '@spotcheck/core';
import {
  anonymousCaller,
  BINHAI,
  callerWithToken,
  CITY,
  codeOf,
  openTestDb,
  signedInUser,
  type SignedIn,
  type TestDb,
} from './harness';
import { countingLeafReads } from './transparency-log-reads';

let t: TestDb;
let city: SignedIn;
const T0 = Date.parse('2027-03-01T02:00:00Z');
const w1 = { name: 'tj-supervision', ...generateLogKeyPair() };
const w2 = { name: 'public-monitor', ...generateLogKeyPair() };
const trusted: WitnessKey[] = [w1, w2].map((w) => ({ name: w.name, publicKey: w.publicKey }));

async function count(table: 'publications' | 'log_leaves'): Promise<number> {
  const { rows } = await t.database.exec(`select count(*)::int as n from ${table}`);
  return (rows[0] as { n: number }).n;
}

async function publishOne(title: string, at: Date, content: object = { title }) {
  return t.database.db.transaction((tx) =>
    publish(tx, { bureauCode: BINHAI, kind: 'checklist', refId: title, title, content, by: null, at }),
  );
}

async function checkpointAt(ms: number, heartbeatSeconds?: number) {
  return issueCheckpoint(t.database.db, {
    now: new Date(ms),
    keySecret: keySecretFromEnv(),
    origin: 'spotcheck.test/log',
    heartbeatSeconds,
  });
}

async function cosign(
  w: typeof w1,
  cp: { size: number; time: string; origin: string; rootHash: string },
  opts: { skewS?: number; previous?: { size: number; rootHash: string } | null; serverNow?: number } = {},
) {
  const time = isoSeconds(Date.parse(cp.time) + (opts.skewS ?? 0) * 1000);
  const c = cosignCheckpoint(cp, w, time);
  const caller = await callerWithToken(t.database, null, () => new Date(opts.serverNow ?? Date.parse(time)));
  return caller.transparency.cosign({
    size: cp.size,
    checkpointTime: cp.time,
    witness: c.witness,
    publicKey: c.publicKey,
    time: c.time,
    signature: c.signature,
    previous: opts.previous ?? null,
  });
}

beforeAll(async () => {
  t = await openTestDb();
  city = await signedInUser(t.database, 'log-city', CITY, ['city-admin']);
});
afterAll(async () => {
  await t?.close();
});

describe('transparency log', () => {
  it('appends a leaf with each publication, numbered without gaps', async () => {
    const before = await count('log_leaves');
    const a = await publishOne('first', new Date(T0 - 120_000));
    const b = await publishOne('second', new Date(T0 - 110_000));
    const rows = await t.database.db.select().from(logLeaves).orderBy(logLeaves.seq);
    expect(rows.slice(before).map((r) => [r.seq, r.publicationId])).toEqual([
      [before, a.id],
      [before + 1, b.id],
    ]);
    expect(await count('log_leaves')).toBe(await count('publications'));
    // The indexed kind, refId and bureau are the leaf's own (computed from its bytes, never written).
    for (const r of rows) {
      const leaf = JSON.parse(r.leaf) as { kind: string; refId: string; bureauCode: string };
      expect([r.kind, r.refId, r.bureauCode]).toEqual([leaf.kind, leaf.refId, leaf.bureauCode]);
    }
    expect(rows.slice(before).map((r) => [r.kind, r.refId, r.bureauCode])).toEqual([
      ['checklist', 'first', BINHAI],
      ['checklist', 'second', BINHAI],
    ]);
  });

  it('a failed publication appends nothing', async () => {
    const [p0, l0] = [await count('publications'), await count('log_leaves')];
    await expect(
      t.database.db.transaction(async (tx) => {
        await publish(tx, {
          bureauCode: BINHAI,
          kind: 'checklist',
          refId: 'x',
          title: 'rolled back',
          content: {},
          by: null,
          at: new Date(T0),
        });
        throw new Error('the caller fails after publishing');
      }),
    ).rejects.toThrow(/caller fails/);
    await expect(
      t.database.db.transaction((tx) =>
        publish(tx, {
          bureauCode: '999999',
          kind: 'checklist',
          refId: 'x',
          title: 'bad bureau',
          content: {},
          by: null,
          at: new Date(T0),
        }),
      ),
    ).rejects.toThrow();
    expect([await count('publications'), await count('log_leaves')]).toEqual([p0, l0]);
  });

  it('refuses edits and deletions of leaves in the database', async () => {
    await expect(t.database.exec(`update log_leaves set leaf_hash = 'y' where seq = 0`)).rejects.toThrow(
      /append-only/,
    );
    await expect(t.database.exec(`delete from log_leaves where seq = 0`)).rejects.toThrow(/append-only/);
  });

  it('registers independent witnesses only, and publishes the registry', async () => {
    const anon = await anonymousCaller(t.database);
    await checkpointAt(T0 - 100_000); // makes the log key
    const logKey = (await anon.transparency.latest())!.logKey;
    expect(
      await codeOf(city.caller.transparency.addWitness({ name: 'sneaky', label: '本局', publicKey: logKey })),
    ).toBe('BAD_REQUEST');
    expect(
      await codeOf(
        city.caller.transparency.addWitness({ name: 'bad key', label: 'x', publicKey: w1.publicKey }),
      ),
    ).toBe('BAD_REQUEST');
    expect(
      await codeOf(city.caller.transparency.addWitness({ name: 'short', label: 'x', publicKey: 'AAAA' })),
    ).toBe('BAD_REQUEST');
    const district = await signedInUser(t.database, 'log-district', BINHAI, ['district-admin']);
    expect(
      await codeOf(
        district.caller.transparency.addWitness({ name: w1.name, label: 'x', publicKey: w1.publicKey }),
      ),
    ).toBe('FORBIDDEN');
    await city.caller.transparency.addWitness({
      name: w1.name,
      label: '市应急局监督处',
      publicKey: w1.publicKey,
    });
    await city.caller.transparency.addWitness({
      name: w2.name,
      label: '公众监督员',
      publicKey: w2.publicKey,
    });
    expect((await anon.transparency.witnesses()).map((w) => w.name)).toEqual([w1.name, w2.name]);
    const reg = await anon.publications.list({ kind: 'log-witnesses' });
    expect(reg).toHaveLength(2);
    const content = (await anon.publications.get({ id: reg[0]!.id })).content as {
      witnesses: { name: string }[];
    };
    expect(content.witnesses.map((w) => w.name)).toEqual([w1.name, w2.name]);
  });

  it('issues checkpoints on a schedule: when the tree grew, or as a heartbeat', async () => {
    const cp = await checkpointAt(T0);
    expect(cp).not.toBeNull();
    expect(cp!.size).toBe(await count('log_leaves'));
    expect(cp!.time).toBe('2027-03-01T02:00:00Z');
    expect(await checkpointAt(T0 + 10_000)).toBeNull();
    await publishOne('third', new Date(T0 + 20_000));
    const next = await checkpointAt(T0 + 30_000);
    expect(next!.size).toBe(cp!.size + 1);
    const anon = await anonymousCaller(t.database);
    const proof = await anon.transparency.consistency({ from: cp!.size, to: next!.size });
    expect(proof.fromRoot).toBe(cp!.rootHash);
    expect(proof.toRoot).toBe(next!.rootHash);
  });

  it('accepts co-signatures only from registered witnesses, on time, consistent with what they saw', async () => {
    const anon = await anonymousCaller(t.database);
    const cp = (await anon.transparency.latest())!;
    const stranger = { name: 'stranger', ...generateLogKeyPair() };
    expect(await codeOf(cosign(stranger, cp))).toBe('FORBIDDEN');
    expect(await codeOf(cosign(w1, cp, { skewS: 31 }))).toBe('BAD_REQUEST');
    expect(await codeOf(cosign(w1, cp, { skewS: -31 }))).toBe('BAD_REQUEST');
    expect(await codeOf(cosign(w1, cp, { serverNow: Date.parse(cp.time) + 120_000 }))).toBe('BAD_REQUEST');
    expect(await codeOf(cosign(w1, { ...cp, rootHash: 'ab'.repeat(32) }))).toBe('BAD_REQUEST');
    expect(await codeOf(cosign(w1, cp, { previous: { size: 2, rootHash: 'ab'.repeat(32) } }))).toBe(
      'CONFLICT',
    );
    const first = (await anon.transparency.checkpoints({ limit: 500 })).at(-1)!;
    const r = await cosign(w1, cp, { skewS: 30, previous: { size: first.size, rootHash: first.rootHash } });
    expect(r.witnessed).toBe(false);
    expect(r.witnessedBy.map((w) => w.name)).toEqual([w1.name]);
    const r2 = await cosign(w2, cp, { skewS: -5 });
    expect(r2.witnessed).toBe(true);
    expect((await anon.transparency.latest())!.witnessedBy.map((w) => w.label).sort()).toEqual(
      ['市应急局监督处', '公众监督员'].sort(),
    );
  });

  it('refuses a witness time or checkpoint time that is no real instant as bad input, not a server error', async () => {
    const anon = await anonymousCaller(t.database);
    const cp = (await anon.transparency.latest())!;
    const c = cosignCheckpoint(cp, w1, cp.time);
    const caller = await callerWithToken(t.database, null, () => new Date(Date.parse(cp.time)));
    const submit = (over: { time?: string; checkpointTime?: string }) =>
      caller.transparency.cosign({
        size: cp.size,
        checkpointTime: cp.time,
        witness: c.witness,
        publicKey: c.publicKey,
        time: c.time,
        signature: c.signature,
        previous: null,
        ...over,
      });
    // Both match the whole-seconds pattern: the first parses to NaN (which passed the ±30 s checks
    // and then threw, a 500), the second rolls over into 2 March.
    for (const bad of ['2027-13-45T25:61:61Z', '2027-02-30T02:00:00Z']) {
      const time = submit({ time: bad });
      expect(await codeOf(time)).toBe('BAD_REQUEST');
      await expect(time).rejects.toThrow(/(^|; )time: must be a real time/);
      const checkpointTime = submit({ checkpointTime: bad });
      expect(await codeOf(checkpointTime)).toBe('BAD_REQUEST');
      await expect(checkpointTime).rejects.toThrow(/(^|; )checkpointTime: must be a real time/);
    }
    expect(
      (await anon.transparency.latest())!.cosignatures.filter((x) => x.publicKey === w1.publicKey),
    ).toEqual(cp.cosignatures.filter((x) => x.publicKey === w1.publicKey));
  });

  it('proves a commitment only in a checkpoint co-signed by two independent witnesses', async () => {
    const anon = await anonymousCaller(t.database);
    const digest = 'c0'.repeat(32);
    const pub = await t.database.db.transaction((tx) =>
      publish(tx, {
        bureauCode: BINHAI,
        kind: 'commitment',
        refId: 'draw-1',
        title: '抽取承诺',
        content: { commitmentDigest: digest },
        by: null,
        at: new Date(T0 + 40_000),
      }),
    );
    expect((await anon.transparency.inclusion({ publicationId: pub.id })).pending).toBe(true);
    const cp = (await checkpointAt(T0 + 60_000))!;
    const latest = await anon.transparency.inclusion({ publicationId: pub.id });
    expect(verifyPublicationInclusion(latest.inclusion, { witnesses: trusted, minWitnesses: 0 }).ok).toBe(
      true,
    );
    expect(verifyCommitmentInclusion(latest.inclusion, digest, trusted)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/0 valid/),
    });
    expect(
      (await anon.transparency.inclusion({ publicationId: pub.id, checkpoint: 'first-witnessed' })).pending,
    ).toBe(true);
    await cosign(w1, cp);
    expect(
      (await anon.transparency.inclusion({ publicationId: pub.id, checkpoint: 'first-witnessed' })).pending,
    ).toBe(true);
    const oneWitness = await anon.transparency.inclusion({ publicationId: pub.id });
    expect(verifyCommitmentInclusion(oneWitness.inclusion, digest, trusted).ok).toBe(false);
    // The bureau registering a second key of its own does not help: the log key is refused, and
    // a co-signature by the same witness twice counts once.
    expect(await codeOf(cosign(w1, cp))).toBe('OK');
    expect(
      (await anon.transparency.inclusion({ publicationId: pub.id, checkpoint: 'first-witnessed' })).pending,
    ).toBe(true);
    await cosign(w2, cp, { skewS: 3 });
    const proven = await anon.transparency.inclusion({
      publicationId: pub.id,
      checkpoint: 'first-witnessed',
    });
    expect(verifyCommitmentInclusion(proven.inclusion, digest, trusted)).toEqual({
      ok: true,
      time: '2027-03-01T02:01:00Z',
    });
    expect(verifyCommitmentInclusion(proven.inclusion, 'c1'.repeat(32), trusted).ok).toBe(false);
    expect(proven.witnessedBy.map((w) => w.name)).toEqual([w1.name, w2.name]);
  });
});

describe('the first witnessed checkpoint of a leaf', () => {
  it('is found after any number of checkpoints nobody co-signed (witnesses away for days)', async () => {
    const anon = await anonymousCaller(t.database);
    const pub = await publishOne('while the witnesses were away', new Date(T0 + 100_000));
    // 520 heartbeats without a co-signature: 43 hours at the 300 s schedule. The search once read
    // only the first 500 checkpoints after a leaf, and the leaf then stayed unwitnessed for good.
    const issued = [];
    for (let i = 0; i < 520; i++) issued.push(await checkpointAt(T0 + 101_000 + i * 1000, 1));
    expect(issued.filter((cp) => cp === null)).toEqual([]);
    const last = issued.at(-1)!;
    const pending = await anon.transparency.inclusion({
      publicationId: pub.id,
      checkpoint: 'first-witnessed',
    });
    expect(pending).toMatchObject({ pending: true, inclusion: null });
    await cosign(w1, last);
    await cosign(w2, last);
    const found = await anon.transparency.inclusion({ publicationId: pub.id, checkpoint: 'first-witnessed' });
    expect(found.pending).toBe(false);
    expect(found.inclusion!.checkpoint.time).toBe(last.time);
    expect(verifyPublicationInclusion(found.inclusion, { witnesses: trusted, minWitnesses: 2 }).ok).toBe(
      true,
    );
  });
});

describe('co-signature rows an insider wrote', () => {
  it('count for nothing, page after page, and the honest witnessed checkpoint is still found', async () => {
    const anon = await anonymousCaller(t.database);
    const pub = await publishOne('behind forged co-signatures', new Date(T0 + 2_000_000));
    // 250 checkpoints (two and a half pages of the search), each given a "co-signature" of both
    // witnesses written straight into the table, with a signature that is no signature.
    const forged = [];
    for (let i = 0; i < 250; i++) forged.push((await checkpointAt(T0 + 2_001_000 + i * 1000, 1))!);
    await t.database.exec(`
      INSERT INTO log_cosignatures (checkpoint_id, witness_id, time, signature, received_at)
      SELECT c.id, w.id, c.time, '${'A'.repeat(86)}==', c.time
      FROM log_checkpoints c CROSS JOIN log_witnesses w
      WHERE c.id IN (${forged.map((c) => c.id).join(',')}) AND w.name IN ('${w1.name}', '${w2.name}')`);
    const pending = await anon.transparency.inclusion({
      publicationId: pub.id,
      checkpoint: 'first-witnessed',
    });
    expect(pending).toMatchObject({ pending: true, inclusion: null });
    const honest = (await checkpointAt(T0 + 2_300_000, 1))!;
    await cosign(w1, honest);
    await cosign(w2, honest);
    const found = await anon.transparency.inclusion({ publicationId: pub.id, checkpoint: 'first-witnessed' });
    expect(found.inclusion!.checkpoint.size).toBe(honest.size);
    expect(found.inclusion!.checkpoint.time).toBe(honest.time);
    // The public list shows the forged rows as they are, witnessed by nobody.
    const listed = await anon.transparency.checkpoints({ limit: 5 });
    expect(listed.map((c) => [c.id, c.witnessed])).toEqual([
      [honest.id, true],
      ...forged
        .slice(-4)
        .reverse()
        .map((c) => [c.id, false]),
    ]);
    expect(listed[1]!.cosignatures).toHaveLength(2);
    expect(listed[1]!.witnessedBy).toEqual([]);
  });
});

describe('proofs from leaf hashes checked against a checkpoint', () => {
  it('reuses the checked leaves across requests, and reads the database again when a checkpoint does not match them', async () => {
    // Enough leaves for complete subtrees of 256 and more.
    const batch = await t.database.db.transaction(async (tx) => {
      const out = [];
      for (let i = 0; i < 300; i++)
        out.push(
          await publish(tx, {
            bureauCode: BINHAI,
            kind: 'checklist',
            refId: `bulk-${i}`,
            title: `bulk ${i}`,
            content: { i },
            by: null,
            at: new Date(T0 + 3_600_000),
          }),
        );
      return out;
    });
    const cp = (await checkpointAt(T0 + 3_700_000))!;
    const anon = await anonymousCaller(t.database);
    const trust = { witnesses: trusted, minWitnesses: 0 };
    const first = await anon.transparency.inclusion({ publicationId: batch[7]!.id });
    expect(first.inclusion!.checkpoint.size).toBe(cp.size);
    expect(verifyPublicationInclusion(first.inclusion, trust).ok).toBe(true);
    // The second request is served from the checked leaves and their subtrees: the same proof.
    const { hashes, memo } = await leafHashesFor(t.database.db, cp.size, cp);
    expect(memo).toBeDefined();
    expect(memo!.size).toBeGreaterThan(0);
    expect(toHex(treeRoot(hashes, cp.size))).toBe(cp.rootHash);
    const again = await anon.transparency.inclusion({ publicationId: batch[7]!.id });
    expect(again.inclusion!.proof).toEqual(first.inclusion!.proof);
    const late = await anon.transparency.inclusion({ publicationId: batch[299]!.id });
    expect(verifyPublicationInclusion(late.inclusion, trust).ok).toBe(true);
    // A checkpoint whose root the cached leaves do not give (a log rewritten under the same
    // connection) is never answered from them: the leaves are read from the database again.
    const wrong = { size: cp.size, rootHash: '00'.repeat(32) };
    const reread = await leafHashesFor(t.database.db, cp.size, wrong);
    expect(reread.memo).toBeUndefined();
    expect(toHex(treeRoot(reread.hashes, cp.size))).toBe(cp.rootHash);
    // The next checkpoint grows from the checked prefix and stays consistent with the last one.
    await publishOne('after bulk', new Date(T0 + 3_800_000));
    const next = (await checkpointAt(T0 + 3_900_000))!;
    expect(next.size).toBe(cp.size + 1);
    expect(toHex(treeRoot(await loadLeafHashes(t.database.db)))).toBe(next.rootHash);
    const proof = await anon.transparency.consistency({ from: cp.size, to: next.size });
    expect(proof).toMatchObject({ fromRoot: cp.rootHash, toRoot: next.rootHash });
  }, 120_000);
});

describe('demo witnesses on a production server', () => {
  it('refuses their co-signatures and their names, while a demo server takes them', async () => {
    const keySecret = keySecretFromEnv();
    await enableDemoWitnesses(t.database.db, { keySecret, production: false, now: new Date(T0 + 4_000_000) });
    disableLocalWitnesses(); // no in-process co-signing: the test submits them itself
    await publishOne('demo witnesses', new Date(T0 + 4_000_000));
    const cp = (await checkpointAt(T0 + 4_100_000))!;
    const demo = demoWitnessKey(keySecret, DEMO_WITNESSES[0].name, DEMO_WITNESSES[0].label);
    const submission = () => {
      const c = cosignCheckpoint(cp, demo, cp.time);
      return {
        size: cp.size,
        checkpointTime: cp.time,
        witness: demo.name,
        publicKey: demo.publicKey,
        time: c.time,
        signature: c.signature,
      };
    };
    const callerFor = (production: boolean) =>
      createCallerFactory(appRouter)(() =>
        createContextInner({
          db: t.database.db,
          sessionToken: null,
          now: () => new Date(Date.parse(cp.time)),
          production,
        }),
      );
    const refused = callerFor(true).transparency.cosign(submission());
    expect(await codeOf(refused)).toBe('FORBIDDEN');
    await expect(refused).rejects.toThrow(/demo witness/);
    const taken = await callerFor(false).transparency.cosign(submission());
    expect(taken.cosignatures.map((c) => c.witness)).toContain(demo.name);
    // Nor can the city register a witness under a demo name on a production server.
    const admin = createCallerFactory(appRouter)(() =>
      createContextInner({
        db: t.database.db,
        sessionToken: city.token,
        now: () => new Date(),
        production: true,
      }),
    );
    const named = admin.transparency.addWitness({
      name: DEMO_WITNESSES[1].name,
      label: '公众监督员',
      publicKey: generateLogKeyPair().publicKey,
    });
    expect(await codeOf(named)).toBe('BAD_REQUEST');
    await expect(named).rejects.toThrow(/reserved for the offline demo/);
  });
});

describe('transparency log append failures', () => {
  it('a failed append publishes nothing', async () => {
    const db = await openTestDb();
    try {
      const n = (await db.database.exec(`select count(*)::int as n from log_leaves`)).rows[0] as {
        n: number;
      };
      // The log refuses any further leaf: the append fails, and so must the publication.
      await db.owner.exec(`alter table log_leaves add constraint log_full check (seq < ${n.n})`);
      await expect(
        db.database.db.transaction((tx) =>
          publish(tx, {
            bureauCode: BINHAI,
            kind: 'checklist',
            refId: 'x',
            title: 'append fails',
            content: {},
            by: null,
            at: new Date(T0),
          }),
        ),
      ).rejects.toThrow();
      const { rows } = await db.database.exec(
        `select count(*)::int as n from publications where title = 'append fails'`,
      );
      expect(rows[0]).toEqual({ n: 0 });
    } finally {
      await db.close();
    }
  }, 240_000);
});

describe('consistency proofs to a size no checkpoint has', () => {
  it('come from the leaves checked against the next checkpoint, read once; past every checkpoint they are refused', async () => {
    await publishOne('before the five', new Date(T0 + 5_000_000));
    const a = (await checkpointAt(T0 + 5_010_000))!;
    for (let i = 0; i < 5; i++) await publishOne(`one of five ${i}`, new Date(T0 + 5_020_000 + i * 1000));
    const b = (await checkpointAt(T0 + 5_100_000))!;
    expect(b.size).toBe(a.size + 5); // a.size+1 … a.size+4: sizes no checkpoint has
    const counted = countingLeafReads(t.database.db);
    const caller = createCallerFactory(appRouter)(() =>
      createContextInner({
        db: counted.db,
        sessionToken: null,
        now: () => new Date(T0 + 5_100_000),
        production: false,
      }),
    );
    const leaves = await loadLeafHashes(t.database.db);
    const check = async (from: number, to: number) => {
      const p = await caller.transparency.consistency({ from, to });
      expect([p.fromRoot, p.toRoot]).toEqual([toHex(treeRoot(leaves, from)), toHex(treeRoot(leaves, to))]);
      expect(
        verifyConsistency(
          from,
          to,
          fromHex(p.fromRoot),
          fromHex(p.toRoot),
          p.proof.map((h) => fromHex(h)),
        ),
      ).toBe(true);
      return p;
    };
    // The first request reads the leaves once, up to the checkpoint of b.size, checked against its root.
    await check(a.size, a.size + 2);
    expect(counted.reads()).toBe(1);
    // Every later one, to any size up to b.size, is answered from those leaves: the log is not read again.
    const asked: [number, number][] = [
      [a.size, a.size + 2],
      [1, a.size + 3],
      [7, a.size + 1],
      [a.size + 1, a.size + 4],
      [a.size - 1, a.size + 4],
      [a.size + 2, a.size + 2],
      [3, 200],
    ];
    for (let round = 0; round < 3; round++) for (const [from, to] of asked) await check(from, to);
    expect(await check(a.size, b.size)).toMatchObject({ fromRoot: a.rootHash, toRoot: b.rootHash });
    expect(counted.reads()).toBe(1);
    // A size past every checkpoint is refused, the log unread: no signed root vouches for its leaves.
    await publishOne('not in a checkpoint yet', new Date(T0 + 5_200_000));
    const beyond = caller.transparency.consistency({ from: a.size, to: b.size + 1 });
    expect(await codeOf(beyond)).toBe('BAD_REQUEST');
    await expect(beyond).rejects.toThrow(/no signed checkpoint holds/);
    expect(await codeOf(caller.transparency.consistency({ from: 0, to: b.size + 1000 }))).toBe('BAD_REQUEST');
    expect(counted.reads()).toBe(1);
    // Once a checkpoint holds it, only the new leaf is read, and then nothing.
    const c = (await checkpointAt(T0 + 5_300_000))!;
    expect(c.size).toBe(b.size + 1);
    const grown = await loadLeafHashes(t.database.db);
    leaves.splice(0, leaves.length, ...grown);
    await check(a.size + 3, c.size);
    expect(counted.reads()).toBe(2);
    await check(a.size + 3, c.size);
    await check(2, b.size - 1);
    expect(counted.reads()).toBe(2);
  });
});
