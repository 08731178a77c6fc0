/** Evidence files of findings over HTTP: upload, record with a result, download with the result's visibility. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '@spotcheck/server';
import { appRouter, createCallerFactory, createContextInner, evidencePath } from '@spotcheck/api';
import { BINHAI, codeOf, HEPING, openTestDb, signedInUser, type SignedIn, type TestDb } from './harness';
import { buildWorld, issuedPlan, type IssuedPlan, type World } from './fixtures';

const LIMIT = 64 * 1024;
let t: TestDb;
let w: World;
let server: RunningServer;
let dir: string;
let plan: IssuedPlan;
let member: SignedIn;
let outsider: SignedIn;
let heping: SignedIn;
const cookie = (s: SignedIn) => `spotcheck_session=${s.token}`;
/** A caller whose context uses the test evidence store. */
const callerOf = (s: SignedIn) =>
  createCallerFactory(appRouter)(() =>
    createContextInner({ db: t.database.db, sessionToken: s.token, evidenceDir: dir }),
  );
const upload = (body: Buffer, name: string | null, who?: SignedIn, type = 'image/jpeg') =>
  fetch(`${server.url}/upload/evidence${name === null ? '' : `?name=${encodeURIComponent(name)}`}`, {
    method: 'POST',
    headers: { 'content-type': type, ...(who ? { cookie: cookie(who) } : {}) },
    body: new Uint8Array(body),
  });
const photo = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));

beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
  dir = mkdtempSync(join(tmpdir(), 'spotcheck-evidence-'));
  server = await startServer({
    database: t.database,
    port: 0,
    staticMounts: [],
    evidenceDir: dir,
    maxEvidenceBytes: LIMIT,
  });
  plan = await issuedPlan(w, { title: '证据测试' });
  const team = plan.selected[0]!.team;
  member = await signedInUser(t.database, 'ev-member', BINHAI, ['inspector'], { inspectorId: team[0] });
  outsider = await signedInUser(t.database, 'ev-out', BINHAI, ['inspector'], {
    inspectorId: ['I120116-0001', 'I120116-0002', 'I120116-0003'].find((i) => !team.includes(i)),
  });
  heping = await signedInUser(t.database, 'ev-heping', HEPING, ['district-admin']);
});
afterAll(async () => {
  await server?.close();
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('evidence files', () => {
  it('stores an upload once under its SHA-256 and answers {sha256, size, mime, name}', async () => {
    const res = await upload(photo, '现场照片.jpg', member);
    expect(res.status).toBe(200);
    const body = await res.json();
    const sha256 = createHash('sha256').update(photo).digest('hex');
    expect(body).toEqual({ sha256, size: 5000, mime: 'image/jpeg', name: '现场照片.jpg' });
    expect(existsSync(evidencePath(dir, sha256))).toBe(true);
    expect(await (await upload(photo, 'copy.jpg', w.admin)).json()).toMatchObject({
      sha256,
      name: 'copy.jpg',
    });
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    const audit = await w.auditor.caller.audit.list({ bureauCode: BINHAI });
    expect(audit.filter((a) => a.action === 'evidence.upload')).toHaveLength(2);
  });

  it('refuses anonymous, unauthorised, unnamed and oversized uploads', async () => {
    expect((await upload(photo, 'a.jpg')).status).toBe(401);
    expect((await upload(photo, 'a.jpg', w.auditor)).status).toBe(403);
    const unnamed = await upload(photo, null, member);
    expect(unnamed.status).toBe(400);
    expect((await unnamed.json()).error.message).toMatch(/^name: /);
    const big = await upload(Buffer.alloc(LIMIT + 1, 1), 'big.bin', member, 'application/octet-stream');
    expect(big.status).toBe(413);
    expect((await big.json()).error.message).toMatch(/^file: larger than/);
    // Without Content-Length (chunked), the limit is enforced while streaming.
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(LIMIT));
        c.enqueue(new Uint8Array(100));
        c.close();
      },
    });
    const streamed = await fetch(`${server.url}/upload/evidence?name=big.bin`, {
      method: 'POST',
      headers: { cookie: cookie(member) },
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    const get = await fetch(`${server.url}/upload/evidence?name=x`, { headers: { cookie: cookie(member) } });
    expect(get.status).toBe(405);
  });

  it('records evidence on a finding and serves it to those who may see the result', async () => {
    const stored = await (await upload(photo, '现场照片.jpg', member)).json();
    const task = (await member.caller.tasks.list({ planId: plan.planId })).rows.find(
      (r) => r.task.unitId === plan.selected[0]!.unit,
    )!.task;
    const record = (evidence: unknown[]) =>
      callerOf(member).results.record({
        taskId: task.id,
        outcome: 'violations',
        inspectedOn: '2027-02-03',
        findings: [
          {
            kind: 'hazard',
            description: '消防通道堵塞',
            checklistItemCode: task.checklistItemCodes[0]!,
            evidence: evidence as never,
          },
        ],
      });
    const missing = await record([{ ...stored, sha256: 'f'.repeat(64) }]).catch(
      (e: unknown) => e as Error & { code: string },
    );
    expect((missing as { code: string }).code).toBe('BAD_REQUEST');
    expect((missing as Error).message).toMatch(
      /^findings\.0\.evidence\.0\.sha256: no file with this SHA-256 and size was uploaded for this bureau/,
    );
    const wrongSize = await record([{ ...stored, size: 1 }]).catch(
      (e: unknown) => e as Error & { code: string },
    );
    // The same answer as for a file never uploaded: the size is no existence oracle.
    expect((wrongSize as Error).message).toMatch(
      /^findings\.0\.evidence\.0\.sha256: no file with this SHA-256/,
    );
    expect(await codeOf(record([{ ...stored, mime: 'not a type' }]))).toBe('BAD_REQUEST');
    expect((await w.admin.caller.tasks.get({ id: task.id })).task.status).toBe('issued');

    const result = await record([stored]);
    const got = await member.caller.results.get({ resultId: result.id });
    expect(got.findings[0]!.evidence).toEqual([stored]);

    const url = `${server.url}/evidence/${result.id}/${stored.sha256}`;
    const ok = await fetch(url, { headers: { cookie: cookie(member) } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/jpeg');
    expect(ok.headers.get('content-disposition')).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent('现场照片.jpg')}`,
    );
    expect(Buffer.from(await ok.arrayBuffer()).equals(photo)).toBe(true);
    expect((await fetch(url, { headers: { cookie: cookie(w.auditor) } })).status).toBe(200);
    expect((await fetch(url, { headers: { cookie: cookie(outsider) } })).status).toBe(403);
    expect((await fetch(url, { headers: { cookie: cookie(heping) } })).status).toBe(403);
    expect((await fetch(url)).status).toBe(401);
    const other = `${server.url}/evidence/${result.id}/${'a'.repeat(64)}`;
    expect((await fetch(other, { headers: { cookie: cookie(member) } })).status).toBe(404);
    expect((await fetch(`${server.url}/evidence/x/y`, { headers: { cookie: cookie(member) } })).status).toBe(
      400,
    );
  });
});
