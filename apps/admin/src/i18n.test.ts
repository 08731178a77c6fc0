import { expect, it } from 'vitest';
import { dictionaryProblems } from '@spotcheck/ui/i18n-check';
import './i18n-areas';
import { dictionaries } from './i18n';

it('the admin text: the same keys and placeholders in both languages, and Chinese written in Chinese', () => {
  expect(Object.keys(dictionaries.zh).length).toBeGreaterThan(1000);
  const problems = dictionaryProblems(dictionaries.zh, dictionaries.en, {
    // The validator's own detail is English: the Chinese text names the problem without it.
    englishOnlyPlaceholders: ['importProblem.invalid'],
    allowLatin: /^TJ-WH-\d+$/,
  });
  expect(problems).toEqual({ missing: [], empty: [], placeholders: [], english: [] });
});
