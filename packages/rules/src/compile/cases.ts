/** A pack's cases (expected outcomes for sample units), compiled against the composed rules. */
import { BASE_FACT_DEFAULTS, parsePeriod, ZUnitFactsSchema } from '../facts';
import type { CompiledCase, CompiledRule } from '../types';
import { didYouMeanHint, Issues, jsonPath } from './issues';
import type { PackDraft } from './conditions';

export function compileCases(
  draft: PackDraft,
  composedRules: readonly CompiledRule[],
  issues: Issues,
): CompiledCase[] {
  const own = draft.parsed.manifest.id;
  const ids = new Set(composedRules.map((r) => r.id));
  const out: CompiledCase[] = [];
  for (const { file, json } of draft.parsed.cases) {
    json.cases.forEach((c, i) => {
      const periodText = c.period ?? json.period;
      const period = parsePeriod(periodText);
      if (typeof period === 'string') {
        issues.error(file, c.period ? `$.cases[${i}].period` : '$.period', 'case.badPeriod', {
          text: periodText,
        });
        return;
      }
      const facts = ZUnitFactsSchema.safeParse({ ...BASE_FACT_DEFAULTS, ...json.base, ...c.facts });
      if (!facts.success) {
        for (const issue of facts.error.issues) {
          const key = issue.path[0];
          const inCase = typeof key === 'string' && key in c.facts;
          const where = inCase
            ? ['cases', i, 'facts', ...issue.path]
            : json.base
              ? ['base', ...issue.path]
              : ['cases', i, 'facts'];
          if (
            issue.code === 'invalid_type' &&
            !inCase &&
            !(json.base && typeof key === 'string' && key in json.base)
          )
            issues.error(file, jsonPath(where), 'case.factMissing', { fact: String(key) });
          else issues.zodIssue(file, issue, where);
        }
        return;
      }
      const { fired, ...expect } = c.expect;
      let qualified: string[] | undefined;
      if (fired) {
        qualified = [];
        fired.forEach((name, j) => {
          const id = name.includes('#') ? name : `${own}#${name}`;
          if (!ids.has(id)) {
            issues.error(
              file,
              `$.cases[${i}].expect.fired[${j}]`,
              'case.noSuchRule',
              { rule: name, pack: own },
              didYouMeanHint(id, ids),
            );
          } else qualified!.push(id);
        });
      }
      out.push({
        file,
        name: c.name,
        period,
        facts: facts.data,
        expect,
        ...(qualified ? { fired: qualified } : {}),
      });
    });
  }
  return out;
}
