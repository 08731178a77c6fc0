import { SR_DRAW_V2, verifyBundle, type CommitmentV2, type DrawBundle } from '@spotcheck/core';
import { draws, experts, inspectors, units, users, type Db } from '@spotcheck/db';
import { eq, sql } from 'drizzle-orm';
import { drawSignatureMessage, verifyEd25519 } from '../auth/signing-keys';
import { CanonicalPiece } from './canonical';
import { executeRows, type DbOrTx } from './db';
import { publishWithheldReplacements } from './replacements';
import { publishSealedVoidsInFull } from './void-v2';
import { commitmentInclusionOf, registryOfSigning, withInclusion } from '../log/proofs';
import { publish, publishStored } from './publish';
import { drawRowPieces } from './stored-piece';
import type { DrawPublicationV2 } from './publications-v2';
import { redactInspector, redactUnit } from './redact';
import type { DrawHeader, DrawRow, PlanRow } from './workflow';
import { z } from 'zod';

/** One line of core's verifier report. */
export const ZVerificationCheckSchema = z.object({
  id: z.string(),
  status: z.enum(['pass', 'fail', 'warn', 'info']),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  message: z.string(),
});

/** Core's verifier report (sr-draw/v2 bundles, voids, replacements). */
export const ZVerificationReportSchema = z.object({
  algorithm: z.string(),
  ok: z.boolean(),
  checks: z.array(ZVerificationCheckSchema),
});

const ZOkReasonSchema = z.object({ ok: z.boolean(), reason: z.string().nullable() });

/** What `draws.verify` and `publications.verifyDraw` answer: v2 report lines, or v1's two checks. */
export const ZDrawVerificationSchema = z.discriminatedUnion('algorithm', [
  ZVerificationReportSchema.extend({ algorithm: z.literal('sr-draw/v2') }),
  ZVerificationReportSchema.extend({
    algorithm: z.literal('sr-draw/v1'),
    bundle: ZOkReasonSchema,
    signature: ZOkReasonSchema,
  }),
]);

/** R24 sign-off published beside a bundle: who signed what, verifiable with the public key. */
export interface SignOff {
  /** `Ed25519` over {@link drawSignatureMessage}(commitmentDigest, resultDigest). */
  algorithm: 'Ed25519';
  message: string;
  signature: string;
  /** Base64 SPKI DER. */
  publicKey: string;
  signer: string;
  signedAt: string;
}

/** The published sr-draw/v1 bundle of a drawn attempt (draws made before sr-draw/v2). */
export function bundleOf(draw: DrawRow): DrawBundle {
  const randomness = draw.randomness as DrawBundle['randomness'];
  return {
    algorithm: 'sr-draw/v1',
    commitment: draw.commitment as DrawBundle['commitment'],
    commitmentDigest: draw.commitmentDigest,
    frame: draw.frame as DrawBundle['frame'],
    inspectors: draw.inspectorRows as DrawBundle['inspectors'],
    randomness,
    result: draw.result as DrawBundle['result'],
    resultDigest: draw.resultDigest!,
  };
}

/** The sign-off of a signed draw. */
export async function signOffOf(db: DbOrTx, draw: DrawRow): Promise<SignOff | null> {
  if (!draw.signature || !draw.signerPublicKey || !draw.signedBy || !draw.resultDigest) return null;
  const [signer] = await db
    .select({ name: users.displayName })
    .from(users)
    .where(eq(users.id, draw.signedBy));
  return {
    algorithm: 'Ed25519',
    message: drawSignatureMessage(draw.commitmentDigest, draw.resultDigest).toString('utf8'),
    signature: draw.signature,
    publicKey: draw.signerPublicKey,
    signer: signer?.name ?? '',
    signedAt: draw.signedAt!.toISOString(),
  };
}

/** Outcome of {@link verifyPublishedDraw}. */
export interface DrawVerification {
  bundle: { ok: boolean; reason: string | null };
  signature: { ok: boolean; reason: string | null };
}

/** Recomputes a bundle (sr-draw/v1 §6) and checks the sign-off signature over its digests. */
export function verifyPublishedDraw(bundle: unknown, signOff: SignOff | null): DrawVerification {
  const outcome = verifyBundle(bundle);
  const b = bundle as Partial<DrawBundle>;
  let signature: DrawVerification['signature'];
  if (!signOff) signature = { ok: false, reason: 'the draw is not signed' };
  else if (!b.commitmentDigest || !b.resultDigest)
    signature = { ok: false, reason: 'the bundle lacks its digests' };
  else {
    const ok = verifyEd25519(
      signOff.publicKey,
      drawSignatureMessage(b.commitmentDigest, b.resultDigest),
      signOff.signature,
    );
    signature = { ok, reason: ok ? null : 'the signature does not match the digests and public key' };
  }
  return {
    bundle: outcome.ok ? { ok: true, reason: null } : { ok: false, reason: outcome.reason },
    signature,
  };
}

/**
 * The public names of a draw's selected units and team members (R15–R16 redaction: units by
 * name, sector and bureau; officers by name and certificate number). The bundle itself names
 * them by id only, which is all verification needs. The ids are read from the stored result by
 * PostgreSQL (a city draw selects 2·10^5 units; the result is not loaded here, issue 16).
 */
async function drawRoster(tx: DbOrTx, drawId: string) {
  // One statement: the selected ids are taken from the stored result once (it is ~6·10^7 bytes of
  // jsonb for a city, detoasted and expanded each time it is read; three reads were ~0.9 s more),
  // and the rows come as the driver gives them (no ORM mapping of 2·10^5 names, issue 16). The
  // units are looked up in id order: the index and the table are then read mostly in order (a
  // city's 234,421 lookups took 2.3 s in the result's order, 1.1 s sorted, in psql).
  const rows = await executeRows<{
    kind: 'u' | 'i' | 'e';
    id: string;
    name: string;
    a: string | null;
    b: string | null;
  }>(
    tx,
    sql`WITH sel AS MATERIALIZED (
        SELECT s ->> 'unit' AS unit, s -> 'team' AS team, s ->> 'expert' AS expert
        FROM ${draws}, jsonb_array_elements(${draws.result} -> 'selected') AS s WHERE ${draws.id} = ${drawId})
      SELECT 'u' AS kind, ${units.id} AS id, ${units.name} AS name, ${units.industry} AS a, ${units.bureauCode} AS b
        FROM (SELECT DISTINCT unit FROM sel ORDER BY unit) AS picked JOIN ${units} ON ${units.id} = picked.unit
      UNION ALL
      SELECT 'i', ${inspectors.id}, ${inspectors.name}, ${inspectors.certificateNo}, NULL
        FROM ${inspectors} WHERE ${inspectors.id} IN (SELECT jsonb_array_elements_text(team) FROM sel)
      UNION ALL
      SELECT 'e', ${experts.id}, ${experts.name}, NULL, NULL
        FROM ${experts} WHERE ${experts.id} IN (SELECT expert FROM sel)`,
  );
  const roster = {
    units: {} as Record<string, ReturnType<typeof redactUnit>>,
    inspectors: {} as Record<string, ReturnType<typeof redactInspector>>,
    experts: {} as Record<string, { name: string }>,
  };
  for (const r of rows) {
    if (r.kind === 'u')
      roster.units[r.id] = redactUnit({ id: r.id, name: r.name, industry: r.a!, bureauCode: r.b! });
    else if (r.kind === 'i') roster.inspectors[r.id] = redactInspector({ name: r.name, certificateNo: r.a! });
    else roster.experts[r.id] = { name: r.name };
  }
  return roster;
}

/**
 * Publishes a signed draw: the bundle with its sign-off and the public names (covert plans: once
 * executed). sr-draw/v2: {@link DrawPublicationV2}, with the registry the sign-off verifies against.
 */
export async function publishDraw(
  tx: DbOrTx,
  plan: PlanRow,
  draw: DrawHeader,
  by: string | null,
  at: Date,
  /**
   * The database itself: the bundle's rows are hashed on a connection of their own while the
   * publication is built, when that connection sees the rows as this transaction does
   * ({@link publishStored}).
   */
  options: { beside?: Db } = {},
) {
  if (draw.algorithm === SR_DRAW_V2) {
    // The commitment's inclusion in its first witnessed checkpoint (§9.1) and the registry's
    // (§9.7) go with the bundle when they exist by now (the portal fetches them otherwise).
    // The registry in force when the draw was signed (a covert plan's is published once executed,
    // maybe after a key rotation: the sign-off still verifies against the registry of its time).
    // (Its proof dates it before the sign-off; the earlier versions that first logged its entries
    // prove each key's own log time.)
    const { registry, registryInclusion, registryHistory } = await registryOfSigning(
      tx,
      plan.bureauCode,
      draw.signedAt,
    );
    // The bundle's rows (~10^8 bytes of JSON for a city) stay in the database: PostgreSQL copies
    // them into the publication, and the digest reads them in batches (issue 16).
    const rows = drawRowPieces(draw.id);
    const bundle = withInclusion(
      {
        algorithm: SR_DRAW_V2,
        commitment: draw.commitment as CommitmentV2,
        commitmentDigest: draw.commitmentDigest,
        frame: rows.frame,
        excluded: rows.excluded,
        inspectors: rows.inspectors,
        experts: rows.experts,
        randomness: draw.randomness,
        result: rows.result,
        resultDigest: draw.resultDigest!,
        signOff: draw.signOff,
      },
      await commitmentInclusionOf(tx, draw.id),
    );
    const content: Omit<DrawPublicationV2, 'bundle' | 'roster'> & { bundle: object; roster: CanonicalPiece } =
      {
        algorithm: SR_DRAW_V2,
        bundle,
        registry,
        ...(registryInclusion ? { registryInclusion } : {}),
        ...(registryHistory.length ? { registryHistory } : {}),
        // Its canonical text only: neither the names' objects nor a JSON round trip of them stay
        // alive while the bundle's rows are hashed (the peak of a city's sign-off, issue 16).
        roster: CanonicalPiece.of(await drawRoster(tx, draw.id)).withoutValue(),
        demoBeacon: bundle.commitment.sources.some((s) => s.kind === 'drand' && s.info !== undefined),
      };
    const pub = await publishStored(
      tx,
      {
        bureauCode: plan.bureauCode,
        kind: 'draw',
        refId: draw.id,
        period: plan.period,
        title: `${plan.title}（抽取结果 第${draw.attempt}次）`,
        content,
        by,
        at,
      },
      options,
    );
    // Replacements a covert plan withheld while sealed (§9.6) follow the draw into the record,
    // and so do its voided attempts (§9.4), published sealed until now.
    await publishWithheldReplacements(tx, plan, draw, by, at);
    await publishSealedVoidsInFull(tx, plan, by, at);
    return pub;
  }
  // sr-draw/v1 (draws made before v2, a district's size): the whole row.
  const [full] = await tx.select().from(draws).where(eq(draws.id, draw.id));
  return publish(tx, {
    bureauCode: plan.bureauCode,
    kind: 'draw',
    refId: draw.id,
    period: plan.period,
    title: `${plan.title}（抽取结果 第${draw.attempt}次）`,
    content: {
      bundle: bundleOf(full!),
      signOff: await signOffOf(tx, full!),
      roster: await drawRoster(tx, draw.id),
    },
    by,
    at,
  });
}
