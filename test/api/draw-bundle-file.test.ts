/**
 * `GET /draws/<id>/bundle.json`: a drawn attempt for `spotcheck verify`, written by PostgreSQL
 * from the row (issue 16: a city draw's ~10^8 bytes are not parsed by the server; no procedure
 * returns it as a value), for signed-in staff of the draw's bureau, sealed covert plans refused.
 */
import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundleV2, type DrawBundleV2 } from '@spotcheck/core';
import { startServer, type RunningServer } from '@spotcheck/server';
import { signedBundleWithInclusionBytesOf } from '@spotcheck/api/testing';
import {
  anonymousCaller,
  BINHAI,
  downloadedBundle,
  HEPING,
  openTestDb,
  signedInUser,
  type SignedIn,
  type TestDb,
} from './harness';
import { buildWorld, issuedPlan, submittedPlan, type IssuedPlan, type World } from './fixtures';

let t: TestDb;
let w: World;
let server: RunningServer;
let plan: IssuedPlan;
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database, 30);
  server = await startServer({ database: t.database, port: 0, staticMounts: [] });
  plan = await issuedPlan(w, { title: '2027年度一般检查（抽取包下载）' });
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});

const cookie = (s: SignedIn) => `spotcheck_session=${s.token}`;
const fileOf = (drawId: string, who: SignedIn | null, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/draws/${drawId}/bundle.json`, {
    headers: { ...(who ? { cookie: cookie(who) } : {}), ...headers },
  });

describe('GET /draws/<id>/bundle.json', () => {
  it('gives the bundle and registry the public publication holds, and it verifies', async () => {
    const res = await fileOf(plan.drawId, w.auditor);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const file = (await res.json()) as { bundle: DrawBundleV2; registry: unknown };
    // The signed draw's publication, built by another path (publishStored from the same row).
    const portal = await anonymousCaller(t.database);
    const pub = (await portal.publications.list({ kind: 'draw', limit: 200 })).find(
      (p) => p.refId === plan.drawId,
    )!;
    const published = (await portal.publications.get({ id: pub.id })).content as typeof file;
    expect(file.bundle).toEqual(published.bundle);
    expect(file.registry).toEqual(published.registry);
    expect(file).toEqual(await downloadedBundle(t.database, w.auditor, plan.drawId));
    // (No witnessed checkpoint in this world: no inclusion proof, in either.) With one, it is a
    // member of the bundle, as `withInclusion` puts it.
    const proof = { leaf: { kind: 'commitment' }, checkpoint: { size: 1 } };
    const withProof = JSON.parse(
      new TextDecoder().decode(await signedBundleWithInclusionBytesOf(t.database.db, plan.drawId, proof)),
    );
    expect(withProof).toEqual({ ...file.bundle, inclusion: proof });
    expect(verifyBundleV2(file.bundle, { registry: file.registry as never }).ok).toBe(true);
  });

  it('is gzipped for clients that accept it', async () => {
    const raw = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      const url = new URL(`${server.url}/draws/${plan.drawId}/bundle.json`);
      request(url, { headers: { cookie: cookie(w.auditor), 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }),
        );
      })
        .on('error', reject)
        .end();
    });
    expect(raw.encoding).toBe('gzip');
    const file = JSON.parse(gunzipSync(raw.body).toString('utf8')) as { bundle: DrawBundleV2 };
    expect(file.bundle.result.selected.length).toBe(plan.selected.length);
  });

  it('refuses the anonymous, another bureau, a role outside the staff and a sealed covert plan', async () => {
    const anonymous = await fileOf(plan.drawId, null);
    expect(anonymous.status).toBe(401);
    const heping = await signedInUser(t.database, 'bf-heping', HEPING, ['district-admin']);
    const other = await fileOf(plan.drawId, heping);
    expect(other.status).toBe(403);
    expect(await other.text()).not.toContain(plan.selected[0]!.unit);
    const inspector = await signedInUser(t.database, 'bf-insp', BINHAI, ['inspector'], {
      inspectorId: plan.selected[0]!.team[0],
    });
    expect((await fileOf(plan.drawId, inspector)).status).toBe(403);
    const covert = await issuedPlan(w, { title: '2027年度暗查暗访（抽取包下载）', kind: 'covert' });
    const sealed = await fileOf(covert.drawId, w.admin);
    expect(sealed.status).toBe(403);
    const body = await sealed.text();
    expect(body).toMatch(/sealed|暗查|封/i);
    expect(body).not.toContain(covert.selected[0]!.unit);
    expect((await fileOf('00000000-0000-4000-8000-000000000000', w.auditor)).status).toBe(404);
  });

  it('refuses an attempt not drawn yet', async () => {
    const planId = await submittedPlan(w, '2027年度一般检查（抽取包未抽取）');
    const { draw } = await w.approver.caller.plans.approve({ planId });
    expect((await fileOf(draw.id, w.auditor)).status).toBe(409);
  });
});
