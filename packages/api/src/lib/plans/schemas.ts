import { z } from 'zod';
import { INDUSTRY_IDS, INSPECTION_KINDS, RISK_GRADES, type Industry } from '@spotcheck/core';
import { patchSchemaOf, ZBureauCodeSchema, ZDrawIdSchema, ZIdSchema, ZPeriodSchema } from '../zod';

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
  industries: z.array(z.enum(INDUSTRY_IDS as [Industry, ...Industry[]])).optional(),
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

const HEX64 = /^[0-9a-f]{64}$/;

/** An unpinned drand chain's parameters (the demo beacon); `chain = sha256hex(info)`. */
export const ZDrandInfoSchema = z.strictObject({
  publicKey: z.string().regex(/^[0-9a-f]{192}$/, 'expected a compressed G2 key, 192 lowercase hex digits'),
  genesis: z.number().int().min(0),
  period: z.number().int().min(1),
  scheme: z.literal('bls-unchained-g1-rfc9380'),
});

/**
 * A randomness source named before it exists (sr-draw/v2 §2): a drand round (required), or a
 * lottery draw by game, issue and draw date (UTC+8) added beside it.
 */
export const ZSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('drand'),
    chain: z.string().regex(HEX64, 'expected the chain hash, 64 lowercase hex digits'),
    round: z.number().int().min(1),
    info: ZDrandInfoSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('lottery'),
    game: z.enum(['cwl-ssq', 'cwl-kl8', 'cwl-3d', 'sl-dlt', 'sl-pl3', 'sl-pl5']),
    issue: z.string().regex(/^[0-9]{5,10}$/, 'expected the issue number as published, e.g. 2027005'),
    drawDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD (UTC+8)'),
  }),
]);

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
  /** When the draw is planned; the sources must not exist before it. */
  plannedDrawAt: z.coerce.date().optional(),
  checklistVersionId: ZIdSchema,
});
/** A plan as drafted. */
export type TPlanCreate = z.infer<typeof ZPlanCreateSchema>;

/** Input of `plans.update` (drafts only). */
export const ZPlanUpdateSchema = z.object({
  planId: ZIdSchema,
  patch: patchSchemaOf(ZPlanCreateSchema.omit({ bureauCode: true })),
});
