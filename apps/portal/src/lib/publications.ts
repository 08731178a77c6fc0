/**
 * Shapes of published content (as the API publishes it) read defensively, and the small pure
 * derivations the pages show. Content is JSON from the server: every reader tolerates absence.
 */
import {
  CITY_BUREAU_CODE,
  type Commitment,
  commitmentDigestHex,
  type DrawBundle,
  sha256hex,
} from '@spotcheck/core';
import type { SignOff } from './verify';

/** Publication kinds, in the column's order. */
export const PUBLICATION_KINDS = [
  'checklist',
  'procedure',
  'commitment',
  'draw',
  'void',
  'quarterly-results',
  'blacklist',
] as const;

/** A kind of publication shown by the portal. */
export type PublicationKind = (typeof PUBLICATION_KINDS)[number];

/** The city bureau's code. */
export const CITY_CODE = CITY_BUREAU_CODE;

/** One item of a published checklist version. */
export interface ChecklistItem {
  code: string;
  subject: string;
  item: string;
  content: string;
  legalBasis: string;
  industries: string[];
  inspectionKinds: string[];
}

/** Content of a `checklist` publication. */
export interface ChecklistContent {
  version: number;
  digest: string;
  items: ChecklistItem[];
}

/** Content of a `commitment` publication: everything frozen before randomness. */
export interface CommitmentContent {
  commitment: Commitment;
  commitmentDigest: string;
  frame: DrawBundle['frame'];
  inspectors: DrawBundle['inspectors'];
}

/** Content of a `draw` publication. */
export interface DrawContent {
  bundle: DrawBundle;
  signOff: SignOff | null;
}

/** Content of a `void` publication (B2). */
export interface VoidContent {
  plan: string;
  attempt: number;
  commitmentDigest: string;
  resultDigest: string | null;
  reason: string;
  requestedBy: string;
  requestedAt: string | null;
  approvedBy: string;
  approvedAt: string;
}

/** A field withheld from the public (R16): shown as 依法不予公开 with its reason category. */
export interface Withheld {
  withheld: true;
  reason: string;
  reasonText: string;
}

/** One finding as published. */
export interface PublishedFinding {
  kind: string;
  checklistItemCode: string | null;
  description: string;
}

/** One inspected unit of a `quarterly-results` publication (redacted, R16). */
export interface QuarterlyItem {
  unit: { id: string; name: string; industry: string; bureauCode: string } | Withheld;
  /** Withheld (with everything else) when the unit is: the whole inspection is then withheld. */
  inspectedOn: string | Withheld;
  outcome: string | Withheld;
  team: { name: string; certificateNo: string }[] | Withheld;
  summary: string | Withheld;
  details: PublishedFinding[] | Withheld;
  /** Finding counts; null when the unit is withheld. */
  findings: { violation: number; hazard: number; majorHazard: number } | null;
  correction: boolean;
}

/** Content of a `quarterly-results` publication. */
export interface QuarterlyContent {
  period: string;
  inspected: number;
  supplement: boolean;
  items: QuarterlyItem[];
}

/** Whether a published value was withheld. */
export function isWithheld(x: unknown): x is Withheld {
  return typeof x === 'object' && x !== null && (x as { withheld?: unknown }).withheld === true;
}

function withheldOf(x: unknown): Withheld {
  const o = x as Record<string, unknown>;
  return { withheld: true, reason: str(o.reason), reasonText: str(o.reasonText) };
}

function obj(x: unknown): Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
}

const str = (x: unknown): string => (typeof x === 'string' ? x : '');
const num = (x: unknown): number => (typeof x === 'number' ? x : 0);
const strs = (x: unknown): string[] => (Array.isArray(x) ? x.filter((s) => typeof s === 'string') : []);

/** Reads a checklist publication's content. */
export function readChecklist(content: unknown): ChecklistContent {
  const c = obj(content);
  const items = Array.isArray(c.items) ? c.items : [];
  return {
    version: num(c.version),
    digest: str(c.digest),
    items: items.map((raw) => {
      const i = obj(raw);
      return {
        code: str(i.code),
        subject: str(i.subject),
        item: str(i.item),
        content: str(i.content),
        legalBasis: str(i.legalBasis),
        industries: strs(i.industries),
        inspectionKinds: strs(i.inspectionKinds),
      };
    }),
  };
}

/** Reads a quarterly-results publication's content. */
export function readQuarterly(content: unknown): QuarterlyContent {
  const c = obj(content);
  const items = Array.isArray(c.items) ? c.items : [];
  return {
    period: str(c.period),
    inspected: num(c.inspected),
    supplement: c.supplement === true,
    items: items.map((raw) => {
      const i = obj(raw);
      const u = obj(i.unit);
      // Counts: `counts` since redaction policy; earlier publications kept them in `findings`.
      const f = obj(i.counts ?? (Array.isArray(i.findings) ? {} : i.findings));
      return {
        unit: isWithheld(i.unit)
          ? withheldOf(i.unit)
          : { id: str(u.id), name: str(u.name), industry: str(u.industry), bureauCode: str(u.bureauCode) },
        inspectedOn: isWithheld(i.inspectedOn) ? withheldOf(i.inspectedOn) : str(i.inspectedOn),
        outcome: isWithheld(i.outcome) ? withheldOf(i.outcome) : str(i.outcome),
        team: isWithheld(i.team)
          ? withheldOf(i.team)
          : (Array.isArray(i.team) ? i.team : []).map((m) => ({
              name: str(obj(m).name),
              certificateNo: str(obj(m).certificateNo),
            })),
        summary: isWithheld(i.summary) ? withheldOf(i.summary) : str(i.summary),
        details: isWithheld(i.findings)
          ? withheldOf(i.findings)
          : (Array.isArray(i.findings) ? i.findings : []).map((x) => ({
              kind: str(obj(x).kind),
              checklistItemCode:
                typeof obj(x).checklistItemCode === 'string' ? str(obj(x).checklistItemCode) : null,
              description: str(obj(x).description),
            })),
        findings:
          i.counts === null
            ? null
            : { violation: num(f.violation), hazard: num(f.hazard), majorHazard: num(f.majorHazard) },
        correction: i.correction === true,
      };
    }),
  };
}

/** Content of a `blacklist` publication (R18), redacted to the unit's identity and sector (R16). */
export interface BlacklistContent {
  unit: { id: string; name: string; industry: string; bureauCode: string };
  reason: string;
  reasonText: string;
  /** 认定依据: why the unit is listed (every entry has one, whatever its origin). */
  basis: string;
  /** decided | pushed | imported | seeded (absent on older notices: decided). */
  origin: string;
  effectiveOn: string;
  finding: { kind: string; checklistItemCode: string | null; rectificationDue: string | null };
}

/** Reads a blacklist publication's content. */
export function readBlacklist(content: unknown): BlacklistContent {
  const c = obj(content);
  const u = obj(c.unit);
  const f = obj(c.finding);
  return {
    unit: { id: str(u.id), name: str(u.name), industry: str(u.industry), bureauCode: str(u.bureauCode) },
    reason: str(c.reason),
    reasonText: str(c.reasonText),
    basis: str(c.basis) || str(c.reasonText),
    origin: str(c.origin) || 'decided',
    effectiveOn: str(c.effectiveOn),
    finding: {
      kind: str(f.kind),
      checklistItemCode: typeof f.checklistItemCode === 'string' ? f.checklistItemCode : null,
      rectificationDue: typeof f.rectificationDue === 'string' ? f.rectificationDue : null,
    },
  };
}

/** Reads a void publication's content. */
export function readVoid(content: unknown): VoidContent {
  const c = obj(content);
  return {
    plan: str(c.plan),
    attempt: num(c.attempt),
    commitmentDigest: str(c.commitmentDigest),
    resultDigest: typeof c.resultDigest === 'string' ? c.resultDigest : null,
    reason: str(c.reason),
    requestedBy: str(c.requestedBy),
    requestedAt: typeof c.requestedAt === 'string' ? c.requestedAt : null,
    approvedBy: str(c.approvedBy),
    approvedAt: str(c.approvedAt),
  };
}

/** The key facts of a commitment a visitor should see, each digest re-checked in the browser. */
export interface CommitmentFacts {
  planId: string;
  bureau: string;
  period: string;
  kind: string;
  strata: { id: string; method: string; quota: number }[];
  frameCount: number;
  frameDigest: string;
  inspectorCount: number;
  inspectorsDigest: string;
  team: { assign: boolean; size: number; specialist: boolean } | null;
  sources: { kind: string; name: string; issue: string }[];
  rulePack: { id: string; version: string; digest: string } | null;
  checklist: { id: string; version: string; digest: string } | null;
  committedAt: string;
  commitmentDigest: string;
  /** `sr-draw/v1` or `sr-draw/v2`. */
  algorithm: string;
  /** The attempt of the plan (v2; 1 for v1). */
  attempt: number;
  /** v2: every rule pack (v1: the one pack). */
  rulePacks: { id: string; version: string; digest: string }[];
  /** v2: roster units left out of the frame, and experts. */
  excludedCount: number | null;
  excludedDigest: string;
  expertCount: number | null;
  expertsDigest: string;
  /** v2 sources as committed (drand/lottery), for display. */
  rawSources: unknown[];
  /** A covert plan (R10): only the digest, sources and time are public until it is executed. */
  sealed: boolean;
  /** The commitment document hashes to `commitmentDigest`. */
  digestMatches: boolean;
  /** The published frame rows hash to `frame.digest` and their count matches. */
  frameMatches: boolean | null;
  /** The published inspector rows hash to `inspectors.digest` and their count matches. */
  inspectorsMatch: boolean | null;
  /** v2: the published excluded and expert rows hash to their digests. */
  excludedMatch: boolean | null;
  expertsMatch: boolean | null;
}

function versionRef(x: unknown): { id: string; version: string; digest: string } | null {
  const r = obj(x);
  return r.id === undefined
    ? null
    : { id: str(r.id), version: String(r.version ?? ''), digest: str(r.digest) };
}

function safe<T>(f: () => T, otherwise: T): T {
  try {
    return f();
  } catch {
    return otherwise;
  }
}

/** Extracts and re-checks the facts of a commitment publication (or any bundle). */
export function commitmentFacts(content: unknown): CommitmentFacts {
  const c = obj(content);
  const commitment = obj(c.commitment);
  const plan = obj(commitment.plan);
  const frame = obj(commitment.frame);
  const insp = obj(commitment.inspectors);
  const excl = obj(commitment.excluded);
  const exps = obj(commitment.experts);
  const isV2 = str(commitment.algorithm) === 'sr-draw/v2';
  const team = obj(commitment.team);
  const published = str(c.commitmentDigest);
  const rows = (x: unknown, count: number, digest: string): boolean | null =>
    Array.isArray(x) ? x.length === count && safe(() => sha256hex(x) === digest, false) : null;
  return {
    planId: str(plan.id),
    bureau: str(plan.bureau),
    period: str(plan.period),
    kind: str(plan.kind),
    strata: (Array.isArray(commitment.strata) ? commitment.strata : []).map((s) => ({
      id: str(obj(s).id),
      method: str(obj(s).method),
      quota: num(obj(s).quota),
    })),
    frameCount: num(frame.count),
    frameDigest: str(frame.digest),
    inspectorCount: num(insp.count),
    inspectorsDigest: str(insp.digest),
    team:
      commitment.team === undefined
        ? null
        : { assign: team.assign === true, size: num(team.size), specialist: team.specialist === true },
    sources: (Array.isArray(commitment.sources) ? commitment.sources : []).map((s) => ({
      kind: str(obj(s).kind),
      name: str(obj(s).name),
      issue: str(obj(s).issue),
    })),
    rulePack: versionRef(commitment.rulePack),
    algorithm: str(commitment.algorithm),
    attempt: typeof plan.attempt === 'number' ? plan.attempt : 1,
    rulePacks: Array.isArray(commitment.rulePacks)
      ? commitment.rulePacks.map(versionRef).filter((r): r is NonNullable<typeof r> => r !== null)
      : [versionRef(commitment.rulePack)].filter((r): r is NonNullable<typeof r> => r !== null),
    excludedCount: isV2 ? num(excl.count) : null,
    excludedDigest: str(excl.digest),
    expertCount: isV2 ? num(exps.count) : null,
    expertsDigest: str(exps.digest),
    rawSources: Array.isArray(commitment.sources) ? commitment.sources : [],
    checklist: versionRef(commitment.checklist),
    committedAt: str(commitment.committedAt),
    commitmentDigest: published,
    sealed: c.sealed === true,
    digestMatches: safe(() => commitmentDigestHex(commitment as unknown as Commitment) === published, false),
    frameMatches: rows(c.frame, num(frame.count), str(frame.digest)),
    inspectorsMatch: rows(c.inspectors, num(insp.count), str(insp.digest)),
    excludedMatch: isV2 ? rows(c.excluded, num(excl.count), str(excl.digest)) : null,
    expertsMatch: isV2 ? rows(c.experts, num(exps.count), str(exps.digest)) : null,
  };
}

/** A publication header as `publications.list` returns it. */
export interface PublicationHeader {
  id: string;
  bureauCode: string;
  kind: string;
  refId: string;
  period: string | null;
  title: string;
  digest: string;
  replacesId: string | null;
  publishedAt: string | Date;
}

/** Ids of draws (publication `refId`) that a later void publication withdrew (B2). */
export function voidedDrawIds(voids: readonly PublicationHeader[]): Set<string> {
  return new Set(voids.filter((v) => v.kind === 'void').map((v) => v.refId));
}

/** Ids of publications replaced by a later one (corrections keep the old one visible). */
export function supersededIds(pubs: readonly PublicationHeader[]): Set<string> {
  return new Set(pubs.map((p) => p.replacesId).filter((x): x is string => !!x));
}

/**
 * Changes between two checklist versions by item code: added, removed, and changed (any of
 * subject, item, content, legal basis, industries or kinds differs).
 */
export function checklistDiff(
  older: readonly ChecklistItem[],
  newer: readonly ChecklistItem[],
): { added: string[]; removed: string[]; changed: string[] } {
  const a = new Map(older.map((i) => [i.code, i]));
  const b = new Map(newer.map((i) => [i.code, i]));
  const same = (x: ChecklistItem, y: ChecklistItem) =>
    x.subject === y.subject &&
    x.item === y.item &&
    x.content === y.content &&
    x.legalBasis === y.legalBasis &&
    [...x.industries].sort().join() === [...y.industries].sort().join() &&
    [...x.inspectionKinds].sort().join() === [...y.inspectionKinds].sort().join();
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    changed: [...b.entries()]
      .filter(([k, y]) => a.has(k) && !same(a.get(k)!, y))
      .map(([k]) => k)
      .sort(),
  };
}

/** A file name for a downloaded publication: `<kind>-<bureau>-<id8>.json`. */
export function downloadName(p: { kind: string; bureauCode: string; id: string }, suffix = ''): string {
  return `${p.kind}${suffix}-${p.bureauCode}-${p.id.slice(0, 8)}.json`;
}

/** Pretty JSON of a value, for download and display. */
export function prettyJson(x: unknown): string {
  return `${JSON.stringify(x, null, 2)}\n`;
}
