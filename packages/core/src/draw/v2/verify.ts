/**
 * Verification of sr-draw/v2 bundles (SPEC §II.6, §II.8, §II.9, §II.10): one line per
 * check with a stable id, so the CLI prints them and the browsers translate them.
 */
import { fromHex, sha256Canonical, sha256hex, toHex } from '../canonical';
import { digestOf } from '../../json';
import { firstDifference, verifyBundle } from '../bundle';
import { SR_DRAW_V1 } from '../commitment';
import { DrawInputError } from '../errors';
import { computeResultV2 } from './engine';
import { assertHex, validateBundleV2, validateSignOff, validateVoidEnvelope } from './parse';
import {
  checkFeasibilityV2,
  excludedDigest,
  frameDigestV2,
  frameExcludedOverlap,
  personsDigest,
} from './rows';
import { checkSigner, signOffMessage, voidMessage } from './signoff';
import { SOURCE_MAX_DELAY_SECONDS, SOURCE_MIN_DELAY_SECONDS } from './beacon';
import {
  dateUtc8,
  drandRoundTime,
  instantOf,
  instantSeconds,
  LOTTERY_GAMES,
  lotteryValueProblem,
  randomnessShapeProblem,
  randomnessStringV2,
  resolveDrandChain,
  sourceTime,
  verifyDrandSignature,
} from './sources';
import { parseStrictJson } from './strict-json';
import {
  SR_DRAW_V2,
  type CheckParams,
  type CheckStatus,
  type CommitmentV2,
  SIGNATURE_SPEC,
  type AcceptedLeaf,
  type InclusionOutcome,
  type SignatureRecordV2,
  type SignOff,
  type VoidEnvelope,
  type DrawBundleV2,
  type SourceSpecV2,
  type VerificationCheck,
  type VerificationReport,
  type VerifyOptionsV2,
} from './types';

const sourceLabel = (s: SourceSpecV2): string =>
  s.kind === 'drand' ? `drand round ${s.round}` : `${s.game} issue ${s.issue} (${s.drawDate})`;

/** The commitment time: the log checkpoint's when proven, else `committedAt`. */
export interface CommitmentTime {
  seconds: number;
  proven: boolean;
}

/** Source checks that need no values: timing against the commitment time, sufficiency, freshness, previous. */
export interface SourceRuleLine {
  id: string;
  status: CheckStatus;
  message: string;
  params: CheckParams;
}

/**
 * The timing line of each source (SPEC §II.2, §II.9.1, §II.9.3): at least 60 s and at most 7 days
 * after the commitment time; a lottery's `drawDate` also later than the commitment's UTC+8 date.
 */
export function sourceTimingLines(sources: readonly SourceSpecV2[], t: CommitmentTime): SourceRuleLine[] {
  return sources.map((s, i) => {
    const time = sourceTime(s);
    const params: CheckParams = {
      source: i,
      sourceTime: instantOf(time),
      commitmentTime: instantOf(t.seconds),
      proven: t.proven,
    };
    const id = `source.${i}.timing`;
    const label = sourceLabel(s);
    if (time < t.seconds + SOURCE_MIN_DELAY_SECONDS)
      return {
        id,
        status: 'fail',
        params,
        message: `${label} is at ${instantOf(time)}, less than 60 s after the commitment (${instantOf(t.seconds)}): its value may have been known`,
      };
    if (time > t.seconds + SOURCE_MAX_DELAY_SECONDS)
      return { id, status: 'fail', params, message: `${label} is more than 7 days after the commitment` };
    if (s.kind === 'lottery' && !(s.drawDate > dateUtc8(t.seconds)))
      return {
        id,
        status: 'fail',
        params,
        message: `${label} is not on a later day (UTC+8) than the commitment`,
      };
    return {
      id,
      status: 'pass',
      params,
      message: `${label} at ${instantOf(time)} comes after the commitment (${instantOf(t.seconds)})`,
    };
  });
}

/** Sufficiency (SPEC §II.9.3): a drand source on a pinned chain; an unpinned one only outside production. */
export function sufficiencyLine(sources: readonly SourceSpecV2[], production = false): SourceRuleLine {
  const drand = sources.filter((s) => s.kind === 'drand');
  const pinned = drand.filter((s) => resolveDrandChain(s).pinned);
  const lotteryCentibits = sources.reduce(
    (n, s) => n + (s.kind === 'lottery' ? LOTTERY_GAMES[s.game].entropyCentibits : 0),
    0,
  );
  const params: CheckParams = { drand: drand.length, pinned: pinned.length, lotteryCentibits };
  if (pinned.length > 0)
    return {
      id: 'sufficiency',
      status: 'pass',
      params,
      message: 'a drand source on a pinned chain is present',
    };
  if (drand.length > 0 && !production)
    return {
      id: 'sufficiency',
      status: 'warn',
      params,
      message: 'only an unpinned beacon provides drand randomness (acceptable outside production)',
    };
  return {
    id: 'sufficiency',
    status: 'fail',
    params,
    message:
      drand.length > 0
        ? 'production refuses unpinned beacons: a drand source on a pinned chain is required'
        : 'a drand source is required; lottery sources never suffice alone',
  };
}

/** Freshness (SPEC §II.2, §II.9.3): every source strictly after every source of the previous attempt. */
export function freshnessLine(c: Pick<CommitmentV2, 'sources' | 'previous'>): SourceRuleLine {
  if (c.previous === null)
    return {
      id: 'freshness',
      status: 'pass',
      params: { attempt: 1 },
      message: 'first attempt: no earlier sources',
    };
  for (const [i, s] of c.sources.entries()) {
    const t = sourceTime(s);
    for (const p of c.previous.sources) {
      const pt = sourceTime(p);
      if (!(t > pt))
        return {
          id: 'freshness',
          status: 'fail',
          params: { source: i, sourceTime: instantOf(t), previousTime: instantOf(pt) },
          message: `${sourceLabel(s)} (${instantOf(t)}) is not later than the voided attempt's ${sourceLabel(p)} (${instantOf(pt)}): a void must not re-roll known or earlier randomness`,
        };
    }
  }
  return {
    id: 'freshness',
    status: 'pass',
    params: { attempt: c.previous.attempt + 1 },
    message: 'every source comes after every source of the voided attempt',
  };
}

/** The rules on `previous` (SPEC §II.1, §II.8.5, §II.9.4) at commitment time `t`. */
export function previousLine(c: Pick<CommitmentV2, 'plan' | 'previous'>, t: CommitmentTime): SourceRuleLine {
  const p = c.previous;
  const line = (status: CheckStatus, message: string, params: CheckParams = {}): SourceRuleLine => ({
    id: 'previous',
    status,
    params: { attempt: c.plan.attempt, ...params },
    message,
  });
  if (p === null)
    return c.plan.attempt === 1
      ? line('pass', 'attempt 1 has no previous attempt')
      : line(
          'fail',
          `attempt ${c.plan.attempt} must describe the voided attempt ${c.plan.attempt - 1} in "previous"`,
        );
  if (c.plan.attempt === 1) return line('fail', 'attempt 1 cannot have a previous attempt');
  if (p.attempt !== c.plan.attempt - 1)
    return line('fail', `previous.attempt is ${p.attempt}, expected ${c.plan.attempt - 1}`);
  if (p.knownVoids > 1)
    return line(
      'fail',
      `knownVoids is ${p.knownVoids}: at most one attempt may be voided after its randomness was known`,
      {
        knownVoids: p.knownVoids,
      },
    );
  if (p.randomness !== null && p.knownVoids < 1)
    return line('fail', 'the voided attempt’s randomness was known, so knownVoids must count it (≥ 1)', {
      knownVoids: p.knownVoids,
    });
  if (p.resultDigest !== null && p.randomness === null)
    return line('fail', 'previous.resultDigest needs previous.randomness');
  const allPast = p.sources.every((s) => sourceTime(s) < t.seconds);
  if (allPast && (p.randomness === null || p.resultDigest === null))
    return line(
      'fail',
      'every source of the voided attempt existed before this commitment: its randomness and result must be published in "previous"',
    );
  if (p.randomness !== null) {
    const problem = randomnessShapeProblem(p.sources, p.randomness);
    if (problem) return line('fail', `previous.randomness ${problem}`);
  }
  return line(
    'pass',
    `attempt ${c.plan.attempt} follows voided attempt ${p.attempt} (reason ${p.reason}; ${p.randomness === null ? 'its randomness was not yet known' : 'its randomness and result are published'}; knownVoids ${p.knownVoids})`,
    { knownVoids: p.knownVoids, known: p.randomness !== null },
  );
}

/** The digest lines (`digest.*`) and the `excluded` line of a structurally valid v2 bundle. */
export function digestLines(
  b: Pick<DrawBundleV2, 'commitment' | 'commitmentDigest' | 'frame' | 'excluded' | 'inspectors' | 'experts'>,
): VerificationCheck[] {
  const out: VerificationCheck[] = [];
  const add = (id: string, status: CheckStatus, message: string, params: CheckParams = {}): void => {
    out.push({ id, status, params, message });
  };
  const c = b.commitment;
  const cd = toHex(sha256Canonical(c));
  add(
    'digest.commitment',
    cd === b.commitmentDigest ? 'pass' : 'fail',
    cd === b.commitmentDigest
      ? `commitment digest ${cd}`
      : `commitmentDigest mismatch: bundle says ${b.commitmentDigest}, the commitment hashes to ${cd}`,
    { digest: cd },
  );
  const rowChecks: [string, { count: number; digest: string }, number, () => string][] = [
    ['frame', c.frame, b.frame.length, () => frameDigestV2(b.frame)],
    ['excluded', c.excluded, b.excluded.length, () => excludedDigest(b.excluded)],
    ['inspectors', c.inspectors, b.inspectors.length, () => personsDigest(b.inspectors)],
    ['experts', c.experts, b.experts.length, () => personsDigest(b.experts)],
  ];
  for (const [name, ref, count, digest] of rowChecks) {
    const d = digest();
    const ok = ref.count === count && ref.digest === d;
    add(
      `digest.${name}`,
      ok ? 'pass' : 'fail',
      ok
        ? `${name}: ${count} rows, digest ${d}`
        : ref.count !== count
          ? `${name}: the commitment says ${ref.count} rows, the bundle has ${count}`
          : `${name} digest mismatch: the commitment says ${ref.digest}, the rows hash to ${d}`,
      { rows: count, digest: d },
    );
  }
  const overlap = frameExcludedOverlap(b.frame, b.excluded);
  add(
    'excluded',
    overlap ? 'fail' : 'pass',
    overlap
      ? `unit ${overlap} is both in the frame and in the excluded list`
      : `${b.excluded.length} roster units outside the frame are listed with their reasons, none in the frame`,
    { unit: overlap, excluded: b.excluded.length },
  );

  return out;
}

/** The raw public keys (base64) of a registry's entries; officials' keys never count as witnesses. */
export function registryKeysBase64(registry: unknown): string[] {
  const keys = (registry as { keys?: unknown } | null | undefined)?.keys;
  if (!Array.isArray(keys)) return [];
  const out: string[] = [];
  for (const k of keys) {
    const hex = (k as { publicKey?: unknown } | null)?.publicKey;
    if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/.test(hex)) continue;
    let bin = '';
    for (const byte of fromHex(hex)) bin += String.fromCharCode(byte);
    out.push(btoa(bin));
  }
  return out;
}

/**
 * The registry's log time (SPEC §II.9.7): the registry given beside the bundle must be in a
 * witnessed checkpoint no later than the sign-off, so no key was registered after the fact.
 * Without a proof (or a log verifier) the line warns "registry log time not proven".
 */
export function registryTimeLine(
  options: VerifyOptionsV2,
  signedAt: string,
  context: { bureauKeys: readonly string[] },
): SourceRuleLine {
  const id = 'registryTime';
  if (options.registryInclusion === undefined || !options.verifyRegistryInclusion)
    return {
      id,
      status: 'warn',
      params: { signedAt },
      message: `registry log time not proven: ${options.registryInclusion === undefined ? 'no log inclusion proof of the registry was given' : 'no log verifier is configured'}; the key was checked at signedAt (${signedAt})`,
    };
  let outcome;
  try {
    outcome = options.verifyRegistryInclusion(options.registryInclusion, options.registry, context);
  } catch (err) {
    outcome = { ok: false, reason: describeError(err) };
  }
  if (!outcome.ok || !outcome.time || Number.isNaN(Date.parse(outcome.time)))
    return {
      id,
      status: 'fail',
      params: { signedAt },
      message: `the registry's log inclusion proof does not verify: ${outcome.reason ?? 'no time'}`,
    };
  const logged = Math.floor(Date.parse(outcome.time) / 1000);
  const params = { signedAt, time: instantOf(logged) };
  if (logged > instantSeconds(signedAt))
    return {
      id,
      status: 'fail',
      params,
      message: `the registry was first in a witnessed checkpoint at ${instantOf(logged)}, after the sign-off (${signedAt}): the key was not public before it signed`,
    };
  return {
    id,
    status: 'pass',
    params,
    message: `the registry was public in a witnessed checkpoint at ${instantOf(logged)}, before the sign-off (${signedAt})`,
  };
}

/** An injected verifier's outcome; one that throws is a failed proof, not a verifier's crash. */
function injected(verify: () => InclusionOutcome): InclusionOutcome {
  try {
    return verify();
  } catch (err) {
    return { ok: false, reason: describeError(err) };
  }
}

/** The signature record of a bundle's sign-off or void (what the log holds of it, §9.7). */
export function signatureRecord(
  of: 'draw' | 'void',
  bureau: string,
  commitmentDigest: string,
  resultDigest: string | null,
  signature: SignOff | VoidEnvelope,
): SignatureRecordV2 {
  return {
    spec: SIGNATURE_SPEC,
    bureau,
    of,
    commitmentDigest,
    resultDigest: of === 'void' ? null : resultDigest,
    signature,
  };
}

/** The publication kind of a signature record: `sign-off` (a draw's), `void-sign-off` (a void's). */
export function signatureRecordKind(of: 'draw' | 'void'): 'sign-off' | 'void-sign-off' {
  return of === 'void' ? 'void-sign-off' : 'sign-off';
}

/** How far from a checkpoint's time its witnesses co-sign it (§9.1). */
const WITNESS_CLOCK_SECONDS = 30;

/** Unix seconds of an ISO instant, or null when it is none. */
function instantSecondsOrNull(instant: string | undefined): number | null {
  if (instant === undefined) return null;
  const t = Date.parse(instant);
  return Number.isNaN(t) ? null : Math.floor(t / 1000);
}

/**
 * Whether a registry ended the key `keyId` by `at` (Unix seconds): it holds the key, and every
 * entry of it ends no later than `at`. (A key not valid yet may still be valid at a later time.)
 */
function endedBy(registry: unknown, keyId: string, at: number): boolean {
  const keys = (registry as { keys?: unknown } | null | undefined)?.keys;
  if (!Array.isArray(keys)) return false;
  const own = keys.filter((k) => (k as { keyId?: unknown } | null)?.keyId === keyId) as {
    validUntil?: unknown;
  }[];
  return (
    own.length > 0 &&
    own.every((k) => typeof k.validUntil === 'string' && Date.parse(k.validUntil) / 1000 <= at)
  );
}

/**
 * The end an entry of `keyId` in `registry` gives (Unix seconds), the earliest if it holds several;
 * null when it holds none that ends.
 */
function endIn(registry: unknown, keyId: string): number | null {
  let end: number | null = null;
  for (const k of entriesOf(registry) ?? []) {
    if (k.keyId !== keyId || typeof k.validUntil !== 'string') continue;
    const t = Date.parse(k.validUntil);
    if (!Number.isNaN(t) && (end === null || t / 1000 < end)) end = t / 1000;
  }
  return end;
}

/** The versions `currentRegistryHistory` lists, or null when it is no list of `{registry, inclusion}`. */
function registryVersions(history: unknown): { registry: unknown; inclusion: unknown }[] | null {
  if (!Array.isArray(history)) return null;
  const out: { registry: unknown; inclusion: unknown }[] = [];
  for (const v of history as unknown[]) {
    if (!v || typeof v !== 'object' || Array.isArray(v) || !('registry' in v)) return null;
    const { registry, inclusion } = v as { registry: unknown; inclusion?: unknown };
    out.push({ registry, inclusion: inclusion ?? null });
  }
  return out;
}

/** How far a `signedAt` may run ahead of its log time: the platform's ±5 min on a signer's clock. */
const SIGNED_AT_AHEAD_SECONDS = 300;

/**
 * The key at the sign-off's log time (SPEC §II.9.7); a warning "not checked" when none of its
 * inputs is given. The sign-off counts at the time of the first witnessed checkpoint holding its
 * signature record (published as it was signed) or, for bundles signed before records existed,
 * the draw's (void's) own publication, whose content digest the caller computed from the content
 * holding this bundle. `signedAt` may not run more than 5 minutes ahead of that time. The signing
 * key must be valid then, both in the registry given with the bundle and in the bureau's current
 * one: a bundle re-signed with an ended key and dated back, beside the registry of before its end,
 * fails. Without the proof the key is checked at `signedAt` and the line warns.
 */
export function signOffLogTimeLine(
  options: VerifyOptionsV2,
  record: SignatureRecordV2,
  message: Uint8Array,
  context: { bureauKeys: readonly string[] },
): SourceRuleLine {
  const id = 'signOffLogTime';
  const { verifySignOffInclusion: verify, signOffInclusion: proof, signOffContentDigest: digest } = options;
  const so = record.signature;
  // Nothing of the log time given (a bundle checked offline on its own): said, never silent.
  if (proof === undefined && !verify && options.currentRegistry === undefined)
    return {
      id,
      status: 'warn',
      params: { signedAt: so.signedAt, time: so.signedAt },
      message: `sign-off log time not checked: neither the proof of its signature record nor the bureau's current registry was given; the key was checked at signedAt (${so.signedAt}) only`,
    };
  const signedAt = instantSeconds(so.signedAt);
  const fail = (msg: string, params: CheckParams = {}): SourceRuleLine => ({
    id,
    status: 'fail',
    params: { signedAt: so.signedAt, ...params },
    message: msg,
  });
  const unproven: string[] = [];
  let logTime: number | null = null;
  if (proof === null)
    return fail(`the log holds no record of this ${record.of === 'void' ? 'void' : 'sign-off'}`, {
      problem: 'proof',
    });
  if (proof === undefined) unproven.push('no log inclusion proof of the sign-off was given');
  else if (!verify) unproven.push('no log verifier is configured');
  else {
    const accepted: AcceptedLeaf[] = [
      { kind: signatureRecordKind(record.of), contentDigest: digestOf(record) },
    ];
    if (digest !== undefined) accepted.push({ kind: record.of, contentDigest: digest });
    const outcome = injected(() => verify(proof, accepted, context));
    if (!outcome.ok || !outcome.time || Number.isNaN(Date.parse(outcome.time)))
      return fail(`the sign-off's log inclusion proof does not verify: ${outcome.reason ?? 'no time'}`, {
        problem: 'proof',
      });
    logTime = Math.floor(Date.parse(outcome.time) / 1000);
    if (signedAt > logTime + SIGNED_AT_AHEAD_SECONDS)
      return fail(
        `signed at ${so.signedAt}, more than 5 minutes after it was in a witnessed checkpoint at ${instantOf(logTime)}: the signing time is false`,
        { time: instantOf(logTime), problem: 'late' },
      );
  }
  // Every earlier version of the bureau's registry: an end once published is final (an insider's
  // later version that takes it back changes nothing), so the earliest end any of them gave counts.
  const history =
    options.currentRegistry !== undefined && options.currentRegistryHistory !== undefined
      ? registryVersions(options.currentRegistryHistory)
      : undefined;
  if (history === null)
    return fail("the bureau's earlier registry versions are not a list of registries with their proofs", {
      problem: 'proof',
    });
  let earliestEnd: { end: number; loggedAt: string | null } | null = null;
  let unwitnessed = 0;
  let unverified = 0;
  const verifyLeaf = options.verifySignOffInclusion;
  for (const v of history ?? []) {
    let loggedAt: string | null = null;
    if (v.inclusion === null) unwitnessed++;
    else if (!verifyLeaf) unverified++;
    else {
      // A `key-registry` leaf of exactly this content. What the content says is read only when it
      // is a registry of the record's bureau: anything else logged under that kind (an insider's
      // junk) holds no end, and cannot fail every draw of the bureau for good.
      const outcome = injected(() =>
        verifyLeaf(v.inclusion, [{ kind: 'key-registry', contentDigest: digestOf(v.registry) }], context),
      );
      if (!outcome.ok)
        return fail(
          `an earlier version of the bureau's registry does not verify against the log: ${outcome.reason ?? 'no time'}`,
          { problem: 'proof' },
        );
      loggedAt = outcome.time ?? null;
    }
    if ((v.registry as { bureau?: unknown } | null)?.bureau !== record.bureau) continue;
    const end = endIn(v.registry, so.signer.keyId);
    if (end !== null && (earliestEnd === null || end < earliestEnd.end)) earliestEnd = { end, loggedAt };
  }
  // The versions claim to be every one the log holds: the registry given with the bundle, proven in
  // the log, must be among them (a list that leaves it out leaves out what it may have ended).
  if (
    history &&
    options.registryInclusion !== undefined &&
    (options.registry as { bureau?: unknown } | null)?.bureau === record.bureau
  ) {
    const digest = (r: unknown) => {
      try {
        return digestOf(r);
      } catch {
        return null;
      }
    };
    const given = digest(options.registry);
    const listed = [options.currentRegistry, ...history.map((v) => v.registry)].some(
      (r) => given !== null && digest(r) === given,
    );
    if (!listed)
      return fail(
        "the bureau's registry versions given leave out the registry given with the bundle: they are not every version the log holds",
        { problem: 'proof' },
      );
  }
  if (options.currentRegistry !== undefined) {
    if (history === undefined)
      unproven.push(
        "the bureau's earlier registry versions were not given (an end a later version took back would go unseen)",
      );
    else if (unwitnessed)
      unproven.push(
        `${unwitnessed} earlier version(s) of the bureau's registry are in no witnessed checkpoint yet`,
      );
    else if (unverified)
      unproven.push(
        "the earlier versions of the bureau's registry are not proven (no log verifier is configured)",
      );
  }
  const endedEarlier = (t: number) =>
    earliestEnd !== null && earliestEnd.end <= t
      ? `a version of the bureau's registry${earliestEnd.loggedAt ? ` logged at ${earliestEnd.loggedAt}` : ''} ended the key at ${instantOf(earliestEnd.end)}, and an end once published is final`
      : null;
  // A record in the log but in no witnessed checkpoint yet: its log time will be no earlier than
  // this, so a key ended by then can never pass (waiting out the witnesses changes nothing).
  const pendingAt = logTime === null ? instantSecondsOrNull(options.signOffPendingAt) : null;
  if (pendingAt !== null) {
    const earliest = pendingAt - WITNESS_CLOCK_SECONDS;
    if (
      [options.registry, options.currentRegistry].some(
        (r) => r !== undefined && endedBy(r, so.signer.keyId, earliest),
      ) ||
      endedEarlier(earliest)
    )
      return fail(
        `the sign-off is in no witnessed checkpoint yet, so its log time is ${instantOf(earliest)} or later, when the key had ended`,
        { time: instantOf(earliest), rule: 'window', problem: 'key' },
      );
  }
  const at = instantOf(logTime ?? signedAt);
  const ended = endedEarlier(logTime ?? signedAt);
  if (ended)
    return fail(
      `the key was not valid at the sign-off's ${logTime === null ? 'signing time' : 'log time'} ${at}: ${ended}`,
      { time: at, rule: 'window', problem: 'key' },
    );
  const registries: { name: string; registry: unknown }[] = [];
  if (options.registry !== undefined)
    registries.push({ name: 'the registry given', registry: options.registry });
  if (options.currentRegistry !== undefined) {
    registries.push({ name: "the bureau's current registry", registry: options.currentRegistry });
    const { verifyRegistryInclusion: verifyRegistry, currentRegistryInclusion: registryProof } = options;
    const current = options.currentRegistry;
    if (!verifyRegistry || registryProof === undefined)
      unproven.push('the current registry is not proven in the log (no proof of it was given)');
    else {
      const outcome = injected(() => verifyRegistry(registryProof, current, context));
      if (!outcome.ok)
        return fail(
          `the bureau's current registry does not verify against the log: ${outcome.reason ?? 'no time'}`,
          {
            problem: 'proof',
          },
        );
    }
  } else unproven.push('no current registry of the bureau was given');
  for (const r of registries) {
    const res = checkSigner(r.registry, record.bureau, so.signer, at, message, so.signature);
    if (!res.ok)
      return fail(
        `by ${r.name}, the key was not valid at the sign-off's ${logTime === null ? 'signing time' : 'log time'} ${at}: ${res.reason}`,
        { time: at, rule: res.rule, problem: 'key' },
      );
  }
  if (unproven.length)
    return {
      id,
      status: 'warn',
      params: { signedAt: so.signedAt, time: at },
      message: `the key was valid at ${logTime === null ? `signedAt (${at})` : `the sign-off's log time ${at}`}, but ${unproven.join('; ')}`,
    };
  return {
    id,
    status: 'pass',
    params: { signedAt: so.signedAt, time: at },
    message: `the sign-off was in a witnessed checkpoint at ${at}, and the key was valid then by the registry given, by the bureau's current registry and by every earlier version of it`,
  };
}

/**
 * A published signature record (`sr-draw/v2/signature`, §9.7) checked on its own, as a draw's check
 * judges the sign-off its bundle holds ({@link signOffLogTimeLine}): the record's first witnessed
 * checkpoint (`signOffInclusion`, or `signOffPendingAt` while it is in none) dates it, and the key
 * must be valid then by the bureau's current registry (`currentRegistry`, proven by
 * `currentRegistryInclusion`) and by every earlier version (`currentRegistryHistory`), each proven in
 * the log, so a registry edited behind the log or an end taken back counts for nothing. Anyone with
 * the database can log a record naming an official (no key is needed to publish one): this says
 * whether it is that official's signature. Besides that line's outcomes, it fails with
 * `problem: 'record'` when the content is no well-formed record (its sign-off or void envelope as a
 * bundle's parser takes them: lowercase hex, whole-second instants, exact members; a record spelt
 * another way is another leaf), with `problem: 'requester'` for a void signed by its requester
 * (§9.4), and as a key the bureau never registered without `currentRegistry` (the log holds no
 * registry of the bureau).
 *
 * A record names no draw: it is logged under one (its publication's `refId`). When `draw` is given
 * (the commitment digest the log's commitment of that draw states, null when there is none), a
 * record whose commitment is another fails with `problem: 'draw'`: an honest record copied under
 * another draw's id is a valid signature, but of that other draw.
 */
export function signatureRecordLine(
  record: unknown,
  options: VerifyOptionsV2,
  draw?: { commitmentDigest: string | null },
): SourceRuleLine {
  const id = 'signatureRecord';
  const refuse = (problem: 'record' | 'requester', message: string): SourceRuleLine => ({
    id,
    status: 'fail',
    params: { problem },
    message,
  });
  const r = record as Partial<Record<keyof SignatureRecordV2, unknown>> | null;
  let rebuilt: SignatureRecordV2;
  let message: Uint8Array;
  try {
    if (!r || typeof r !== 'object' || r.spec !== SIGNATURE_SPEC || typeof r.bureau !== 'string')
      throw new DrawInputError('record', 'no sr-draw/v2 signature record of a bureau');
    assertHex(r.commitmentDigest, 'record.commitmentDigest', 64);
    if (r.of === 'draw') {
      assertHex(r.resultDigest, 'record.resultDigest', 64);
      validateSignOff(r.signature, 'record.signature');
      const so = r.signature;
      message = signOffMessage(so.signer, so.signedAt, r.commitmentDigest, r.resultDigest);
      rebuilt = signatureRecord('draw', r.bureau, r.commitmentDigest, r.resultDigest, so);
    } else if (r.of === 'void' && r.resultDigest === null) {
      validateVoidEnvelope(r.signature, 'record.signature');
      const v = r.signature;
      if (v.commitmentDigest !== r.commitmentDigest)
        throw new DrawInputError('record.signature.commitmentDigest', 'not the record’s commitment');
      if (v.requestedBy === v.signer.id)
        return refuse(
          'requester',
          `the void is signed by its requester ${v.requestedBy}; a second official must sign`,
        );
      const { signature: _sig, ...body } = v;
      message = voidMessage(body);
      rebuilt = signatureRecord('void', r.bureau, r.commitmentDigest, null, v);
    } else throw new DrawInputError('record.of', 'neither a draw’s sign-off nor a void');
  } catch (err) {
    return refuse('record', `the content is no well-formed signature record: ${describeError(err)}`);
  }
  const signedAt = rebuilt.signature.signedAt;
  if (draw !== undefined && draw.commitmentDigest !== rebuilt.commitmentDigest)
    return {
      id,
      status: 'fail',
      params: { signedAt, problem: 'draw' },
      message:
        draw.commitmentDigest === null
          ? 'the log holds no commitment of the draw the record is published under'
          : `the record signs commitment ${rebuilt.commitmentDigest}, not the commitment ${draw.commitmentDigest} of the draw it is published under`,
    };
  // On its own, a record has no registry but the bureau's: without one no key is the bureau's.
  if (options.currentRegistry === undefined || options.currentRegistry === null)
    return {
      id,
      status: 'fail',
      params: { signedAt, rule: 'key', problem: 'key' },
      message: "no registry of the bureau was given: the record's key is none the bureau registered",
    };
  const versions = registryVersions(options.currentRegistryHistory) ?? [];
  const bureauKeys = [options.currentRegistry, ...versions.map((v) => v.registry)].flatMap((x) =>
    registryKeysBase64(x),
  );
  return { ...signOffLogTimeLine(options, rebuilt, message, { bureauKeys }), id };
}

/** The identity of a registry entry across versions (its `validUntil` changes when it ends). */
function entryIdentity(k: Record<string, unknown>): string | null {
  const signer = k.signer as { id?: unknown; name?: unknown } | null | undefined;
  if (
    typeof k.keyId !== 'string' ||
    typeof k.publicKey !== 'string' ||
    typeof k.validFrom !== 'string' ||
    typeof signer?.id !== 'string' ||
    typeof signer.name !== 'string'
  )
    return null;
  return JSON.stringify([k.keyId, k.publicKey, signer.id, signer.name, k.validFrom]);
}

function entriesOf(registry: unknown): Record<string, unknown>[] | null {
  const keys = (registry as { keys?: unknown } | null | undefined)?.keys;
  if (!Array.isArray(keys)) return null;
  return keys.filter((k): k is Record<string, unknown> => !!k && typeof k === 'object' && !Array.isArray(k));
}

/**
 * Every entry of the registry against its own log time (SPEC §II.9.7): an entry's `validFrom` may
 * not be earlier than the first witnessed checkpoint holding a registry version with that entry.
 * The proofs are the registry's own inclusion and `registryHistory` (earlier versions with theirs);
 * a version proves an entry's log time when it holds the same keyId, public key, signer and
 * validFrom. A back-dated entry is rejected: the line fails when it is the key that signed
 * (`signerKeyId`), and names it otherwise. An entry no proof covers warns "log time not proven".
 */
export function registryEntriesLine(
  options: VerifyOptionsV2,
  signerKeyId: string | null,
  context: { bureauKeys: readonly string[] },
): SourceRuleLine {
  const id = 'registryEntries';
  const entries = entriesOf(options.registry);
  const bureau = (options.registry as { bureau?: unknown } | null | undefined)?.bureau;
  if (!entries)
    return {
      id,
      status: 'fail',
      params: {},
      message: 'registry entries not checked: the registry has no key list',
    };
  if (!options.verifyRegistryInclusion || options.registryInclusion === undefined)
    return {
      id,
      status: 'warn',
      params: { entries: entries.length },
      message: `registry entries' log time not proven: ${options.verifyRegistryInclusion ? 'no log inclusion proof of the registry was given' : 'no log verifier is configured'}; each key's validFrom is taken as stated`,
    };
  const versions: { registry: unknown; inclusion: unknown }[] = [
    { registry: options.registry, inclusion: options.registryInclusion },
  ];
  if (Array.isArray(options.registryHistory))
    for (const v of options.registryHistory as unknown[])
      if (v && typeof v === 'object' && !Array.isArray(v))
        versions.push({
          registry: (v as { registry?: unknown }).registry,
          inclusion: (v as { inclusion?: unknown }).inclusion,
        });
  const firstLogged = new Map<string, number>();
  let invalid = 0;
  for (const v of versions) {
    if ((v.registry as { bureau?: unknown } | null | undefined)?.bureau !== bureau) {
      invalid++;
      continue;
    }
    let outcome;
    try {
      outcome = options.verifyRegistryInclusion(v.inclusion, v.registry, context);
    } catch (err) {
      outcome = { ok: false, reason: describeError(err) };
    }
    if (!outcome.ok || !outcome.time || Number.isNaN(Date.parse(outcome.time))) {
      invalid++;
      continue;
    }
    const time = Math.floor(Date.parse(outcome.time) / 1000);
    for (const k of entriesOf(v.registry) ?? []) {
      const key = entryIdentity(k);
      if (key !== null && !(time >= (firstLogged.get(key) ?? Infinity))) firstLogged.set(key, time);
    }
  }
  const backdated: string[] = [];
  const unproven: string[] = [];
  let signer: 'ok' | 'backdated' | 'unproven' | 'absent' = 'absent';
  for (const k of entries) {
    const key = entryIdentity(k);
    const name = `key ${String(k.keyId).slice(0, 16)}… of ${String((k.signer as { name?: unknown } | null)?.name)} (${String((k.signer as { id?: unknown } | null)?.id)})`;
    const logged = key === null ? undefined : firstLogged.get(key);
    const from = typeof k.validFrom === 'string' ? Date.parse(k.validFrom) / 1000 : NaN;
    let state: 'ok' | 'backdated' | 'unproven';
    if (logged === undefined || Number.isNaN(from)) {
      state = 'unproven';
      unproven.push(name);
    } else if (from < logged) {
      state = 'backdated';
      backdated.push(
        `${name} is valid from ${String(k.validFrom)} but entered a witnessed checkpoint only at ${instantOf(logged)}`,
      );
    } else state = 'ok';
    if (k.keyId === signerKeyId && signer !== 'backdated') signer = state;
  }
  const params: CheckParams = {
    entries: entries.length,
    backdated: backdated.length,
    unproven: unproven.length,
    invalidProofs: invalid,
    signer,
  };
  const rejected = backdated.length ? `; rejected as back-dated: ${backdated.join('; ')}` : '';
  if (signer === 'backdated')
    return {
      id,
      status: 'fail',
      params,
      message: `the signing key is back-dated: its validFrom is earlier than its own log time, so it could sign before it was public${rejected}`,
    };
  if (signer === 'unproven' || backdated.length)
    return {
      id,
      status: 'warn',
      params,
      message:
        signer === 'unproven'
          ? `log time of the signing key not proven: no witnessed registry version holding it was given (${unproven.length} of ${entries.length} entries unproven)${rejected}`
          : `the signing key's validFrom is not earlier than its log time${rejected}`,
    };
  return {
    id,
    status: 'pass',
    params,
    message: `every key's validFrom is not earlier than its own log time (${entries.length - unproven.length} of ${entries.length} entries proven${unproven.length ? `; not proven: ${unproven.join(', ')}` : ''})`,
  };
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The commitment time (§II.9.1): the first witnessed checkpoint holding the commitment, which must
 * predate every source; a proof that does not verify, or comes too late, fails (never warns).
 * Without a proof (or a log verifier) the line warns "commitment time not proven".
 */
export function commitmentTimeLine(
  b: {
    commitment: Pick<CommitmentV2, 'sources' | 'committedAt'>;
    commitmentDigest: string;
    inclusion?: unknown;
  },
  options: VerifyOptionsV2,
  context: { bureauKeys: readonly string[] },
): { line: SourceRuleLine; t: CommitmentTime } {
  const c = b.commitment;
  const id = 'commitmentTime';
  const firstSource = Math.min(...c.sources.map(sourceTime));
  const stated: CommitmentTime = { seconds: instantSeconds(c.committedAt), proven: false };
  if (b.inclusion === undefined || !options.verifyInclusion)
    return {
      t: stated,
      line: {
        id,
        status: 'warn',
        params: { time: c.committedAt },
        message:
          b.inclusion === undefined
            ? `commitment time not proven: no log inclusion proof; times are taken from committedAt (${c.committedAt})`
            : `commitment time not proven: the bundle carries an inclusion proof but no log verifier is configured; times are taken from committedAt (${c.committedAt})`,
      },
    };
  let outcome;
  try {
    outcome = options.verifyInclusion(b.inclusion, b.commitmentDigest, context);
  } catch (err) {
    outcome = { ok: false, reason: describeError(err) };
  }
  if (!outcome.ok || !outcome.time || Number.isNaN(Date.parse(outcome.time)))
    return {
      t: stated,
      line: {
        id,
        status: 'fail',
        params: { time: c.committedAt },
        message: `the log inclusion proof does not verify: ${outcome.reason ?? 'no time'}`,
      },
    };
  const t: CommitmentTime = { seconds: Math.floor(Date.parse(outcome.time) / 1000), proven: true };
  const params = { time: instantOf(t.seconds), firstSource: instantOf(firstSource) };
  return {
    t,
    line:
      t.seconds < firstSource
        ? {
            id,
            status: 'pass',
            params,
            message: `commitment time proven by the log: ${instantOf(t.seconds)}, before the first source (${instantOf(firstSource)})`,
          }
        : {
            id,
            status: 'fail',
            params,
            message: `the commitment was first in a witnessed checkpoint at ${instantOf(t.seconds)}, not before the first source (${instantOf(firstSource)}): it was not published before the randomness`,
          },
  };
}

/**
 * Verifies a parsed v2 bundle: structure, digests, commitment time, every source (drand signature
 * and chain, lottery format, timing), R, sufficiency, freshness, previous, feasibility, the result
 * recomputed byte for byte, and the sign-off (against `options.registry` when given).
 */
export function verifyBundleV2(bundle: unknown, options: VerifyOptionsV2 = {}): VerificationReport {
  const checks: VerificationCheck[] = [];
  const add = (id: string, status: CheckStatus, message: string, params: CheckParams = {}): void => {
    checks.push({ id, status, params, message });
  };
  const done = (): VerificationReport => ({
    algorithm: SR_DRAW_V2,
    ok: !checks.some((c) => c.status === 'fail'),
    checks,
  });
  const step = options.onStep ?? (() => {});
  step('parse');
  try {
    validateBundleV2(bundle);
  } catch (err) {
    if (!(err instanceof DrawInputError)) throw err;
    add('parse', 'fail', `malformed bundle: ${err.message}`, { path: err.path });
    return done();
  }
  add('parse', 'pass', 'bundle is well formed (exact keys, lowercase hex, valid USCC unit ids, sorted rows)');
  const b = bundle;
  const c = b.commitment;

  step('digests');
  for (const line of digestLines(b)) add(line.id, line.status, line.message, line.params);

  const context = { bureauKeys: registryKeysBase64(options.registry) };
  const time = commitmentTimeLine(b, options, context);
  add(time.line.id, time.line.status, time.line.message, time.line.params);
  const t = time.t;

  // Sources (§II.2).
  step('sources');
  const values = b.randomness.values as unknown[];
  c.sources.forEach((s, i) => {
    const v = values[i];
    if (s.kind === 'drand') {
      const chain = resolveDrandChain(s);
      if (chain.pinned)
        add(`source.${i}.drand.chain`, 'pass', `drand chain ${chain.name} (pinned)`, {
          chain: s.chain,
          pinned: true,
        });
      else
        add(
          `source.${i}.drand.chain`,
          options.production ? 'fail' : 'warn',
          options.production
            ? `unpinned beacon ${s.chain.slice(0, 16)}…: refused in production`
            : `unpinned beacon ${s.chain.slice(0, 16)}… (a demo or test chain, not the League of Entropy)`,
          { chain: s.chain, pinned: false },
        );
      const sig = verifyDrandSignature(chain.info.publicKey, s.round, typeof v === 'string' ? v : '');
      add(
        `source.${i}.drand.signature`,
        sig.valid ? 'pass' : 'fail',
        sig.valid
          ? `drand round ${s.round}: the BLS signature verifies against the chain's public key`
          : `drand round ${s.round}: ${sig.reason ?? 'invalid value'}`,
        { round: s.round, roundTime: instantOf(drandRoundTime(chain.info, s.round)) },
      );
    } else {
      const problem = lotteryValueProblem(s.game, v);
      add(
        `source.${i}.lottery.format`,
        problem ? 'fail' : 'pass',
        problem ? `${s.game} issue ${s.issue}: ${problem}` : `${s.game} issue ${s.issue}: well-formed result`,
        { game: s.game, issue: s.issue },
      );
      add(
        `source.${i}.lottery.value`,
        'info',
        `${s.game} issue ${s.issue}: lottery values not checked, compare with the operator's published result`,
        { game: s.game, issue: s.issue, drawDate: s.drawDate },
      );
    }
  });
  for (const line of sourceTimingLines(c.sources, t)) add(line.id, line.status, line.message, line.params);

  let r: string | null = null;
  try {
    r = randomnessStringV2(c.sources, values);
  } catch (err) {
    if (!(err instanceof DrawInputError)) throw err;
    add('randomness', 'fail', `randomness values: ${err.message}`);
  }
  if (r !== null)
    add(
      'randomness',
      r === b.randomness.string ? 'pass' : 'fail',
      r === b.randomness.string
        ? `R = ${r.length > 80 ? `${r.slice(0, 77)}...` : r}`
        : `randomness.string mismatch: the values give ${JSON.stringify(r)}`,
      { string: r },
    );

  for (const line of [sufficiencyLine(c.sources, options.production), freshnessLine(c), previousLine(c, t)])
    add(line.id, line.status, line.message, line.params);

  step('feasibility');
  const feas = checkFeasibilityV2(c, b.frame, b.inspectors, b.experts);
  add(
    'feasibility',
    feas.ok ? 'pass' : 'fail',
    feas.ok
      ? c.team.assign
        ? `every unit had at least ${2 * c.team.size} eligible inspectors, and capacity suffices`
        : 'no teams drawn; every expert unit had at least 2 eligible experts'
      : `the plan was not feasible: ${feas.problems
          .slice(0, 3)
          .map((p) => p.message)
          .join('; ')}${feas.problems.length > 3 ? `; and ${feas.problems.length - 3} more` : ''}`,
    { problems: feas.problems.length },
  );

  // Result.
  step('result');
  if (r === null) add('result', 'fail', 'result not recomputed: the randomness values are malformed');
  else {
    try {
      const recomputed = computeResultV2(
        {
          commitment: c,
          commitmentDigest: sha256Canonical(c),
          frame: b.frame,
          inspectors: b.inspectors,
          experts: b.experts,
          randomness: r,
        },
        { hasher: options.hasher },
      );
      // Equal digests mean equal canonical bytes; only a mismatch is walked for its first difference.
      const rd = sha256hex(recomputed);
      let diff: string | null;
      try {
        diff = sha256hex(b.result) === rd ? null : firstDifference('result', b.result, recomputed);
      } catch (err) {
        diff = `result is not canonical JSON: ${describeError(err)}`;
      }
      if (diff) add('result', 'fail', `result mismatch at ${diff}`);
      else if (rd !== b.resultDigest)
        add(
          'result',
          'fail',
          `resultDigest mismatch: bundle says ${b.resultDigest}, the result hashes to ${rd}`,
        );
      else
        add(
          'result',
          'pass',
          `recomputed the result byte for byte: ${recomputed.selected.length} selected, ${recomputed.overloads.length} overloads; resultDigest ${rd}`,
          { selected: recomputed.selected.length, overloads: recomputed.overloads.length, digest: rd },
        );
    } catch (err) {
      if (!(err instanceof DrawInputError)) throw err;
      add('result', 'fail', `the result cannot be recomputed: ${err.message}`);
    }
  }

  // Sign-off (§II.6, §II.8.11).
  step('signOff');
  const so = b.signOff;
  if (so === null) {
    add('signOff', 'fail', 'the bundle is not signed: a published draw needs a sign-off');
    return done();
  }
  const latest = Math.max(...c.sources.map(sourceTime));
  const signedAt = instantSeconds(so.signedAt);
  add(
    'signOff.timing',
    signedAt >= latest ? 'pass' : 'fail',
    signedAt >= latest
      ? `signed at ${so.signedAt}, after every source existed`
      : `signed at ${so.signedAt}, before a source existed (${instantOf(latest)})`,
    { signedAt: so.signedAt, latestSource: instantOf(latest) },
  );
  const who = { signer: so.signer.id, name: so.signer.name, keyId: so.signer.keyId };
  if (options.registry === undefined) {
    add(
      'signOff',
      'warn',
      `signer not checked: no key registry given (the bundle claims ${so.signer.name} (${so.signer.id}), key ${so.signer.keyId.slice(0, 16)}…)`,
      who,
    );
  } else {
    const res = checkSigner(
      options.registry,
      c.plan.bureau,
      so.signer,
      so.signedAt,
      signOffMessage(so.signer, so.signedAt, b.commitmentDigest, b.resultDigest),
      so.signature,
    );
    if (res.ok)
      add(
        'signOff',
        'pass',
        `signed by ${so.signer.name} (${so.signer.id}) with a registered key of bureau ${c.plan.bureau}, valid at signedAt ${so.signedAt}`,
        who,
      );
    else add('signOff', 'fail', `sign-off rejected: ${res.reason}`, { ...who, rule: res.rule });
    for (const line of [
      registryTimeLine(options, so.signedAt, context),
      registryEntriesLine(options, so.signer.keyId, context),
      signOffLogTimeLine(
        options,
        signatureRecord('draw', c.plan.bureau, b.commitmentDigest, b.resultDigest, so),
        signOffMessage(so.signer, so.signedAt, b.commitmentDigest, b.resultDigest),
        context,
      ),
    ])
      add(line.id, line.status, line.message, line.params);
  }
  return done();
}

/**
 * Verifies any published bundle by its `algorithm`: sr-draw/v2 line by line, sr-draw/v1 exactly
 * as before (one line `v1`). Unknown algorithms fail the `parse` line.
 */
export function verifyAnyBundle(bundle: unknown, options: VerifyOptionsV2 = {}): VerificationReport {
  const algorithm =
    bundle && typeof bundle === 'object' && !Array.isArray(bundle)
      ? (bundle as Record<string, unknown>).algorithm
      : undefined;
  if (algorithm === SR_DRAW_V2) return verifyBundleV2(bundle, options);
  if (algorithm === SR_DRAW_V1) {
    const v = verifyBundle(bundle, { hasher: options.hasher });
    return {
      algorithm: SR_DRAW_V1,
      ok: v.ok,
      checks: [
        v.ok
          ? {
              id: 'v1',
              status: 'pass',
              params: { selected: v.summary.selected, digest: v.summary.resultDigest },
              message: `sr-draw/v1: digests and the result recomputed (${v.summary.selected} selected, resultDigest ${v.summary.resultDigest})`,
            }
          : { id: 'v1', status: 'fail', params: {}, message: `sr-draw/v1: ${v.reason}` },
      ],
    };
  }
  return {
    algorithm: typeof algorithm === 'string' ? algorithm : 'unknown',
    ok: false,
    checks: [
      {
        id: 'parse',
        status: 'fail',
        params: {},
        message: `unknown algorithm ${typeof algorithm === 'string' ? JSON.stringify(algorithm) : '(missing)'}: expected sr-draw/v1 or sr-draw/v2`,
      },
    ],
  };
}

/** Parses bundle text strictly (duplicate keys are errors) and verifies it with {@link verifyAnyBundle}. */
export function verifyBundleText(text: string, options: VerifyOptionsV2 = {}): VerificationReport {
  let bundle: unknown;
  try {
    bundle = parseStrictJson(text, 'bundle');
  } catch (err) {
    if (!(err instanceof DrawInputError)) throw err;
    return {
      algorithm: 'unknown',
      ok: false,
      checks: [{ id: 'parse', status: 'fail', params: {}, message: err.message }],
    };
  }
  return verifyAnyBundle(bundle, options);
}
