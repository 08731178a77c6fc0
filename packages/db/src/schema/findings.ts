import { date, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { bureaus } from './bureaus';
import { results } from './results';
import type { EvidenceFile } from '@spotcheck/core';

/** One finding 检查发现 of a result, per checklist item: violation, hazard or major hazard. */
export const findings = pgTable(
  'findings',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The result's bureau (its plan's): the distribution column. */
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    resultId: uuid()
      .notNull()
      .references(() => results.id),
    checklistItemCode: text(),
    kind: text({ enum: ['violation', 'hazard', 'major-hazard'] }).notNull(),
    description: text().notNull(),
    /** R17: enforcement record reference (立案/处罚决定书 number). */
    enforcementAction: text(),
    rectificationDue: date(),
    /** Evidence files: `[{name, sha256, size, mime}]`. */
    evidence: jsonb().$type<EvidenceFile[]>().notNull().default([]),
  },
  (t) => [index().on(t.resultId)],
);
