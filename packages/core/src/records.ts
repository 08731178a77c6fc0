/**
 * Shapes of the JSON the platform stores in jsonb columns (packages/db types each column with one
 * of these). The draw records themselves (commitments, frames, results, envelopes) are the sr-draw
 * types of `./draw`; these are the platform's own records around them.
 */
import type { Industry, RiskGrade } from './domain';

/** Any JSON value, as a jsonb column reads back. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object, as a jsonb column holding a record reads back. */
export type JsonObject = { [key: string]: JsonValue };

/** An uploaded evidence file as findings and case, blacklist and supervision steps keep it. */
export interface EvidenceFile {
  /** Lowercase hex SHA-256 of the bytes (the file's address in the evidence store). */
  sha256: string;
  size: number;
  mime: string;
  name: string;
}

/** Reason categories for withholding a field from the public (R16). */
export const REDACTION_REASONS = ['state-secret', 'commercial-secret', 'personal-privacy', 'other'] as const;
export type RedactionReason = (typeof REDACTION_REASONS)[number];

/** One withheld field of a record (R16). */
export interface Redaction {
  field: string;
  reason: RedactionReason;
  note?: string | null;
}

/** Why a unit is mandatory: one entry per fired mandatory rule. */
export interface ObligationReason {
  rule: string;
  reason: string;
}

/** Which units of the bureau a plan covers (`plans.scope`). */
export interface PlanScope {
  industries?: Industry[];
  riskGrades?: RiskGrade[];
  streetCodes?: string[];
}

/** A stratum as drafted (`plans.strata`): a fixed quota or an exact ratio ("5%", "1/20"). */
export interface PlanStratum {
  id: string;
  method: 'srs' | 'pareto';
  quota?: number;
  ratio?: string;
}

/** Team rules of a plan (`plans.team`). */
export interface PlanTeam {
  size: number;
  specialist: boolean;
  /** Exclude inspectors from units of their own bureau (city-level plans). */
  ownJurisdiction: boolean;
  /** R8: a general inspection drawing units only, with the reason. */
  unitsOnlyReason?: string;
  /** R9: key inspections draw inspectors (default) or the visiting order only. */
  keyMode?: 'random-inspectors' | 'random-order';
}

/**
 * Kind-specific detail of a dated unit fact (`unit_facts.value`): `active` for flags (major
 * hazard, blacklist…), `on` for a fatal accident's date, `grade` for risk and credit grades, and
 * references to where the fact came from.
 */
export interface UnitFactValue {
  active?: boolean;
  on?: string | null;
  /** A risk grade (`RiskGrade`) or a credit grade (`CreditGrade`), as the roster held it. */
  grade?: string | null;
  deaths?: number;
  reason?: string;
  /** The result or finding that recorded it. */
  result?: string;
  finding?: string | null;
  listedSupervision?: boolean;
  decisionNumber?: string | null;
  reference?: string | null;
}

/** A bureau's 随机抽查制度 (R6) (`procedures.content`). */
export interface ProcedureContent {
  leadingGroup: string;
  planTemplate: string;
  steps: string[];
  frequency: string;
  resultsUse: string;
  publication: string;
  leadDepartment: string;
  duties: string;
}

/**
 * What a publication stores (`publications.content`): a JSON object whose shape depends on the
 * publication's `kind` (the content builders in packages/api/src/lib/publications*.ts); readers
 * narrow it by kind.
 */
export type PublicationContent = object;

/** A rule pack version as stored (`rule_pack_versions.content`): its files by path. */
export interface RulePackContent {
  files: Record<string, unknown>;
}

/**
 * Step-specific details of an enforcement case step (`enforcement_case_steps.detail`): the case
 * number when filed, the decision when decided, the execution when closed; a correction carries
 * the corrected fields.
 */
export interface CaseStepDetail {
  caseNumber?: string;
  decisionNumber?: string | null;
  /** Yuan, as the numeric column reads (a decimal string). */
  penaltyAmount?: string | null;
  legalBasis?: string | null;
  checklistItem?: string;
  execution?: string;
}

/** Step-specific details of a blacklist proceeding step (`blacklist_proceeding_steps.detail`). */
export interface BlacklistStepDetail {
  reason?: string;
  origin?: string;
  findingId?: string | null;
  noticeNumber?: string;
  objectionDays?: number;
  objectionEndsOn?: string;
  decisionNumber?: string | null;
  publicationId?: string;
}

/** Step-specific details of a supervision event (`supervision_events.detail`). */
export interface SupervisionEventDetail {
  /** `listed`: the rectification deadline, the publication and what it withholds. */
  deadline?: string;
  /** `listed`, `close-approved`: the publication made (null when closing published nothing). */
  publicationId?: string | null;
  redactions?: Redaction[];
  /** `review`: whether the evidence passed. */
  passed?: boolean;
  /** `close-approved`: whether the unit's major-hazard flag was cleared. */
  majorHazardCleared?: boolean;
}
