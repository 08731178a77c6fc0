import { describe, expect, it } from 'vitest';
import { caseDiffText, ruleText } from './caseText';

const labels = {
  'tianjin/binhai#hazchem-ratio': '危险化学品单位抽查比例15% — hazardous-chemicals units are sampled at 15%',
  'tianjin/city#r12-major-hazard': '存在重大事故隐患的单位每季度检查 — open major hazard: quarterly',
  'tianjin/binhai#english-only': 'ports are sampled at 10%',
};

describe('case-run texts', () => {
  it('names rules by their description, never by id on a Chinese page', () => {
    expect(ruleText('tianjin/binhai#hazchem-ratio', labels, 'zh')).toBe('危险化学品单位抽查比例15%');
    expect(ruleText('tianjin/binhai#hazchem-ratio', labels, 'en')).toBe(
      'hazardous-chemicals units are sampled at 15%',
    );
    expect(ruleText('tianjin/binhai#english-only', labels, 'zh')).toBe('（未写说明的规则）');
    expect(ruleText('tianjin/binhai#english-only', labels, 'en')).toBe('ports are sampled at 10%');
    expect(ruleText('tianjin/x#unknown', labels, 'en')).toBe('tianjin/x#unknown');
  });

  it('words a mismatch in Chinese with labelled values, and in English as the loader does', () => {
    const fired = {
      field: 'fired',
      expected: ['tianjin/binhai#hazchem-ratio'],
      actual: ['tianjin/city#r12-major-hazard', 'tianjin/binhai#hazchem-ratio'],
    };
    expect(caseDiffText(fired, labels, 'zh')).toBe(
      '命中规则：应为 “危险化学品单位抽查比例15%”，实际为 “存在重大事故隐患的单位每季度检查”、“危险化学品单位抽查比例15%”',
    );
    expect(
      caseDiffText({ field: 'stratum', expected: 'hazchem', actual: 'major-hazard' }, labels, 'zh'),
    ).toBe('抽查层：应为 “危险化学品”，实际为 “重大危险源”');
    expect(caseDiffText({ field: 'ratio', expected: '15%', actual: '1/20' }, labels, 'zh')).toBe(
      '抽查比例：应为 15%，实际为 5%',
    );
    expect(caseDiffText({ field: 'mandatory', expected: true, actual: false }, labels, 'zh')).toBe(
      '必须检查：应为 是，实际为 否',
    );
    expect(caseDiffText({ field: 'minPerYear', expected: 2, actual: 1 }, labels, 'en')).toBe(
      'minPerYear: expected 2, got 1',
    );
  });
});
