/**
 * Audit chain rewriting and truncation (issue 11, Medium): signed checkpoints published on the
 * portal catch what the chain alone cannot — a tail cut off, or every hash recomputed after an
 * altered event (with or without new events appended).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '@spotcheck/server';
import { fetchPortalCheckpoints, verifyAgainstCheckpoints } from '@spotcheck/cli/testing';
import {
  auditEventHash,
  createUser,
  runAuditCheckpoint,
  verifyAuditChain,
  type AuditCheckpoint,
} from '@spotcheck/api';
import { BINHAI, openTestDb, PASSWORD, type TestDb } from '../api/harness';

const SECRET = 's'.repeat(40);
let t: TestDb;
let server: RunningServer;
// Tampering needs DDL rights the application role lacks: the schema owner's connection.
const exec = (sql: string, params?: unknown[]) => t.owner.exec(sql, params);

async function tampered(tamper: () => Promise<unknown>) {
  await exec('ALTER TABLE audit_events DISABLE TRIGGER USER');
  try {
    await tamper();
  } finally {
    await exec('ALTER TABLE audit_events ENABLE TRIGGER USER');
  }
}

async function users(from: number, to: number) {
  for (let i = from; i < to; i++)
    await createUser(t.database.db, {
      username: `cp-user${i}`,
      displayName: `U${i}`,
      password: PASSWORD,
      bureauCode: BINHAI,
      roles: [],
    });
}

type Row = Record<string, unknown> & { seq: number };
let original: Row[] = [];

/** Puts the chain back as it was before a tampering test. */
async function restore() {
  await tampered(async () => {
    await exec('delete from audit_events');
    for (const r of original)
      await exec(
        `insert into audit_events (seq, at, actor_user_id, actor_role, bureau_code, action, entity, entity_id, before, after, prev_hash, hash)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
        [
          r.seq,
          r.at,
          r.actor_user_id,
          r.actor_role,
          r.bureau_code,
          r.action,
          r.entity,
          r.entity_id,
          r.before === null ? null : JSON.stringify(r.before),
          r.after === null ? null : JSON.stringify(r.after),
          r.prev_hash,
          r.hash,
        ],
      );
  });
}

/** Rewrites event `seq`'s content and recomputes every hash from there on: a consistent forgery. */
async function rewriteFrom(seq: number) {
  const { rows } = await exec('select * from audit_events where seq >= $1 order by seq', [seq - 1]);
  let prevHash = seq === 1 ? '0'.repeat(64) : String(rows[0]!.hash);
  await tampered(async () => {
    for (const r of rows.slice(seq === 1 ? 0 : 1)) {
      const after =
        Number(r.seq) === seq
          ? { ...(r.after as object), displayName: 'Mallory' }
          : (r.after as object | null);
      const e = {
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
      };
      const hash = auditEventHash(e);
      await exec('update audit_events set after = $1, prev_hash = $2, hash = $3 where seq = $4', [
        after === null ? null : JSON.stringify(after),
        prevHash,
        hash,
        e.seq,
      ]);
      prevHash = hash;
    }
  });
}

let portal: AuditCheckpoint[] = [];
beforeAll(async () => {
  t = await openTestDb();
  server = await startServer({ database: t.database, port: 0, staticMounts: [], keySecret: SECRET });
  await users(0, 6);
  expect(await runAuditCheckpoint(t.database.db, SECRET)).toMatchObject({ seq: 6 });
  expect(await runAuditCheckpoint(t.database.db, SECRET)).toBeNull(); // unchanged head
  await users(6, 10);
  expect(await runAuditCheckpoint(t.database.db, SECRET)).toMatchObject({ seq: 10 });
  await users(10, 13);
  original = (await exec('select * from audit_events order by seq')).rows as Row[];
  portal = await fetchPortalCheckpoints(server.url);
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});

describe('signed audit checkpoints', () => {
  it('are public, signed, and hold for the untouched chain', async () => {
    expect(portal.map((c) => c.seq)).toEqual([6, 10]);
    const r = await verifyAgainstCheckpoints(t.database, { checkpoints: portal });
    expect(r).toMatchObject({ ok: true, count: 13, checkpoints: 2 });
  });

  it('truncating the tail passes the chain alone but not the checkpoints', async () => {
    await tampered(() => exec('delete from audit_events where seq > 8'));
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true); // the attack, unaided
    const r = await verifyAgainstCheckpoints(t.database, { checkpoints: portal });
    expect(r.ok).toBe(false);
    expect(r.problem).toMatchObject({ seq: 10, kind: 'removed' });
    await restore();
  });

  it('rewriting every hash after an event is caught at the first later checkpoint', async () => {
    await rewriteFrom(3);
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true); // consistent forgery
    const r = await verifyAgainstCheckpoints(t.database, { checkpoints: portal });
    expect(r.ok).toBe(false);
    expect(r.problem).toMatchObject({ seq: 6, kind: 'altered' });
    await restore();
  });

  it('rewrite + append still fails --head, which compares at the old position', async () => {
    const oldHead = { seq: 13, hash: String(original[12]!.hash) };
    await rewriteFrom(12);
    await users(13, 15); // the chain grows past the old head
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
    const r = await verifyAgainstCheckpoints(t.database, { head: oldHead });
    expect(r.ok).toBe(false);
    expect(r.problem).toMatchObject({ seq: 13, kind: 'altered' });
    await restore();
  });

  it('a checkpoint altered on the portal fails its signature; a foreign key is refused when pinned', async () => {
    const forged = portal.map((c, i) => (i === 1 ? { ...c, hash: 'f'.repeat(64) } : c));
    const r = await verifyAgainstCheckpoints(t.database, { checkpoints: forged });
    expect(r.ok).toBe(false);
    expect(r.problem!.detail).toMatch(/invalid signature/);
    const pinned = await verifyAgainstCheckpoints(t.database, {
      checkpoints: portal,
      publicKey: 'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=',
    });
    expect(pinned.ok).toBe(false);
  });
});
