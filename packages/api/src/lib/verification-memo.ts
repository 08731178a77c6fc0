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

/**
 * The signing time a publication's bundle says, per version of its row, where a check found the
 * draw's row saying another: the next check reads its registry for the bundle's time at once, so
 * its report is kept under the inputs it was made from (a change to them is checked again).
 */
const signingTimes = new Map<string, { version: string; signedAt: string | null }>();

/** The signing time learned for this version of publication `id`'s row, if any. */
export function learnedSigningTime(id: string, version: string): { signedAt: string | null } | undefined {
  const kept = signingTimes.get(id);
  return kept?.version === version ? { signedAt: kept.signedAt } : undefined;
}

/** Keeps the signing time a check found in publication `id`'s bundle, for this version of its row. */
export function learnSigningTime(id: string, version: string, signedAt: string | null): void {
  signingTimes.delete(id);
  signingTimes.set(id, { version, signedAt });
  while (signingTimes.size > MAX_REPORTS) signingTimes.delete(signingTimes.keys().next().value!);
}
