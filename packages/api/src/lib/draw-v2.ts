/**
 * The sr-draw/v2 workflow's server-side rules (packages/core/SPEC.md part II, DRAW-SPEC-v2 §9):
 * rows of the commitment, feasibility with a clear reason per unit, the randomness sources a
 * commitment may name (sufficiency, timing, freshness after a void), and the checks on a value
 * when it is entered. The draw itself and every verification are packages/core's.
 */
import {
  computeResultV2,
  dateUtc8,
  PINNED_DRAND_CHAINS,
  resolveDrandChain,
  sourceIdentity,
  sourceTime,
  verifyDrandSignature,
  type AvoidanceReason,
  type CommitmentV2,
  type DrawResultV2,
  type FeasibilityReportV2,
  type Exclusion,
  type FrameRow,
  type FrameRowV2,
  type PersonRow,
  type PreviousAttempt,
  type SourceSpecV2,
} from '@spotcheck/core';
import { DrawInputError } from '@spotcheck/core';
import { CanonicalPiece } from './canonical';
import { fail } from './errors';

/** Earliest a source may exist after its commitment (§2): 60 s. */
export const SOURCE_MARGIN_SECONDS = 60;
/** Latest a source may exist after its commitment (§9.1): 7 days. */
export const SOURCE_HORIZON_SECONDS = 7 * 86_400;

/** Void reason ids and their meaning (published with every void). */
export const VOID_REASONS = {
  'source-late': [
    '随机数来源未按时产生（仅限其数值尚不存在时）',
    'a randomness source is late (only while its value does not exist yet)',
  ],
  'frame-error': [
    '抽取名录或规则有误，随机数产生前发现',
    'the frame or rules were wrong, found before the randomness existed',
  ],
  'plan-withdrawn': ['计划撤回（上级决定）', 'plan withdrawn by a superior decision'],
  emergency: ['突发事件致无法执行', 'an emergency prevents carrying the draw out'],
  'legal-order': ['依法律文书或上级机关决定作废', 'voided by a legal instrument or a superior authority'],
} as const satisfies Record<string, readonly [string, string]>;
/** One of {@link VOID_REASONS}. */
export type VoidReasonId = keyof typeof VOID_REASONS;

/** Maps the platform's avoidance reasons onto sr-draw/v2 §9.6 exclusion reasons. */
export function exclusionReasonOf(kind: AvoidanceReason['kind']): Exclusion[1] {
  return kind === 'conflict' ? 'avoid' : kind === 'own-jurisdiction' ? 'jurisdiction' : 'last-team';
}

/** Frame rows of v1 plus `expert` (0|1). */
export function frameRowsV2(rows: readonly FrameRow[], expertUnits: ReadonlySet<string>): FrameRowV2[] {
  return rows.map((r) => [r[0], r[1], r[2], r[3], r[4], expertUnits.has(r[0]) ? 1 : 0]);
}

/** Inspector rows of v2: exclusions with reasons, sorted by (unitId, reason), unique. */
export function personRowsV2(
  people: readonly { id: string; capacity: number; specialties: readonly string[] }[],
  reasons: ReadonlyMap<string, ReadonlyMap<string, readonly AvoidanceReason[]>>,
): PersonRow[] {
  return [...people]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((p) => {
      const seen = new Set<string>();
      const ex: Exclusion[] = [];
      for (const [unitId, list] of reasons.get(p.id) ?? []) {
        for (const r of list) {
          const e: Exclusion = [unitId, exclusionReasonOf(r.kind)];
          const k = `${e[0]}\u0000${e[1]}`;
          if (!seen.has(k)) {
            seen.add(k);
            ex.push(e);
          }
        }
      }
      ex.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
      return [p.id, p.capacity, [...new Set(p.specialties)].sort(), ex];
    });
}

/** One line per problem of core's `checkFeasibilityV2`, with unit names (at most `limit` lines). */
export function formatFeasibilityV2(
  report: FeasibilityReportV2,
  nameOf: (id: string) => string,
  limit = 10,
): string {
  const lines = report.problems
    .slice(0, limit)
    .map((p) =>
      p.unitId ? `${p.unitId} ${nameOf(p.unitId)}: ${p.message.replace(/^unit \S+: /, '')}` : p.message,
    );
  if (report.problems.length > limit) lines.push(`… and ${report.problems.length - limit} more problems`);
  return lines.join('\n');
}

/**
 * Computes the result of an attempt from its stored rows and randomness (core's v2 engine),
 * with its digest, and its canonical JSON (the digest's text, to store as it is).
 */
export function computeAttemptResult(input: {
  commitment: CommitmentV2;
  commitmentDigest: string;
  frame: readonly FrameRowV2[];
  inspectors: readonly PersonRow[];
  experts: readonly PersonRow[];
  randomness: string;
}): { result: DrawResultV2; resultDigest: string; resultPiece: CanonicalPiece<DrawResultV2> } {
  // Keys through core's default expander (HMAC midstates, three compressions a key): about three
  // times faster here than node:crypto's per-key HMAC calls (BENCHMARKS.md, issue 16).
  const result = computeResultV2({
    commitment: input.commitment,
    commitmentDigest: Uint8Array.from(Buffer.from(input.commitmentDigest, 'hex')),
    frame: input.frame,
    inspectors: input.inspectors,
    experts: input.experts,
    randomness: input.randomness,
  });
  const resultPiece = CanonicalPiece.of(result);
  return { result, resultDigest: resultPiece.digest, resultPiece };
}

/** The time of a source, turning core's input errors into a 4xx naming the source. */
export function sourceTimeOf(s: SourceSpecV2, path: string): number {
  try {
    return sourceTime(s);
  } catch (err) {
    if (err instanceof DrawInputError) fail('BAD_REQUEST', path, 'source.invalid', { detail: err.message });
    throw err;
  }
}

/** `YYYY-MM-DD HH:MM:SS` in China Standard Time, for messages. */
export function chinaTime(seconds: number): string {
  return new Date((seconds + 8 * 3600) * 1000).toISOString().slice(0, 19).replace('T', ' ') + ' (UTC+8)';
}

/** Describes a source in one line. */
export function describeSource(s: SourceSpecV2): string {
  return s.kind === 'drand'
    ? `drand ${PINNED_DRAND_CHAINS[s.chain]?.name ?? 'demo beacon'} round ${s.round}`
    : `${s.game} issue ${s.issue} (${s.drawDate})`;
}

/**
 * Checks the sources a plan names while drafting: shape, known chain (unpinned chains refused in
 * production), no duplicates, and none that already exists at `now`.
 */
export function checkPlannedSources(sources: readonly SourceSpecV2[], now: Date, production: boolean): void {
  const seen = new Set<string>();
  sources.forEach((s, i) => {
    const path = `sources.${i}`;
    if (s.kind === 'drand') {
      let pinned: boolean;
      try {
        pinned = resolveDrandChain(s, path).pinned;
      } catch (err) {
        if (err instanceof DrawInputError)
          fail('BAD_REQUEST', path, 'source.invalid', { detail: err.message });
        throw err;
      }
      if (!pinned && production) fail('BAD_REQUEST', `${path}.chain`, 'source.unpinnedChain');
    }
    // A lottery drawn today may be public already (draws are in the evening, UTC+8): only later dates.
    if (s.kind === 'lottery' && !(s.drawDate > dateUtc8(now.getTime() / 1000)))
      fail('BAD_REQUEST', `${path}.drawDate`, 'source.lotteryNotFuture', {
        source: describeSource(s),
        today: dateUtc8(now.getTime() / 1000),
      });
    const id = sourceIdentity(s);
    if (seen.has(id)) fail('BAD_REQUEST', path, 'source.duplicate', { source: describeSource(s) });
    seen.add(id);
    const t = sourceTimeOf(s, path);
    if (t <= now.getTime() / 1000)
      fail('BAD_REQUEST', path, 'source.alreadyExists', { source: describeSource(s), at: chinaTime(t) });
  });
  if (!sources.some((s) => s.kind === 'drand')) fail('BAD_REQUEST', 'sources', 'source.needsDrand');
}

/**
 * Checks a plan's sources against its voided attempt (§2 freshness, §9.4): none of the voided
 * attempt's sources again, and every source strictly later than every one of them. Used when the
 * sources of a voided plan are edited, so the refusal comes at once, not at approval.
 */
export function checkLaterThanVoided(
  sources: readonly SourceSpecV2[],
  voided: { attempt: number; sources: readonly SourceSpecV2[] } | null,
): void {
  if (!voided || voided.sources.length === 0) return;
  const prevIds = new Set(voided.sources.map(sourceIdentity));
  const prevLatest = Math.max(...voided.sources.map((s) => sourceTime(s)));
  sources.forEach((s, i) => {
    const path = `sources.${i}`;
    if (prevIds.has(sourceIdentity(s)))
      fail('PRECONDITION_FAILED', path, 'source.reusedAfterVoid', {
        source: describeSource(s),
        attempt: voided.attempt,
      });
    const t = sourceTimeOf(s, path);
    if (!(t > prevLatest))
      fail('PRECONDITION_FAILED', path, 'source.notLaterThanVoided', {
        source: describeSource(s),
        at: chinaTime(t),
        attempt: voided.attempt,
        latest: chinaTime(prevLatest),
      });
  });
}

/**
 * Checks the sources of a commitment at `committedAt` (§2, §9.1, §9.3): at least one drand round;
 * every source at least 60 s and at most 7 days after the commitment; and after a void, every
 * source strictly later than every source of the voided attempt, never one of them again.
 */
export function checkCommitmentSources(
  sources: readonly SourceSpecV2[],
  committedAt: number,
  previous: PreviousAttempt | null,
  production: boolean,
): void {
  checkPlannedSources(sources, new Date(committedAt * 1000), production);
  const prevIds = new Set((previous?.sources ?? []).map(sourceIdentity));
  const prevLatest = Math.max(-Infinity, ...(previous?.sources ?? []).map((s) => sourceTime(s)));
  sources.forEach((s, i) => {
    const path = `sources.${i}`;
    const t = sourceTime(s);
    if (prevIds.has(sourceIdentity(s)))
      fail('PRECONDITION_FAILED', path, 'source.reusedByPrevious', {
        source: describeSource(s),
        attempt: previous!.attempt,
      });
    if (t < committedAt + SOURCE_MARGIN_SECONDS)
      fail('PRECONDITION_FAILED', path, 'source.tooSoon', {
        source: describeSource(s),
        at: chinaTime(t),
        margin: SOURCE_MARGIN_SECONDS,
        committedAt: chinaTime(committedAt),
      });
    if (t > committedAt + SOURCE_HORIZON_SECONDS)
      fail('PRECONDITION_FAILED', path, 'source.tooLate', { source: describeSource(s), at: chinaTime(t) });
    if (previous && !(t > prevLatest))
      fail('PRECONDITION_FAILED', path, 'source.notLaterThanPrevious', {
        source: describeSource(s),
        at: chinaTime(t),
        attempt: previous.attempt,
        latest: chinaTime(prevLatest),
      });
  });
}

/**
 * Checks a value entered for a source: it must exist (its time has come by the server clock) and,
 * for drand, verify against the chain's key. Returns nothing; throws a 4xx naming the value.
 */
export function checkEnteredValue(s: SourceSpecV2, value: unknown, now: Date, path: string): void {
  const t = sourceTimeOf(s, path);
  if (t > now.getTime() / 1000)
    fail('PRECONDITION_FAILED', path, 'source.valueTooEarly', {
      source: describeSource(s),
      at: chinaTime(t),
    });
  if (s.kind === 'drand') {
    const { info } = resolveDrandChain(s, path);
    const v = verifyDrandSignature(info.publicKey, s.round, String(value));
    if (!v.valid)
      fail('BAD_REQUEST', path, 'source.badSignature', {
        source: describeSource(s),
        reason: v.reason ?? 'does not verify',
      });
  }
}
