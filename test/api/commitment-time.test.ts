/**
 * sr-draw/v2 §9.1 and §9.7 end to end on the API: a draw's bundle carries its commitment's
 * inclusion in the first witnessed checkpoint, and its registry's, so every verifier says the
 * commitment time is proven; a commitment that reached the log only after its randomness existed
 * is refused; witnesses must be independent of the bureau; the demo's in-process witnesses never
 * register in production; checkpoints are registered jobs.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCommitment,
  drawSrV1,
  sha256hex,
  verifyBundleV2,
  verifyVoidedBundleV2,
  voidedBundleDigest,
  type FrameRow,
  type InspectorRow,
  type KeyRegistry,
  type VoidedBundleV2,
} from '@spotcheck/core';
import {
  commitmentInclusionVerifier,
  cosignCheckpoint,
  generateLogKeyPair,
  isoSeconds,
  registryInclusionVerifier,
  signOffInclusionVerifier,
  type LogInclusion,
} from '@spotcheck/core/log';
import {
  draws,
  jobRuns,
  logLeaves,
  logWitnesses,
  plans,
  publications,
  signingKeys,
  tasks,
} from '@spotcheck/db';
import {
  checkpointAndCosign,
  cosignLocally,
  keySecretFor,
  disableLocalWitnesses,
  enableDemoWitnesses,
  issueCheckpoint,
  registeredJobs,
  runJob,
  startJobRuntime,
  KEY_VALIDITY_DELAY_SECONDS,
  publicationRecords,
  appRouter,
  createCallerFactory,
  createContextInner,
  DEMO_WITNESSES,
  drawSignatureMessage,
} from '@spotcheck/api';
import {
  publicationRecordReads,
  publish,
  publishDraw,
  publishRegistry,
  publishSignatureRecord,
  verificationChecks,
} from '@spotcheck/api/testing';
import {
  browserSignOff,
  browserStyleKey,
  browserVoidSignature,
  wholeSecondsOf,
} from '../support/official-keys';
import { checkBundleV2 } from '@spotcheck/portal/verify';
import { buildWorld, passSources, proposedSources, signAs, submittedPlan, type World } from './fixtures';
import {
  anonymousCaller,
  BINHAI,
  codeOf,
  downloadedBundle,
  drawEnv,
  HEPING,
  openTestDb,
  signedInUser,
  type DownloadedBundle,
  type TestDb,
} from './harness';

let t: TestDb;
let w: World;
const w1 = { name: 'tj-supervision', ...generateLogKeyPair() };
const w2 = { name: 'public-monitor', ...generateLogKeyPair() };

/** A downloaded v2 bundle checked offline against its registry, proofs and witnesses, as `spotcheck verify` does. */
function verifiedOffline(dl: Extract<DownloadedBundle, { algorithm: 'sr-draw/v2' }>) {
  return verifyBundleV2(JSON.parse(JSON.stringify(dl.bundle)), {
    registry: dl.registry,
    verifyInclusion: commitmentInclusionVerifier(dl.witnesses),
    registryInclusion: dl.registryInclusion ?? undefined,
    registryHistory: dl.registryHistory,
    verifyRegistryInclusion: registryInclusionVerifier(dl.witnesses),
    // §9.7 as `spotcheck verify` takes it from the file: the record's proof and the newest registry.
    verifySignOffInclusion: signOffInclusionVerifier(dl.witnesses),
    ...(dl.signOffInclusion !== undefined ? { signOffInclusion: dl.signOffInclusion } : {}),
    ...(dl.currentRegistry !== undefined
      ? {
          currentRegistry: dl.currentRegistry,
          currentRegistryInclusion: dl.currentRegistryInclusion,
          currentRegistryHistory: dl.currentRegistryHistory,
        }
      : {}),
  });
}

/**
 * What the portal's draw page checks in the browser: the publication's public file, its log
 * proofs, the sign-off's log entry (its signature record, else the publication's own leaf) and the
 * newest registry of the bureau the bundle's plan names, by the log's order (§9.7).
 */
async function portalCheck(publicationId: string) {
  const anon = await anonymousCaller(t.database);
  const record = JSON.parse(
    (await publicationRecords(t.database.db)(publicationId))!.json.toString('utf8'),
  ) as {
    kind: string;
    refId: string;
    content: {
      bundle: { commitment: { plan: { bureau: string } } };
      registry?: unknown;
      registryInclusion?: unknown;
      registryHistory?: unknown;
    };
  };
  const content = record.content;
  const witnesses = await anon.transparency.witnesses();
  const of = record.kind === 'void' ? 'void' : 'draw';
  const signed = await anon.transparency.signOffInclusion({ drawId: record.refId, of });
  let signOff: { inclusion: unknown; content?: unknown; pendingAt?: string };
  if (signed.publicationId)
    signOff = signed.inclusion
      ? { inclusion: signed.inclusion }
      : { inclusion: undefined, pendingAt: drawEnv.now().toISOString() };
  else {
    const own = await anon.transparency
      .inclusion({ publicationId, checkpoint: 'first-witnessed' })
      .then((r) => r.inclusion ?? undefined)
      .catch((e: { code?: string }) => (e.code === 'NOT_FOUND' ? null : undefined));
    signOff = { inclusion: own, content };
  }
  const head = await anon.transparency.registryHead({ bureauCode: content.bundle.commitment.plan.bureau });
  return checkBundleV2(content.bundle, content.registry, {
    witnesses: witnesses.map((x) => ({ name: x.name, label: x.label, publicKey: x.publicKey })),
    registryInclusion: content.registryInclusion,
    registryHistory: content.registryHistory,
    signOff,
    ...(head
      ? {
          currentRegistry: {
            registry: head.registry ?? null,
            inclusion: head.inclusion ?? undefined,
            history: head.history,
          },
        }
      : {}),
  });
}

/** A checkpoint now, co-signed by `cosigners` through the public door. */
async function witnessedCheckpoint(cosigners = [w1, w2]) {
  drawEnv.advance(1);
  const cp = (await issueCheckpoint(t.database.db, {
    now: drawEnv.now(),
    keySecret: keySecretFor(t.database),
    // Whether or not the log grew: a heartbeat is as good a checkpoint to witness.
    heartbeatSeconds: 1,
  }))!;
  expect(cp).not.toBeNull();
  const anon = await anonymousCaller(t.database);
  for (const x of cosigners) {
    const c = cosignCheckpoint(cp, x, isoSeconds(drawEnv.now()));
    await anon.transparency.cosign({ size: cp.size, checkpointTime: cp.time, ...c, previous: null });
  }
  return cp;
}

/**
 * A fresh key for the approver, registered now, with its registry logged in a witnessed checkpoint
 * at once (before the key's validFrom, §9.7), then the clock past its validFrom.
 */
async function approverKeyLoggedPromptly() {
  // What the official signed so far is witnessed first, as the minutely checkpoint job and the
  // witnesses see to: a key whose signature records are not is never rotated (keys.register).
  await witnessedCheckpoint();
  drawEnv.advance(1);
  const key = await browserStyleKey();
  await w.approver.caller.keys.propose({ bureauCode: BINHAI, publicKey: key.publicKey });
  await w.admin.caller.keys.register({ keyId: key.keyId });
  await witnessedCheckpoint();
  drawEnv.advance(KEY_VALIDITY_DELAY_SECONDS);
  w.keys.approver = key;
}

/** Draws an approved attempt once its sources exist. */
async function drawApproved(draw: { id: string; commitment: Parameters<typeof passSources>[0] }) {
  passSources(draw.commitment);
  await w.operator.caller.draws.enterRandomness({
    drawId: draw.id,
    values: draw.commitment.sources.map(() => null),
  });
  return w.operator.caller.draws.run({ drawId: draw.id });
}

/** Draws and signs an approved attempt. */
async function drawAndSignApproved(draw: { id: string; commitment: Parameters<typeof passSources>[0] }) {
  await drawApproved(draw);
  await signAs(w.approver, w.keys.approver, draw.id);
}

/** A plan approved, its commitment witnessed, and drawn (not signed). */
async function drawnPlan(title: string) {
  const planId = await submittedPlan(w, title);
  const { draw } = await w.approver.caller.plans.approve({ planId });
  await witnessedCheckpoint();
  return { draw, drawn: await drawApproved(draw) };
}

/** A plan approved, its commitment witnessed, drawn and signed: the draw and its publication. */
async function signedDrawPublication(title: string) {
  const planId = await submittedPlan(w, title);
  const { draw } = await w.approver.caller.plans.approve({ planId });
  await witnessedCheckpoint();
  await drawAndSignApproved(draw);
  return { draw, pub: await drawPublication(draw.id) };
}

async function drawPublication(drawId: string) {
  const anon = await anonymousCaller(t.database);
  const list = await anon.publications.list({ kind: 'draw', bureauCode: BINHAI });
  const header = list.find((p) => p.refId === drawId)!;
  return anon.publications.get({ id: header.id });
}

beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
  for (const x of [w1, w2])
    await w.cityAdmin.caller.transparency.addWitness({
      name: x.name,
      label: `见证方 ${x.name}`,
      publicKey: x.publicKey,
    });
}, 300_000);

afterAll(async () => {
  disableLocalWitnesses();
  await t?.close();
});

describe('commitment time proven from the log (§9.1)', () => {
  it('issues a checkpoint right after an approval when a job runtime runs in the process', async () => {
    // First in the file: the runtime's checkpoint takes the real clock, which must be later
    // than any checkpoint the suite's shifted clock made before.
    const runtime = await startJobRuntime(t.database, { retryDelaySeconds: 1 });
    try {
      const planId = await submittedPlan(w, '2027年度一般检查（即时检查点）');
      const { draw } = await w.approver.caller.plans.approve({ planId });
      const anon = await anonymousCaller(t.database);
      const [pub] = (await anon.publications.list({ kind: 'commitment', bureauCode: BINHAI })).filter(
        (p) => p.refId === draw.id,
      );
      await expect
        .poll(async () => (await anon.transparency.inclusion({ publicationId: pub!.id })).pending, {
          timeout: 60_000,
          interval: 500,
        })
        .toBe(false);
      const runs = await t.database.db.select().from(jobRuns);
      expect(runs.some((r) => r.name === 'log-checkpoint' && r.trigger === 'manual')).toBe(true);
    } finally {
      await runtime.stop();
    }
  }, 120_000);

  it('publishes the bundle with its inclusion, and every verifier says the commitment time is proven', async () => {
    // The world's keys were registered before any witness existed: their log time cannot be
    // proven before their validFrom. A key registered now is logged at once.
    await approverKeyLoggedPromptly();
    const { draw, pub } = await signedDrawPublication('2027年度一般检查（日志）');

    const content = pub.content as {
      bundle: { inclusion?: LogInclusion; commitmentDigest: string };
      registry: unknown;
      registryInclusion?: LogInclusion;
    };
    expect(content.bundle.inclusion?.leaf.kind).toBe('commitment');
    expect(content.bundle.inclusion?.leaf.subject).toBe(draw.commitmentDigest);
    expect(content.registryInclusion?.leaf.kind).toBe('key-registry');

    // The server's check of the publication (anyone can call it). It checks the bytes of the
    // record its public file serves, read from the database once for both.
    const file = await publicationRecords(t.database.db)(pub.id);
    expect(JSON.parse(file!.json.toString('utf8'))).toMatchObject({ id: pub.id, digest: pub.digest });
    const reads = publicationRecordReads();
    const anon = await anonymousCaller(t.database);
    const server = await anon.publications.verifyDraw({ id: pub.id });
    expect(publicationRecordReads()).toBe(reads);
    const line = (id: string) => server.checks.find((c) => c.id === id);
    expect(line('commitmentTime')).toMatchObject({ status: 'pass' });
    expect(line('commitmentTime')!.message).not.toContain('not proven');
    expect(line('registryTime')).toMatchObject({ status: 'pass' });
    // Every key's validFrom is checked against its own log time: the signing key was logged in
    // an earlier registry version than the one in force at signing (history), and passes.
    expect(line('registryEntries')).toMatchObject({ status: 'warn', params: { signer: 'ok' } });
    expect(line('registryEntries')!.message).toContain('rejected as back-dated');
    expect(server.ok).toBe(true);
    // Asked again (by anyone, as often as they like), the report is the kept one: the same lines,
    // no second check of the bundle.
    const checks = verificationChecks();
    expect(await anon.publications.verifyDraw({ id: pub.id })).toEqual(server);
    expect(verificationChecks()).toBe(checks);
    // An insider rewrites the stored result behind the platform's back (another unit in the
    // first place): the kept report was of the row as it was, so the draw is checked again as the
    // record now holds it, and fails.
    const [kept] = (
      await t.owner.exec(
        `select content::text as content, content #>> '{bundle,result,selected,0,unit}' as unit
         from publications where id = $1`,
        [pub.id],
      )
    ).rows as [{ content: string; unit: string | null }];
    expect(kept.unit).toMatch(/^[0-9A-Z]{18}$/);
    await t.owner.exec(
      `update publications set content = jsonb_set(content, '{bundle,result,selected,0,unit}', to_jsonb($2::text))
       where id = $1`,
      [pub.id, '91120116MA0000000X'],
    );
    try {
      const tampered = await anon.publications.verifyDraw({ id: pub.id });
      expect(verificationChecks()).toBe(checks + 1);
      expect(tampered.ok).toBe(false);
      expect(tampered.checks.find((c) => c.id === 'result')).toMatchObject({ status: 'fail' });
    } finally {
      await t.owner.exec(`update publications set content = $2::jsonb where id = $1`, [pub.id, kept.content]);
    }
    // Put back as it was: checked again, and it passes.
    expect((await anon.publications.verifyDraw({ id: pub.id })).ok).toBe(true);

    // The staff download is what `spotcheck verify` takes; checked offline against its witnesses.
    const dl = await downloadedBundle(t.database, w.auditor, draw.id);
    if (dl.algorithm !== 'sr-draw/v2') throw new Error('v2 expected');
    expect(dl.witnesses.map((x) => x.name).sort()).toEqual([w1.name, w2.name].sort());
    const offline = verifiedOffline(dl);
    expect(offline.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(offline.checks.find((c) => c.id === 'registryEntries')!.params.signer).toBe('ok');
    expect(offline.checks.find((c) => c.id === 'commitmentTime')!.status).toBe('pass');
    // The sign-off's record is in no witnessed checkpoint yet: not checked, said as a warning.
    expect(dl.signOffInclusion).toBeUndefined();
    expect(offline.checks.find((c) => c.id === 'signOffLogTime')!.status).toBe('warn');
    await witnessedCheckpoint();
    const later = await downloadedBundle(t.database, w.auditor, draw.id);
    if (later.algorithm !== 'sr-draw/v2') throw new Error('v2 expected');
    expect(later.signOffInclusion?.leaf.kind).toBe('sign-off');
    expect(later.currentRegistryInclusion?.leaf.kind).toBe('key-registry');
    expect(verifiedOffline(later).checks.find((c) => c.id === 'signOffLogTime')!.status).toBe('pass');
    // The same bundle checked against witnesses the verifier does not know: not proven, refused.
    const stranger = verifyBundleV2(JSON.parse(JSON.stringify(dl.bundle)), {
      registry: dl.registry,
      verifyInclusion: commitmentInclusionVerifier([
        { name: 'someone', publicKey: generateLogKeyPair().publicKey },
      ]),
    });
    expect(stranger.checks.find((c) => c.id === 'commitmentTime')!.status).toBe('fail');
  }, 120_000);

  it('refuses a draw whose commitment reached a witnessed checkpoint only after its randomness existed', async () => {
    // The operator's database says committedAt before the round; no checkpoint saw the commitment
    // until after the round's value was public (the log was held back, or the row back-dated).
    const planId = await submittedPlan(w, '2027年度一般检查（倒签）');
    const { draw } = await w.approver.caller.plans.approve({ planId });
    await drawAndSignApproved(draw);
    await witnessedCheckpoint();
    const pub = await drawPublication(draw.id);
    // Not witnessed when signed: the bundle went out without a proof ("not proven")…
    expect((pub.content as { bundle: { inclusion?: unknown } }).bundle.inclusion).toBeUndefined();
    // …and once the log has it, the proof dates it after the source: refused, not a warning.
    const anon = await anonymousCaller(t.database);
    const server = await anon.publications.verifyDraw({ id: pub.id });
    const line = server.checks.find((c) => c.id === 'commitmentTime')!;
    expect(line.status).toBe('fail');
    expect(line.message).toContain('not before the first source');
    expect(server.ok).toBe(false);
    const inc = await anon.transparency.commitmentInclusion({ drawId: draw.id });
    expect(inc.pending).toBe(false);
    // With the commitment digest its publication states (a signature record's page compares it).
    expect(inc.commitmentDigest).toBe(draw.commitmentDigest);
    expect(
      (await anon.transparency.commitmentInclusion({ drawId: 'no-such-draw' })).commitmentDigest,
    ).toBeNull();
    const sourceTime = Math.min(
      ...draw.commitment.sources.map((s) => {
        const d = s as { round: number; info: { genesis: number; period: number } };
        return d.info.genesis + (d.round - 1) * d.info.period;
      }),
    );
    expect(Date.parse(inc.inclusion!.checkpoint.time) / 1000).toBeGreaterThanOrEqual(sourceTime);
  }, 120_000);

  it('does not count a checkpoint one witness co-signed', async () => {
    const planId = await submittedPlan(w, '2027年度一般检查（单见证）');
    const { draw } = await w.approver.caller.plans.approve({ planId });
    await witnessedCheckpoint([w1]);
    const anon = await anonymousCaller(t.database);
    expect((await anon.transparency.commitmentInclusion({ drawId: draw.id })).pending).toBe(true);
    await drawAndSignApproved(draw);
    const pub = await drawPublication(draw.id);
    expect((pub.content as { bundle: { inclusion?: unknown } }).bundle.inclusion).toBeUndefined();
    const server = await anon.publications.verifyDraw({ id: pub.id });
    expect(server.checks.find((c) => c.id === 'commitmentTime')!.status).toBe('warn');
    // Once a checkpoint both witnesses co-signed holds the commitment, the kept report no longer
    // answers: the log's inputs changed, so the bundle is checked again and the line changes.
    const checks = verificationChecks();
    await witnessedCheckpoint([w1, w2]);
    const again = await anon.publications.verifyDraw({ id: pub.id });
    expect(verificationChecks()).toBe(checks + 1);
    expect(again.checks.find((c) => c.id === 'commitmentTime')!.status).not.toBe('warn');
  }, 120_000);
});

describe('registry entries against their own log time (§9.7)', () => {
  it('never publishes a key valid before its registry can be witnessed', async () => {
    const key = await browserStyleKey();
    await w.approver2.caller.keys.propose({ bureauCode: BINHAI, publicKey: key.publicKey });
    const at = drawEnv.now();
    await w.admin.caller.keys.register({ keyId: key.keyId });
    const [pub] = await t.database.db
      .select()
      .from(publications)
      .where(eq(publications.kind, 'key-registry'))
      .orderBy(desc(publications.publishedAt))
      .limit(1);
    const entry = (pub!.content as { keys: { keyId: string; validFrom: string }[] }).keys.find(
      (k) => k.keyId === key.keyId,
    )!;
    expect(Date.parse(entry.validFrom)).toBeGreaterThanOrEqual(
      at.getTime() + KEY_VALIDITY_DELAY_SECONDS * 1000,
    );
    // Logged at once, it is proven not back-dated.
    const cp = await witnessedCheckpoint();
    expect(Date.parse(cp.time)).toBeLessThanOrEqual(Date.parse(entry.validFrom));
    drawEnv.advance(KEY_VALIDITY_DELAY_SECONDS);
    w.keys.approver2 = key;
  }, 120_000);

  it('refuses a draw signed with a key an insider back-dated in the registry', async () => {
    // An insider registers a key, then edits its validFrom to a week earlier in the database and
    // republishes the registry, so that the key seems to have been valid before it was public.
    const key = await browserStyleKey();
    await w.approver.caller.keys.propose({ bureauCode: BINHAI, publicKey: key.publicKey });
    await w.admin.caller.keys.register({ keyId: key.keyId });
    await witnessedCheckpoint();
    await t.database.db
      .update(signingKeys)
      .set({ validFrom: new Date(drawEnv.now().getTime() - 7 * 86_400_000) })
      .where(eq(signingKeys.keyId, key.keyId));
    await publishRegistry(t.database.db, BINHAI, w.admin.user.id, drawEnv.now());
    await witnessedCheckpoint();
    drawEnv.advance(1);
    w.keys.approver = key;
    const { draw, pub } = await signedDrawPublication('2027年度一般检查（倒签密钥）');
    const anon = await anonymousCaller(t.database);
    const server = await anon.publications.verifyDraw({ id: pub.id });
    const line = server.checks.find((c) => c.id === 'registryEntries')!;
    expect(line.status).toBe('fail');
    expect(line.message).toContain('back-dated');
    expect(line.message).toContain(key.keyId.slice(0, 16));
    // The sign-off itself is valid against the (rigged) registry: only the log shows the lie.
    expect(server.checks.find((c) => c.id === 'signOff')!.status).toBe('pass');
    expect(server.ok).toBe(false);
    // The download, checked offline as `spotcheck verify` does, says the same.
    const dl = await downloadedBundle(t.database, w.auditor, draw.id);
    if (dl.algorithm !== 'sr-draw/v2') throw new Error('v2 expected');
    const offline = verifiedOffline(dl);
    expect(offline.checks.find((c) => c.id === 'registryEntries')!.status).toBe('fail');
    expect(offline.ok).toBe(false);
    // Without the log proof nothing is proven, and the line says so.
    const unproven = verifyBundleV2(JSON.parse(JSON.stringify(dl.bundle)), {
      registry: dl.registry,
      verifyRegistryInclusion: registryInclusionVerifier(dl.witnesses),
    });
    expect(unproven.checks.find((c) => c.id === 'registryEntries')!.message).toContain('not proven');
    // An honest key again for the rest of the file.
    await approverKeyLoggedPromptly();
  }, 180_000);

  it('checks a sign-off against the registry of the time its bundle says, whatever the draw’s row says', async () => {
    // An official's key signs a draw; the key is revoked later (say it leaked).
    await approverKeyLoggedPromptly();
    const key = w.keys.approver;
    const { draw, pub } = await signedDrawPublication('2027年度一般检查（吊销密钥）');
    // The draw is public (in a witnessed checkpoint) before the key is revoked (§9.7).
    await witnessedCheckpoint();
    const anon = await anonymousCaller(t.database);
    const honest = await anon.publications.verifyDraw({ id: pub.id });
    expect(honest.ok).toBe(true);
    drawEnv.advance(60);
    await w.admin.caller.keys.revoke({ keyId: key.keyId, reason: '密钥泄露' });
    await witnessedCheckpoint();
    drawEnv.advance(60);
    const [kept] = (
      await t.owner.exec(
        `select p.content::text as content, d.sign_off::text as "signOff"
         from publications p join draws d on d.id::text = p.ref_id where p.id = $1`,
        [pub.id],
      )
    ).rows as [{ content: string; signOff: string }];
    const bundle = (pub.content as { bundle: { commitmentDigest: string; resultDigest: string } }).bundle;
    const signedBefore = (JSON.parse(kept.signOff) as { signedAt: string }).signedAt;
    try {
      // The draw's row is dated before the key existed: the row's time picks no registry, the
      // bundle's does, and the report is the honest one.
      await t.owner.exec(
        `update draws set sign_off = jsonb_set(sign_off, '{signedAt}', to_jsonb('2020-01-01T00:00:00Z'::text))
         where id = $1`,
        [draw.id],
      );
      expect(await anon.publications.verifyDraw({ id: pub.id })).toEqual(honest);

      // Whoever holds the revoked key signs the same digests again, now (after the revocation),
      // and writes that sign-off into the publication; the draw's row says the honest time, when
      // the key was valid. The bundle is signed by a revoked key: refused.
      await t.owner.exec(`update draws set sign_off = $2::jsonb where id = $1`, [draw.id, kept.signOff]);
      const forged = await browserSignOff(
        key,
        { id: w.approver.user.id, name: w.approver.user.displayName },
        wholeSecondsOf(drawEnv.now()),
        bundle.commitmentDigest,
        bundle.resultDigest,
      );
      expect(forged.signedAt > signedBefore).toBe(true);
      await t.owner.exec(
        `update publications set content = jsonb_set(content, '{bundle,signOff}', $2::jsonb) where id = $1`,
        [pub.id, JSON.stringify(forged)],
      );
      const server = await anon.publications.verifyDraw({ id: pub.id });
      expect(server.ok).toBe(false);
      expect(server.checks.find((c) => c.id === 'signOff')).toMatchObject({
        status: 'fail',
        params: { rule: 'window' },
        message: `sign-off rejected: the key was not valid at ${forged.signedAt}`,
      });
      // As anyone checking the public file finds.
      const file = JSON.parse((await publicationRecords(t.database.db)(pub.id))!.json.toString('utf8')) as {
        content: DownloadedBundle & { algorithm: 'sr-draw/v2' };
      };
      // (The bureau's registry as published last, at the revocation.)
      const [latest] = await anon.publications.list({ kind: 'key-registry', bureauCode: BINHAI });
      const registryNow = (await anon.publications.get({ id: latest!.id })).content as KeyRegistry;
      expect(file.content.bundle.signOff?.signedAt).toBe(forged.signedAt);
      expect(
        verifyBundleV2(file.content.bundle, { registry: registryNow }).checks.find((c) => c.id === 'signOff'),
      ).toMatchObject({ status: 'fail' });
      // The publication pointed at no draw: its own algorithm says how to check it, and the same
      // bundle fails the same way (not checked as a v1 draw, not an error).
      await t.owner.exec(`update publications set ref_id = $2 where id = $1`, [pub.id, crypto.randomUUID()]);
      const orphan = await anon.publications.verifyDraw({ id: pub.id });
      expect(orphan).toMatchObject({ algorithm: 'sr-draw/v2', ok: false });
      expect(orphan.checks.find((c) => c.id === 'signOff')).toMatchObject({ params: { rule: 'window' } });
    } finally {
      await t.owner.exec(`update publications set ref_id = $2 where id = $1`, [pub.id, draw.id]);
      await t.owner.exec(`update draws set sign_off = $2::jsonb where id = $1`, [draw.id, kept.signOff]);
      await t.owner.exec(`update publications set content = $2::jsonb where id = $1`, [pub.id, kept.content]);
    }
    expect(await anon.publications.verifyDraw({ id: pub.id })).toEqual(honest);
    // An honest key again for the rest of the file.
    await approverKeyLoggedPromptly();
  }, 180_000);

  it('never checks as a legacy sr-draw/v1 draw what the log does not hold as one (a self-signed v1 bundle written in)', async () => {
    await approverKeyLoggedPromptly();
    const { draw, pub } = await signedDrawPublication('2027年度一般检查（旧版降级）');
    const anon = await anonymousCaller(t.database);
    expect((await anon.publications.verifyDraw({ id: pub.id })).ok).toBe(true);
    // An insider's v1 bundle: their own units and randomness, signed with a key of their own
    // (sr-draw/v1 takes the key its sign-off carries).
    const frame = [0, 1, 2, 3, 4, 5].map((i): FrameRow => [`U${i}`, 's0', 1, 0, '']);
    const people = [0, 1, 2].map((i): InspectorRow => [`insp-${i}`, 5, [], []]);
    const team = { assign: true, size: 2, specialist: false };
    const commitment = buildCommitment(
      {
        plan: { id: 'plan-2027-q1', bureau: BINHAI, period: '2027-Q1', kind: 'general' },
        rulePack: { id: 'tianjin/binhai', version: '2027.1', digest: 'a'.repeat(64) },
        checklist: { id: 'binhai-general', version: '3', digest: 'b'.repeat(64) },
        strata: [{ id: 's0', method: 'srs', quota: 2 }],
        team,
        sources: [
          { kind: 'numbers', name: 'China Welfare Lottery 3D', issue: '2027001' },
          { kind: 'hex', name: 'drand quicknet', issue: 'round 1000' },
        ],
        committedAt: '2027-01-04T09:00:00Z',
      },
      frame,
      people,
    );
    const bundle = drawSrV1({ commitment, frame, inspectors: people, values: [[1, 2, 3], 'ab'.repeat(32)] });
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const message = drawSignatureMessage(bundle.commitmentDigest, bundle.resultDigest);
    const signOff = {
      algorithm: 'Ed25519',
      message: message.toString('utf8'),
      signature: sign(null, message, privateKey).toString('base64'),
      publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      signer: 'anyone',
      signedAt: new Date().toISOString(),
    };
    const [kept] = (
      await t.owner.exec(`select content::text as content from publications where id = $1`, [pub.id])
    ).rows as { content: string }[];
    try {
      await t.owner.exec(`update publications set content = $2::jsonb where id = $1`, [
        pub.id,
        JSON.stringify({ bundle, signOff }),
      ]);
      // Pointed at no draw: no longer checked by its content's say (it names no algorithm).
      await t.owner.exec(`update publications set ref_id = $2 where id = $1`, [pub.id, crypto.randomUUID()]);
      const orphan = await anon.publications.verifyDraw({ id: pub.id });
      expect(orphan).toMatchObject({ algorithm: 'sr-draw/v1', ok: false });
      expect(orphan.checks[0]!.message).toContain('no draw on record');
      // Its draw's row said to be v1: the content is not what the log recorded.
      await t.owner.exec(`update publications set ref_id = $2 where id = $1`, [pub.id, draw.id]);
      await t.owner.exec(`update draws set algorithm = 'sr-draw/v1' where id = $1`, [draw.id]);
      const downgraded = await anon.publications.verifyDraw({ id: pub.id });
      expect(downgraded).toMatchObject({ algorithm: 'sr-draw/v1', ok: false });
      expect(downgraded.checks[0]!.message).toContain('not what the transparency log recorded');
    } finally {
      await t.owner.exec(`update draws set algorithm = 'sr-draw/v2' where id = $1`, [draw.id]);
      await t.owner.exec(`update publications set ref_id = $2 where id = $1`, [pub.id, draw.id]);
      await t.owner.exec(`update publications set content = $2::jsonb where id = $1`, [
        pub.id,
        kept!.content,
      ]);
    }
    expect((await anon.publications.verifyDraw({ id: pub.id })).ok).toBe(true);
  }, 120_000);

  it('refuses, in the portal’s check, a bundle re-signed with a revoked key and dated back into its validity', async () => {
    await approverKeyLoggedPromptly();
    const key = w.keys.approver;
    const { pub } = await signedDrawPublication('2027年度一般检查（回填签名时间）');
    const logTime = (r: Awaited<ReturnType<typeof portalCheck>>) =>
      r.checks.find((c) => c.id === 'signOffLogTime');
    // Until a witnessed checkpoint holds the draw, its log time is not proven: a warning.
    const early = await portalCheck(pub.id);
    expect(early.ok).toBe(true);
    expect(logTime(early)).toMatchObject({ status: 'warn' });
    expect(logTime(early)!.message).toContain('no log inclusion proof of the sign-off');
    await witnessedCheckpoint();
    const honest = await portalCheck(pub.id);
    expect(honest.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(logTime(honest)).toMatchObject({ status: 'pass' });
    // The key leaks and is revoked; the honest draw was public before that and still passes.
    drawEnv.advance(60);
    await w.admin.caller.keys.revoke({ keyId: key.keyId, reason: '密钥泄露' });
    await witnessedCheckpoint();
    expect(logTime(await portalCheck(pub.id))).toMatchObject({ status: 'pass' });
    expect(logTime(await portalCheck(pub.id))!.message).toContain("the bureau's current registry");

    // Whoever holds the revoked key signs the draw again, dated one second after the honest
    // sign-off (inside the key's validity), and writes it into the publication, whose registry is
    // the one of before the revocation. Every signature and registry in the file agree.
    const [kept] = (
      await t.owner.exec(`select content::text as content from publications where id = $1`, [pub.id])
    ).rows as [{ content: string }];
    const bundle = (
      pub.content as {
        bundle: { commitmentDigest: string; resultDigest: string; signOff: { signedAt: string } };
      }
    ).bundle;
    const backdated = new Date(Date.parse(bundle.signOff.signedAt) + 1000)
      .toISOString()
      .replace('.000Z', 'Z');
    const forged = await browserSignOff(
      key,
      { id: w.approver.user.id, name: w.approver.user.displayName },
      backdated,
      bundle.commitmentDigest,
      bundle.resultDigest,
    );
    try {
      await t.owner.exec(
        `update publications set content = jsonb_set(content, '{bundle,signOff}', $2::jsonb) where id = $1`,
        [pub.id, JSON.stringify(forged)],
      );
      const portal = await portalCheck(pub.id);
      expect(portal.checks.find((c) => c.id === 'signOff')).toMatchObject({ status: 'pass' });
      expect(logTime(portal)).toMatchObject({ status: 'fail' });
      expect(logTime(portal)!.message).toContain('digest differs');
      expect(portal.ok).toBe(false);
      // The server's check sees the same record.
      const server = await (await anonymousCaller(t.database)).publications.verifyDraw({ id: pub.id });
      expect(server.ok).toBe(false);
      expect(server.checks.find((c) => c.id === 'signOffLogTime')).toMatchObject({ status: 'fail' });
    } finally {
      await t.owner.exec(`update publications set content = $2::jsonb where id = $1`, [pub.id, kept.content]);
    }
    expect((await portalCheck(pub.id)).ok).toBe(true);
    await approverKeyLoggedPromptly();
  }, 180_000);

  it('dates a covert draw’s sign-off by its record: published once executed, after a key rotation, it passes', async () => {
    await approverKeyLoggedPromptly();
    const plan = await w.operator.caller.plans.create({
      bureauCode: BINHAI,
      title: '2027年度暗查暗访（签名记录）',
      period: '2027',
      kind: 'covert',
      sources: await proposedSources(w),
      checklistVersionId: w.checklistVersionId,
    });
    await w.operator.caller.plans.submit({ planId: plan.id });
    const { draw } = await w.approver.caller.plans.approve({ planId: plan.id });
    await witnessedCheckpoint();
    await drawAndSignApproved(draw);
    await witnessedCheckpoint();
    // Weeks pass; the official's key is rotated (a new one registered) before the plan is executed.
    drawEnv.advance(3600);
    const signedWith = w.keys.approver;
    await approverKeyLoggedPromptly();
    const [rotated] = await t.database.db
      .select()
      .from(signingKeys)
      .where(eq(signingKeys.keyId, signedWith.keyId));
    expect(rotated).toMatchObject({ status: 'rotated' });
    await w.operator.caller.draws.issueTasks({ drawId: draw.id });
    const rows = await t.database.db.select().from(tasks).where(eq(tasks.drawId, draw.id));
    const members = new Map<string, Awaited<ReturnType<typeof signedInUser>>>();
    for (const task of rows) {
      const id = task.team[0]!;
      if (!members.has(id))
        members.set(
          id,
          await signedInUser(t.database, `ct-${id}`, BINHAI, ['inspector'], { inspectorId: id }),
        );
      await members
        .get(id)!
        .caller.results.record({ taskId: task.id, outcome: 'compliant', inspectedOn: '2027-03-02' });
    }
    await witnessedCheckpoint();
    const pub = await drawPublication(draw.id);
    const portal = await portalCheck(pub.id);
    expect(portal.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(portal.checks.find((c) => c.id === 'signOffLogTime')).toMatchObject({ status: 'pass' });
    const server = await (await anonymousCaller(t.database)).publications.verifyDraw({ id: pub.id });
    expect(server.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(server.checks.find((c) => c.id === 'registryTime')).toMatchObject({ status: 'pass' });
    expect(server.checks.find((c) => c.id === 'signOffLogTime')).toMatchObject({ status: 'pass' });
  }, 180_000);

  it('dates a sign-off by its own record: a record an insider logged for the draw first changes nothing', async () => {
    await approverKeyLoggedPromptly();
    const { draw, drawn } = await drawnPlan('2027年度一般检查（抢先记录）');
    // Before the official signs, an insider logs a "signature record" for the draw with the
    // platform's own publish(): no key is needed for that, only the database.
    const [plan] = await t.database.db.select().from(plans).where(eq(plans.id, draw.commitment.plan.id));
    const [row] = await t.database.db.select().from(draws).where(eq(draws.id, draw.id));
    const junk = await browserSignOff(
      await browserStyleKey(),
      { id: w.approver.user.id, name: w.approver.user.displayName },
      wholeSecondsOf(drawEnv.now()),
      drawn.commitmentDigest,
      drawn.resultDigest,
    );
    await t.database.db.transaction((tx) =>
      publishSignatureRecord(tx, plan!, row!, 'draw', junk, w.approver.user.id, drawEnv.now()),
    );
    await witnessedCheckpoint();
    drawEnv.advance(60);
    await signAs(w.approver, w.keys.approver, draw.id);
    await witnessedCheckpoint();
    const pub = await drawPublication(draw.id);
    const anon = await anonymousCaller(t.database);
    // The honest record, logged after the junk one, is the one every verifier is given.
    const [junkLeaf, ownLeaf] = await t.database.db
      .select({ publicationId: logLeaves.publicationId })
      .from(logLeaves)
      .where(and(eq(logLeaves.kind, 'sign-off'), eq(logLeaves.refId, draw.id)))
      .orderBy(logLeaves.seq);
    expect(ownLeaf).toBeDefined();
    const given = await anon.transparency.signOffInclusion({ drawId: draw.id, of: 'draw' });
    expect(given.publicationId).toBe(ownLeaf!.publicationId);
    expect(given.publicationId).not.toBe(junkLeaf!.publicationId);
    for (const report of [await portalCheck(pub.id), await anon.publications.verifyDraw({ id: pub.id })]) {
      expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
      expect(report.checks.find((c) => c.id === 'signOffLogTime')).toMatchObject({ status: 'pass' });
    }
  }, 180_000);

  it('refuses to rotate a key whose sign-off no witnessed checkpoint holds yet, and rotates it once one does', async () => {
    await approverKeyLoggedPromptly();
    const signedWith = w.keys.approver;
    const planId = await submittedPlan(w, '2027年度一般检查（签名后轮换）');
    const { draw } = await w.approver.caller.plans.approve({ planId });
    await witnessedCheckpoint();
    await drawAndSignApproved(draw);
    // The sign-off's record is logged, not yet witnessed. Ended now, the key would fail it for good
    // (§9.7: valid at the record's log time, which is still to come).
    const next = await browserStyleKey();
    await w.approver.caller.keys.propose({ bureauCode: BINHAI, publicKey: next.publicKey });
    const registries = async () =>
      (await t.database.db.select().from(publications).where(eq(publications.kind, 'key-registry'))).length;
    const before = await registries();
    const refused = await w.admin.caller.keys.register({ keyId: next.keyId }).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'CONFLICT',
      reason: {
        code: 'key.rotationUnwitnessed',
        field: 'keyId',
        params: { keyPrefix: signedWith.keyId.slice(0, 12), records: 1 },
      },
    });
    const keyRows = async () =>
      Object.fromEntries(
        (
          await t.database.db
            .select({ keyId: signingKeys.keyId, status: signingKeys.status })
            .from(signingKeys)
            .where(inArray(signingKeys.keyId, [signedWith.keyId, next.keyId]))
        ).map((k) => [k.keyId, k.status]),
      );
    expect(await keyRows()).toEqual({ [signedWith.keyId]: 'active', [next.keyId]: 'pending' });
    expect(await registries()).toBe(before);
    // With one active witness no checkpoint can be witnessed, however long the admin waits: the
    // refusal says so instead of "after the next witnessed checkpoint".
    const retired = (
      await t.owner.exec(
        `update log_witnesses set retired_at = now() where retired_at is null and name <> $1 returning name`,
        [w1.name],
      )
    ).rows as { name: string }[];
    try {
      expect(
        await w.admin.caller.keys.register({ keyId: next.keyId }).catch((e: unknown) => e),
      ).toMatchObject({
        code: 'CONFLICT',
        reason: {
          code: 'key.rotationNoWitnesses',
          field: 'keyId',
          params: { records: 1, witnesses: 1, needed: 2 },
        },
      });
      // A demo witness left in a production database counts for nothing there (its co-signatures
      // are refused), so a production server gives the same answer; a demo server counts it.
      await t.owner.exec(
        `insert into log_witnesses (name, label, public_key, added_at) values ($1, '演示见证人', $2, now())`,
        [DEMO_WITNESSES[0].name, generateLogKeyPair().publicKey],
      );
      const reasonOf = async (p: Promise<unknown>) =>
        ((await p.catch((e: unknown) => e)) as { reason?: { code?: string } }).reason?.code;
      expect(await reasonOf(w.admin.caller.keys.register({ keyId: next.keyId }))).toBe(
        'key.rotationUnwitnessed',
      );
      const production = createCallerFactory(appRouter)(() =>
        createContextInner({
          db: t.database.db,
          sessionToken: w.admin.token,
          now: drawEnv.now,
          beacon: drawEnv.beacon,
          production: true,
        }),
      );
      expect(await reasonOf(production.keys.register({ keyId: next.keyId }))).toBe('key.rotationNoWitnesses');
    } finally {
      await t.owner.exec(`delete from log_witnesses where name = $1`, [DEMO_WITNESSES[0].name]);
      await t.owner.exec(`update log_witnesses set retired_at = null where name = any($1::text[])`, [
        retired.map((r) => r.name),
      ]);
    }
    expect(await keyRows()).toEqual({ [signedWith.keyId]: 'active', [next.keyId]: 'pending' });
    // The record's publication edited to name another key, then deleted: still counted, as its key
    // can no longer be told from a row an insider may edit.
    const [record] = await t.database.db
      .select({ id: publications.id })
      .from(publications)
      .where(and(eq(publications.kind, 'sign-off'), eq(publications.refId, draw.id)));
    const [keptRecord] = (
      await t.owner.exec(`select row_to_json(p)::text as row from publications p where id = $1`, [record!.id])
    ).rows as [{ row: string }];
    try {
      await t.owner.exec(
        `update publications set content = jsonb_set(content, '{signature,signer,keyId}', to_jsonb($2::text)) where id = $1`,
        [record!.id, '0'.repeat(64)],
      );
      expect(await codeOf(w.admin.caller.keys.register({ keyId: next.keyId }))).toBe('CONFLICT');
      await t.owner.exec(`delete from publications where id = $1`, [record!.id]);
      expect(await codeOf(w.admin.caller.keys.register({ keyId: next.keyId }))).toBe('CONFLICT');
    } finally {
      await t.owner.exec(`delete from publications where id = $1`, [record!.id]);
      await t.owner.exec(
        `insert into publications select * from json_populate_record(null::publications, $1::json)`,
        [keptRecord.row],
      );
    }
    // A checkpoint only one witness co-signed dates nothing: still refused.
    await witnessedCheckpoint([w1]);
    expect(await codeOf(w.admin.caller.keys.register({ keyId: next.keyId }))).toBe('CONFLICT');
    const cp = await witnessedCheckpoint();
    // Still refused within that checkpoint's second: ended at it, the key would not be valid then.
    // (The shared clock runs with real time: held in that second, or a slow machine leaves it.)
    const running = drawEnv.now;
    drawEnv.now = () => new Date(Date.parse(cp.time) + 500);
    try {
      expect(await codeOf(w.admin.caller.keys.register({ keyId: next.keyId }))).toBe('CONFLICT');
    } finally {
      drawEnv.now = running;
    }
    drawEnv.advance(1);
    const { rotated } = await w.admin.caller.keys.register({ keyId: next.keyId });
    expect(rotated).toEqual([signedWith.keyId]);
    expect(await keyRows()).toEqual({ [signedWith.keyId]: 'rotated', [next.keyId]: 'active' });
    await witnessedCheckpoint();
    const pub = await drawPublication(draw.id);
    const server = await (await anonymousCaller(t.database)).publications.verifyDraw({ id: pub.id });
    expect(server.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(server.checks.find((c) => c.id === 'signOffLogTime')).toMatchObject({ status: 'pass' });
    const portal = await portalCheck(pub.id);
    expect(portal.checks.find((c) => c.id === 'signOffLogTime')).toMatchObject({ status: 'pass' });
    drawEnv.advance(KEY_VALIDITY_DELAY_SECONDS);
    w.keys.approver = next;
  }, 180_000);

  it('leaves an official one active key when two of their keys are registered at once', async () => {
    await approverKeyLoggedPromptly();
    const [a, b] = [await browserStyleKey(), await browserStyleKey()];
    for (const k of [a, b])
      await w.approver.caller.keys.propose({ bureauCode: BINHAI, publicKey: k.publicKey });
    // On PostgreSQL both registrations are made to run at once: the official's current key row is
    // held by another transaction until both wait on a lock. (PGlite runs one transaction at a time.)
    const racing = t.owner.kind === 'postgres';
    let release = () => {};
    let holding: Promise<unknown> = Promise.resolve();
    if (racing) {
      const released = new Promise<void>((r) => (release = r));
      let locked = () => {};
      const isLocked = new Promise<void>((r) => (locked = r));
      holding = t.owner.db.transaction(async (tx) => {
        await tx.execute(sql`select 1 from signing_keys where key_id = ${w.keys.approver.keyId} for update`);
        locked();
        await released;
      });
      await isLocked;
    }
    const registering = Promise.allSettled([
      w.admin.caller.keys.register({ keyId: a.keyId }),
      w.admin.caller.keys.register({ keyId: b.keyId }),
    ]);
    if (racing) {
      const waiting = async () =>
        (
          (
            await t.owner
              .exec(`select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
             where not l.granted and a.datname = current_database()`)
          ).rows[0] as {
            n: number;
          }
        ).n;
      await expect.poll(waiting, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      release();
      await holding;
    }
    const outcomes = await registering;
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    const active = await t.database.db
      .select({ keyId: signingKeys.keyId })
      .from(signingKeys)
      .where(
        and(
          eq(signingKeys.bureauCode, BINHAI),
          eq(signingKeys.userId, w.approver.user.id),
          eq(signingKeys.status, 'active'),
        ),
      );
    expect(active).toHaveLength(1);
    await witnessedCheckpoint();
    drawEnv.advance(KEY_VALIDITY_DELAY_SECONDS);
    w.keys.approver = active[0]!.keyId === a.keyId ? a : b;
  }, 60_000);

  it('refuses a sign-off whose key was ended after the registry it was checked against was read', async () => {
    await approverKeyLoggedPromptly();
    const { draw } = await drawnPlan('2027年度一般检查（签署中轮换）');
    // The published registry still shows the key valid, as it was when the sign-off was checked;
    // a rotation has ended it since (its row, before the registry is republished).
    const key = w.keys.approver;
    await t.database.db
      .update(signingKeys)
      .set({ status: 'rotated' })
      .where(eq(signingKeys.keyId, key.keyId));
    const refused = await signAs(w.approver, key, draw.id).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'CONFLICT',
      reason: { code: 'signOff.keyEnded', field: 'signOff.signer.keyId', params: { status: 'rotated' } },
    });
    const [row] = await t.database.db.select().from(draws).where(eq(draws.id, draw.id));
    expect(row).toMatchObject({ status: 'drawn', signOff: null });
    const records = await t.database.db
      .select()
      .from(publications)
      .where(and(eq(publications.kind, 'sign-off'), eq(publications.refId, draw.id)));
    expect(records).toEqual([]);
    await t.database.db.update(signingKeys).set({ status: 'active' }).where(eq(signingKeys.keyId, key.keyId));
    await signAs(w.approver, key, draw.id);
    await witnessedCheckpoint();
  }, 180_000);

  it('refuses an attempt signed by an insider with a revoked key, however the newest registry or the row is edited', async () => {
    await approverKeyLoggedPromptly();
    const key = w.keys.approver;
    const { draw, drawn } = await drawnPlan('2027年度一般检查（吊销后补签）');
    const ranAt = wholeSecondsOf(drawEnv.now());
    // The official never signs; the key leaks and is revoked.
    drawEnv.advance(60);
    await w.admin.caller.keys.revoke({ keyId: key.keyId, reason: '密钥泄露' });
    const [{ validUntil: revokedUntil }] = (await t.database.db
      .select({ validUntil: signingKeys.validUntil })
      .from(signingKeys)
      .where(eq(signingKeys.keyId, key.keyId))) as [{ validUntil: Date }];
    await witnessedCheckpoint();
    drawEnv.advance(60);
    // The insider signs with the leaked key, dated back into its validity, writes it into the
    // draw's row and publishes the record and the draw as the platform would (with the registry
    // of that time, before the revocation).
    const forged = await browserSignOff(
      key,
      { id: w.approver.user.id, name: w.approver.user.displayName },
      ranAt,
      drawn.commitmentDigest,
      drawn.resultDigest,
    );
    await t.owner.exec(
      `update draws set sign_off = $2::jsonb, signed_at = $3, signed_by = $4, status = 'signed' where id = $1`,
      [draw.id, JSON.stringify(forged), forged.signedAt, w.approver.user.id],
    );
    const [row] = await t.database.db.select().from(draws).where(eq(draws.id, draw.id));
    const [plan] = await t.database.db.select().from(plans).where(eq(plans.id, draw.commitment.plan.id));
    await t.database.db.transaction(async (tx) => {
      await publishSignatureRecord(tx, plan!, row!, 'draw', forged, w.approver.user.id, drawEnv.now());
      await publishDraw(tx, plan!, row!, w.approver.user.id, drawEnv.now());
    });
    const pub = await drawPublication(draw.id);
    const anon = await anonymousCaller(t.database);
    // Before any witness has seen the record: its log time can only come after the revocation.
    for (const report of [await portalCheck(pub.id), await anon.publications.verifyDraw({ id: pub.id })])
      expect(report.checks.find((c) => c.id === 'signOffLogTime')).toMatchObject({
        status: 'fail',
        params: { problem: 'key' },
      });
    await witnessedCheckpoint();
    const logTime = (r: {
      checks: { id: string; status: string; params: Record<string, unknown>; message: string }[];
    }) => r.checks.find((c) => c.id === 'signOffLogTime');
    const refused = async (problem: 'key' | 'proof') => {
      const portal = await portalCheck(pub.id);
      expect(portal.checks.find((c) => c.id === 'signOff')).toMatchObject({ status: 'pass' });
      expect(logTime(portal)).toMatchObject({ status: 'fail', params: { problem } });
      const server = await anon.publications.verifyDraw({ id: pub.id });
      expect(server.ok).toBe(false);
      expect(logTime(server)).toMatchObject({ status: 'fail', params: { problem } });
    };
    // Every signature and registry in the file agree; the log says the record came after the end.
    await refused('key');
    // Staff download it for `spotcheck verify`: offline too, the record's log time refuses the key.
    const dl = await downloadedBundle(t.database, w.auditor, draw.id);
    if (dl.algorithm !== 'sr-draw/v2') throw new Error('v2 expected');
    const offline = verifiedOffline(dl);
    expect(offline.checks.find((c) => c.id === 'signOff')).toMatchObject({ status: 'pass' });
    expect(offline.checks.find((c) => c.id === 'signOffLogTime')).toMatchObject({
      status: 'fail',
      params: { problem: 'key' },
    });
    expect(offline.ok).toBe(false);
    const [revocation] = await anon.publications.list({ kind: 'key-registry', bureauCode: BINHAI });
    const [kept] = (
      await t.owner.exec(`select content::text as content, published_at from publications where id = $1`, [
        revocation!.id,
      ])
    ).rows as [{ content: string; published_at: Date }];
    try {
      // The revocation's registry dated back behind the older ones: the log's order still says newest.
      await t.owner.exec(`update publications set published_at = '2000-01-01' where id = $1`, [
        revocation!.id,
      ]);
      await refused('key');
      // Its content put back to the registry of before: it is no longer what the log recorded.
      await t.owner.exec(`update publications set content = $2::jsonb where id = $1`, [
        revocation!.id,
        JSON.stringify((pub.content as { registry: unknown }).registry),
      ]);
      await refused('proof');
    } finally {
      await t.owner.exec(`update publications set content = $2::jsonb, published_at = $3 where id = $1`, [
        revocation!.id,
        kept.content,
        kept.published_at,
      ]);
    }
    // The publication moved to a bureau without a registry: checked against that bureau's (none).
    await t.owner.exec(`update publications set bureau_code = $2 where id = $1`, [pub.id, HEPING]);
    try {
      const server = await anon.publications.verifyDraw({ id: pub.id });
      expect(server.ok).toBe(false);
      expect(server.checks.find((c) => c.id === 'signOff')).toMatchObject({
        status: 'fail',
        params: { rule: 'bureau' },
      });
      expect(logTime(await portalCheck(pub.id))).toMatchObject({ status: 'fail' });
    } finally {
      await t.owner.exec(`update publications set bureau_code = $2 where id = $1`, [pub.id, BINHAI]);
    }
    // A copy of the publication the log never held (a row written behind its back): refused.
    const copy = crypto.randomUUID();
    await t.owner.exec(
      `insert into publications (id, bureau_code, kind, ref_id, period, title, content, digest, published_at)
       select $2, bureau_code, kind, $3, period, title, content, digest, published_at from publications where id = $1`,
      [pub.id, copy, crypto.randomUUID()],
    );
    try {
      const server = await anon.publications.verifyDraw({ id: copy });
      expect(logTime(server)).toMatchObject({ status: 'fail', params: { problem: 'proof' } });
      expect(logTime(server)!.message).toContain('the log holds no record');
    } finally {
      await t.owner.exec(`delete from publications where id = $1`, [copy]);
    }
    // An insider with the platform's own publish() (no admin screen, no audit of keys) logs a newer
    // registry that takes the revocation back: every verifier sees the earlier version's end.
    const beforeRevocation = (pub.content as { registry: KeyRegistry }).registry;
    const loosened = await t.database.db.transaction((tx) =>
      publish(tx, {
        bureauCode: BINHAI,
        kind: 'key-registry',
        refId: BINHAI,
        title: '签名公钥登记表',
        content: { ...beforeRevocation, keys: [...beforeRevocation.keys] },
        by: null,
        at: drawEnv.now(),
      }),
    );
    try {
      await witnessedCheckpoint();
      const head = await anon.transparency.registryHead({ bureauCode: BINHAI });
      expect(head!.publicationId).toBe(loosened.id);
      expect(head!.registry).toEqual(beforeRevocation);
      expect(head!.history.map((v) => v.registry)).toContainEqual(
        expect.objectContaining({
          keys: expect.arrayContaining([
            expect.objectContaining({ keyId: key.keyId, validUntil: wholeSecondsOf(revokedUntil) }),
          ]),
        }),
      );
      await refused('key');
      const again = await downloadedBundle(t.database, w.auditor, draw.id);
      if (again.algorithm !== 'sr-draw/v2') throw new Error('v2 expected');
      expect(verifiedOffline(again).checks.find((c) => c.id === 'signOffLogTime')).toMatchObject({
        status: 'fail',
        params: { problem: 'key' },
      });
      // The revocation's version emptied behind the log's back: a version the log holds is missing.
      await t.owner.exec(`update publications set content = 'null'::jsonb where id = $1`, [revocation!.id]);
      await refused('proof');
    } finally {
      await t.owner.exec(`update publications set content = $2::jsonb where id = $1`, [
        revocation!.id,
        kept.content,
      ]);
    }
    // (The insider's version stays, as the log keeps it: the platform's next registry still refuses
    // to revive the key, checked against every version the log holds.)
    // Junk logged as the bureau's registry (another bureau's content; a key the bureau never had,
    // ended at the epoch) ends nothing: the forged draw still fails by the key, and neither stops a
    // later registration or revocation (below) nor fails the honest draws after it (next tests).
    for (const content of [
      { ...beforeRevocation, bureau: HEPING },
      {
        spec: beforeRevocation.spec,
        bureau: BINHAI,
        keys: [{ keyId: 'f'.repeat(64), validUntil: '2000-01-01T00:00:00Z' }],
      },
    ])
      await t.database.db.transaction((tx) =>
        publish(tx, {
          bureauCode: BINHAI,
          kind: 'key-registry',
          refId: BINHAI,
          title: '签名公钥登记表',
          content,
          by: null,
          at: drawEnv.now(),
        }),
      );
    await witnessedCheckpoint();
    await refused('key');
    // The revoked key revived in its row: the platform refuses to republish the registry (an end
    // once published never goes away), so the newest registry stays the strictest.
    await t.owner.exec(`update signing_keys set valid_until = null, status = 'active' where key_id = $1`, [
      key.keyId,
    ]);
    const fresh = await browserStyleKey();
    try {
      await w.approver2.caller.keys.propose({ bureauCode: BINHAI, publicKey: fresh.publicKey });
      const before = (await anon.publications.list({ kind: 'key-registry', bureauCode: BINHAI }))[0]!.id;
      expect(await codeOf(w.admin.caller.keys.register({ keyId: fresh.keyId }))).toBe('CONFLICT');
      expect((await anon.publications.list({ kind: 'key-registry', bureauCode: BINHAI }))[0]!.id).toBe(
        before,
      );
    } finally {
      await t.owner.exec(`update signing_keys set valid_until = $2, status = 'revoked' where key_id = $1`, [
        key.keyId,
        revokedUntil,
      ]);
      await w.admin.caller.keys.revoke({ keyId: fresh.keyId, reason: '测试用，撤回' });
    }
    await approverKeyLoggedPromptly();
  }, 180_000);

  it('keeps a report under the registry it was checked against, when the draw’s row says another signing time', async () => {
    // Two registry versions, both logged: R1, then R2 naming the key that signs.
    await approverKeyLoggedPromptly();
    const registryNow = async () =>
      (
        await t.owner.exec(
          `select id, published_at as "publishedAt", content::text as content from publications
           where kind = 'key-registry' and bureau_code = $1 order by published_at desc limit 1`,
          [BINHAI],
        )
      ).rows[0] as { id: string; publishedAt: Date; content: string };
    const r1 = await registryNow();
    drawEnv.advance(60);
    await approverKeyLoggedPromptly();
    const r2 = await registryNow();
    const { draw, pub } = await signedDrawPublication('2027年度一般检查（签名时间不一）');
    const anon = await anonymousCaller(t.database);
    const honest = await anon.publications.verifyDraw({ id: pub.id });
    expect(honest.ok).toBe(true);
    const [{ signOff }] = (
      await t.owner.exec(`select sign_off::text as "signOff" from draws where id = $1`, [draw.id])
    ).rows as [{ signOff: string }];
    try {
      // The draw's row is dated into R1's time; the bundle says its own time, in R2's.
      const inR1 = isoSeconds(new Date(new Date(r1.publishedAt).getTime() + 1000));
      await t.owner.exec(
        `update draws set sign_off = jsonb_set(sign_off, '{signedAt}', to_jsonb($2::text)) where id = $1`,
        [draw.id, inR1],
      );
      expect(await anon.publications.verifyDraw({ id: pub.id })).toEqual(honest);
      // Asked again: the kept report (no check), made against R2.
      const checks = verificationChecks();
      await anon.publications.verifyDraw({ id: pub.id });
      await anon.publications.verifyDraw({ id: pub.id });
      expect(verificationChecks()).toBeLessThanOrEqual(checks + 1);
      // R2, the registry the check read, loses the signing key: checked again, and refused.
      await t.owner.exec(
        `update publications set content = jsonb_set(content, '{keys}',
           (select jsonb_agg(k) from jsonb_array_elements(content->'keys') k where k->>'keyId' <> $2)) where id = $1`,
        [r2.id, w.keys.approver.keyId],
      );
      const after = await anon.publications.verifyDraw({ id: pub.id });
      expect(after.ok).toBe(false);
      expect(after.checks.find((c) => c.id === 'signOff')).toMatchObject({ status: 'fail' });
    } finally {
      await t.owner.exec(`update publications set content = $2::jsonb where id = $1`, [r2.id, r2.content]);
      await t.owner.exec(`update draws set sign_off = $2::jsonb where id = $1`, [draw.id, signOff]);
    }
    expect(await anon.publications.verifyDraw({ id: pub.id })).toEqual(honest);
  }, 180_000);

  it('fails a bundle whose signing time is no real instant, as every verifier does (no server error)', async () => {
    const { draw, pub } = await signedDrawPublication('2027年度一般检查（无效时间）');
    const anon = await anonymousCaller(t.database);
    const [{ content, signOff }] = (
      await t.owner.exec(
        `select p.content::text as content, d.sign_off::text as "signOff"
         from publications p join draws d on d.id::text = p.ref_id where p.id = $1`,
        [pub.id],
      )
    ).rows as [{ content: string; signOff: string }];
    try {
      // Hour 25: shaped like an instant, no date.
      await t.owner.exec(
        `update publications set content = jsonb_set(content, '{bundle,signOff,signedAt}', to_jsonb('2027-01-01T25:00:00Z'::text))
         where id = $1`,
        [pub.id],
      );
      const report = await anon.publications.verifyDraw({ id: pub.id });
      expect(report.ok).toBe(false);
      expect(report.checks.find((c) => c.id === 'parse')).toMatchObject({ status: 'fail' });
      // The draw's row says no instant either (and the publication is another version again).
      await t.owner.exec(
        `update draws set sign_off = jsonb_set(sign_off, '{signedAt}', to_jsonb('2027-01-01T25:00:00Z'::text)) where id = $1`,
        [draw.id],
      );
      await t.owner.exec(`update publications set title = title || ' ' where id = $1`, [pub.id]);
      expect(await anon.publications.verifyDraw({ id: pub.id })).toMatchObject({ ok: false });
    } finally {
      await t.owner.exec(`update publications set content = $2::jsonb, title = trim(title) where id = $1`, [
        pub.id,
        content,
      ]);
      await t.owner.exec(`update draws set sign_off = $2::jsonb where id = $1`, [draw.id, signOff]);
    }
  }, 180_000);
});

describe('a voided attempt carries its commitment time (§9.1, §9.4)', () => {
  it('publishes the void bundle with its inclusion and registry proofs; verifiers prove its commitment time', async () => {
    const planId = await submittedPlan(w, '2027年度一般检查（作废证明）');
    const { draw } = await w.approver.caller.plans.approve({ planId });
    await witnessedCheckpoint();
    await w.operator.caller.draws.requestVoid({
      drawId: draw.id,
      reasonId: 'frame-error',
      reason: '随机数产生前发现抽取名录错误',
    });
    const env = await browserVoidSignature(
      w.keys.approver2,
      { id: w.approver2.user.id, name: w.approver2.user.displayName },
      wholeSecondsOf(drawEnv.now()),
      { commitmentDigest: draw.commitmentDigest, reason: 'frame-error', requestedBy: w.operator.user.id },
    );
    // A key ended since the registry was published (its row rotated) signs no void either.
    await t.database.db
      .update(signingKeys)
      .set({ status: 'rotated' })
      .where(eq(signingKeys.keyId, w.keys.approver2.keyId));
    try {
      expect(
        await w.approver2.caller.draws.signVoid({ drawId: draw.id, void: env }).catch((e: unknown) => e),
      ).toMatchObject({
        code: 'CONFLICT',
        reason: { code: 'signOff.keyEnded', field: 'void.signer.keyId', params: { status: 'rotated' } },
      });
    } finally {
      await t.database.db
        .update(signingKeys)
        .set({ status: 'active' })
        .where(eq(signingKeys.keyId, w.keys.approver2.keyId));
    }
    await w.approver2.caller.draws.signVoid({ drawId: draw.id, void: env });
    const anon = await anonymousCaller(t.database);
    const header = (await anon.publications.list({ kind: 'void', bureauCode: BINHAI })).find(
      (p) => p.refId === draw.id,
    )!;
    const pub = await anon.publications.get({ id: header.id });
    const content = pub.content as {
      bundle: { inclusion?: LogInclusion; commitmentDigest: string };
      bundleDigest: string;
      registry: unknown;
      registryInclusion?: LogInclusion;
    };
    expect(content.bundle.inclusion?.leaf.kind).toBe('commitment');
    expect(content.bundle.inclusion?.leaf.subject).toBe(draw.commitmentDigest);
    expect(content.registryInclusion?.leaf.kind).toBe('key-registry');
    // The proof is outside the digest the next attempt names.
    const [row] = await t.database.db.select().from(draws).where(eq(draws.id, draw.id));
    expect(row!.voidBundleDigest).toBe(content.bundleDigest);
    // Both digests recompute from the content as published (its rows copied in the database).
    expect(voidedBundleDigest(content.bundle as unknown as VoidedBundleV2)).toBe(content.bundleDigest);
    expect(pub.digest).toBe(sha256hex(pub.content));
    expect((content.bundle as unknown as VoidedBundleV2).result).toBeNull();

    const server = await anon.publications.verifyDraw({ id: pub.id });
    const time = server.checks.find((c) => c.id === 'commitmentTime')!;
    expect(time.status).toBe('pass');
    expect(time.message).toContain('proven by the log');
    expect(server.checks.find((c) => c.id === 'void')!.status).toBe('pass');
    expect(server.checks.find((c) => c.id === 'registryEntries')!.params.signer).toBe('ok');
    expect(server.ok).toBe(true);

    const witnesses = await anon.transparency.witnesses();
    const offline = verifyVoidedBundleV2(JSON.parse(JSON.stringify(content.bundle)), {
      registry: content.registry,
      verifyInclusion: commitmentInclusionVerifier(witnesses),
    });
    expect(offline.checks.find((c) => c.id === 'commitmentTime')!.status).toBe('pass');
    // A rigged void: the proof of another commitment is refused.
    const other = (await anon.publications.list({ kind: 'draw', bureauCode: BINHAI }))[0]!;
    const otherInc = (
      (await anon.publications.get({ id: other.id })).content as {
        bundle: { inclusion?: LogInclusion };
      }
    ).bundle.inclusion!;
    const rigged = verifyVoidedBundleV2(
      JSON.parse(JSON.stringify({ ...content.bundle, inclusion: otherInc })),
      { registry: content.registry, verifyInclusion: commitmentInclusionVerifier(witnesses) },
    );
    expect(rigged.checks.find((c) => c.id === 'commitmentTime')!.status).toBe('fail');
    expect(rigged.ok).toBe(false);
  }, 180_000);
});

describe('witnesses are independent of the bureau', () => {
  const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

  it("refuses an official's registry key (registered or pending) and a witness's key twice", async () => {
    const add = (name: string, publicKey: string) =>
      codeOf(w.cityAdmin.caller.transparency.addWitness({ name, label: '可疑见证方', publicKey }));
    // The approver's registered sign-off key.
    expect(await add('lead-key', b64(w.keys.approver.publicKey))).toBe('BAD_REQUEST');
    const [key] = await t.database.db
      .select()
      .from(signingKeys)
      .where(eq(signingKeys.keyId, w.keys.approver2.keyId));
    expect(key).toBeDefined();
    expect(await add('lead2-key', b64(key!.publicKey))).toBe('BAD_REQUEST');
    // A key only proposed (pending) is still an official's key.
    const { browserStyleKey } = await import('../support/official-keys');
    const pending = await browserStyleKey();
    await w.approver2.caller.keys.propose({ bureauCode: key!.bureauCode, publicKey: pending.publicKey });
    expect(await add('pending-key', b64(pending.publicKey))).toBe('BAD_REQUEST');
    // A registered witness's key under another name.
    expect(await add('copycat', w1.publicKey)).toBe('CONFLICT');
    // None of them was registered or audited as a witness.
    const names = (await t.database.db.select({ n: logWitnesses.name }).from(logWitnesses)).map((r) => r.n);
    expect(names.sort()).toEqual([w1.name, w2.name].sort());
  });
});

describe('demo witnesses and checkpoint jobs', () => {
  let d: TestDb;
  beforeAll(async () => {
    d = await openTestDb();
  });
  afterAll(async () => {
    disableLocalWitnesses();
    await d?.close();
  });

  it('never registers demo witnesses in production', async () => {
    await expect(
      enableDemoWitnesses(d.database.db, { keySecret: keySecretFor(d.database), production: true }),
    ).rejects.toThrow(/production/);
    expect(await d.database.db.select().from(logWitnesses)).toEqual([]);
  });

  it('registers two labelled demo witnesses once, which co-sign so checkpoints are witnessed', async () => {
    const now = new Date();
    const ws = await enableDemoWitnesses(d.database.db, {
      keySecret: keySecretFor(d.database),
      production: false,
      now,
    });
    expect(ws).toHaveLength(2);
    for (const x of ws) expect(x.label).toContain('演示见证人');
    // Idempotent: a restart registers nothing new.
    await enableDemoWitnesses(d.database.db, { keySecret: keySecretFor(d.database), production: false, now });
    const rows = await d.database.db.select().from(logWitnesses);
    expect(rows).toHaveLength(2);
    // Published in the city's witness registry and audited.
    const anon = await anonymousCaller(d.database);
    expect((await anon.transparency.witnesses()).map((x) => x.label).join()).toContain('演示见证人');
    const { rows: audits } = await d.database.exec(
      "select count(*)::int as n from audit_events where action = 'log.witness.add'",
    );
    expect((audits[0] as { n: number }).n).toBe(2);
    // Their keys are not the log's.
    const r = await checkpointAndCosign(d.database.db, {
      now: new Date(),
      keySecret: keySecretFor(d.database),
    });
    expect(r.cosigned).toBe(2);
    const latest = (await anon.transparency.latest())!;
    expect(latest.logKey).not.toBe(ws[0]!.publicKey);
    expect(latest.witnessed).toBe(true);
    expect(latest.witnessedBy.map((x) => x.name).sort()).toEqual(ws.map((x) => x.name).sort());
  });

  it('runs log and audit checkpoints as registered jobs, with their runs recorded', async () => {
    const names = registeredJobs().map((j) => j.name);
    expect(names).toEqual(expect.arrayContaining(['log-checkpoint', 'audit-checkpoint']));
    const later = new Date(Date.now() + 400_000);
    const r = await runJob(d.database.db, 'log-checkpoint', { trigger: 'manual', now: later });
    expect(r).toMatchObject({ outcome: 'ok' });
    expect(r.summary.cosigned).toBe(2);
    const a = await runJob(d.database.db, 'audit-checkpoint', { trigger: 'manual', now: later });
    expect(a.outcome).toBe('ok');
    expect(typeof a.summary.seq).toBe('number');
    // A checkpoint older than the witnesses' ±30 s window is not co-signed (nor does it throw);
    // a fresh one is. (The audit checkpoint above added a leaf, so the tree grew.)
    const cp = (await issueCheckpoint(d.database.db, {
      now: new Date(later.getTime() + 60_000),
      keySecret: keySecretFor(d.database),
    }))!;
    expect(cp).not.toBeNull();
    expect(await cosignLocally(d.database.db, new Date(Date.parse(cp.time) + 120_000))).toBe(0);
    expect(await cosignLocally(d.database.db, new Date(Date.parse(cp.time) + 5_000))).toBe(2);
    const runs = await d.database.db.select().from(jobRuns);
    expect(runs.map((x) => x.name).sort()).toEqual(['audit-checkpoint', 'log-checkpoint']);
  });
});
