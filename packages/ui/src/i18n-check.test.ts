import { describe, expect, it } from 'vitest';
import { dictionaryProblems } from './i18n-check';

describe('dictionaryProblems', () => {
  it('finds a missing key, an empty text, a lost placeholder and English in the Chinese text', () => {
    const p = dictionaryProblems(
      { a: '共 {n} 条', b: '', c: '状态：listed', d: '导出 CSV（SHA-256）', only: '只有中文' },
      { a: '{count} rows', b: 'B', c: 'Status', d: 'Export CSV', extra: 'Extra' },
    );
    expect(p.missing).toEqual(['only', 'extra']);
    expect(p.empty).toEqual(['b']);
    expect(p.placeholders).toEqual(['a']);
    expect(p.english).toEqual(['c: 状态：listed']);
  });

  it('passes two matching dictionaries', () => {
    const p = dictionaryProblems({ a: '共 {n} 条，见 `npm start`' }, { a: '{n} rows, see `npm start`' });
    expect(p).toEqual({ missing: [], empty: [], placeholders: [], english: [] });
  });
});
