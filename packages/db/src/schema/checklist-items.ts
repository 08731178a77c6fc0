import { index, integer, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { checklistVersions } from './checklist-versions';

/** One 随机抽查重点事项: subject 检查主体, item 检查项目, content 检查内容, legal basis 检查依据. */
export const checklistItems = pgTable(
  'checklist_items',
  {
    id: uuid().primaryKey().defaultRandom(),
    versionId: uuid()
      .notNull()
      .references(() => checklistVersions.id, { onDelete: 'cascade' }),
    /** Stable item code across versions, e.g. `TJ-WH-003`. */
    code: text().notNull(),
    subject: text().notNull(),
    item: text().notNull(),
    content: text().notNull(),
    legalBasis: text().notNull(),
    /** Industries the item applies to; empty means all. */
    industries: text().array().notNull().default([]),
    inspectionKinds: text().array().notNull().default([]),
    /** Risk grades the item applies to; empty means all (e.g. a major-hazard item for major/high risk). */
    riskGrades: text().array().notNull().default([]),
    sortOrder: integer().notNull().default(0),
  },
  (t) => [unique().on(t.versionId, t.code), index().on(t.versionId)],
);
