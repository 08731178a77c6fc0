import { describe, expect, it } from 'vitest';
import { toHex } from '../draw/canonical';
import { signOff, signVoid } from '../draw/v2/signoff';
import { signatureRecord, signatureRecordLine, verifyBundleV2 } from '../draw/v2/verify';
import { buildVoidedBundle, verifyVoidedBundleV2, voidedBundleDigest } from '../draw/v2/voided';
import {
  APPROVER,
  approver,
  attacker,
  second,
  SECOND,
  beacon,
  COMMITTED_AT,
  makeCaseV2,
  registry,
  ROUND,
  signedBundle,
} from '../draw/v2/testing/fixtures';
import { digestOf } from '../json';
import { cosignCheckpoint, generateLogKeyPair, isoSeconds, signCheckpoint, toBase64 } from './checkpoint';
import { fromHex } from '../draw/canonical';
import {
  commitmentInclusionVerifier,
  registryInclusionVerifier,
  signOffInclusionVerifier,
  type LogInclusion,
} from './inclusion';
import { leafBytes, publicationLeaf } from './leaf';
import { hashLeaf, inclusionProof, treeRoot } from './merkle';

const log = generateLogKeyPair();
const ws = [1, 2].map((i) => ({ name: `witness-${i}`, ...generateLogKeyPair() }));
const trusted = ws.map((w) => ({ name: w.name, publicKey: w.publicKey }));

function bundle() {
  return signedBundle(
    makeCaseV2({
      units: Array.from({ length: 12 }, (_, i) => ({
        n: 100 + i,
        stratum: 0,
        weight: 1,
        mandatory: false,
        specialty: 0,
        expert: false,
      })),
      excluded: [],
      strata: [{ method: 'srs', quota: 3 }],
      inspectors: Array.from({ length: 6 }, () => ({
        capacity: 3,
        specialties: [true, true, true],
        excluded: [],
      })),
      experts: [],
      team: { assign: true, size: 2, specialist: false },
      kl8: [1, 5, 9, 13],
    }),
  );
}

type Cosigner = { name: string; secretKey: string };

/** A log of three publications, the middle one the bundle's commitment, checkpointed at `time`. */
function inclusionFor(commitmentDigest: string, time: string, cosigners: Cosigner[] = ws): LogInclusion {
  return inclusionOf({ kind: 'commitment', content: { commitmentDigest } }, time, cosigners);
}

/** A log of three publications, the middle one `middle`, checkpointed at `time` and co-signed. */
function inclusionOf(
  middle: { kind: string; content: unknown; digest?: string },
  time: string,
  cosigners: Cosigner[] = ws,
): LogInclusion {
  const leaves = [0, 1, 2].map((i) =>
    publicationLeaf({
      id: `00000000-0000-4000-8000-00000000000${i}`,
      bureauCode: '120116',
      kind: i === 1 ? middle.kind : 'checklist',
      refId: `r${i}`,
      period: null,
      title: `t${i}`,
      digest: i === 1 ? (middle.digest ?? digestOf(middle.content)) : 'ab'.repeat(32),
      content: i === 1 ? middle.content : {},
      replacesId: null,
      publishedAt: new Date(Date.parse(time) - 10_000),
    }),
  );
  const hashes = leaves.map((l) => hashLeaf(leafBytes(l)));
  const cp = { origin: 'spotcheck.test/log', size: 3, rootHash: toHex(treeRoot(hashes)), time };
  return {
    spec: 'spotcheck/log-inclusion/v1',
    leaf: leaves[1]!,
    leafIndex: 1,
    proof: inclusionProof(hashes, 1).map(toHex),
    checkpoint: {
      ...cp,
      logKey: log.publicKey,
      signature: signCheckpoint(cp, log.secretKey),
      cosignatures: cosigners.map((w) => cosignCheckpoint(cp, w, time)),
    },
  };
}

describe('sr-draw/v2 with the log verifier', () => {
  it('proves the commitment time of a bundle from its witnessed checkpoint', () => {
    const b = bundle();
    const time = isoSeconds(Date.parse(COMMITTED_AT));
    const r = verifyBundleV2(
      JSON.parse(JSON.stringify({ ...b, inclusion: inclusionFor(b.commitmentDigest, time) })),
      { registry, verifyInclusion: commitmentInclusionVerifier(trusted) },
    );
    const line = r.checks.find((c) => c.id === 'commitmentTime')!;
    expect(line.status).toBe('pass');
    expect(line.message).not.toContain('not proven');
    expect(r.ok).toBe(true);
  });

  it('fails the commitment time with one witness, or for another commitment', () => {
    const b = bundle();
    const time = isoSeconds(Date.parse(COMMITTED_AT));
    const verify = commitmentInclusionVerifier(trusted);
    const one = verifyBundleV2(
      { ...b, inclusion: inclusionFor(b.commitmentDigest, time, ws.slice(0, 1)) },
      { registry, verifyInclusion: verify },
    );
    expect(one.checks.find((c) => c.id === 'commitmentTime')!.status).toBe('fail');
    const other = verifyBundleV2(
      { ...b, inclusion: inclusionFor('cd'.repeat(32), time) },
      { registry, verifyInclusion: verify },
    );
    expect(other.checks.find((c) => c.id === 'commitmentTime')!.status).toBe('fail');
  });
});

/** The round's time (the bundle's only source): 5 minutes after COMMITTED_AT. */
const SOURCE_TIME = beacon.roundTime(ROUND);
const statusOf = (r: ReturnType<typeof verifyBundleV2>, id: string) =>
  r.checks.find((c) => c.id === id)?.status;

describe('sr-draw/v2 commitment time: what an insider could try', () => {
  it('refuses a commitment first logged after the source time, whatever committedAt claims', () => {
    // The server wrote committedAt 09:00:00 (back-dated); the log only saw the commitment after
    // the round's value existed. A witnessed checkpoint proves the real time, and it is too late.
    const b = bundle();
    const late = isoSeconds((SOURCE_TIME + 20) * 1000);
    const r = verifyBundleV2(
      JSON.parse(JSON.stringify({ ...b, inclusion: inclusionFor(b.commitmentDigest, late) })),
      { registry, verifyInclusion: commitmentInclusionVerifier(trusted) },
    );
    expect(statusOf(r, 'commitmentTime')).toBe('fail');
    expect(r.checks.find((c) => c.id === 'commitmentTime')!.message).toContain('not before the first source');
    expect(statusOf(r, 'source.0.timing')).toBe('fail');
    expect(r.ok).toBe(false);
    // Logged before the round but less than 60 s before it: the commitment time passes, the
    // source timing fails (its value may have been known).
    const close = isoSeconds((SOURCE_TIME - 30) * 1000);
    const r2 = verifyBundleV2(
      JSON.parse(JSON.stringify({ ...b, inclusion: inclusionFor(b.commitmentDigest, close) })),
      { registry, verifyInclusion: commitmentInclusionVerifier(trusted) },
    );
    expect(statusOf(r2, 'commitmentTime')).toBe('pass');
    expect(statusOf(r2, 'source.0.timing')).toBe('fail');
    expect(r2.ok).toBe(false);
  });

  it('does not count a witness outside the registry, the log key, or a bureau official key', () => {
    const b = bundle();
    const time = isoSeconds(Date.parse(COMMITTED_AT));
    const verify = commitmentInclusionVerifier(trusted);
    const check = (cosigners: Cosigner[]) =>
      verifyBundleV2(
        JSON.parse(JSON.stringify({ ...b, inclusion: inclusionFor(b.commitmentDigest, time, cosigners) })),
        {
          registry,
          verifyInclusion: verify,
        },
      );
    // A stranger the city never registered co-signs beside one registered witness.
    const stranger = { name: 'witness-9', ...generateLogKeyPair() };
    const r1 = check([ws[0]!, stranger]);
    expect(statusOf(r1, 'commitmentTime')).toBe('fail');
    expect(r1.checks.find((c) => c.id === 'commitmentTime')!.message).toContain('1 valid co-signature');
    // The log co-signing its own checkpoint under a witness name does not count.
    const logAsWitness = { name: 'log-itself', ...log };
    const r2 = verifyBundleV2(
      JSON.parse(
        JSON.stringify({ ...b, inclusion: inclusionFor(b.commitmentDigest, time, [ws[0]!, logAsWitness]) }),
      ),
      {
        registry,
        verifyInclusion: commitmentInclusionVerifier([
          ...trusted,
          { name: 'log-itself', publicKey: log.publicKey },
        ]),
      },
    );
    expect(statusOf(r2, 'commitmentTime')).toBe('fail');
    // The approver's own key listed as a "witness": the bureau's registry names it, so it never
    // counts, even when a verifier was handed a witness list that includes it.
    const official = { name: 'bureau-lead', secretKey: toBase64(fromHex(approver.secretKey)) };
    const officialKey = toBase64(fromHex(approver.publicKey));
    const lax = commitmentInclusionVerifier([...trusted, { name: 'bureau-lead', publicKey: officialKey }]);
    const inc = inclusionFor(b.commitmentDigest, time, [ws[0]!, official]);
    const r3 = verifyBundleV2(JSON.parse(JSON.stringify({ ...b, inclusion: inc })), {
      registry,
      verifyInclusion: lax,
    });
    expect(statusOf(r3, 'commitmentTime')).toBe('fail');
    // (Without the registry the verifier cannot tell: that is why the registry goes beside it.)
    expect(
      statusOf(
        verifyBundleV2(JSON.parse(JSON.stringify({ ...b, inclusion: inc })), { verifyInclusion: lax }),
        'commitmentTime',
      ),
    ).toBe('pass');
    // Two registered, independent witnesses: proven.
    expect(statusOf(check(ws), 'commitmentTime')).toBe('pass');
  });

  it('does not count a checkpoint co-signed by one witness only, nor a co-signature far from its time', () => {
    const b = bundle();
    const time = isoSeconds(Date.parse(COMMITTED_AT));
    const verify = commitmentInclusionVerifier(trusted);
    const one = verifyBundleV2(
      JSON.parse(JSON.stringify({ ...b, inclusion: inclusionFor(b.commitmentDigest, time, ws.slice(0, 1)) })),
      { registry, verifyInclusion: verify },
    );
    expect(statusOf(one, 'commitmentTime')).toBe('fail');
    expect(one.ok).toBe(false);
    // The same witness twice is still one witness.
    const twice = verifyBundleV2(
      JSON.parse(
        JSON.stringify({ ...b, inclusion: inclusionFor(b.commitmentDigest, time, [ws[0]!, ws[0]!]) }),
      ),
      { registry, verifyInclusion: verify },
    );
    expect(statusOf(twice, 'commitmentTime')).toBe('fail');
    // A witness whose clock says it signed 10 minutes later did not check the time (±30 s).
    const inc = inclusionFor(b.commitmentDigest, time);
    inc.checkpoint.cosignatures[1] = cosignCheckpoint(
      inc.checkpoint,
      ws[1]!,
      isoSeconds(Date.parse(time) + 600_000),
    );
    const skewed = verifyBundleV2(JSON.parse(JSON.stringify({ ...b, inclusion: inc })), {
      registry,
      verifyInclusion: verify,
    });
    expect(statusOf(skewed, 'commitmentTime')).toBe('fail');
  });
});

describe('sr-draw/v2 registry log time (§9.7)', () => {
  const time = isoSeconds(Date.parse(COMMITTED_AT));
  const regInc = (t: string, content: unknown = registry) =>
    inclusionOf({ kind: 'key-registry', content }, t);

  // The fixture keys are valid from 2026-12-01: a registry logged just before that proves them.
  const registered = '2026-11-30T23:59:00Z';

  it('proves the registry public before the sign-off', () => {
    const b = bundle();
    const r = verifyBundleV2(JSON.parse(JSON.stringify(b)), {
      registry,
      registryInclusion: regInc(registered),
      verifyRegistryInclusion: registryInclusionVerifier(trusted),
    });
    expect(statusOf(r, 'registryTime')).toBe('pass');
    expect(r.ok).toBe(true);
  });

  it('warns without a proof and refuses a registry logged after the sign-off, or another registry', () => {
    const b = bundle();
    const none = verifyBundleV2(JSON.parse(JSON.stringify(b)), { registry });
    expect(none.checks.find((c) => c.id === 'registryTime')).toMatchObject({ status: 'warn' });
    expect(none.checks.find((c) => c.id === 'registryTime')!.message).toContain(
      'registry log time not proven',
    );
    // A key registered after the draw and a sign-off dated back: the log shows the registry later.
    const after = isoSeconds(Date.parse(b.signOff.signedAt) + 3600_000);
    const late = verifyBundleV2(JSON.parse(JSON.stringify(b)), {
      registry,
      registryInclusion: regInc(after),
      verifyRegistryInclusion: registryInclusionVerifier(trusted),
    });
    expect(statusOf(late, 'registryTime')).toBe('fail');
    expect(late.ok).toBe(false);
    // The proof is of an older registry, not the one given.
    const older = { ...registry, keys: registry.keys.slice(1) };
    const other = verifyBundleV2(JSON.parse(JSON.stringify(b)), {
      registry,
      registryInclusion: regInc(time, older),
      verifyRegistryInclusion: registryInclusionVerifier(trusted),
    });
    expect(statusOf(other, 'registryTime')).toBe('fail');
    // One witness does not make it public.
    const lone = verifyBundleV2(JSON.parse(JSON.stringify(b)), {
      registry,
      registryInclusion: inclusionOf({ kind: 'key-registry', content: registry }, time, ws.slice(0, 1)),
      verifyRegistryInclusion: registryInclusionVerifier(trusted),
    });
    expect(statusOf(lone, 'registryTime')).toBe('fail');
  });
});

describe('sr-draw/v2 registry entries against their own log time (§9.7)', () => {
  const regInc = (t: string, content: unknown = registry) =>
    inclusionOf({ kind: 'key-registry', content }, t);
  const verifier = registryInclusionVerifier(trusted);
  const entries = (r: ReturnType<typeof verifyBundleV2>) => r.checks.find((c) => c.id === 'registryEntries')!;

  it('passes keys whose validFrom is not earlier than the checkpoint that first logged them', () => {
    const r = verifyBundleV2(JSON.parse(JSON.stringify(bundle())), {
      registry,
      registryInclusion: regInc('2026-12-01T00:00:00Z'),
      verifyRegistryInclusion: verifier,
    });
    expect(entries(r)).toMatchObject({ status: 'pass', params: { entries: 2, backdated: 0, unproven: 0 } });
    expect(r.ok).toBe(true);
  });

  it('refuses a back-dated signing key: registered (logged) after the validFrom it claims', () => {
    // An insider registers a key on 2027-01-04 and dates it valid from 2026-12-01, so that it
    // could have signed before anyone could see it.
    const r = verifyBundleV2(JSON.parse(JSON.stringify(bundle())), {
      registry,
      registryInclusion: regInc(isoSeconds(Date.parse(COMMITTED_AT))),
      verifyRegistryInclusion: verifier,
    });
    const line = entries(r);
    expect(line.status).toBe('fail');
    expect(line.message).toContain('back-dated');
    expect(line.message).toContain(approver.keyId.slice(0, 16));
    expect(line.params).toMatchObject({ signer: 'backdated', backdated: 2 });
    expect(r.ok).toBe(false);
  });

  it('takes an entry’s log time from the earlier registry version that first held it', () => {
    // The approver's key was logged in an earlier version; the second key was added on 2027-01-04.
    const older = { ...registry, keys: registry.keys.slice(0, 1) };
    const current = {
      ...registry,
      keys: [registry.keys[0]!, { ...registry.keys[1]!, validFrom: '2027-01-04T09:00:00Z' }],
    };
    const history = [{ registry: older, inclusion: regInc('2026-11-30T00:00:00Z', older) }];
    const b = bundle();
    const r = verifyBundleV2(JSON.parse(JSON.stringify(b)), {
      registry: current,
      registryInclusion: regInc(isoSeconds(Date.parse(COMMITTED_AT)), current),
      registryHistory: history,
      verifyRegistryInclusion: verifier,
    });
    expect(entries(r)).toMatchObject({ status: 'pass', params: { backdated: 0, unproven: 0, signer: 'ok' } });
    expect(r.ok).toBe(true);

    // Rigged history: the earlier version's proof is of another registry (its digest differs),
    // or the entry there had another validFrom (the key was re-dated since): neither proves it.
    const forged = [{ registry: older, inclusion: regInc('2026-11-30T00:00:00Z', registry) }];
    const redated = {
      ...older,
      keys: [{ ...older.keys[0]!, validFrom: '2026-11-29T00:00:00Z' }],
    };
    for (const registryHistory of [
      forged,
      [{ registry: redated, inclusion: regInc('2026-11-30T00:00:00Z', redated) }],
    ]) {
      const bad = verifyBundleV2(JSON.parse(JSON.stringify(b)), {
        registry: current,
        registryInclusion: regInc(isoSeconds(Date.parse(COMMITTED_AT)), current),
        registryHistory,
        verifyRegistryInclusion: verifier,
      });
      expect(entries(bad).status).toBe('fail');
      expect(bad.ok).toBe(false);
    }
  });

  it('names a back-dated entry of another official, and says “not proven” without a proof', () => {
    const current = {
      ...registry,
      keys: [{ ...registry.keys[0]!, validFrom: '2027-01-04T09:00:00Z' }, registry.keys[1]!],
    };
    const b = bundle();
    const other = verifyBundleV2(JSON.parse(JSON.stringify(b)), {
      registry: current,
      registryInclusion: regInc(isoSeconds(Date.parse(COMMITTED_AT)), current),
      verifyRegistryInclusion: verifier,
    });
    expect(entries(other)).toMatchObject({ status: 'warn', params: { signer: 'ok', backdated: 1 } });
    expect(entries(other).message).toContain(`rejected as back-dated: key ${second.keyId.slice(0, 16)}`);

    const none = verifyBundleV2(JSON.parse(JSON.stringify(b)), {
      registry,
      verifyRegistryInclusion: verifier,
    });
    expect(entries(none).status).toBe('warn');
    expect(entries(none).message).toContain("registry entries' log time not proven");
  });
});

describe('sr-draw/v2 the key at the sign-off’s log time (§9.7)', () => {
  const regInc = (t: string, content: unknown) => inclusionOf({ kind: 'key-registry', content }, t);
  // v1 registered the keys; v2 (logged on 2027-01-10) ended the approver's key that day.
  const registered = '2026-11-30T23:59:00Z';
  const ended = '2027-01-10T00:00:00Z';
  const current = {
    ...registry,
    keys: registry.keys.map((k) => (k.keyId === approver.keyId ? { ...k, validUntil: ended } : k)),
  };
  const currentInc = regInc('2027-01-10T00:00:10Z', current);
  const record = (b: ReturnType<typeof bundle>) =>
    signatureRecord('draw', '120116', b.commitmentDigest, b.resultDigest, b.signOff);
  /**
   * What a verifier holds of a signed draw: the bundle, the registries and the sign-off's signature
   * record logged at `loggedAt` (or, with `publication`, the draw's own publication instead).
   */
  function published(
    b: ReturnType<typeof bundle>,
    loggedAt: string,
    leaf: { kind: string; content: unknown } = { kind: 'sign-off', content: record(b) },
  ) {
    const content = { algorithm: 'sr-draw/v2', bundle: b, registry };
    return {
      bundle: JSON.parse(JSON.stringify(b)) as unknown,
      content,
      options: {
        registry,
        registryInclusion: regInc(registered, registry),
        verifyRegistryInclusion: registryInclusionVerifier(trusted),
        signOffInclusion: inclusionOf(leaf, loggedAt) as unknown,
        signOffContentDigest: digestOf(content),
        verifySignOffInclusion: signOffInclusionVerifier(trusted),
        currentRegistry: current,
        currentRegistryInclusion: currentInc,
        currentRegistryHistory: [{ registry, inclusion: regInc(registered, registry) }] as unknown,
      },
    };
  }
  const line = (r: ReturnType<typeof verifyBundleV2>) => r.checks.find((c) => c.id === 'signOffLogTime');

  it('passes a sign-off logged while its key was valid, though the key ended since', () => {
    const { bundle: b, options } = published(bundle(), '2027-01-06T00:01:00Z');
    const r = verifyBundleV2(b, options);
    expect(line(r)).toMatchObject({ status: 'pass', params: { time: '2027-01-06T00:01:00Z' } });
    expect(r.ok).toBe(true);
    // A draw signed before signature records existed: its own publication's leaf, bound to the
    // content the verifier hashed, dates the sign-off instead.
    const b0 = bundle();
    const own = published(b0, '2027-01-06T00:01:00Z', {
      kind: 'draw',
      content: { algorithm: 'sr-draw/v2', bundle: b0, registry },
    });
    expect(line(verifyBundleV2(own.bundle, own.options))).toMatchObject({ status: 'pass' });
  });

  it('refuses a bundle re-signed with the ended key and dated back, beside the registry of before its end', () => {
    // The insider signs on 2027-01-12 with the leaked key, claims 2027-01-06 and publishes the old
    // registry with it: the registry given says the key was valid; the log says when it was public.
    const { bundle: b, options } = published(bundle(), '2027-01-12T08:00:00Z');
    const r = verifyBundleV2(b, options);
    expect(statusOf(r, 'signOff')).toBe('pass');
    expect(line(r)).toMatchObject({
      status: 'fail',
      params: { time: '2027-01-12T08:00:00Z', rule: 'window', problem: 'key' },
    });
    expect(line(r)!.message).toContain("the bureau's current registry");
    expect(r.ok).toBe(false);
    // Without the bureau's current registry the verifier cannot know: it warns, never passes.
    const { currentRegistry: _c, currentRegistryInclusion: _i, ...withoutCurrent } = options;
    const blind = verifyBundleV2(b, withoutCurrent);
    expect(line(blind)!.status).toBe('warn');
    expect(line(blind)!.message).toContain('no current registry');
  });

  it('refuses a key an earlier registry version ended, though a later one an insider published takes the end back', () => {
    // The insider re-signs on 2027-01-12 with the leaked key and publishes, on 2027-01-11, a
    // registry that holds it valid again: the given and the newest registry both say it was valid.
    const loosened = { ...current, keys: registry.keys };
    const { bundle: b, options } = published(bundle(), '2027-01-12T08:00:00Z');
    const history = [
      { registry, inclusion: regInc(registered, registry) },
      { registry: current, inclusion: currentInc },
    ];
    const insider = {
      ...options,
      currentRegistry: loosened,
      currentRegistryInclusion: regInc('2027-01-11T00:00:10Z', loosened),
    };
    const r = verifyBundleV2(b, { ...insider, currentRegistryHistory: history });
    expect(statusOf(r, 'signOff')).toBe('pass');
    expect(line(r)).toMatchObject({ status: 'fail', params: { rule: 'window', problem: 'key' } });
    expect(line(r)!.message).toContain(`logged at 2027-01-10T00:00:10Z ended the key at ${ended}`);
    expect(r.ok).toBe(false);
    // Still in no witnessed checkpoint, found after the end: fails already.
    const { signOffInclusion: _s, ...pending } = insider;
    const waiting = verifyBundleV2(b, {
      ...pending,
      currentRegistryHistory: history,
      signOffPendingAt: '2027-01-12T08:00:00Z',
    });
    expect(line(waiting)).toMatchObject({ status: 'fail', params: { problem: 'key' } });
    // The honest sign-off, logged before the end, passes under the same history.
    const honest = published(bundle(), '2027-01-06T00:01:00Z');
    expect(
      line(
        verifyBundleV2(honest.bundle, {
          ...insider,
          ...{ signOffInclusion: honest.options.signOffInclusion },
          currentRegistryHistory: history,
        }),
      )!.status,
    ).toBe('pass');
    // Without the earlier versions the verifier cannot see the end taken back: it warns, never passes.
    const { currentRegistryHistory: _h, ...blind } = insider;
    expect(line(verifyBundleV2(b, blind))!.status).toBe('warn');
    expect(line(verifyBundleV2(b, blind))!.message).toContain('earlier registry versions were not given');
    // A version whose proof is another content's, or history that is no list: refused, not skipped.
    const forgedProof = [{ registry: current, inclusion: regInc('2027-01-10T00:00:10Z', registry) }];
    expect(line(verifyBundleV2(b, { ...insider, currentRegistryHistory: forgedProof }))).toMatchObject({
      status: 'fail',
      params: { problem: 'proof' },
    });
    expect(line(verifyBundleV2(b, { ...insider, currentRegistryHistory: { registry } }))).toMatchObject({
      status: 'fail',
      params: { problem: 'proof' },
    });
    // A version not witnessed yet still counts its end, and the line warns that it is unproven.
    const pendingVersion = [{ registry: current, inclusion: null }];
    expect(line(verifyBundleV2(b, { ...insider, currentRegistryHistory: pendingVersion }))!.status).toBe(
      'fail',
    );
    expect(
      line(
        verifyBundleV2(honest.bundle, {
          ...insider,
          signOffInclusion: honest.options.signOffInclusion,
          currentRegistryHistory: pendingVersion,
        }),
      ),
    ).toMatchObject({ status: 'warn' });
  });

  it('reads no end from content logged as a registry that is none of the bureau’s, and refuses a list that leaves out the registry given', () => {
    const { bundle: b, options } = published(bundle(), '2027-01-12T08:00:00Z');
    const honest = published(bundle(), '2027-01-06T00:01:00Z');
    // An insider logs junk under the bureau as "key-registry": another bureau's registry (ending
    // every key at the epoch), null, a string. None is a registry of the bureau: no end counts.
    const junk = [
      {
        ...current,
        bureau: '999999',
        keys: current.keys.map((k) => ({ ...k, validUntil: '2000-01-01T00:00:00Z' })),
      },
      null,
      'not a registry',
    ].map((content) => ({ registry: content, inclusion: regInc('2027-01-11T00:00:10Z', content) }));
    const history = [{ registry, inclusion: regInc(registered, registry) }, ...junk];
    // The honest sign-off still passes: junk cannot fail every draw of the bureau for good.
    expect(
      line(verifyBundleV2(honest.bundle, { ...honest.options, currentRegistryHistory: history })),
    ).toMatchObject({ status: 'pass' });
    // The rigged one still fails by the current registry's end.
    expect(line(verifyBundleV2(b, { ...options, currentRegistryHistory: history }))).toMatchObject({
      status: 'fail',
      params: { problem: 'key' },
    });
    // Junk's content is still bound to its leaf: served as other content, the list fails.
    const swapped = [...history.slice(0, 1), { registry: current, inclusion: junk[1]!.inclusion }];
    expect(
      line(verifyBundleV2(honest.bundle, { ...honest.options, currentRegistryHistory: swapped })),
    ).toMatchObject({
      status: 'fail',
      params: { problem: 'proof' },
    });
    // Every version, yet without the registry the bundle came with (proven in the log): refused.
    expect(
      line(verifyBundleV2(honest.bundle, { ...honest.options, currentRegistryHistory: [] })),
    ).toMatchObject({ status: 'fail', params: { problem: 'proof' } });
    expect(
      line(verifyBundleV2(honest.bundle, { ...honest.options, currentRegistryHistory: [] }))!.message,
    ).toContain('leave out the registry given');
  });

  it('refuses another sign-off’s record, changed content, a missing record, a time far ahead, and another kind', () => {
    const b = bundle();
    const at = '2027-01-06T00:01:00Z';
    // The record logged is of another signature (the honest one), not the re-signed bundle's.
    const honest = record(b);
    const resigned = {
      ...b,
      signOff: signOff(
        approver.secretKey,
        APPROVER,
        '2027-01-06T00:00:01Z',
        b.commitmentDigest,
        b.resultDigest,
      ),
    };
    const other = published(resigned, at, { kind: 'sign-off', content: honest });
    expect(line(verifyBundleV2(other.bundle, other.options))).toMatchObject({
      status: 'fail',
      params: { problem: 'proof' },
    });
    expect(line(verifyBundleV2(other.bundle, other.options))!.message).toContain('digest differs');
    // The publication's content was rewritten after it was logged: its digest is not the leaf's.
    const rewritten = published(b, at, {
      kind: 'draw',
      content: { algorithm: 'sr-draw/v2', bundle: b, registry: current },
    });
    expect(line(verifyBundleV2(rewritten.bundle, rewritten.options))!.message).toContain('digest differs');
    // The log holds no record of it at all (not merely not yet witnessed).
    const missing = published(b, at);
    expect(
      line(verifyBundleV2(missing.bundle, { ...missing.options, signOffInclusion: null })),
    ).toMatchObject({
      status: 'fail',
      params: { problem: 'proof' },
    });
    // Signed "at" more than five minutes after it was in a witnessed checkpoint; a signer's clock
    // a little fast passes.
    const ahead = published(b, '2027-01-05T23:54:59Z');
    expect(line(verifyBundleV2(ahead.bundle, ahead.options))).toMatchObject({
      status: 'fail',
      params: { problem: 'late' },
    });
    const fast = published(b, '2027-01-05T23:58:00Z');
    expect(line(verifyBundleV2(fast.bundle, fast.options))!.status).toBe('pass');
    // A commitment leaf with the record's content is not the sign-off's.
    const wrongKind = published(b, at, { kind: 'commitment', content: record(b) });
    expect(line(verifyBundleV2(wrongKind.bundle, wrongKind.options))!.message).toContain(
      'not a sign-off or draw',
    );
    // One witness does not make it public.
    const lone = {
      ...missing.options,
      signOffInclusion: inclusionOf({ kind: 'sign-off', content: record(b) }, at, ws.slice(0, 1)),
    };
    expect(line(verifyBundleV2(missing.bundle, lone))!.status).toBe('fail');
  });

  it('refuses a key the current registry does not hold or a current registry the log does not hold; warns without its proof', () => {
    const { bundle: b, options } = published(bundle(), '2027-01-06T00:01:00Z');
    const without = { ...registry, keys: registry.keys.filter((k) => k.keyId !== approver.keyId) };
    const dropped = verifyBundleV2(b, {
      ...options,
      currentRegistry: without,
      currentRegistryInclusion: regInc('2027-01-10T00:00:10Z', without),
    });
    expect(line(dropped)).toMatchObject({ status: 'fail', params: { rule: 'key' } });
    // The newest registry's content put back to an older version's: its leaf says otherwise.
    const reverted = verifyBundleV2(b, { ...options, currentRegistry: registry });
    expect(line(reverted)).toMatchObject({ status: 'fail', params: { problem: 'proof' } });
    const { currentRegistryInclusion: _p, ...noRegistryProof } = options;
    const unproven = verifyBundleV2(b, noRegistryProof);
    expect(line(unproven)!.status).toBe('warn');
    expect(line(unproven)!.message).toContain('current registry is not proven');
    // Without the sign-off's proof the key is checked at signedAt: an ended key still fails then.
    const { signOffInclusion: _s, ...noProof } = options;
    expect(line(verifyBundleV2(b, noProof))!.status).toBe('warn');
    const late = bundle();
    const resigned = {
      ...late,
      signOff: signOff(
        approver.secretKey,
        APPROVER,
        '2027-01-11T00:00:00Z',
        late.commitmentDigest,
        late.resultDigest,
      ),
    };
    const r = verifyBundleV2(JSON.parse(JSON.stringify(resigned)), { ...noProof, registry: current });
    expect(statusOf(r, 'signOff')).toBe('fail');
    expect(line(r)!.status).toBe('fail');
  });

  it('refuses a sign-off whose record is in no witnessed checkpoint yet once its key has ended (waiting changes nothing)', () => {
    const { bundle: b, options } = published(bundle(), '2027-01-06T00:01:00Z');
    const { signOffInclusion: _s, ...pending } = options;
    // Found unwitnessed after the key's end (2027-01-10): its log time can only be later.
    const late = verifyBundleV2(b, { ...pending, signOffPendingAt: '2027-01-12T08:00:00Z' });
    expect(line(late)).toMatchObject({ status: 'fail', params: { problem: 'key', rule: 'window' } });
    expect(line(late)!.message).toContain('no witnessed checkpoint yet');
    // Found unwitnessed while the key was valid: not proven yet, a warning.
    const early = verifyBundleV2(b, { ...pending, signOffPendingAt: '2027-01-06T00:00:30Z' });
    expect(line(early)!.status).toBe('warn');
    // Within the witnesses' 30 s of the end: a checkpoint before it may still be co-signed.
    const edge = verifyBundleV2(b, { ...pending, signOffPendingAt: '2027-01-10T00:00:20Z' });
    expect(line(edge)!.status).toBe('warn');
  });

  describe('a signature record on its own (the portal’s page of a record, signatureRecordLine)', () => {
    /** What the page holds of a record logged at `loggedAt`: the record and the bureau's registries with proofs. */
    const onItsOwn = (content: unknown, loggedAt: string) => ({
      verifySignOffInclusion: signOffInclusionVerifier(trusted),
      signOffInclusion: inclusionOf(
        { kind: (content as { of?: unknown } | null)?.of === 'void' ? 'void-sign-off' : 'sign-off', content },
        loggedAt,
      ) as unknown,
      verifyRegistryInclusion: registryInclusionVerifier(trusted),
      currentRegistry: current as unknown,
      currentRegistryInclusion: currentInc as unknown,
      currentRegistryHistory: [{ registry, inclusion: regInc(registered, registry) }] as unknown,
    });
    const status = (l: ReturnType<typeof signatureRecordLine>) => [l.status, l.params.problem ?? null];

    it('passes the official’s record logged while the key was valid, though the key ended since', () => {
      const rec = record(bundle());
      expect(status(signatureRecordLine(rec, onItsOwn(rec, '2027-01-06T00:01:00Z')))).toEqual(['pass', null]);
    });

    it('refuses what an insider can log: the leaked key after its end, an unregistered key, a false time', () => {
      const rec = record(bundle());
      // The record of a sign-off made with the leaked key once it had ended, dated back.
      expect(signatureRecordLine(rec, onItsOwn(rec, '2027-01-12T08:00:00Z'))).toMatchObject({
        status: 'fail',
        params: { problem: 'key', rule: 'window' },
      });
      // A key no registry holds, naming the approver.
      const b = bundle();
      const forged = signatureRecord(
        'draw',
        '120116',
        b.commitmentDigest,
        b.resultDigest,
        signOff(attacker.secretKey, APPROVER, '2027-01-06T00:00:00Z', b.commitmentDigest, b.resultDigest),
      );
      expect(signatureRecordLine(forged, onItsOwn(forged, '2027-01-06T00:01:00Z'))).toMatchObject({
        status: 'fail',
        params: { problem: 'key', rule: 'key' },
      });
      // The registry the page reads edited to hold that key: its content is not what the log holds.
      const edited = {
        ...current,
        keys: [
          ...current.keys,
          { ...current.keys[0]!, keyId: attacker.keyId, publicKey: attacker.publicKey },
        ],
      };
      expect(
        signatureRecordLine(forged, { ...onItsOwn(forged, '2027-01-06T00:01:00Z'), currentRegistry: edited }),
      ).toMatchObject({ status: 'fail', params: { problem: 'proof' } });
      // Signed (says the record) long after it was logged.
      const late = { ...rec, signature: { ...rec.signature, signedAt: '2027-01-09T00:00:00Z' } };
      expect(signatureRecordLine(late, onItsOwn(late, '2027-01-06T00:01:00Z')).params.problem).toBe('late');
      // The digests changed after signing.
      const changed = { ...rec, resultDigest: 'e'.repeat(64) };
      expect(signatureRecordLine(changed, onItsOwn(changed, '2027-01-06T00:01:00Z'))).toMatchObject({
        status: 'fail',
        params: { problem: 'key', rule: 'signature' },
      });
      // No registry of the bureau in the log: no key is the bureau's.
      const {
        currentRegistry: _r,
        currentRegistryInclusion: _ri,
        ...noRegistry
      } = onItsOwn(rec, '2027-01-06T00:01:00Z');
      expect(signatureRecordLine(rec, noRegistry)).toMatchObject({
        status: 'fail',
        params: { problem: 'key', rule: 'key' },
      });
      // Without the record's own proof it is checked at its signing time, never passed.
      const { signOffInclusion: _p, ...unproven } = onItsOwn(rec, '2027-01-06T00:01:00Z');
      expect(signatureRecordLine(rec, unproven).status).toBe('warn');
    });

    it('refuses an honest record copied under another draw, or under a draw with no commitment', () => {
      const rec = record(bundle());
      const opts = onItsOwn(rec, '2027-01-06T00:01:00Z');
      expect(status(signatureRecordLine(rec, opts, { commitmentDigest: rec.commitmentDigest }))).toEqual([
        'pass',
        null,
      ]);
      // Logged under another draw's id: a valid signature, but of the draw whose commitment it names.
      const other = signatureRecordLine(rec, opts, { commitmentDigest: 'c'.repeat(64) });
      expect(status(other)).toEqual(['fail', 'draw']);
      expect(other.message).toContain(rec.commitmentDigest);
      expect(status(signatureRecordLine(rec, opts, { commitmentDigest: null }))).toEqual(['fail', 'draw']);
      // A void record too: it names the commitment it voids.
      const b = bundle();
      const env = signVoid(approver.secretKey, APPROVER, '2027-01-06T00:00:00Z', {
        commitmentDigest: b.commitmentDigest,
        reason: 'source-failed',
        requestedBy: SECOND.id,
      });
      const voided = signatureRecord('void', '120116', b.commitmentDigest, null, env);
      const vOpts = onItsOwn(voided, '2027-01-06T00:01:00Z');
      expect(status(signatureRecordLine(voided, vOpts, { commitmentDigest: 'c'.repeat(64) }))).toEqual([
        'fail',
        'draw',
      ]);
    });

    it('refuses a void its requester signed, and content spelt otherwise than a record', () => {
      const b = bundle();
      const envelope = (requestedBy: string) =>
        signVoid(approver.secretKey, APPROVER, '2027-01-06T00:00:00Z', {
          commitmentDigest: b.commitmentDigest,
          reason: 'source-failed',
          requestedBy,
        });
      const ok = signatureRecord('void', '120116', b.commitmentDigest, null, envelope(SECOND.id));
      expect(status(signatureRecordLine(ok, onItsOwn(ok, '2027-01-06T00:01:00Z')))).toEqual(['pass', null]);
      const own = signatureRecord('void', '120116', b.commitmentDigest, null, envelope(APPROVER.id));
      expect(status(signatureRecordLine(own, onItsOwn(own, '2027-01-06T00:01:00Z')))).toEqual([
        'fail',
        'requester',
      ]);
      const rec = record(b);
      const upper = {
        ...rec,
        signature: { ...rec.signature, signature: rec.signature.signature.toUpperCase() },
      };
      for (const bad of [
        null,
        'x',
        {},
        upper,
        { ...rec, spec: 'sr-draw/v2' },
        { ...rec, of: 'void' },
        { ...rec, resultDigest: null },
        { ...rec, signature: { ...rec.signature, signedAt: '2027-01-06T00:00:00.000Z' } },
      ])
        expect(status(signatureRecordLine(bad, onItsOwn(bad, '2027-01-06T00:01:00Z')))).toEqual([
          'fail',
          'record',
        ]);
    });
  });

  it('says the log time was not checked when nothing of it is given (a bundle checked on its own)', () => {
    const r = verifyBundleV2(JSON.parse(JSON.stringify(bundle())), { registry });
    expect(line(r)).toMatchObject({ status: 'warn' });
    expect(line(r)!.message).toMatch(/^sign-off log time not checked/);
    expect(r.ok).toBe(true);
  });
});

describe('sr-draw/v2 voided bundles carry their commitment time (§9.1, §9.4)', () => {
  const verify = commitmentInclusionVerifier(trusted);
  const registered = '2026-11-30T23:59:00Z';
  function voided(withValues: boolean) {
    const b = bundle();
    const { result: _r, resultDigest: _d, signOff: _s, randomness, ...inputs } = b;
    const env = signVoid(second.secretKey, SECOND, '2027-01-04T09:02:00Z', {
      commitmentDigest: b.commitmentDigest,
      reason: 'source-late',
      requestedBy: APPROVER.id,
    });
    return buildVoidedBundle(inputs, withValues ? randomness.values : null, env);
  }
  const line = (r: ReturnType<typeof verifyVoidedBundleV2>) =>
    r.checks.find((c) => c.id === 'commitmentTime');

  for (const withValues of [false, true])
    it(`proves a void's commitment time ${withValues ? 'with' : 'before'} its values, and refuses a late one`, () => {
      const v = voided(withValues);
      const time = isoSeconds(Date.parse(COMMITTED_AT));
      const opts = {
        registry,
        verifyInclusion: verify,
        registryInclusion: inclusionOf({ kind: 'key-registry', content: registry }, registered),
        verifyRegistryInclusion: registryInclusionVerifier(trusted),
      };
      const proven = verifyVoidedBundleV2(
        JSON.parse(JSON.stringify({ ...v, inclusion: inclusionFor(v.commitmentDigest, time) })),
        opts,
      );
      expect(line(proven)).toMatchObject({ status: 'pass' });
      expect(proven.checks.filter((c) => c.status === 'fail')).toEqual([]);
      expect(proven.checks.find((c) => c.id === 'registryEntries')!.status).toBe('pass');
      // The proof is not part of the attempt: the next attempt's bundleDigest is the same.
      expect(voidedBundleDigest({ ...v, inclusion: inclusionFor(v.commitmentDigest, time) })).toBe(
        voidedBundleDigest(v),
      );
      // Logged only after the round existed: refused.
      const after = isoSeconds(Date.parse(COMMITTED_AT) + 3600_000);
      const late = verifyVoidedBundleV2(
        JSON.parse(JSON.stringify({ ...v, inclusion: inclusionFor(v.commitmentDigest, after) })),
        opts,
      );
      expect(line(late)!.status).toBe('fail');
      expect(late.ok).toBe(false);
      // Another commitment's proof: refused.
      const other = verifyVoidedBundleV2(
        JSON.parse(JSON.stringify({ ...v, inclusion: inclusionFor('cd'.repeat(32), time) })),
        opts,
      );
      expect(line(other)!.status).toBe('fail');
      // No proof: the line says so.
      const bare = verifyVoidedBundleV2(JSON.parse(JSON.stringify(v)), opts);
      expect(line(bare)).toMatchObject({ status: 'warn' });
      expect(line(bare)!.message).toContain('commitment time not proven');
    });
});
