import {
  checkCheckpointSignatures,
  verifyAuditChain,
  type AuditChainReport,
  type AuditCheckpoint,
} from '@spotcheck/api';
import type { Database } from '@spotcheck/db';

/** Fetches the signed audit checkpoints a portal publishes (`audit.checkpoints`). */
export async function fetchPortalCheckpoints(portalUrl: string): Promise<AuditCheckpoint[]> {
  const url = new URL('/trpc/audit.checkpoints', portalUrl);
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`--from-portal: ${url} answered HTTP ${res.status}`);
  const body = (await res.json()) as { result?: { data?: AuditCheckpoint[] } };
  const list = body.result?.data;
  if (!Array.isArray(list)) throw new Error(`--from-portal: ${url} did not return checkpoints`);
  return list;
}

/**
 * Verifies the chain against published checkpoints (signatures first, all under one key or the
 * pinned `publicKey`) and an optional earlier head: truncation and rewriting both show.
 */
export async function verifyAgainstCheckpoints(
  database: Database,
  opts: { checkpoints?: AuditCheckpoint[]; head?: { seq: number; hash: string }; publicKey?: string },
): Promise<AuditChainReport & { checkpoints: number }> {
  const cps = opts.checkpoints ?? [];
  const bad = checkCheckpointSignatures(cps, opts.publicKey);
  if (bad) {
    return {
      ok: false,
      count: 0,
      head: null,
      checkpoints: cps.length,
      problem: { seq: 0, kind: 'altered', detail: `the portal's checkpoints cannot be trusted: ${bad}` },
    };
  }
  const report = await verifyAuditChain(database.db, { checkpoints: cps, expectedHead: opts.head });
  return { ...report, checkpoints: cps.length };
}
