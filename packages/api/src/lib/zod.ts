import { z } from 'zod';
import { ROLES } from '@spotcheck/core';

/** A GB/T 2260 bureau code: 6 digits. */
export const ZBureauCodeSchema = z.string().regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 code');
/** A platform role. */
export const ZRoleSchema = z.enum(ROLES);
/** A UUID primary key. */
export const ZIdSchema = z.uuid('must be a UUID');
/** A calendar date `YYYY-MM-DD`. */
export const ZDateSchema = z.iso.date('must be a date YYYY-MM-DD');
/** An sr-draw/v1 identifier (unit, inspector, stratum, specialty). */
export const ZDrawIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'must be ASCII: letters, digits, . _ : - (max 64)');
/** Paging of list procedures. */
export const ZPageSchema = z.object({
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).default(0),
});
/** A period: `2027`, `2027-Q1` or `2027-03`. */
export const ZPeriodSchema = z
  .string()
  .regex(/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/, 'must be YYYY, YYYY-Qn or YYYY-MM');

/**
 * The patch schema of an object schema: every field optional and without its default, so a
 * patch that leaves a field out leaves it unchanged (zod's `.partial()` keeps defaults, which
 * would reset omitted fields such as flags, specialties or capacity).
 */
export function patchSchemaOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([k, v]) => [k, v instanceof z.ZodDefault ? v.unwrap() : v]),
  ) as { [K in keyof S]: S[K] extends z.ZodDefault<infer T> ? T : S[K] };
  return z.object(shape).partial();
}
