import {
  bigint,
  bigserial,
  date,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { enforcementCases } from './enforcement-cases';
import { users } from './users';
import type { CaseStepDetail, EvidenceFile } from '@spotcheck/core';

/**
 * One dated step of an enforcement case (append-only): `filed` 立案, `investigated` 调查终结,
 * `decided` 处罚决定, `closed` 执行完毕/结案, or a `correction` of an earlier step's details
 * (naming the step it corrects and why). Documents are evidence uploads `[{name, sha256, size, mime}]`.
 */
export const enforcementCaseSteps = pgTable(
  'enforcement_case_steps',
  {
    id: bigserial({ mode: 'number' }).notNull(),
    /** The parent's bureau (copied on insert): the distribution column. */
    bureauCode: text().notNull(),
    caseId: uuid().notNull(),
    step: text({ enum: ['filed', 'investigated', 'decided', 'closed', 'correction'] }).notNull(),
    /** The day the step took effect (China calendar date). */
    on: date().notNull(),
    note: text().notNull().default(''),
    /** Step-specific details (decision number, amount, execution…). */
    detail: jsonb().$type<CaseStepDetail>().notNull().default({}),
    documents: jsonb().$type<EvidenceFile[]>().notNull().default([]),
    /** For a correction: the step it corrects. */
    correctsStepId: bigint({ mode: 'number' }),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    recordedBy: uuid()
      .notNull()
      .references(() => users.id),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code with its parent (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    foreignKey({
      name: 'enforcement_case_steps_case_fk',
      columns: [t.bureauCode, t.caseId],
      foreignColumns: [enforcementCases.bureauCode, enforcementCases.id],
    }),
    index().on(t.caseId),
  ],
);
