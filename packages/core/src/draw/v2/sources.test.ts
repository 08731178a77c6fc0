import { bls12_381 } from '@noble/curves/bls12-381.js';
import { describe, expect, it } from 'vitest';
import { demoBeacon, planSources } from './beacon';
import { drandConformance, lotteryConformance } from './conformance';
import {
  drandRandomness,
  LOTTERY_GAMES,
  lotteryString,
  PINNED_DRAND_CHAINS,
  randomnessShapeProblem,
  sourceTime,
  verifyDrandSignature,
} from './sources';

const QUICKNET = '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971';
const SIG =
  'b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b';
const RANDOMNESS = 'fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587';
const PK = PINNED_DRAND_CHAINS[QUICKNET]!.publicKey;

describe('drand (quicknet public vector, round 657413)', () => {
  it('verifies, with drand’s randomness and round time', () => {
    expect(drandConformance({ chain: QUICKNET, round: 657413, signature: SIG })).toEqual({
      valid: true,
      randomness: RANDOMNESS,
      roundTime: '2023-09-15T11:00:03Z',
    });
    expect(drandRandomness(SIG)).toBe(RANDOMNESS);
  });

  it('fails for a flipped byte, a wrong round, uppercase hex and a chosen value', () => {
    const flipped = SIG.slice(0, 40) + (SIG[40] === '0' ? '1' : '0') + SIG.slice(41);
    expect(verifyDrandSignature(PK, 657413, flipped).valid).toBe(false);
    expect(verifyDrandSignature(PK, 657414, SIG)).toEqual({
      valid: false,
      reason: 'signature does not verify for round 657414',
    });
    expect(verifyDrandSignature(PK, 657413, SIG.toUpperCase()).valid).toBe(false);
    // The insider's attack: a hex value of his choosing typed in as the round's value.
    expect(verifyDrandSignature(PK, 657413, 'c0ffee'.repeat(16)).valid).toBe(false);
    expect(verifyDrandSignature(PK, 657413, RANDOMNESS).valid).toBe(false);
    expect(drandConformance({ chain: QUICKNET, round: 657413, signature: 'zz' })).toMatchObject({
      valid: false,
      randomness: null,
    });
  });

  it('refuses non-canonical encodings: infinity, x ≥ p, a point outside the subgroup, a wrong sort flag', () => {
    const infinity = `c0${'00'.repeat(47)}`;
    expect(verifyDrandSignature(PK, 1, infinity).valid).toBe(false);
    // x = p (the field modulus) with the compression flag: x ≥ p must be refused, never reduced.
    const p = bls12_381.G1.Point.Fp.ORDER.toString(16).padStart(96, '0');
    const xIsP = (parseInt(p.slice(0, 2), 16) | 0x80).toString(16) + p.slice(2);
    expect(verifyDrandSignature(PK, 1, xIsP).valid).toBe(false);
    // A curve point not in the prime-order subgroup: x with x^3 + 4 a square, cofactor not cleared.
    const { Fp } = bls12_381.G1.Point;
    const isSquare = (v: bigint) => Fp.eql(Fp.pow(v, (Fp.ORDER - 1n) / 2n), Fp.ONE);
    let x = 5n;
    while (!isSquare(Fp.add(Fp.pow(x, 3n), 4n))) x++;
    const sx =
      (0x80 | parseInt(x.toString(16).padStart(96, '0').slice(0, 2), 16)).toString(16) +
      x.toString(16).padStart(96, '0').slice(2);
    const r = verifyDrandSignature(PK, 1, sx);
    expect(r.valid).toBe(false);
    expect(r.reason).toMatch(/subgroup|torsion|invalid/i);
    // The valid signature with its sort flag flipped is the negated point: not the round's signature.
    const neg = (parseInt(SIG.slice(0, 2), 16) ^ 0x20).toString(16) + SIG.slice(2);
    expect(verifyDrandSignature(PK, 657413, neg).valid).toBe(false);
  });

  it('an unknown chain without info, or round 0, is an error; info on a pinned chain too', () => {
    expect(() => drandConformance({ chain: 'ab'.repeat(32), round: 5, signature: SIG })).toThrow(
      /unknown drand chain/,
    );
    expect(() => drandConformance({ chain: QUICKNET, round: 0, signature: SIG })).toThrow(/round/);
    const { publicKey, genesis, period, scheme } = PINNED_DRAND_CHAINS[QUICKNET]!;
    expect(() =>
      drandConformance({
        chain: QUICKNET,
        round: 5,
        signature: SIG,
        info: { publicKey, genesis, period, scheme },
      }),
    ).toThrow(/pinned/);
  });
});

describe('demo beacon and source planning', () => {
  const b = demoBeacon('unit test', 1_800_000_000);
  it('signs rounds that verify on its unpinned chain (chain = sha256hex(info)), and only those', () => {
    const s = b.sign(42);
    expect(drandConformance({ chain: b.chain, round: 42, signature: s.signature, info: b.info })).toEqual({
      valid: true,
      randomness: s.randomness,
      roundTime: new Date((1_800_000_000 + 41 * 3) * 1000).toISOString().replace('.000Z', 'Z'),
    });
    expect(drandConformance({ chain: b.chain, round: 43, signature: s.signature, info: b.info }).valid).toBe(
      false,
    );
    expect(() =>
      drandConformance({ chain: b.chain, round: 42, signature: s.signature, info: { ...b.info, period: 4 } }),
    ).toThrow(/sha256hex\(info\)/);
    expect(demoBeacon('unit test', 1_800_000_000).info).toEqual(b.info);
    expect(demoBeacon('other', 1_800_000_000).info.publicKey).not.toBe(b.info.publicKey);
  });

  it('proposes the first round at or after max(planned time, commitment + 60 s)', () => {
    const { source, roundTime } = planSources({
      chain: QUICKNET,
      plannedAt: '2027-01-04T10:00:00Z',
      committedAt: '2027-01-04T09:00:00Z',
    });
    expect(Date.parse(roundTime)).toBeGreaterThanOrEqual(Date.parse('2027-01-04T10:00:00Z'));
    expect(Date.parse(roundTime) - 3000).toBeLessThan(Date.parse('2027-01-04T10:00:00Z'));
    expect(sourceTime(source) * 1000).toBe(Date.parse(roundTime));
    const soon = planSources({
      chain: QUICKNET,
      plannedAt: '2027-01-04T08:00:00Z',
      committedAt: '2027-01-04T09:00:00Z',
    });
    expect(Date.parse(soon.roundTime)).toBeGreaterThanOrEqual(Date.parse('2027-01-04T09:01:00Z'));
    expect(() =>
      planSources({
        chain: QUICKNET,
        plannedAt: '2027-02-04T08:00:00Z',
        committedAt: '2027-01-04T09:00:00Z',
      }),
    ).toThrow(/7 days/);
    expect(
      planSources({
        chain: b.chain,
        info: b.info,
        plannedAt: '2027-01-20T10:00:00Z',
        committedAt: '2027-01-20T09:00:00Z',
      }).source.info,
    ).toEqual(b.info);
  });
});

describe('lottery sources', () => {
  it('builds the contribution string exactly (双色球 example of the spec)', () => {
    expect(lotteryConformance({ game: 'cwl-ssq', value: [[3, 7, 12, 19, 25, 31], [9]] })).toEqual({
      string: '3.7.12.19.25.31.:9./',
    });
    expect(lotteryString('cwl-3d', [[0, 0, 7]])).toBe('0.0.7./');
    expect(
      lotteryString('sl-dlt', [
        [1, 2, 3, 4, 35],
        [1, 12],
      ]),
    ).toBe('1.2.3.4.35.:1.12./');
  });

  it('rejects, never normalises: wrong counts, ranges, repeats, unsorted groups, unknown games', () => {
    const bad: [string, unknown, RegExp][] = [
      ['cwl-ssq', [[3, 7, 12, 19, 25], [9]], /expected 6 numbers/],
      ['cwl-ssq', [[3, 7, 12, 19, 25, 34], [9]], /outside 1–33/],
      ['cwl-ssq', [[3, 7, 12, 19, 25, 31], [17]], /outside 1–16/],
      ['cwl-ssq', [[3, 7, 7, 19, 25, 31], [9]], /repeats/],
      ['cwl-ssq', [[7, 3, 12, 19, 25, 31], [9]], /ascending/],
      ['cwl-ssq', [[3, 7, 12, 19, 25, 31]], /2 group/],
      ['cwl-3d', [[1, 2, 10]], /outside 0–9/],
      ['sl-pl5', [[1, 2, 3, 4, 5.5]], /integer/],
      ['cwl-kl8', [Array.from({ length: 19 }, (_, i) => i + 1)], /expected 20/],
      ['fc-7lc', [[1]], /unknown game/],
    ];
    for (const [game, value, re] of bad) expect(() => lotteryString(game, value)).toThrow(re);
  });

  it('has the entropy table in hundredths of a bit, 快乐8 = 61.62', () => {
    expect(Object.fromEntries(Object.values(LOTTERY_GAMES).map((g) => [g.id, g.entropyCentibits]))).toEqual({
      'cwl-ssq': 2408,
      'cwl-kl8': 6162,
      'cwl-3d': 997,
      'sl-dlt': 2435,
      'sl-pl3': 997,
      'sl-pl5': 1661,
    });
  });

  it('a lottery source’s time is the end of its draw date in UTC+8', () => {
    expect(sourceTime({ kind: 'lottery', game: 'cwl-ssq', issue: '2027005', drawDate: '2027-01-12' })).toBe(
      Date.parse('2027-01-12T16:00:00Z') / 1000,
    );
  });

  it('checks the shape of a previous R string', () => {
    const sources = [
      { kind: 'drand' as const, chain: QUICKNET, round: 5 },
      { kind: 'lottery' as const, game: 'cwl-ssq' as const, issue: '1', drawDate: '2027-01-12' },
    ];
    expect(randomnessShapeProblem(sources, `${RANDOMNESS}/3.7.12.19.25.31.:9./`)).toBeNull();
    expect(randomnessShapeProblem(sources, `${RANDOMNESS}/3.7.12.19.25.31.:99./`)).toMatch(/outside/);
    expect(randomnessShapeProblem(sources, `${RANDOMNESS}/`)).toMatch(/shape/);
  });
});
