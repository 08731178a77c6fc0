import { expect, it } from 'vitest';
import { dictionaryProblems } from '@spotcheck/ui/i18n-check';
import { dictionaries } from './i18n';

it('the portal text: the same keys and placeholders in both languages, and Chinese written in Chinese', () => {
  expect(Object.keys(dictionaries.zh).length).toBeGreaterThan(500);
  expect(dictionaryProblems(dictionaries.zh, dictionaries.en)).toEqual({
    missing: [],
    empty: [],
    placeholders: [],
    english: [],
  });
});
