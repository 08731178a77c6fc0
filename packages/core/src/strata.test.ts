import { describe, expect, it } from 'vitest';
import { stratumName } from './strata';

describe('stratum names', () => {
  it('labels a known stratum in either language and shows one a pack invents by its id', () => {
    expect(stratumName('high-risk', 'zh')).toBe('高风险');
    expect(stratumName('high-risk', 'en')).toBe('High risk');
    expect(stratumName('district-own-stratum', 'zh')).toBe('district-own-stratum');
    // Not an inherited property of the vocabulary object.
    expect(stratumName('toString', 'zh')).toBe('toString');
  });
});
