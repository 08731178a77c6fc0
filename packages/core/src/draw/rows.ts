import { sha256hex, textSha256, toHex } from './canonical';
import { DrawInputError } from './errors';
import { assertArray, assertDrawId, assertInt, assertSortedIds, describe, ID_PATTERN } from './ids';

/** A frame row `[unitId, stratumId, weight, mandatory, specialty]` (sr-draw/v1 §1). */
export type FrameRow = [
  unitId: string,
  stratumId: string,
  weight: number,
  mandatory: 0 | 1,
  specialty: string,
];

/** An inspector row `[inspectorId, capacity, specialties, excludedUnits]` (sr-draw/v1 §1). */
export type InspectorRow = [
  inspectorId: string,
  capacity: number,
  specialties: string[],
  excludedUnits: string[],
];

/**
 * Validates published frame rows: shape, identifiers, weight ≥ 1, mandatory 0|1,
 * specialty "" or an id, sorted by unitId with unique unitIds. Errors name the row.
 */
export function validateFrameRows(rows: unknown, path = 'frame'): asserts rows is FrameRow[] {
  assertArray(rows, path);
  let previous = '';
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const at = `${path}[${i}]`;
    if (!Array.isArray(row) || row.length !== 5) {
      throw new DrawInputError(
        at,
        `a frame row is [unitId, stratumId, weight, mandatory, specialty], got ${describe(row)}${Array.isArray(row) ? ` of length ${row.length}` : ''}`,
      );
    }
    const [unitId, stratumId, weight, mandatory, specialty] = row as unknown[];
    assertDrawId(unitId, `${at}[0]`, 'unitId');
    assertDrawId(stratumId, `${at}[1]`, `stratumId of unit ${unitId}`);
    assertInt(weight, `${at}[2]`, 1);
    if (mandatory !== 0 && mandatory !== 1) {
      throw new DrawInputError(
        `${at}[3]`,
        `mandatory of unit ${unitId} must be 0 or 1, got ${describe(mandatory)}`,
      );
    }
    if (specialty !== '') assertDrawId(specialty, `${at}[4]`, `specialty of unit ${unitId} ("" for none)`);
    if (i > 0 && !(previous < unitId)) {
      throw new DrawInputError(
        `${at}[0]`,
        previous === unitId
          ? `duplicate unitId ${describe(unitId)}`
          : `rows must be sorted by unitId: ${describe(previous)} comes before ${describe(unitId)}`,
      );
    }
    previous = unitId;
  }
}

/**
 * Validates published inspector rows: shape, identifiers, capacity ≥ 1, sorted
 * specialties and excludedUnits, rows sorted by inspectorId with unique ids.
 */
export function validateInspectorRows(rows: unknown, path = 'inspectors'): asserts rows is InspectorRow[] {
  assertArray(rows, path);
  let previous = '';
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const at = `${path}[${i}]`;
    if (!Array.isArray(row) || row.length !== 4) {
      throw new DrawInputError(
        at,
        `an inspector row is [inspectorId, capacity, specialties, excludedUnits], got ${describe(row)}${Array.isArray(row) ? ` of length ${row.length}` : ''}`,
      );
    }
    const [inspectorId, capacity, specialties, excluded] = row as unknown[];
    assertDrawId(inspectorId, `${at}[0]`, 'inspectorId');
    assertInt(capacity, `${at}[1]`, 1);
    assertSortedIds(specialties, `${at}[2]`, `specialty of inspector ${inspectorId}`);
    assertSortedIds(excluded, `${at}[3]`, `excluded unit of inspector ${inspectorId}`);
    if (i > 0 && !(previous < inspectorId)) {
      throw new DrawInputError(
        `${at}[0]`,
        previous === inspectorId
          ? `duplicate inspectorId ${describe(inspectorId)}`
          : `rows must be sorted by inspectorId: ${describe(previous)} comes before ${describe(inspectorId)}`,
      );
    }
    previous = inspectorId;
  }
}

const ROWS_PER_CHUNK = 4096;

/** True when every string of the row is an identifier or "" (no JSON escaping needed). */
function plainIds(row: readonly unknown[]): boolean {
  for (const v of row) {
    if (typeof v === 'string' && v !== '' && !ID_PATTERN.test(v)) return false;
    if (Array.isArray(v) && !plainIds(v)) return false;
  }
  return true;
}

/**
 * `sha256hex(rows)` for validated rows, serialised row by row without the generic
 * canonicaliser: identifiers need no escaping and integers print as themselves, so a
 * template string per row is exactly canonical JSON. Falls back to the generic path otherwise.
 */
function rowsDigest(rows: readonly (readonly unknown[])[], row: (r: never) => string): string {
  for (const r of rows) if (!plainIds(r)) return sha256hex(rows);
  const h = textSha256();
  h.update('[');
  for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK) {
    const parts: string[] = [];
    const end = Math.min(rows.length, i + ROWS_PER_CHUNK);
    for (let k = i; k < end; k++) parts.push(row(rows[k] as never));
    h.update((i > 0 ? ',' : '') + parts.join(','));
  }
  h.update(']');
  return toHex(h.digest());
}

const list = (ids: readonly string[]): string => (ids.length === 0 ? '[]' : `["${ids.join('","')}"]`);

/** `frameDigest = sha256hex(rows)` (sr-draw/v1 §1), for rows that passed {@link validateFrameRows}. */
export function frameDigest(rows: readonly FrameRow[]): string {
  return rowsDigest(rows, (r: FrameRow) => `["${r[0]}","${r[1]}",${r[2]},${r[3]},"${r[4]}"]`);
}

/** `inspectorsDigest = sha256hex(rows)` (sr-draw/v1 §1), for rows that passed {@link validateInspectorRows}. */
export function inspectorsDigest(rows: readonly InspectorRow[]): string {
  return rowsDigest(rows, (r: InspectorRow) => `["${r[0]}",${r[1]},${list(r[2])},${list(r[3])}]`);
}
