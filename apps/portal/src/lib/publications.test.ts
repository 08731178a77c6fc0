import { describe, expect, it } from 'vitest';
import { dictionaries } from '../i18n';
import { linkFor } from './links';
import {
  checklistDiff,
  commitmentFacts,
  downloadName,
  readBlacklist,
  readChecklist,
  readQuarterly,
  readVoid,
  supersededIds,
  voidedDrawIds,
  type ChecklistItem,
  type PublicationHeader,
} from './publications';
import { sampleBundle } from './testing';

describe('commitmentFacts', () => {
  it("marks a covert plan's digest-only commitment as sealed, not as a failed check", () => {
    const b = sampleBundle();
    const c = b.commitment;
    const f = commitmentFacts({
      sealed: true,
      commitmentDigest: b.commitmentDigest,
      commitment: {
        algorithm: c.algorithm,
        plan: { id: c.plan.id, bureau: c.plan.bureau, period: c.plan.period, kind: c.plan.kind },
        sources: c.sources,
        committedAt: c.committedAt,
      },
    });
    expect(f).toMatchObject({
      sealed: true,
      commitmentDigest: b.commitmentDigest,
      planId: 'plan-1',
      frameCount: 0,
    });
    expect(f.sources).toEqual([{ kind: 'numbers', name: '福彩3D', issue: '2027001' }]);
    expect(commitmentFacts({ commitment: c, commitmentDigest: b.commitmentDigest }).sealed).toBe(false);
  });

  it('shows the key facts and re-checks every digest', () => {
    const b = sampleBundle();
    const f = commitmentFacts({
      commitment: b.commitment,
      commitmentDigest: b.commitmentDigest,
      frame: b.frame,
      inspectors: b.inspectors,
    });
    expect(f).toMatchObject({
      planId: 'plan-1',
      bureau: '120116',
      period: '2027-Q1',
      kind: 'general',
      frameCount: 12,
      inspectorCount: 4,
      strata: [
        { id: 'credit-a', method: 'srs', quota: 2 },
        { id: 'risk-high', method: 'pareto', quota: 2 },
      ],
      sources: [{ kind: 'numbers', name: '福彩3D', issue: '2027001' }],
      committedAt: '2027-01-04T09:00:00Z',
      team: { assign: true, size: 2, specialist: false },
      digestMatches: true,
      frameMatches: true,
      inspectorsMatch: true,
    });
  });

  it('flags an altered commitment or frame, and tolerates junk', () => {
    const b = sampleBundle();
    expect(
      commitmentFacts({ ...b, commitment: { ...b.commitment, committedAt: '2027-01-05T09:00:00Z' } })
        .digestMatches,
    ).toBe(false);
    expect(commitmentFacts({ ...b, frame: b.frame.slice(1) }).frameMatches).toBe(false);
    expect(
      commitmentFacts({ commitment: b.commitment, commitmentDigest: b.commitmentDigest }).frameMatches,
    ).toBeNull();
    expect(commitmentFacts(null)).toMatchObject({ digestMatches: false, strata: [], sources: [] });
  });
});

const item = (code: string, content = '内容'): ChecklistItem => ({
  code,
  subject: '生产经营单位',
  item: '项目',
  content,
  legalBasis: '《安全生产法》',
  industries: [],
  inspectionKinds: [],
});

describe('checklist readers', () => {
  it('reads a published version and diffs two versions by code', () => {
    const c = readChecklist({ version: 2, digest: 'ab', items: [{ ...item('A'), sortOrder: 0 }] });
    expect(c).toEqual({ version: 2, digest: 'ab', items: [item('A')] });
    expect(checklistDiff([item('A'), item('B')], [item('B', '改'), item('C')])).toEqual({
      added: ['C'],
      removed: ['A'],
      changed: ['B'],
    });
  });
});

describe('other readers', () => {
  it('reads quarterly results and voids, defaulting what is absent', () => {
    const q = readQuarterly({
      period: '2026-Q3',
      inspected: 1,
      items: [
        {
          unit: { id: 'U', name: '单位', industry: 'trade', bureauCode: '120116' },
          inspectedOn: '2026-08-01',
          outcome: 'compliant',
          team: [{ name: '张三', certificateNo: 'Z1' }],
          findings: { violation: 1 },
        },
      ],
    });
    expect(q.items[0]!.findings).toEqual({ violation: 1, hazard: 0, majorHazard: 0 });
    expect(readVoid({ reason: '录入错误', requestedBy: 'A', approvedBy: 'B' })).toMatchObject({
      reason: '录入错误',
      requestedBy: 'A',
      approvedBy: 'B',
      resultDigest: null,
    });
  });

  it('reads a blacklist notice', () => {
    const b = readBlacklist({
      unit: { id: 'U', name: '某化工公司', industry: 'hazardous-chemicals', bureauCode: '120116' },
      reason: 'concealed',
      reasonText: '隐瞒重大事故隐患',
      effectiveOn: '2026-08-20',
      finding: { kind: 'major-hazard', checklistItemCode: null },
    });
    expect(b).toMatchObject({ reason: 'concealed', effectiveOn: '2026-08-20' });
    expect(b.finding).toEqual({ kind: 'major-hazard', checklistItemCode: null, rectificationDue: null });
  });

  it('marks voided draws and superseded publications', () => {
    const h = (
      id: string,
      kind: string,
      refId: string,
      replacesId: string | null = null,
    ): PublicationHeader => ({
      id,
      kind,
      refId,
      replacesId,
      bureauCode: '120116',
      period: null,
      title: '',
      digest: '',
      publishedAt: '2027-01-01T00:00:00Z',
    });
    expect([...voidedDrawIds([h('v1', 'void', 'draw-1'), h('d1', 'draw', 'draw-2')])]).toEqual(['draw-1']);
    expect([
      ...supersededIds([h('q2', 'quarterly-results', 'x', 'q1'), h('q1', 'quarterly-results', 'x')]),
    ]).toEqual(['q1']);
    expect(downloadName({ kind: 'draw', bureauCode: '120116', id: '0123456789ab' }, '-bundle')).toBe(
      'draw-bundle-120116-01234567.json',
    );
    expect(linkFor({ kind: 'draw', id: 'x' })).toBe('/draws/x');
    expect(linkFor({ kind: 'procedure', id: 'x' })).toBe('/publication/x');
  });
});

describe('dictionaries', () => {
  it('have the same keys and no empty text in both languages', () => {
    expect(Object.keys(dictionaries.en).sort()).toEqual(Object.keys(dictionaries.zh).sort());
    for (const d of Object.values(dictionaries))
      for (const v of Object.values(d)) expect(v.trim()).not.toBe('');
  });
});
