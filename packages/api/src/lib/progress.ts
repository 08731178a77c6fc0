import { z } from 'zod';

/** The phases a long request reports. */
export const PROGRESS_PHASES = ['roster', 'computing', 'writing', 'verifying', 'done', 'failed'] as const;

/** What a long request has done so far: its phase and, where countable, how far into it. */
export interface OperationProgress {
  /**
   * `roster` (reading and classifying units), `computing`, `writing`, `verifying` (a draw's
   * check: `step` says which), `done` or `failed`.
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

/** The reporter of a request without an operation id: reports nothing, so nothing is counted for it. */
export const NO_PROGRESS: ReportProgress = () => {};

/** The reporter of `operationId` for `userId` ({@link NO_PROGRESS} without an id). */
export function progressReporter(userId: string, operationId: string | undefined): ReportProgress {
  if (!operationId) return NO_PROGRESS;
  const key = keyOf(userId, operationId);
  return (phase, done = 0, total = null, step = null) => {
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

/** Runs `work`, reporting `done` after it and `failed` if it throws. */
export async function withProgress<T>(report: ReportProgress, work: () => Promise<T>): Promise<T> {
  try {
    const out = await work();
    report('done');
    return out;
  } catch (e) {
    report('failed');
    throw e;
  }
}
