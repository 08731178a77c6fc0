import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../draw/canonical';
import {
  checkpointBody,
  cosignCheckpoint,
  formatCheckpointNote,
  generateLogKeyPair,
  isoSeconds,
  signCheckpoint,
  verifyCheckpointSignature,
  verifyCosignature,
  witnessesOf,
  type SignedCheckpoint,
} from './checkpoint';
import { verifyCommitmentInclusion, verifyPublicationInclusion, type LogInclusion } from './inclusion';
import { leafBytes, leafHashHex, publicationLeaf } from './leaf';
import { hashLeaf, inclusionProof, treeRoot } from './merkle';

const log = generateLogKeyPair();
const w1 = { name: 'tj-supervision', ...generateLogKeyPair() };
const w2 = { name: 'public-monitor', ...generateLogKeyPair() };
const w3 = { name: 'third', ...generateLogKeyPair() };
const trusted = [w1, w2, w3].map((w) => ({ name: w.name, publicKey: w.publicKey }));
const T = '2027-03-01T02:00:00Z';
const DIGEST = 'ab'.repeat(32);

function world(opts: { cosigners?: (typeof w1)[]; witnessTime?: string } = {}) {
  const pubs = Array.from({ length: 5 }, (_, i) => ({
    id: `00000000-0000-4000-8000-00000000000${i}`,
    bureauCode: '120116',
    kind: i === 3 ? 'commitment' : 'checklist',
    refId: `ref-${i}`,
    period: '2027',
    title: `公示${i}`,
    digest: 'cd'.repeat(32),
    content: i === 3 ? { commitmentDigest: DIGEST } : { x: i },
    replacesId: null,
    publishedAt: new Date(Date.parse(T) - 60_000 + i),
  }));
  const leaves = pubs.map(publicationLeaf);
  const hashes = leaves.map((l) => hashLeaf(leafBytes(l)));
  const cp = { origin: 'spotcheck.test/log', size: 5, rootHash: toHex(treeRoot(hashes)), time: T };
  const signed: SignedCheckpoint = {
    ...cp,
    logKey: log.publicKey,
    signature: signCheckpoint(cp, log.secretKey),
    cosignatures: (opts.cosigners ?? [w1, w2]).map((w) => cosignCheckpoint(cp, w, opts.witnessTime ?? T)),
  };
  const inclusion: LogInclusion = {
    spec: 'spotcheck/log-inclusion/v1',
    leaf: leaves[3]!,
    leafIndex: 3,
    proof: inclusionProof(hashes, 3).map(toHex),
    checkpoint: signed,
  };
  return { leaves, signed, inclusion, hashes };
}

describe('checkpoints', () => {
  it('has the C2SP checkpoint text with a time line and verifies the log signature', () => {
    const { signed } = world();
    const body = checkpointBody(signed);
    expect(body.split('\n')).toEqual([
      'spotcheck.test/log',
      '5',
      expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      `time ${Date.parse(T) / 1000}`,
      '',
    ]);
    expect(verifyCheckpointSignature(signed, log.publicKey, signed.signature)).toBe(true);
    expect(verifyCheckpointSignature({ ...signed, size: 6 }, log.publicKey, signed.signature)).toBe(false);
    expect(
      verifyCheckpointSignature({ ...signed, time: '2027-03-01T01:59:00Z' }, log.publicKey, signed.signature),
    ).toBe(false);
    expect(verifyCheckpointSignature(signed, w1.publicKey, signed.signature)).toBe(false);
    const note = formatCheckpointNote(signed);
    expect(note.startsWith(body + '\n— spotcheck.test/log ')).toBe(true);
    expect(note.match(/^— /gm)).toHaveLength(3);
  });

  it('counts trusted, valid, on-time, distinct co-signatures only', () => {
    const { signed } = world({ cosigners: [w1, w2, w1] });
    expect(witnessesOf(signed, trusted).map((w) => w.name)).toEqual([w1.name, w2.name]);
    expect(witnessesOf(signed, trusted.slice(1))).toHaveLength(1);
    const late = world({ witnessTime: isoSeconds(Date.parse(T) + 31_000) }).signed;
    expect(late.cosignatures.every((c) => verifyCosignature(late, c))).toBe(true);
    expect(witnessesOf(late, trusted)).toHaveLength(0);
    const inTime = world({ witnessTime: isoSeconds(Date.parse(T) - 30_000) }).signed;
    expect(witnessesOf(inTime, trusted)).toHaveLength(2);
    // A co-signature moved to another checkpoint does not verify.
    const other = { ...signed, rootHash: 'ee'.repeat(32) };
    expect(witnessesOf(other, trusted)).toHaveLength(0);
    // The log cannot witness itself, even when listed.
    const self = { name: 'self', ...log };
    const selfSigned = {
      ...signed,
      cosignatures: [cosignCheckpoint(signed, self, T), signed.cosignatures[0]!],
    };
    expect(witnessesOf(selfSigned, [...trusted, { name: 'self', publicKey: log.publicKey }])).toHaveLength(1);
  });

  it('gives the same answer for a co-signature verified before, whatever else it is checked against', () => {
    const { signed } = world();
    const cos = signed.cosignatures[0]!;
    // Verified (and remembered) once, then read again: the remembered answer is for those very inputs.
    expect(verifyCosignature(signed, cos)).toBe(true);
    expect(verifyCosignature(signed, cos)).toBe(true);
    expect(verifyCosignature({ ...signed, size: 6 }, cos)).toBe(false);
    expect(verifyCosignature(signed, { ...cos, time: isoSeconds(Date.parse(T) + 1000) })).toBe(false);
    expect(verifyCosignature(signed, { ...cos, publicKey: w2.publicKey })).toBe(false);
    const flipped = (cos.signature[0] === 'A' ? 'B' : 'A') + cos.signature.slice(1);
    expect(verifyCosignature(signed, { ...cos, signature: flipped })).toBe(false);
    expect(verifyCosignature(signed, { ...cos, signature: flipped })).toBe(false);
    // Inputs that are no strings are never answered from what a string verified.
    const odd = { ...cos, publicKey: [cos.publicKey] as unknown as string };
    expect(verifyCosignature(signed, odd)).toBe(false);
    expect(verifyCosignature(signed, cos)).toBe(true);
  });
});

describe('verifyCommitmentInclusion', () => {
  it('proves a commitment with two independent witnesses and gives the checkpoint time', () => {
    const { inclusion } = world();
    expect(verifyCommitmentInclusion(inclusion, DIGEST, trusted)).toEqual({ ok: true, time: T });
    expect(verifyCommitmentInclusion(JSON.parse(JSON.stringify(inclusion)), DIGEST, trusted).ok).toBe(true);
  });

  it('refuses one witness, another digest, another kind, an edited leaf, a forged proof or log signature', () => {
    const one = world({ cosigners: [w1] }).inclusion;
    expect(verifyCommitmentInclusion(one, DIGEST, trusted)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/1 valid co-signature.*2 needed/),
    });
    const { inclusion, leaves, signed, hashes } = world();
    expect(verifyCommitmentInclusion(inclusion, 'cd'.repeat(32), trusted).reason).toMatch(
      /another commitment digest/,
    );
    const checklist: LogInclusion = {
      ...inclusion,
      leaf: leaves[2]!,
      leafIndex: 2,
      proof: inclusionProof(hashes, 2).map(toHex),
    };
    expect(verifyPublicationInclusion(checklist, { witnesses: trusted }).ok).toBe(true);
    expect(verifyCommitmentInclusion(checklist, DIGEST, trusted).reason).toMatch(
      /checklist, not a commitment/,
    );
    const backdated = { ...inclusion, leaf: { ...inclusion.leaf, publishedAt: '2026-01-01T00:00:00.000Z' } };
    expect(verifyCommitmentInclusion(backdated, DIGEST, trusted).reason).toMatch(
      /does not lead to the checkpoint root/,
    );
    const badProof = { ...inclusion, proof: [...inclusion.proof.slice(1), inclusion.proof[0]!] };
    expect(verifyCommitmentInclusion(badProof, DIGEST, trusted).ok).toBe(false);
    const otherLog = generateLogKeyPair();
    const forged = { ...inclusion, checkpoint: { ...signed, logKey: otherLog.publicKey } };
    expect(verifyCommitmentInclusion(forged, DIGEST, trusted).reason).toMatch(/log signature/);
    expect(
      verifyCommitmentInclusion(inclusion, DIGEST, trusted, { logKey: otherLog.publicKey }).reason,
    ).toMatch(/another log key/);
    expect(verifyCommitmentInclusion({ spec: 'x' }, DIGEST, trusted).ok).toBe(false);
    expect(verifyCommitmentInclusion(null, DIGEST, trusted).ok).toBe(false);
    expect(verifyCommitmentInclusion(inclusion, DIGEST, []).ok).toBe(false);
  });

  it('verifies any publication with the trust it is given', () => {
    const { inclusion } = world({ cosigners: [] });
    expect(verifyPublicationInclusion(inclusion, { witnesses: trusted, minWitnesses: 0 })).toMatchObject({
      ok: true,
      time: T,
    });
    expect(leafHashHex(inclusion.leaf)).toBe(toHex(hashLeaf(leafBytes(inclusion.leaf))));
    expect(fromHex(inclusion.proof[0]!)).toHaveLength(32);
  });
});

describe('commitmentInclusionVerifier', () => {
  it('binds the trusted witnesses for sr-draw/v2', async () => {
    const { commitmentInclusionVerifier } = await import('./inclusion');
    const { inclusion } = world();
    expect(commitmentInclusionVerifier(trusted)(inclusion, DIGEST)).toEqual({ ok: true, time: T });
    expect(commitmentInclusionVerifier(trusted.slice(2))(inclusion, DIGEST).ok).toBe(false);
  });
});
