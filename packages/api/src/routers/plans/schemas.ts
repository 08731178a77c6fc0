import { z } from 'zod';
import { INDUSTRY_IDS, INSPECTION_KINDS, RISK_GRADES } from '@spotcheck/core';
import { ZBureauCodeSchema, ZDrawIdSchema, ZIdSchema, ZPeriodSchema } from '../../lib/zod';

/** A stratum as drafted: a fixed quota or an exact ratio ("5%", "1/20"). */
export const ZPlanStratumSchema = z
  .object({
    id: ZDrawIdSchema,
    method: z.enum(['srs', 'pareto']),
    quota: z.number().int().min(0).optional(),
    ratio: z.string().max(20).optional(),
  })
  .refine((s) => (s.quota === undefined) !== (s.ratio === undefined), 'give exactly one of quota or ratio');

/** Which units of the bureau a plan covers. */
export const ZPlanScopeSchema = z.object({
  industries: z.array(z.enum(INDUSTRY_IDS as [string, ...string[]])).optional(),
  riskGrades: z.array(z.enum(RISK_GRADES)).optional(),
  streetCodes: z.array(z.string().regex(/^\d{9}$/)).optional(),
});

/** Team rules of a plan. */
export const ZPlanTeamSchema = z.object({
  size: z.number().int().min(2).max(10).default(2),
  specialist: z.boolean().default(true),
  /** Exclude inspectors from units of their own bureau (city-level plans). */
  ownJurisdiction: z.boolean().default(false),
  /** R8: a general inspection drawing units only, with the reason. */
  unitsOnlyReason: z.string().trim().min(4).max(500).optional(),
  /** R9: key inspections draw inspectors (default) or the visiting order only. */
  keyMode: z.enum(['random-inspectors', 'random-order']).optional(),
});

/** A randomness source named before it exists (lottery draw, drand round…). */
export const ZSourceSchema = z.object({
  kind: z.enum(['numbers', 'hex']),
  name: z.string().trim().min(1).max(100),
  issue: z.string().trim().min(1).max(100),
});

/** Input of `plans.create`. */
export const ZPlanCreateSchema = z.object({
  bureauCode: ZBureauCodeSchema,
  title: z.string().trim().min(1).max(200),
  period: ZPeriodSchema,
  kind: z.enum(INSPECTION_KINDS),
  scope: ZPlanScopeSchema.default({}),
  strata: z.array(ZPlanStratumSchema).max(50).default([]),
  team: ZPlanTeamSchema.default({ size: 2, specialist: true, ownJurisdiction: false }),
  sources: z.array(ZSourceSchema).min(1).max(10),
  checklistVersionId: ZIdSchema,
});
/** A plan as drafted. */
export type TPlanCreate = z.infer<typeof ZPlanCreateSchema>;

/** Input of `plans.update` (drafts only). */
export const ZPlanUpdateSchema = z.object({
  planId: ZIdSchema,
  patch: ZPlanCreateSchema.omit({ bureauCode: true }).partial(),
});
