/**
 * The verification thread's entry (see {@link ./verification-thread}): runs each draw check it is
 * sent, one at a time, and answers with the report or the error's message.
 */
import { parentPort } from 'node:worker_threads';
import '@spotcheck/core/node';
import { parseContent, runParsedCheck, wholeContent, type DrawCheck } from './draw-check';

/**
 * The message's content parsed, and the message emptied of its text (this thread's own copy, or
 * the bytes moved to it): a city draw's is ~10^8 bytes, not held while its check runs for seconds.
 */
function takeContent(message: { check: DrawCheck }): unknown {
  const { algorithm, content, record } = message.check;
  const whole = wholeContent(message.check);
  const isVoid = message.check.algorithm === 'sr-draw/v2' && message.check.isVoid;
  message.check.content = '';
  return parseContent({ algorithm, content, whole, isVoid, ...(record ? { record } : {}) });
}

parentPort!.on('message', (message: { id: number; check: DrawCheck }) => {
  const { id } = message;
  try {
    // Each step as it begins, then the report.
    const parsed = takeContent(message);
    const report = runParsedCheck(message.check, parsed, (step) => parentPort!.postMessage({ id, step }));
    parentPort!.postMessage({ id, report });
  } catch (err) {
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
