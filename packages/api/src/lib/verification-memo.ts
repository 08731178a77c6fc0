/**
 * Reports of published draws, kept by key (publication id and the digest of every other input the
 * check reads): a publication never changes, so the same key gives the same report. Concurrent
 * requests for one key share one check; a failed check is not kept. Bounded: the oldest report
 * goes first. Without it, anyone could keep the server busy by asking again and again for the
 * check of a city draw (10^6 frame rows: tens of seconds each).
 */
const MAX_REPORTS = 64;
const reports = new Map<string, Promise<unknown>>();
let checks = 0;

/** The kept report for `key`, or `check()`'s, kept from now on. */
export function verificationMemo<T>(key: string, check: () => Promise<T>): Promise<T> {
  const kept = reports.get(key);
  if (kept) {
    // Most recently used last.
    reports.delete(key);
    reports.set(key, kept);
    return kept as Promise<T>;
  }
  checks++;
  const running = check();
  reports.set(key, running);
  running.catch(() => reports.delete(key));
  while (reports.size > MAX_REPORTS) reports.delete(reports.keys().next().value!);
  return running;
}

/** How many checks have run (not answered from the memo), for tests. */
export function verificationChecks(): number {
  return checks;
}
