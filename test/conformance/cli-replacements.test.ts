// Runs the real `spotcheck verify-replacements` (apps/cli via tsx) on published §9.6 records.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nextReplacementV2, type ReplacementRecordV2 } from '@spotcheck/core';
import { makeCaseV2, registry, signedBundle } from '@spotcheck/core/testing';

const root = join(import.meta.dirname, '..', '..');
interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
const run = (args: string[]): Promise<Run> =>
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
    child.stdin.end('');
  });

const c = makeCaseV2({
  units: Array.from({ length: 10 }, (_, i) => ({
    n: 700 + i,
    stratum: 0,
    weight: 1,
    mandatory: false,
    specialty: 9,
    expert: false,
  })),
  excluded: [],
  strata: [{ method: 'srs', quota: 3 }],
  inspectors: Array.from({ length: 7 }, () => ({
    capacity: 3,
    specialties: [false, false, false],
    excluded: [],
  })),
  experts: [
    { capacity: 2, specialties: [false, false, false], excluded: [] },
    { capacity: 2, specialties: [false, false, false], excluded: [] },
  ],
  team: { assign: true, size: 2, specialist: false },
  kl8: [11],
});
const bundle = signedBundle(c);
const first = bundle.result.selected[0]!;
const record = nextReplacementV2(bundle, [], {
  unit: first.unit,
  out: first.team[0]!,
  reason: 'unavailable',
  recordedAt: '2027-01-08T02:00:00Z',
});
const dir = mkdtempSync(join(tmpdir(), 'spotcheck-cli-repl-'));
const file = (name: string, value: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(value));
  return p;
};
let runs: Record<string, Run>;

beforeAll(async () => {
  const b = file('bundle.json', bundle);
  const keys = file('registry.json', registry);
  const chosen = bundle.inspectors
    .map((r) => r[0])
    .find((id) => id !== record.in && !first.team.includes(id))!;
  const tamperedDraw = JSON.parse(JSON.stringify(bundle));
  tamperedDraw.result.selected[0].team.reverse();
  const [good, forged, draw, missing] = await Promise.all([
    run(['verify-replacements', b, file('good.json', [record]), '--keys', keys]),
    run([
      'verify-replacements',
      b,
      file('forged.json', [{ ...record, in: chosen } satisfies ReplacementRecordV2]),
    ]),
    run(['verify-replacements', file('tampered.json', tamperedDraw), file('good2.json', [record])]),
    run(['verify-replacements', b, join(dir, 'nope.json')]),
  ]);
  runs = { good, forged, draw, missing };
}, 120_000);

describe('spotcheck verify-replacements', () => {
  it('passes records that follow the committed shuffle, one line per record', () => {
    expect(runs.good!.status).toBe(0);
    expect(runs.good!.stdout).toMatch(
      /PASS\s+replacement\.1\s+record 1: .* → .* is the next eligible inspector/,
    );
    expect(runs.good!.stdout).toContain('replacements verified');
  });
  it('fails a record naming a replacement of someone’s choosing, saying who it must be', () => {
    expect(runs.forged!.status).toBe(1);
    expect(runs.forged!.stdout).toContain(`must be replaced by ${record.in}`);
  });
  it('refuses to check replacements of a draw that does not verify, and exits 2 on a missing file', () => {
    expect(runs.draw!.status).toBe(1);
    expect(runs.draw!.stdout).toContain('the draw itself does not verify');
    expect(runs.missing!.status).toBe(2);
    expect(runs.missing!.stderr).toContain('no such file');
  });
});
