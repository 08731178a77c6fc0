/**
 * Uploads as an attacker sends them (issue 11): XLSX decompression bombs, lying ZIP headers,
 * another bureau's evidence by SHA-256, empty files, NUL in names, quotas, abandoned files, and
 * racing writes of results and rectifications.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from '@spotcheck/server';
import {
  appRouter,
  collectAbandonedEvidence,
  createCallerFactory,
  createContextInner,
  EVIDENCE_QUOTA_HOLD_MS,
  evidencePath,
  holdEvidenceQuota,
  releaseEvidenceQuota,
  registeredJobs,
  runJob,
  storeEvidence,
  verifyAuditChain,
} from '@spotcheck/api';
import { readRows, XLSX_LIMITS } from '@spotcheck/api/testing';
import { auditEvents, evidenceQuotaHolds, results, rectifications } from '@spotcheck/db';
import { eq } from 'drizzle-orm';
import { BINHAI, codeOf, HEPING, openTestDb, signedInUser, type SignedIn, type TestDb } from '../api/harness';
import { buildWorld, issuedPlan, unitIdAt, type IssuedPlan, type World } from '../api/fixtures';
import { buildZip } from './zip';

let t: TestDb;
let w: World;
let server: RunningServer;
let dir: string;
let plan: IssuedPlan;
let heping: SignedIn;
const QUOTA = 200_000;

const callerOf = (s: SignedIn) =>
  createCallerFactory(appRouter)(() =>
    createContextInner({ db: t.database.db, sessionToken: s.token, evidenceDir: dir }),
  );
const cookie = (s: SignedIn) => `spotcheck_session=${s.token}`;
const holdsOf = (userId: string) =>
  t.database.db.select().from(evidenceQuotaHolds).where(eq(evidenceQuotaHolds.userId, userId));
const upload = (body: Buffer, name: string, who: SignedIn) =>
  fetch(`${server.url}/upload/evidence?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg', cookie: cookie(who) },
    body: new Uint8Array(body),
  });

beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database, 30);
  dir = mkdtempSync(join(tmpdir(), 'spotcheck-sec-evidence-'));
  server = await startServer({
    database: t.database,
    port: 0,
    staticMounts: [],
    evidenceDir: dir,
    evidenceQuotaBytesPerDay: QUOTA,
  });
  plan = await issuedPlan(w, { title: '安全测试' });
  heping = await signedInUser(t.database, 'sec-heping', HEPING, ['district-admin']);
});
afterAll(async () => {
  await server?.close();
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sharedStrings = (repeat: number, declaredSize?: number) => ({
  name: 'xl/sharedStrings.xml',
  chunk: Buffer.from('<si><t>炸弹字符串</t></si>'.repeat(40_000)),
  repeat,
  declaredSize,
});

async function importUpload(body: Buffer) {
  const res = await fetch(`${server.url}/upload/import/units?format=xlsx`, {
    method: 'POST',
    headers: { cookie: cookie(w.admin), 'content-type': 'application/octet-stream' },
    body: new Uint8Array(body),
  });
  const lines = (await res.text())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; code?: string; message?: string });
  return lines[lines.length - 1]!;
}

describe('XLSX bombs', () => {
  it('a few MB that unpack to gigabytes of shared strings are refused without inflating them into memory', async () => {
    // ≈1.1 MB per chunk × 600 ≈ 660 MB of shared strings, about a megabyte zipped.
    const bomb = await buildZip([sharedStrings(600)]);
    expect(bomb.length).toBeLessThan(20 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    const last = await importUpload(bomb);
    expect(last).toMatchObject({ type: 'error', code: 'PAYLOAD_TOO_LARGE' });
    expect(last.message).toMatch(/^file: .*shared strings|^file: unpacks/);
    expect(process.memoryUsage().rss - before).toBeLessThan(300 * 1024 * 1024);
    // The server is still there.
    expect((await fetch(`${server.url}/trpc/auth.me`)).status).toBe(200);
  });

  it('a ZIP whose headers understate the size is refused when the bytes run past them', async () => {
    const liar = await buildZip([sharedStrings(40, 1000)]);
    const last = await importUpload(liar);
    expect(last.type).toBe('error');
    expect(['BAD_REQUEST', 'PAYLOAD_TOO_LARGE']).toContain(last.code);
  });

  it('the base64 route refuses the same bomb with a 4xx', async () => {
    const bomb = await buildZip([sharedStrings(200)]);
    expect(
      await codeOf(
        w.admin.caller.transfer.import({ kind: 'units', format: 'xlsx', base64: bomb.toString('base64') }),
      ),
    ).toBe('PAYLOAD_TOO_LARGE');
  });

  it('counts shared strings and rows against their limits', async () => {
    const many = await buildZip([
      { name: 'xl/sharedStrings.xml', chunk: Buffer.from('<si><t>x</t></si>'), repeat: 5000 },
    ]);
    const drain = async (buf: Buffer, limits = XLSX_LIMITS) => {
      for await (const row of readRows('xlsx', buf, limits)) void row;
    };
    await expect(drain(many, { ...XLSX_LIMITS, maxSharedStrings: 1000 })).rejects.toThrow(/shared strings/);
    const rows = await buildZip([
      { name: 'xl/worksheets/sheet1.xml', chunk: Buffer.from('<row r="1"><c/></row>'), repeat: 3000 },
    ]);
    await expect(drain(rows, { ...XLSX_LIMITS, maxRows: 1000 })).rejects.toThrow(/rows/);
    const csv = Buffer.from('a\n'.repeat(3000));
    const drainCsv = async () => {
      for await (const row of readRows('csv', csv, { ...XLSX_LIMITS, maxRows: 1000 })) void row;
    };
    await expect(drainCsv()).rejects.toThrow(/rows/);
  });
});

describe('hostile cells', () => {
  it('a NUL in a CSV cell is a problem naming row and column, never SQL in the answer', async () => {
    const id = unitIdAt(31_000, BINHAI);
    const csv = `id,name,nature,industry,scale,employees,bureauCode,riskGrade,creditGrade\n${id},有\u0000空字符,private,trade,small,5,${BINHAI},low,B\n`;
    const res = await fetch(`${server.url}/upload/import/units?format=csv`, {
      method: 'POST',
      headers: { cookie: cookie(w.admin), 'content-type': 'text/csv' },
      body: csv,
    });
    const text = await res.text();
    expect(text).not.toMatch(/Failed query|params:|insert into/i);
    const last = JSON.parse(text.trim().split('\n').pop()!) as {
      type: string;
      ok?: boolean;
      problems?: { row: number; column: string; code: string }[];
    };
    expect(last.type).toBe('report');
    expect(last.problems).toContainEqual(
      expect.objectContaining({ row: 2, column: 'name', code: 'nul-character' }),
    );
    expect(await codeOf(w.admin.caller.units.get({ id }))).toBe('NOT_FOUND');
  });
});

describe('evidence', () => {
  const taskId = async () => {
    const list = (await callerOf(w.admin).tasks.list({ planId: plan.planId })).rows;
    return list.map((r) => r.task.id);
  };

  it('another bureau’s file by SHA-256 grants nothing and answers like a file never uploaded', async () => {
    const secret = Buffer.from('和平区的执法证据 '.repeat(300));
    const up = await upload(secret, 'heping.jpg', heping);
    expect(up.status).toBe(200);
    const theirs = (await up.json()) as { sha256: string; size: number };
    const [task] = await taskId();
    const record = (sha256: string, size: number) =>
      callerOf(w.admin)
        .results.record({
          taskId: task!,
          outcome: 'violations',
          inspectedOn: '2027-02-01',
          findings: [
            {
              kind: 'hazard',
              description: '借用他区证据',
              checklistItemCode: 'TJ-GEN-001',
              evidence: [{ sha256, size, mime: 'image/jpeg', name: 'x.jpg' }],
            },
          ],
        })
        .then(
          () => 'OK',
          (e: Error) => e.message,
        );
    const stolen = await record(theirs.sha256, theirs.size);
    const wrongSize = await record(theirs.sha256, theirs.size + 1);
    const never = await record('ab'.repeat(32), theirs.size);
    expect(stolen).not.toBe('OK');
    expect(stolen).toBe(never);
    expect(wrongSize).toBe(never);
  });

  it('refuses empty files and control characters in names, keeping nothing', async () => {
    const empty = await upload(Buffer.alloc(0), 'empty.jpg', w.admin);
    expect(empty.status).toBe(400);
    expect(existsSync(evidencePath(dir, createHash('sha256').update('').digest('hex')))).toBe(false);
    const nul = await upload(Buffer.from('abc'), 'a\u0000b.jpg', w.admin);
    expect(nul.status).toBe(400);
    const nulBody = await nul.text();
    expect(nulBody).toMatch(/name: must not contain control characters/);
    expect(existsSync(evidencePath(dir, createHash('sha256').update('abc').digest('hex')))).toBe(false);
  });

  it('enforces a per-user daily quota', async () => {
    const u = await signedInUser(t.database, 'sec-quota', BINHAI, ['district-admin']);
    const chunk = (i: number) => Buffer.alloc(60_000, i);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await upload(chunk(i + 1), `q${i}.jpg`, u)).status);
    expect(codes.slice(0, 3)).toEqual([200, 200, 200]);
    expect(codes.slice(3)).toEqual([429, 429]);
  });

  it('parallel uploads cannot each spend the whole quota', async () => {
    const u = await signedInUser(t.database, 'sec-quota-parallel', BINHAI, ['district-admin']);
    const codes = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        upload(Buffer.alloc(60_000, 100 + i), `p${i}.jpg`, u).then((r) => r.status),
      ),
    );
    expect(codes.filter((c) => c === 200)).toHaveLength(3);
    expect(codes.filter((c) => c === 429)).toHaveLength(3);
  });

  it('parallel uploads spread over two API processes on one database cannot each spend the whole quota', async () => {
    // A second process: the server's modules loaded afresh, so it shares no module state with the
    // first (in-flight uploads were once counted in a module's Map), only the database.
    vi.resetModules();
    const { startServer: startSecond } = await import('@spotcheck/server');
    expect(startSecond).not.toBe(startServer);
    const second = await startSecond({
      database: t.database,
      port: 0,
      staticMounts: [],
      evidenceDir: dir,
      evidenceQuotaBytesPerDay: QUOTA,
    });
    try {
      const u = await signedInUser(t.database, 'sec-quota-two', BINHAI, ['district-admin']);
      // Six uploads of 60,000 bytes against 200,000 left, three on each process, all in flight at
      // once: each sends its first half and waits until every upload is accepted (its hold taken)
      // or refused, so none is recorded before the last one asks.
      let decided = 0;
      let open!: () => void;
      const gate = new Promise<void>((r) => (open = r));
      const heldNow = async () => (await holdsOf(u.user.id)).length;
      const slowUpload = (base: string, i: number) =>
        new Promise<number>((resolve, reject) => {
          const body = Buffer.alloc(60_000, 120 + i);
          const req = request(`${base}/upload/evidence?name=two${i}.jpg`, {
            method: 'POST',
            headers: { 'content-type': 'image/jpeg', 'content-length': body.length, cookie: cookie(u) },
          });
          req.on('response', (res) => {
            decided++;
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          });
          req.on('error', (err) => (decided < 6 ? reject(err) : resolve(0)));
          req.write(body.subarray(0, 30_000));
          void gate.then(() => req.end(body.subarray(30_000)));
        });
      const codes = Promise.all(
        Array.from({ length: 6 }, (_, i) => slowUpload((i % 2 ? second : server).url, i)),
      );
      for (let waited = 0; waited < 5000 && decided + (await heldNow()) < 6; waited += 50)
        await new Promise((r) => setTimeout(r, 50));
      open();
      const answered = await codes;
      expect(answered.filter((c) => c === 200)).toHaveLength(3);
      expect(answered.filter((c) => c === 429)).toHaveLength(3);
      // Every hold was given back: with the uploads, or after the refusals.
      expect(await holdsOf(u.user.id)).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('a hold left by a process that died counts until it expires, then no longer', async () => {
    const u = await signedInUser(t.database, 'sec-quota-dead', BINHAI, ['district-admin']);
    const now = new Date();
    const hold = await holdEvidenceQuota(t.database.db, u.user, QUOTA, 150_000, now);
    expect(hold).toMatchObject({ left: QUOTA, bytes: 150_000 });
    // The process dies: nothing gives the hold back. 60,000 bytes do not fit in what is left.
    expect((await upload(Buffer.alloc(60_000, 7), 'after-death.jpg', u)).status).toBe(429);
    // The refused upload gave its hold back before it answered: only the dead one is left (a client
    // trying again at once was refused by the hold its refused upload still held).
    expect((await holdsOf(u.user.id)).map((h) => h.id)).toEqual([hold.id]);
    const later = await holdEvidenceQuota(
      t.database.db,
      u.user,
      QUOTA,
      60_000,
      new Date(now.getTime() + 1000),
    );
    expect(later).toMatchObject({ left: QUOTA - 150_000, bytes: 50_000 });
    await releaseEvidenceQuota(t.database.db, u.user.bureauCode, later);
    // Past its expiry the dead hold is gone, and the whole quota is there again.
    const expired = await holdEvidenceQuota(
      t.database.db,
      u.user,
      QUOTA,
      60_000,
      new Date(now.getTime() + EVIDENCE_QUOTA_HOLD_MS),
    );
    expect(expired).toMatchObject({ left: QUOTA, bytes: 60_000 });
    await releaseEvidenceQuota(t.database.db, u.user.bureauCode, expired);
    // A hold of a user who never uploads again goes with the nightly collection once expired.
    const idle = await signedInUser(t.database, 'sec-quota-idle', BINHAI, ['district-admin']);
    await holdEvidenceQuota(t.database.db, idle.user, QUOTA, 1000, now);
    await collectAbandonedEvidence(t.database.db, dir, new Date(now.getTime() + EVIDENCE_QUOTA_HOLD_MS - 1));
    expect(await holdsOf(idle.user.id)).toHaveLength(1);
    await collectAbandonedEvidence(t.database.db, dir, new Date(now.getTime() + EVIDENCE_QUOTA_HOLD_MS));
    expect(await holdsOf(idle.user.id)).toEqual([]);
    expect(await holdsOf(u.user.id)).toEqual([]);
  });

  it('a hold that cannot be given back never replaces the answer or the error of the upload, and expires', async () => {
    const u = await signedInUser(t.database, 'sec-quota-faults', BINHAI, ['district-admin']);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const run = (statement: string) => t.owner.exec(statement);
    await run(`CREATE FUNCTION sec_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$`);
    try {
      // The record cannot be written: the upload fails as a whole, the fault is logged as itself,
      // and the hold is given back after it.
      await run(`CREATE TRIGGER sec_no_record BEFORE INSERT ON evidence_uploads
        FOR EACH ROW EXECUTE FUNCTION sec_refuse('recording refused (test)')`);
      const failed = await upload(Buffer.alloc(1000, 9), 'unrecorded.jpg', u);
      expect(failed.status).toBe(500);
      expect(await failed.text()).not.toMatch(/refused \(test\)/);
      const logged = () => errors.mock.calls.map((c) => c.map((a) => inspect(a)).join(' '));
      expect(logged().some((l) => l.includes('/upload/evidence') && l.includes('recording refused'))).toBe(
        true,
      );
      expect(await holdsOf(u.user.id)).toEqual([]);
      await run('DROP TRIGGER sec_no_record ON evidence_uploads');

      // The hold cannot be given back: a refusal stays the refusal, the release's fault is logged
      // apart, and the hold counts until it expires.
      errors.mockClear();
      await run(`CREATE TRIGGER sec_no_release BEFORE DELETE ON evidence_quota_holds
        FOR EACH ROW EXECUTE FUNCTION sec_refuse('release refused (test)')`);
      const refused = await upload(Buffer.alloc(QUOTA + 1, 9), 'too-big.jpg', u);
      expect(refused.status).toBe(429);
      expect(await refused.text()).toContain('evidence.quota');
      // The answer went out before the hold is given back (in the handler's `finally`): wait for it.
      await vi.waitFor(() =>
        expect(
          logged().some((l) => l.includes('evidence quota release') && l.includes('release refused')),
        ).toBe(true),
      );
      expect(await holdsOf(u.user.id)).toHaveLength(1);
      await run('DROP TRIGGER sec_no_release ON evidence_quota_holds');
      await collectAbandonedEvidence(t.database.db, dir, new Date(Date.now() + EVIDENCE_QUOTA_HOLD_MS));
      expect(await holdsOf(u.user.id)).toEqual([]);
    } finally {
      errors.mockRestore();
      await run('DROP TRIGGER IF EXISTS sec_no_record ON evidence_uploads');
      await run('DROP TRIGGER IF EXISTS sec_no_release ON evidence_quota_holds');
      await run('DROP FUNCTION sec_refuse()');
    }
  });

  it('a chunked upload larger than what is left of the quota is refused as over the quota', async () => {
    const u = await signedInUser(t.database, 'sec-quota-chunked', BINHAI, ['district-admin']);
    expect((await upload(Buffer.alloc(150_000, 11), 'most.jpg', u)).status).toBe(200);
    // No Content-Length: 60,000 bytes do not fit in the 50,000 left, and are well under the
    // upload limit. The refusal is the quota's, not a size limit of 50,000 bytes per file.
    const res = await fetch(`${server.url}/upload/evidence?name=chunked.jpg`, {
      method: 'POST',
      headers: { cookie: cookie(u) },
      body: Readable.toWeb(Readable.from([Buffer.alloc(30_000, 12), Buffer.alloc(30_000, 13)])),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(429);
    const body = (await res.json()) as {
      error: { message: string; reason: { code: string; field: string } };
    };
    expect(body.error.reason).toMatchObject({ code: 'evidence.quota', field: 'file' });
    expect(body.error.message).toMatch(/^file: /);
    await vi.waitFor(async () => expect(await holdsOf(u.user.id)).toEqual([]));
  });

  it('many tiny uploads each count at least a file-system block against the quota', async () => {
    const u = await signedInUser(t.database, 'sec-quota-tiny', BINHAI, ['district-admin']);
    // Each stored file takes a block on disk, an upload record and an audit event however small
    // it is: a quota counting content bytes alone let a script keep millions of 1-byte files a day.
    expect((await upload(Buffer.alloc(QUOTA - 10_000, 14), 'most.jpg', u)).status).toBe(200);
    const tiny = (i: number) => upload(Buffer.from([i]), `tiny${i}.jpg`, u).then((r) => r.status);
    expect([await tiny(1), await tiny(2)]).toEqual([200, 200]); // 2 × 4096 of the 10,000 left
    expect(await tiny(3)).toBe(429);
    const chunked = await fetch(`${server.url}/upload/evidence?name=tiny.jpg`, {
      method: 'POST',
      headers: { cookie: cookie(u) },
      body: Readable.toWeb(Readable.from([Buffer.from([4])])),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(429);
    // A refused upload's hold is given back after the answer went out.
    await vi.waitFor(async () => expect(await holdsOf(u.user.id)).toEqual([]));
  });

  it('a client that drops the connection mid-upload is no server fault, and its hold is given back', async () => {
    const u = await signedInUser(t.database, 'sec-quota-abort', BINHAI, ['district-admin']);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const { hostname, port } = new URL(server.url);
      const socket = connect(Number(port), hostname);
      socket.on('error', () => {});
      socket.write(
        `POST /upload/evidence?name=dropped.jpg HTTP/1.1\r\nHost: ${hostname}\r\n` +
          `Cookie: ${cookie(u)}\r\nContent-Type: image/jpeg\r\nContent-Length: 60000\r\n\r\n`,
      );
      socket.write(Buffer.alloc(20_000, 15));
      await vi.waitFor(async () => expect(await holdsOf(u.user.id)).toHaveLength(1));
      socket.destroy();
      await vi.waitFor(async () => expect(await holdsOf(u.user.id)).toEqual([]));
      // The whole quota is there again, and the next upload goes through.
      expect((await upload(Buffer.alloc(QUOTA, 16), 'whole.jpg', u)).status).toBe(200);
      expect(errors.mock.calls.map((c) => c.map((a) => inspect(a)).join(' '))).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });

  it('collects abandoned files and keeps the ones findings name', async () => {
    const kept = Buffer.from('kept evidence '.repeat(100));
    const dropped = Buffer.from('abandoned evidence '.repeat(100));
    const a = (await (await upload(kept, 'kept.jpg', w.admin)).json()) as { sha256: string; size: number };
    const b = (await (await upload(dropped, 'drop.jpg', w.admin)).json()) as { sha256: string };
    const tasks = await taskId();
    await callerOf(w.admin).results.record({
      taskId: tasks[1]!,
      outcome: 'violations',
      inspectedOn: '2027-02-01',
      findings: [
        {
          kind: 'hazard',
          description: '有证据',
          checklistItemCode: 'TJ-GEN-001',
          evidence: [{ sha256: a.sha256, size: a.size, mime: 'image/jpeg', name: 'kept.jpg' }],
        },
      ],
    });
    const later = new Date(Date.now() + 3 * 24 * 3600 * 1000);
    const out = await collectAbandonedEvidence(t.database.db, dir, later);
    expect(out.files).toBeGreaterThanOrEqual(1);
    expect(existsSync(evidencePath(dir, a.sha256))).toBe(true);
    expect(existsSync(evidencePath(dir, b.sha256))).toBe(false);
    const [event] = await t.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'evidence.collect'));
    expect(event!.after).toMatchObject({ uploads: out.uploads });
    expect((event!.after as { sha256: string[] }).sha256).toContain(b.sha256);
  });

  it('the nightly job collects files no upload record names (stored, then the recording failed)', async () => {
    expect(registeredJobs().map((j) => j.name)).toContain('evidence-collect');
    const { sha256 } = await storeEvidence(dir, Readable.from([Buffer.from('orphan evidence '.repeat(50))]));
    const fresh = await storeEvidence(dir, Readable.from([Buffer.from('fresh orphan '.repeat(50))]));
    const old = new Date(Date.now() - 8 * 24 * 3600 * 1000); // past the job's week of grace
    await utimes(evidencePath(dir, sha256), old, old);
    const run = await runJob(t.database.db, 'evidence-collect', { trigger: 'manual', now: new Date() });
    expect(run.outcome, run.error ?? '').toBe('ok');
    expect(existsSync(evidencePath(dir, sha256))).toBe(false);
    expect(existsSync(evidencePath(dir, fresh.sha256))).toBe(true); // within its week of grace
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });
});

describe('racing writes', () => {
  it('20 concurrent first results on one task: exactly one lands', async () => {
    const tasks = await (async () =>
      (await callerOf(w.admin).tasks.list({ planId: plan.planId })).rows.map((r) => r.task))();
    const open = tasks.find((x) => x.status === 'issued')!;
    const codes = await Promise.all(
      Array.from({ length: 20 }, () =>
        codeOf(
          callerOf(w.admin).results.record({
            taskId: open.id,
            outcome: 'compliant',
            inspectedOn: '2027-02-01',
          }),
        ),
      ),
    );
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c !== 'OK').every((c) => c === 'CONFLICT')).toBe(true);
    const rows = await t.database.db.select().from(results).where(eq(results.taskId, open.id));
    expect(rows).toHaveLength(1);
  });

  it('20 concurrent `rectified` checks of one finding: exactly one lands', async () => {
    const tasks = (await callerOf(w.admin).tasks.list({ planId: plan.planId })).rows.map((r) => r.task);
    const open = tasks.find((x) => x.status === 'issued')!;
    const result = await callerOf(w.admin).results.record({
      taskId: open.id,
      outcome: 'violations',
      inspectedOn: '2026-01-10',
      findings: [
        {
          kind: 'hazard',
          description: '并发整改',
          rectificationDue: '2026-03-01',
          checklistItemCode: 'TJ-GEN-001',
        },
      ],
    });
    const findingId = (await callerOf(w.admin).results.get({ resultId: result.id })).findings[0]!.id;
    const codes = await Promise.all(
      Array.from({ length: 20 }, () =>
        codeOf(
          callerOf(w.admin).rectifications.record({
            findingId,
            checkedOn: '2026-02-01',
            outcome: 'rectified',
          }),
        ),
      ),
    );
    expect(
      codes.filter((c) => c === 'OK'),
      codes.join(),
    ).toHaveLength(1);
    const rows = await t.database.db
      .select()
      .from(rectifications)
      .where(eq(rectifications.findingId, findingId));
    expect(rows).toHaveLength(1);
  });
});
