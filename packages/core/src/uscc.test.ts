import { describe, expect, it } from 'vitest';
import { isValidUscc, makeUscc, orgCodeCheckChar, usccProblem } from './uscc';

describe('USCC', () => {
  it('accepts published real codes', () => {
    // Codes printed on public business licences.
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
    expect(isValidUscc('91110000802100433B')).toBe(true);
  });

  it('computes the GB 11714 organisation check character', () => {
    // The standard's worked example: D2143569 → X
    expect(orgCodeCheckChar('D2143569')).toBe('X');
  });

  it('rejects a wrong check character and names it', () => {
    expect(usccProblem('91350100M000100Y44')).toBe('check character should be 3, not 4');
  });

  it('rejects bad length and forbidden letters', () => {
    expect(usccProblem('9135')).toMatch(/18 characters/);
    expect(usccProblem('91350100M000100YI3')).toMatch(/without I/);
  });

  it('builds codes that validate', () => {
    const code = makeUscc('91', '120116', 'MA05K3T1');
    expect(code).toHaveLength(18);
    expect(isValidUscc(code)).toBe(true);
  });
});
