/**
 * An example rules plugin, written only against `@spotcheck/rules`'s plugin API: no core file
 * changes to add it, only a line in `rules/plugins.json`.
 *
 * - fact `liquidAmmonia` (涉氨制冷企业): the unit runs ammonia refrigeration. The roster has no
 *   ammonia column, so the plugin derives it from what the roster does record: a registered major
 *   hazard source in light industry (food processing, cold storage) or port logistics (cold-chain
 *   warehouses) — the units 津应急 lists under 涉氨制冷 in practice.
 * - operator `between`: a number fact within `[low, high]`, both inclusive, e.g. employees
 *   between [50, 300]. It tells the tighten-only check how it implies other number leaves.
 */
import { definePlugin, type OtherLeaf } from '@spotcheck/rules';

/** `[low, high]` with low ≤ high, both finite numbers, or null. */
function range(value: unknown): [number, number] | null {
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [low, high] = value as unknown[];
  if (typeof low !== 'number' || typeof high !== 'number') return null;
  if (!Number.isFinite(low) || !Number.isFinite(high) || low > high) return null;
  return [low, high];
}

/** Every number in `[low, high]` satisfies the other leaf (same fact). */
function betweenImplies(value: unknown, other: OtherLeaf): boolean {
  const r = range(value);
  if (!r) return false;
  const [low, high] = r;
  const v = other.value;
  switch (other.operator) {
    case 'between': {
      const o = range(v);
      return !!o && o[0] <= low && high <= o[1];
    }
    case 'greaterThanInclusive':
      return typeof v === 'number' && low >= v;
    case 'greaterThan':
      return typeof v === 'number' && low > v;
    case 'lessThanInclusive':
      return typeof v === 'number' && high <= v;
    case 'lessThan':
      return typeof v === 'number' && high < v;
    default:
      return false;
  }
}

/** The plugin (default export, as `rules/plugins.json` expects). */
export const plugin = definePlugin({
  name: '@spotcheck/plugin-liquid-ammonia',
  facts: [
    {
      from: 'derived',
      name: 'liquidAmmonia',
      type: { kind: 'boolean' },
      label: { zh: '涉氨制冷企业', en: 'Ammonia refrigeration' },
      description:
        'ammonia refrigeration 涉氨制冷: a registered major hazard source in light industry or port logistics (cold storage)',
      reads: ['industry', 'majorHazardSource'],
      resolve: (unit) =>
        unit.majorHazardSource && (unit.industry === 'light-industry' || unit.industry === 'port-logistics'),
    },
  ],
  operators: [
    {
      name: 'between',
      label: { zh: '介于（含两端）', en: 'between (inclusive)' },
      description:
        'number fact within [low, high], both inclusive: {"operator": "between", "value": [50, 300]}',
      appliesTo: ['number'],
      validateValue: (value) =>
        range(value) ? null : 'value must be [low, high]: two numbers with low ≤ high',
      evaluate: (factValue, value) => {
        const r = range(value);
        return !!r && typeof factValue === 'number' && factValue >= r[0] && factValue <= r[1];
      },
      implies: betweenImplies,
    },
  ],
});

export default plugin;
