import type { Database } from './client';

/**
 * sr-draw/v1 keys (§3) computed inside the database with pgcrypto's `hmac`, so an auditor can
 * recompute a draw's keys next to the roster without exporting it: K(p…) = HMAC-SHA256(PRK,
 * enc(p…) ‖ 0x01) with enc = uint32be(len) ‖ UTF-8 per part. The bytes equal packages/core's.
 */

/** SQL for enc(part): 4-byte big-endian length (int4send) then the UTF-8 bytes. */
const enc = (expr: string) =>
  `int4send(octet_length(convert_to(${expr}, 'UTF8'))) || convert_to(${expr}, 'UTF8')`;
const KEY = (parts: string[]) =>
  `encode(hmac(${parts.map(enc).join(' || ')} || '\\x01'::bytea, decode($1, 'hex'), 'sha256'), 'hex')`;

/** Makes sure pgcrypto is installed (trusted extension: any user with CREATE on the database). */
export async function ensurePgcrypto(database: Database): Promise<void> {
  await database.exec('CREATE EXTENSION IF NOT EXISTS pgcrypto');
}

/** Which key family to compute: select (per stratum), order, or assign (per unit). */
export type SqlKeyFamily =
  { kind: 'select'; stratumId: string } | { kind: 'order' } | { kind: 'assign'; unitId: string };

/**
 * Keys for every id that `idsSql` (a query returning one text column `id`) yields, as
 * `{id, key}` hex rows ordered by (key, id) — the srs ranking of §4 when `kind` is select.
 */
export async function drawKeysInSql(
  database: Database,
  prkHex: string,
  family: SqlKeyFamily,
  idsSql: string,
): Promise<{ id: string; key: string }[]> {
  if (!/^[0-9a-f]{64}$/.test(prkHex)) throw new Error('prkHex must be 64 lowercase hex characters');
  const parts =
    family.kind === 'select'
      ? [`'sr-draw/v1'`, `'select'`, '$2', 'ids.id']
      : family.kind === 'order'
        ? [`'sr-draw/v1'`, `'order'`, 'ids.id']
        : [`'sr-draw/v1'`, `'assign'`, '$2', 'ids.id'];
  const params: unknown[] = [prkHex];
  if (family.kind === 'select') params.push(family.stratumId);
  if (family.kind === 'assign') params.push(family.unitId);
  const { rows } = await database.exec(
    `SELECT k.id, k.key FROM (SELECT ids.id AS id, ${KEY(parts)} AS key FROM (${idsSql}) AS ids) AS k
     ORDER BY k.key COLLATE "C", k.id COLLATE "C"`,
    params,
  );
  return rows as { id: string; key: string }[];
}
