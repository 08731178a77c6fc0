import { describe, expect, it } from 'vitest';
import { buildCommitmentV2, drawSrV2 } from './draw';
import { signVoid } from './signoff';
import { verifyBundleV2 } from './verify';
import { buildVoidedBundle, checkPreviousLink, previousFromVoided, verifyVoidedBundleV2 } from './voided';
import {
  APPROVER,
  approver,
  beacon,
  draftV2,
  makeCaseV2,
  registry,
  SECOND,
  second,
  signedBundle,
} from './testing/fixtures';
import type { SourceSpecV2 } from './types';

const c = makeCaseV2({
  units: Array.from({ length: 12 }, (_, i) => ({
    n: 300 + i,
    stratum: 0,
    weight: 1,
    mandatory: false,
    specialty: 9,
    expert: i === 2,
  })),
  excluded: [5],
  strata: [{ method: 'srs', quota: 3 }],
  inspectors: Array.from({ length: 5 }, () => ({
    capacity: 3,
    specialties: [false, false, false],
    excluded: [],
  })),
  experts: [
    { capacity: 2, specialties: [false, false, false], excluded: [] },
    { capacity: 2, specialties: [false, false, false], excluded: [] },
  ],
  team: { assign: true, size: 2, specialist: false },
  kl8: [2, 4],
});
const { values, ...rows } = c;
const inputs = { algorithm: 'sr-draw/v2' as const, ...rows };

describe('voided attempts', () => {
  it('publishes a voided attempt with its result when its values existed, and chains attempt 2 to it', () => {
    const drawn = drawSrV2(c);
    const env = signVoid(second.secretKey, SECOND, '2027-01-06T02:00:00Z', {
      commitmentDigest: drawn.commitmentDigest,
      reason: 'issue-entered-wrongly',
      requestedBy: APPROVER.id,
    });
    const voided = buildVoidedBundle(inputs, values, env);
    expect(voided.resultDigest).toBe(drawn.resultDigest);
    const r = verifyVoidedBundleV2(JSON.parse(JSON.stringify(voided)), { registry });
    expect(r.checks.filter((x) => x.status === 'fail')).toEqual([]);
    expect(r.checks.find((x) => x.id === 'void')!.status).toBe('pass');
    const previous = previousFromVoided(voided);
    expect(previous).toMatchObject({ attempt: 1, knownVoids: 1, randomness: drawn.randomness.string });

    // Attempt 2 on later sources verifies, and its previous block matches the published void.
    const committedAt = '2027-01-06T09:00:00Z';
    const round = beacon.roundAt(Date.parse(committedAt) / 1000) + 100;
    const sources: SourceSpecV2[] = [beacon.source(round)];
    const d = { ...draftV2(c.commitment.strata, c.commitment.team, sources, previous, 2), committedAt };
    const commitment = buildCommitmentV2(d, rows);
    const second2 = signedBundle(
      { ...rows, commitment, values: [beacon.sign(round).signature] },
      '2027-01-07T00:00:00Z',
    );
    expect(verifyBundleV2(JSON.parse(JSON.stringify(second2)), { registry }).ok).toBe(true);
    expect(checkPreviousLink(commitment.previous, voided).status).toBe('pass');
    // A previous block that hides the result does not match the published void.
    expect(checkPreviousLink({ ...previous, resultDigest: null }, voided)).toMatchObject({
      status: 'fail',
      params: { fields: 'resultDigest' },
    });
    // A second void after known randomness cannot lead to a valid attempt 3.
    const env2 = signVoid(second.secretKey, SECOND, '2027-01-07T02:00:00Z', {
      commitmentDigest: second2.commitmentDigest,
      reason: 'issue-entered-wrongly',
      requestedBy: APPROVER.id,
    });
    const voided2 = buildVoidedBundle(
      { algorithm: 'sr-draw/v2', ...rows, commitment },
      [beacon.sign(round).signature],
      env2,
    );
    expect(previousFromVoided(voided2).knownVoids).toBe(2);
    const committed3 = '2027-01-08T09:00:00Z';
    const round3 = beacon.roundAt(Date.parse(committed3) / 1000) + 100;
    expect(() =>
      buildCommitmentV2(
        {
          ...draftV2(
            c.commitment.strata,
            c.commitment.team,
            [beacon.source(round3)],
            previousFromVoided(voided2),
            3,
          ),
          committedAt: committed3,
        },
        rows,
      ),
    ).toThrow(/knownVoids is 2/);
  });

  it('a void before the values existed publishes no randomness; one signed by the requester fails', () => {
    const digest = drawSrV2(c).commitmentDigest;
    const own = signVoid(approver.secretKey, APPROVER, '2027-01-04T09:02:00Z', {
      commitmentDigest: digest,
      reason: 'source-late',
      requestedBy: APPROVER.id,
    });
    const early = buildVoidedBundle(inputs, null, own);
    expect(early).toMatchObject({ randomness: null, result: null, resultDigest: null });
    const r = verifyVoidedBundleV2(JSON.parse(JSON.stringify(early)), { registry });
    expect(r.checks.filter((x) => x.status === 'fail').map((x) => x.id)).toEqual(['void']);
    expect(r.checks.find((x) => x.id === 'void')!.params.rule).toBe('signer');
    expect(previousFromVoided(early)).toMatchObject({ randomness: null, resultDigest: null, knownVoids: 0 });
  });
});
