/**
 * Strict structure of sr-draw/v2 documents (SPEC §II.8.1–8.3, §II.9.5): exact key sets, lowercase
 * fixed-length hex, identifier patterns, USCC unit ids, sorted rows. Every function throws a
 * {@link DrawInputError} naming the first offending field.
 */
import { DrawInputError } from '../errors';
import {
  assertArray,
  assertBool,
  assertDrawId,
  assertInt,
  assertKeys,
  assertObject,
  assertString,
  describe,
} from '../ids';
import { usccProblem } from '../../uscc';
import { isLotteryGame, resolveDrandChain, sourceIdentity } from './sources';
import {
  DRAND_SCHEME,
  EXCLUSION_REASONS,
  KEY_REGISTRY_SPEC,
  LOTTERY_GAME_IDS,
  SR_DRAW_V2,
  VOID_SPEC,
  type CommitmentV2,
  type DrawBundleV2,
  type ExcludedRow,
  type FrameRowV2,
  type KeyRegistry,
  type PersonRow,
  type PreviousAttempt,
  type SignOff,
  type SourceSpecV2,
  type VoidEnvelope,
} from './types';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Throws unless `value` is lowercase hex of exactly `digits` digits. */
export function assertHex(value: unknown, path: string, digits: number): asserts value is string {
  if (typeof value !== 'string' || value.length !== digits || !/^[0-9a-f]*$/.test(value))
    throw new DrawInputError(path, `expected ${digits} lowercase hex digits, got ${describe(value)}`);
}

/** Throws unless `value` is an instant in whole seconds, UTC: `YYYY-MM-DDTHH:MM:SSZ`. */
export function assertInstant(value: unknown, path: string): asserts value is string {
  const m = typeof value === 'string' ? INSTANT.exec(value) : null;
  const ms = m ? Date.parse(value as string) : NaN;
  const ok = !Number.isNaN(ms) && new Date(ms).toISOString() === `${(value as string).slice(0, 19)}.000Z`;
  if (!ok)
    throw new DrawInputError(
      path,
      `expected a whole-second UTC instant like 2027-01-04T09:00:00Z, got ${describe(value)}`,
    );
}

/** Throws unless `value` is a real calendar date `YYYY-MM-DD`. */
export function assertDate(value: unknown, path: string): asserts value is string {
  const ok =
    typeof value === 'string' &&
    DATE.test(value) &&
    !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
  if (!ok) throw new DrawInputError(path, `expected a date YYYY-MM-DD, got ${describe(value)}`);
}

/** Throws unless `value` is a unit id: an 18-character USCC with a valid GB 32100 check character. */
export function assertUnitId(value: unknown, path: string): asserts value is string {
  if (typeof value !== 'string')
    throw new DrawInputError(path, `a unit id is a USCC (统一社会信用代码) string, got ${describe(value)}`);
  const problem = usccProblem(value);
  if (problem) throw new DrawInputError(path, `unit id ${describe(value)} is not a valid USCC: ${problem}`);
}

function sortedUnique(prev: string, next: string, at: string, what: string): void {
  if (!(prev < next))
    throw new DrawInputError(
      at,
      prev === next
        ? `duplicate ${what} ${describe(next)}`
        : `rows must be sorted by ${what}: ${describe(prev)} comes before ${describe(next)}`,
    );
}

/**
 * Frame rows `[unitId, stratumId, weight, mandatory, specialty, expert]`, sorted by unique unitId.
 * A chunk of a longer frame passes its first row's index and the unitId of the row before it.
 */
export function validateFrameRowsV2(
  rows: unknown,
  path = 'frame',
  offset = 0,
  before = '',
): asserts rows is FrameRowV2[] {
  assertArray(rows, path);
  let prev = before;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const at = `${path}[${offset + i}]`;
    if (!Array.isArray(row) || row.length !== 6)
      throw new DrawInputError(
        at,
        `a frame row is [unitId, stratumId, weight, mandatory, specialty, expert], got ${describe(row)}`,
      );
    const [unitId, stratumId, weight, mandatory, specialty, expert] = row as unknown[];
    assertUnitId(unitId, `${at}[0]`);
    assertDrawId(stratumId, `${at}[1]`, `stratumId of unit ${unitId}`);
    assertInt(weight, `${at}[2]`, 1);
    if (mandatory !== 0 && mandatory !== 1)
      throw new DrawInputError(`${at}[3]`, `mandatory must be 0 or 1, got ${describe(mandatory)}`);
    if (specialty !== '') assertDrawId(specialty, `${at}[4]`, `specialty of unit ${unitId} ("" for none)`);
    if (expert !== 0 && expert !== 1)
      throw new DrawInputError(`${at}[5]`, `expert must be 0 or 1, got ${describe(expert)}`);
    if (i > 0 || before !== '') sortedUnique(prev, unitId, `${at}[0]`, 'unitId');
    prev = unitId;
  }
}

/** Excluded rows `[unitId, reason]`, sorted by unique unitId. */
export function validateExcludedRows(rows: unknown, path = 'excluded'): asserts rows is ExcludedRow[] {
  assertArray(rows, path);
  let prev = '';
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const at = `${path}[${i}]`;
    if (!Array.isArray(row) || row.length !== 2)
      throw new DrawInputError(at, `an excluded row is [unitId, reason], got ${describe(row)}`);
    const [unitId, reason] = row as unknown[];
    assertUnitId(unitId, `${at}[0]`);
    assertDrawId(reason, `${at}[1]`, `reason of excluded unit ${unitId}`);
    if (i > 0) sortedUnique(prev, unitId, `${at}[0]`, 'unitId');
    prev = unitId;
  }
}

/** Inspector or expert rows `[id, capacity, specialties, exclusions]`, sorted by unique id. */
export function validatePersonRows(rows: unknown, path: string, what: string): asserts rows is PersonRow[] {
  assertArray(rows, path);
  let prev = '';
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const at = `${path}[${i}]`;
    if (!Array.isArray(row) || row.length !== 4)
      throw new DrawInputError(
        at,
        `${what} row is [id, capacity, specialties, exclusions], got ${describe(row)}`,
      );
    const [id, capacity, specialties, exclusions] = row as unknown[];
    assertDrawId(id, `${at}[0]`, `${what} id`);
    assertInt(capacity, `${at}[1]`, 1);
    assertArray(specialties, `${at}[2]`);
    for (let k = 0; k < specialties.length; k++) {
      assertDrawId(specialties[k], `${at}[2][${k}]`, `specialty of ${id}`);
      if (k > 0)
        sortedUnique(specialties[k - 1] as string, specialties[k] as string, `${at}[2][${k}]`, 'specialty');
    }
    assertArray(exclusions, `${at}[3]`);
    let pu = '';
    let pr = '';
    for (let k = 0; k < exclusions.length; k++) {
      const e = exclusions[k];
      const ea = `${at}[3][${k}]`;
      if (!Array.isArray(e) || e.length !== 2)
        throw new DrawInputError(ea, `an exclusion is [unitId, reason], got ${describe(e)}`);
      const [u, r] = e as unknown[];
      assertUnitId(u, `${ea}[0]`);
      if (typeof r !== 'string' || !(EXCLUSION_REASONS as readonly string[]).includes(r))
        throw new DrawInputError(
          `${ea}[1]`,
          `exclusion reason must be one of ${EXCLUSION_REASONS.join(', ')}, got ${describe(r)}`,
        );
      if (k > 0 && !(pu < u || (pu === u && pr < r)))
        throw new DrawInputError(
          ea,
          pu === u && pr === r
            ? `duplicate exclusion [${u}, ${r}] of ${id}`
            : `exclusions of ${id} must be sorted by (unitId, reason)`,
        );
      pu = u;
      pr = r;
    }
    if (i > 0) sortedUnique(prev, id, `${at}[0]`, `${what} id`);
    prev = id;
  }
}

function versionRef(value: unknown, path: string): void {
  assertObject(value, path);
  assertKeys(value, path, ['id', 'version', 'digest']);
  assertString(value.id, `${path}.id`);
  assertString(value.version, `${path}.version`);
  assertHex(value.digest, `${path}.digest`, 64);
}

function rowsRef(value: unknown, path: string): void {
  assertObject(value, path);
  assertKeys(value, path, ['count', 'digest']);
  assertInt(value.count, `${path}.count`, 0);
  assertHex(value.digest, `${path}.digest`, 64);
}

/** Validates a list of sources: exact keys per kind, chains resolvable, no source twice. */
export function validateSources(value: unknown, path: string): asserts value is SourceSpecV2[] {
  assertArray(value, path);
  if (value.length === 0) throw new DrawInputError(path, 'at least one randomness source is required');
  const seen = new Set<string>();
  value.forEach((s, i) => {
    const at = `${path}[${i}]`;
    assertObject(s, at);
    if (s.kind === 'drand') {
      assertKeys(s, at, ['kind', 'chain', 'round'], ['info']);
      assertHex(s.chain, `${at}.chain`, 64);
      // Bounds keep every round time a real date (drand periods are seconds, rounds below 2^32).
      assertInt(s.round, `${at}.round`, 1, 2 ** 32);
      if (s.info !== undefined) {
        const info = s.info;
        assertObject(info, `${at}.info`);
        assertKeys(info, `${at}.info`, ['publicKey', 'genesis', 'period', 'scheme']);
        assertHex(info.publicKey, `${at}.info.publicKey`, 192);
        assertInt(info.genesis, `${at}.info.genesis`, 0, 2 ** 32);
        assertInt(info.period, `${at}.info.period`, 1, 1000);
        if (info.scheme !== DRAND_SCHEME)
          throw new DrawInputError(
            `${at}.info.scheme`,
            `expected "${DRAND_SCHEME}", got ${describe(info.scheme)}`,
          );
      }
      resolveDrandChain(s as never, at);
    } else if (s.kind === 'lottery') {
      assertKeys(s, at, ['kind', 'game', 'issue', 'drawDate']);
      if (!isLotteryGame(s.game))
        throw new DrawInputError(
          `${at}.game`,
          `expected one of ${LOTTERY_GAME_IDS.join(', ')}, got ${describe(s.game)}`,
        );
      assertDrawId(s.issue, `${at}.issue`, 'lottery issue');
      assertDate(s.drawDate, `${at}.drawDate`);
    } else {
      throw new DrawInputError(`${at}.kind`, `expected "drand" or "lottery", got ${describe(s.kind)}`);
    }
    const id = sourceIdentity(s as unknown as SourceSpecV2);
    if (seen.has(id)) throw new DrawInputError(at, 'the same source appears twice');
    seen.add(id);
  });
}

function validatePrevious(value: unknown, path: string): asserts value is PreviousAttempt | null {
  if (value === null) return;
  assertObject(value, path);
  assertKeys(value, path, [
    'attempt',
    'commitmentDigest',
    'sources',
    'randomness',
    'resultDigest',
    'reason',
    'bundleDigest',
    'knownVoids',
  ]);
  assertInt(value.attempt, `${path}.attempt`, 1);
  assertHex(value.commitmentDigest, `${path}.commitmentDigest`, 64);
  validateSources(value.sources, `${path}.sources`);
  if (value.randomness !== null) assertString(value.randomness, `${path}.randomness`);
  if (value.resultDigest !== null) assertHex(value.resultDigest, `${path}.resultDigest`, 64);
  assertDrawId(value.reason, `${path}.reason`, 'void reason');
  assertHex(value.bundleDigest, `${path}.bundleDigest`, 64);
  assertInt(value.knownVoids, `${path}.knownVoids`, 0);
}

const PLAN_KINDS = ['general', 'key', 'covert'];

/** Validates the structure of a v2 commitment: exactly the keys of SPEC §II.1 at every level. */
export function validateCommitmentV2(c: unknown, path = 'commitment'): asserts c is CommitmentV2 {
  assertObject(c, path);
  assertKeys(c, path, [
    'algorithm',
    'plan',
    'rulePacks',
    'checklist',
    'frame',
    'excluded',
    'strata',
    'inspectors',
    'experts',
    'team',
    'sources',
    'previous',
    'committedAt',
  ]);
  if (c.algorithm !== SR_DRAW_V2)
    throw new DrawInputError(`${path}.algorithm`, `expected "${SR_DRAW_V2}", got ${describe(c.algorithm)}`);
  const plan = c.plan;
  assertObject(plan, `${path}.plan`);
  assertKeys(plan, `${path}.plan`, ['id', 'bureau', 'period', 'kind', 'attempt']);
  assertString(plan.id, `${path}.plan.id`);
  assertString(plan.bureau, `${path}.plan.bureau`);
  assertString(plan.period, `${path}.plan.period`);
  if (!PLAN_KINDS.includes(plan.kind as string))
    throw new DrawInputError(
      `${path}.plan.kind`,
      `expected one of ${PLAN_KINDS.join(', ')}, got ${describe(plan.kind)}`,
    );
  assertInt(plan.attempt, `${path}.plan.attempt`, 1);
  assertArray(c.rulePacks, `${path}.rulePacks`);
  c.rulePacks.forEach((r, i) => {
    versionRef(r, `${path}.rulePacks[${i}]`);
    if (i > 0)
      sortedUnique(
        (c.rulePacks as { id: string }[])[i - 1]!.id,
        (r as { id: string }).id,
        `${path}.rulePacks[${i}].id`,
        'rule pack id',
      );
  });
  versionRef(c.checklist, `${path}.checklist`);
  rowsRef(c.frame, `${path}.frame`);
  rowsRef(c.excluded, `${path}.excluded`);
  rowsRef(c.inspectors, `${path}.inspectors`);
  rowsRef(c.experts, `${path}.experts`);
  assertArray(c.strata, `${path}.strata`);
  c.strata.forEach((s, i) => {
    const at = `${path}.strata[${i}]`;
    assertObject(s, at);
    assertKeys(s, at, ['id', 'method', 'quota']);
    assertDrawId(s.id, `${at}.id`, 'stratum id');
    if (s.method !== 'srs' && s.method !== 'pareto')
      throw new DrawInputError(`${at}.method`, `expected "srs" or "pareto", got ${describe(s.method)}`);
    assertInt(s.quota, `${at}.quota`, 0);
    if (i > 0) sortedUnique((c.strata as { id: string }[])[i - 1]!.id, s.id, `${at}.id`, 'stratum id');
  });
  const team = c.team;
  assertObject(team, `${path}.team`);
  assertKeys(team, `${path}.team`, ['assign', 'size', 'specialist']);
  assertBool(team.assign, `${path}.team.assign`);
  assertBool(team.specialist, `${path}.team.specialist`);
  assertInt(team.size, `${path}.team.size`, team.assign ? 2 : 0);
  validateSources(c.sources, `${path}.sources`);
  validatePrevious(c.previous, `${path}.previous`);
  assertInstant(c.committedAt, `${path}.committedAt`);
}

function validateSigner(value: unknown, path: string, withKey: boolean): void {
  assertObject(value, path);
  assertKeys(value, path, withKey ? ['id', 'name', 'keyId'] : ['id', 'name']);
  assertDrawId(value.id, `${path}.id`, 'signer id');
  assertString(value.name, `${path}.name`);
  if (withKey) assertHex(value.keyId, `${path}.keyId`, 64);
}

/** Validates a sign-off `{signer:{id,name,keyId}, signedAt, signature}`. */
export function validateSignOff(value: unknown, path = 'signOff'): asserts value is SignOff {
  assertObject(value, path);
  assertKeys(value, path, ['signer', 'signedAt', 'signature']);
  validateSigner(value.signer, `${path}.signer`, true);
  assertInstant(value.signedAt, `${path}.signedAt`);
  assertHex(value.signature, `${path}.signature`, 128);
}

/** Validates a void envelope (SPEC §II.9.4). */
export function validateVoidEnvelope(value: unknown, path = 'void'): asserts value is VoidEnvelope {
  assertObject(value, path);
  assertKeys(value, path, [
    'spec',
    'commitmentDigest',
    'reason',
    'requestedBy',
    'signer',
    'signedAt',
    'signature',
  ]);
  if (value.spec !== VOID_SPEC)
    throw new DrawInputError(`${path}.spec`, `expected "${VOID_SPEC}", got ${describe(value.spec)}`);
  assertHex(value.commitmentDigest, `${path}.commitmentDigest`, 64);
  assertDrawId(value.reason, `${path}.reason`, 'void reason');
  assertDrawId(value.requestedBy, `${path}.requestedBy`, 'requester id');
  validateSigner(value.signer, `${path}.signer`, true);
  assertInstant(value.signedAt, `${path}.signedAt`);
  assertHex(value.signature, `${path}.signature`, 128);
}

/** Validates a key registry's structure (keyId ↔ publicKey and signer uniqueness are checked in signoff.ts). */
export function validateKeyRegistry(value: unknown, path = 'registry'): asserts value is KeyRegistry {
  assertObject(value, path);
  assertKeys(value, path, ['spec', 'bureau', 'keys']);
  if (value.spec !== KEY_REGISTRY_SPEC)
    throw new DrawInputError(`${path}.spec`, `expected "${KEY_REGISTRY_SPEC}", got ${describe(value.spec)}`);
  assertString(value.bureau, `${path}.bureau`);
  assertArray(value.keys, `${path}.keys`);
  value.keys.forEach((k, i) => {
    const at = `${path}.keys[${i}]`;
    assertObject(k, at);
    assertKeys(k, at, ['keyId', 'publicKey', 'signer', 'validFrom', 'validUntil']);
    assertHex(k.keyId, `${at}.keyId`, 64);
    assertHex(k.publicKey, `${at}.publicKey`, 64);
    validateSigner(k.signer, `${at}.signer`, false);
    assertInstant(k.validFrom, `${at}.validFrom`);
    if (k.validUntil !== null) {
      assertInstant(k.validUntil, `${at}.validUntil`);
      // Equal: a key ended before it became valid, never valid (validFrom ≤ signedAt < validUntil).
      if (!(k.validFrom <= k.validUntil))
        throw new DrawInputError(`${at}.validUntil`, 'must not be earlier than validFrom');
    }
  });
}

/** The top-level keys of a published v2 bundle (`inclusion` optional). */
export const BUNDLE_V2_KEYS = [
  'algorithm',
  'commitment',
  'commitmentDigest',
  'frame',
  'excluded',
  'inspectors',
  'experts',
  'randomness',
  'result',
  'resultDigest',
  'signOff',
] as const;

/**
 * Validates the structure of a published bundle and every row list. `signOff` may be null here
 * (the verifier then fails the `signOff` line); the result's content is checked by recomputation.
 */
export function validateBundleV2(
  b: unknown,
): asserts b is Omit<DrawBundleV2, 'signOff'> & { signOff: SignOff | null } {
  assertObject(b, 'bundle');
  assertKeys(b, 'bundle', [...BUNDLE_V2_KEYS], ['inclusion']);
  validateInputsV2(b);
  assertObject(b.result, 'result');
  assertHex(b.resultDigest, 'resultDigest', 64);
  if (b.signOff !== null) validateSignOff(b.signOff);
}

/** Validates the input part common to every v2 bundle form (algorithm, commitment, digest, rows, randomness). */
export function validateInputsV2(b: Record<string, unknown>, requireDigestAndString = true): void {
  if (b.algorithm !== SR_DRAW_V2)
    throw new DrawInputError('bundle.algorithm', `expected "${SR_DRAW_V2}", got ${describe(b.algorithm)}`);
  validateCommitmentV2(b.commitment);
  if (requireDigestAndString || b.commitmentDigest !== undefined)
    assertHex(b.commitmentDigest, 'commitmentDigest', 64);
  validateFrameRowsV2(b.frame);
  validateExcludedRows(b.excluded);
  validatePersonRows(b.inspectors, 'inspectors', 'inspector');
  validatePersonRows(b.experts, 'experts', 'expert');
  const rand = b.randomness;
  assertObject(rand, 'randomness');
  assertKeys(
    rand,
    'randomness',
    requireDigestAndString ? ['values', 'string'] : ['values'],
    requireDigestAndString ? [] : ['string'],
  );
  assertArray(rand.values, 'randomness.values');
  if (rand.string !== undefined) assertString(rand.string, 'randomness.string');
}
