import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, utf8 } from '../draw/canonical';

/**
 * Checkpoints of the transparency log, in the text form of C2SP `tlog-checkpoint` (origin, tree
 * size, base64 root hash) with one extension line `time <unix seconds>`, signed by the log with
 * Ed25519 over that text (a signed note) and co-signed by witnesses as in C2SP `tlog-cosignature`
 * v1: each witness signs `cosignature/v1\ntime <its own clock>\n` followed by the checkpoint text.
 */

/** What a checkpoint states. `time` is whole seconds UTC, written `YYYY-MM-DDTHH:MM:SSZ`. */
export interface Checkpoint {
  /** The log's identity (C2SP origin line). */
  origin: string;
  size: number;
  /** MTH of the first `size` leaves, lowercase hex. */
  rootHash: string;
  time: string;
}

/** A witness's co-signature of a checkpoint. */
export interface Cosignature {
  /** The witness's key name (C2SP: printable ASCII, no spaces, no `+`). */
  witness: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  /** The witness's clock when it signed (whole seconds UTC, `Z`). */
  time: string;
  /** Ed25519 signature (64 bytes, base64) over {@link cosignatureMessage}. */
  signature: string;
}

/** A checkpoint with the log's signature and the witnesses' co-signatures. */
export interface SignedCheckpoint extends Checkpoint {
  /** The log's raw 32-byte Ed25519 public key, base64. */
  logKey: string;
  /** Ed25519 signature (base64) over {@link checkpointBody}. */
  signature: string;
  cosignatures: Cosignature[];
}

/** A witness as the city registers it. */
export interface WitnessKey {
  name: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  /** Who runs it (shown to people), e.g. 天津市应急管理局监督处. */
  label?: string;
}

/** Witnesses must see the checkpoint time within this many seconds of their own clock. */
export const WITNESS_CLOCK_SKEW_SECONDS = 30;
/** A checkpoint counts only with this many independent witness co-signatures. */
export const MIN_WITNESSES = 2;

const KEY_NAME = /^[\x21-\x2a\x2c-\x7e]{1,64}$/;
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Whether a witness or log key name is valid (printable ASCII without spaces or `+`, ≤ 64 chars). */
export function isValidKeyName(name: string): boolean {
  return KEY_NAME.test(name);
}

/** Whole seconds UTC, `YYYY-MM-DDTHH:MM:SSZ`. */
export function isoSeconds(d: Date | number): string {
  const ms = typeof d === 'number' ? d : d.getTime();
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function unixSeconds(iso: string, what: string): number {
  if (!ISO_SECONDS.test(iso))
    throw new Error(
      `${what} must be whole seconds UTC like 2026-01-01T00:00:00Z, got ${JSON.stringify(iso)}`,
    );
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms) || isoSeconds(ms) !== iso) throw new Error(`${what} is not a valid time: ${iso}`);
  return ms / 1000;
}

/** Base64 of bytes (standard alphabet, padded). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return btoa(s);
}

/** Bytes of a base64 string; throws on anything else. */
export function fromBase64(b64: string, what = 'base64'): Uint8Array {
  if (typeof b64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) {
    throw new Error(`${what} must be base64`);
  }
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The checkpoint text that the log signs (C2SP tlog-checkpoint with a `time` extension line). */
export function checkpointBody(c: Checkpoint): string {
  if (c.origin.length === 0 || /[\n\r]/.test(c.origin) || /^\s|\s$/.test(c.origin)) {
    throw new Error('origin must be one non-empty line without surrounding spaces');
  }
  if (!Number.isSafeInteger(c.size) || c.size < 0)
    throw new Error(`tree size must be a non-negative integer, got ${c.size}`);
  if (!/^[0-9a-f]{64}$/.test(c.rootHash)) throw new Error('rootHash must be 64 lowercase hex characters');
  return `${c.origin}\n${c.size}\n${toBase64(fromHex(c.rootHash))}\ntime ${unixSeconds(c.time, 'checkpoint time')}\n`;
}

/** The message a witness signs (C2SP tlog-cosignature v1) at its own time `witnessTime`. */
export function cosignatureMessage(c: Checkpoint, witnessTime: string): string {
  return `cosignature/v1\ntime ${unixSeconds(witnessTime, 'witness time')}\n${checkpointBody(c)}`;
}

/** A new Ed25519 key pair: raw 32-byte secret and public keys, base64. */
export function generateLogKeyPair(): { secretKey: string; publicKey: string } {
  const { secretKey, publicKey } = ed25519.keygen();
  return { secretKey: toBase64(secretKey), publicKey: toBase64(publicKey) };
}

/** The public key (base64) of a base64 secret key. */
export function publicKeyOf(secretKey: string): string {
  return toBase64(ed25519.getPublicKey(fromBase64(secretKey, 'secret key')));
}

/** Whether a base64 string is a usable Ed25519 public key (32 bytes, on the curve, not of small order). */
export function isValidPublicKey(publicKey: string): boolean {
  try {
    const raw = fromBase64(publicKey);
    if (raw.length !== 32) return false;
    return !ed25519.Point.fromBytes(raw).isSmallOrder();
  } catch {
    return false;
  }
}

/** RFC 8032 verification (no ZIP-215 leniency), refusing small-order keys. */
function verifyEd25519(publicKey: string, message: string, signature: string): boolean {
  try {
    if (!isValidPublicKey(publicKey)) return false;
    const sig = fromBase64(signature);
    if (sig.length !== 64) return false;
    return ed25519.verify(sig, utf8(message), fromBase64(publicKey), { zip215: false });
  } catch {
    return false;
  }
}

/** The log's signature (base64) of a checkpoint. */
export function signCheckpoint(c: Checkpoint, logSecretKey: string): string {
  return toBase64(ed25519.sign(utf8(checkpointBody(c)), fromBase64(logSecretKey, 'log secret key')));
}

/** Whether `signature` is the log key's signature of the checkpoint. */
export function verifyCheckpointSignature(c: Checkpoint, logKey: string, signature: string): boolean {
  try {
    return verifyEd25519(logKey, checkpointBody(c), signature);
  } catch {
    return false;
  }
}

/** A witness's co-signature of a checkpoint at its own time. */
export function cosignCheckpoint(
  c: Checkpoint,
  witness: { name: string; secretKey: string },
  witnessTime: string,
): Cosignature {
  if (!isValidKeyName(witness.name))
    throw new Error(
      `witness name ${JSON.stringify(witness.name)} must be printable ASCII without spaces or +`,
    );
  const sk = fromBase64(witness.secretKey, 'witness secret key');
  return {
    witness: witness.name,
    publicKey: toBase64(ed25519.getPublicKey(sk)),
    time: witnessTime,
    signature: toBase64(ed25519.sign(utf8(cosignatureMessage(c, witnessTime)), sk)),
  };
}

/** Whether a co-signature is valid for the checkpoint (signature only; see {@link witnessesOf} for trust). */
export function verifyCosignature(c: Checkpoint, cos: Cosignature): boolean {
  let message: string;
  try {
    message = cosignatureMessage(c, cos.time);
  } catch {
    return false;
  }
  const memoised = typeof cos.publicKey === 'string' && typeof cos.signature === 'string';
  const key = memoised ? JSON.stringify([cos.publicKey, cos.signature, message]) : '';
  const known = memoised ? cosignatureMemo.get(key) : undefined;
  if (known !== undefined) return known;
  let ok: boolean;
  try {
    ok = verifyEd25519(cos.publicKey, message, cos.signature);
  } catch {
    ok = false;
  }
  if (memoised) {
    if (cosignatureMemo.size >= COSIGNATURE_MEMO_MAX) cosignatureMemo.clear();
    cosignatureMemo.set(key, ok);
  }
  return ok;
}

/**
 * Co-signatures verified so far, by everything their verification reads (key, signature, signed
 * message): each is verified once per process. Verifiers read the same checkpoints again and again
 * (every draw check reads several), and co-signature rows an insider wrote by the thousand would
 * otherwise cost an Ed25519 verification each on every read.
 */
const cosignatureMemo = new Map<string, boolean>();
const COSIGNATURE_MEMO_MAX = 8192;

/** Seconds between two `isoSeconds` times (b − a). */
export function secondsBetween(a: string, b: string): number {
  return (Date.parse(b) - Date.parse(a)) / 1000;
}

/**
 * The trusted witnesses whose co-signatures of a checkpoint are valid: signature good, key in the
 * trusted list (matched by key, named as registered), time within ±30 s of the checkpoint time,
 * and key not the log's own. Each key counts once.
 */
export function witnessesOf(cp: SignedCheckpoint, trusted: readonly WitnessKey[]): WitnessKey[] {
  const out: WitnessKey[] = [];
  for (const cos of cp.cosignatures) {
    const w = trusted.find((t) => t.publicKey === cos.publicKey && t.name === cos.witness);
    if (!w || w.publicKey === cp.logKey || out.some((o) => o.publicKey === w.publicKey)) continue;
    if (!ISO_SECONDS.test(cos.time)) continue;
    if (Math.abs(secondsBetween(cp.time, cos.time)) > WITNESS_CLOCK_SKEW_SECONDS) continue;
    if (!verifyCosignature(cp, cos)) continue;
    out.push(w);
  }
  return out;
}

function keyId(name: string, type: number, publicKey: Uint8Array): Uint8Array {
  const n = utf8(name);
  const buf = new Uint8Array(n.length + 2 + publicKey.length);
  buf.set(n, 0);
  buf[n.length] = 0x0a;
  buf[n.length + 1] = type;
  buf.set(publicKey, n.length + 2);
  return sha256(buf).slice(0, 4);
}

/**
 * The checkpoint as a C2SP signed note: the body, a blank line, the log's signature line (key type
 * 0x01, named by the origin) and one `cosignature/v1` line per witness (key type 0x04, with the
 * big-endian 8-byte time before the signature), readable by standard witness tooling.
 */
export function formatCheckpointNote(cp: SignedCheckpoint): string {
  const lines = [
    `— ${cp.origin} ${toBase64(concat(keyId(cp.origin, 0x01, fromBase64(cp.logKey)), fromBase64(cp.signature)))}`,
  ];
  for (const cos of cp.cosignatures) {
    const t = new Uint8Array(8);
    new DataView(t.buffer).setBigUint64(0, BigInt(Date.parse(cos.time) / 1000));
    lines.push(
      `— ${cos.witness} ${toBase64(concat(keyId(cos.witness, 0x04, fromBase64(cos.publicKey)), t, fromBase64(cos.signature)))}`,
    );
  }
  return `${checkpointBody(cp)}\n${lines.join('\n')}\n`;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
