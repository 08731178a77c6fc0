import { sql } from 'drizzle-orm';
import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { plans } from './plans';
import { users } from './users';
import type {
  AvoidanceReason,
  Commitment,
  CommitmentV2,
  DrawResult,
  DrawResultV2,
  ExcludedRow,
  FrameRow,
  FrameRowV2,
  InspectorRow,
  PersonRow,
  PublishedRandomness,
  PublishedRandomnessV2,
  SignOff,
  StratumMethod,
  VoidEnvelope,
} from '@spotcheck/core';

/**
 * What the rule-pack pipeline's simulated draws (rolled back with the simulation) store as their
 * commitment: the strata the engine selected from, nothing to verify.
 */
export interface SimulationCommitment {
  algorithm?: undefined;
  strata: { id: string; method: StratumMethod; quota: number }[];
}

/** A draw's commitment: sr-draw/v1, sr-draw/v2 (per `algorithm`), or a simulation's strata. */
export type StoredCommitment = Commitment | CommitmentV2 | SimulationCommitment;

/** Why each inspector excludes each unit: inspectorId → unitId → reasons. */
export type AvoidanceReasons = Record<string, Record<string, AvoidanceReason[]>>;

/**
 * One draw attempt 抽取 of a plan: commitment (frozen before randomness), then randomness,
 * result and sign-off. Never redone: an unusable draw is voided (with reason and a second
 * approver) and a new attempt needs a new commitment. At most one live attempt per plan.
 */
export const draws = pgTable(
  'draws',
  {
    id: uuid().notNull().defaultRandom(),
    planId: uuid().notNull(),
    /** The plan's bureau, so the database itself allows one commitment per (bureau, plan, attempt). */
    bureauCode: text().notNull(),
    attempt: integer().notNull(),
    /** `sr-draw/v1` (older draws, still verified and shown) or `sr-draw/v2`. */
    algorithm: text({ enum: ['sr-draw/v1', 'sr-draw/v2'] })
      .notNull()
      .default('sr-draw/v1'),
    status: text({ enum: ['committed', 'drawn', 'signed', 'void-requested', 'voided'] }).notNull(),
    commitment: jsonb().$type<StoredCommitment>().notNull(),
    /** Unique per bureau: the commitment names its plan and the plan's bureau, so per bureau is enough. */
    commitmentDigest: text().notNull(),
    /** Frame and inspector rows (published with the bundle). */
    frame: jsonb().$type<FrameRow[] | FrameRowV2[]>().notNull(),
    inspectorRows: jsonb().$type<InspectorRow[] | PersonRow[]>().notNull(),
    /** v2: excluded rows `[unitId, reason]` (every roster unit not in the frame) and expert rows. */
    excluded: jsonb().$type<ExcludedRow[]>(),
    expertRows: jsonb().$type<PersonRow[]>(),
    /** Why each inspector excludes each unit (kept by the platform, not needed to verify). */
    avoidanceReasons: jsonb().$type<AvoidanceReasons>().notNull().default({}),
    committedAt: timestamp({ withTimezone: true }).notNull(),
    committedBy: uuid()
      .notNull()
      .references(() => users.id),
    randomness: jsonb().$type<PublishedRandomness | PublishedRandomnessV2>(),
    result: jsonb().$type<DrawResult | DrawResultV2>(),
    resultDigest: text(),
    drawnAt: timestamp({ withTimezone: true }),
    drawnBy: uuid().references(() => users.id),
    /** v2 sign-off envelope `{signer:{id,name,keyId},signedAt,signature}`, signed in the official's browser. */
    signOff: jsonb().$type<SignOff>(),
    /** R24 sign-off of v1 draws: Ed25519 over the digests, with the signer's public key. */
    signature: text(),
    signerPublicKey: text(),
    signedAt: timestamp({ withTimezone: true }),
    signedBy: uuid().references(() => users.id),
    voidReason: text(),
    voidRequestedAt: timestamp({ withTimezone: true }),
    voidRequestedBy: uuid().references(() => users.id),
    voidApprovedAt: timestamp({ withTimezone: true }),
    voidApprovedBy: uuid().references(() => users.id),
    /** v2 void: reason id from the published list, and the second official's signed envelope. */
    voidReasonId: text(),
    voidSignOff: jsonb().$type<VoidEnvelope>(),
    /** v2 void: whether the attempt's randomness existed (was public) when the void was requested. */
    voidAfterRandomness: boolean(),
    /** Digest of the published bundle of a voided v2 attempt (what `previous.bundleDigest` names). */
    voidBundleDigest: text(),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code with its plan (SCALING.md).
  // The plan is in the draw's bureau, so the per-bureau keys refuse what the plan's keys did.
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    foreignKey({
      name: 'draws_plan_fk',
      columns: [t.bureauCode, t.planId],
      foreignColumns: [plans.bureauCode, plans.id],
    }),
    index().on(t.planId),
    uniqueIndex('draws_one_live_attempt_per_plan')
      .on(t.bureauCode, t.planId)
      .where(sql`status <> 'voided'`),
    uniqueIndex('draws_bureau_plan_attempt').on(t.bureauCode, t.planId, t.attempt),
    unique('draws_commitment_digest_unique').on(t.bureauCode, t.commitmentDigest),
  ],
);
