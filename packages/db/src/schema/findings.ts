import { date, foreignKey, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { results } from './results';
import type { EvidenceFile } from '@spotcheck/core';

/** One finding 检查发现 of a result, per checklist item: violation, hazard or major hazard. */
export const findings = pgTable(
  'findings',
  {
    id: uuid().notNull().defaultRandom(),
    /** The result's bureau (its plan's): the distribution column. */
    // No key of its own to `bureaus`: the bureau-keyed one to its parent implies it (SCALING.md).
    bureauCode: text().notNull(),
    resultId: uuid().notNull(),
    checklistItemCode: text(),
    kind: text({ enum: ['violation', 'hazard', 'major-hazard'] }).notNull(),
    description: text().notNull(),
    /** R17: enforcement record reference (立案/处罚决定书 number). */
    enforcementAction: text(),
    rectificationDue: date(),
    /** Evidence files: `[{name, sha256, size, mime}]`. */
    evidence: jsonb().$type<EvidenceFile[]>().notNull().default([]),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code with its result (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    foreignKey({
      name: 'findings_result_fk',
      columns: [t.bureauCode, t.resultId],
      foreignColumns: [results.bureauCode, results.id],
    }),
    index().on(t.resultId),
  ],
);
