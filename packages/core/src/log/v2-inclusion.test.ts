import { describe, expect, it } from 'vitest';
import { toHex } from '../draw/canonical';
import { verifyBundleV2 } from '../draw/v2/verify';
import { COMMITTED_AT, makeCaseV2, registry, signedBundle } from '../draw/v2/testing/fixtures';
import { cosignCheckpoint, generateLogKeyPair, isoSeconds, signCheckpoint } from './checkpoint';
import { commitmentInclusionVerifier, type LogInclusion } from './inclusion';
import { leafBytes, publicationLeaf } from './leaf';
import { hashLeaf, inclusionProof, treeRoot } from './merkle';

const log = generateLogKeyPair();
const ws = [1, 2].map((i) => ({ name: `witness-${i}`, ...generateLogKeyPair() }));
const trusted = ws.map((w) => ({ name: w.name, publicKey: w.publicKey }));

function bundle() {
  return signedBundle(
    makeCaseV2({
      units: Array.from({ length: 12 }, (_, i) => ({
        n: 100 + i,
        stratum: 0,
        weight: 1,
        mandatory: false,
        specialty: 0,
        expert: false,
      })),
      excluded: [],
      strata: [{ method: 'srs', quota: 3 }],
      inspectors: Array.from({ length: 6 }, () => ({
        capacity: 3,
        specialties: [true, true, true],
        excluded: [],
      })),
      experts: [],
      team: { assign: true, size: 2, specialist: false },
      kl8: [1, 5, 9, 13],
    }),
  );
}

/** A log of three publications, the middle one the bundle's commitment, checkpointed at `time`. */
function inclusionFor(commitmentDigest: string, time: string, cosigners = ws): LogInclusion {
  const leaves = [0, 1, 2].map((i) =>
    publicationLeaf({
      id: `00000000-0000-4000-8000-00000000000${i}`,
      bureauCode: '120116',
      kind: i === 1 ? 'commitment' : 'checklist',
      refId: `r${i}`,
      period: null,
      title: `t${i}`,
      digest: 'ab'.repeat(32),
      content: i === 1 ? { commitmentDigest } : {},
      replacesId: null,
      publishedAt: new Date(Date.parse(time) - 10_000),
    }),
  );
  const hashes = leaves.map((l) => hashLeaf(leafBytes(l)));
  const cp = { origin: 'spotcheck.test/log', size: 3, rootHash: toHex(treeRoot(hashes)), time };
  return {
    spec: 'spotcheck/log-inclusion/v1',
    leaf: leaves[1]!,
    leafIndex: 1,
    proof: inclusionProof(hashes, 1).map(toHex),
    checkpoint: {
      ...cp,
      logKey: log.publicKey,
      signature: signCheckpoint(cp, log.secretKey),
      cosignatures: cosigners.map((w) => cosignCheckpoint(cp, w, time)),
    },
  };
}

describe('sr-draw/v2 with the log verifier', () => {
  it('proves the commitment time of a bundle from its witnessed checkpoint', () => {
    const b = bundle();
    const time = isoSeconds(Date.parse(COMMITTED_AT));
    const r = verifyBundleV2(
      JSON.parse(JSON.stringify({ ...b, inclusion: inclusionFor(b.commitmentDigest, time) })),
      { registry, verifyInclusion: commitmentInclusionVerifier(trusted) },
    );
    const line = r.checks.find((c) => c.id === 'commitmentTime')!;
    expect(line.status).toBe('pass');
    expect(line.message).not.toContain('not proven');
    expect(r.ok).toBe(true);
  });

  it('fails the commitment time with one witness, or for another commitment', () => {
    const b = bundle();
    const time = isoSeconds(Date.parse(COMMITTED_AT));
    const verify = commitmentInclusionVerifier(trusted);
    const one = verifyBundleV2(
      { ...b, inclusion: inclusionFor(b.commitmentDigest, time, ws.slice(0, 1)) },
      { registry, verifyInclusion: verify },
    );
    expect(one.checks.find((c) => c.id === 'commitmentTime')!.status).toBe('fail');
    const other = verifyBundleV2(
      { ...b, inclusion: inclusionFor('cd'.repeat(32), time) },
      { registry, verifyInclusion: verify },
    );
    expect(other.checks.find((c) => c.id === 'commitmentTime')!.status).toBe('fail');
  });
});
