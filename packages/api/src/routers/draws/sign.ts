import { eq } from 'drizzle-orm';
import { z } from 'zod';
import {
  checkSigner,
  signOffMessage,
  sourceTime,
  SR_DRAW_V2,
  type CommitmentV2,
  type SignOff,
} from '@spotcheck/core';
import { publishDraw } from '../../lib/bundle';
import { publishSignatureRecord } from '../../lib/signature-record';
import { requestLogCheckpoint } from '../../jobs/runtime';
import { fail } from '../../lib/errors';
import { lockSigningKey, publishedRegistryOf, wholeSeconds } from '../../lib/key-registry';
import { checkSignedAtNear, ZSignOffSchema } from '../../lib/signoff-v2';
import { loadDrawHeader, transitionDrawHeader, transitionPlan } from '../../lib/workflow';
import { ZIdSchema } from '../../lib/zod';
import { roleProcedure } from '../../trpc';
import { json } from '../../lib/outputs';
import { draws } from '@spotcheck/db';

/**
 * `draws.sign` (approver, R24 谁抽查、谁签字、谁负责): stores the sr-draw/v2 sign-off the approver
 * built and signed in their browser, with the key that never left it. The server checks, before
 * storing anything: the signer is the caller; the key is in the bureau's published registry under
 * the caller's id and exactly this name, valid at `signedAt`; `signedAt` is whole seconds near the
 * server clock and after every source; the Ed25519 signature verifies over the canonical
 * envelope. Then the bundle is published with its sign-off and the registry (covert plans: once
 * executed).
 */
export const signDraw = roleProcedure(['approver'])
  .input(z.object({ drawId: ZIdSchema, signOff: ZSignOffSchema }))
  .output(z.object({ drawId: z.string(), signOff: json<SignOff>() }))
  .mutation(async ({ ctx, input }) => {
    const { draw, plan } = await loadDrawHeader(ctx.db, input.drawId, ctx.access);
    if (draw.algorithm !== SR_DRAW_V2) fail('CONFLICT', 'drawId', 'draw.v1NotSignable');
    if (!draw.resultDigest)
      fail('CONFLICT', 'drawId', 'draw.nothingToSign', { attempt: draw.attempt, status: draw.status });
    const s = input.signOff;
    if (s.signer.id !== ctx.user.id) fail('FORBIDDEN', 'signOff.signer.id', 'signOff.onlyYourself');
    const now = ctx.now();
    checkSignedAtNear('signOff', s.signedAt, now);
    const c = draw.commitment as CommitmentV2;
    const latest = Math.max(...c.sources.map(sourceTime));
    if (Date.parse(s.signedAt) / 1000 < latest)
      fail('BAD_REQUEST', 'signOff.signedAt', 'signOff.beforeSources');
    const registry = await publishedRegistryOf(ctx.db, plan.bureauCode);
    const check = checkSigner(
      registry,
      plan.bureauCode,
      s.signer,
      s.signedAt,
      signOffMessage(s.signer, s.signedAt, draw.commitmentDigest, draw.resultDigest),
      s.signature,
    );
    if (!check.ok)
      fail('FORBIDDEN', `signOff.${check.rule}`, 'signOff.signerRefused', { detail: check.reason });
    // The key must be valid now as well: the sign-off's record is logged now, and verifiers check
    // the key at that log time (§9.7; a signer's clock ahead of a key's validFrom would otherwise
    // make a sign-off that can never verify).
    const atNow = checkSigner(
      registry,
      plan.bureauCode,
      s.signer,
      wholeSeconds(now),
      signOffMessage(s.signer, s.signedAt, draw.commitmentDigest, draw.resultDigest),
      s.signature,
    );
    if (!atNow.ok)
      fail('FORBIDDEN', `signOff.${atNow.rule}`, 'signOff.signerRefused', { detail: atNow.reason });
    const signed = await ctx.db.transaction(async (tx) => {
      // The draw's row is locked and checked first and written last: published before this
      // transaction writes the row, its rows (frame, result…) are hashed on a connection of their
      // own while the publication is built (that connection hashes only the versions of the rows
      // this transaction sees). They are not read here: they cannot change once drawn, and the
      // publication copies them from the draw inside the database.
      const [current] = await tx
        .select({ status: draws.status })
        .from(draws)
        .where(eq(draws.id, draw.id))
        .for('no key update');
      // Not drawn any more (a void requested meanwhile): refused as the transition refuses it.
      if (current?.status !== 'drawn') await transitionDrawHeader(tx, draw.id, ['drawn'], 'signed');
      // The key is still the one checked above, and stays so until the record is logged.
      await lockSigningKey(tx, plan.bureauCode, s.signer.keyId, 'signOff.signer.keyId');
      const signing = { signOff: s, signedAt: new Date(s.signedAt), signedBy: ctx.user.id };
      const p = await transitionPlan(tx, plan.id, ['drawn'], 'signed', now);
      // The sign-off's own log entry, dated now whatever is published later (§9.7).
      await publishSignatureRecord(tx, p, draw, 'draw', s, ctx.user.id, now);
      if (!p.sealed)
        await publishDraw(tx, p, { ...draw, ...signing, status: 'signed' }, ctx.user.id, now, {
          beside: ctx.db,
        });
      await transitionDrawHeader(tx, draw.id, ['drawn'], 'signed', signing);
      await ctx.audit(tx, {
        bureauCode: plan.bureauCode,
        action: 'draw.sign',
        entity: 'draws',
        entityId: draw.id,
        before: { status: 'drawn' },
        after: { status: 'signed', signOff: s },
      });
      return { drawId: draw.id, signOff: s };
    });
    // Its witnessed checkpoint at once: the sign-off's log time is that checkpoint's (§9.7).
    requestLogCheckpoint(ctx.user.id);
    return signed;
  });
