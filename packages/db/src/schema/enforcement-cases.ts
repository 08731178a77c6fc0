import { sql } from 'drizzle-orm';
import {
  date,
  foreignKey,
  index,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { findings } from './findings';
import { users } from './users';

/** Stages of an enforcement case 行政处罚案件, in the only order they may be reached (R17). */
export const ENFORCEMENT_CASE_STAGES = ['filed', 'investigated', 'decided', 'closed'] as const;

/**
 * An enforcement case 行政处罚案件 opened from a finding (R17): 立案 → 调查 → 处罚决定 → 执行/结案.
 * The row holds the case's current state; every step is an append-only `enforcement_case_steps`
 * record, and a correction is a new step record, never an edit of an old one.
 */
export const enforcementCases = pgTable(
  'enforcement_cases',
  {
    id: uuid().notNull().defaultRandom(),
    // No key of its own to `bureaus`: the bureau-keyed one to its parent implies it (SCALING.md).
    bureauCode: text().notNull(),
    findingId: uuid().notNull(),
    /**
     * The finding's unit, which may have moved to another district since: not a foreign key (units
     * are keyed by bureau); taken from the finding's task when the case opens.
     */
    unitId: text().notNull(),
    /** 立案编号, unique within the bureau. */
    caseNumber: text().notNull(),
    stage: text({ enum: ENFORCEMENT_CASE_STAGES }).notNull(),
    checklistItemCode: text(),
    /** 处罚依据: the legal basis of the finding's checklist item, copied when the case is decided. */
    legalBasis: text(),
    /** 处罚决定书文号, unique within the bureau. */
    decisionNumber: text(),
    /** Fine in yuan (two decimals); 0 for a penalty without a fine (警告). */
    penaltyAmount: numeric({ precision: 14, scale: 2 }),
    filedOn: date().notNull(),
    investigatedOn: date(),
    decidedOn: date(),
    closedOn: date(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    foreignKey({
      name: 'enforcement_cases_finding_fk',
      columns: [t.bureauCode, t.findingId],
      foreignColumns: [findings.bureauCode, findings.id],
    }),
    index().on(t.bureauCode, t.stage),
    // One case per finding: a second 立案 for the same violation is refused (a finding belongs to
    // the case's bureau, so the bureau in the key changes nothing).
    uniqueIndex('enforcement_cases_one_per_finding').on(t.bureauCode, t.findingId),
    uniqueIndex('enforcement_cases_number').on(t.bureauCode, t.caseNumber),
    uniqueIndex('enforcement_cases_decision_number')
      .on(t.bureauCode, t.decisionNumber)
      .where(sql`${t.decisionNumber} is not null`),
  ],
);
