/**
 * Witnesses that co-sign checkpoints inside this process. Only the offline demo (`npm start`
 * outside production) uses them: two demo witnesses, clearly labelled 演示见证人, stand in for the
 * city's supervisory authority and a public monitor so a demo draw can end with its commitment
 * time proven. Each has its own Ed25519 key (never a bureau or official key, never the log's); in
 * a real deployment witnesses run `spotcheck witness` on their own machines, and a production
 * server refuses to register these.
 */
import { createHmac } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { logCheckpoints, logCosignatures, logWitnesses, type Db } from '@spotcheck/db';
import {
  cosignCheckpoint,
  isoSeconds,
  publicKeyOf,
  secondsBetween,
  WITNESS_CLOCK_SKEW_SECONDS,
} from '@spotcheck/core/log';
import { appendAudit } from '../audit/chain';
import { CITY_BUREAU } from '../trpc';
import type { DbOrTx } from '../lib/db';
import {
  activeWitnesses,
  assertIndependentWitnessKey,
  issueCheckpoint,
  latestSignedCheckpoint,
  submitCosignature,
} from './transparency';
import { publishWitnessRegistry } from './witness-registry';

/** A witness whose secret key this process holds. */
export interface LocalWitness {
  name: string;
  label: string;
  publicKey: string;
  secretKey: string;
}

/**
 * The demo witnesses: who they stand for, named so nobody mistakes them for real ones (their
 * `demo-` names mark them on English pages too).
 */
export const DEMO_WITNESSES = [
  { name: 'demo-city-supervision', label: '演示见证人 · 市应急管理局监督处' },
  { name: 'demo-public-monitor', label: '演示见证人 · 公众监督员' },
] as const;

/**
 * A demo witness's key, derived from the server's key secret and its name (so a restarted demo
 * keeps its witnesses). The derivation label is its own: the key equals no other key the server makes.
 */
export function demoWitnessKey(keySecret: string, name: string, label: string): LocalWitness {
  const seed = createHmac('sha256', keySecret).update(`spotcheck demo witness/v1\n${name}`).digest();
  const secretKey = seed.toString('base64');
  return { name, label, secretKey, publicKey: publicKeyOf(secretKey) };
}

let local: LocalWitness[] = [];

/** The witnesses co-signing in this process (none unless {@link enableDemoWitnesses} ran). */
export function localWitnesses(): readonly LocalWitness[] {
  return local;
}

/** Stops co-signing in this process (tests). */
export function disableLocalWitnesses(): void {
  local = [];
}

/**
 * Registers the demo witnesses (once; audited in the city's name, the witness registry
 * republished) and has them co-sign in this process from now on. Refused in production: real
 * witnesses are registered by the city admin with keys they made themselves.
 */
export async function enableDemoWitnesses(
  db: Db,
  opts: { keySecret: string; production: boolean; now?: Date; byUserId?: string | null },
): Promise<LocalWitness[]> {
  if (opts.production)
    throw new Error('demo witnesses are never registered in production: the city registers real witnesses');
  const now = opts.now ?? new Date();
  const keys = DEMO_WITNESSES.map((w) => demoWitnessKey(opts.keySecret, w.name, w.label));
  await db.transaction(async (tx) => {
    const registered = await activeWitnesses(tx);
    let added = 0;
    for (const w of keys) {
      if (registered.some((r) => r.publicKey === w.publicKey)) continue;
      const byName = await tx.query.logWitnesses.findFirst({ where: (x, { eq }) => eq(x.name, w.name) });
      // A retired demo witness stays retired: the city decided so.
      if (byName) continue;
      await assertIndependentWitnessKey(tx, w.publicKey);
      const [row] = await tx
        .insert(logWitnesses)
        .values({
          name: w.name,
          label: w.label,
          publicKey: w.publicKey,
          addedAt: now,
          addedBy: opts.byUserId ?? null,
        })
        .returning();
      await appendAudit(
        tx,
        {
          actorUserId: opts.byUserId ?? null,
          actorRole: 'system',
          bureauCode: CITY_BUREAU,
          action: 'log.witness.add',
          entity: 'log_witnesses',
          entityId: row!.id,
          after: { name: w.name, label: w.label, publicKey: w.publicKey, demo: true },
        },
        now,
      );
      added++;
    }
    if (added) await publishWitnessRegistry(tx, opts.byUserId ?? null, now);
  });
  const active = await activeWitnesses(db);
  local = keys.filter((k) => active.some((a) => a.publicKey === k.publicKey));
  return local;
}

/** The last checkpoint a witness co-signed (what it saw before), or null. */
async function lastSeen(db: DbOrTx, publicKey: string) {
  const [row] = await db
    .select({ size: logCheckpoints.size, rootHash: logCheckpoints.rootHash })
    .from(logCosignatures)
    .innerJoin(logWitnesses, eq(logWitnesses.id, logCosignatures.witnessId))
    .innerJoin(logCheckpoints, eq(logCheckpoints.id, logCosignatures.checkpointId))
    .where(and(eq(logWitnesses.publicKey, publicKey)))
    .orderBy(desc(logCheckpoints.id))
    .limit(1);
  return row ?? null;
}

/**
 * Has every local witness co-sign the latest checkpoint the log signed through the same door as an
 * outside witness (`submitCosignature`: its clock, the log's consistency with what it saw before;
 * an outside witness checks the log's signature first, as `spotcheck witness` does).
 * Returns how many co-signed.
 */
export async function cosignLocally(db: Db, now: Date): Promise<number> {
  if (!local.length) return 0;
  const cp = await latestSignedCheckpoint(db);
  if (!cp) return 0;
  // A witness checks the checkpoint time against its own clock: one issued more than 30 s ago
  // (before a restart, say) is left alone; the next checkpoint is co-signed instead.
  if (Math.abs(secondsBetween(cp.time, isoSeconds(now))) > WITNESS_CLOCK_SKEW_SECONDS) return 0;
  let n = 0;
  for (const w of local) {
    if (cp.cosignatures.some((c) => c.publicKey === w.publicKey)) continue;
    const c = cosignCheckpoint(cp, w, isoSeconds(now));
    await submitCosignature(
      db,
      { size: cp.size, checkpointTime: cp.time, ...c, previous: await lastSeen(db, w.publicKey) },
      now,
    );
    n++;
  }
  return n;
}

/**
 * One round of the log's schedule: a checkpoint when the tree grew (or the last one is 5 minutes
 * old), then the local witnesses' co-signatures. What the `log-checkpoint` job runs.
 */
export async function checkpointAndCosign(db: Db, opts: { now: Date; keySecret: string }) {
  const cp = await issueCheckpoint(db, { now: opts.now, keySecret: opts.keySecret });
  const cosigned = await cosignLocally(db, opts.now);
  return { issued: cp ? { size: cp.size, time: cp.time } : null, cosigned };
}
