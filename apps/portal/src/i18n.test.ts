import { describe, expect, it } from 'vitest';
import { dictionaryProblems } from '@spotcheck/ui/i18n-check';
import { dictionaries } from './i18n';

describe('portal dictionaries', () => {
  const problems = dictionaryProblems(dictionaries.zh, dictionaries.en);

  it('hold the same keys in Chinese and English, each with text', () => {
    expect(Object.keys(dictionaries.zh).length).toBeGreaterThan(500);
    expect(problems.missing).toEqual([]);
    expect(problems.empty).toEqual([]);
  });

  it('give both languages the same placeholders', () => {
    expect(problems.placeholders).toEqual([]);
  });

  it('write the Chinese text in Chinese: no English word where a translation belongs', () => {
    expect(problems.english).toEqual([]);
  });
});
