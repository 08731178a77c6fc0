import { sha256 } from '@noble/hashes/sha2.js';

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0) §2.1 with SHA-256: leaf hash
 * `SHA-256(0x00 ‖ leaf)`, node hash `SHA-256(0x01 ‖ left ‖ right)`, the tree head MTH of n leaves,
 * inclusion proofs (§2.1.3) and consistency proofs (§2.1.4), each generated and verified. Pure code:
 * no I/O, the same bytes in browsers and Node.
 */

/** Bytes of one hash. */
export const HASH_SIZE = 32;

/** MTH of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

/** `SHA-256(0x00 ‖ leaf)`. */
export function hashLeaf(leaf: Uint8Array): Uint8Array {
  const buf = new Uint8Array(leaf.length + 1);
  buf[0] = 0x00;
  buf.set(leaf, 1);
  return sha256(buf);
}

/** `SHA-256(0x01 ‖ left ‖ right)`. */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + left.length + right.length);
  buf[0] = 0x01;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return sha256(buf);
}

/** The largest power of two strictly smaller than n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function checkSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
}

/** Smallest complete subtree a {@link SubtreeMemo} keeps (2^8 leaves, as tlog tiles' height 8). */
export const MEMO_MIN_LEAVES = 256;

/**
 * Roots of complete subtrees (2^h leaves from a multiple of 2^h, h ≥ 8) of one log. Such a
 * subtree never changes once its leaves exist (the log is append-only), so after one pass over the
 * leaves a proof or a root costs O(log n) memoised nodes plus < 2·256 hashes at the ragged right
 * edge, instead of hashing every leaf again. Keep one memo per log and drop it if the leaves
 * given with it could differ (the memo does not check them).
 */
export class SubtreeMemo {
  private readonly roots = new Map<number, Uint8Array>();
  /**
   * Only subtrees within the first `trustedLeaves` leaves are kept or read (all by default): a
   * caller that holds leaves beyond what it has checked against a signed root sets this, so a
   * subtree over unchecked leaves never outlives the call.
   */
  trustedLeaves = Number.POSITIVE_INFINITY;
  /** Number of subtree roots held. */
  get size(): number {
    return this.roots.size;
  }
  /** The root of the complete subtree of `n` leaves from `start`, if held. */
  get(start: number, n: number): Uint8Array | undefined {
    return start + n <= this.trustedLeaves ? this.roots.get(memoKey(start, n)) : undefined;
  }
  /** Keeps the root of the complete subtree of `n` leaves from `start`. */
  set(start: number, n: number, root: Uint8Array): void {
    if (start + n <= this.trustedLeaves) this.roots.set(memoKey(start, n), root);
  }
}

/** One number per complete subtree: its start and height (exact below 2^47 leaves). */
function memoKey(start: number, n: number): number {
  return start * 64 + (31 - Math.clz32(n));
}

/** MTH(D[start:end]) over leaf hashes; complete subtrees of ≥ 256 leaves go through the memo. */
function subtreeRoot(
  leafHashes: readonly Uint8Array[],
  start: number,
  end: number,
  memo?: SubtreeMemo,
): Uint8Array {
  const n = end - start;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leafHashes[start]!;
  // Only the rightmost subtrees of the tree are incomplete; a power-of-two size here is complete.
  const complete = memo !== undefined && n >= MEMO_MIN_LEAVES && n < 2 ** 31 && (n & (n - 1)) === 0;
  if (complete) {
    const held = memo.get(start, n);
    if (held) return held;
  }
  const k = splitPoint(n);
  const root = hashChildren(
    subtreeRoot(leafHashes, start, start + k, memo),
    subtreeRoot(leafHashes, start + k, end, memo),
  );
  if (complete) memo.set(start, n, root);
  return root;
}

/**
 * The tree head MTH of the first `size` leaves (all of them by default), from their leaf hashes;
 * with a {@link SubtreeMemo} of the same log, in O(log n) once its subtrees are held.
 */
export function treeRoot(
  leafHashes: readonly Uint8Array[],
  size = leafHashes.length,
  memo?: SubtreeMemo,
): Uint8Array {
  checkSize(size, 'tree size');
  if (size > leafHashes.length) throw new RangeError(`tree size ${size} exceeds ${leafHashes.length} leaves`);
  return subtreeRoot(leafHashes, 0, size, memo);
}

/** PATH(m, D[0:size]) of RFC 9162 §2.1.3.1: the audit path of leaf `index` in the tree of `size` leaves. */
export function inclusionProof(
  leafHashes: readonly Uint8Array[],
  index: number,
  size = leafHashes.length,
  memo?: SubtreeMemo,
): Uint8Array[] {
  checkSize(index, 'leaf index');
  checkSize(size, 'tree size');
  if (size > leafHashes.length) throw new RangeError(`tree size ${size} exceeds ${leafHashes.length} leaves`);
  if (index >= size) throw new RangeError(`leaf index ${index} is not in a tree of ${size} leaves`);
  const path = (m: number, start: number, end: number): Uint8Array[] => {
    const n = end - start;
    if (n <= 1) return [];
    const k = splitPoint(n);
    return m < k
      ? [...path(m, start, start + k), subtreeRoot(leafHashes, start + k, end, memo)]
      : [...path(m - k, start + k, end), subtreeRoot(leafHashes, start, start + k, memo)];
  };
  return path(index, 0, size);
}

/** PROOF(m, D[0:n]) of RFC 9162 §2.1.4.1: proves the tree of `size1` leaves is a prefix of the one of `size2`. */
export function consistencyProof(
  leafHashes: readonly Uint8Array[],
  size1: number,
  size2 = leafHashes.length,
  memo?: SubtreeMemo,
): Uint8Array[] {
  checkSize(size1, 'first tree size');
  checkSize(size2, 'second tree size');
  if (size2 > leafHashes.length)
    throw new RangeError(`tree size ${size2} exceeds ${leafHashes.length} leaves`);
  if (size1 > size2) throw new RangeError(`first tree size ${size1} exceeds second tree size ${size2}`);
  if (size1 === 0 || size1 === size2) return [];
  const subproof = (m: number, start: number, end: number, complete: boolean): Uint8Array[] => {
    const n = end - start;
    if (m === n) return complete ? [] : [subtreeRoot(leafHashes, start, end, memo)];
    const k = splitPoint(n);
    return m <= k
      ? [...subproof(m, start, start + k, complete), subtreeRoot(leafHashes, start + k, end, memo)]
      : [...subproof(m - k, start + k, end, false), subtreeRoot(leafHashes, start, start + k, memo)];
  };
  return subproof(size1, 0, size2, true);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/**
 * The root that an inclusion proof leads to (RFC 9162 §2.1.3.2 steps 1–4), or null when the proof
 * cannot belong to a leaf `index` of a tree of `size` leaves (wrong length, wrong hash sizes).
 */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array | null {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  if (leafHash.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return null;
  // Numbers stay below 2^53; halving keeps them exact.
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** RFC 9162 §2.1.3.2: whether `proof` shows leaf `index` with `leafHash` is in the tree of `size` leaves with `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const r = rootFromInclusionProof(index, size, leafHash, proof);
  return r !== null && root.length === HASH_SIZE && equalBytes(r, root);
}

/**
 * RFC 9162 §2.1.4.2: whether `proof` shows that the tree of `size1` leaves with `root1` is a prefix
 * of the tree of `size2` leaves with `root2`. Equal sizes need equal roots and an empty proof; an
 * empty first tree is a prefix of any tree (empty proof).
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < size1)
    return false;
  if (proof.some((p) => p.length !== HASH_SIZE)) return false;
  if (size1 === size2) return proof.length === 0 && equalBytes(root1, root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  if (root1.length !== HASH_SIZE || root2.length !== HASH_SIZE) return false;
  // Step 2: a first tree of a power-of-two size is a complete subtree: its root starts the path.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(fr, root1) && equalBytes(sr, root2);
}

function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}
