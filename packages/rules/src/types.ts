/** Shared types of compiled packs, classifications and issues. */
import type { InspectionKind, Specialty } from '@spotcheck/core';
import type { Period, UnitFacts } from './facts';
import type { Hint, IssueCode } from './messages';
import type { ClassifyParams, ConditionJson, Manifest, PackDefaults } from './schema';

/**
 * A pack's content before validation: file path (relative to the pack directory, e.g.
 * `pack.json`, `rules/r11-high-risk.json`, `cases/r11.json`) → parsed JSON, or raw text to parse.
 * This is also the in-memory form the database stores for a published pack version.
 */
export interface PackSource {
  /** Where it came from, prefixed to file names in issues: `rules/tianjin/binhai`, `db:tianjin/binhai@1.2.0`. */
  readonly origin: string;
  readonly files: Readonly<Record<string, unknown>>;
}

/** A problem found while loading packs. Errors stop the load; warnings do not. */
export interface PackIssue {
  readonly severity: 'error' | 'warning';
  /** The file, including the pack origin. */
  readonly file: string;
  /** JSON path inside the file, e.g. `$.conditions.all[0].fact`; `$` for the whole file. */
  readonly path: string;
  /** Stable code of the message (`messages.ts`); user interfaces render it in their language. */
  readonly code: IssueCode;
  /** The message's parameters (fact names, values, rules, bounds). */
  readonly params: Readonly<Record<string, unknown>>;
  /** The English message (CLI, logs). */
  readonly message: string;
  /** A fix to try, as code and parameters. */
  readonly hint?: Hint;
  /** The fix in English, e.g. `did you mean "riskGrade"?`. */
  readonly suggestion?: string;
}

/** A validated rule, ready for the engine. */
export interface CompiledRule {
  /** Globally unique id `<pack>#<name>`, e.g. `tianjin/city#r11-high-risk`. */
  readonly id: string;
  readonly name: string;
  readonly pack: string;
  /** The rule file (with origin). */
  readonly file: string;
  readonly priority: number;
  /** 0 for the city (root) pack, 1 for a district pack. */
  readonly layer: number;
  /** Position in the composed pack (layer, then file name). */
  readonly order: number;
  readonly description: string;
  readonly source: string;
  readonly conditions: ConditionJson;
  readonly params: ClassifyParams;
}

/** A validated case: complete unit facts and the expected outcome. */
export interface CompiledCase {
  readonly file: string;
  readonly name: string;
  readonly period: Period;
  readonly facts: UnitFacts;
  readonly expect: Omit<ExpectedClassification, 'fired'>;
  /** Qualified rule ids expected to fire, when the case states them. */
  readonly fired?: readonly string[];
}

/** Fields a case may assert. */
export interface ExpectedClassification {
  stratum?: string;
  mandatory?: boolean;
  minPerYear?: number;
  maxPerYear?: number | null;
  ratio?: string;
  weight?: number | null;
  specialty?: Specialty | null;
  expert?: boolean;
  inspectionKind?: InspectionKind;
  fired?: string[];
}

/** One validated pack (not yet composed with the pack it extends). */
export interface CompiledPack {
  readonly id: string;
  readonly version: string;
  readonly manifest: Manifest;
  readonly source: PackSource;
  /** `packDigest` of the source. */
  readonly digest: string;
  readonly rules: readonly CompiledRule[];
  readonly cases: readonly CompiledCase[];
}

/** A leaf condition of a composed pack, as the fast path evaluates it. */
export interface LeafCondition {
  readonly fact: string;
  readonly operator: string;
  readonly value: unknown;
}

/** A district pack composed on its city pack (or a city pack alone): what gets evaluated. */
export interface ComposedPack {
  /** The id of the top pack (the district, or the city for a root pack). */
  readonly id: string;
  readonly version: string;
  /** GB/T 2260 code of the district the pack is for, if it names one. */
  readonly bureau?: string;
  /** Root first. */
  readonly chain: readonly CompiledPack[];
  /** Rules of the chain in evaluation order (`order`). */
  readonly rules: readonly CompiledRule[];
  readonly defaults: PackDefaults;
  /** Facts the rules read (base and derived). */
  readonly facts: readonly string[];
  /** Distinct leaf conditions, when every leaf compares a fact with a constant. */
  readonly leaves: readonly LeafCondition[];
  /** Whether `classifyMany` may use the truth-vector fast path, and why not. */
  readonly fastPath: { readonly eligible: boolean; readonly reasons: readonly string[] };
}

/** Why a unit is mandatory: one entry per fired mandatory rule. */
export interface MandatoryReason {
  readonly rule: string;
  readonly reason: string;
}

/** The classification of one unit for one period. */
export interface Classification {
  readonly stratum: string;
  readonly mandatory: boolean;
  readonly reasons: readonly MandatoryReason[];
  readonly minPerYear: number;
  /** null: no cap. Never below minPerYear. */
  readonly maxPerYear: number | null;
  /** Exact yearly sampling ratio, as written in the deciding rule ("5%", "1/20"). */
  readonly ratio: string;
  /** null when no rule set a weight (draws then use 1). */
  readonly weight: number | null;
  readonly specialty: Specialty | null;
  readonly expert: boolean;
  readonly inspectionKind: InspectionKind;
  /** Ids of the rules that fired, in pack order. */
  readonly fired: readonly string[];
}
