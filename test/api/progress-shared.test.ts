/**
 * Progress shared by every API server on one PostgreSQL (packages/api progress.ts): a user's
 * questions about a long request may reach another server than the one running it, and a stop
 * asked there is honoured before anything is written, or refused once writing has begun. Two
 * boards stand for two servers. On PGlite there is one process: each board answers for itself.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bureaus, users } from '@spotcheck/db';
import { ProgressBoard } from '@spotcheck/api/testing';
import { openTestDatabase, testDrivers, type TestDatabase } from '../support/databases';

describe.each(testDrivers())('progress across servers on %s', (driver) => {
  let t: TestDatabase;
  let userId: string;
  const shared = driver === 'postgres';

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    await t.owner.db
      .insert(bureaus)
      .values({ code: '120116', name: '滨海新区应急管理局', level: 'district' });
    const [user] = await t.owner.db
      .insert(users)
      .values({ username: 'op', displayName: '操作员', passwordHash: 'x', bureauCode: '120116' })
      .returning({ id: users.id });
    userId = user!.id;
  }, 120_000);
  afterAll(async () => {
    await t?.dispose();
  });

  /** What `board` answers once the other server's write has landed (or at once when nothing is shared). */
  async function seenOn(board: ProgressBoard, operationId: string, phase: string | null) {
    for (let i = 0; i < 100; i++) {
      const p = await board.progressOf(userId, operationId, t.database.db);
      if (!shared || (p?.phase ?? null) === phase) return p;
      await new Promise((r) => setTimeout(r, 20));
    }
    return board.progressOf(userId, operationId, t.database.db);
  }

  it('answers on another server, which stops it before writing and not once it writes', async () => {
    const [a, b] = [new ProgressBoard(), new ProgressBoard()];
    const db = t.database.db;
    const op = crypto.randomUUID();
    const report = a.reporter(userId, op, db);
    report('roster', 10, 100);
    expect(await a.progressOf(userId, op, db)).toEqual({ phase: 'roster', done: 10, total: 100, step: null });
    expect(await seenOn(b, op, 'roster')).toEqual(
      shared ? { phase: 'roster', done: 10, total: 100, step: null } : null,
    );
    // Another user asks nothing of it, here or there.
    expect(await b.progressOf(crypto.randomUUID(), op, db)).toBeNull();
    // Asked to stop on the other server: stopped at writing(), nothing written.
    expect(await b.requestCancel(userId, op, db)).toBe(shared);
    if (shared) await expect(report.writing()).rejects.toMatchObject({ code: 'CLIENT_CLOSED_REQUEST' });
    else await report.writing();
    report(shared ? 'cancelled' : 'done');
    expect((await seenOn(b, op, 'cancelled'))?.phase ?? null).toBe(shared ? 'cancelled' : null);
    // Over: nothing to stop any more.
    expect(await b.requestCancel(userId, op, db)).toBe(false);

    // The same id used again starts afresh: the old request to stop does not stop it.
    const again = a.reporter(userId, op, db);
    again('computing');
    await again.writing();
    // Writing: too late, on either server; it goes on to its end.
    expect(await b.requestCancel(userId, op, db)).toBe(false);
    expect(await a.requestCancel(userId, op, db)).toBe(false);
    again('done');
    expect((await seenOn(b, op, 'done'))?.phase ?? null).toBe(shared ? 'done' : null);
  });

  it('records writing in the request’s transaction when no connection is free; a stop then is refused at once', async () => {
    const [a, b] = [new ProgressBoard(), new ProgressBoard()];
    const db = t.database.db;
    if (!shared) {
      // One process: the request's own board alone knows it, and it is writing.
      const report = a.reporter(userId, crypto.randomUUID(), db);
      report('computing');
      await db.transaction((tx) => report.writing(tx));
      report('done');
      return;
    }
    const pool = t.database.raw as pg.Pool;
    for (const outcome of ['commits', 'fails'] as const) {
      const op = crypto.randomUUID();
      const report = a.reporter(userId, op, db);
      report('computing');
      await seenOn(b, op, 'computing');
      const answers: boolean[] = [];
      await db
        .transaction(async (tx) => {
          // Every other connection of the pool is busy (other requests' transactions).
          const held: pg.PoolClient[] = [];
          while (held.length < pool.options.max - 1) held.push(await pool.connect());
          await report.writing(tx);
          for (const c of held) c.release();
          // Stops asked while the request writes (one clicked twice): refused while it still writes,
          // none holding a connection until it ends.
          answers.push(...(await Promise.all([1, 2].map(() => b.requestCancel(userId, op, db)))));
          if (outcome === 'fails') throw new Error('the request fails while writing');
        })
        .catch((e: Error) => expect(e.message).toBe('the request fails while writing'));
      expect(answers).toEqual([false, false]);
      // Its end, written once its transaction gave its connection back: nothing left to stop.
      report(outcome === 'commits' ? 'done' : 'failed');
      const ended = outcome === 'commits' ? 'done' : 'failed';
      expect(await seenOn(b, op, ended)).toMatchObject({ phase: ended });
      expect(await b.requestCancel(userId, op, db)).toBe(false);
    }
  });

  it('hears a stop asked elsewhere at its next report while it still reads the roster', async () => {
    const [a, b] = [new ProgressBoard(), new ProgressBoard()];
    const db = t.database.db;
    const op = crypto.randomUUID();
    const report = a.reporter(userId, op, db);
    report('roster', 0, 100);
    await seenOn(b, op, 'roster');
    expect(await b.requestCancel(userId, op, db)).toBe(shared);
    if (!shared) return;
    // The stop comes back with a later write (reports are shared at most twice a second).
    let stopped: unknown = null;
    for (let done = 1; done <= 100 && !stopped; done++) {
      try {
        report('roster', done, 100);
      } catch (e) {
        stopped = e;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(stopped).toMatchObject({ code: 'CLIENT_CLOSED_REQUEST' });
  });
});
