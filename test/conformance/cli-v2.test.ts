// Runs the real `spotcheck` CLI (apps/cli via tsx) on sr-draw/v2: conformance modes and verify.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  signedBundle,
  registry as demoRegistry,
  makeCaseV2,
} from '../../packages/core/src/draw/v2/testing/fixtures';

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
    noKeys: () => run(['verify', example]),
    tampered: () => run(['verify', join(dir, 'tampered.json'), '--keys', keys]),
    dup: () => run(['verify', join(dir, 'dup.json')]),
    demo: () => run(['verify', join(dir, 'demo.json'), '--keys', join(dir, 'demo-keys.json')]),
    demoProduction: () => run(['verify', join(dir, 'demo.json'), '--production']),
    v1: () => run(['verify', join(root, 'test/vectors/sr-draw-v1-example.json')]),
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

  it('still verifies sr-draw/v1 bundles as before', () => {
    expect(runs.v1!.status).toBe(0);
    expect(runs.v1!.stdout).toMatch(/^verified\n/);
  });
});
