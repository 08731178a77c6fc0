/**
 * Unified social credit code 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-symbol
 * alphabet; the 9-character organisation code inside carries its own GB 11714 check character.
 */
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** The check character of the first 17 characters of a USCC, or null if one is not allowed. */
export function usccCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]!);
    if (v < 0) return null;
    sum += v * USCC_WEIGHTS[i]!;
  }
  const c = (31 - (sum % 31)) % 31;
  return USCC_ALPHABET[c]!;
}

/** The GB 11714 check character of an 8-character organisation code body. */
export function orgCodeCheckChar(first8: string): string | null {
  if (first8.length !== 8) return null;
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const v = ORG_ALPHABET.indexOf(first8[i]!);
    if (v < 0) return null;
    sum += v * ORG_WEIGHTS[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** Why a string is not a valid USCC, or null when it is. */
export function usccProblem(code: string): string | null {
  if (code.length !== 18) return `must be 18 characters (got ${code.length})`;
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) {
    return 'may contain only digits and the capitals A–Y without I, O, S, V, Z';
  }
  if (!/^\d{6}$/.test(code.slice(2, 8)))
    return 'characters 3–8 must be a 6-digit administrative division code';
  const expected = usccCheckChar(code.slice(0, 17));
  if (expected !== code[17]) return `check character should be ${expected}, not ${code[17]}`;
  return null;
}

/** True when `code` is a well-formed USCC with a correct check character. */
export function isValidUscc(code: string): boolean {
  return usccProblem(code) === null;
}

/**
 * Builds a valid USCC from a registration authority/type prefix (2 chars), a division code and
 * an 8-character organisation code body.
 */
export function makeUscc(prefix: string, divisionCode: string, orgBody: string): string {
  const org = orgBody + orgCodeCheckChar(orgBody);
  const first17 = prefix + divisionCode + org;
  const check = usccCheckChar(first17);
  if (check === null) throw new Error(`cannot build a USCC from ${first17}`);
  return first17 + check;
}
