// Runs the real `spotcheck` CLI (apps/cli via tsx) on sr-draw/v2: conformance modes and verify.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedBundle, registry as demoRegistry, makeCaseV2, second, SECOND } from '@spotcheck/core/testing';
import { signVoid, buildVoidedBundle, digestOf, toHex, voidedBundleDigest } from '@spotcheck/core';
import {
  cosignCheckpoint,
  generateLogKeyPair,
  hashLeaf,
  inclusionProof,
  leafBytes,
  publicationLeaf,
  signCheckpoint,
  treeRoot,
  type LogInclusion,
} from '@spotcheck/core/log';

const root = join(import.meta.dirname, '..', '..');
interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI; all runs start at once in beforeAll, since each costs ~2 s of tsx start-up. */
const run = (args: string[], input?: string): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'apps/cli/src/index.ts'), ...args],
      { cwd: root },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });

const QUICKNET = '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971';
const SIG =
  'b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b';
const example = join(root, 'test/vectors/sr-draw-v2-example.json');
const keys = join(root, 'test/vectors/sr-draw-v2-example-keys.json');
const dir = mkdtempSync(join(tmpdir(), 'spotcheck-cli-v2-'));
let runs: Record<string, Run>;
const bundle = JSON.parse(readFileSync(example, 'utf8'));

beforeAll(async () => {
  const tampered = JSON.parse(readFileSync(example, 'utf8'));
  tampered.result.selected[0].team.reverse();
  writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
  const text = readFileSync(example, 'utf8');
  writeFileSync(
    join(dir, 'dup.json'),
    text.replace('"algorithm":', '"algorithm": "sr-draw/v2", "algorithm":'),
  );
  // A draw on the unpinned demo beacon of the test fixtures.
  const demo = signedBundle(
    makeCaseV2({
      units: Array.from({ length: 8 }, (_, i) => ({
        n: 50 + i,
        stratum: 0,
        weight: 1,
        mandatory: false,
        specialty: 9,
        expert: false,
      })),
      excluded: [],
      strata: [{ method: 'srs', quota: 2 }],
      inspectors: Array.from({ length: 4 }, () => ({
        capacity: 2,
        specialties: [false, false, false],
        excluded: [],
      })),
      experts: [],
      team: { assign: true, size: 2, specialist: false },
      kl8: [],
    }),
  );
  writeFileSync(join(dir, 'demo.json'), JSON.stringify(demo));
  writeFileSync(join(dir, 'demo-keys.json'), JSON.stringify(demoRegistry));
  // The portal's download: {bundle (with its commitment's inclusion proof), registry, witnesses}.
  const registryDoc = JSON.parse(readFileSync(keys, 'utf8'));
  const log = generateLogKeyPair();
  const ws = [1, 2].map((i) => ({ name: `witness-${i}`, ...generateLogKeyPair() }));
  const leaf = publicationLeaf({
    id: '00000000-0000-4000-8000-000000000001',
    bureauCode: bundle.commitment.plan.bureau,
    kind: 'commitment',
    refId: 'draw-1',
    period: null,
    title: 'commitment',
    digest: 'ab'.repeat(32),
    content: { commitmentDigest: bundle.commitmentDigest },
    replacesId: null,
    publishedAt: bundle.commitment.committedAt,
  });
  const other = publicationLeaf({
    ...leaf,
    id: '00000000-0000-4000-8000-000000000002',
    kind: 'checklist',
    refId: 'c',
    digest: 'cd'.repeat(32),
    content: {},
    publishedAt: bundle.commitment.committedAt,
  });
  const hashes = [other, leaf].map((l) => hashLeaf(leafBytes(l)));
  const cp = {
    origin: 'spotcheck.test/log',
    size: 2,
    rootHash: toHex(treeRoot(hashes)),
    time: bundle.commitment.committedAt,
  };
  const inclusion: LogInclusion = {
    spec: 'spotcheck/log-inclusion/v1',
    leaf,
    leafIndex: 1,
    proof: inclusionProof(hashes, 1).map(toHex),
    checkpoint: {
      ...cp,
      logKey: log.publicKey,
      signature: signCheckpoint(cp, log.secretKey),
      cosignatures: ws.map((w) => cosignCheckpoint(cp, w, cp.time)),
    },
  };
  const witnesses = {
    spec: 'spotcheck/log-witnesses/v1',
    witnesses: ws.map((w) => ({ name: w.name, label: w.name, publicKey: w.publicKey })),
  };
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      bundle: { ...bundle, inclusion },
      registry: registryDoc,
      witnesses: witnesses.witnesses,
    }),
  );
  // §9.7: the registry's own log proof. Logged before its keys' validFrom (2023-09-01): every
  // entry proven; logged only at the commitment: the signing key was back-dated.
  const registryInclusionAt = (time: string): LogInclusion => {
    const regLeaf = publicationLeaf({
      id: '00000000-0000-4000-8000-000000000003',
      bureauCode: registryDoc.bureau,
      kind: 'key-registry',
      refId: registryDoc.bureau,
      period: null,
      title: 'key registry',
      digest: digestOf(registryDoc),
      content: registryDoc,
      replacesId: null,
      publishedAt: time,
    });
    const hs = [other, regLeaf].map((l) => hashLeaf(leafBytes(l)));
    const c = { origin: 'spotcheck.test/log', size: 2, rootHash: toHex(treeRoot(hs)), time };
    return {
      spec: 'spotcheck/log-inclusion/v1',
      leaf: regLeaf,
      leafIndex: 1,
      proof: inclusionProof(hs, 1).map(toHex),
      checkpoint: {
        ...c,
        logKey: log.publicKey,
        signature: signCheckpoint(c, log.secretKey),
        cosignatures: ws.map((w) => cosignCheckpoint(c, w, time)),
      },
    };
  };
  for (const [name, time] of [
    ['package-keys-logged.json', '2023-08-31T00:00:00Z'],
    ['package-backdated.json', bundle.commitment.committedAt],
  ] as const)
    writeFileSync(
      join(dir, name),
      JSON.stringify({
        bundle: { ...bundle, inclusion },
        registry: registryDoc,
        registryInclusion: registryInclusionAt(time),
        witnesses: witnesses.witnesses,
      }),
    );
  // §9.4: a voided attempt's bundle (voided before its values existed) with its commitment's proof.
  {
    const { result: _r, resultDigest: _d, signOff: _s, inclusion: _i, randomness: _x, ...attempt } = bundle;
    const env = signVoid(second.secretKey, SECOND, bundle.commitment.committedAt, {
      commitmentDigest: bundle.commitmentDigest,
      reason: 'frame-error',
      requestedBy: 'bh-operator-01',
    });
    const voided = buildVoidedBundle(attempt, null, env);
    writeFileSync(
      join(dir, 'void-package.json'),
      JSON.stringify({ bundle: { ...voided, inclusion }, witnesses: witnesses.witnesses }),
    );
    writeFileSync(join(dir, 'void-bare.json'), JSON.stringify({ bundle: voided }));
    // A covert plan's void before execution (R10): the signed void and digests, no rows; and one
    // whose void names another commitment than the one it stands for.
    const c = voided.commitment;
    const sealed = {
      algorithm: 'sr-draw/v2',
      sealed: true,
      commitmentDigest: voided.commitmentDigest,
      commitment: {
        algorithm: c.algorithm,
        plan: { ...c.plan, kind: 'covert' },
        sources: c.sources,
        previous: c.previous,
        committedAt: c.committedAt,
      },
      randomness: null,
      resultDigest: null,
      bundleDigest: voidedBundleDigest(voided),
      void: env,
    };
    writeFileSync(join(dir, 'void-sealed.json'), JSON.stringify(sealed));
    writeFileSync(
      join(dir, 'void-sealed-other.json'),
      JSON.stringify({ ...sealed, commitmentDigest: 'ab'.repeat(32) }),
    );
    // A plan that is not covert may not withhold its voided attempt's rows.
    writeFileSync(
      join(dir, 'void-sealed-general.json'),
      JSON.stringify({
        ...sealed,
        commitment: { ...sealed.commitment, plan: { ...c.plan, kind: 'general' } },
      }),
    );
  }
  writeFileSync(
    join(dir, 'package-attacker.json'),
    JSON.stringify({ bundle, registry: { ...registryDoc, keys: [] } }),
  );
  writeFileSync(
    join(dir, 'strangers.json'),
    JSON.stringify({
      spec: 'spotcheck/log-witnesses/v1',
      witnesses: [{ name: 'witness-1', publicKey: generateLogKeyPair().publicKey }],
    }),
  );
  const { result: _r, resultDigest: _d, signOff: _s, ...inputs } = bundle;
  const jobs: Record<string, () => Promise<Run>> = {
    drand: () =>
      run(['conformance', 'drand'], JSON.stringify({ chain: QUICKNET, round: 657413, signature: SIG })),
    lotteryBad: () =>
      run(
        ['conformance', 'lottery'],
        JSON.stringify({ game: 'cwl-ssq', value: [[3, 7, 12, 19, 25, 31], [17]] }),
      ),
    shuffleDup: () =>
      run(['conformance', 'shuffle'], '{"key":"' + 'ab'.repeat(32) + '","ids":["a"],"ids":["b"]}'),
    complete: () => run(['conformance', 'sr-draw-v2'], JSON.stringify(inputs)),
    ok: () => run(['verify', example, '--keys', keys, '--production']),
    progress: () => run(['verify', example, '--keys', keys, '--production', '--progress']),
    noKeys: () => run(['verify', example]),
    tampered: () => run(['verify', join(dir, 'tampered.json'), '--keys', keys]),
    dup: () => run(['verify', join(dir, 'dup.json')]),
    demo: () => run(['verify', join(dir, 'demo.json'), '--keys', join(dir, 'demo-keys.json')]),
    demoProduction: () => run(['verify', join(dir, 'demo.json'), '--production']),
    v1: () => run(['verify', join(root, 'test/vectors/sr-draw-v1-example.json')]),
    pkg: () => run(['verify', join(dir, 'package.json'), '--production']),
    pkgAttacker: () => run(['verify', join(dir, 'package-attacker.json')]),
    pkgKeysLogged: () => run(['verify', join(dir, 'package-keys-logged.json')]),
    pkgBackdated: () => run(['verify', join(dir, 'package-backdated.json')]),
    voidPkg: () => run(['verify', join(dir, 'void-package.json')]),
    voidBare: () => run(['verify', join(dir, 'void-bare.json')]),
    voidSealed: () => run(['verify', join(dir, 'void-sealed.json')]),
    voidSealedOther: () => run(['verify', join(dir, 'void-sealed-other.json')]),
    voidSealedGeneral: () => run(['verify', join(dir, 'void-sealed-general.json')]),
    pkgStrangers: () =>
      run(['verify', join(dir, 'package.json'), '--witnesses', join(dir, 'strangers.json')]),
  };
  // At most four CLI processes at a time: a loaded 2-core machine thrashes with more.
  runs = {};
  const queue = Object.entries(jobs);
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) runs[job[0]] = await job[1]();
    }),
  );
}, 600_000);

describe('spotcheck conformance (sr-draw/v2 modes)', () => {
  it('drand: the quicknet vector verifies', () => {
    expect(JSON.parse(runs.drand!.stdout)).toEqual({
      valid: true,
      randomness: 'fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587',
      roundTime: '2023-09-15T11:00:03Z',
    });
  });

  it('lottery: a malformed value exits non-zero naming the problem', () => {
    expect(runs.lotteryBad!.status).not.toBe(0);
    expect(runs.lotteryBad!.stderr).toMatch(/group 2, number 1: 17 is outside 1–16/);
  });

  it('shuffle: duplicate JSON keys on stdin are refused', () => {
    expect(runs.shuffleDup!.status).not.toBe(0);
    expect(runs.shuffleDup!.stderr).toMatch(/duplicate key "ids"/);
  });

  it('sr-draw-v2: completes the example’s inputs into its result and digest', () => {
    const out = JSON.parse(runs.complete!.stdout);
    expect(out.result).toEqual(bundle.result);
    expect(out.resultDigest).toBe(bundle.resultDigest);
  });
});

describe('spotcheck verify (sr-draw/v2)', () => {
  it('prints one line per check and exits 0 for the example with its registry', () => {
    const r = runs.ok!;
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/PASS {2}source\.0\.drand\.signature/);
    expect(r.stdout).toMatch(/PASS {2}signOff {3}/);
    expect(r.stdout).toContain('lottery values not checked');
    expect(r.stdout).toContain('commitment time not proven');
    expect(r.stdout).toMatch(/\nverified/);
  });

  it('with --progress says each step on stderr as it begins, and prints the same report', () => {
    const r = runs.progress!;
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      runs.ok!.stdout.replace(/recomputed in \d+ ms/, r.stdout.match(/recomputed in \d+ ms/)![0]),
    );
    const steps = r.stderr.trim().split('\n');
    expect(steps.map((l) => l.replace(/ \(\d+\.\d s\)$/, ''))).toEqual([
      `spotcheck verify: reading ${example} strictly (duplicate keys refused)`,
      'spotcheck verify: checking the bundle is well formed',
      'spotcheck verify: hashing the commitment, frame, exclusions and people',
      'spotcheck verify: checking the randomness sources and the commitment time',
      'spotcheck verify: checking the plan was feasible',
      'spotcheck verify: recomputing the draw',
      'spotcheck verify: checking the sign-off against the key registry',
    ]);
    // Without a terminal and without --progress, stderr stays quiet.
    expect(runs.ok!.stderr).toBe('');
  });

  it('without --keys the draw verifies and says "signer not checked"', () => {
    expect(runs.noKeys!.status).toBe(0);
    expect(runs.noKeys!.stdout).toContain('signer not checked');
  });

  it('exits 1 for a tampered result or duplicate keys', () => {
    expect(runs.tampered!.status).toBe(1);
    expect(runs.tampered!.stdout).toMatch(/FAIL {2}result .*team\[0\]/);
    expect(runs.tampered!.stdout).toMatch(/NOT verified: 1 check failed/);
    expect(runs.dup!.status).toBe(1);
    expect(runs.dup!.stdout).toMatch(/FAIL {2}parse .*duplicate key "algorithm"/);
  });

  it('says "unpinned beacon" for a demo beacon, and --production refuses it', () => {
    expect(runs.demo!.status).toBe(0);
    expect(runs.demo!.stdout).toContain('unpinned beacon');
    expect(runs.demoProduction!.status).toBe(1);
    expect(runs.demoProduction!.stdout).toMatch(/FAIL {2}source\.0\.drand\.chain .*unpinned beacon/);
  });

  it("takes the portal's download {bundle, registry, witnesses}: signer checked, commitment time proven", () => {
    const r = runs.pkg!;
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/PASS {2}signOff {3}/);
    expect(r.stdout).toMatch(/PASS {2}commitmentTime .*proven by the log/);
    expect(r.stdout).not.toContain('commitment time not proven');
    expect(r.stdout).not.toContain('signer not checked');
    // The registry beside the bundle is the one checked: a registry without the key refuses it.
    expect(runs.pkgAttacker!.status).toBe(1);
    expect(runs.pkgAttacker!.stdout).toMatch(/FAIL {2}signOff /);
  });

  it('checks every registry entry against its own log time: a back-dated signing key is refused (§9.7)', () => {
    expect(runs.pkgKeysLogged!.stderr).toBe('');
    expect(runs.pkgKeysLogged!.status).toBe(0);
    expect(runs.pkgKeysLogged!.stdout).toMatch(/PASS {2}registryEntries .*not earlier than its own log time/);
    expect(runs.pkgBackdated!.status).toBe(1);
    expect(runs.pkgBackdated!.stdout).toMatch(/FAIL {2}registryEntries .*back-dated/);
    expect(runs.pkg!.stdout).toMatch(/WARN {2}registryEntries .*not proven/);
  });

  it("verifies a voided attempt's bundle, its commitment time proven by its inclusion (§9.4)", () => {
    expect(runs.voidPkg!.stderr).toBe('');
    expect(runs.voidPkg!.status).toBe(0);
    expect(runs.voidPkg!.stdout).toMatch(/PASS {2}commitmentTime .*proven by the log/);
    expect(runs.voidPkg!.stdout).toMatch(/WARN {2}void .*signer not checked/);
    expect(runs.voidBare!.status).toBe(0);
    expect(runs.voidBare!.stdout).toContain('commitment time not proven');
  });

  it("verifies a covert plan's sealed void: its signed void now, its rows once executed (R10)", () => {
    expect(runs.voidSealed!.stderr).toBe('');
    expect(runs.voidSealed!.status).toBe(0);
    expect(runs.voidSealed!.stdout).toMatch(
      /INFO {2}sealed .*published, and checked, once the plan is executed/,
    );
    expect(runs.voidSealed!.stdout).toMatch(/WARN {2}void .*signer not checked/);
    expect(runs.voidSealedOther!.status).toBe(1);
    expect(runs.voidSealedOther!.stdout).toMatch(/FAIL {2}void .*the void names commitment/);
    expect(runs.voidSealedGeneral!.status).toBe(1);
    expect(runs.voidSealedGeneral!.stdout).toMatch(/FAIL {2}parse .*only a covert plan's void is sealed/);
  });

  it('--witnesses replaces the witnesses beside the bundle: unknown co-signers prove nothing', () => {
    expect(runs.pkgStrangers!.status).toBe(1);
    expect(runs.pkgStrangers!.stdout).toMatch(/FAIL {2}commitmentTime .*valid co-signature/);
  });

  it('still verifies sr-draw/v1 bundles as before', () => {
    expect(runs.v1!.status).toBe(0);
    expect(runs.v1!.stdout).toMatch(/^verified\n/);
  });
});
