import {
  checkCheckpointSignatures,
  verifyAuditChain,
  type AuditChainReport,
  type AuditCheckpoint,
} from '@spotcheck/api';
import type { Database } from '@spotcheck/db';

/** Checkpoints asked for a page (the most `audit.checkpoints` serves). */
const PORTAL_PAGE = 500;

/**
 * Reads every signed audit checkpoint a portal publishes (`audit.checkpoints`), a page at a time
 * in seq order, until the portal says there is no next page. Throws rather than end early: when
 * the paging stops advancing, or ends with fewer checkpoints than the portal counted at the
 * start (a verifier that stopped at page one would pass a chain rewritten after it).
 */
async function* portalCheckpointPages(
  portalUrl: string,
  opts: { pageSize?: number } = {},
): AsyncGenerator<AuditCheckpoint[]> {
  const limit = opts.pageSize ?? PORTAL_PAGE;
  let after: number | undefined;
  let total: number | null = null;
  let served = 0;
  for (;;) {
    const url = new URL('/trpc/audit.checkpoints', portalUrl);
    url.searchParams.set('input', JSON.stringify(after === undefined ? { limit } : { after, limit }));
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`--from-portal: ${url} answered HTTP ${res.status}`);
    const body = (await res.json()) as { result?: { data?: unknown } };
    const data = body.result?.data;
    // A portal from before paging ignores the input and serves every checkpoint at once.
    if (Array.isArray(data) && after === undefined) {
      yield data as AuditCheckpoint[];
      return;
    }
    const page = data as { rows?: unknown; total?: unknown; next?: unknown } | undefined;
    if (
      !page ||
      !Array.isArray(page.rows) ||
      typeof page.total !== 'number' ||
      !(page.next === null || typeof page.next === 'number')
    )
      throw new Error(`--from-portal: ${url} did not return a page of checkpoints`);
    total ??= page.total;
    served += page.rows.length;
    yield page.rows as AuditCheckpoint[];
    if (page.next === null) break;
    if (page.rows.length === 0 || (after !== undefined && page.next <= after))
      throw new Error(
        `--from-portal: ${url} does not page forward (next ${page.next} after ${after ?? 'none'})`,
      );
    after = page.next;
  }
  // Checkpoints are only ever added: fewer than counted means pages were skipped.
  if (served < total)
    throw new Error(
      `--from-portal: the portal counted ${total} checkpoints but served ${served}: pages are missing`,
    );
}

/** Fetches every signed audit checkpoint a portal publishes, all pages of `audit.checkpoints`. */
export async function fetchPortalCheckpoints(
  portalUrl: string,
  opts: { pageSize?: number } = {},
): Promise<AuditCheckpoint[]> {
  const all: AuditCheckpoint[] = [];
  for await (const page of portalCheckpointPages(portalUrl, opts)) all.push(...page);
  return all;
}

/**
 * Verifies the chain against published checkpoints (signatures first, all under one key or the
 * pinned `publicKey`) and an optional earlier head: truncation and rewriting both show. The
 * checkpoints are `checkpoints`, then every page the portal at `fromPortal` serves, `pageSize` a
 * page: each page's signatures are checked as it comes and only its seqs and hashes are kept, so
 * a year's ~52,000 checkpoints take a few MB, not their whole signed form at once.
 */
export async function verifyAgainstCheckpoints(
  database: Database,
  opts: {
    checkpoints?: AuditCheckpoint[];
    fromPortal?: string;
    pageSize?: number;
    head?: { seq: number; hash: string };
    publicKey?: string;
  },
): Promise<AuditChainReport & { checkpoints: number }> {
  async function* pages() {
    if (opts.checkpoints) yield opts.checkpoints;
    if (opts.fromPortal) yield* portalCheckpointPages(opts.fromPortal, { pageSize: opts.pageSize });
  }
  const pinned: { seq: number; hash: string }[] = [];
  // The key every checkpoint must be signed with: the pinned one, else the first checkpoint's.
  let key = opts.publicKey;
  for await (const page of pages()) {
    key ??= page[0]?.publicKey;
    const bad = checkCheckpointSignatures(page, key);
    if (bad) {
      return {
        ok: false,
        count: 0,
        head: null,
        checkpoints: pinned.length,
        problem: { seq: 0, kind: 'altered', detail: `the portal's checkpoints cannot be trusted: ${bad}` },
      };
    }
    for (const c of page) pinned.push({ seq: c.seq, hash: c.hash });
  }
  const report = await verifyAuditChain(database.db, { checkpoints: pinned, expectedHead: opts.head });
  return { ...report, checkpoints: pinned.length };
}
