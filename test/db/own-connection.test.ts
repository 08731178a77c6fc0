/**
 * `onOwnConnection`: work run beside the caller's transaction on a connection of its own (how a
 * city draw's pieces are hashed while the sign-off's transaction builds its publication). It must
 * read only what has committed, write nothing, give up rather than wait on a pool the caller may
 * be exhausting, and never run on PGlite, whose one connection the caller's transaction holds.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { onOwnConnection, POOL_IDLE_MS, type Db } from '@spotcheck/db';
import { openTestDatabase, testDrivers, type TestDatabase } from '../support/databases';

const count = async (db: Db) => {
  const result: unknown = await db.execute(sql`select count(*)::int as n from own_connection_probe`);
  return (result as { rows: { n: number }[] }).rows[0]!.n;
};

describe.each(testDrivers())('onOwnConnection on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    await t.owner.exec(`create table own_connection_probe (n int)`);
    await t.owner.exec(`grant select, insert on own_connection_probe to public`);
    await t.owner.exec(`insert into own_connection_probe values (1)`);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('reads what has committed, beside a transaction that has written more (PGlite: not at all)', async () => {
    const db = t.database.db;
    const seen = await db.transaction(async (tx) => {
      await tx.execute(sql`insert into own_connection_probe values (2)`);
      expect(await count(tx as unknown as Db)).toBe(2);
      return onOwnConnection(db, count);
    });
    // PGlite's one connection is the transaction's: there is no other to read on, and asking for
    // one must not wait on the transaction (it would wait for ever).
    expect(seen).toEqual(driver === 'postgres' ? { value: 1 } : undefined);
    await t.owner.exec(`delete from own_connection_probe where n = 2`);
  });

  // PostgreSQL only: on PGlite there is no connection of its own (above).
  if (driver !== 'postgres') return;

  it('writes nothing, and its connection goes back to the pool usable', async () => {
    const db = t.database.db;
    await expect(
      onOwnConnection(db, (reader) => reader.execute(sql`insert into own_connection_probe values (3)`)),
    ).rejects.toMatchObject({ cause: { code: '25006' } }); // read_only_sql_transaction
    expect(await count(db)).toBe(1);
    for (let i = 0; i < 8; i++) expect(await onOwnConnection(db, count)).toEqual({ value: 1 });
  });

  it('gives up on a lock it would wait for, rather than wait behind the caller for ever', async () => {
    // The caller's transaction may hold locks a queued statement (a migration's ALTER) waits for;
    // this connection, queued behind that statement, would wait while the caller waits for it.
    const holder = await (t.owner.raw as pg.Pool).connect();
    try {
      await holder.query('begin');
      await holder.query('lock table own_connection_probe in access exclusive mode');
      const started = Date.now();
      await expect(onOwnConnection(t.database.db, count)).rejects.toMatchObject({
        cause: { code: '55P03' }, // lock_not_available
      });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await holder.query('rollback');
      holder.release();
    }
    expect(await onOwnConnection(t.database.db, count)).toEqual({ value: 1 });
  });

  it('gives up when the pool has no connection free in time, and loses none', async () => {
    const pool = t.database.raw as pg.Pool;
    const held: pg.PoolClient[] = [];
    while (held.length < 5) held.push(await pool.connect());
    expect(pool.totalCount).toBe(5);
    const before = Date.now();
    expect(await onOwnConnection(t.database.db, count, 200)).toBeUndefined();
    expect(Date.now() - before).toBeLessThan(4000);
    for (const c of held) c.release();
    // The connection it asked for came once one was released, and went straight back.
    await new Promise((r) => setTimeout(r, 100));
    expect(pool.waitingCount).toBe(0);
    expect(pool.idleCount).toBe(pool.totalCount);
    expect(await onOwnConnection(t.database.db, count)).toEqual({ value: 1 });
  });

  it("keeps its idle connections past node-postgres's 10 s, so a burst after a quiet spell finds them", async () => {
    const pool = t.database.raw as pg.Pool;
    // The idle timer starts when a connection goes back to the pool: from then on, pool time is fake.
    const client = await pool.connect();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      client.release();
      const idle = pool.idleCount;
      expect(idle).toBeGreaterThan(0);
      vi.advanceTimersByTime(60_000);
      expect(pool.idleCount).toBe(idle);
      // Then it is closed (the others' timers are real ones, started before).
      vi.advanceTimersByTime(POOL_IDLE_MS);
      expect(pool.idleCount).toBe(idle - 1);
    } finally {
      vi.useRealTimers();
    }
    expect(await onOwnConnection(t.database.db, count)).toEqual({ value: 1 });
  });
});
