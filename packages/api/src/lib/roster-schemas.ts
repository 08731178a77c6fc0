import { z } from 'zod';
import {
  CREDIT_GRADES,
  INDUSTRY_IDS,
  INSPECTOR_STATUSES,
  RISK_GRADES,
  SPECIALTY_IDS,
  UNIT_NATURE_IDS,
  UNIT_SCALES,
  usccProblem,
} from '@spotcheck/core';
import { ZBureauCodeSchema, ZDateSchema, ZDrawIdSchema } from './zod';

/** A unified social credit code, check digit verified. */
export const ZUsccSchema = z.string().superRefine((v, ctx) => {
  const problem = usccProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: `not a valid USCC: ${problem}` });
});

/** One unit of the target roster (R4), as created or imported. */
export const ZUnitSchema = z.object({
  id: ZUsccSchema,
  name: z.string().trim().min(1).max(200),
  nature: z.enum(UNIT_NATURE_IDS as [string, ...string[]]),
  industry: z.enum(INDUSTRY_IDS as [string, ...string[]]),
  scale: z.enum(UNIT_SCALES),
  employees: z.number().int().min(0).max(10_000_000),
  bureauCode: ZBureauCodeSchema,
  streetCode: z
    .string()
    .regex(/^\d{9}$/, 'must be a 9-digit street code')
    .nullish(),
  address: z.string().max(300).default(''),
  legalRepresentative: z.string().max(100).default(''),
  riskGrade: z.enum(RISK_GRADES),
  creditGrade: z.enum(CREDIT_GRADES),
  lastFatalAccidentOn: ZDateSchema.nullish(),
  majorHazard: z.boolean().default(false),
  majorHazardSource: z.boolean().default(false),
  trialProduction: z.boolean().default(false),
  resuming: z.boolean().default(false),
  blacklisted: z.boolean().default(false),
  jointPunishment: z.boolean().default(false),
  keyUnit: z.boolean().default(false),
  crowdedPlace: z.boolean().default(false),
  dustExplosion: z.boolean().default(false),
  confinedSpace: z.boolean().default(false),
  lastInspectedOn: ZDateSchema.nullish(),
});
/** A unit as validated. */
export type TUnit = z.infer<typeof ZUnitSchema>;

/** One officer of the inspector roster (R3). */
export const ZInspectorSchema = z.object({
  id: ZDrawIdSchema,
  certificateNo: z.string().trim().min(1).max(64),
  name: z.string().trim().min(1).max(100),
  bureauCode: ZBureauCodeSchema,
  department: z.string().trim().min(1).max(200),
  specialties: z
    .array(z.enum(SPECIALTY_IDS as [string, ...string[]]))
    .max(20)
    .default([]),
  equipment: z.array(z.string().min(1).max(64)).max(50).default([]),
  status: z.enum(INSPECTOR_STATUSES).default('active'),
  capacityPerQuarter: z.number().int().min(1).max(500).default(12),
  joinedOn: ZDateSchema.nullish(),
  leftOn: ZDateSchema.nullish(),
});
/** An inspector as validated. */
export type TInspector = z.infer<typeof ZInspectorSchema>;

/** One expert of the expert library (R5). */
export const ZExpertSchema = z.object({
  id: ZDrawIdSchema,
  name: z.string().trim().min(1).max(100),
  bureauCode: ZBureauCodeSchema.nullish(),
  specialties: z
    .array(z.enum(SPECIALTY_IDS as [string, ...string[]]))
    .max(20)
    .default([]),
  title: z.string().max(100).default(''),
  employer: z.string().max(200).default(''),
  status: z.enum(['active', 'inactive']).default('active'),
});
/** An expert as validated. */
export type TExpert = z.infer<typeof ZExpertSchema>;

/** One checklist item (R1). */
export const ZChecklistItemSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be an ASCII code like TJ-WH-003'),
  subject: z.string().trim().min(1).max(200),
  item: z.string().trim().min(1).max(300),
  content: z.string().trim().min(1).max(2000),
  legalBasis: z.string().trim().min(1).max(2000),
  industries: z.array(z.enum(INDUSTRY_IDS as [string, ...string[]])).default([]),
  inspectionKinds: z.array(z.enum(['general', 'key', 'covert'])).default([]),
  /** Risk grades the item applies to (e.g. a risk-control item for major and high risk); empty: all. */
  riskGrades: z.array(z.enum(RISK_GRADES)).default([]),
  sortOrder: z.number().int().min(0).max(100000).default(0),
});
/** A checklist item as validated. */
export type TChecklistItem = z.infer<typeof ZChecklistItemSchema>;
