import { and, asc, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import { isValidKeyName } from '@spotcheck/core/log';
import { logCheckpoints, logLeaves, logWitnesses, publications } from '@spotcheck/db';
import { fail } from '../../lib/errors';
import { publishWitnessRegistry } from '../../log/witness-registry';
import { DEMO_WITNESSES } from '../../log/local-witnesses';
import { ZBureauCodeSchema, ZIdSchema } from '../../lib/zod';
import { signatureRecordLeaf } from '../../lib/signature-record';
import { registryHeadOf } from '../../log/proofs';
import {
  activeWitnesses,
  allWitnesses,
  assertIndependentWitnessKey,
  checkpointBySize,
  consistencyBetween,
  describeCheckpoint,
  isRealIsoSeconds,
  latestCheckpoint,
  logEntries,
  publicationInclusion,
  signedCheckpointsOf,
  submitCosignature,
} from '../../log/transparency';
import { CITY_BUREAU, publicProcedure, roleProcedure, router } from '../../trpc';
import type { LogInclusion } from '@spotcheck/core/log';
import { rowSchema, typed } from '../../lib/outputs';

const ZSize = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const ZIsoSeconds = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'must be whole seconds UTC like 2027-01-01T00:00:00Z')
  // The pattern alone admits "2027-13-45T25:61:61Z", which parses to NaN (and 30 February, which
  // rolls over into March): refused here as input, not left to fail inside the co-signing.
  .refine(isRealIsoSeconds, 'must be a real time');
const ZBase64 = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const ZHex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');
const ZWitnessName = z
  .string()
  .refine(isValidKeyName, 'must be 1–64 printable ASCII characters without spaces or +');

/**
 * The public transparency log of publications (RFC 9162 shape): checkpoints, inclusion and
 * consistency proofs, entries for monitors, witness registry and co-signatures. Read by anyone;
 * witnesses are registered by the city.
 */
const ZWitnessKeySchema = z.object({ name: z.string(), publicKey: z.string(), label: z.string().optional() });
/** A signed checkpoint with its co-signatures and who witnessed it. */
const ZCheckpointSchema = z.object({
  id: z.number(),
  origin: z.string(),
  size: z.number(),
  rootHash: z.string(),
  time: z.string(),
  logKey: z.string(),
  signature: z.string(),
  cosignatures: z.array(
    z.object({ witness: z.string(), publicKey: z.string(), time: z.string(), signature: z.string() }),
  ),
  witnessedBy: z.array(ZWitnessKeySchema),
  witnessed: z.boolean(),
});
/** An inclusion proof (verified by the reader with packages/core, so only typed here) and its witnesses. */
const ZInclusionSchema = z.object({
  inclusion: typed<LogInclusion>().nullable(),
  witnessedBy: z.array(ZWitnessKeySchema),
  pending: z.boolean(),
});

export const transparencyRouter = router({
  /** The latest checkpoint with its co-signatures and who witnessed it (no login). */
  latest: publicProcedure.query(async ({ ctx }) => {
    const cp = await latestCheckpoint(ctx.db);
    return cp ? describeCheckpoint(ctx.db, cp) : null;
  }),

  /** The first checkpoint of a tree size (no login). */
  checkpoint: publicProcedure.input(z.object({ size: ZSize })).query(async ({ ctx, input }) => {
    const cp = await checkpointBySize(ctx.db, input.size);
    if (!cp) fail('NOT_FOUND', 'size', 'transparency.checkpointNotFound', { size: input.size });
    return describeCheckpoint(ctx.db, cp);
  }),

  /** Checkpoints, newest first (no login). */
  checkpoints: publicProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(500).default(50),
          beforeId: z.number().int().optional(),
        })
        .default({ limit: 50 }),
    )
    .output(z.array(ZCheckpointSchema))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db
        .select()
        .from(logCheckpoints)
        .where(input.beforeId !== undefined ? lt(logCheckpoints.id, input.beforeId) : undefined)
        .orderBy(desc(logCheckpoints.id))
        .limit(input.limit);
      const known = await allWitnesses(ctx.db);
      const signed = await signedCheckpointsOf(ctx.db, rows);
      return Promise.all(signed.map((s) => describeCheckpoint(ctx.db, s, known)));
    }),

  /**
   * The inclusion proof of a publication (no login): against the latest checkpoint, or against
   * the first checkpoint witnessed by enough witnesses (the `inclusion` of an sr-draw/v2 bundle).
   */
  inclusion: publicProcedure
    .input(
      z.object({
        publicationId: ZIdSchema,
        checkpoint: z.enum(['latest', 'first-witnessed']).default('latest'),
      }),
    )
    .output(ZInclusionSchema)
    .query(({ ctx, input }) => publicationInclusion(ctx.db, input.publicationId, input.checkpoint)),

  /**
   * The inclusion of a draw attempt's commitment publication in the first checkpoint witnessed by
   * enough witnesses (no login): SPEC §9.1's commitment time, found by the draw id, with the
   * commitment digest that publication states (a signature record's page compares it with the
   * commitment the record signs; null when the draw has no commitment publication).
   */
  commitmentInclusion: publicProcedure
    .input(z.object({ drawId: z.string().min(1).max(100) }))
    .output(
      ZInclusionSchema.extend({
        publicationId: z.string().nullable(),
        commitmentDigest: z.string().nullable(),
      }),
    )
    .query(async ({ ctx, input }) => {
      // The id only: a city's commitment content is 10^8 bytes (a member read from it would
      // unpack all of it), and anyone may ask. The digest is the one its log leaf recorded.
      const [pub] = await ctx.db
        .select({ id: publications.id, leaf: logLeaves.leaf })
        .from(publications)
        .leftJoin(logLeaves, eq(logLeaves.publicationId, publications.id))
        .where(and(eq(publications.kind, 'commitment'), eq(publications.refId, input.drawId)))
        .orderBy(asc(publications.publishedAt))
        .limit(1);
      if (!pub)
        return {
          publicationId: null,
          commitmentDigest: null,
          inclusion: null,
          witnessedBy: [],
          pending: true,
        };
      return {
        publicationId: pub.id,
        commitmentDigest: pub.leaf
          ? ((JSON.parse(pub.leaf) as { subject?: string | null }).subject ?? null)
          : null,
        ...(await publicationInclusion(ctx.db, pub.id, 'first-witnessed')),
      };
    }),

  /**
   * The signature record of a draw's sign-off or of its void (§9.7, no login): the first leaf the
   * log holds of the record of the signature the draw's row names (else the first such leaf of the
   * draw: `signatureRecordLeaf`), with its inclusion in its first witnessed checkpoint (null while
   * none). `publicationId` null: the log holds no record (a draw signed before records).
   */
  signOffInclusion: publicProcedure
    .input(z.object({ drawId: ZIdSchema, of: z.enum(['draw', 'void']) }))
    .output(z.object({ publicationId: z.string().nullable(), inclusion: typed<LogInclusion>().nullable() }))
    .query(async ({ ctx, input }) => {
      const id = await signatureRecordLeaf(ctx.db, input.drawId, input.of);
      if (!id) return { publicationId: null, inclusion: null };
      return {
        publicationId: id,
        inclusion: (await publicationInclusion(ctx.db, id, 'first-witnessed')).inclusion,
      };
    }),

  /**
   * A bureau's newest key registry by the log's order (§9.7, no login): its publication, content
   * (null when the publication is gone) and inclusion in its first witnessed checkpoint (null while
   * none), with every earlier version in log order (`history`: an end once published is final);
   * null when the log holds no registry of the bureau.
   */
  registryHead: publicProcedure
    .input(z.object({ bureauCode: ZBureauCodeSchema }))
    .output(
      z
        .object({
          publicationId: z.string(),
          registry: z.unknown(),
          inclusion: typed<LogInclusion>().nullable(),
          history: z.array(z.object({ registry: z.unknown(), inclusion: typed<LogInclusion>().nullable() })),
        })
        .nullable(),
    )
    .query(({ ctx, input }) => registryHeadOf(ctx.db, input.bureauCode)),

  /** The consistency proof between two tree sizes (no login). */
  consistency: publicProcedure
    .input(z.object({ from: ZSize, to: ZSize }))
    .query(({ ctx, input }) => consistencyBetween(ctx.db, input.from, input.to)),

  /** Log entries with the publications they name as they read now, for monitors (no login). */
  entries: publicProcedure
    .input(z.object({ from: ZSize, limit: z.number().int().min(1).max(500).default(200) }))
    .query(async ({ ctx, input }) => {
      const [last] = await ctx.db
        .select({ seq: logLeaves.seq })
        .from(logLeaves)
        .orderBy(desc(logLeaves.seq))
        .limit(1);
      return { size: last ? last.seq + 1 : 0, entries: await logEntries(ctx.db, input.from, input.limit) };
    }),

  /** The witness registry (no login). */
  witnesses: publicProcedure
    .output(
      z.array(
        z.object({
          name: z.string(),
          label: z.string().optional(),
          publicKey: z.string(),
          addedAt: z.date(),
        }),
      ),
    )
    .query(async ({ ctx }) =>
      (await activeWitnesses(ctx.db)).map(({ name, label, publicKey, addedAt }) => ({
        name,
        label,
        publicKey,
        addedAt,
      })),
    ),

  /**
   * A witness co-signs a checkpoint (no login: the signature by a registered key is the
   * credential). Refused unless the signature is valid, the witness time is within ±30 s of the
   * checkpoint time, and the log is consistent with the witness's previous checkpoint.
   */
  cosign: publicProcedure
    .input(
      z.object({
        size: ZSize,
        checkpointTime: ZIsoSeconds,
        witness: ZWitnessName,
        publicKey: ZBase64,
        time: ZIsoSeconds,
        signature: ZBase64,
        previous: z.object({ size: ZSize, rootHash: ZHex64 }).nullish(),
      }),
    )
    .mutation(({ ctx, input }) => {
      // A demo witness's key derives from this server's own secret: on a production server its
      // co-signature would be the bureau witnessing itself, whatever the registry still says.
      if (ctx.production && DEMO_WITNESSES.some((w) => w.name === input.witness))
        fail('FORBIDDEN', 'witness', 'witness.demoInProduction', { name: input.witness });
      return submitCosignature(ctx.db, input, ctx.now());
    }),

  /** Registers a witness (city admin) and publishes the registry. */
  addWitness: roleProcedure(['city-admin'])
    .input(z.object({ name: ZWitnessName, label: z.string().trim().min(1).max(100), publicKey: ZBase64 }))
    .output(rowSchema(logWitnesses))
    .mutation(async ({ ctx, input }) => {
      ctx.access.bureau(CITY_BUREAU);
      if (ctx.production && DEMO_WITNESSES.some((w) => w.name === input.name))
        fail('BAD_REQUEST', 'name', 'witness.demoNameReserved', { name: input.name });
      const taken = await ctx.db.query.logWitnesses.findFirst({
        where: (x, { eq }) => eq(x.name, input.name),
      });
      if (taken)
        fail('CONFLICT', 'name', 'witness.nameTaken', { name: input.name, retired: !!taken.retiredAt });
      await assertIndependentWitnessKey(ctx.db, input.publicKey);
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        const [w] = await tx
          .insert(logWitnesses)
          .values({
            name: input.name,
            label: input.label,
            publicKey: input.publicKey,
            addedAt: now,
            addedBy: ctx.user.id,
          })
          .returning();
        const pub = await publishWitnessRegistry(tx, ctx.user.id, now);
        await ctx.audit(tx, {
          bureauCode: CITY_BUREAU,
          action: 'log.witness.add',
          entity: 'log_witnesses',
          entityId: w!.id,
          after: { name: w!.name, label: w!.label, publicKey: w!.publicKey, publicationId: pub.id },
        });
        return w!;
      });
    }),

  /** Retires a witness (city admin); its past co-signatures keep counting. */
  retireWitness: roleProcedure(['city-admin'])
    .input(z.object({ name: ZWitnessName }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      ctx.access.bureau(CITY_BUREAU);
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        const w = await tx.query.logWitnesses.findFirst({ where: (x, { eq }) => eq(x.name, input.name) });
        if (!w || w.retiredAt) fail('NOT_FOUND', 'name', 'witness.notFound', { name: input.name });
        await tx.update(logWitnesses).set({ retiredAt: now }).where(eq(logWitnesses.id, w.id));
        await publishWitnessRegistry(tx, ctx.user.id, now);
        await ctx.audit(tx, {
          bureauCode: CITY_BUREAU,
          action: 'log.witness.retire',
          entity: 'log_witnesses',
          entityId: w.id,
          before: { name: w.name },
          after: { retiredAt: now },
        });
        return { ok: true as const };
      });
    }),

  /** Every witness ever registered, with retirement (city admin). */
  allWitnesses: roleProcedure(['city-admin'])
    .output(z.array(rowSchema(logWitnesses)))
    .query(async ({ ctx }) => {
      ctx.access.bureau(CITY_BUREAU);
      return ctx.db.select().from(logWitnesses).orderBy(asc(logWitnesses.addedAt));
    }),
});
