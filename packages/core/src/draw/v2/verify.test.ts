import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256hex } from '../canonical';
import { buildCommitmentV2, drawSrV2 } from './draw';
import { signOff, signVoid, verifyVoid } from './signoff';
import { verifyAnyBundle, verifyBundleText, verifyBundleV2 } from './verify';
import {
  APPROVER,
  approver,
  attacker,
  beacon,
  COMMITTED_AT,
  draftV2,
  makeCaseV2,
  registry,
  ROUND,
  ROUND_SIGNATURE,
  SECOND,
  second,
  signedBundle,
  unit,
  type DrawCaseV2,
} from './testing/fixtures';
import type { DrawBundleV2, PreviousAttempt, SourceSpecV2, VerificationReport } from './types';

const base = (): DrawCaseV2 =>
  makeCaseV2({
    units: Array.from({ length: 24 }, (_, i) => ({
      n: 100 + i,
      stratum: i % 2,
      weight: 1 + (i % 3),
      mandatory: i === 5,
      specialty: i % 4,
      expert: i % 5 === 0,
    })),
    excluded: [7, 8, 9],
    strata: [
      { method: 'srs', quota: 3 },
      { method: 'pareto', quota: 3 },
    ],
    inspectors: Array.from({ length: 8 }, (_, i) => ({
      capacity: 3,
      specialties: [i % 2 === 0, true, false],
      excluded: [i],
    })),
    experts: Array.from({ length: 3 }, () => ({
      capacity: 2,
      specialties: [true, false, false],
      excluded: [],
    })),
    team: { assign: true, size: 2, specialist: true },
    kl8: [1, 5, 9, 13],
  });

const roundTrip = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const statusOf = (r: VerificationReport, id: string) => r.checks.find((c) => c.id === id)?.status;
const failed = (r: VerificationReport) => r.checks.filter((c) => c.status === 'fail').map((c) => c.id);

/** An internally consistent bundle built around a rule-breaking commitment (what an insider could publish). */
function forge(
  c: DrawCaseV2,
  commitment: DrawCaseV2['commitment'],
  values = c.values,
  signedAt?: string,
): DrawBundleV2 {
  return signedBundle({ ...c, commitment, values }, signedAt);
}

describe('sr-draw/v2 verification: a good bundle', () => {
  it('passes every line, with the phrases of §8.13 where they apply', () => {
    const b = signedBundle(base());
    const r = verifyBundleV2(roundTrip(b), { registry });
    expect(failed(r)).toEqual([]);
    expect(r.ok).toBe(true);
    const ids = r.checks.map((c) => c.id);
    for (const id of [
      'parse',
      'digest.commitment',
      'digest.frame',
      'digest.excluded',
      'digest.inspectors',
      'digest.experts',
      'commitmentTime',
      'source.0.drand.chain',
      'source.0.drand.signature',
      'source.0.timing',
      'source.1.lottery.format',
      'source.1.lottery.value',
      'source.1.timing',
      'randomness',
      'sufficiency',
      'freshness',
      'previous',
      'feasibility',
      'result',
      'signOff.timing',
      'signOff',
    ])
      expect(ids).toContain(id);
    const text = r.checks.map((c) => c.message).join('\n');
    expect(text).toContain('unpinned beacon');
    expect(text).toContain('lottery values not checked');
    expect(text).toContain('commitment time not proven');
    expect(statusOf(r, 'signOff')).toBe('pass');
    // Without a registry the draw verifies but the signer is not checked.
    const bare = verifyBundleV2(roundTrip(b));
    expect(bare.ok).toBe(true);
    expect(bare.checks.find((c) => c.id === 'signOff')).toMatchObject({ status: 'warn' });
    expect(bare.checks.find((c) => c.id === 'signOff')!.message).toContain('signer not checked');
    // A production verifier refuses the unpinned demo beacon.
    expect(failed(verifyBundleV2(roundTrip(b), { registry, production: true }))).toEqual([
      'source.0.drand.chain',
      'sufficiency',
    ]);
  });

  it('takes the commitment time from an injected log verifier', () => {
    const b = { ...signedBundle(base()), inclusion: { proof: 'x' } };
    const late = verifyBundleV2(roundTrip(b), {
      registry,
      verifyInclusion: (_i, digest) => ({ ok: digest === b.commitmentDigest, time: '2027-01-04T09:04:30Z' }),
    });
    expect(statusOf(late, 'commitmentTime')).toBe('pass');
    // Logged 30 s before the round: the 60 s margin fails, whatever committedAt claims.
    expect(failed(late)).toEqual(['source.0.timing']);
    const bad = verifyBundleV2(roundTrip(b), {
      registry,
      verifyInclusion: () => ({ ok: false, reason: 'bad proof' }),
    });
    expect(failed(bad)).toEqual(['commitmentTime']);
  });

  it('dispatches on algorithm and parses text strictly', () => {
    const b = signedBundle(base());
    expect(verifyBundleText(JSON.stringify(b), { registry }).ok).toBe(true);
    expect(verifyAnyBundle({ algorithm: 'sr-draw/v9' }).checks[0]).toMatchObject({
      id: 'parse',
      status: 'fail',
    });
  });
});

describe('sr-draw/v2 verification: each rigging path is detected', () => {
  const c = base();

  it('a chosen hex value typed in as the drand value fails the BLS check', () => {
    const chosen = 'c0ffee'.repeat(16);
    const b = forge(c, c.commitment, [chosen, c.values[1]!]);
    const r = verifyBundleV2(roundTrip(b), { registry });
    expect(failed(r)).toEqual(['source.0.drand.signature']);
    // A 64-digit "randomness" in place of the signature does not even parse as a value.
    const short = roundTrip(b);
    short.randomness.values[0] = 'ab'.repeat(32);
    expect(failed(verifyBundleV2(short, { registry }))).toEqual([
      'source.0.drand.signature',
      'randomness',
      'result',
    ]);
  });

  it('a forged drand signature (another key, or another round) fails', () => {
    const other = beacon.sign(ROUND + 1).signature;
    expect(
      failed(verifyBundleV2(roundTrip(forge(c, c.commitment, [other, c.values[1]!])), { registry })),
    ).toEqual(['source.0.drand.signature']);
  });

  it('a round less than 60 s after the commitment fails timing, and cannot be committed', () => {
    const early = beacon.roundAt(Date.parse(COMMITTED_AT) / 1000) + 10; // 27 s after
    const sources: SourceSpecV2[] = [beacon.source(early), c.commitment.sources[1]!];
    const commitment = { ...c.commitment, sources };
    const b = forge(c, commitment, [beacon.sign(early).signature, c.values[1]!]);
    expect(failed(verifyBundleV2(roundTrip(b), { registry }))).toEqual(['source.0.timing']);
    expect(() => buildCommitmentV2(draftV2(c.commitment.strata, c.commitment.team, sources), c)).toThrow(
      /less than 60 s/,
    );
    // A lottery drawn the same (UTC+8) day as the commitment is refused too.
    const sameDay: SourceSpecV2[] = [
      beacon.source(ROUND),
      { kind: 'lottery', game: 'cwl-kl8', issue: '2027003', drawDate: '2027-01-04' },
    ];
    expect(
      failed(verifyBundleV2(roundTrip(forge(c, { ...c.commitment, sources: sameDay })), { registry })),
    ).toEqual(['source.1.timing']);
    // Without drand, lotteries never suffice.
    const onlyLottery: SourceSpecV2[] = [c.commitment.sources[1]!];
    expect(
      failed(
        verifyBundleV2(roundTrip(forge(c, { ...c.commitment, sources: onlyLottery }, [c.values[1]!])), {
          registry,
        }),
      ),
    ).toEqual(['sufficiency']);
  });

  const previousOf = (b: DrawBundleV2, known: boolean, knownVoids: number): PreviousAttempt => ({
    attempt: 1,
    commitmentDigest: b.commitmentDigest,
    sources: b.commitment.sources,
    randomness: known ? b.randomness.string : null,
    resultDigest: known ? b.resultDigest : null,
    reason: 'issue-entered-wrongly',
    bundleDigest: sha256hex({ ...b, signOff: null }),
    knownVoids,
  });

  it('the same sources after a void fail freshness; later ones pass', () => {
    const first = signedBundle(c);
    const committedAt = '2027-01-06T09:00:00Z';
    const again = {
      ...c.commitment,
      plan: { ...c.commitment.plan, attempt: 2 },
      previous: previousOf(first, true, 1),
      committedAt,
    };
    // Re-rolling on the known values: the sources are neither fresh nor after the new commitment.
    const reroll = forge(c, again, c.values, '2027-01-07T00:00:00Z');
    expect(failed(verifyBundleV2(roundTrip(reroll), { registry }))).toEqual([
      'source.0.timing',
      'source.1.timing',
      'freshness',
    ]);
    const later = beacon.roundAt(Date.parse(committedAt) / 1000) + 100;
    const sources: SourceSpecV2[] = [
      beacon.source(later),
      { kind: 'lottery', game: 'cwl-kl8', issue: '2027006', drawDate: '2027-01-07' },
    ];
    const fresh = forge(
      c,
      { ...again, sources },
      [beacon.sign(later).signature, c.values[1]!],
      '2027-01-08T00:00:00Z',
    );
    const r = verifyBundleV2(roundTrip(fresh), { registry });
    expect(failed(r)).toEqual([]);
    expect(statusOf(r, 'previous')).toBe('pass');
    // Hiding the known randomness of the voided attempt is refused.
    const hidden = forge(
      c,
      { ...again, sources, previous: previousOf(first, false, 0) },
      fresh.randomness.values,
      '2027-01-08T00:00:00Z',
    );
    expect(failed(verifyBundleV2(roundTrip(hidden), { registry }))).toEqual(['previous']);
    // A second void after the randomness was known: knownVoids 2 is rejected.
    const twice = forge(
      c,
      { ...again, sources, previous: previousOf(first, true, 2) },
      fresh.randomness.values,
      '2027-01-08T00:00:00Z',
    );
    const r2 = verifyBundleV2(roundTrip(twice), { registry });
    expect(failed(r2)).toEqual(['previous']);
    expect(r2.checks.find((x) => x.id === 'previous')!.message).toMatch(/knownVoids is 2/);
  });

  it('a sign-off by an attacker key, an edited signer name, another bureau’s registry, an early signature fail', () => {
    const b = signedBundle(c);
    const forged = {
      ...b,
      signOff: signOff(
        attacker.secretKey,
        APPROVER,
        '2027-01-06T00:00:00Z',
        b.commitmentDigest,
        b.resultDigest,
      ),
    };
    const r1 = verifyBundleV2(roundTrip(forged), { registry });
    expect(failed(r1)).toEqual(['signOff']);
    expect(r1.checks.find((x) => x.id === 'signOff')!.params.rule).toBe('key');
    const renamed = roundTrip(b);
    renamed.signOff.signer.name = '另一位领导';
    expect(verifyBundleV2(renamed, { registry }).checks.find((x) => x.id === 'signOff')!.params.rule).toBe(
      'signer',
    );
    // The registry must also bind the name: an attacker's own registry entry for the approver's id fails on bureau.
    expect(
      verifyBundleV2(roundTrip(b), { registry: { ...registry, bureau: '120101' } }).checks.find(
        (x) => x.id === 'signOff',
      )!.params.rule,
    ).toBe('bureau');
    // A registry listing one key under two signers is malformed.
    const twoOwners = { ...registry, keys: [...registry.keys, { ...registry.keys[0]!, signer: SECOND }] };
    expect(
      verifyBundleV2(roundTrip(b), { registry: twoOwners }).checks.find((x) => x.id === 'signOff')!.params
        .rule,
    ).toBe('registry');
    // A revoked key (validUntil before signedAt) no longer signs.
    const revoked = {
      ...registry,
      keys: [{ ...registry.keys[0]!, validUntil: '2027-01-05T00:00:00Z' }, registry.keys[1]!],
    };
    expect(
      verifyBundleV2(roundTrip(b), { registry: revoked }).checks.find((x) => x.id === 'signOff')!.params.rule,
    ).toBe('window');
    // A key ended when it was to become valid (validUntil = validFrom) was never valid, not even
    // at that instant; one ended before its validFrom makes the registry malformed.
    const ruleWith = (validFrom: string, validUntil: string) =>
      verifyBundleV2(roundTrip(b), {
        registry: { ...registry, keys: [{ ...registry.keys[0]!, validFrom, validUntil }, registry.keys[1]!] },
      }).checks.find((x) => x.id === 'signOff')!.params.rule;
    expect(ruleWith(b.signOff.signedAt, b.signOff.signedAt)).toBe('window');
    expect(ruleWith(b.signOff.signedAt, '2027-01-01T00:00:00Z')).toBe('registry');
    // A sign-off dated before the sources existed.
    const early = {
      ...b,
      signOff: signOff(
        approver.secretKey,
        APPROVER,
        '2027-01-04T09:00:30Z',
        b.commitmentDigest,
        b.resultDigest,
      ),
    };
    expect(failed(verifyBundleV2(roundTrip(early), { registry }))).toEqual(['signOff.timing']);
    // An unsigned bundle fails.
    expect(failed(verifyBundleV2({ ...roundTrip(b), signOff: null }, { registry }))).toEqual(['signOff']);
  });

  it('a void signed by its requester is refused; one by a second official verifies', () => {
    const b = signedBundle(c);
    const fields = {
      commitmentDigest: b.commitmentDigest,
      reason: 'issue-entered-wrongly',
      requestedBy: APPROVER.id,
    };
    const own = signVoid(approver.secretKey, APPROVER, '2027-01-06T01:00:00Z', fields);
    expect(verifyVoid(own, registry, '120116')).toMatchObject({ ok: false, rule: 'signer' });
    const ok = signVoid(second.secretKey, SECOND, '2027-01-06T01:00:00Z', fields);
    expect(verifyVoid(ok, registry, '120116').ok).toBe(true);
    expect(verifyVoid({ ...ok, reason: 'other-reason' }, registry, '120116')).toMatchObject({
      ok: false,
      rule: 'signature',
    });
  });

  it('duplicate JSON keys, uppercase hex, a non-USCC unit and an excluded row in the frame are rejected', () => {
    const b = signedBundle(c);
    const text = JSON.stringify(b);
    const dup = text.replace('"resultDigest":', `"resultDigest":"${'0'.repeat(64)}","resultDigest":`);
    expect(verifyBundleText(dup, { registry }).checks[0]!.message).toMatch(/duplicate key "resultDigest"/);
    const upper = roundTrip(b);
    upper.commitmentDigest = upper.commitmentDigest.toUpperCase();
    expect(verifyBundleV2(upper).checks).toEqual([expect.objectContaining({ id: 'parse', status: 'fail' })]);
    const badUnit = roundTrip(b);
    badUnit.frame[0]![0] = `${badUnit.frame[0]![0].slice(0, 17)}${badUnit.frame[0]![0][17] === '0' ? '1' : '0'}`;
    expect(verifyBundleV2(badUnit).checks[0]!.message).toMatch(/not a valid USCC/);
    // The insider hides a unit in the excluded list while it is drawn from the frame.
    const both = roundTrip(b);
    both.excluded = [...both.excluded, [both.frame[0]![0], 'closed'] as [string, string]].sort((x, y) =>
      x[0] < y[0] ? -1 : 1,
    );
    expect(failed(verifyBundleV2(both))).toContain('excluded');
    expect(() =>
      buildCommitmentV2(draftV2(c.commitment.strata, c.commitment.team, c.commitment.sources), {
        ...c,
        excluded: both.excluded,
      }),
    ).toThrow(/both in the frame and excluded/);
  });

  it('a unit closed before the commitment shows in `excluded` with its reason, bound by the digest', () => {
    const b = signedBundle(c);
    expect(b.excluded).toContainEqual([unit(7), 'closed']);
    const hidden = roundTrip(b);
    hidden.excluded = hidden.excluded.filter((r) => r[0] !== unit(7));
    expect(failed(verifyBundleV2(hidden))).toEqual(['digest.excluded']);
  });

  it('an infeasible plan is refused before committing and flagged by verifiers', () => {
    const few = { ...c, inspectors: c.inspectors.slice(0, 3) };
    expect(() =>
      buildCommitmentV2(draftV2(c.commitment.strata, c.commitment.team, c.commitment.sources), few),
    ).toThrow(/eligible inspectors, at least 4/);
  });

  it('fails on any single changed character or digit of any field', () => {
    const b = signedBundle(c);
    const paths: (string | number)[][] = [];
    const walk = (x: unknown, path: (string | number)[]) => {
      if (Array.isArray(x)) x.forEach((v, i) => walk(v, [...path, i]));
      else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) walk(v, [...path, k]);
      else if (typeof x === 'string' || typeof x === 'number') paths.push(path);
    };
    walk(b, []);
    fc.assert(
      fc.property(
        fc.nat(paths.length - 1),
        fc.nat(1000),
        fc.constantFrom(...'0123456789abcdefXZ:-.'),
        (pi, pos, ch) => {
          const m = roundTrip(b) as unknown as Record<string | number, unknown>;
          const path = paths[pi]!;
          let parent = m;
          for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
          const last = path[path.length - 1]!;
          const v = parent[last];
          if (typeof v === 'number') parent[last] = v + 1 + (pos % 3);
          else {
            const s = v as string;
            const at = s.length === 0 ? 0 : pos % s.length;
            const next = s.slice(0, at) + ch + s.slice(at + 1);
            fc.pre(next !== s);
            parent[last] = next;
          }
          expect(verifyBundleV2(m, { registry }).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('commitment rules', () => {
  it('refuses an unpinned beacon in production, and a commitment without drand', () => {
    const c = base();
    const d = draftV2(c.commitment.strata, c.commitment.team, c.commitment.sources);
    expect(() => buildCommitmentV2(d, c, { production: true })).toThrow(/production refuses unpinned/);
    expect(buildCommitmentV2(d, c)).toEqual(c.commitment);
    expect(() => buildCommitmentV2({ ...d, previous: null, plan: { ...d.plan, attempt: 2 } }, c)).toThrow(
      /voided attempt 1/,
    );
  });

  it('signs and verifies the draw of the spec’s round at the expected round', () => {
    expect(ROUND_SIGNATURE).toBe(beacon.sign(ROUND).signature);
    expect(drawSrV2(base()).randomness.string.startsWith(beacon.sign(ROUND).randomness)).toBe(true);
  });
});
