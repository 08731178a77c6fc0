/**
 * What the draw room reads of an attempt (issue 16): its header, a summary of its result, and its
 * selected units a page at a time. A city draw's row holds ~10^8 bytes of JSON; these read the
 * stored result in PostgreSQL (jsonb operators), so what they return does not grow with the city.
 */
import { asc, and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  teamsAfterReplacements,
  type ReplacementRecordV2,
  type SelectedUnitV2,
  type StratumOutcome,
} from '@spotcheck/core';
import { drawReplacements, draws, experts, inspectors, units } from '@spotcheck/db';
import { executeRows, type DbOrTx } from './db';
import { columnsSchema, json, stringOf } from './outputs';
import { drawHeaderColumns, type DrawHeader } from './workflow';
import { ZIdSchema } from './zod';

/** An officer (inspector or expert) over capacity, by name (v1 results name inspectors only). */
export const ZDrawOverloadSchema = z.object({
  kind: z.enum(['inspector', 'expert']),
  id: z.string(),
  /** Null when the officer is no longer on the roster. */
  name: z.string().nullable(),
  load: z.number(),
  capacity: z.number(),
});

/** A drawn result without its selected units: their count, the strata and the overloads. */
export const ZDrawSummarySchema = z.object({
  /** How many units were selected. */
  selected: z.number().int(),
  strata: z.array(json<StratumOutcome>()),
  /** Per stratum id, how many units were taken with reason `mandatory` (certain to be taken). */
  certain: z.record(z.string(), z.number().int()),
  overloads: z.array(ZDrawOverloadSchema),
});
/** {@link ZDrawSummarySchema}. */
export type TDrawSummary = z.infer<typeof ZDrawSummarySchema>;

/**
 * What `draws.get` returns: the attempt's header (no frame, excluded, person rows, avoidance
 * reasons or result) and its result's summary (null before the draw, and while a covert plan is
 * sealed).
 */
export const ZDrawViewSchema = columnsSchema(drawHeaderColumns).extend({
  sealed: z.boolean(),
  summary: ZDrawSummarySchema.nullable(),
});
/** {@link ZDrawViewSchema}. */
export type TDrawView = z.infer<typeof ZDrawViewSchema>;

/** Input of `draws.selected`: a page of the selected units, optionally only those matching `search`. */
export const ZDrawSelectedInputSchema = z.object({
  drawId: ZIdSchema,
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(20),
  /** A unit id (exactly) or part of a unit's name. */
  search: z.string().trim().max(100).optional(),
});

const ZOfficerSchema = z.object({ id: z.string(), name: z.string().nullable() });

/** One selected unit as the draw room lists it: by name, with its team (after replacements) by name. */
export const ZDrawSelectedRowSchema = z.object({
  sequence: z.number().int(),
  unitId: z.string(),
  /** Null when the unit is no longer on the roster. */
  unitName: z.string().nullable(),
  stratum: z.string(),
  reason: stringOf<SelectedUnitV2['reason']>(),
  key: z.string(),
  team: z.array(ZOfficerSchema),
  expert: ZOfficerSchema.nullable(),
});

/** What `draws.selected` returns. */
export const ZDrawSelectedPageSchema = z.object({
  rows: z.array(ZDrawSelectedRowSchema),
  /** How many selected units match (all of them without `search`). */
  total: z.number().int(),
});
/** {@link ZDrawSelectedPageSchema}. */
export type TDrawSelectedPage = z.infer<typeof ZDrawSelectedPageSchema>;

interface StoredOverload {
  kind?: 'inspector' | 'expert';
  id?: string;
  inspector?: string;
  load: number;
  capacity: number;
}

/** What a summary holds before its overloaded officers are named: a function of the result alone. */
interface StoredSummary {
  selected: number;
  strata: StratumOutcome[];
  certain: Record<string, number>;
  overloads: { kind: 'inspector' | 'expert'; id: string; load: number; capacity: number }[];
}

/** Summaries kept in this process, most recently used last, at most {@link SUMMARIES_KEPT}. */
const summaries = new Map<string, StoredSummary>();
const SUMMARIES_KEPT = 256;

/**
 * The summary of a drawn attempt's result; null before the draw. A drawn result never changes and
 * `resultDigest` is its SHA-256, so the part read from the result (counts, strata, overloads by id;
 * ~1.4 s for a city) is computed once per (draw, digest) and kept in a bounded in-process cache.
 * The officers' names are read fresh on each call (a rename shows at once). Replacements (§9.6)
 * change the teams, never the stored result: the summary is the draw's, as drawn.
 */
export async function drawSummaryOf(
  db: DbOrTx,
  draw: Pick<DrawHeader, 'id' | 'resultDigest'>,
): Promise<TDrawSummary | null> {
  if (!draw.resultDigest) return null;
  const key = `${draw.id}\u0000${draw.resultDigest}`;
  let stored = summaries.get(key);
  if (stored) {
    summaries.delete(key);
  } else {
    const read = await storedSummaryOf(db, draw.id);
    if (!read) return null;
    stored = read;
  }
  summaries.set(key, stored);
  if (summaries.size > SUMMARIES_KEPT) summaries.delete(summaries.keys().next().value!);
  const { overloads } = stored;
  const names = await officerNames(
    db,
    overloads.filter((o) => o.kind === 'inspector').map((o) => o.id),
    overloads.filter((o) => o.kind === 'expert').map((o) => o.id),
  );
  return {
    ...stored,
    strata: [...stored.strata],
    certain: { ...stored.certain },
    overloads: overloads.map((o) => ({
      ...o,
      name: (o.kind === 'expert' ? names.experts : names.inspectors).get(o.id) ?? null,
    })),
  };
}

/** Forgets every kept summary (tests). */
export function forgetDrawSummaries(): void {
  summaries.clear();
}

/** The summary of a drawn attempt's result without names, computed from the stored jsonb. */
async function storedSummaryOf(db: DbOrTx, drawId: string): Promise<StoredSummary | null> {
  // One pass over the selected units counts them and the mandatory ones per stratum (each
  // expression reading the column decompresses it again: about a second for a city's result).
  const [row] = await db
    .select({
      rest: sql<{ strata: StratumOutcome[]; overloads: StoredOverload[] }>`${draws.result} - 'selected'`,
      counts: sql<{ selected: number | null; certain: Record<string, number> | null }>`(
        SELECT jsonb_build_object(
          'selected', sum(c.n),
          'certain', jsonb_object_agg(c.stratum, c.mandatory) FILTER (WHERE c.mandatory > 0))
        FROM (SELECT s ->> 'stratum' AS stratum, count(*) AS n,
                     count(*) FILTER (WHERE s ->> 'reason' = 'mandatory') AS mandatory
              FROM jsonb_array_elements(${draws.result} -> 'selected') AS s GROUP BY 1) AS c)`,
    })
    .from(draws)
    .where(and(eq(draws.id, drawId), sql`${draws.result} IS NOT NULL`));
  if (!row) return null;
  return {
    selected: Number(row.counts.selected ?? 0),
    strata: row.rest.strata ?? [],
    certain: Object.fromEntries(Object.entries(row.counts.certain ?? {}).map(([k, n]) => [k, Number(n)])),
    overloads: (row.rest.overloads ?? []).map((o) => ({
      kind: o.kind ?? ('inspector' as const),
      id: (o.id ?? o.inspector)!,
      load: o.load,
      capacity: o.capacity,
    })),
  };
}

/** The names of the given inspectors and experts. */
async function officerNames(db: DbOrTx, inspectorIds: string[], expertIds: string[]) {
  const people = inspectorIds.length
    ? await db
        .select({ id: inspectors.id, name: inspectors.name })
        .from(inspectors)
        .where(inArray(inspectors.id, [...new Set(inspectorIds)]))
    : [];
  const exp = expertIds.length
    ? await db
        .select({ id: experts.id, name: experts.name })
        .from(experts)
        .where(inArray(experts.id, [...new Set(expertIds)]))
    : [];
  return {
    inspectors: new Map(people.map((p) => [p.id, p.name])),
    experts: new Map(exp.map((e) => [e.id, e.name])),
  };
}

/** `LIKE` pattern matching `text` anywhere, with its wildcards taken literally. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A page of a drawn attempt's selected units in draw order, read from the stored result with
 * `jsonb_array_elements … WITH ORDINALITY` (the result is not loaded here): each unit by name,
 * its team after the draw's replacements (§9.6) and its expert by name, and how many match.
 */
export async function selectedPageOf(
  db: DbOrTx,
  draw: Pick<DrawHeader, 'id'>,
  page: { offset: number; limit: number; search?: string | undefined },
): Promise<TDrawSelectedPage> {
  const search = page.search?.trim() || undefined;
  const elements = sql`(SELECT e.s, e.ord FROM ${draws}, jsonb_array_elements(${draws.result} -> 'selected') WITH ORDINALITY AS e(s, ord) WHERE ${draws.id} = ${draw.id})`;
  const matches = search
    ? sql`(sel.s ->> 'unit' = ${search} OR u.name ILIKE ${containing(search)})`
    : sql`TRUE`;
  const from = sql`${elements} AS sel LEFT JOIN ${units} AS u ON u.id = sel.s ->> 'unit'`;
  // The page and how many match in one statement (each read of the column decompresses the whole
  // result again): the window's count is taken before LIMIT/OFFSET.
  const rows = await executeRows<{ s: SelectedUnitV2 | string; name: string | null; n: number | string }>(
    db,
    sql`SELECT sel.s, u.name, count(*) OVER () AS n FROM ${from} WHERE ${matches} ORDER BY sel.ord LIMIT ${page.limit} OFFSET ${page.offset}`,
  );
  // A page past the end has no row to carry the count: counted apart (rare: a stale page).
  const total = rows.length
    ? Number(rows[0]!.n)
    : page.offset > 0
      ? Number(
          (
            await executeRows<{ n: number | string }>(
              db,
              sql`SELECT count(*) AS n FROM ${from} WHERE ${matches}`,
            )
          )[0]?.n ?? 0,
        )
      : 0;
  const selected = rows.map((r) => ({
    ...((typeof r.s === 'string' ? JSON.parse(r.s) : r.s) as SelectedUnitV2),
    name: r.name,
  }));
  // The replacement records of these units, in order (§9.6), applied to their drawn teams.
  const records = selected.length
    ? (
        await db
          .select({ record: drawReplacements.record })
          .from(drawReplacements)
          .where(
            and(
              eq(drawReplacements.drawId, draw.id),
              inArray(
                drawReplacements.unitId,
                selected.map((s) => s.unit),
              ),
            ),
          )
          .orderBy(asc(drawReplacements.number))
      ).map((r) => r.record)
    : [];
  const teams = teamsAfterReplacements({ result: { selected, strata: [], overloads: [] } }, records);
  const names = await officerNames(
    db,
    [...teams.values()].flat(),
    selected.flatMap((s) => (s.expert ? [s.expert] : [])),
  );
  return {
    rows: selected.map((s) => ({
      sequence: s.sequence,
      unitId: s.unit,
      unitName: s.name,
      stratum: s.stratum,
      reason: s.reason,
      key: s.key,
      team: (teams.get(s.unit) ?? s.team).map((id) => ({ id, name: names.inspectors.get(id) ?? null })),
      expert: s.expert ? { id: s.expert, name: names.experts.get(s.expert) ?? null } : null,
    })),
    total,
  };
}

/** The names of the units and inspectors that replacement records name, by id. */
export async function replacementNamesOf(
  db: DbOrTx,
  records: readonly Pick<ReplacementRecordV2, 'unit' | 'out' | 'in' | 'skipped'>[],
): Promise<{ units: Record<string, string>; inspectors: Record<string, string> }> {
  const unitIds = [...new Set(records.map((r) => r.unit))];
  const people = records.flatMap((r) => [r.out, r.in, ...r.skipped.map((s) => s[0])]);
  const unitRows = unitIds.length
    ? await db.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, unitIds))
    : [];
  const names = await officerNames(db, people, []);
  return {
    units: Object.fromEntries(unitRows.map((u) => [u.id, u.name])),
    inspectors: Object.fromEntries(names.inspectors),
  };
}
