/**
 * `audit.checkpoints` a page at a time: a public call is bounded (it served every checkpoint ever
 * published, ~52,000 a year, to anyone), and `spotcheck audit verify --from-portal` still checks
 * every checkpoint, on every page. A verifier that read only the first page would pass a chain
 * rewritten after it, and a forged checkpoint published after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '@spotcheck/server';
import { fetchPortalCheckpoints, verifyAgainstCheckpoints } from '@spotcheck/cli/testing';
import {
  appendAudit,
  auditEventHash,
  runAuditCheckpoint,
  verifyAuditChain,
  type AuditCheckpoint,
} from '@spotcheck/api';
import { anonymousCaller, CITY, codeOf, openTestDb, type TestDb } from '../api/harness';

const SECRET = 'p'.repeat(40);
/** Checkpoints published: more than the default page (100), fewer than the largest (500). */
const CHECKPOINTS = 130;
let t: TestDb;
let server: RunningServer;
let anon: Awaited<ReturnType<typeof anonymousCaller>>;
// Tampering needs rights the application role lacks: the schema owner's connection.
const exec = (sql: string, params?: unknown[]) => t.owner.exec(sql, params);

/** Appends `n` events to the chain. */
async function events(n: number) {
  for (let i = 0; i < n; i++)
    await t.database.db.transaction((tx) =>
      appendAudit(
        tx,
        {
          actorUserId: null,
          actorRole: null,
          bureauCode: CITY,
          action: 'user.create',
          entity: 'users',
          entityId: null,
          after: { n: i },
        },
        new Date(),
      ),
    );
}

/** Runs `tamper` with the chain's append-only triggers off. */
async function withTriggersOff(tamper: () => Promise<unknown>) {
  await exec('ALTER TABLE audit_events DISABLE TRIGGER USER');
  try {
    await tamper();
  } finally {
    await exec('ALTER TABLE audit_events ENABLE TRIGGER USER');
  }
}

/**
 * Rewrites event `seq`'s content and recomputes every hash from there on (a consistent forgery
 * the chain alone does not show); returns a function that puts the events back.
 */
async function rewriteFrom(seq: number): Promise<() => Promise<void>> {
  const { rows } = await exec('select * from audit_events where seq >= $1 order by seq', [seq - 1]);
  let prevHash = String(rows[0]!.hash);
  await withTriggersOff(async () => {
    for (const r of rows.slice(1)) {
      const after = Number(r.seq) === seq ? { forged: true } : (r.after as object | null);
      const hash = auditEventHash({
        seq: Number(r.seq),
        at: new Date(r.at as string | Date).toISOString(),
        actorUserId: r.actor_user_id as string | null,
        actorRole: r.actor_role as string | null,
        bureauCode: r.bureau_code as string | null,
        action: String(r.action),
        entity: String(r.entity),
        entityId: r.entity_id as string | null,
        before: r.before ?? null,
        after: after ?? null,
        prevHash,
      });
      await exec('update audit_events set after = $1, prev_hash = $2, hash = $3 where seq = $4', [
        after === null ? null : JSON.stringify(after),
        prevHash,
        hash,
        r.seq,
      ]);
      prevHash = hash;
    }
  });
  return () =>
    withTriggersOff(async () => {
      for (const r of rows.slice(1))
        await exec('update audit_events set after = $1, prev_hash = $2, hash = $3 where seq = $4', [
          r.after === null ? null : JSON.stringify(r.after),
          r.prev_hash,
          r.hash,
          r.seq,
        ]);
    });
}

/** Every page `audit.checkpoints` serves from the start, at `limit` a page. */
async function allPages(limit: number) {
  const pages: Awaited<ReturnType<typeof anon.audit.checkpoints>>[] = [];
  let after: number | undefined;
  for (;;) {
    const page = await anon.audit.checkpoints(after === undefined ? { limit } : { after, limit });
    pages.push(page);
    if (page.next === null) return pages;
    after = page.next;
  }
}

/** The seqs of the checkpoints as published, in publication order. */
const published: number[] = [];
beforeAll(async () => {
  t = await openTestDb();
  server = await startServer({ database: t.database, port: 0, staticMounts: [], keySecret: SECRET });
  anon = await anonymousCaller(t.database);
  const base = Date.parse('2027-03-01T00:00:00Z');
  for (let i = 0; i < CHECKPOINTS; i++) {
    await events(1 + (i % 3)); // checkpoints 1–3 events apart
    const cp = await runAuditCheckpoint(t.database.db, SECRET, new Date(base + i * 600_000));
    published.push(cp!.seq);
  }
  await events(2); // the chain goes on after the last checkpoint
}, 300_000);
afterAll(async () => {
  await server?.close();
  await t?.close();
});

describe('audit.checkpoints pages', () => {
  it('holds at most `limit` checkpoints a page, 100 without input', async () => {
    const first = await anon.audit.checkpoints({ limit: 7 });
    expect(first.rows.map((c) => c.seq)).toEqual(published.slice(0, 7));
    expect(first).toMatchObject({ total: CHECKPOINTS, next: published[6] });
    const byDefault = await anon.audit.checkpoints();
    expect(byDefault.rows).toHaveLength(100);
    expect(byDefault.rows.map((c) => c.seq)).toEqual(published.slice(0, 100));
    expect(byDefault).toMatchObject({ total: CHECKPOINTS, next: published[99] });
    const widest = await anon.audit.checkpoints({ limit: 500 });
    expect(widest.rows).toHaveLength(CHECKPOINTS);
    expect(widest.next).toBeNull();
  });

  it('pages through every checkpoint exactly once, in seq order, whatever the page size', async () => {
    for (const limit of [1, 7, 65, 129, 130, 131]) {
      const pages = await allPages(limit);
      expect(pages.length, `limit ${limit}`).toBe(Math.ceil(CHECKPOINTS / limit));
      for (const p of pages) expect(p.rows.length).toBeLessThanOrEqual(limit);
      expect(
        pages.flatMap((p) => p.rows.map((c) => c.seq)),
        `limit ${limit}`,
      ).toEqual(published);
    }
    // The CLI reads the same pages.
    const rows = (await allPages(50)).flatMap((p) => p.rows);
    const direct = await fetchPortalCheckpoints(server.url, { pageSize: 50 });
    expect(direct).toEqual(rows);
    expect(new Set(rows.map((c) => c.signature)).size).toBe(CHECKPOINTS);
    // After the last checkpoint: an empty last page.
    expect(await anon.audit.checkpoints({ after: published.at(-1)!, limit: 10 })).toEqual({
      rows: [],
      total: CHECKPOINTS,
      next: null,
    });
  });

  it('refuses a bad page with BAD_REQUEST naming the field', async () => {
    for (const input of [{ limit: 0 }, { limit: 501 }, { limit: 2.5 }, { after: -1 }]) {
      expect(await codeOf(anon.audit.checkpoints(input)), JSON.stringify(input)).toBe('BAD_REQUEST');
    }
    const bad = async (input: unknown) => {
      const url = new URL('/trpc/audit.checkpoints', server.url);
      url.searchParams.set('input', JSON.stringify(input));
      const res = await fetch(url);
      const body = (await res.json()) as {
        error: { message: string; data: { fields: Record<string, string[]> | null } };
      };
      return { status: res.status, message: body.error.message, fields: body.error.data.fields };
    };
    const tooMany = await bad({ limit: 501 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.message).toMatch(/^limit: /);
    expect(Object.keys(tooMany.fields ?? {})).toEqual(['limit']);
    const notSeq = await bad({ after: 'latest' });
    expect(notSeq.status).toBe(400);
    expect(notSeq.message).toMatch(/^after: /);
    expect(Object.keys(notSeq.fields ?? {})).toEqual(['after']);
  });
});

/**
 * Runs `work` with the process's fetch wrapped: `edit` may change each `audit.checkpoints` answer;
 * returns the page sizes asked for and the number of rows served on each.
 */
async function portalCalls(
  work: () => Promise<void>,
  edit: (data: { rows: unknown[]; next: number | null }) => void = () => {},
) {
  const calls: { limit: number; rows: number }[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const res = await realFetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!url.pathname.endsWith('/audit.checkpoints')) return res;
    const body = (await res.json()) as { result: { data: { rows: unknown[]; next: number | null } } };
    calls.push({
      limit: (JSON.parse(url.searchParams.get('input')!) as { limit: number }).limit,
      rows: body.result.data.rows.length,
    });
    edit(body.result.data);
    return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
  };
  try {
    await work();
  } finally {
    globalThis.fetch = realFetch;
  }
  return calls;
}

describe('spotcheck audit verify --from-portal, across pages', () => {
  it('passes the untouched chain with checkpoints read over several pages', async () => {
    let r: Awaited<ReturnType<typeof verifyAgainstCheckpoints>> | undefined;
    const calls = await portalCalls(async () => {
      r = await verifyAgainstCheckpoints(t.database, { fromPortal: server.url, pageSize: 20 });
    });
    expect(r).toMatchObject({ ok: true, problem: null, checkpoints: CHECKPOINTS });
    expect(calls.map((c) => c.rows)).toEqual([20, 20, 20, 20, 20, 20, 10]);
    expect(calls.every((c) => c.limit === 20)).toBe(true);
    // The command's own page size: the largest the portal serves, so 130 come in one page.
    const byDefault = await portalCalls(async () => {
      r = await verifyAgainstCheckpoints(t.database, { fromPortal: server.url });
    });
    expect(r).toMatchObject({ ok: true, checkpoints: CHECKPOINTS });
    expect(byDefault).toEqual([{ limit: 500, rows: CHECKPOINTS }]);
  });

  it('fails on a chain rewritten after the first page, caught by a checkpoint on a later page', async () => {
    // Rewritten after the 100th checkpoint: the checkpoints of page one (of 50) still hold.
    const restore = await rewriteFrom(published[99]! + 1);
    try {
      expect((await verifyAuditChain(t.database.db)).ok).toBe(true); // the forgery, unaided
      const pageOne = await anon.audit.checkpoints({ limit: 50 });
      const firstPageOnly = await verifyAgainstCheckpoints(t.database, { checkpoints: pageOne.rows });
      expect(firstPageOnly.ok).toBe(true); // what a verifier of page one alone would conclude
      const r = await verifyAgainstCheckpoints(t.database, { fromPortal: server.url, pageSize: 50 });
      expect(r.ok).toBe(false);
      expect(r.problem).toMatchObject({ seq: published[100], kind: 'altered' });
    } finally {
      await restore();
    }
    const restored = await verifyAgainstCheckpoints(t.database, { fromPortal: server.url, pageSize: 50 });
    expect(restored.ok).toBe(true);
  });

  it('fails on a forged checkpoint published on a later page', async () => {
    const target = published[120]!; // on the third page of 50
    const { rows } = await exec(
      `select id, content from publications where kind = 'audit-checkpoint' and (content->>'seq')::bigint = $1`,
      [target],
    );
    expect(rows).toHaveLength(1);
    const original = rows[0]!.content as AuditCheckpoint;
    const forge = (c: AuditCheckpoint) =>
      exec('update publications set content = $1::jsonb where id = $2', [JSON.stringify(c), rows[0]!.id]);
    await forge({ ...original, hash: 'f'.repeat(64) });
    try {
      const r = await verifyAgainstCheckpoints(t.database, { fromPortal: server.url, pageSize: 50 });
      expect(r.ok).toBe(false);
      expect(r.problem!.detail).toMatch(new RegExp(`checkpoint ${target} has an invalid signature`));
    } finally {
      await forge(original);
    }
  });

  it('refuses a portal whose pages end before the checkpoints it counted, or do not move on', async () => {
    // "No next page" after the first: fewer served than counted.
    await portalCalls(
      () =>
        expect(
          verifyAgainstCheckpoints(t.database, { fromPortal: server.url, pageSize: 50 }),
        ).rejects.toThrow(/counted 130 checkpoints but served 50: pages are missing/),
      (data) => {
        data.next = null;
      },
    );
    // The same page again and again: refused, not read forever.
    await portalCalls(
      () =>
        expect(fetchPortalCheckpoints(server.url, { pageSize: 50 })).rejects.toThrow(/does not page forward/),
      (data) => {
        data.next = 0;
      },
    );
  });
});

describe('checkpoints of one seq', () => {
  it('are never split across pages, so none is skipped', async () => {
    // Two runs at once can each publish the same head: a second publication of checkpoint 3.
    await exec(
      `insert into publications (bureau_code, kind, ref_id, title, content, digest, published_at)
       select bureau_code, kind, ref_id, title, content, digest, published_at + interval '1 second'
       from publications where kind = 'audit-checkpoint' and (content->>'seq')::bigint = $1`,
      [published[2]],
    );
    const withTwin = [...published.slice(0, 3), ...published.slice(2)];
    // A page of 3 would end between the twins: it ends before them instead.
    const first = await anon.audit.checkpoints({ limit: 3 });
    expect(first.rows.map((c) => c.seq)).toEqual(published.slice(0, 2));
    for (const limit of [1, 2, 3, 4, 50]) {
      const pages = await allPages(limit);
      for (const p of pages) expect(p.rows.length).toBeLessThanOrEqual(Math.max(limit, 2));
      expect(
        pages.flatMap((p) => p.rows.map((c) => c.seq)),
        `limit ${limit}`,
      ).toEqual(withTwin);
    }
    const r = await verifyAgainstCheckpoints(t.database, { fromPortal: server.url, pageSize: 3 });
    expect(r).toMatchObject({ ok: true, checkpoints: CHECKPOINTS + 1 });
  });
});
