/** Running a pack's cases and the coverage gate (every rule exercised by a case). */
import { compareRatios } from './ratio';
import type { Classifier } from './classify';
import type { Classification, CompiledCase, CompiledPack, ExpectedClassification } from './types';

/** One expected field a case run did not get: apps render it in their language. */
export interface CaseDiff {
  /** The classification field (`stratum`, `ratio`, `fired`…). */
  readonly field: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/** Outcome of one case. */
export interface CaseResult {
  readonly pack: string;
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  /** One line per mismatching field (English, for the CLI). */
  readonly mismatches: readonly string[];
  /** The same mismatches as data. */
  readonly diffs: readonly CaseDiff[];
  readonly actual: Classification;
}

function sameValue(field: string, expected: unknown, actual: unknown): boolean {
  if (field === 'ratio') return compareRatios(expected as string, actual as string) === 0;
  if (field === 'fired') {
    const e = [...(expected as string[])].sort();
    const a = [...(actual as string[])].sort();
    return e.length === a.length && e.every((x, i) => x === a[i]);
  }
  return expected === actual;
}

/** Runs one case through the classifier (json-rules-engine path) and compares the stated fields. */
export async function runCase(
  classifier: Classifier,
  pack: CompiledPack,
  c: CompiledCase,
): Promise<CaseResult> {
  const actual = await classifier.classify(c.facts, c.period);
  const expected: ExpectedClassification = { ...c.expect, ...(c.fired ? { fired: [...c.fired] } : {}) };
  const mismatches: string[] = [];
  const diffs: CaseDiff[] = [];
  for (const [field, value] of Object.entries(expected)) {
    const got = (actual as unknown as Record<string, unknown>)[field];
    if (!sameValue(field, value, got)) {
      mismatches.push(`${field}: expected ${JSON.stringify(value)}, got ${JSON.stringify(got)}`);
      diffs.push({ field, expected: value, actual: got ?? null });
    }
  }
  return {
    pack: pack.id,
    file: c.file,
    name: c.name,
    passed: mismatches.length === 0,
    mismatches,
    diffs,
    actual,
  };
}

/** Runs every case of `pack` with the classifier of the composed pack it belongs to. */
export async function runPackCases(classifier: Classifier, pack: CompiledPack): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of pack.cases) out.push(await runCase(classifier, pack, c));
  return out;
}

/**
 * Rules of `pack` that no passing case of the same pack expects to fire (ESLint's "missing
 * tests for rule"). A case exercises a rule when its `expect.fired` lists the rule and it passes.
 */
export function uncoveredRules(pack: CompiledPack, results: readonly CaseResult[]): string[] {
  const covered = new Set<string>();
  const passed = new Set(
    results.filter((r) => r.passed && r.pack === pack.id).map((r) => `${r.file}\n${r.name}`),
  );
  for (const c of pack.cases) {
    if (passed.has(`${c.file}\n${c.name}`)) for (const id of c.fired ?? []) covered.add(id);
  }
  return pack.rules.filter((r) => !covered.has(r.id)).map((r) => r.id);
}
