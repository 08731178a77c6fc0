/**
 * json-rules-engine conditions ⇄ react-querybuilder queries, exactly: `fromQuery(toQuery(c))`
 * deep-equals `c` for every condition the pack loader accepts (leaves with any operator, nested
 * all/any/not, fact-valued comparisons, `path`/`params`/`name`/`priority`). The builder edits
 * the query; the rule file stores the conditions. Pure: no React here.
 */
import type { RuleGroupType, RuleType } from 'react-querybuilder';

/** A json-rules-engine condition as a pack stores it. */
export type Condition =
  | { fact: string; operator: string; value: unknown; [k: string]: unknown }
  | { all: Condition[]; [k: string]: unknown }
  | { any: Condition[]; [k: string]: unknown }
  | { not: Condition; [k: string]: unknown };

/** A builder rule: one leaf condition. `extra` keeps leaf keys the builder does not edit. */
export interface LeafRule extends RuleType {
  /** `path`, `params`, `name`, `priority` of the leaf, kept as written. */
  extra?: Record<string, unknown>;
}

/** A builder group: `all` (and), `any` (or), or `not` around one of them or around one leaf. */
export interface ConditionGroup extends RuleGroupType<LeafRule> {
  /** `{"not": <leaf>}`: a negated group holding that single leaf (not `{"not": {"all": [leaf]}}`). */
  notLeaf?: boolean;
  /** `name`, `priority` of the all/any node, kept as written. */
  extra?: Record<string, unknown>;
  /** `name`, `priority` of the enclosing `not` node, kept as written. */
  notExtra?: Record<string, unknown>;
}

const LEAF_KEYS = new Set(['fact', 'operator', 'value']);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
/** `{"fact": "x"}` alone: a comparison with another fact (react-querybuilder's value source "field"). */
const isFactRef = (v: unknown): v is { fact: string } =>
  isObject(v) && Object.keys(v).length === 1 && typeof v.fact === 'string';

function rest(
  node: Record<string, unknown>,
  skip: (k: string) => boolean,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (!skip(k)) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

function leafToRule(leaf: Record<string, unknown>): LeafRule {
  const extra = rest(leaf, (k) => LEAF_KEYS.has(k));
  const rule: LeafRule = isFactRef(leaf.value)
    ? {
        field: String(leaf.fact),
        operator: String(leaf.operator),
        value: leaf.value.fact,
        valueSource: 'field',
      }
    : { field: String(leaf.fact), operator: String(leaf.operator), value: leaf.value };
  if (extra) rule.extra = extra;
  return rule;
}

function nodeToGroup(node: Record<string, unknown>): ConditionGroup {
  if ('not' in node) {
    const inner = node.not as Record<string, unknown>;
    const notExtra = rest(node, (k) => k === 'not');
    if (isObject(inner) && ('all' in inner || 'any' in inner)) {
      const group = nodeToGroup(inner);
      return { ...group, not: true, ...(notExtra ? { notExtra } : {}) };
    }
    return {
      combinator: 'and',
      not: true,
      notLeaf: true,
      rules: [toRuleOrGroup(inner)],
      ...(notExtra ? { notExtra } : {}),
    };
  }
  const key = 'any' in node ? 'any' : 'all';
  const list = Array.isArray(node[key]) ? (node[key] as unknown[]) : [];
  const extra = rest(node, (k) => k === key);
  return {
    combinator: key === 'any' ? 'or' : 'and',
    rules: list.map((c) => toRuleOrGroup(c)),
    ...(extra ? { extra } : {}),
  };
}

function toRuleOrGroup(c: unknown): LeafRule | ConditionGroup {
  if (isObject(c) && ('all' in c || 'any' in c || 'not' in c)) return nodeToGroup(c);
  return leafToRule(isObject(c) ? c : { fact: '', operator: 'equal', value: null });
}

/** The builder query of a rule's top condition (`{"all"|"any"|"not": …}`; missing → empty `all`). */
export function toQuery(conditions: unknown): ConditionGroup {
  if (isObject(conditions) && ('all' in conditions || 'any' in conditions || 'not' in conditions))
    return nodeToGroup(conditions);
  return { combinator: 'and', rules: [] };
}

function ruleToLeaf(rule: LeafRule): Condition {
  const value = rule.valueSource === 'field' ? { fact: String(rule.value) } : rule.value;
  return { fact: rule.field, operator: rule.operator, value, ...rule.extra };
}

function isGroup(r: unknown): r is ConditionGroup {
  return isObject(r) && Array.isArray(r.rules);
}

function groupToNode(group: ConditionGroup): Condition {
  if (group.not && group.notLeaf && group.rules.length === 1 && !isGroup(group.rules[0])) {
    return { not: ruleToLeaf(group.rules[0] as LeafRule), ...group.notExtra };
  }
  const key = group.combinator === 'or' ? 'any' : 'all';
  const list = group.rules
    .filter((r): r is LeafRule | ConditionGroup => isObject(r))
    .map((r) => (isGroup(r) ? groupToNode(r) : ruleToLeaf(r)));
  const node = { [key]: list, ...group.extra } as Condition;
  return group.not ? { not: node, ...group.notExtra } : node;
}

/** The json-rules-engine conditions of a builder query (ids and paths the builder adds are dropped). */
export function fromQuery(query: ConditionGroup): Condition {
  return groupToNode(query);
}

/**
 * The JSON path (as the loader reports it, e.g. `$.conditions.all[1].any[0]`) of every rule and
 * group of a builder query, by the builder's id; the root group's path is `base`.
 */
export function jsonPathsById(query: ConditionGroup, base = '$.conditions'): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (g: ConditionGroup, at: string) => {
    if (g.id) out.set(g.id, at);
    if (g.not && g.notLeaf && g.rules.length === 1 && !isGroup(g.rules[0])) {
      const leaf = g.rules[0] as LeafRule;
      if (leaf.id) out.set(leaf.id, `${at}.not`);
      return;
    }
    const inner = `${g.not ? `${at}.not` : at}.${g.combinator === 'or' ? 'any' : 'all'}`;
    g.rules.forEach((r, i) => {
      if (isGroup(r)) walk(r, `${inner}[${i}]`);
      else if (isObject(r) && typeof r.id === 'string') out.set(r.id, `${inner}[${i}]`);
    });
  };
  walk(query, base);
  return out;
}
