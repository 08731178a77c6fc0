import { z } from 'zod';
import { ApiError, fail } from './errors';

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

/** A reporter of one operation's progress (a no-op when the caller gave no operation id). */
export type ReportProgress = (
  phase: OperationProgress['phase'],
  done?: number,
  total?: number | null,
  step?: string | null,
) => void;

/** How long the last state of an operation stays readable after its last report. */
const KEEP_MS = 10 * 60_000;
/** Operations kept at most (the oldest go first): callers choose the ids, so the board is bounded. */
const KEEP_AT_MOST = 10_000;

/**
 * Progress of the long requests of this process (`plans.approve`, `draws.run` of a city: tens of
 * seconds), by the operation id the caller gave and readable by that caller only. In memory: the
 * request and the questions about it reach the same process, and a restart ends both.
 */
const board = new Map<string, { progress: OperationProgress; until: number }>();

const keyOf = (userId: string, operationId: string) => `${userId}\u0000${operationId}`;

/** Operations asked to stop (keys of {@link board}); each is stopped at its next report. */
const cancelRequests = new Set<string>();

/** The reporter of a request without an operation id: reports nothing, so nothing is counted for it. */
export const NO_PROGRESS: ReportProgress = () => {};

/** The reporter of `operationId` for `userId` ({@link NO_PROGRESS} without an id). */
export function progressReporter(userId: string, operationId: string | undefined): ReportProgress {
  if (!operationId) return NO_PROGRESS;
  const key = keyOf(userId, operationId);
  return (phase, done = 0, total = null, step = null) => {
    if (ENDED.includes(phase)) cancelRequests.delete(key);
    // A report comes before every write (`writing` first): an operation asked to stop, stops here.
    else if (cancelRequests.delete(key)) fail('CLIENT_CLOSED_REQUEST', 'operationId', 'operation.cancelled');
    const now = Date.now();
    for (const [k, v] of board) if (v.until < now) board.delete(k);
    board.delete(key); // re-inserted last: the Map's order is the order of last reports
    board.set(key, { progress: { phase, done, total, step }, until: now + KEEP_MS });
    for (const k of board.keys()) {
      if (board.size <= KEEP_AT_MOST) break;
      board.delete(k);
    }
  };
}

/** The last progress `userId`'s operation reported, or null (none, another user's, or expired). */
export function progressOf(userId: string, operationId: string): OperationProgress | null {
  const entry = board.get(keyOf(userId, operationId));
  return entry && entry.until >= Date.now() ? entry.progress : null;
}

/**
 * Asks `userId`'s operation to stop: true when it is still in a phase that writes nothing
 * (reading the roster, computing), so that it stops at its next report and nothing is written;
 * false when it is unknown, another user's, writing or over.
 */
export function requestCancel(userId: string, operationId: string): boolean {
  const key = keyOf(userId, operationId);
  const entry = board.get(key);
  if (!entry || entry.until < Date.now() || !CANCELLABLE.includes(entry.progress.phase)) return false;
  cancelRequests.add(key);
  return true;
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
