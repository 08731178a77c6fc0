/**
 * Redaction for the public column (R16): inspectors appear with name and certificate number
 * only; units without legal representative, address or contacts; covert plans stay sealed
 * until executed (callers decide when to publish).
 */
import type { Redaction, RedactionReason } from '@spotcheck/core';

/** The public face of an inspector. */
export function redactInspector(i: { name: string; certificateNo: string }): {
  name: string;
  certificateNo: string;
} {
  return { name: i.name, certificateNo: i.certificateNo };
}

/** The public face of a unit: identity and sector only. */
export function redactUnit(u: { id: string; name: string; industry: string; bureauCode: string }): {
  id: string;
  name: string;
  industry: string;
  bureauCode: string;
} {
  return { id: u.id, name: u.name, industry: u.industry, bureauCode: u.bureauCode };
}

export { REDACTION_REASONS, type Redaction, type RedactionReason } from '@spotcheck/core';

/** Chinese names of the reason categories, as the portal shows them. */
export const REDACTION_REASON_ZH: Record<RedactionReason, string> = {
  'state-secret': '国家秘密',
  'commercial-secret': '商业秘密',
  'personal-privacy': '个人隐私',
  other: '其他',
};

/** What the public sees instead of a withheld field. */
export const WITHHELD_TEXT = '依法不予公开';

/**
 * How each field of each kind of record reaches the public column (R16):
 * - `public`: always published;
 * - `redactable`: published unless the record withholds it, with a reason category chosen when
 *   the record is made (changed only by a new record, e.g. a result's correction);
 * - `internal`: never published.
 * Every publishing path builds public content from this table through {@link publicFields}.
 */
export const REDACTION_POLICY = {
  result: {
    unit: 'redactable',
    inspectedOn: 'public',
    outcome: 'public',
    team: 'redactable',
    summary: 'redactable',
    findings: 'redactable',
    evidence: 'internal',
    recordedBy: 'internal',
  },
  unit: {
    id: 'public',
    name: 'public',
    industry: 'public',
    bureauCode: 'public',
    address: 'internal',
    legalRepresentative: 'internal',
    employees: 'internal',
  },
  inspector: { name: 'public', certificateNo: 'public', id: 'internal', department: 'internal' },
  blacklist: { unit: 'public', basis: 'public', effectiveOn: 'public', source: 'internal' },
  /** 挂牌督办 (R17): the listing is public; the hazard's wording may be withheld, evidence never published. */
  supervision: {
    unit: 'public',
    listingNumber: 'public',
    supervisingBureau: 'public',
    listedOn: 'public',
    deadline: 'public',
    closedOn: 'public',
    hazard: 'redactable',
    description: 'internal',
    evidence: 'internal',
  },
} as const satisfies Record<string, Record<string, 'public' | 'redactable' | 'internal'>>;

/** Kinds of record with a redaction policy. */
export type RedactedKind = keyof typeof REDACTION_POLICY;

/** Fields of a kind that a record may withhold. */
export function redactableFields(kind: RedactedKind): string[] {
  return Object.entries(REDACTION_POLICY[kind])
    .filter(([, v]) => v === 'redactable')
    .map(([k]) => k);
}

/** A withheld value in public content. */
export interface Withheld {
  withheld: true;
  reason: RedactionReason;
  reasonText: string;
  text: typeof WITHHELD_TEXT;
}

/** The public placeholder of a field withheld for `reason`. */
export function withheld(reason: RedactionReason): Withheld {
  return { withheld: true, reason, reasonText: REDACTION_REASON_ZH[reason], text: WITHHELD_TEXT };
}

/**
 * The public content of one record: `public` fields as given, `redactable` ones as given unless
 * withheld (then {@link withheld}), `internal` and unknown fields dropped.
 */
export function publicFields<K extends RedactedKind>(
  kind: K,
  values: Partial<Record<keyof (typeof REDACTION_POLICY)[K], unknown>>,
  redactions: readonly Redaction[] = [],
): Record<string, unknown> {
  const policy = REDACTION_POLICY[kind] as Record<string, string>;
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    const rule = policy[field];
    if (rule === 'public') out[field] = value;
    else if (rule === 'redactable') {
      const r = redactions.find((x) => x.field === field);
      out[field] = r ? withheld(r.reason) : value;
    }
  }
  return out;
}

/**
 * The public content of one result (R16), through {@link publicFields}, with one rule of its own:
 * **withholding a result's `unit` withholds the whole inspection.** Every other field the policy
 * would publish (inspection date, outcome, team, summary, findings) then reads 依法不予公开 with
 * the unit's reason, and the caller publishes no finding counts for it.
 *
 * Why, and why not retract the draw instead: the draw named every drawn unit with its team before
 * any result existed, and its bundle must stay in the public record unchanged so that anyone can
 * recompute it from the published inputs (sr-draw/v2 §5–§9; the transparency log would show a
 * changed or removed bundle anyway). So the fact that the unit was drawn (and so, most likely,
 * inspected) is public and stays public. What the bureau can still keep back is what the
 * inspection found. A withheld-unit row that kept its date, outcome, counts or team could be
 * matched to the one drawn unit missing from the quarter's named rows (the draw's unit list minus
 * the named results), which names the unit again. With every field withheld, the public learns
 * only that the quarter had one more inspection whose result is withheld, and why. The quarter's
 * publication also puts such rows last (see `quarterlyItems`), because a row's place in a list
 * sorted by date would give the date away.
 */
export function publicResult(
  values: Partial<Record<keyof (typeof REDACTION_POLICY)['result'], unknown>>,
  redactions: readonly Redaction[] = [],
): { content: Record<string, unknown>; unitWithheld: boolean } {
  const unit = redactions.find((r) => r.field === 'unit');
  if (!unit) return { content: publicFields('result', values, redactions), unitWithheld: false };
  const policy = REDACTION_POLICY.result as Record<string, string>;
  const content: Record<string, unknown> = {};
  for (const field of Object.keys(values))
    if (policy[field] === 'public' || policy[field] === 'redactable') content[field] = withheld(unit.reason);
  return { content, unitWithheld: true };
}
