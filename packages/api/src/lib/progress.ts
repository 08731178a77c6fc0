import { and, eq, inArray, not, sql } from 'drizzle-orm';
import { z } from 'zod';
import { canOpenOwnConnection, onOwnConnection, operationProgress, type Db } from '@spotcheck/db';
import type { DbOrTx } from './db';
import { ApiError, fail, pgErrorOf } from './errors';

/** The phases a long request reports. */
export const PROGRESS_PHASES = [
  'roster',
  'computing',
  'writing',
  'verifying',
  'done',
  'failed',
  'cancelled',
] as const;

/** Phases in which nothing is written yet, so an operation may still be cancelled (`progress.cancel`). */
const CANCELLABLE: readonly string[] = ['roster', 'computing'];
/** Phases that end an operation. */
const ENDED: readonly string[] = ['done', 'failed', 'cancelled'];

/** What a long request has done so far: its phase and, where countable, how far into it. */
export interface OperationProgress {
  /**
   * `roster` (reading and classifying units), `computing`, `writing`, `verifying` (a draw's
   * check: `step` says which), `done`, `failed` or `cancelled` (asked to stop before writing).
   */
  phase: (typeof PROGRESS_PHASES)[number];
  /** Units read (phase `roster`) or steps begun (phase `verifying`); 0 otherwise. */
  done: number;
  /** Units in scope (phase `roster`) or steps in all (phase `verifying`); null where not counted. */
  total: number | null;
  /** The step under way (phase `verifying`: one of core's `VERIFY_STEPS_V2`); null otherwise. */
  step: string | null;
}

/** Optional input of a long mutation: an id its caller chooses to ask `progress.get` about. */
export const ZOperationIdSchema = z.uuid().optional();

/**
 * A reporter of one operation's progress (a no-op when the caller gave no operation id). Called
 * with a phase, it reports it and, before anything is written, stops the operation if it was asked
 * to (`operation.cancelled`); `writing()` reports the last moment that can still stop it, and
 * hears a stop asked on any server sharing the database.
 */
export interface ReportProgress {
  (phase: OperationProgress['phase'], done?: number, total?: number | null, step?: string | null): void;
  /**
   * Reports `writing`: throws when the operation was asked to stop, here or on another server.
   * `tx`, the request's transaction, records it there when no other connection is free.
   */
  writing(tx?: DbOrTx): Promise<void>;
}

/** How long the last state of an operation stays readable after its last report. */
const KEEP_MS = 10 * 60_000;
/** Operations kept at most in a process (the oldest go first): callers choose the ids, so the board is bounded. */
const KEEP_AT_MOST = 10_000;
/** A running operation's progress goes to the shared table at most this often (phases at once). */
const SHARE_EVERY_MS = 500;

const keyOf = (userId: string, operationId: string) => `${userId}\u0000${operationId}`;

/** The reporter of a request without an operation id: reports nothing, so nothing is counted for it. */
export const NO_PROGRESS: ReportProgress = Object.assign(() => {}, { writing: async () => {} });

const cancelled = () => fail('CLIENT_CLOSED_REQUEST', 'operationId', 'operation.cancelled');

/**
 * Progress of long requests (`plans.approve`, `draws.run` of a city: tens of seconds), by the
 * operation id the caller gave and readable by that caller only. Kept in this process's memory,
 * and, on PostgreSQL, in the `operation_progress` table too: every API server on the database
 * answers `progress.get` and `progress.cancel` about an operation running on any of them, so a
 * load balancer need not send a user's questions to the server running the request. (On PGlite
 * there is one process and the request's transaction holds the one connection: memory only.)
 */
export class ProgressBoard {
  private readonly board = new Map<string, { progress: OperationProgress; until: number }>();
  /** Operations asked to stop (keys of {@link board}); each is stopped at its next report. */
  private readonly cancelRequests = new Set<string>();

  /** The reporter of `operationId` for `userId` ({@link NO_PROGRESS} without an id); `db` shares it. */
  reporter(userId: string, operationId: string | undefined, db?: Db): ReportProgress {
    if (!operationId) return NO_PROGRESS;
    const key = keyOf(userId, operationId);
    const shared = db && canOpenOwnConnection(db) ? db : null;
    let last: OperationProgress['phase'] | null = null;
    let sharedAt = 0;
    let first = true;
    // Written in the order reported, each on a connection of the pool's own (never the request's
    // transaction, so every server sees it at once); a failed write is forgotten (progress never
    // fails the work). Each answers whether a server asked the operation to stop (null: not written).
    let queue: Promise<boolean | null> = Promise.resolve(false);
    const share = (progress: OperationProgress): Promise<boolean | null> => {
      sharedAt = Date.now();
      const isFirst = first;
      first = false;
      queue = queue.then(() =>
        writeShared(shared!, userId, operationId, progress, isFirst).catch(() => null),
      );
      return queue;
    };
    const report = (
      phase: OperationProgress['phase'],
      done = 0,
      total: number | null = null,
      step: string | null = null,
    ) => {
      if (ENDED.includes(phase)) this.cancelRequests.delete(key);
      // A report comes before every write (`writing` first): an operation asked to stop, stops here.
      else if (this.cancelRequests.delete(key)) cancelled();
      const progress = { phase, done, total, step };
      this.keep(key, progress);
      if (shared && (phase !== last || Date.now() - sharedAt >= SHARE_EVERY_MS)) {
        // A stop asked on another server is heard with a write, and honoured at the next report
        // if the operation still writes nothing by then (`writing` hears it itself).
        void share(progress).then((asked) => {
          if (asked && last !== null && CANCELLABLE.includes(last)) this.cancelRequests.add(key);
        });
      }
      last = phase;
    };
    return Object.assign(report, {
      writing: async (tx?: DbOrTx) => {
        report('writing'); // a new phase: shared at once, the last write queued
        if (!shared) return;
        // The shared row moves to `writing` only if no server asked it to stop first: one row, so
        // either the stop or this write comes second and sees the other. Not written beside (no
        // connection free), it is written in the request's transaction: the row stays locked
        // until that ends, and a stop asked meanwhile is refused (`requestCancel`).
        let asked = await queue;
        if (asked === null && tx)
          asked = await upsertProgress(
            tx,
            userId,
            operationId,
            { phase: 'writing', done: 0, total: null, step: null },
            false,
          );
        if (asked) {
          this.cancelRequests.delete(key);
          cancelled();
        }
      },
    });
  }

  private keep(key: string, progress: OperationProgress): void {
    const now = Date.now();
    for (const [k, v] of this.board) if (v.until < now) this.board.delete(k);
    this.board.delete(key); // re-inserted last: the Map's order is the order of last reports
    this.board.set(key, { progress, until: now + KEEP_MS });
    for (const k of this.board.keys()) {
      if (this.board.size <= KEEP_AT_MOST) break;
      this.board.delete(k);
    }
  }

  /** The last progress `userId`'s operation reported, or null (none, another user's, or expired). */
  async progressOf(userId: string, operationId: string, db?: Db): Promise<OperationProgress | null> {
    const entry = this.board.get(keyOf(userId, operationId));
    if (entry && entry.until >= Date.now()) return entry.progress;
    if (!db || !canOpenOwnConnection(db)) return null;
    const [row] = await db
      .select({
        phase: operationProgress.phase,
        done: operationProgress.done,
        total: operationProgress.total,
        step: operationProgress.step,
      })
      .from(operationProgress)
      .where(and(ownRow(userId, operationId), fresh()));
    return row ? { ...row, phase: row.phase as OperationProgress['phase'] } : null;
  }

  /**
   * Asks `userId`'s operation to stop: true when it is still in a phase that writes nothing
   * (reading the roster, computing), so that it stops at its next report and nothing is written;
   * false when it is unknown, another user's, writing or over.
   */
  async requestCancel(userId: string, operationId: string, db?: Db): Promise<boolean> {
    const key = keyOf(userId, operationId);
    const entry = this.board.get(key);
    if (entry && entry.until >= Date.now()) {
      if (!CANCELLABLE.includes(entry.progress.phase)) return false;
      this.cancelRequests.add(key);
      return true;
    }
    if (!db || !canOpenOwnConnection(db)) return false;
    // A row locked for longer than a progress write is being written in its request's transaction
    // (`writing`): too late, refused at once rather than waited for with a connection held.
    try {
      return await db.transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL lock_timeout = '${sql.raw(CANCEL_LOCK_WAIT)}'`);
        const asked = await tx
          .update(operationProgress)
          .set({ cancelRequested: true })
          .where(
            and(ownRow(userId, operationId), fresh(), inArray(operationProgress.phase, [...CANCELLABLE])),
          )
          .returning({ phase: operationProgress.phase });
        return asked.length > 0;
      });
    } catch (e) {
      if (pgErrorOf(e)?.code === LOCK_NOT_AVAILABLE) return false;
      throw e;
    }
  }
}

/** How long a stop waits for a progress row another connection holds (a progress write: milliseconds). */
const CANCEL_LOCK_WAIT = '500ms';
/** PostgreSQL's `lock_not_available`: a lock not had within `lock_timeout`. */
const LOCK_NOT_AVAILABLE = '55P03';

const ownRow = (userId: string, operationId: string) =>
  and(eq(operationProgress.userId, userId), eq(operationProgress.operationId, operationId));
const fresh = () => sql`${operationProgress.updatedAt} > now() - make_interval(secs => ${KEEP_MS / 1000})`;

/**
 * Writes an operation's progress to the shared table; true when a server has asked it to stop
 * while it still wrote nothing. Its first write starts the row afresh (an id used again is not
 * stopped by an old request) and clears rows no one reads any more.
 */
async function upsertProgress(
  db: DbOrTx,
  userId: string,
  operationId: string,
  p: OperationProgress,
  first: boolean,
): Promise<boolean> {
  const [row] = await db
    .insert(operationProgress)
    .values({ userId, operationId, ...p, updatedAt: sql`clock_timestamp()` })
    .onConflictDoUpdate({
      target: [operationProgress.userId, operationProgress.operationId],
      set: { ...p, updatedAt: sql`clock_timestamp()`, ...(first ? { cancelRequested: false } : {}) },
    })
    .returning({ cancelRequested: operationProgress.cancelRequested });
  if (first) await db.delete(operationProgress).where(not(fresh()));
  return row?.cancelRequested === true;
}

/**
 * {@link upsertProgress} on a connection of the pool's own, committed at once; null when none is
 * free soon: the request's transaction holds one, and a pool whose every connection is such a
 * request must not wait on itself.
 */
async function writeShared(
  db: Db,
  userId: string,
  operationId: string,
  p: OperationProgress,
  first: boolean,
): Promise<boolean | null> {
  const written = await onOwnConnection(
    db,
    (own) => upsertProgress(own, userId, operationId, p, first),
    // The end of a request comes after its transaction gave its connection back: waited for, as
    // a row left reading `computing` would take a stop for ten minutes; `writing` has its fallback.
    ENDED.includes(p.phase) ? 10_000 : p.phase === 'writing' ? 1000 : 100,
    'write',
  );
  return written ? written.value : null;
}

/** This process's board. */
const board = new ProgressBoard();

/** The reporter of `operationId` for `userId` on this process's board, shared through `db`. */
export function progressReporter(userId: string, operationId: string | undefined, db?: Db): ReportProgress {
  return board.reporter(userId, operationId, db);
}

/** The last progress `userId`'s operation reported, here or on another server. */
export function progressOf(userId: string, operationId: string, db?: Db): Promise<OperationProgress | null> {
  return board.progressOf(userId, operationId, db);
}

/** Asks `userId`'s operation to stop ({@link ProgressBoard.requestCancel}). */
export function requestCancel(userId: string, operationId: string, db?: Db): Promise<boolean> {
  return board.requestCancel(userId, operationId, db);
}

/** Runs `work`, reporting `done` after it, and `failed` (or `cancelled`, when asked to stop) if it throws. */
export async function withProgress<T>(report: ReportProgress, work: () => Promise<T>): Promise<T> {
  try {
    const out = await work();
    report('done');
    return out;
  } catch (e) {
    report(e instanceof ApiError && e.reason.code === 'operation.cancelled' ? 'cancelled' : 'failed');
    throw e;
  }
}
