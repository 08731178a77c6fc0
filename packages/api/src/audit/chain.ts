import { asc, desc, gt, sql } from 'drizzle-orm';
import type { AuditAction, AuditEntity } from '@spotcheck/core';
import { auditEvents, type Db } from '@spotcheck/db';
import { canonicalJson, sha256Hex, toJsonValue } from '../lib/canonical';
import type { DbOrTx } from '../lib/db';

/** `prevHash` of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** Advisory lock key that serialises appends to the chain (any 64-bit constant; "SPOTAUD"). */
const AUDIT_LOCK_KEY = 0x53504f54415544;

/** What a mutation tells the audit trail (R21). */
export interface AuditInput {
  actorUserId: string | null;
  actorRole: string | null;
  bureauCode: string | null;
  /** Verb in dotted form, e.g. `plan.approve`, `unit.create` (one of `AUDIT_ACTIONS`, with its labels). */
  action: AuditAction;
  /** Table or entity kind, e.g. `plans` (one of `AUDIT_ENTITIES`). */
  entity: AuditEntity;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

/** One stored audit event. */
export type AuditEventRow = typeof auditEvents.$inferSelect;

/** The fields the hash covers, in a stable, canonical form. */
function hashedFields(e: {
  seq: number;
  at: string;
  actorUserId: string | null;
  actorRole: string | null;
  bureauCode: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  prevHash: string;
}) {
  return {
    seq: e.seq,
    at: new Date(e.at).toISOString(),
    actorUserId: e.actorUserId,
    actorRole: e.actorRole,
    bureauCode: e.bureauCode,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    before: e.before ?? null,
    after: e.after ?? null,
    prevHash: e.prevHash,
  };
}

/** The hash of an event: SHA-256 over the canonical JSON of every field but `hash`. */
export function auditEventHash(e: Parameters<typeof hashedFields>[0]): string {
  return sha256Hex(canonicalJson(hashedFields(e)));
}

/**
 * Appends one event to the hash chain. Call it inside the mutation's own transaction: the
 * transaction-scoped advisory lock serialises concurrent appends, so `seq` stays strictly
 * increasing and each `prevHash` names the event before it.
 */
export async function appendAudit(tx: DbOrTx, input: AuditInput, at: Date): Promise<AuditEventRow> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const [last] = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  const event = nextEvent(last ?? null, input, at);
  const [row] = await tx.insert(auditEvents).values(event).returning();
  return row!;
}

/** The event after `last` (null: the first), with its hash. */
function nextEvent(last: { seq: number; hash: string } | null, input: AuditInput, at: Date) {
  const event = {
    seq: (last?.seq ?? 0) + 1,
    at: at.toISOString(),
    actorUserId: input.actorUserId,
    actorRole: input.actorRole,
    bureauCode: input.bureauCode,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId,
    before: toJsonValue(input.before ?? null),
    after: toJsonValue(input.after ?? null),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  return { ...event, hash: auditEventHash(event) };
}

/**
 * {@link appendAudit} on a raw connection inside its transaction (a bulk session's COPY): the same
 * lock, the same event and hash.
 */
export async function appendAuditRaw(
  exec: (sql: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>,
  input: AuditInput,
  at: Date,
): Promise<void> {
  await exec('select pg_advisory_xact_lock($1::bigint)', [String(AUDIT_LOCK_KEY)]);
  const { rows } = await exec('select seq, hash from audit_events order by seq desc limit 1');
  const last = rows[0] ? { seq: Number(rows[0].seq), hash: String(rows[0].hash) } : null;
  const e = nextEvent(last, input, at);
  await exec(
    `insert into audit_events (seq, at, actor_user_id, actor_role, bureau_code, action, entity, entity_id, before, after, prev_hash, hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12)`,
    [
      e.seq,
      e.at,
      e.actorUserId,
      e.actorRole,
      e.bureauCode,
      e.action,
      e.entity,
      e.entityId,
      e.before === null ? null : JSON.stringify(e.before),
      e.after === null ? null : JSON.stringify(e.after),
      e.prevHash,
      e.hash,
    ],
  );
}

/** The first problem {@link verifyAuditChain} found. */
export interface AuditChainProblem {
  /** The stored `seq` of the event where the chain breaks. */
  seq: number;
  kind: 'altered' | 'removed' | 'reordered';
  detail: string;
}

/** Outcome of {@link verifyAuditChain}. */
export interface AuditChainReport {
  ok: boolean;
  /** Events checked. */
  count: number;
  /** The last event: publish or compare it to detect removal of events at the end. */
  head: { seq: number; hash: string } | null;
  problem: AuditChainProblem | null;
}

const BATCH = 2000;

async function* readChain(db: Db): AsyncGenerator<AuditEventRow> {
  let after = 0;
  let first = true;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(first ? undefined : gt(auditEvents.seq, after))
      .orderBy(asc(auditEvents.seq))
      .limit(BATCH);
    first = false;
    for (const r of rows) yield r;
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.seq;
  }
}

/**
 * Recomputes the audit chain and reports the first altered, removed or reordered event.
 * - altered: an event's fields no longer hash to its stored hash;
 * - removed: an event's `prevHash` names no stored event, or `seq` skips numbers;
 * - reordered: an intact event sits at another position than the one it was written at.
 * Removal of events at the very end leaves no trace inside the chain: compare `head` with a
 * previously published head for that. Optionally pass it as `expectedHead`.
 */
export async function verifyAuditChain(
  db: Db,
  options: {
    /** A head seen earlier: the event at its seq must still carry its hash (the chain may be longer). */
    expectedHead?: { seq: number; hash: string };
    /** Published checkpoints: each must still be on the chain, at its position, with its hash. */
    checkpoints?: { seq: number; hash: string }[];
  } = {},
): Promise<AuditChainReport> {
  const pinned = new Map<number, string>();
  for (const c of [...(options.checkpoints ?? []), ...(options.expectedHead ? [options.expectedHead] : [])]) {
    if (pinned.has(c.seq) && pinned.get(c.seq) !== c.hash) {
      return {
        ok: false,
        count: 0,
        head: null,
        problem: { seq: c.seq, kind: 'altered', detail: `two checkpoints disagree on event ${c.seq}` },
      };
    }
    pinned.set(c.seq, c.hash);
  }
  // Pass 1: every stored hash, and the order the events were written in, rebuilt by following
  // prevHash links from the start of the chain.
  const seqOfHash = new Map<string, number>();
  const nextOf = new Map<string, string>();
  for await (const r of readChain(db)) {
    seqOfHash.set(r.hash, r.seq);
    if (!nextOf.has(r.prevHash)) nextOf.set(r.prevHash, r.hash);
  }
  const writtenSeqOfHash = new Map<string, number>();
  for (
    let h = nextOf.get(GENESIS_HASH), n = 1;
    h !== undefined && !writtenSeqOfHash.has(h);
    h = nextOf.get(h), n++
  ) {
    writtenSeqOfHash.set(h, n);
  }
  nextOf.clear();

  let prev: AuditEventRow | null = null;
  let count = 0;
  const fail = (problem: AuditChainProblem): AuditChainReport => ({
    ok: false,
    count,
    head: prev ? { seq: prev.seq, hash: prev.hash } : null,
    problem,
  });
  for await (const r of readChain(db)) {
    count++;
    const expectedPrev = prev?.hash ?? GENESIS_HASH;
    const expectedSeq = (prev?.seq ?? 0) + 1;
    if (auditEventHash(r) !== r.hash) {
      // Intact but moved? Following the prevHash links tells where it was written.
      const written = writtenSeqOfHash.get(r.hash);
      if (written !== undefined && written !== r.seq && auditEventHash({ ...r, seq: written }) === r.hash) {
        return fail({
          seq: r.seq,
          kind: 'reordered',
          detail: `event stored at seq ${r.seq} was written as seq ${written} (${r.action} ${r.entity})`,
        });
      }
      return fail({
        seq: r.seq,
        kind: 'altered',
        detail:
          `event ${r.seq} (${r.action} ${r.entity} ${r.entityId ?? ''}) does not match its hash: its content was changed`.replace(
            '  ',
            ' ',
          ),
      });
    }
    if (r.prevHash !== expectedPrev) {
      if (r.prevHash === GENESIS_HASH || seqOfHash.has(r.prevHash)) {
        return fail({
          seq: r.seq,
          kind: 'reordered',
          detail: `event ${r.seq} was written after ${r.prevHash === GENESIS_HASH ? 'the start of the chain' : `event ${seqOfHash.get(r.prevHash)}`}, but follows ${prev ? `event ${prev.seq}` : 'the start'}`,
        });
      }
      return fail({
        seq: r.seq,
        kind: 'removed',
        detail: `the event written before event ${r.seq} is missing${r.seq !== expectedSeq ? ` (seq jumps from ${expectedSeq - 1} to ${r.seq})` : ''}`,
      });
    }
    if (r.seq !== expectedSeq) {
      return fail({ seq: r.seq, kind: 'removed', detail: `seq jumps from ${expectedSeq - 1} to ${r.seq}` });
    }
    const certified = pinned.get(r.seq);
    if (certified !== undefined && certified !== r.hash) {
      return fail({
        seq: r.seq,
        kind: 'altered',
        detail: `event ${r.seq} had hash ${certified.slice(0, 12)}… when it was checkpointed; now ${r.hash.slice(0, 12)}…: the chain was rewritten at or before it`,
      });
    }
    prev = r;
  }
  const head = prev ? { seq: prev.seq, hash: prev.hash } : null;
  const beyond = [...pinned.keys()].filter((s) => !head || s > head.seq).sort((a, b) => b - a)[0];
  if (beyond !== undefined) {
    return {
      ok: false,
      count,
      head,
      problem: {
        seq: beyond,
        kind: 'removed',
        detail: `the chain should reach event ${beyond} with hash ${pinned.get(beyond)!.slice(0, 12)}…, but ends at ${head ? head.seq : 'nothing'}: events were removed from the end`,
      },
    };
  }
  return { ok: true, count, head, problem: null };
}
