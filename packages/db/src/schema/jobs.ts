import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './users';

/**
 * One run of a scheduled job (quarterly publication, reminders, blacklist publication…), whether
 * started by its schedule, by hand or as a retry. The admin's job page reads the latest runs.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    trigger: text({ enum: ['schedule', 'manual', 'retry'] }).notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    finishedAt: timestamp({ withTimezone: true }),
    outcome: text({ enum: ['running', 'ok', 'failed'] }).notNull(),
    /** What the run did, for people: counts and references. */
    summary: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    error: text(),
    /** How many runs of this job in a row had failed before this one. */
    attempt: integer().notNull().default(1),
    requestedBy: uuid().references(() => users.id),
  },
  (t) => [index().on(t.name, t.startedAt)],
);

/** Reminders to a bureau (a publication due soon, or overdue); one per subject and level. */
export const reminders = pgTable(
  'reminders',
  {
    id: uuid().notNull().defaultRandom(),
    bureauCode: text().notNull(),
    /** What it is about, e.g. `quarterly-results`. */
    kind: text().notNull(),
    /** The subject, e.g. the period `2026-Q3`. */
    subject: text().notNull(),
    /** `due-soon` or `overdue`. */
    level: text({ enum: ['due-soon', 'overdue'] }).notNull(),
    dueOn: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    /** Set when the subject was done (the publication went out). */
    resolvedAt: timestamp({ withTimezone: true }),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    uniqueIndex('reminders_subject_uq').on(t.bureauCode, t.kind, t.subject, t.level),
  ],
);
