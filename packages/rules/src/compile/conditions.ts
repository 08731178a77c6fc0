/** Rule conditions: the walker that checks facts and operators, and rule compilation. */
import type { OperatorEvaluate } from '../engine';
import type { FactType, FactValue } from '../facts';
import type { Runtime } from '../runtime';
import { type ConditionJson, RULE_NAME } from '../schema';
import { hint } from '../messages';
import type { CompiledRule, LeafCondition } from '../types';
import { didYouMeanHint, isObject, Issues, jsonPath } from './issues';
import type { ParsedPack } from './parse';

/** What walking a rule's conditions found. */
interface Walked {
  facts: Set<string>;
  leaves: LeafCondition[];
  /** Fast-path blockers: "file $.path: why". */
  blockers: string[];
}

function checkConditions(
  node: unknown,
  path: PropertyKey[],
  file: string,
  manifestFacts: ReadonlySet<string>,
  runtime: Runtime,
  operatorOf: (name: string) => OperatorEvaluate | null,
  issues: Issues,
  out: Walked,
): void {
  const at = jsonPath(path);
  if (!isObject(node)) {
    issues.error(file, at, 'condition.notObject', {});
    return;
  }
  const extra = (allowed: string[]) => {
    for (const key of Object.keys(node)) {
      if (!allowed.includes(key))
        issues.error(
          file,
          jsonPath([...path, key]),
          'schema.unknownField',
          { field: key },
          didYouMeanHint(key, allowed),
        );
    }
  };
  if ('condition' in node) {
    issues.error(file, at, 'condition.sharedReference', {}, hint('inlineCondition'));
    return;
  }
  for (const bool of ['all', 'any'] as const) {
    if (bool in node) {
      extra([bool, 'name', 'priority']);
      const list = node[bool];
      if (!Array.isArray(list) || list.length === 0) {
        issues.error(file, jsonPath([...path, bool]), 'condition.emptyList', { combinator: bool });
        return;
      }
      list.forEach((child, i) =>
        checkConditions(child, [...path, bool, i], file, manifestFacts, runtime, operatorOf, issues, out),
      );
      return;
    }
  }
  if ('not' in node) {
    extra(['not', 'name', 'priority']);
    checkConditions(node.not, [...path, 'not'], file, manifestFacts, runtime, operatorOf, issues, out);
    return;
  }
  if (!('fact' in node)) {
    issues.error(
      file,
      at,
      'condition.noKind',
      {},
      didYouMeanHint(Object.keys(node)[0] ?? '', ['all', 'any', 'not', 'fact']),
    );
    return;
  }
  extra(['fact', 'operator', 'value', 'path', 'params', 'name', 'priority']);
  const { fact, operator, value } = node;
  const factPath = jsonPath([...path, 'fact']);
  let type: FactType | undefined;
  if (typeof fact !== 'string') {
    issues.error(file, factPath, 'condition.factNotName', {});
  } else if (!runtime.factTypes.has(fact)) {
    issues.error(
      file,
      factPath,
      'condition.unknownFact',
      { fact },
      didYouMeanHint(fact, runtime.factTypes.keys()) ?? hint('seeFactList'),
    );
  } else {
    type = runtime.factTypes.get(fact);
    out.facts.add(fact);
    if (!manifestFacts.has(fact))
      issues.error(file, factPath, 'condition.factNotListed', { fact }, hint('addFactToManifest', { fact }));
  }
  const opPath = jsonPath([...path, 'operator']);
  const opEval = typeof operator === 'string' ? operatorOf(operator) : null;
  if (typeof operator !== 'string' || !opEval) {
    issues.error(
      file,
      opPath,
      'condition.unknownOperator',
      { operator },
      typeof operator === 'string' ? didYouMeanHint(operator, runtime.operatorNames) : undefined,
    );
  }
  if (!('value' in node)) issues.error(file, jsonPath([...path, 'value']), 'condition.noValue', {});
  const custom = typeof operator === 'string' ? runtime.operators.get(operator) : undefined;
  const valuePath = jsonPath([...path, 'value']);
  const valueIsFact = isObject(value) && 'fact' in value;
  if (custom && !valueIsFact) {
    const problem = custom.validateValue(value);
    if (problem)
      issues.error(file, valuePath, 'condition.badOperatorValue', {
        operator: String(operator),
        detail: problem,
      });
  }
  if (type && !valueIsFact && (type.kind === 'enum' || type.kind === 'boolean')) {
    const domain: readonly FactValue[] = type.kind === 'enum' ? type.values : [true, false];
    const check = (v: unknown, p: string) => {
      if (!domain.includes(v as FactValue)) {
        issues.error(
          file,
          p,
          'condition.neverAValue',
          { value: v, fact: String(fact), domain },
          typeof v === 'string'
            ? didYouMeanHint(
                v,
                domain.filter((d): d is string => typeof d === 'string'),
              )
            : undefined,
        );
      }
    };
    if (operator === 'equal' || operator === 'notEqual') check(value, valuePath);
    if (operator === 'in' || operator === 'notIn') {
      if (!Array.isArray(value)) issues.error(file, valuePath, 'condition.needsList', { operator });
      else value.forEach((v, i) => check(v, `${valuePath}[${i}]`));
    }
  }
  if (valueIsFact) {
    const ref = value.fact;
    if (typeof ref !== 'string' || !runtime.factTypes.has(ref)) {
      issues.error(
        file,
        `${valuePath}.fact`,
        'condition.unknownFact',
        { fact: ref },
        typeof ref === 'string' ? didYouMeanHint(ref, runtime.factTypes.keys()) : undefined,
      );
    } else {
      out.facts.add(ref);
      if (!manifestFacts.has(ref))
        issues.error(
          file,
          `${valuePath}.fact`,
          'condition.factNotListed',
          { fact: ref },
          hint('addFactToManifest', { fact: ref }),
        );
    }
    out.blockers.push(`${file} ${valuePath}: compares a fact with another fact`);
  }
  if ('path' in node) out.blockers.push(`${file} ${jsonPath([...path, 'path'])}: uses a jsonpath`);
  if ('params' in node) out.blockers.push(`${file} ${jsonPath([...path, 'params'])}: passes fact params`);
  if (!valueIsFact && typeof fact === 'string' && typeof operator === 'string') {
    out.leaves.push({ fact, operator, value });
  }
}

export interface PackDraft {
  parsed: ParsedPack;
  rules: CompiledRule[];
  walked: Walked;
}

export function compileRules(
  parsed: ParsedPack,
  runtime: Runtime,
  operatorOf: (n: string) => OperatorEvaluate | null,
  issues: Issues,
): PackDraft {
  const { manifest } = parsed;
  const manifestFacts = new Set(manifest.facts);
  manifest.facts.forEach((f, i) => {
    if (!runtime.factTypes.has(f)) {
      issues.error(
        parsed.manifestFile,
        `$.facts[${i}]`,
        'condition.unknownFact',
        { fact: f },
        didYouMeanHint(f, runtime.factTypes.keys()) ?? hint('seeFactList'),
      );
    }
  });
  const walked: Walked = { facts: new Set(), leaves: [], blockers: [] };
  const rules: CompiledRule[] = [];
  for (const { file, base, json } of parsed.rules) {
    if (json.name !== base) {
      issues.error(
        file,
        '$.name',
        'rule.nameMismatch',
        { name: json.name, file: base },
        RULE_NAME.test(base) ? hint('renameRule', { file: base, name: json.name }) : undefined,
      );
    }
    checkConditions(
      json.conditions,
      ['conditions'],
      file,
      manifestFacts,
      runtime,
      operatorOf,
      issues,
      walked,
    );
    if (isObject(json.conditions) && 'fact' in json.conditions) {
      issues.error(file, '$.conditions', 'rule.topCondition', {}, hint('wrapInAll'));
    }
    rules.push({
      id: `${manifest.id}#${json.name}`,
      name: json.name,
      pack: manifest.id,
      file,
      priority: json.priority ?? 1,
      layer: 0,
      order: 0,
      description: json.meta.description,
      source: json.meta.source,
      conditions: json.conditions as ConditionJson,
      params: json.event.params,
    });
  }
  for (const f of manifest.facts) {
    if (!walked.facts.has(f) && runtime.factTypes.has(f)) {
      issues.warn(parsed.manifestFile, '$.facts', 'manifest.factUnused', { fact: f });
    }
  }
  return { parsed, rules, walked };
}
