import { sha256Canonical, type CanonicalValue } from './canonical';
import { DrawInputError } from './errors';
import {
  assertArray,
  assertBool,
  assertDrawId,
  assertInt,
  assertKeys,
  assertObject,
  assertString,
  describe,
} from './ids';

/** The algorithm identifier of this specification. */
export const SR_DRAW_V1 = 'sr-draw/v1';

/** Selection method of a stratum (sr-draw/v1 §4). */
export type StratumMethod = 'srs' | 'pareto';

/** One stratum of the commitment: `quota` random picks among its non-mandatory rows. */
export interface StratumSpec {
  id: string;
  method: StratumMethod;
  quota: number;
}

/** The team block: whether teams are drawn, their size, and whether a specialist leads. */
export interface TeamSpec {
  assign: boolean;
  size: number;
  specialist: boolean;
}

/** A public randomness source announced before it exists (sr-draw/v1 §2). */
export interface SourceSpec {
  kind: 'numbers' | 'hex';
  name: string;
  issue: string;
}

/** A published, versioned input the draw depends on (rule pack, checklist). */
export interface VersionRef {
  id: string;
  version: string;
  digest: string;
}

/** The plan block; extra canonical fields (e.g. `mode`, `sealed`, `reason`) may follow the four required ones. */
export interface PlanRef {
  id: string;
  bureau: string;
  period: string;
  kind: 'general' | 'key' | 'covert';
  [extra: string]: CanonicalValue;
}

/** The commitment document of sr-draw/v1 §1, frozen before any randomness exists. */
export interface Commitment {
  algorithm: typeof SR_DRAW_V1;
  plan: PlanRef;
  rulePack: VersionRef;
  checklist: VersionRef;
  frame: { count: number; digest: string };
  strata: StratumSpec[];
  inspectors: { count: number; digest: string };
  team: TeamSpec;
  sources: SourceSpec[];
  committedAt: string;
}

const DIGEST = /^[0-9a-f]{64}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const KINDS = ['general', 'key', 'covert'];

function versionRef(value: unknown, path: string): void {
  assertObject(value, path);
  assertKeys(value, path, ['id', 'version', 'digest']);
  assertString(value.id, `${path}.id`);
  assertString(value.version, `${path}.version`);
  assertString(value.digest, `${path}.digest`);
}

function digestRef(value: unknown, path: string): void {
  assertObject(value, path);
  assertKeys(value, path, ['count', 'digest']);
  assertInt(value.count, `${path}.count`, 0);
  if (typeof value.digest !== 'string' || !DIGEST.test(value.digest)) {
    throw new DrawInputError(
      `${path}.digest`,
      `expected 64 lowercase hex digits, got ${describe(value.digest)}`,
    );
  }
}

/**
 * Validates the structure of a commitment (sr-draw/v1 §1): algorithm, required blocks,
 * strata sorted by unique id with method srs|pareto and quota ≥ 0, team.size ≥ 2 when
 * assign, at least one randomness source. Cross-checks with the rows are in {@link checkCommitmentAgainstRows}.
 */
export function validateCommitment(c: unknown, path = 'commitment'): asserts c is Commitment {
  assertObject(c, path);
  assertKeys(c, path, [
    'algorithm',
    'plan',
    'rulePack',
    'checklist',
    'frame',
    'strata',
    'inspectors',
    'team',
    'sources',
    'committedAt',
  ]);
  if (c.algorithm !== SR_DRAW_V1) {
    throw new DrawInputError(`${path}.algorithm`, `expected "${SR_DRAW_V1}", got ${describe(c.algorithm)}`);
  }
  const plan = c.plan;
  assertObject(plan, `${path}.plan`);
  for (const key of ['id', 'bureau', 'period', 'kind']) {
    if (!Object.hasOwn(plan, key)) throw new DrawInputError(`${path}.plan`, `missing field "${key}"`);
    assertString(plan[key], `${path}.plan.${key}`);
  }
  if (!KINDS.includes(plan.kind as string)) {
    throw new DrawInputError(
      `${path}.plan.kind`,
      `expected one of ${KINDS.join(', ')}, got ${describe(plan.kind)}`,
    );
  }
  versionRef(c.rulePack, `${path}.rulePack`);
  versionRef(c.checklist, `${path}.checklist`);
  digestRef(c.frame, `${path}.frame`);
  digestRef(c.inspectors, `${path}.inspectors`);

  assertArray(c.strata, `${path}.strata`);
  let previous = '';
  c.strata.forEach((s, i) => {
    const at = `${path}.strata[${i}]`;
    assertObject(s, at);
    assertKeys(s, at, ['id', 'method', 'quota']);
    assertDrawId(s.id, `${at}.id`, 'stratum id');
    if (s.method !== 'srs' && s.method !== 'pareto') {
      throw new DrawInputError(`${at}.method`, `expected "srs" or "pareto", got ${describe(s.method)}`);
    }
    assertInt(s.quota, `${at}.quota`, 0);
    if (i > 0 && !(previous < s.id)) {
      throw new DrawInputError(
        `${at}.id`,
        previous === s.id
          ? `duplicate stratum ${describe(s.id)}`
          : `strata must be sorted by id: ${describe(previous)} comes before ${describe(s.id)}`,
      );
    }
    previous = s.id;
  });

  const team = c.team;
  assertObject(team, `${path}.team`);
  assertKeys(team, `${path}.team`, ['assign', 'size', 'specialist']);
  assertBool(team.assign, `${path}.team.assign`);
  assertBool(team.specialist, `${path}.team.specialist`);
  assertInt(team.size, `${path}.team.size`, team.assign ? 2 : 0);

  assertArray(c.sources, `${path}.sources`);
  if (c.sources.length === 0)
    throw new DrawInputError(`${path}.sources`, 'at least one randomness source is required');
  c.sources.forEach((s, i) => {
    const at = `${path}.sources[${i}]`;
    assertObject(s, at);
    assertKeys(s, at, ['kind', 'name', 'issue']);
    if (s.kind !== 'numbers' && s.kind !== 'hex') {
      throw new DrawInputError(`${at}.kind`, `expected "numbers" or "hex", got ${describe(s.kind)}`);
    }
    assertString(s.name, `${at}.name`);
    assertString(s.issue, `${at}.issue`);
  });
  if (typeof c.committedAt !== 'string' || !INSTANT.test(c.committedAt)) {
    throw new DrawInputError(
      `${path}.committedAt`,
      `expected a UTC instant like 2027-01-04T09:00:00Z, got ${describe(c.committedAt)}`,
    );
  }
}

/** `commitmentDigest = SHA-256(UTF-8(canonical(commitment)))`, 32 bytes. */
export function commitmentDigestBytes(c: Commitment): Uint8Array {
  return sha256Canonical(c);
}
