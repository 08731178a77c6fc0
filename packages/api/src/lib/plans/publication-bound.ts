/**
 * Whether a plan's draw can be published at all (issue 16). A draw's publication is one jsonb value
 * holding its frame, exclusions, people, result and the roster of the selected units' names, and
 * PostgreSQL refuses a jsonb value past {@link MAX_JSONB_BYTES}: a 10^6-unit city plan selecting
 * 234,421 units publishes 193 MB of it. A plan past the limit would be approved, drawn in public and
 * then fail at the sign-off, its result known and never published; so approval computes an upper
 * bound of that publication before anything is written, and refuses the plan when the bound does
 * not fit (split it by district or industry).
 *
 * The committed rows are in the publication as they are, so their size is exact ({@link jsonbSize}).
 * What the draw adds is bounded per selected unit from the longest ids, the team's size and the
 * longest names of the units in scope; the people's roster from every officer's and expert's name.
 */
import { and, desc, sql } from 'drizzle-orm';
import type { CommitmentV2, ExcludedRow, FrameRowV2, PersonRow } from '@spotcheck/core';
import { experts, inspectors, units } from '@spotcheck/db';
import type { DbOrTx } from '../db';
import { jsonbSize } from '../jsonb-size';
import type { AssembledFrame } from './frame';

/** Room for the rest: sign-off, randomness, registry with its proofs, digests, titles. */
export const PUBLICATION_REST_BYTES = 1 << 20;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const longest = (ids: readonly string[]) => {
  let best = '';
  let most = 0;
  for (const id of ids) {
    const n = bytes(id);
    if (n > most) [best, most] = [id, n];
  }
  return best;
};

export interface PublicationBound {
  /** Upper bound of the draw publication's jsonb bytes. */
  bytes: number;
  /** The most units the draw can select: every mandatory row and every stratum's quota. */
  selected: number;
}

/** An upper bound of the bytes of the draw publication of these committed rows (see the module). */
export async function drawPublicationBound(
  tx: DbOrTx,
  p: {
    scope: AssembledFrame['scope'];
    frame: FrameRowV2[];
    excluded: ExcludedRow[];
    inspectorRows: PersonRow[];
    expertRows: PersonRow[];
    commitment: CommitmentV2;
  },
  /** Past this, the bound is made tighter (the longest names in scope) before it is returned. */
  limitBytes: number,
): Promise<PublicationBound> {
  const { frame, commitment } = p;
  let mandatory = 0;
  for (const row of frame) mandatory += row[3];
  const selected = Math.min(frame.length, mandatory + commitment.strata.reduce((n, s) => n + s.quota, 0));
  const committed =
    jsonbSize(frame) +
    jsonbSize(p.excluded) +
    jsonbSize(p.inspectorRows) +
    jsonbSize(p.expertRows) +
    jsonbSize(commitment);

  // The longest ids by their UTF-8 bytes, standing for every selected unit's.
  const unit = longest(frame.map((r) => r[0]));
  const stratum = longest(commitment.strata.map((s) => s.id));
  const officer = longest(p.inspectorRows.map((r) => r[0]));
  const expert = p.expertRows.length ? longest(p.expertRows.map((r) => r[0])) : null;
  // One entry of the result's `selected`, every field at its longest, a team member more than the
  // team's size (+3: its alignment; the 4-byte header `jsonbSize` counts, absent when nested,
  // stands for its 4-byte entry in the array).
  const selectedEntry =
    jsonbSize({
      unit,
      stratum,
      reason: 'certainty',
      sequence: selected,
      key: 'f'.repeat(64),
      team: Array.from({ length: commitment.team.size + 1 }, () => officer),
      expert,
    }) + 3;
  const strataOutcome =
    commitment.strata.length *
    (jsonbSize({
      id: stratum,
      quota: selected,
      selected,
      shortfall: selected,
      threshold: 'f'.repeat(64),
    }) +
      3);
  const people = p.inspectorRows.length + p.expertRows.length;
  const overload =
    jsonbSize({
      kind: 'inspector',
      id: longest([officer, expert ?? '']),
      load: selected,
      capacity: selected,
    }) + 3;

  // The roster: each selected unit under its id with its name, industry and bureau; each officer
  // and expert under their id with their name (and certificate). The names of the selected units
  // are bounded by the longest name in scope first, and by the longest `selected` names only when
  // that does not fit (a sort of the roster in scope).
  const inScope = and(p.scope.bureau, p.scope.inScope);
  const [longestIn] = await tx
    .select({
      name: sql<number>`coalesce(max(octet_length(${units.name})), 0)`,
      industry: sql<number>`coalesce(max(octet_length(${units.industry})), 0)`,
    })
    .from(units)
    .where(inScope);
  const rosterEntry =
    jsonbSize({
      id: unit,
      name: '',
      industry: 'x'.repeat(Number(longestIn?.industry ?? 0)),
      bureauCode: '000000',
    }) +
    bytes(unit) +
    8 +
    3;
  const [officerNames] = await tx
    .select({
      n: sql<string>`coalesce(sum(octet_length(${inspectors.name}) + octet_length(${inspectors.certificateNo})), 0)`,
    })
    .from(inspectors);
  const [expertNames] = await tx
    .select({ n: sql<string>`coalesce(sum(octet_length(${experts.name})), 0)` })
    .from(experts);
  const personEntry =
    jsonbSize({ name: '', certificateNo: '' }) + bytes(longest([officer, expert ?? ''])) + 8 + 3;

  const rest =
    committed +
    selected * (selectedEntry + rosterEntry) +
    strataOutcome +
    people * (overload + personEntry) +
    Number(officerNames?.n ?? 0) +
    Number(expertNames?.n ?? 0) +
    PUBLICATION_REST_BYTES;
  const loose = rest + selected * Number(longestIn?.name ?? 0);
  if (loose <= limitBytes) return { bytes: loose, selected };
  const [names] = await tx.select({ n: sql<string>`coalesce(sum(b), 0)` }).from(
    tx
      .select({ b: sql<number>`octet_length(${units.name})`.as('b') })
      .from(units)
      .where(inScope)
      .orderBy(desc(sql`octet_length(${units.name})`))
      .limit(selected)
      .as('top'),
  );
  const total = rest + Number(names?.n ?? 0);
  return { bytes: total, selected };
}
