/**
 * Reports of published draws, one per publication, kept with the key they were computed for (the
 * digest of every other input the check reads): a publication never changes, so the same key
 * gives the same report, and a new key (a later log checkpoint, a new registry) replaces it.
 * Concurrent requests for one key share one check; a failed check is not kept. Bounded by
 * {@link MAX_REPORTS} publications, more than a city publishes draws and voids in years, so
 * asking for other draws cannot push a large draw's report out. Without it, anyone could keep the
 * server busy by asking again and again for the check of a city draw (10^6 frame rows: tens of
 * seconds each).
 */
const MAX_REPORTS = 4096;
const reports = new Map<string, { key: string; report: Promise<unknown> }>();
let checks = 0;

/** The kept report of publication `id` for `key`, or `check()`'s, kept from now on. */
export function verificationMemo<T>(id: string, key: string, check: () => Promise<T>): Promise<T> {
  const kept = reports.get(id);
  if (kept?.key === key) return kept.report as Promise<T>;
  checks++;
  const report = check();
  const entry = { key, report };
  reports.delete(id);
  reports.set(id, entry);
  report.catch(() => {
    if (reports.get(id) === entry) reports.delete(id);
  });
  while (reports.size > MAX_REPORTS) reports.delete(reports.keys().next().value!);
  return report;
}

/** How many checks have run (not answered from the memo), for tests. */
export function verificationChecks(): number {
  return checks;
}
