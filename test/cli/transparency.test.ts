import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, digestOf } from '@spotcheck/core';
import { leafHashHex, publicationLeaf } from '@spotcheck/core/log';
import { issueCheckpoint, keySecretFor } from '@spotcheck/api';
import { publish } from '@spotcheck/api/testing';
import { startServer, type RunningServer } from '@spotcheck/server';
import { runMonitor, runWitness } from '@spotcheck/cli/testing';
import { BINHAI, CITY, openTestDb, signedInUser, type SignedIn, type TestDb } from '../api/harness';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'spotcheck-translog-'));
let t: TestDb;
let server: RunningServer;
let city: SignedIn;
let clock = Date.parse('2027-03-01T02:00:00Z');
const at = (ms: number) => () => new Date(ms);

async function publishAt(title: string, ms: number, content: object = { title }) {
  return t.database.db.transaction((tx) =>
    publish(tx, {
      bureauCode: BINHAI,
      kind: 'checklist',
      refId: title,
      title,
      content,
      by: null,
      at: new Date(ms),
    }),
  );
}
const checkpoint = () =>
  issueCheckpoint(t.database.db, {
    now: new Date(clock),
    keySecret: keySecretFor(t.database),
    origin: 'spotcheck.test/log',
  });
const witness = (n: 1 | 2, skewS = 0) =>
  runWitness({
    portal: server.url,
    keyFile: join(dir, `w${n}.key`),
    name: `witness-${n}`,
    now: at(clock + skewS * 1000),
  });
const monitor = () => runMonitor({ portal: server.url, stateFile: join(dir, 'monitor.json') });

beforeAll(async () => {
  t = await openTestDb();
  server = await startServer({ database: t.database, port: 0, staticMounts: [], now: () => new Date(clock) });
  city = await signedInUser(t.database, 'tl-city', CITY, ['city-admin'], { now: () => new Date(clock) });
});
afterAll(async () => {
  await server?.close();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('spotcheck witness and monitor against a running portal', () => {
  let ids: string[] = [];
  let large = '';

  it('a new witness makes its key, and cannot co-sign until the city registers it', async () => {
    ids = [
      (await publishAt('执法检查事项清单', clock - 90_000)).id,
      (await publishAt('抽查工作细则', clock - 80_000)).id,
      (await publishAt('检查结果公示', clock - 70_000)).id,
    ];
    // One too large for a response (a city draw's size class): entries leave its content out and
    // the monitor reads it from its file. 6.4 MB of hex digits stay about that size compressed.
    large = (
      await publishAt('大型公示', clock - 65_000, {
        title: '大型公示',
        blob: randomBytes(3_200_000).toString('hex'),
      })
    ).id;
    await checkpoint();
    for (const n of [1, 2] as const) {
      const first = await witness(n);
      const key = JSON.parse(readFileSync(join(dir, `w${n}.key`), 'utf8')) as {
        name: string;
        publicKey: string;
      };
      expect(first.ok).toBe(false);
      expect(first.lines).toContain(`public key    ${key.publicKey}`);
      expect(first.lines.at(-1)).toMatch(
        /the portal refused the co-signature: .*not a registered witness key/,
      );
      await city.caller.transparency.addWitness({
        name: key.name,
        label: `见证方${n}`,
        publicKey: key.publicKey,
      });
    }
  });

  it('witnesses co-sign an on-time checkpoint and refuse one off by more than 30 s', async () => {
    clock += 60_000;
    const cp = (await checkpoint())!;
    expect(cp.size).toBe(6);
    const off = await witness(2, 31);
    expect(off.ok).toBe(false);
    expect(off.lines.at(-1)).toMatch(/REFUSED .* 31 s behind my clock/);
    const early = await witness(2, -31);
    expect(early.lines.at(-1)).toMatch(/31 s ahead of my clock/);
    expect((await witness(1, 12)).ok).toBe(true);
    const second = await witness(2, -3);
    expect(second.ok).toBe(true);
    expect(second.lines.at(-1)).toBe('witnessed by witness-1, witness-2');
  });

  it('the monitor finds nothing wrong in an honest log', async () => {
    const r = await monitor();
    expect(r.problems).toEqual([]);
    expect(r.lines[0]).toMatch(/^checkpoint 6 at 2027-03-01T02:01:00Z.*witnessed by witness-1, witness-2$/);
    // The large one came without its content, and was checked against its leaf from its file.
    const entries = (await (
      await fetch(
        `${server.url}/trpc/transparency.entries?input=${encodeURIComponent('{"from":0,"limit":10}')}`,
      )
    ).json()) as {
      result: {
        data: { entries: { publication: { id: string; content: unknown; contentFile?: string } | null }[] };
      };
    };
    const listed = entries.result.data.entries.map((e) => e.publication!);
    expect(listed.find((p) => p.id === large)).toMatchObject({
      content: null,
      contentFile: `/open/publication/${large}.json`,
    });
    expect(listed.filter((p) => p.content !== null)).toHaveLength(listed.length - 1);
  });

  it('detects a removed, an edited and a back-dated publication (tampered in the database)', async () => {
    // A publication dated ten days back when it is logged (the server clock was set back).
    clock += 60_000;
    const late = await publishAt('补录的抽查结果', clock - 10 * 86_400_000);
    await checkpoint();
    // Direct tampering with published rows.
    await t.owner.exec(`delete from publications where id = $1`, [ids[0]]);
    const edited = { title: '抽查工作细则', note: 'quietly changed' };
    await t.owner.exec(`update publications set content = $2, digest = $3 where id = $1`, [
      ids[1],
      JSON.stringify(edited),
      digestOf(edited),
    ]);
    await t.owner.exec(
      `update publications set published_at = published_at - interval '10 days' where id = $1`,
      [ids[2]],
    );
    const r = await monitor();
    expect(r.ok).toBe(false);
    const found = r.problems.map((p) => [p.kind, p.publicationId]);
    expect(found).toContainEqual(['removed', ids[0]]);
    expect(found).toContainEqual(['edited', ids[1]]);
    expect(found).toContainEqual(['back-dated', ids[2]]);
    expect(found).toContainEqual(['back-dated', late.id]);
    expect(r.problems).toHaveLength(4);
    // The command exits non-zero and names each problem.
    const cli = await run(
      'npx',
      ['tsx', 'apps/cli/src/index.ts', 'monitor', server.url, '--state', join(dir, 'cli-monitor.json')],
      {
        cwd: root,
      },
    ).then(
      () => ({ code: 0, stdout: '' }),
      (e: { code: number; stdout: string }) => e,
    );
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/PROBLEM removed: publication .* “执法检查事项清单”/);
    expect(cli.stdout).toMatch(/PROBLEM edited: .*content was changed/);
    expect(cli.stdout).toMatch(/PROBLEM back-dated: .*now dated/);
    expect(cli.stdout).toMatch(/4 problem\(s\) found/);
  }, 120_000);

  it('a rewritten log entry breaks consistency: the witness refuses and the monitor reports it', async () => {
    // A database superuser rewrites the leaf of the edited publication so that it matches again.
    const row = (await t.database.exec(`select * from publications where id = $1`, [ids[1]]))
      .rows[0] as Record<string, unknown>;
    const leaf = publicationLeaf({
      id: row.id as string,
      bureauCode: row.bureau_code as string,
      kind: row.kind as string,
      refId: row.ref_id as string,
      period: row.period as string | null,
      title: row.title as string,
      digest: row.digest as string,
      content: row.content,
      replacesId: row.replaces_id as string | null,
      publishedAt: row.published_at as Date,
    });
    await t.owner.exec('alter table log_leaves disable trigger user');
    await t.owner.exec(`update log_leaves set leaf = $2, leaf_hash = $3 where publication_id = $1`, [
      ids[1],
      canonicalJson(leaf),
      leafHashHex(leaf),
    ]);
    await t.owner.exec('alter table log_leaves enable trigger user');
    clock += 60_000;
    await publishAt('新的公示', clock - 1000);
    await checkpoint();
    const w = await witness(1);
    expect(w.ok).toBe(false);
    expect(w.lines.at(-1)).toMatch(
      /not consistent with the checkpoint of 6 entries I saw at 2027-03-01T02:01:00Z/,
    );
    const r = await monitor();
    const inconsistent = r.problems.filter((p) => p.kind === 'inconsistent').map((p) => p.detail);
    expect(inconsistent).toEqual([
      expect.stringMatching(/checkpoint 8 .* not consistent with checkpoint 6 seen at 2027-03-01T02:01:00Z/),
      expect.stringMatching(/checkpoint 8 .* not consistent with checkpoint 7 seen at 2027-03-01T02:02:00Z/),
    ]);
  });
});
