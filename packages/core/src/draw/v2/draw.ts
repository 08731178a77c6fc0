/**
 * Building a v2 commitment (refusing what could fail or be steered later) and computing a draw.
 */
import { canonical, sha256Canonical, sha256hex, toHex } from '../canonical';
import { DrawInputError } from '../errors';
import { assertKeys, assertObject } from '../ids';
import { computeResultV2 } from './engine';
import {
  validateCommitmentV2,
  validateExcludedRows,
  validateFrameRowsV2,
  validateInputsV2,
  validatePersonRows,
} from './parse';
import {
  checkFeasibilityV2,
  excludedDigest,
  frameDigestV2,
  frameExcludedOverlap,
  personsDigest,
} from './rows';
import { instantSeconds, randomnessStringV2 } from './sources';
import { freshnessLine, previousLine, sourceTimingLines, sufficiencyLine } from './verify';
import {
  SR_DRAW_V2,
  type CommitmentV2,
  type ComputedBundleV2,
  type DrawOptionsV2,
  type ExcludedRow,
  type FrameRowV2,
  type PersonRow,
  type SourceValueV2,
  type UnsignedBundleV2,
} from './types';

/** The rows of a v2 draw. */
export interface DrawRowsV2 {
  frame: FrameRowV2[];
  excluded: ExcludedRow[];
  inspectors: PersonRow[];
  experts: PersonRow[];
}

/** What the platform fixes before committing; counts and digests come from the rows. */
export type CommitmentDraftV2 = Omit<
  CommitmentV2,
  'algorithm' | 'frame' | 'excluded' | 'inspectors' | 'experts'
>;

/** `commitmentDigest` as lowercase hex: SHA-256 of UTF-8(canonical(commitment)). */
export function commitmentDigestV2(c: CommitmentV2): string {
  return toHex(sha256Canonical(c));
}

/**
 * Checks the commitment against its rows: counts, digests, frame strata listed in `strata`, and
 * frame ∩ excluded = ∅. Throws a DrawInputError naming the first mismatch.
 */
export function checkCommitmentRowsV2(c: CommitmentV2, rows: DrawRowsV2): void {
  const pairs: [string, { count: number; digest: string }, unknown[], string][] = [
    ['frame', c.frame, rows.frame, frameDigestV2(rows.frame)],
    ['excluded', c.excluded, rows.excluded, excludedDigest(rows.excluded)],
    ['inspectors', c.inspectors, rows.inspectors, personsDigest(rows.inspectors)],
    ['experts', c.experts, rows.experts, personsDigest(rows.experts)],
  ];
  for (const [name, ref, list, digest] of pairs) {
    if (ref.count !== list.length)
      throw new DrawInputError(
        `commitment.${name}.count`,
        `says ${ref.count} rows, there are ${list.length}`,
      );
    if (ref.digest !== digest)
      throw new DrawInputError(`commitment.${name}.digest`, `says ${ref.digest}, the rows hash to ${digest}`);
  }
  const strata = new Set(c.strata.map((s) => s.id));
  rows.frame.forEach((r, i) => {
    if (!strata.has(r[1]))
      throw new DrawInputError(
        `frame[${i}][1]`,
        `stratum "${r[1]}" of unit ${r[0]} is not in commitment.strata`,
      );
  });
  const overlap = frameExcludedOverlap(rows.frame, rows.excluded);
  if (overlap) throw new DrawInputError('excluded', `unit ${overlap} is both in the frame and excluded`);
}

/**
 * Builds a v2 commitment and refuses, before any randomness exists, everything a verifier would
 * reject: malformed rows or sources, an infeasible plan (§II.9.6), sources not 60 s – 7 days after
 * `committedAt`, no drand source (unpinned refused with `production`), stale sources after a void,
 * and `previous` rules (§II.9.4).
 */
export function buildCommitmentV2(
  draft: CommitmentDraftV2,
  rows: DrawRowsV2,
  options: { production?: boolean } = {},
): CommitmentV2 {
  validateFrameRowsV2(rows.frame);
  validateExcludedRows(rows.excluded);
  validatePersonRows(rows.inspectors, 'inspectors', 'inspector');
  validatePersonRows(rows.experts, 'experts', 'expert');
  const c: CommitmentV2 = {
    algorithm: SR_DRAW_V2,
    plan: draft.plan,
    rulePacks: [...draft.rulePacks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    checklist: draft.checklist,
    frame: { count: rows.frame.length, digest: frameDigestV2(rows.frame) },
    excluded: { count: rows.excluded.length, digest: excludedDigest(rows.excluded) },
    strata: [...draft.strata].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    inspectors: { count: rows.inspectors.length, digest: personsDigest(rows.inspectors) },
    experts: { count: rows.experts.length, digest: personsDigest(rows.experts) },
    team: draft.team,
    sources: draft.sources,
    previous: draft.previous,
    committedAt: draft.committedAt,
  };
  validateCommitmentV2(c);
  canonical(c);
  checkCommitmentRowsV2(c, rows);
  const feas = checkFeasibilityV2(c, rows.frame, rows.inspectors, rows.experts);
  if (!feas.ok)
    throw new DrawInputError(
      'frame',
      `the plan cannot be committed: ${feas.problems
        .slice(0, 5)
        .map((p) => p.message)
        .join('; ')}${feas.problems.length > 5 ? `; and ${feas.problems.length - 5} more` : ''}`,
    );
  const t = { seconds: instantSeconds(c.committedAt), proven: false };
  for (const line of [
    ...sourceTimingLines(c.sources, t),
    sufficiencyLine(c.sources, options.production),
    freshnessLine(c),
    previousLine(c, t),
  ]) {
    if (line.status === 'fail')
      throw new DrawInputError(line.id === 'previous' ? 'previous' : 'sources', line.message);
  }
  return c;
}

/** Inputs of a v2 draw once the values are known. */
export interface DrawInputV2 extends DrawRowsV2 {
  commitment: CommitmentV2;
  /** Per source: the drand signature (hex) or the lottery groups. */
  values: SourceValueV2[];
}

/**
 * Computes a v2 draw from validated inputs (rows checked against the commitment). Source values
 * are checked for format; drand signatures are checked by the verifier (and by the platform on entry).
 */
export function drawSrV2(input: DrawInputV2, options: DrawOptionsV2 = {}): ComputedBundleV2 {
  validateCommitmentV2(input.commitment);
  validateFrameRowsV2(input.frame);
  validateExcludedRows(input.excluded);
  validatePersonRows(input.inspectors, 'inspectors', 'inspector');
  validatePersonRows(input.experts, 'experts', 'expert');
  checkCommitmentRowsV2(input.commitment, input);
  const digest = sha256Canonical(input.commitment);
  const r = randomnessStringV2(input.commitment.sources, input.values);
  const result = computeResultV2(
    {
      commitment: input.commitment,
      commitmentDigest: digest,
      frame: input.frame,
      inspectors: input.inspectors,
      experts: input.experts,
      randomness: r,
    },
    options,
  );
  return {
    algorithm: SR_DRAW_V2,
    commitment: input.commitment,
    commitmentDigest: toHex(digest),
    frame: input.frame,
    excluded: input.excluded,
    inspectors: input.inspectors,
    experts: input.experts,
    randomness: { values: input.values, string: r },
    result,
    resultDigest: sha256hex(result),
  };
}

/**
 * Conformance mode `sr-draw-v2` (SPEC §II.7): a bundle without `result`, `resultDigest` and
 * `signOff` (`commitmentDigest` and `randomness.string` optional, checked when present) → the
 * bundle with them computed.
 */
export function completeBundleV2(partial: unknown, options: DrawOptionsV2 = {}): ComputedBundleV2 {
  assertObject(partial, 'bundle');
  assertKeys(
    partial,
    'bundle',
    ['algorithm', 'commitment', 'frame', 'excluded', 'inspectors', 'experts', 'randomness'],
    ['commitmentDigest'],
  );
  validateInputsV2(partial, false);
  const b = partial as unknown as Omit<UnsignedBundleV2, 'commitmentDigest'> & { commitmentDigest?: string };
  const out = drawSrV2(
    {
      commitment: b.commitment,
      frame: b.frame,
      excluded: b.excluded,
      inspectors: b.inspectors,
      experts: b.experts,
      values: b.randomness.values,
    },
    options,
  );
  if (b.commitmentDigest !== undefined && b.commitmentDigest !== out.commitmentDigest)
    throw new DrawInputError(
      'commitmentDigest',
      `mismatch: bundle says ${b.commitmentDigest}, the commitment hashes to ${out.commitmentDigest}`,
    );
  const given = (b.randomness as { string?: string }).string;
  if (given !== undefined && given !== out.randomness.string)
    throw new DrawInputError(
      'randomness.string',
      `mismatch: the values give ${JSON.stringify(out.randomness.string)}`,
    );
  return out;
}
