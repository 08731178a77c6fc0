import { describe, expect, it } from 'vitest';
import { progressOf, progressReporter } from './progress';

describe('the progress board', () => {
  it('answers the reporting user only, and keeps the 10,000 operations reported last', () => {
    const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    progressReporter('u1', id(0))('roster', 5, 10);
    expect(progressOf('u1', id(0))).toEqual({ phase: 'roster', done: 5, total: 10, step: null });
    expect(progressOf('u2', id(0))).toBeNull();
    // Without an id nothing is kept.
    progressReporter('u1', undefined)('done');
    // Ten thousand more operations push the first out; one reported again stays.
    progressReporter('u1', id(1))('computing');
    for (let n = 2; n <= 10_000; n++) progressReporter('u2', id(n))('done');
    progressReporter('u1', id(1))('writing');
    progressReporter('u2', id(10_001))('done');
    expect(progressOf('u1', id(0))).toBeNull();
    expect(progressOf('u1', id(1))).toEqual({ phase: 'writing', done: 0, total: null, step: null });
    expect(progressOf('u2', id(2))).toBeNull();
    expect(progressOf('u2', id(10_001))?.phase).toBe('done');
  });
});
