/**
 * No staff account's internal id on an anonymous surface of the public column (R16: personal data
 * and internal ids are not for the public). Every publication of a small world (checklist, key
 * registries, plan id, commitment, draw, sign-off, quarterly results, witness registry) is read the
 * ways anyone reads it — `publications.list`, `publications.get`, its file
 * `/open/publication/<id>.json`, the log's `transparency.entries`, the Atom feeds and the open
 * data — and the answers are searched for the id of every user in the database. A publication's
 * content is what its digest, its log leaf and, for a sign-off or a registry, its official's
 * signature cover: an official's signer id inside it is published as signed, so an answer may
 * hold a user id exactly as often as the stored content does, never once more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '@spotcheck/server';
import { bureaus, publications, users } from '@spotcheck/db';
import { buildWorld, issuedPlan, witnessTheLog, type World } from '../api/fixtures';
import { BINHAI, callerWithToken, openTestDb, type TestDb } from '../api/harness';

let t: TestDb;
let w: World;
let server: RunningServer;
/** Every user's id. */
let staffIds: string[];
/** Every publication as stored, with who published it. */
let rows: (typeof publications.$inferSelect)[];

beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database, 12);
  const plan = await issuedPlan(w, { title: '2027年度公开测试', period: '2027' });
  await witnessTheLog(w);
  // A quarter's results, published by hand on the admin's publication page.
  const adminAt = (iso: string) => callerWithToken(t.database, w.admin.token, () => new Date(iso));
  const [task] = (await w.admin.caller.tasks.list({ planId: plan.planId })).rows;
  await (
    await adminAt('2026-09-28T10:00:00+08:00')
  ).results.record({ taskId: task!.task.id, outcome: 'compliant', inspectedOn: '2026-09-28' });
  const header = await (
    await adminAt('2026-10-28T09:00:00+08:00')
  ).publications.publishQuarterlyResults({ bureauCode: BINHAI, period: '2026-Q3' });
  // What the publication page shows of it.
  expect(header.title).toMatch(/2026/);
  server = await startServer({ database: t.database, port: 0, staticMounts: [] });
  staffIds = (await t.database.db.select({ id: users.id }).from(users)).map((u) => u.id);
  rows = await t.database.db.select().from(publications);
}, 300_000);
afterAll(async () => {
  await server?.close();
  await t?.close();
});

/** How many times `id` occurs in `text`. */
const occurrences = (text: string, id: string) => text.split(id).length - 1;

/** The staff ids `text` holds, each as often as it does ("id×n"). */
const idsIn = (text: string) =>
  staffIds.flatMap((id) => {
    const n = occurrences(text, id);
    return n ? [`${id}×${n}`] : [];
  });

/** The staff ids `text` holds beyond what publication `id`'s stored content holds. */
function idsBeyondContent(text: string, publicationId: string) {
  const row = rows.find((r) => r.id === publicationId)!;
  const content = JSON.stringify(row.content);
  return staffIds.flatMap((id) => {
    const extra = occurrences(text, id) - occurrences(content, id);
    return extra > 0 ? [`${id}×${extra}`] : [];
  });
}

/** An anonymous GET of the server: status and body text. */
async function anonymous(path: string) {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, text: await res.text() };
}

/** An anonymous tRPC query over HTTP, as the portal makes it. */
const trpc = (path: string, input: unknown) =>
  anonymous(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`);

describe('anonymous surfaces of the public column', () => {
  it('has publications published by staff, and staff ids inside signed content only', () => {
    const publishers = new Set(rows.map((r) => r.publishedBy));
    for (const who of [w.admin, w.approver, w.cityAdmin]) expect(publishers).toContain(who.user.id);
    expect(new Set(rows.map((r) => r.kind))).toEqual(
      new Set([
        'checklist',
        'key-registry',
        'plan-id',
        'commitment',
        'draw',
        'sign-off',
        'log-witnesses',
        'quarterly-results',
      ]),
    );
    // The signed records name their officials (SPEC §II.6, the key registry): this is what an
    // answer may repeat, and nothing else.
    const signedKinds = rows.filter((r) => idsIn(JSON.stringify(r.content)).length).map((r) => r.kind);
    expect(new Set(signedKinds)).toEqual(new Set(['key-registry', 'sign-off', 'draw']));
  });

  it('publications.list names no staff account', async () => {
    const list = await trpc('publications.list', { limit: 500, offset: 0 });
    expect(list.status).toBe(200);
    expect((JSON.parse(list.text) as { result: { data: unknown[] } }).result.data).toHaveLength(rows.length);
    expect(idsIn(list.text)).toEqual([]);
    expect(list.text).not.toContain('publishedBy');
  });

  it('publications.get and the publication file name no staff account beyond the signed content', async () => {
    for (const row of rows) {
      const get = await trpc('publications.get', { id: row.id });
      expect(get.status).toBe(200);
      expect({ kind: row.kind, ids: idsBeyondContent(get.text, row.id) }).toEqual({
        kind: row.kind,
        ids: [],
      });
      expect(get.text).not.toContain('"publishedBy"');
      const file = await anonymous(`/open/publication/${row.id}.json`);
      expect(file.status).toBe(200);
      expect({ kind: row.kind, ids: idsBeyondContent(file.text, row.id) }).toEqual({
        kind: row.kind,
        ids: [],
      });
      expect(file.text).not.toContain('"publishedBy"');
      // The file is still the record publications.get returns, content and digest included.
      const record = JSON.parse(file.text) as Record<string, unknown>;
      expect(record).toEqual((JSON.parse(get.text) as { result: { data: unknown } }).result.data);
      expect(record).toMatchObject({ id: row.id, kind: row.kind, digest: row.digest });
    }
  });

  it("the log's entries name no staff account beyond the signed content", async () => {
    const page = await trpc('transparency.entries', { from: 0, limit: 500 });
    expect(page.status).toBe(200);
    const { entries } = (
      JSON.parse(page.text) as {
        result: { data: { entries: { leaf: string; publication: { id: string } | null }[] } };
      }
    ).result.data;
    expect(entries).toHaveLength(rows.length);
    for (const e of entries) {
      expect(idsIn(e.leaf)).toEqual([]);
      expect(idsBeyondContent(JSON.stringify(e.publication), e.publication!.id)).toEqual([]);
      expect(Object.keys(e.publication!)).not.toContain('publishedBy');
    }
  });

  it('the feeds and the open data name no staff account', async () => {
    const codes = (await t.database.db.select({ code: bureaus.code }).from(bureaus)).map((b) => b.code);
    const paths = [
      ...codes.map((c) => `/feed/${c}.atom`),
      '/open/publications.json',
      '/open/publications.csv',
      '/open/results.json',
      '/open/results.csv',
      '/open/blacklist.json',
    ];
    for (const path of paths) {
      const res = await anonymous(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect({ path, ids: idsIn(res.text) }).toEqual({ path, ids: [] });
    }
  });
});

describe("the bureau's staff", () => {
  it('still see who published, in the audit trail of their bureau', async () => {
    const events = await w.admin.caller.audit.list({ bureauCode: BINHAI, limit: 500 });
    const actors = new Set(events.map((e) => e.actorUserId));
    const published = rows.filter((r) => r.bureauCode === BINHAI && r.publishedBy);
    expect(published.length).toBeGreaterThan(0);
    for (const r of published)
      expect({ kind: r.kind, by: actors.has(r.publishedBy) }).toEqual({ kind: r.kind, by: true });
    const checklist = rows.find((r) => r.kind === 'checklist')!;
    expect(events.find((e) => e.action === 'checklist.publish')?.actorUserId).toBe(checklist.publishedBy);
    const quarter = rows.find((r) => r.kind === 'quarterly-results')!;
    expect(quarter.publishedBy).toBe(w.admin.user.id);
  });
});
