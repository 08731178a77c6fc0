/**
 * What a void of an sr-draw/v2 attempt publishes (§9.4): the attempt's whole bundle, with its
 * randomness and result whenever its sources exist — computed by the platform even if nobody
 * pressed "draw" — and the signed void. `sha256hex` of that bundle is what the next attempt's
 * `previous.bundleDigest` names.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import {
  randomnessStringV2,
  sourceTime,
  type CommitmentV2,
  type DrawBundleV2,
  type FrameRowV2,
  type PersonRow,
  type SourceSpecV2,
  type SourceValueV2,
  type VoidEnvelope,
  type VoidedBundleV2,
} from '@spotcheck/core';
import { commitmentInclusionOf, registryOfSigning, withInclusion } from '../log/proofs';
import { copyOutText, draws, publications, users, type Db } from '@spotcheck/db';
import type { Context } from '../trpc';
import type { DbOrTx } from './db';
import { checkEnteredValue, computeAttemptResult, describeSource, VOID_REASONS } from './draw-v2';
import { fail, notFound } from './errors';
import { DigestOf, digestOfStored, publish, publishStored } from './publish';
import { drawRowPieces } from './stored-piece';
import type { SealedVoidPublicationV2, VoidPublicationV2 } from './publications-v2';
import {
  drawHeaderColumns,
  drawStep,
  sealedNow,
  type DrawHeader,
  type DrawRow,
  type PlanRow,
} from './workflow';

/** The randomness stored on a draw row. */
export interface StoredRandomness {
  values: SourceValueV2[];
  string: string;
}

/** Whether every source of an attempt exists at `now` (its time has come). */
export function sourcesExist(sources: readonly SourceSpecV2[], now: Date): boolean {
  return sources.every((s) => sourceTime(s) <= now.getTime() / 1000);
}

/**
 * Values of the sources of an attempt: the ones given, and drand rounds the server's beacon can
 * fetch. Each is checked as if typed (its time has come; drand signatures verify). Returns null
 * when some value is still unknown (a lottery not entered, a round the beacon cannot give).
 */
export async function resolveValues(
  ctx: Pick<Context, 'beacon' | 'now'>,
  sources: readonly SourceSpecV2[],
  given: readonly (SourceValueV2 | null | undefined)[] = [],
): Promise<{ values: SourceValueV2[]; string: string } | null> {
  const now = ctx.now();
  const values: SourceValueV2[] = [];
  for (let i = 0; i < sources.length; i++) {
    const s = sources[i]!;
    let v = given[i] ?? null;
    if (v === null && s.kind === 'drand' && ctx.beacon && ctx.beacon.chain === s.chain) {
      v = await ctx.beacon.fetchRound(s.round, now);
    }
    if (v === null) return null;
    checkEnteredValue(s, v, now, `values.${i}`);
    values.push(v);
  }
  const string = drawStep('values', () => randomnessStringV2(sources, values, 'values'));
  return { values, string };
}

/** The bundle of an attempt with everything it has (sign-off excluded). */
export function inputsOf(
  draw: Pick<
    DrawRow,
    'commitment' | 'commitmentDigest' | 'frame' | 'excluded' | 'inspectorRows' | 'expertRows'
  >,
) {
  return {
    algorithm: 'sr-draw/v2' as const,
    commitment: draw.commitment as CommitmentV2,
    commitmentDigest: draw.commitmentDigest,
    frame: draw.frame as FrameRowV2[],
    excluded: draw.excluded ?? [],
    inspectors: draw.inspectorRows as PersonRow[],
    experts: draw.expertRows ?? [],
  };
}

/** The published bundle of a signed v2 draw (with its sign-off). */
export function signedBundleOf(draw: DrawRow): DrawBundleV2 {
  return {
    ...inputsOf(draw),
    randomness: draw.randomness as StoredRandomness,
    result: draw.result as DrawBundleV2['result'],
    resultDigest: draw.resultDigest!,
    signOff: draw.signOff as DrawBundleV2['signOff'],
  };
}

/** A signed v2 draw's bundle as one jsonb expression over its row (`signedBundleOf`'s members). */
const signedBundleJsonb = sql`jsonb_build_object(
  'algorithm', ${draws.algorithm},
  'commitment', ${draws.commitment},
  'commitmentDigest', ${draws.commitmentDigest},
  'frame', ${draws.frame},
  'excluded', coalesce(${draws.excluded}, '[]'::jsonb),
  'inspectors', ${draws.inspectorRows},
  'experts', coalesce(${draws.expertRows}, '[]'::jsonb),
  'randomness', ${draws.randomness},
  'result', ${draws.result},
  'resultDigest', ${draws.resultDigest},
  'signOff', ${draws.signOff})`;

/**
 * `JSON.stringify({ bundle: signedBundleOf(draw) })`, written by PostgreSQL from the draw's
 * columns, as UTF-8 bytes (binary COPY): a city draw's ~10^8 bytes are neither parsed, serialised
 * nor held as a string on the server's thread, and go to the verification thread without a copy.
 * (Key order and spacing are PostgreSQL's; the checks read the value, not the text.)
 */
export async function signedBundleBytesOf(db: Db, drawId: string): Promise<Uint8Array> {
  const bytes = await copyOutText(
    db,
    sql`select jsonb_build_object('bundle', ${signedBundleJsonb})::text from ${draws} where ${draws.id} = ${drawId}`,
  );
  if (!bytes) notFound('drawId', 'draw', drawId);
  return bytes;
}

/**
 * `JSON.stringify(withInclusion(signedBundleOf(draw), inclusion))`, written by PostgreSQL from the
 * draw's columns, as UTF-8 bytes (as {@link signedBundleBytesOf}): the bundle the staff's bundle
 * file gives.
 */
export async function signedBundleWithInclusionBytesOf(
  db: Db,
  drawId: string,
  inclusion: object | null,
): Promise<Uint8Array> {
  const extra = inclusion
    ? sql`jsonb_build_object('inclusion', ${JSON.stringify(inclusion)}::jsonb)`
    : sql`'{}'::jsonb`;
  const bytes = await copyOutText(
    db,
    sql`select (${signedBundleJsonb} || ${extra})::text from ${draws} where ${draws.id} = ${drawId}`,
  );
  if (!bytes) notFound('drawId', 'draw', drawId);
  return bytes;
}

/** The published bundle of a voided v2 attempt. */
export function voidedBundleOf(draw: DrawRow): VoidedBundleV2 {
  return {
    ...inputsOf(draw),
    randomness: (draw.randomness as StoredRandomness | null) ?? null,
    result: (draw.result as VoidedBundleV2['result']) ?? null,
    resultDigest: draw.resultDigest ?? null,
    void: draw.voidSignOff as VoidEnvelope,
  };
}

/**
 * Computes an attempt's randomness and result when its sources exist and it has none yet; stores
 * them. Returns the row (unchanged when the sources do not all exist yet). With `require`, a
 * missing value of an existing source is refused (a lottery whose numbers nobody entered).
 */
export async function computeIfSourcesExist(
  ctx: Pick<Context, 'beacon' | 'now'>,
  tx: DbOrTx,
  draw: DrawRow,
  require: boolean,
): Promise<DrawRow> {
  const c = draw.commitment as CommitmentV2;
  if (!sourcesExist(c.sources, ctx.now())) return draw;
  let randomness = draw.randomness as StoredRandomness | null;
  if (!randomness) {
    randomness = await resolveValues(ctx, c.sources);
    if (!randomness) {
      if (!require) return draw;
      const missing = c.sources.map(describeSource).join(', ');
      fail('PRECONDITION_FAILED', 'values', 'void.valuesNotEntered', { attempt: draw.attempt, missing });
    }
  }
  const computed = draw.resultDigest
    ? { result: draw.result, resultDigest: draw.resultDigest }
    : drawStep('drawId', () => computeAttemptResult({ ...inputsOf(draw), randomness: randomness.string }));
  const [row] = await tx
    .update(draws)
    .set({ randomness, result: computed.result, resultDigest: computed.resultDigest })
    .where(eq(draws.id, draw.id))
    .returning();
  return row!;
}

/**
 * Publishes (or republishes, replacing the last) the void of an attempt; stores its bundle digest.
 * The bundle's rows (frame, people, result: ~10^8 bytes of JSON for a city, issue 16) stay in the
 * database, as a sign-off's do: PostgreSQL copies them into the publication, and `bundleDigest`
 * and the publication's digest hash their canonical JSON read in batches, once for both. The content is the one
 * {@link voidedBundleOf} of the whole row gives (test/api/void-v2*.test.ts check it).
 *
 * A covert plan's attempt (R10) is published sealed while the attempt itself is ({@link sealedNow},
 * unless `inFull`): the signed void and the digests only ({@link SealedVoidPublicationV2}), since
 * the redraw shares its frame and officers and would name the units and teams before any
 * inspection. {@link publishSealedVoidsInFull} publishes the bundle when the plan is executed,
 * with the same `bundleDigest` the next attempt named.
 */
export async function publishVoid(
  ctx: Pick<Context, 'beacon'>,
  tx: DbOrTx,
  plan: Pick<PlanRow, 'id' | 'bureauCode' | 'period' | 'title' | 'sealed'>,
  draw: DrawHeader,
  by: string | null,
  at: Date,
  options: { inFull?: boolean } = {},
): Promise<DrawHeader> {
  const sealed = !options.inFull && (await sealedNow(tx, plan, draw));
  // `voidedBundleOf`, member for member, its rows read from the database.
  const rows = drawRowPieces(draw.id);
  const randomness = (draw.randomness as StoredRandomness | null) ?? null;
  const attempt = {
    algorithm: 'sr-draw/v2' as const,
    commitment: draw.commitment as CommitmentV2,
    commitmentDigest: draw.commitmentDigest,
    frame: rows.frame,
    excluded: rows.excluded,
    inspectors: rows.inspectors,
    experts: rows.experts,
    randomness,
    result: rows.result,
    resultDigest: draw.resultDigest ?? null,
    void: draw.voidSignOff as VoidEnvelope,
  };
  // The registry in force when the void was signed (published again at the next attempt, the
  // void still verifies against the registry of its signing, §9.7).
  const voidSignedAt = draw.voidSignOff?.signedAt;
  const { registry, registryInclusion, registryHistory } = await registryOfSigning(
    tx,
    plan.bureauCode,
    voidSignedAt ? new Date(voidSignedAt) : null,
  );
  const names = async (id: string | null) =>
    id ? ((await tx.select({ n: users.displayName }).from(users).where(eq(users.id, id)))[0]?.n ?? '') : '';
  const [prev] = await tx
    .select({ id: publications.id })
    .from(publications)
    .where(and(eq(publications.kind, 'void'), eq(publications.refId, draw.id)))
    .orderBy(desc(publications.publishedAt))
    .limit(1);
  const about = {
    algorithm: 'sr-draw/v2' as const,
    plan: plan.id,
    attempt: draw.attempt,
    reason: draw.voidReasonId!,
    voidReasons: VOID_REASONS,
    afterRandomness: draw.voidAfterRandomness === true,
    registry,
    ...(registryInclusion ? { registryInclusion } : {}),
    ...(registryHistory.length ? { registryHistory } : {}),
    requestedBy: await names(draw.voidRequestedBy),
    requestedAt: draw.voidRequestedAt?.toISOString() ?? null,
    signedBy: (draw.voidSignOff as VoidEnvelope).signer.name,
    demoBeacon: attempt.commitment.sources.some((s) => s.kind === 'drand' && s.info !== undefined),
  };
  let bundleDigest: string;
  if (sealed) {
    // `voidedBundleDigest` of the bundle published once the plan is executed: hashed here, the
    // rows stay unpublished.
    bundleDigest = await digestOfStored(tx, attempt);
    const c = attempt.commitment;
    const content: SealedVoidPublicationV2 = {
      ...about,
      sealed: true,
      commitmentDigest: attempt.commitmentDigest,
      commitment: {
        algorithm: c.algorithm,
        plan: c.plan,
        sources: c.sources,
        previous: c.previous,
        committedAt: c.committedAt,
      },
      randomness,
      resultDigest: attempt.resultDigest,
      bundleDigest,
      void: attempt.void,
    };
    await publish(tx, {
      bureauCode: plan.bureauCode,
      kind: 'void',
      refId: draw.id,
      period: plan.period,
      title: `${plan.title}（第${draw.attempt}次抽取作废，暗查暗访执行后公布全部内容${prev ? '，补充公布随机数' : ''}）`,
      content,
      by,
      at,
      replacesId: prev?.id ?? null,
    });
  } else {
    // `voidedBundleDigest`: the bundle without its inclusion proof, hashed as the publication is.
    const digest = new DigestOf(attempt);
    // The commitment's inclusion in its first witnessed checkpoint goes with the bundle (§9.1, as
    // a draw's), outside the digest the next attempt names; the registry with its proofs (§9.7).
    const bundle = withInclusion(attempt, await commitmentInclusionOf(tx, draw.id));
    const content: Omit<VoidPublicationV2, 'bundle' | 'bundleDigest'> & {
      bundle: object;
      bundleDigest: DigestOf;
    } = { ...about, bundle, bundleDigest: digest };
    await publishStored(tx, {
      bureauCode: plan.bureauCode,
      kind: 'void',
      refId: draw.id,
      period: plan.period,
      title: `${plan.title}（第${draw.attempt}次抽取作废${prev ? (options.inFull ? '，暗查暗访执行后公布全部内容' : '，补充公布随机数与结果') : ''}）`,
      content,
      by,
      at,
      replacesId: prev?.id ?? null,
    });
    bundleDigest = digest.digest!;
  }
  // What the next attempt named stays what the full bundle hashes to (the rows never change).
  if (options.inFull && draw.voidBundleDigest && draw.voidBundleDigest !== bundleDigest)
    throw new Error(
      `void of draw ${draw.id}: the bundle hashes to ${bundleDigest}, the next attempt named ${draw.voidBundleDigest}`,
    );
  const [updated] = await tx
    .update(draws)
    .set({ voidBundleDigest: bundleDigest })
    .where(eq(draws.id, draw.id))
    .returning(drawHeaderColumns);
  return updated!;
}

/**
 * When a covert plan is executed (its draw published): every voided attempt of it whose void was
 * published sealed is published in full, replacing the sealed one (§9.4's "published in full",
 * held back until the scope can no longer be used to warn anyone, as replacements are, §9.6).
 * Returns how many.
 */
export async function publishSealedVoidsInFull(
  tx: DbOrTx,
  plan: Pick<PlanRow, 'id' | 'bureauCode' | 'period' | 'title' | 'sealed'>,
  by: string | null,
  at: Date,
): Promise<number> {
  if (!plan.sealed) return 0;
  const voided = await tx
    .select(drawHeaderColumns)
    .from(draws)
    .where(and(eq(draws.planId, plan.id), eq(draws.status, 'voided'), eq(draws.algorithm, 'sr-draw/v2')))
    .orderBy(draws.attempt);
  let n = 0;
  for (const draw of voided) {
    const [last] = await tx
      .select({ sealed: sql<boolean>`(${publications.content} ->> 'sealed') = 'true'` })
      .from(publications)
      .where(and(eq(publications.kind, 'void'), eq(publications.refId, draw.id)))
      .orderBy(desc(publications.publishedAt))
      .limit(1);
    if (!last?.sealed) continue;
    await publishVoid({ beacon: null }, tx, plan, draw, by, at, { inFull: true });
    n++;
  }
  return n;
}

/**
 * Before attempt n+1 names attempt n as `previous`: once attempt n's sources exist, its randomness
 * and result must be known and published (§8.5, §9.4); they are computed and the void republished.
 * Takes the attempt's header; its rows are read only when its result is still to be computed.
 */
export async function ensurePreviousRandomness(
  ctx: Pick<Context, 'beacon' | 'now'>,
  tx: DbOrTx,
  voided: DrawHeader,
  by: string,
): Promise<DrawHeader> {
  if (voided.resultDigest) return voided;
  // Only here are its rows read: the result is computed from them.
  const [row] = await tx.select().from(draws).where(eq(draws.id, voided.id));
  const after = await computeIfSourcesExist(ctx, tx, row!, true);
  if (!after.resultDigest) return after;
  const plan = await tx.query.plans.findFirst({ where: (p, { eq }) => eq(p.id, voided.planId) });
  return publishVoid(ctx, tx, plan!, after, by, ctx.now());
}
