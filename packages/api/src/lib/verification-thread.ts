/**
 * Draw checks off the event loop. A city draw's check reads 10^8 bytes of JSON and hashes them for
 * seconds; run on the server's one thread, every other request (a sign-in, a page of the roster)
 * would wait for it. One worker thread, started on the first check and kept while the server runs,
 * takes the checks in turn; the server only hands it the stored JSON text (as bytes: moved, not
 * copied) and gets the report back.
 * A worker that dies fails the checks it held, and the next check starts a new one.
 */
import { Worker } from 'node:worker_threads';
import type { VerifyStepV2 } from '@spotcheck/core';
import type { DrawCheck, DrawCheckReport, OtherSigningTime } from './draw-check';
import { fail } from './errors';

type Answer = DrawCheckReport | OtherSigningTime;

interface Waiting {
  resolve: (report: Answer) => void;
  reject: (err: Error) => void;
  onStep?: (step: VerifyStepV2) => void;
}

/** A running thread and the checks it holds. */
interface Thread {
  worker: Worker;
  waiting: Map<number, Waiting>;
}

let current: Thread | null = null;
let nextId = 1;

/** Fails every check a thread holds, and forgets the thread. */
function failAll(thread: Thread, err: Error): void {
  if (current === thread) current = null;
  for (const wait of thread.waiting.values()) wait.reject(err);
  thread.waiting.clear();
}

function startThread(): Thread {
  // The platform runs its TypeScript through tsx: the bootstrap registers it, then loads the entry.
  const worker = new Worker(new URL('./verification-bootstrap.mjs', import.meta.url), {
    workerData: { entry: new URL('./verification-worker.ts', import.meta.url).href },
    execArgv: [],
  });
  const thread: Thread = { worker, waiting: new Map() };
  worker.on('message', (msg: { id: number; step?: VerifyStepV2; report?: Answer; error?: string }) => {
    const wait = thread.waiting.get(msg.id);
    if (!wait) return;
    if (msg.step !== undefined) {
      wait.onStep?.(msg.step);
      return;
    }
    thread.waiting.delete(msg.id);
    if (msg.error !== undefined) wait.reject(new Error(msg.error));
    else wait.resolve(msg.report!);
    // An idle thread does not keep the process alive.
    if (thread.waiting.size === 0) worker.unref();
  });
  worker.on('error', (err) => failAll(thread, err));
  worker.on('exit', (code) =>
    failAll(thread, new Error(`the verification thread stopped (exit code ${code})`)),
  );
  return thread;
}

/**
 * Bytes that own their whole buffer are moved to the thread, not copied (the caller's view is
 * emptied); a view into a shared buffer (Node's pool of small Buffers) is copied.
 */
function movable(content: string | Uint8Array): ArrayBuffer[] {
  if (typeof content === 'string') return [];
  const { buffer } = content;
  return buffer instanceof ArrayBuffer && content.byteOffset === 0 && content.byteLength === buffer.byteLength
    ? [buffer]
    : [];
}

/**
 * Runs a draw check on the verification thread; `onStep` hears each v2 step as it begins there. A
 * v2 check whose inputs were read for another signing time than its bundle says answers that time
 * ({@link checkDrawOffThread} checks again).
 */
export function checkOffThread(check: DrawCheck, onStep?: (step: VerifyStepV2) => void): Promise<Answer> {
  const thread = (current ??= startThread());
  const id = nextId++;
  return new Promise<Answer>((resolve, reject) => {
    thread.waiting.set(id, { resolve, reject, ...(onStep ? { onStep } : {}) });
    thread.worker.ref();
    thread.worker.postMessage({ id, check }, movable(check.content));
  });
}

/**
 * Runs a draw check on the verification thread and answers its report. A v2 check whose inputs
 * (the key registry) were read for another signing time than its bundle says is made again by
 * `again` for the bundle's time (its content is moved to the thread, so `again` reads it anew):
 * the report is always the one of the registry the bundle's own signing time picks, as anyone
 * checking the published file gets. A bundle that says yet another time at the second read was
 * changed meanwhile: refused (CONFLICT on `field`).
 */
export async function checkDrawOffThread(
  check: DrawCheck,
  again: ((signedAt: string | null) => Promise<DrawCheck>) | null,
  onStep?: (step: VerifyStepV2) => void,
  field = 'id',
): Promise<DrawCheckReport> {
  const first = await checkOffThread(check, onStep);
  if (!('otherSigningTime' in first)) return first;
  if (!again) throw new Error('a draw check was read for another signing time than its bundle says');
  const second = await checkOffThread(await again(first.otherSigningTime), onStep);
  // The bundle said another time at each read: it was changed in between (by hand, in the
  // database). A refusal to check it again, not a server error.
  if ('otherSigningTime' in second) fail('CONFLICT', field, 'draw.changedWhileChecked');
  return second;
}

/** Stops the verification thread, if one runs, failing the checks it held (a server shutting down; tests). */
export async function stopVerificationThread(): Promise<void> {
  const thread = current;
  if (!thread) return;
  failAll(thread, new Error('the verification thread stopped'));
  await thread.worker.terminate();
}
