/**
 * Pure pack compilation: validates pack sources (zod + a condition walker with suggestions),
 * composes each district pack on the city pack it extends, and checks at load time that a
 * district only tightens the city's floor. No I/O: sources come from files or from JSON.
 * The concerns live in `compile/`: issues, parsing, conditions and rules, tightening, cases.
 */
import { packDigest } from './digest';
import { buildEngine, engineOperator, type OperatorEvaluate } from './engine';
import type { Runtime } from './runtime';
import { hint } from './messages';
import type { CompiledPack, ComposedPack, LeafCondition, PackIssue, PackSource } from './types';
import { didYouMeanHint, Issues } from './compile/issues';
import { parseSource } from './compile/parse';
import { compileRules, type PackDraft } from './compile/conditions';
import { checkTightening, Implication } from './compile/tightening';
import { compileCases } from './compile/cases';

export { jsonPath } from './compile/issues';

/** The result of compiling a set of pack sources. */
export interface CompileResult {
  /** Composed packs by id (empty when there are errors). */
  readonly packs: ReadonlyMap<string, ComposedPack>;
  /** The validated packs by id, each with its own cases. */
  readonly compiled: ReadonlyMap<string, CompiledPack>;
  readonly issues: readonly PackIssue[];
  readonly ok: boolean;
}

/**
 * Validates and composes a whole set of packs (a city pack and the district packs that extend
 * it). Pure. When any error is found, `ok` is false and no pack is returned.
 */
export function compilePacks(sources: readonly PackSource[], runtime: Runtime): CompileResult {
  const issues = new Issues();
  const probe = buildEngine(runtime);
  const operatorCache = new Map<string, OperatorEvaluate | null>();
  const operatorOf = (name: string) => {
    if (!operatorCache.has(name)) operatorCache.set(name, engineOperator(probe, name));
    return operatorCache.get(name)!;
  };
  const drafts = new Map<string, PackDraft>();
  for (const source of sources) {
    const parsed = parseSource(source, issues);
    if (!parsed) continue;
    const id = parsed.manifest.id;
    if (drafts.has(id)) {
      issues.error(parsed.manifestFile, '$.id', 'pack.definedTwice', {
        pack: id,
        file: drafts.get(id)!.parsed.manifestFile,
      });
      continue;
    }
    drafts.set(id, compileRules(parsed, runtime, operatorOf, issues));
  }
  const bureaus = new Map<string, string>();
  for (const [id, draft] of drafts) {
    const m = draft.parsed.manifest;
    const file = draft.parsed.manifestFile;
    if (m.bureau) {
      if (bureaus.has(m.bureau))
        issues.error(file, '$.bureau', 'pack.bureauTaken', {
          bureau: m.bureau,
          pack: bureaus.get(m.bureau)!,
        });
      bureaus.set(m.bureau, id);
    }
    if (m.extends === undefined) {
      if (!m.defaults) issues.error(file, '$.defaults', 'pack.rootNeedsDefaults', {}, hint('addDefaults'));
      continue;
    }
    if (m.defaults) issues.error(file, '$.defaults', 'pack.districtDefaults', {}, hint('removeDefaults'));
    const parent = drafts.get(m.extends);
    if (!parent) {
      issues.error(
        file,
        '$.extends',
        'pack.extendsUnknown',
        { pack: m.extends },
        didYouMeanHint(m.extends, drafts.keys()),
      );
    } else if (parent.parsed.manifest.extends !== undefined) {
      issues.error(file, '$.extends', 'pack.extendsDistrict', {
        pack: m.extends,
        city: parent.parsed.manifest.extends,
      });
    }
  }
  const implication = new Implication(runtime, operatorOf);
  const packs = new Map<string, ComposedPack>();
  const compiled = new Map<string, CompiledPack>();
  if (!issues.failed) {
    for (const [id, draft] of drafts) {
      const m = draft.parsed.manifest;
      const chainDrafts = m.extends ? [drafts.get(m.extends)!, draft] : [draft];
      const defaults = chainDrafts[0]!.parsed.manifest.defaults!;
      let order = 0;
      const rules = chainDrafts.flatMap((d, layer) => d.rules.map((r) => ({ ...r, layer, order: order++ })));
      if (m.extends) {
        checkTightening(
          rules.filter((r) => r.layer === 1),
          rules.filter((r) => r.layer === 0),
          defaults,
          implication,
          issues,
        );
      }
      const cases = compileCases(draft, rules, issues);
      const ownRules = rules.filter((r) => r.pack === id);
      const pack: CompiledPack = {
        id,
        version: m.version,
        manifest: m,
        source: draft.parsed.source,
        digest: packDigest(draft.parsed.source),
        rules: ownRules,
        cases,
      };
      compiled.set(id, pack);
      const seen = new Map<string, LeafCondition>();
      for (const d of chainDrafts) {
        for (const leaf of d.walked.leaves)
          seen.set(JSON.stringify([leaf.fact, leaf.operator, leaf.value]), leaf);
      }
      const blockers = chainDrafts.flatMap((d) => d.walked.blockers);
      packs.set(id, {
        id,
        version: m.version,
        ...(m.bureau ? { bureau: m.bureau } : {}),
        chain: [],
        rules,
        defaults,
        facts: [...new Set(chainDrafts.flatMap((d) => [...d.walked.facts]))].sort(),
        leaves: blockers.length ? [] : [...seen.values()],
        fastPath: { eligible: blockers.length === 0, reasons: blockers },
      });
    }
    for (const [id, pack] of packs) {
      const m = compiled.get(id)!.manifest;
      const chain = m.extends ? [compiled.get(m.extends)!, compiled.get(id)!] : [compiled.get(id)!];
      packs.set(id, { ...pack, chain });
    }
  }
  const ok = !issues.failed;
  return { packs: ok ? packs : new Map(), compiled: ok ? compiled : new Map(), issues: issues.list, ok };
}

/** One issue as a line: `file $.path: message — suggestion`. */
export function formatIssue(issue: PackIssue): string {
  const tail = issue.suggestion ? ` — ${issue.suggestion}` : '';
  return `${issue.severity === 'error' ? 'error' : 'warning'} ${issue.file} ${issue.path}: ${issue.message}${tail}`;
}
