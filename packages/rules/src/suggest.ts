/** "Did you mean" suggestions by edit distance. */

/** Levenshtein edit distance between two strings (case-insensitive). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[t.length]!;
}

/**
 * The candidate closest to `word`, if it is close enough to be a plausible typo
 * (distance ≤ max(2, a third of the word's length)), else the nearest candidate that starts
 * with the same camelCase word (`riskLevel` → `riskGrade`).
 */
export function closest(word: string, candidateList: Iterable<string>): string | undefined {
  const candidates = [...candidateList];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (bestDistance <= Math.max(2, Math.floor(word.length / 3))) return best;
  // Same leading camelCase word (riskLevel → riskGrade): the nearest such candidate.
  const head = (w: string) => /^[a-z]+/.exec(w)?.[0] ?? '';
  const h = head(word);
  if (h.length < 3) return undefined;
  const sameHead = candidates.filter((c) => head(c) === h);
  sameHead.sort((a, b) => editDistance(word, a) - editDistance(word, b));
  return sameHead[0];
}

/** `did you mean "x"?` for the closest candidate, or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const c = closest(word, candidates);
  return c === undefined ? undefined : `did you mean "${c}"?`;
}
