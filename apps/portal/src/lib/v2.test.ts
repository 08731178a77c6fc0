import { describe, expect, it } from 'vitest';
import { commitmentFacts } from './publications';
import { parseVerifierInput } from './verify';
import {
  commitmentLedger,
  duplicateAttempts,
  exclusionsCsv,
  exclusionSummary,
  keyState,
  readExcluded,
  readPrevious,
  readRegistry,
  readRosterChanges,
  readVoidEnvelope,
  type PublicationFull,
} from './v2';
import { fixtureRegistry, sampleBundleV2, voidedChain } from './testing-v2';

describe('exclusions', () => {
  it('summarises by reason, largest first, and writes every row to CSV', () => {
    const rows = readExcluded(sampleBundleV2().excluded);
    expect(exclusionSummary(rows)).toEqual([
      { reason: 'out-of-scope', count: 2 },
      { reason: 'ceiling-reached', count: 1 },
      { reason: 'closed', count: 1 },
      { reason: 'not-due', count: 1 },
    ]);
    const csv = exclusionsCsv(rows, ['统一社会信用代码', '原因代码', '原因'], (r) => `名称:${r}`);
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(rows.length + 1);
    expect(lines[1]).toBe(`${rows[0]!.unit},${rows[0]!.reason},名称:${rows[0]!.reason}`);
  });

  it('quotes CSV fields and defuses spreadsheet formulas', () => {
    const csv = exclusionsCsv([{ unit: '=HYPERLINK("x")', reason: 'a,b' }], ['u', 'r', 'n'], () => 'x"y');
    expect(csv).toContain(`"'=HYPERLINK(""x"")","a,b","x""y"`);
  });
});

describe('key registry', () => {
  it('reads the published registry and gives each key its state', () => {
    const reg = fixtureRegistry();
    const got = readRegistry(reg)!;
    expect(got.document).toEqual(reg);
    const k = { ...got.registry.keys[0]!, validUntil: '2027-02-01T00:00:00Z' };
    expect(keyState(k, new Date('2026-11-01T00:00:00Z'))).toBe('pending');
    expect(keyState(k, new Date('2027-01-01T00:00:00Z'))).toBe('valid');
    expect(keyState(k, new Date('2027-02-01T00:00:00Z'))).toBe('expired');
    expect(keyState({ ...k, revoked: true }, new Date('2027-01-01T00:00:00Z'))).toBe('revoked');
    // Ended as it was to become valid (rotated out at once): never valid, before its validFrom too.
    const never = { ...k, validUntil: k.validFrom };
    expect(keyState(never, new Date('2026-11-01T00:00:00Z'))).toBe('expired');
    expect(keyState(never, new Date(k.validFrom))).toBe('expired');
    expect(readRegistry({ spec: 'something-else' })).toBeNull();
  });
});

describe('attempts', () => {
  const pub = (id: string, kind: string, content: unknown, at: string): PublicationFull => ({
    id,
    kind,
    refId: id,
    bureauCode: '120116',
    period: '2027-Q1',
    title: id,
    publishedAt: at,
    content,
  });

  it('chains attempt 2 to voided attempt 1, and lists how each commitment ended', () => {
    const { voided, attempt2 } = voidedChain();
    const prev = readPrevious(attempt2.commitment)!;
    expect(prev).toMatchObject({ attempt: 1, reason: 'plan-withdrawn', knownVoids: 1 });
    expect(prev.randomness).toBe(voided.randomness!.string);
    expect(readVoidEnvelope({ algorithm: 'sr-draw/v2', bundle: voided })).toMatchObject({
      signerName: '滨海新区副局长',
      reason: 'plan-withdrawn',
    });
    const commitments = [
      pub(
        'c1',
        'commitment',
        { commitment: voided.commitment, commitmentDigest: voided.commitmentDigest },
        '2027-01-04T09:00:00Z',
      ),
      pub(
        'c2',
        'commitment',
        { commitment: attempt2.commitment, commitmentDigest: attempt2.commitmentDigest },
        '2027-01-07T09:00:00Z',
      ),
    ];
    const outcomes = [
      pub('v1', 'void', { bundle: voided }, '2027-01-06T03:00:00Z'),
      pub('d2', 'draw', { bundle: attempt2 }, '2027-01-09T02:00:00Z'),
    ];
    const ledger = commitmentLedger(commitments, outcomes);
    expect(ledger.map((e) => [e.attempt, e.outcome, e.outcomePublicationId])).toEqual([
      [1, 'voided', 'v1'],
      [2, 'drawn', 'd2'],
    ]);
    expect(duplicateAttempts(ledger).size).toBe(0);
    // A second, hidden commitment for attempt 2 shows, flagged, beside the first.
    const hidden = pub(
      'c3',
      'commitment',
      { commitment: attempt2.commitment, commitmentDigest: 'ff'.repeat(32) },
      '2027-01-07T09:01:00Z',
    );
    const both = commitmentLedger([...commitments, hidden], outcomes);
    expect([...duplicateAttempts(both)].sort()).toEqual(['c2', 'c3']);
    expect(both.find((e) => e.publicationId === 'c3')!.outcome).toBe('open');
  });
});

describe('v2 publications', () => {
  it('re-checks a v2 commitment with its excluded and expert rows', () => {
    const b = sampleBundleV2();
    const f = commitmentFacts(b);
    expect(f).toMatchObject({ algorithm: 'sr-draw/v2', attempt: 1, digestMatches: true, frameMatches: true });
    expect(f.excludedMatch).toBe(true);
    expect(f.expertsMatch).toBe(true);
    const tampered = { ...b, excluded: b.excluded.slice(1) };
    expect(commitmentFacts(tampered).excludedMatch).toBe(false);
  });

  it('reads roster changes oldest first', () => {
    const rows = readRosterChanges([
      {
        at: '2027-01-03T00:00:00Z',
        action: 'unit.set-status',
        entity: 'units',
        entityId: 'X',
        fields: ['status'],
      },
      {
        at: '2027-01-01T00:00:00Z',
        action: 'conflict.declare',
        entity: 'conflicts',
        entityId: null,
        fields: [],
      },
    ]);
    expect(rows.map((r) => r.action)).toEqual(['conflict.declare', 'unit.set-status']);
  });

  it('takes the registry beside a downloaded bundle for offline verification', () => {
    const b = sampleBundleV2();
    const parsed = parseVerifierInput(JSON.stringify({ bundle: b, registry: fixtureRegistry() }));
    expect(parsed).toMatchObject({ ok: true, registry: fixtureRegistry() });
  });
});
