/**
 * National keys of the rosters, kept at write time. Units and officers are keyed by
 * (bureau_code, id) so that they can be distributed by bureau (SCALING.md), and such a key holds
 * within one bureau only; yet a credit code (统一社会信用代码), an officer's id and a certificate
 * number (执法证号) are national: no two bureaus may hold the same one. Every write that adds a
 * unit or an officer, or gives an officer a certificate number, checks it here across bureaus,
 * under advisory locks held until its transaction ends, so that two districts racing cannot both
 * insert:
 *
 * - a single write (a form) takes its roster's lock shared, then an exclusive lock on each key it
 *   writes (`lockKeys`), and reads whether another row holds the key;
 * - a bulk write (an import, a roster sync) takes its roster's lock exclusively (`lockRoster`):
 *   it waits for the single writes under way and holds off new ones until it commits, so its
 *   set-based checks see every row written before its own.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import { inspectors, units, type BulkSession } from '@spotcheck/db';
import { fail } from './errors';
import type { DbOrTx } from './db';

/** A roster whose keys are national. */
export type NationalRoster = 'units' | 'inspectors';

/** The roster locks' namespace (`pg_advisory_xact_lock(int, int)`, "ROST"); the key is the roster. */
const ROSTER_LOCK = 0x524f5354;
const ROSTER_OF: Record<NationalRoster, number> = { units: 1, inspectors: 2 };

/** Namespaces of the locks on one key (`hashtext` of the key; a collision only makes a writer wait). */
const KEY_LOCK = {
  /** A unit's credit code ("UNIT"). */
  unit: 0x554e4954,
  /** An officer's id ("INSP"). */
  inspector: 0x494e5350,
  /** A certificate number ("CERT"). */
  certificate: 0x43455254,
} as const;

/** A key a single write is about to write. */
export type NationalKey = { kind: keyof typeof KEY_LOCK; value: string };

/**
 * A single write's locks: its roster's lock shared (so that a bulk write of the roster is not
 * under way), then each key's lock, in a fixed order (so that two writers cannot deadlock).
 */
export async function lockKeys(tx: DbOrTx, roster: NationalRoster, keys: NationalKey[]): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock_shared(${ROSTER_LOCK}::int, ${ROSTER_OF[roster]}::int)`);
  const order = Object.keys(KEY_LOCK);
  const sorted = [...keys].sort(
    (a, b) =>
      order.indexOf(a.kind) - order.indexOf(b.kind) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
  );
  for (const k of sorted)
    await tx.execute(sql`select pg_advisory_xact_lock(${KEY_LOCK[k.kind]}::int, hashtext(${k.value}))`);
}

/** A bulk write's lock: the whole roster's keys, until the transaction ends. */
export async function lockRoster(tx: DbOrTx, roster: NationalRoster): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ROSTER_LOCK}::int, ${ROSTER_OF[roster]}::int)`);
}

/** {@link lockRoster} on a bulk session's connection (an import's COPY transaction). */
export async function lockRosterInSession(
  s: Pick<BulkSession, 'exec'>,
  roster: NationalRoster,
): Promise<void> {
  await s.exec('select pg_advisory_xact_lock($1::int, $2::int)', [ROSTER_LOCK, ROSTER_OF[roster]]);
}

/**
 * Refuses a unit whose credit code a unit of any bureau already has (CONFLICT `unit.idTaken`,
 * naming the bureau). Call under {@link lockKeys} or {@link lockRoster}.
 */
export async function checkUnitIdFree(tx: DbOrTx, id: string, field = 'id'): Promise<void> {
  const [held] = await tx
    .select({ bureauCode: units.bureauCode })
    .from(units)
    .where(eq(units.id, id))
    .limit(1);
  if (held) fail('CONFLICT', field, 'unit.idTaken', { id, bureauCode: held.bureauCode });
}

/** Refuses an officer id that an officer of any bureau already has (CONFLICT `inspector.idTaken`). */
export async function checkInspectorIdFree(tx: DbOrTx, id: string, field = 'id'): Promise<void> {
  const [held] = await tx
    .select({ bureauCode: inspectors.bureauCode })
    .from(inspectors)
    .where(eq(inspectors.id, id))
    .limit(1);
  if (held) fail('CONFLICT', field, 'inspector.idTaken', { id, bureauCode: held.bureauCode });
}

/**
 * Refuses a certificate number that another officer (`except`, the officer being edited, aside)
 * holds in any bureau (CONFLICT `inspector.certificateTaken`).
 */
export async function checkCertificateFree(
  tx: DbOrTx,
  certificateNo: string,
  except?: string,
  field = 'certificateNo',
): Promise<void> {
  const [holder] = await tx
    .select({ id: inspectors.id })
    .from(inspectors)
    .where(
      and(
        eq(inspectors.certificateNo, certificateNo),
        except === undefined ? undefined : ne(inspectors.id, except),
      ),
    )
    .limit(1);
  if (holder) fail('CONFLICT', field, 'inspector.certificateTaken', { certificateNo, id: holder.id });
}
