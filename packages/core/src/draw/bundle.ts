import { canonical, sha256hex, toHex } from './canonical';
import {
  commitmentDigestBytes,
  SR_DRAW_V1,
  validateCommitment,
  type Commitment,
  type PlanRef,
  type SourceSpec,
  type StratumSpec,
  type TeamSpec,
  type VersionRef,
} from './commitment';
import { DrawInputError } from './errors';
import { checkFeasibility, formatFeasibility } from './feasibility';
import { computeResult, type DrawResult, type EngineOptions } from './engine';
import { assertKeys, assertObject, describe } from './ids';
import { randomnessString, type SourceValue } from './randomness';
import {
  frameDigest,
  inspectorsDigest,
  validateFrameRows,
  validateInspectorRows,
  type FrameRow,
  type InspectorRow,
} from './rows';

/** The published randomness: each source's value as given, and the string R built from them. */
export interface PublishedRandomness {
  values: SourceValue[];
  string: string;
}

/** The published bundle of sr-draw/v1 §6. */
export interface DrawBundle {
  algorithm: typeof SR_DRAW_V1;
  commitment: Commitment;
  commitmentDigest: string;
  frame: FrameRow[];
  inspectors: InspectorRow[];
  randomness: PublishedRandomness;
  result: DrawResult;
  resultDigest: string;
}

/** What the platform fixes before committing; counts and digests are computed from the rows. */
export interface CommitmentDraft {
  plan: PlanRef;
  rulePack: VersionRef;
  checklist: VersionRef;
  strata: StratumSpec[];
  team: TeamSpec;
  sources: SourceSpec[];
  committedAt: string;
}

/**
 * Checks that the commitment matches its rows: counts, digests, every frame stratum
 * listed in `strata`. Throws a {@link DrawInputError} naming the first mismatch.
 */
export function checkCommitmentAgainstRows(
  commitment: Commitment,
  frame: readonly FrameRow[],
  inspectors: readonly InspectorRow[],
  digests: { frame: string; inspectors: string } = {
    frame: frameDigest(frame),
    inspectors: inspectorsDigest(inspectors),
  },
): void {
  if (commitment.frame.count !== frame.length) {
    throw new DrawInputError(
      'commitment.frame.count',
      `says ${commitment.frame.count} rows, the frame has ${frame.length}`,
    );
  }
  if (commitment.frame.digest !== digests.frame) {
    throw new DrawInputError(
      'commitment.frame.digest',
      `frame digest mismatch: commitment says ${commitment.frame.digest}, the frame rows hash to ${digests.frame}`,
    );
  }
  if (commitment.inspectors.count !== inspectors.length) {
    throw new DrawInputError(
      'commitment.inspectors.count',
      `says ${commitment.inspectors.count} rows, there are ${inspectors.length} inspector rows`,
    );
  }
  if (commitment.inspectors.digest !== digests.inspectors) {
    throw new DrawInputError(
      'commitment.inspectors.digest',
      `inspectors digest mismatch: commitment says ${commitment.inspectors.digest}, the inspector rows hash to ${digests.inspectors}`,
    );
  }
  const strata = new Set(commitment.strata.map((s) => s.id));
  for (let r = 0; r < frame.length; r++) {
    if (!strata.has(frame[r]![1])) {
      throw new DrawInputError(
        `frame[${r}][1]`,
        `stratum "${frame[r]![1]}" of unit ${frame[r]![0]} is not in commitment.strata`,
      );
    }
  }
}

/**
 * Builds and fully validates a commitment before any randomness exists: sorts strata,
 * fills frame/inspector counts and digests, and refuses infeasible plans (§1).
 */
export function buildCommitment(
  draft: CommitmentDraft,
  frame: FrameRow[],
  inspectors: InspectorRow[],
): Commitment {
  validateFrameRows(frame);
  validateInspectorRows(inspectors);
  const digests = { frame: frameDigest(frame), inspectors: inspectorsDigest(inspectors) };
  const commitment: Commitment = {
    algorithm: SR_DRAW_V1,
    plan: draft.plan,
    rulePack: draft.rulePack,
    checklist: draft.checklist,
    frame: { count: frame.length, digest: digests.frame },
    strata: [...draft.strata].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    inspectors: { count: inspectors.length, digest: digests.inspectors },
    team: draft.team,
    sources: draft.sources,
    committedAt: draft.committedAt,
  };
  validateCommitment(commitment);
  canonical(commitment);
  checkCommitmentAgainstRows(commitment, frame, inspectors, digests);
  const report = checkFeasibility(frame, inspectors, commitment.team);
  if (!report.ok)
    throw new DrawInputError('frame', `the plan cannot be committed:\n${formatFeasibility(report)}`);
  return commitment;
}

/** Lowercase hex of `commitmentDigest` (§1). */
export function commitmentDigestHex(commitment: Commitment): string {
  return toHex(commitmentDigestBytes(commitment));
}

/** Inputs of a draw once the randomness is known. */
export interface DrawInput {
  commitment: Commitment;
  frame: FrameRow[];
  inspectors: InspectorRow[];
  /** Per source, its integers as published or its lowercase hex string. */
  values: SourceValue[];
}

/** Runs sr-draw/v1 and returns the publishable bundle; validates every input first. */
export function drawSrV1(input: DrawInput, options: EngineOptions = {}): DrawBundle {
  validateCommitment(input.commitment);
  validateFrameRows(input.frame);
  validateInspectorRows(input.inspectors);
  checkCommitmentAgainstRows(input.commitment, input.frame, input.inspectors);
  const digest = commitmentDigestBytes(input.commitment);
  const r = randomnessString(input.commitment.sources, input.values);
  const result = computeResult(
    {
      commitment: input.commitment,
      commitmentDigest: digest,
      frame: input.frame,
      inspectors: input.inspectors,
      randomness: r,
    },
    options,
  );
  return {
    algorithm: SR_DRAW_V1,
    commitment: input.commitment,
    commitmentDigest: toHex(digest),
    frame: input.frame,
    inspectors: input.inspectors,
    randomness: { values: input.values, string: r },
    result,
    resultDigest: sha256hex(result),
  };
}

/** Outcome of {@link verifyBundle}. */
export type VerifyOutcome = { ok: true; summary: VerifySummary } | { ok: false; reason: string };

/** What a verified bundle contains, for display. */
export interface VerifySummary {
  plan: string;
  units: number;
  inspectors: number;
  selected: number;
  strata: number;
  overloads: number;
  commitmentDigest: string;
  resultDigest: string;
}

/** The first difference between a given and a recomputed JSON value, as a readable path and values, or null. */
export function firstDifference(path: string, given: unknown, recomputed: unknown): string | null {
  const g = canonical(given);
  const r = canonical(recomputed);
  if (g === r) return null;
  if (Array.isArray(recomputed) && Array.isArray(given)) {
    const n = Math.min(given.length, recomputed.length);
    for (let i = 0; i < n; i++) {
      const d = firstDifference(`${path}[${i}]`, given[i], recomputed[i]);
      if (d) return d;
    }
    return `${path}: bundle has ${given.length} entries, recomputation gives ${recomputed.length}`;
  }
  if (
    recomputed &&
    typeof recomputed === 'object' &&
    given &&
    typeof given === 'object' &&
    !Array.isArray(given)
  ) {
    const gr = given as Record<string, unknown>;
    const rr = recomputed as Record<string, unknown>;
    const label =
      typeof rr.unit === 'string'
        ? ` (unit ${rr.unit})`
        : typeof rr.id === 'string'
          ? ` (stratum ${rr.id})`
          : '';
    for (const key of Object.keys(rr).sort()) {
      if (!Object.hasOwn(gr, key)) return `${path}${label}: field "${key}" is missing`;
      const d = firstDifference(`${path}${label}.${key}`, gr[key], rr[key]);
      if (d) return d;
    }
    for (const key of Object.keys(gr))
      if (!Object.hasOwn(rr, key)) return `${path}${label}: unexpected field "${key}"`;
  }
  return `${path}: bundle has ${g.length > 200 ? `${g.slice(0, 197)}...` : g}, recomputation gives ${r.length > 200 ? `${r.slice(0, 197)}...` : r}`;
}

const BUNDLE_KEYS = [
  'algorithm',
  'commitment',
  'commitmentDigest',
  'frame',
  'inspectors',
  'randomness',
  'result',
  'resultDigest',
];

/**
 * Parses the input part of a bundle (everything but `result`/`resultDigest`), validates it,
 * and recomputes the digests and R. `commitmentDigest` and `randomness.string` must match
 * when present; with `fill`, missing ones are computed.
 */
function checkInputs(
  bundle: unknown,
  fill: boolean,
): {
  commitment: Commitment;
  digest: Uint8Array;
  frame: FrameRow[];
  inspectors: InspectorRow[];
  values: SourceValue[];
  r: string;
} {
  assertObject(bundle, 'bundle');
  if (fill)
    assertKeys(
      bundle,
      'bundle',
      ['algorithm', 'commitment', 'frame', 'inspectors', 'randomness'],
      ['commitmentDigest'],
    );
  else assertKeys(bundle, 'bundle', BUNDLE_KEYS);
  if (bundle.algorithm !== SR_DRAW_V1) {
    throw new DrawInputError(
      'bundle.algorithm',
      `expected "${SR_DRAW_V1}", got ${describe(bundle.algorithm)}`,
    );
  }
  const commitment = bundle.commitment;
  validateCommitment(commitment);
  const digest = commitmentDigestBytes(commitment);
  const hex = toHex(digest);
  if (!(fill && bundle.commitmentDigest === undefined) && bundle.commitmentDigest !== hex) {
    throw new DrawInputError(
      'commitmentDigest',
      `mismatch: bundle says ${describe(bundle.commitmentDigest)}, the commitment hashes to ${hex}`,
    );
  }
  const frame = bundle.frame;
  validateFrameRows(frame);
  const inspectors = bundle.inspectors;
  validateInspectorRows(inspectors);
  checkCommitmentAgainstRows(commitment, frame, inspectors);
  const rand = bundle.randomness;
  assertObject(rand, 'randomness');
  assertKeys(rand, 'randomness', fill ? ['values'] : ['values', 'string'], fill ? ['string'] : []);
  const r = randomnessString(commitment.sources, rand.values as unknown[]);
  if (!(fill && rand.string === undefined) && rand.string !== r) {
    throw new DrawInputError(
      'randomness.string',
      `mismatch: bundle says ${describe(rand.string)}, the values give ${JSON.stringify(r)}`,
    );
  }
  return { commitment, digest, frame, inspectors, values: rand.values as SourceValue[], r };
}

/**
 * Conformance mode `sr-draw-v1`: takes a bundle without `result`/`resultDigest` (and
 * optionally without `commitmentDigest`/`randomness.string`) and returns the full bundle.
 */
export function completeBundle(partial: unknown, options: EngineOptions = {}): DrawBundle {
  const { commitment, digest, frame, inspectors, values, r } = checkInputs(partial, true);
  const result = computeResult(
    { commitment, commitmentDigest: digest, frame, inspectors, randomness: r },
    options,
  );
  return {
    algorithm: SR_DRAW_V1,
    commitment,
    commitmentDigest: toHex(digest),
    frame,
    inspectors,
    randomness: { values, string: r },
    result,
    resultDigest: sha256hex(result),
  };
}

/**
 * Verifies a published bundle (§6): recomputes the commitment, frame and inspector digests,
 * R, the whole result and its digest, and reports the first mismatch (which digest, which
 * selected row and field).
 */
export function verifyBundle(bundle: unknown, options: EngineOptions = {}): VerifyOutcome {
  try {
    const { commitment, digest, frame, inspectors, r } = checkInputs(bundle, false);
    const b = bundle as Record<string, unknown>;
    const recomputed = computeResult(
      { commitment, commitmentDigest: digest, frame, inspectors, randomness: r },
      options,
    );
    let given: string;
    try {
      given = sha256hex(b.result);
    } catch (err) {
      return { ok: false, reason: `result is not canonical JSON: ${(err as Error).message}` };
    }
    assertObject(b.result, 'result');
    // Equal digests mean equal canonical bytes; only a mismatch is walked for its first difference.
    const rd = sha256hex(recomputed);
    const diff = given === rd ? null : firstDifference('result', b.result, recomputed);
    if (diff) return { ok: false, reason: `result mismatch at ${diff}` };
    if (b.resultDigest !== rd) {
      return {
        ok: false,
        reason: `resultDigest mismatch: bundle says ${describe(b.resultDigest)}, the result hashes to ${rd}`,
      };
    }
    return {
      ok: true,
      summary: {
        plan: commitment.plan.id,
        units: frame.length,
        inspectors: inspectors.length,
        selected: recomputed.selected.length,
        strata: recomputed.strata.length,
        overloads: recomputed.overloads.length,
        commitmentDigest: toHex(digest),
        resultDigest: rd,
      },
    };
  } catch (err) {
    if (err instanceof DrawInputError) return { ok: false, reason: err.message };
    throw err;
  }
}
