/**
 * How the events of fired rules combine into one classification. See rules/README.md
 * ("合并规则 How fired rules combine"). Layer by layer:
 *
 * 1. Within the city (root) layer each numeric field combines over the fired rules that set it
 *    — mandatory OR, minPerYear max, maxPerYear min, ratio max, weight max, expert OR — and
 *    falls back to the pack defaults when no fired city rule sets it (this is how a good-credit
 *    rule can lower the ratio below the default, R13).
 * 2. The district layer combines the same way but has no defaults, then merges with the city
 *    result by OR / max / max (min for the cap): a district can only add to the city's floor.
 * 3. mandatory ⇔ minPerYear ≥ 1: a mandatory unit is inspected at least once a year (R11), and a
 *    unit a frequency rule gives a yearly minimum must be inspected, so it is mandatory too (R12),
 *    with the frequency rule as its reason. The cap never goes below the floor
 *    (maxPerYear = max(cap, minPerYear)).
 * 4. stratum and specialty come from the fired rule that sets them and sorts first by priority
 *    (high first), then layer (district first), then pack order; stratum falls back to the default.
 * 5. inspectionKind is the strictest set by any fired rule (covert > key > general), else the
 *    default: a blacklisted unit is inspected covertly (R19) even when a higher-priority rule,
 *    such as high risk, places it in its own stratum with a key inspection.
 */
import { INSPECTION_KINDS, type InspectionKind } from '@spotcheck/core';
import { maxRatio } from './ratio';
import type { Classification, CompiledRule, ComposedPack, MandatoryReason } from './types';

interface LayerResult {
  mandatory: boolean;
  minPerYear?: number;
  maxPerYear?: number;
  ratio?: string;
}

function combineLayer(rules: readonly CompiledRule[]): LayerResult {
  const out: LayerResult = { mandatory: false };
  for (const { params: p } of rules) {
    if (p.mandatory) out.mandatory = true;
    if (p.minPerYear !== undefined) out.minPerYear = Math.max(out.minPerYear ?? 0, p.minPerYear);
    if (p.maxPerYear !== undefined) out.maxPerYear = Math.min(out.maxPerYear ?? Infinity, p.maxPerYear);
    if (p.ratio !== undefined) out.ratio = out.ratio === undefined ? p.ratio : maxRatio(out.ratio, p.ratio);
  }
  return out;
}

/** Sort order for preference fields: priority desc, layer desc (district first), pack order asc. */
function byPreference(a: CompiledRule, b: CompiledRule): number {
  return b.priority - a.priority || b.layer - a.layer || a.order - b.order;
}

/** Combines the fired rules of a composed pack (in any order) into the classification. */
export function combineFired(pack: ComposedPack, fired: readonly CompiledRule[]): Classification {
  const inOrder = [...fired].sort((a, b) => a.order - b.order);
  const d = pack.defaults;
  const city = combineLayer(inOrder.filter((r) => r.layer === 0));
  const district = combineLayer(inOrder.filter((r) => r.layer > 0));

  let minPerYear = Math.max(city.minPerYear ?? d.minPerYear, district.minPerYear ?? 0);
  if (city.mandatory || district.mandatory) minPerYear = Math.max(minPerYear, 1);
  const mandatory = minPerYear >= 1;
  const cityCap = city.maxPerYear ?? d.maxPerYear ?? Infinity;
  const cap = Math.min(cityCap, district.maxPerYear ?? Infinity);
  const maxPerYear = cap === Infinity ? null : Math.max(cap, minPerYear);
  const cityRatio = city.ratio ?? d.ratio;
  const ratio = district.ratio === undefined ? cityRatio : maxRatio(cityRatio, district.ratio);

  let weight: number | null = null;
  let expert = false;
  const reasons: MandatoryReason[] = [];
  for (const r of inOrder) {
    if (r.params.weight !== undefined) weight = Math.max(weight ?? 1, r.params.weight);
    if (r.params.expert) expert = true;
    if (r.params.mandatory && r.params.reason !== undefined)
      reasons.push({ rule: r.id, reason: r.params.reason });
    else if ((r.params.minPerYear ?? 0) >= 1)
      reasons.push({
        rule: r.id,
        reason: `frequency: at least ${r.params.minPerYear} per year — ${r.description}`,
      });
  }

  const preferred = [...inOrder].sort(byPreference);
  const pick = <K extends 'stratum' | 'specialty'>(key: K) =>
    preferred.find((r) => r.params[key] !== undefined)?.params[key];
  const strictness = (k: InspectionKind) => INSPECTION_KINDS.indexOf(k);
  const kinds = inOrder.flatMap((r) => (r.params.inspectionKind ? [r.params.inspectionKind] : []));
  const inspectionKind = kinds.length
    ? kinds.reduce((a, b) => (strictness(b) > strictness(a) ? b : a))
    : d.inspectionKind;

  return {
    stratum: pick('stratum') ?? d.stratum,
    mandatory,
    reasons,
    minPerYear,
    maxPerYear,
    ratio,
    weight,
    specialty: pick('specialty') ?? null,
    expert,
    inspectionKind,
    fired: inOrder.map((r) => r.id),
  };
}
