import { describe, expect, it } from 'vitest';
import { checklistDigest, type ChecklistItemContent } from './checklist';

const a: ChecklistItemContent = {
  code: 'TJ-GEN-001',
  subject: '天津市应急管理局',
  item: '安全生产责任制',
  content: '检查全员安全生产责任制建立和落实情况',
  legalBasis: '《中华人民共和国安全生产法》第四条',
  industries: ['metallurgy', 'hazardous-chemicals'],
  inspectionKinds: ['key', 'general'],
};
const b: ChecklistItemContent = { ...a, code: 'TJ-GEN-002', item: '教育培训', industries: [] };

describe('checklistDigest', () => {
  it('ignores item order, set order and fields outside the published content', () => {
    const extra = {
      ...a,
      industries: [...a.industries].reverse(),
      sortOrder: 9,
      id: 'x',
    } as ChecklistItemContent;
    expect(checklistDigest([a, b])).toBe(checklistDigest([b, extra]));
  });

  it('changes when any published field changes', () => {
    const base = checklistDigest([a, b]);
    for (const field of ['subject', 'item', 'content', 'legalBasis'] as const) {
      expect(checklistDigest([{ ...a, [field]: `${a[field]}。` }, b])).not.toBe(base);
    }
    expect(checklistDigest([{ ...a, industries: ['metallurgy'] }, b])).not.toBe(base);
    expect(checklistDigest([a])).not.toBe(base);
  });
});
