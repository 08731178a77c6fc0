import { CREDIT_GRADES, INDUSTRY_IDS, RISK_GRADES, UNIT_NATURE_IDS, UNIT_SCALES } from '@spotcheck/core';
import { boolean, date, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { timestamps } from './_columns';
import { bureaus } from './bureaus';

/**
 * The target roster 随机抽查对象名录库 (R4). Current values of the facts the rule packs read;
 * every change is also kept as a dated record in `unit_facts`.
 */
export const units = pgTable(
  'units',
  {
    /**
     * 18-character unified social credit code (统一社会信用代码). National: no two bureaus hold
     * the same code, which every write that adds a unit checks under a lock (`lib/roster-keys.ts`),
     * since the key is per bureau.
     */
    id: text().notNull(),
    name: text().notNull(),
    nature: text({ enum: UNIT_NATURE_IDS as [string, ...string[]] }).notNull(),
    industry: text({ enum: INDUSTRY_IDS as [string, ...string[]] }).notNull(),
    scale: text({ enum: UNIT_SCALES }).notNull(),
    employees: integer().notNull(),
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    streetCode: text(),
    address: text().notNull().default(''),
    legalRepresentative: text().notNull().default(''),
    riskGrade: text({ enum: RISK_GRADES }).notNull(),
    creditGrade: text({ enum: CREDIT_GRADES }).notNull(),
    lastFatalAccidentOn: date(),
    majorHazard: boolean().notNull().default(false),
    majorHazardSource: boolean().notNull().default(false),
    trialProduction: boolean().notNull().default(false),
    resuming: boolean().notNull().default(false),
    blacklisted: boolean().notNull().default(false),
    jointPunishment: boolean().notNull().default(false),
    keyUnit: boolean().notNull().default(false),
    crowdedPlace: boolean().notNull().default(false),
    dustExplosion: boolean().notNull().default(false),
    confinedSpace: boolean().notNull().default(false),
    lastInspectedOn: date(),
    /** When nature, industry and region were checked on entry (R4). */
    verifiedAt: timestamp({ withTimezone: true }),
    status: text({ enum: ['active', 'closed'] })
      .notNull()
      .default('active'),
    ...timestamps,
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code (SCALING.md).
  (t) => [
    // A bureau's roster in credit-code order: the units list pages by it (offset or keyset), and a
    // unit's facts and obligations reference it (they move with the unit: ON UPDATE CASCADE).
    primaryKey({ columns: [t.bureauCode, t.id] }),
    // A unit by its credit code alone (a form, a push, a task's unit; the national check when one
    // is added): the key leads with the bureau.
    index().on(t.id),
    index().on(t.bureauCode, t.industry),
    index().on(t.riskGrade),
    index().on(t.streetCode),
  ],
);
