import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import vectors from '../../../../test/vectors/rfc9162-merkle.json';
import { fromHex, toHex, utf8 } from '../draw/canonical';
import {
  consistencyProof,
  EMPTY_ROOT,
  hashChildren,
  hashLeaf,
  inclusionProof,
  SubtreeMemo,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

const leafHashes = vectors.leaves.map((l) => hashLeaf(fromHex(l)));
const hex = (xs: Uint8Array[]) => xs.map(toHex);

describe('RFC 9162 Merkle tree against transparency-dev/merkle vectors', () => {
  it('hashes leaves and nodes with the 0x00/0x01 prefixes', () => {
    expect(toHex(EMPTY_ROOT)).toBe(vectors.hasher.emptyRoot);
    expect(toHex(hashLeaf(new Uint8Array(0)))).toBe(vectors.hasher.emptyLeafHash);
    expect(toHex(hashLeaf(utf8('L123456')))).toBe(vectors.hasher.leafL123456);
    expect(toHex(hashChildren(utf8('N123'), utf8('N456')))).toBe(vectors.hasher.childrenN123N456);
  });

  it('computes the root of every prefix of the 8-leaf tree', () => {
    for (let n = 1; n <= 8; n++) expect(toHex(treeRoot(leafHashes, n))).toBe(vectors.roots[n - 1]);
    expect(toHex(treeRoot(leafHashes, 0))).toBe(vectors.hasher.emptyRoot);
  });

  it('generates and verifies the published inclusion proofs, and refuses corrupted ones', () => {
    for (const v of vectors.inclusion) {
      const proof = inclusionProof(leafHashes, v.leafIndex, v.treeSize);
      expect(hex(proof)).toEqual(v.proof);
      const root = fromHex(vectors.roots[v.treeSize - 1]!);
      const leaf = leafHashes[v.leafIndex]!;
      expect(verifyInclusion(v.leafIndex, v.treeSize, leaf, proof, root)).toBe(true);
      const bad = [
        [v.leafIndex + 1, v.treeSize, leaf, proof, root],
        [v.leafIndex, v.treeSize * 2, leaf, proof, root],
        [v.leafIndex, v.treeSize, hashLeaf(utf8('WrongLeaf')), proof, root],
        [v.leafIndex, v.treeSize, leaf, proof, EMPTY_ROOT],
        [v.leafIndex, v.treeSize, leaf, [...proof, root], root],
        [v.leafIndex, v.treeSize, leaf, [root, ...proof], root],
        ...proof.map((_, i) => {
          const p = proof.map((x) => x.slice());
          p[i]![0]! ^= 8;
          return [v.leafIndex, v.treeSize, leaf, p, root];
        }),
        ...(proof.length ? [[v.leafIndex, v.treeSize, leaf, proof.slice(0, -1), root]] : []),
      ] as const;
      for (const b of bad) expect(verifyInclusion(...(b as Parameters<typeof verifyInclusion>))).toBe(false);
    }
  });

  it('generates and verifies the published consistency proofs, and refuses corrupted ones', () => {
    for (const v of vectors.consistency) {
      const proof = consistencyProof(leafHashes, v.size1, v.size2);
      expect(hex(proof)).toEqual(v.proof);
      const r1 = fromHex(vectors.roots[v.size1 - 1]!);
      const r2 = fromHex(vectors.roots[v.size2 - 1]!);
      expect(verifyConsistency(v.size1, v.size2, r1, r2, proof)).toBe(true);
      if (!proof.length) continue;
      const bad: [number, number, Uint8Array, Uint8Array, Uint8Array[]][] = [
        [v.size1 - 1, v.size2, r1, r2, proof],
        [v.size1 + 1, v.size2, r1, r2, proof],
        [v.size1, v.size2 * 2, r1, r2, proof],
        [v.size1, v.size2, r2, r1, proof],
        [v.size1, v.size2, r1, EMPTY_ROOT, proof],
        [v.size1, v.size2, r1, r2, []],
        [v.size1, v.size2, r1, r2, [...proof, r1]],
        [v.size1, v.size2, r1, r2, [proof[0]!, ...proof]],
        [v.size1, v.size2, r1, r2, proof.slice(0, -1)],
        ...proof.map((_, i): [number, number, Uint8Array, Uint8Array, Uint8Array[]] => {
          const p = proof.map((x) => x.slice());
          p[i]![0]! ^= 16;
          return [v.size1, v.size2, r1, r2, p];
        }),
      ];
      for (const b of bad) expect(verifyConsistency(...b)).toBe(false);
    }
  });

  it('treats the edge sizes as the reference does', () => {
    const r = fromHex(vectors.roots[0]!);
    expect(verifyConsistency(0, 5, EMPTY_ROOT, r, [])).toBe(true);
    expect(verifyConsistency(1, 1, r, r, [])).toBe(true);
    expect(verifyConsistency(1, 1, r, EMPTY_ROOT, [])).toBe(false);
    expect(verifyConsistency(2, 1, r, r, [])).toBe(false);
    expect(verifyConsistency(1, 1, r, r, [EMPTY_ROOT])).toBe(false);
    expect(verifyInclusion(0, 0, leafHashes[0]!, [], EMPTY_ROOT)).toBe(false);
    expect(verifyInclusion(0, 1, leafHashes[0]!, [], leafHashes[0]!)).toBe(true);
    expect(() => inclusionProof(leafHashes, 8, 8)).toThrow(/not in a tree/);
    expect(() => consistencyProof(leafHashes, 5, 3)).toThrow(/exceeds/);
  });
});

/** MTH straight from RFC 9162 §2.1.1, on the leaf data, as an independent reference. */
function naiveRoot(data: Uint8Array[]): Uint8Array {
  if (data.length === 0) return sha256(new Uint8Array(0));
  if (data.length === 1) return sha256(Uint8Array.of(0, ...data[0]!));
  let k = 1;
  while (k * 2 < data.length) k *= 2;
  return sha256(Uint8Array.of(1, ...naiveRoot(data.slice(0, k)), ...naiveRoot(data.slice(k))));
}

describe('random trees against a naive recomputation', () => {
  const tree = fc.array(fc.uint8Array({ maxLength: 12 }), { minLength: 1, maxLength: 70 });

  it('root, inclusion of every leaf, and consistency of every prefix', () => {
    fc.assert(
      fc.property(tree, fc.nat(), fc.nat(), (data, a, b) => {
        const hashes = data.map(hashLeaf);
        const n = data.length;
        const root = treeRoot(hashes);
        expect(toHex(root)).toBe(toHex(naiveRoot(data)));
        const i = a % n;
        expect(verifyInclusion(i, n, hashes[i]!, inclusionProof(hashes, i), root)).toBe(true);
        // The proof of another leaf does not prove this one (unless the leaves are equal).
        const j = (i + 1) % n;
        if (n > 1 && toHex(hashes[i]!) !== toHex(hashes[j]!)) {
          expect(verifyInclusion(j, n, hashes[j]!, inclusionProof(hashes, i), root)).toBe(false);
        }
        const m = (b % n) + 1;
        const rootM = toHex(naiveRoot(data.slice(0, m)));
        expect(verifyConsistency(m, n, fromHex(rootM), root, consistencyProof(hashes, m))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('a changed leaf breaks consistency with the old tree', () => {
    fc.assert(
      fc.property(tree, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 }), (data, a, extra) => {
        const n = data.length;
        const m = (a % n) + 1;
        const old = treeRoot(data.map(hashLeaf), m);
        const edited = data.map((d, k) => (k === m - 1 ? Uint8Array.of(...d, ...extra) : d));
        const hashes = edited.map(hashLeaf);
        const root = treeRoot(hashes);
        expect(verifyConsistency(m, n, old, root, consistencyProof(hashes, m))).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});

describe('SubtreeMemo', () => {
  const many = Array.from({ length: 3000 }, (_, i) => hashLeaf(utf8(`leaf ${i}`)));
  it('gives the same roots and proofs as hashing every leaf, and keeps complete subtrees only', () => {
    const memo = new SubtreeMemo();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: many.length }),
        fc.integer({ min: 0, max: many.length - 1 }),
        fc.integer({ min: 0, max: many.length }),
        (size, i, m) => {
          const index = i % size;
          const first = m % (size + 1);
          expect(hex([treeRoot(many, size, memo)])).toEqual(hex([treeRoot(many, size)]));
          expect(hex(inclusionProof(many, index, size, memo))).toEqual(
            hex(inclusionProof(many, index, size)),
          );
          expect(hex(consistencyProof(many, first, size, memo))).toEqual(
            hex(consistencyProof(many, first, size)),
          );
        },
      ),
      { numRuns: 60 },
    );
    // 3000 leaves hold at most 11 + 5 + 2 + 1 complete subtrees of ≥ 256 leaves (sizes 256…2048).
    expect(memo.size).toBeGreaterThan(0);
    expect(memo.size).toBeLessThanOrEqual(19);
    // A proof served from the memo verifies against the plain root.
    const root = treeRoot(many);
    expect(verifyInclusion(2999, 3000, many[2999]!, inclusionProof(many, 2999, 3000, memo), root)).toBe(true);
    expect(
      verifyConsistency(1000, 3000, treeRoot(many, 1000), root, consistencyProof(many, 1000, 3000, memo)),
    ).toBe(true);
  });
});
