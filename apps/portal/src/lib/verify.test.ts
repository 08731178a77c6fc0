import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sampleBundle } from './testing';
import {
  base64ToBytes,
  checkBundle,
  checkSignOff,
  parseVerifierInput,
  signatureMessage,
  type SignOff,
} from './verify';

function signedOff(bundle = sampleBundle()): { bundle: ReturnType<typeof sampleBundle>; signOff: SignOff } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const message = signatureMessage(bundle.commitmentDigest, bundle.resultDigest);
  return {
    bundle,
    signOff: {
      algorithm: 'Ed25519',
      message,
      signature: sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
      publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      signer: '滨海新区分管领导',
      signedAt: '2027-01-05T09:00:00Z',
    },
  };
}

describe('checkBundle', () => {
  it('accepts a bundle as drawn, with its summary', () => {
    const outcome = checkBundle(sampleBundle());
    expect(outcome).toMatchObject({ ok: true, summary: { units: 12, inspectors: 4, strata: 2 } });
  });

  it('names the first mismatch of a tampered team', () => {
    const b = sampleBundle();
    const first = b.result.selected[0]!;
    first.team = [...first.team].reverse();
    const outcome = checkBundle(b);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.reason).toMatch(
      new RegExp(`^result mismatch at result\\.selected\\[0\\] \\(unit ${first.unit}\\)\\.team`),
    );
  });

  it('catches a changed frame through the commitment', () => {
    const b = sampleBundle();
    b.frame[3]![2] = 99;
    const outcome = checkBundle(b);
    expect(!outcome.ok && outcome.reason).toMatch(/digest/);
  });

  it('reports junk instead of throwing', () => {
    expect(checkBundle(null).ok).toBe(false);
    expect(checkBundle({ algorithm: 'sr-draw/v1' }).ok).toBe(false);
  });
});

describe('checkSignOff (WebCrypto Ed25519)', () => {
  it('accepts the signature over both digests', async () => {
    const { bundle, signOff } = signedOff();
    expect(await checkSignOff(bundle, signOff)).toEqual({ status: 'valid' });
  });

  it('rejects a signature once the result digest differs', async () => {
    const { bundle, signOff } = signedOff();
    const other = { ...bundle, resultDigest: '0'.repeat(64) };
    expect((await checkSignOff(other, signOff)).status).toBe('invalid');
    expect((await checkSignOff(other, { ...signOff, message: undefined as unknown as string })).status).toBe(
      'invalid',
    );
  });

  it('rejects another key', async () => {
    const { bundle, signOff } = signedOff();
    const stranger = signedOff(bundle).signOff;
    expect((await checkSignOff(bundle, { ...signOff, publicKey: stranger.publicKey })).status).toBe(
      'invalid',
    );
  });

  it('says absent without a sign-off, and unsupported without Ed25519', async () => {
    expect(await checkSignOff(sampleBundle(), null)).toEqual({ status: 'absent' });
    const { bundle, signOff } = signedOff();
    const noEd25519 = {
      importKey: () => Promise.reject(Object.assign(new Error('no'), { name: 'NotSupportedError' })),
    } as unknown as SubtleCrypto;
    expect((await checkSignOff(bundle, signOff, noEd25519)).status).toBe('unsupported');
  });
});

describe('parseVerifierInput', () => {
  const b = sampleBundle();
  it('takes a bare bundle, a publication content and a whole publication', () => {
    expect(parseVerifierInput(JSON.stringify(b))).toEqual({ ok: true, bundle: b, signOff: null });
    const { signOff } = signedOff(b);
    expect(parseVerifierInput(JSON.stringify({ bundle: b, signOff }))).toEqual({
      ok: true,
      bundle: b,
      signOff,
    });
    expect(
      parseVerifierInput(JSON.stringify({ id: 'x', kind: 'draw', content: { bundle: b, signOff } })),
    ).toEqual({
      ok: true,
      bundle: b,
      signOff,
    });
  });

  it('explains what it cannot read', () => {
    expect(parseVerifierInput('{')).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) });
    expect(parseVerifierInput('[]')).toEqual({ ok: false, reason: 'expected a JSON object' });
    expect(parseVerifierInput('{"a":1}')).toMatchObject({ ok: false });
  });
});

describe('base64ToBytes', () => {
  it('decodes standard base64 and refuses the rest', () => {
    expect([...base64ToBytes('AAEC/w==')]).toEqual([0, 1, 2, 255]);
    expect(() => base64ToBytes('not base64!')).toThrow();
  });
});
