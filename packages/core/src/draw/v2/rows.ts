/**
 * Row digests (SPEC §I.0 sha256hex, §II.1) and feasibility (§II.1, §II.8.9, §II.9.6) of sr-draw/v2.
 */
import { canonical, textSha256, toHex } from '../canonical';
import { ID_PATTERN } from '../ids';
import type { CommitmentV2, ExcludedRow, FrameRowV2, PersonRow } from './types';

const ROWS_PER_CHUNK = 4096;

function plain(v: unknown): boolean {
  if (typeof v === 'string') return v === '' || ID_PATTERN.test(v);
  if (Array.isArray(v)) return v.every(plain);
  return true;
}

/** `sha256hex(rows)` of rows given a chunk at a time. */
export interface RowsDigest<R> {
  update(rows: readonly R[]): void;
  /** Lowercase hex; call once, after the last chunk. */
  digest(): string;
}

/**
 * `sha256hex(rows)` streamed row by row. Validated rows hold only identifiers (no JSON escaping) and
 * integers, so a template per row is exactly canonical JSON; any other row is written canonically.
 */
function rowsDigestStream<R>(row: (r: R) => string): RowsDigest<R> {
  const h = textSha256();
  h.update('[');
  let first = true;
  return {
    update(rows) {
      for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK) {
        const parts: string[] = [];
        const end = Math.min(rows.length, i + ROWS_PER_CHUNK);
        for (let k = i; k < end; k++) parts.push(plain(rows[k]) ? row(rows[k]!) : canonical(rows[k]));
        h.update((first ? '' : ',') + parts.join(','));
        first = false;
      }
    },
    digest() {
      h.update(']');
      return toHex(h.digest());
    },
  };
}

function rowsDigest<R>(rows: readonly R[], row: (r: R) => string): string {
  const h = rowsDigestStream(row);
  h.update(rows);
  return h.digest();
}

const list = (ids: readonly string[]): string => (ids.length === 0 ? '[]' : `["${ids.join('","')}"]`);

const frameRowText = (r: FrameRowV2): string => `["${r[0]}","${r[1]}",${r[2]},${r[3]},"${r[4]}",${r[5]}]`;

/** `frame.digest` of validated frame rows. */
export function frameDigestV2(rows: readonly FrameRowV2[]): string {
  return rowsDigest(rows, frameRowText);
}

/** `frame.digest` of validated frame rows given a chunk at a time. */
export function frameDigestStream(): RowsDigest<FrameRowV2> {
  return rowsDigestStream(frameRowText);
}

/** `excluded.digest` of validated excluded rows. */
export function excludedDigest(rows: readonly ExcludedRow[]): string {
  return rowsDigest(rows, (r) => `["${r[0]}","${r[1]}"]`);
}

/** `inspectors.digest` / `experts.digest` of validated person rows. */
export function personsDigest(rows: readonly PersonRow[]): string {
  return rowsDigest(
    rows,
    (r) => `["${r[0]}",${r[1]},${list(r[2])},[${r[3].map((e) => `["${e[0]}","${e[1]}"]`).join(',')}]]`,
  );
}

/** The first unit id that is both in the frame and in `excluded` (both sorted), or null. */
export function frameExcludedOverlap(
  frame: readonly FrameRowV2[],
  excluded: readonly ExcludedRow[],
): string | null {
  let i = 0;
  let j = 0;
  while (i < frame.length && j < excluded.length) {
    const a = frame[i]![0];
    const b = excluded[j]![0];
    if (a === b) return a;
    if (a < b) i++;
    else j++;
  }
  return null;
}

/** For each unit id, the indices of persons whose exclusions name it (each person once). */
export function excludersOf(rows: readonly PersonRow[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (let i = 0; i < rows.length; i++) {
    let last = '';
    for (const [unitId] of rows[i]![3]) {
      if (unitId === last) continue;
      last = unitId;
      const l = map.get(unitId);
      if (l) l.push(i);
      else map.set(unitId, [i]);
    }
  }
  return map;
}

/** One unit that fails feasibility, or the capacity rule (`unitId` null). */
export interface FeasibilityProblemV2 {
  unitId: string | null;
  /** Stable id: `inspectors`, `specialists`, `experts` or `capacity`. */
  rule: 'inspectors' | 'specialists' | 'experts' | 'capacity';
  have: number;
  need: number;
  message: string;
}

/** Outcome of {@link checkFeasibilityV2}. */
export interface FeasibilityReportV2 {
  ok: boolean;
  problems: FeasibilityProblemV2[];
  /** Rows checked. */
  units: number;
}

/**
 * Feasibility (SPEC §II.1, §II.8.9, §II.9.6). With `team.assign`: every frame row has at least
 * `2 × team.size` eligible inspectors; with `specialist` and a row specialty, at least 2 eligible
 * holders of it; total inspector capacity ≥ `team.size × (mandatory rows + Σ quotas)`. Every row
 * with `expert = 1` has at least 2 eligible experts. Eligible = exclusions do not name the unit.
 */
export function checkFeasibilityV2(
  commitment: Pick<CommitmentV2, 'team' | 'strata'>,
  frame: readonly FrameRowV2[],
  inspectors: readonly PersonRow[],
  experts: readonly PersonRow[],
): FeasibilityReportV2 {
  const problems: FeasibilityProblemV2[] = [];
  const { team } = commitment;
  const inspEx = excludersOf(inspectors);
  const expEx = excludersOf(experts);
  const holders = new Map<string, number>();
  for (const r of inspectors) for (const s of r[2]) holders.set(s, (holders.get(s) ?? 0) + 1);
  const need = 2 * team.size;
  let mandatory = 0;
  for (const [unitId, , , m, specialty, expert] of frame) {
    if (m === 1) mandatory++;
    if (team.assign) {
      const ex = inspEx.get(unitId);
      const eligible = inspectors.length - (ex ? ex.length : 0);
      if (eligible < need)
        problems.push({
          unitId,
          rule: 'inspectors',
          have: eligible,
          need,
          message: `unit ${unitId}: ${eligible} eligible inspectors, at least ${need} (2 × team size) are needed`,
        });
      if (team.specialist && specialty !== '') {
        let n = holders.get(specialty) ?? 0;
        if (ex) for (const i of ex) if (inspectors[i]![2].includes(specialty)) n--;
        if (n < 2)
          problems.push({
            unitId,
            rule: 'specialists',
            have: n,
            need: 2,
            message: `unit ${unitId}: ${n} eligible inspectors hold specialty "${specialty}", at least 2 are needed`,
          });
      }
    }
    if (expert === 1) {
      const ex = expEx.get(unitId);
      const eligible = experts.length - (ex ? ex.length : 0);
      if (eligible < 2)
        problems.push({
          unitId,
          rule: 'experts',
          have: eligible,
          need: 2,
          message: `unit ${unitId}: ${eligible} eligible experts, at least 2 are needed`,
        });
    }
  }
  if (team.assign) {
    const quotas = commitment.strata.reduce((n, s) => n + s.quota, 0);
    const needCap = team.size * (mandatory + quotas);
    const cap = inspectors.reduce((n, r) => n + r[1], 0);
    if (cap < needCap)
      problems.push({
        unitId: null,
        rule: 'capacity',
        have: cap,
        need: needCap,
        message: `total inspector capacity ${cap} is below team size × (mandatory + quotas) = ${needCap}`,
      });
  }
  return { ok: problems.length === 0, problems, units: frame.length };
}
