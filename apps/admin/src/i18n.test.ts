import { describe, expect, it } from 'vitest';
import { dictionaryProblems } from '@spotcheck/ui/i18n-check';
import './i18n-areas';
import { dictionaries } from './i18n';

describe('admin dictionaries', () => {
  const problems = dictionaryProblems(dictionaries.zh, dictionaries.en, {
    // The validator's own detail is English: the Chinese text names the problem without it.
    englishOnlyPlaceholders: ['importProblem.invalid'],
    allowLatin: /^TJ-WH-\d+$/,
  });

  it('hold the same keys in Chinese and English, each with text', () => {
    expect(Object.keys(dictionaries.zh).length).toBeGreaterThan(1000);
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
