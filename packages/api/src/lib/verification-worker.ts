/**
 * The verification thread's entry (see {@link ./verification-thread}): runs each draw check it is
 * sent, one at a time, and answers with the report or the error's message.
 */
import { parentPort } from 'node:worker_threads';
import '@spotcheck/core/node';
import { runDrawCheck, type DrawCheck } from './draw-check';

parentPort!.on('message', ({ id, check }: { id: number; check: DrawCheck }) => {
  try {
    // Each step as it begins, then the report.
    const report = runDrawCheck(check, (step) => parentPort!.postMessage({ id, step }));
    parentPort!.postMessage({ id, report });
  } catch (err) {
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
