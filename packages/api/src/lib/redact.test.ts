import { describe, expect, it } from 'vitest';
import { publicResult, WITHHELD_TEXT } from './redact';

const result = {
  unit: { id: '91120116MA0E2E01XX', name: '某军工配套厂' },
  inspectedOn: '2026-09-20',
  outcome: 'violations',
  team: [{ name: '张三', certificateNo: 'TJ-001' }],
  summary: '检查了车间',
  findings: [],
};

describe('result redaction', () => {
  it('withholds the whole inspection with the unit, so nothing in the row can be matched to the draw', () => {
    const { content, unitWithheld } = publicResult(result, [{ field: 'unit', reason: 'state-secret' }]);
    expect(unitWithheld).toBe(true);
    for (const field of ['unit', 'inspectedOn', 'outcome', 'team', 'summary', 'findings'])
      expect(content[field], field).toMatchObject({
        withheld: true,
        reason: 'state-secret',
        text: WITHHELD_TEXT,
      });
    const text = JSON.stringify(content);
    for (const s of ['张三', '军工', '2026-09-20', 'violations', 'TJ-001']) expect(text).not.toContain(s);
  });
  it('withholds only the fields a record names when its unit stays public', () => {
    const { content, unitWithheld } = publicResult(result, [{ field: 'summary', reason: 'other' }]);
    expect(unitWithheld).toBe(false);
    expect(content.summary).toMatchObject({ withheld: true, reason: 'other' });
    expect(content.unit).toEqual(result.unit);
    expect(content.team).toEqual(result.team);
    expect(content.outcome).toBe('violations');
    expect(publicResult(result).content).toEqual(result);
  });
});
