import { sha256hex } from './canonical';
import { DrawInputError } from './errors';
import { assertArray, assertDrawId, assertInt, assertSortedIds, describe } from './ids';

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

/** `frameDigest = sha256hex(rows)` (sr-draw/v1 §1). */
export function frameDigest(rows: readonly FrameRow[]): string {
  return sha256hex(rows);
}

/** `inspectorsDigest = sha256hex(rows)` (sr-draw/v1 §1). */
export function inspectorsDigest(rows: readonly InspectorRow[]): string {
  return sha256hex(rows);
}
