import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, verifyAuditChain } from '@spotcheck/api';
import { BINHAI, openTestDb, PASSWORD, type TestDb } from './harness';

let t: TestDb;
// Tampering needs DDL rights the application role lacks: the schema owner's connection.
const exec = (sql: string, params?: unknown[]) => t.owner.exec(sql, params);

/** Runs `tamper` with the append-only trigger disabled, as an attacker with DDL rights would. */
async function tampered(tamper: () => Promise<void>) {
  await exec('ALTER TABLE audit_events DISABLE TRIGGER USER');
  try {
    await tamper();
  } finally {
    await exec('ALTER TABLE audit_events ENABLE TRIGGER USER');
  }
}

beforeAll(async () => {
  t = await openTestDb();
  // Concurrent appends must still form one chain.
  await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      createUser(t.database.db, {
        username: `user${i}`,
        displayName: `U${i}`,
        password: PASSWORD,
        bureauCode: BINHAI,
        roles: [{ role: 'inspector', bureauCode: BINHAI }],
      }),
    ),
  );
});
afterAll(async () => t?.close());

describe('audit chain tamper detection', () => {
  it('accepts the untouched chain written by concurrent mutations', async () => {
    const r = await verifyAuditChain(t.database.db);
    expect(r).toMatchObject({ ok: true, count: 8, problem: null, head: { seq: 8 } });
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(exec(`update audit_events set action = 'x' where seq = 1`)).rejects.toThrow(/append-only/);
    await expect(exec(`delete from audit_events where seq = 1`)).rejects.toThrow(/append-only/);
    await expect(exec(`truncate audit_events`)).rejects.toThrow(/append-only/);
  });

  it('finds an altered event', async () => {
    const { rows } = await exec(`select after from audit_events where seq = 3`);
    await tampered(() =>
      exec(
        `update audit_events set after = jsonb_set(after, '{displayName}', '"Mallory"') where seq = 3`,
      ).then(() => {}),
    );
    const r = await verifyAuditChain(t.database.db);
    expect(r.ok).toBe(false);
    expect(r.problem).toMatchObject({ seq: 3, kind: 'altered' });
    await tampered(() =>
      exec(`update audit_events set after = $1 where seq = 3`, [JSON.stringify(rows[0]!.after)]).then(
        () => {},
      ),
    );
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });

  it('finds a removed event', async () => {
    const { rows } = await exec(`select * from audit_events where seq = 5`);
    await tampered(() => exec(`delete from audit_events where seq = 5`).then(() => {}));
    const r = await verifyAuditChain(t.database.db);
    expect(r.problem).toMatchObject({ seq: 6, kind: 'removed' });
    expect(r.problem!.detail).toMatch(/seq jumps from 4 to 6/);
    const row = rows[0]!;
    const cols = Object.keys(row);
    await tampered(() =>
      exec(
        `insert into audit_events (${cols.join(',')}) values (${cols.map((_, i) => `$${i + 1}`).join(',')})`,
        cols.map((c) => (c === 'before' || c === 'after' ? JSON.stringify(row[c]) : row[c])),
      ).then(() => {}),
    );
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });

  it('finds reordered events', async () => {
    const swap = () =>
      tampered(async () => {
        await exec(`update audit_events set seq = -1 where seq = 4`);
        await exec(`update audit_events set seq = 4 where seq = 5`);
        await exec(`update audit_events set seq = 5 where seq = -1`);
      });
    await swap();
    const r = await verifyAuditChain(t.database.db);
    expect(r.problem).toMatchObject({ seq: 4, kind: 'reordered' });
    expect(r.problem!.detail).toMatch(/written as seq 5/);
    await swap();
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });

  it('finds events removed at the end against a known head', async () => {
    const { head } = await verifyAuditChain(t.database.db);
    const { rows } = await exec(`select * from audit_events where seq = 8`);
    await tampered(() => exec(`delete from audit_events where seq = 8`).then(() => {}));
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
    const r = await verifyAuditChain(t.database.db, { expectedHead: head! });
    expect(r.problem).toMatchObject({ seq: 8, kind: 'removed' });
    expect(rows).toHaveLength(1);
  });
});
