import { describe, expect, it } from 'vitest';
import {
  cosignCheckpoint,
  generateLogKeyPair,
  hashLeaf,
  inclusionProof,
  leafBytes,
  publicationLeaf,
  signCheckpoint,
  treeRoot,
  type LogInclusion,
} from '@spotcheck/core/log';
import { digestOf, toHex } from '@spotcheck/core';
import { checkPublicationInclusion, commitmentTimeCheck } from './transparency';

const log = generateLogKeyPair();
const w1 = { name: 'tj-supervision', ...generateLogKeyPair() };
const w2 = { name: 'public-monitor', ...generateLogKeyPair() };
const witnesses = [w1, w2].map((w) => ({ name: w.name, publicKey: w.publicKey, label: w.name }));
const DIGEST = 'c0'.repeat(32);
const CP_TIME = '2027-03-01T02:01:00Z';

function inclusionWith(cosigners: (typeof w1)[]): { inclusion: LogInclusion; pending: boolean } {
  const pubs = [0, 1, 2].map((i) => ({
    id: `00000000-0000-4000-8000-00000000000${i}`,
    bureauCode: '120116',
    kind: i === 1 ? 'commitment' : 'checklist',
    refId: `r${i}`,
    period: null,
    title: `t${i}`,
    digest: i === 1 ? digestOf({ commitmentDigest: DIGEST }) : String(i).repeat(64),
    content: i === 1 ? { commitmentDigest: DIGEST } : {},
    replacesId: null,
    publishedAt: '2027-03-01T02:00:30.000Z',
  }));
  const leaves = pubs.map(publicationLeaf);
  const hashes = leaves.map((l) => hashLeaf(leafBytes(l)));
  const cp = { origin: 'o', size: 3, rootHash: toHex(treeRoot(hashes)), time: CP_TIME };
  return {
    pending: false,
    inclusion: {
      spec: 'spotcheck/log-inclusion/v1',
      leaf: leaves[1]!,
      leafIndex: 1,
      proof: inclusionProof(hashes, 1).map(toHex),
      checkpoint: {
        ...cp,
        logKey: log.publicKey,
        signature: signCheckpoint(cp, log.secretKey),
        cosignatures: cosigners.map((w) => cosignCheckpoint(cp, w, CP_TIME)),
      },
    },
  };
}

describe('commitmentTimeCheck (SPEC §9.1 on the portal)', () => {
  it('proves a commitment witnessed by two before the first source', () => {
    expect(commitmentTimeCheck(inclusionWith([w1, w2]), DIGEST, witnesses, '2027-03-01T02:05:00Z')).toEqual({
      status: 'proven',
      time: CP_TIME,
      witnessedBy: witnesses,
    });
  });
  it('refuses a draw whose commitment is not in an earlier witnessed checkpoint', () => {
    expect(commitmentTimeCheck(inclusionWith([w1, w2]), DIGEST, witnesses, CP_TIME)).toMatchObject({
      status: 'refused',
      reason: 'too-late',
    });
    expect(commitmentTimeCheck(inclusionWith([w1]), DIGEST, witnesses, '2027-03-01T02:05:00Z').status).toBe(
      'refused',
    );
    expect(
      commitmentTimeCheck({ inclusion: null, pending: true }, DIGEST, witnesses, '2027-03-01T02:05:00Z'),
    ).toEqual({
      status: 'refused',
      reason: 'not-witnessed',
    });
    expect(
      commitmentTimeCheck(inclusionWith([w1, w2]), 'c1'.repeat(32), witnesses, '2027-03-01T02:05:00Z').status,
    ).toBe('refused');
  });
  it('checks that the logged leaf is this publication', () => {
    const r = inclusionWith([w1]);
    const pub = { id: r.inclusion.leaf.publicationId, digest: r.inclusion.leaf.contentDigest };
    expect(checkPublicationInclusion(r, pub, witnesses)).toMatchObject({
      status: 'verified',
      witnessed: false,
    });
    expect(checkPublicationInclusion(r, { ...pub, digest: 'f'.repeat(64) }, witnesses).status).toBe('failed');
  });
  it('checks the content shown, not only the digest the server states beside it', () => {
    const r = inclusionWith([w1, w2]);
    const pub = { id: r.inclusion.leaf.publicationId, digest: r.inclusion.leaf.contentDigest };
    expect(
      checkPublicationInclusion(r, pub, witnesses, digestOf({ commitmentDigest: DIGEST })),
    ).toMatchObject({
      status: 'verified',
      witnessed: true,
    });
    // The content edited behind the log's back, its stated digest left as it was.
    expect(
      checkPublicationInclusion(r, pub, witnesses, digestOf({ commitmentDigest: 'c1'.repeat(32) })),
    ).toMatchObject({
      status: 'failed',
      changed: true,
    });
  });
});
