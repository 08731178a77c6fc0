// Runs the real `spotcheck` CLI (apps/cli via tsx) as a subprocess.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import rfcVector from '../vectors/rfc3797-section6.json' with { type: 'json' };

const root = join(import.meta.dirname, '..', '..');
interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI; all runs are started at once in beforeAll, since each costs ~2 s of tsx start-up. */
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

const example = join(root, 'test/vectors/sr-draw-v1-example.json');
const dir = mkdtempSync(join(tmpdir(), 'spotcheck-cli-'));
const c = rfcVector.cases[0]!;
let runs: Record<string, Run>;

beforeAll(async () => {
  const tampered = JSON.parse(readFileSync(example, 'utf8'));
  tampered.result.selected[1].team.reverse();
  writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
  const split = JSON.parse(readFileSync(example, 'utf8'));
  writeFileSync(join(dir, 'frame.json'), JSON.stringify(split.frame));
  delete split.frame;
  writeFileSync(join(dir, 'split.json'), JSON.stringify(split));
  writeFileSync(join(dir, 'broken.json'), '{"algorithm": ');
  const jobs: Record<string, Promise<Run>> = {
    rfc: run(
      ['conformance', 'rfc3797'],
      JSON.stringify({ pool: c.pool_names_in_published_order, sources: c.sources_as_published, count: 10 }),
    ),
    bad: run(['conformance', 'rfc3797'], '{"pool": [1], "sources": [[1]], "count": 1}'),
    ok: run(['verify', example]),
    tampered: run(['verify', join(dir, 'tampered.json')]),
    split: run(['verify', join(dir, 'split.json'), '--frame', join(dir, 'frame.json'), '--backend', 'node']),
    broken: run(['verify', join(dir, 'broken.json')]),
  };
  runs = Object.fromEntries(
    await Promise.all(Object.entries(jobs).map(async ([k, p]) => [k, await p] as const)),
  );
}, 120_000);

describe('spotcheck conformance', () => {
  it('rfc3797 reads stdin and writes the selection on stdout', () => {
    const r = runs.rfc!;
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      keyString: c.expected_key_string,
      selected: c.expected_first_ten_names,
    });
  });

  it('bad input gives one line on stderr and exit 2', () => {
    const r = runs.bad!;
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('spotcheck conformance: input.pool[0]: expected a string, got 1\n');
  });
});

describe('spotcheck verify', () => {
  it('exits 0 with "verified" and a summary for a good bundle', () => {
    const r = runs.ok!;
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^verified\n/);
    expect(r.stdout).toContain('binhai-2027-q1-general');
    expect(r.stdout).toContain('12 units in 2 strata');
  });

  it('exits 1 with the first mismatch for a tampered bundle', () => {
    const r = runs.tampered!;
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /^NOT verified: result mismatch at result\.selected\[1\] \(unit 91120116MA0007022U\)\.team\[0\]/,
    );
  });

  it('accepts a frame published as a separate file', () => {
    expect(runs.split!.status).toBe(0);
    expect(runs.split!.stdout).toMatch(/^verified\n/);
  });

  it('explains an invalid file on stderr with exit 2', () => {
    expect(runs.broken!.status).toBe(2);
    expect(runs.broken!.stderr).toMatch(/broken\.json is not valid JSON/);
  });
});
