import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '@spotcheck/db';
import { drawSignatureMessage, signWithEncryptedKey } from '../../auth/signing-keys';
import { publishDraw } from '../../lib/bundle';
import { fail } from '../../lib/errors';
import { loadDraw, transitionDraw, transitionPlan } from '../../lib/workflow';
import { ZIdSchema } from '../../lib/zod';
import { roleProcedure } from '../../trpc';

/**
 * `draws.sign` (approver, R24 谁抽查、谁签字、谁负责): signs commitmentDigest + resultDigest with the
 * approver's Ed25519 key; the signature and public key are published with the bundle.
 */
export const signDraw = roleProcedure(['approver'])
  .input(z.object({ drawId: ZIdSchema }))
  .mutation(async ({ ctx, input }) => {
    const { draw, plan } = await loadDraw(ctx.db, input.drawId, ctx.access);
    const [me] = await ctx.db.select().from(users).where(eq(users.id, ctx.user.id));
    if (!me?.signingPrivateKeyEnc || !me.signingPublicKey)
      fail('PRECONDITION_FAILED', 'user', 'your account has no signing key');
    if (!draw.resultDigest)
      fail('CONFLICT', 'drawId', `draw attempt ${draw.attempt} is ${draw.status}: nothing to sign yet`);
    let signature: string;
    try {
      signature = signWithEncryptedKey(
        me.signingPrivateKeyEnc,
        ctx.keySecret,
        drawSignatureMessage(draw.commitmentDigest, draw.resultDigest),
      );
    } catch {
      return fail(
        'PRECONDITION_FAILED',
        'user',
        'your signing key cannot be decrypted with this server secret (SPOTCHECK_KEY_SECRET changed?)',
      );
    }
    const now = ctx.now();
    return ctx.db.transaction(async (tx) => {
      const signed = await transitionDraw(tx, draw.id, ['drawn'], 'signed', {
        signature,
        signerPublicKey: me.signingPublicKey,
        signedAt: now,
        signedBy: me.id,
      });
      const p = await transitionPlan(tx, plan.id, ['drawn'], 'signed', now);
      if (!p.sealed) await publishDraw(tx, p, signed, ctx.user.id, now);
      await ctx.audit(tx, {
        bureauCode: plan.bureauCode,
        action: 'draw.sign',
        entity: 'draws',
        entityId: draw.id,
        before: { status: 'drawn' },
        after: { status: 'signed', signature, publicKey: me.signingPublicKey },
      });
      return { drawId: draw.id, signature, publicKey: me.signingPublicKey! };
    });
  });
