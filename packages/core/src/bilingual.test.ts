import { describe, expect, it } from 'vitest';
import { bilingual } from './bilingual';

describe('bilingual', () => {
  it('reads a rule description, a mandatory reason and a frequency reason in each language', () => {
    const d = '危险化学品单位抽查比例15% — hazardous-chemicals units are sampled at 15%';
    expect(bilingual(d, 'zh')).toBe('危险化学品单位抽查比例15%');
    expect(bilingual(d, 'en')).toBe('hazardous-chemicals units are sampled at 15%');
    expect(bilingual('风险等级较高 high risk grade', 'zh')).toBe('风险等级较高');
    expect(bilingual('风险等级较高 high risk grade', 'en')).toBe('high risk grade');
    const f =
      'frequency: at least 2 per year — 重大危险源单位每年至少两次 — major hazard source: twice a year';
    expect(bilingual(f, 'zh')).toBe('重大危险源单位每年至少两次');
    expect(bilingual(f, 'en')).toBe('frequency: at least 2 per year — major hazard source: twice a year');
  });

  it('keeps a text in one language whole', () => {
    expect(bilingual('新规则', 'zh')).toBe('新规则');
    expect(bilingual('新规则', 'en')).toBe('新规则');
    expect(bilingual('a new rule', 'zh')).toBe('a new rule');
  });
});
