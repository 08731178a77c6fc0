/**
 * An official's sign-off key, made and kept in this browser (sr-draw/v2 §6, issue #9): WebCrypto
 * Ed25519, generated non-extractable and stored as a CryptoKey in IndexedDB, so the private key
 * never leaves the browser (not even to this page's script). Only the raw public key goes to the
 * server, where an admin registers it in the bureau's published registry.
 */
import {
  buildSignOff,
  buildVoidSignature,
  wholeSecondsOf,
  type EnvelopeKey,
  type SignOff,
  type VoidSignature,
} from '@spotcheck/core';

const DB = 'spotcheck-signing-keys';
const STORE = 'keys';

/** A key held in this browser. */
export interface BrowserKey {
  /** `userId@bureau`. */
  slot: string;
  keyId: string;
  publicKey: string;
  createdAt: string;
  privateKey: CryptoKey;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'keyId' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB unavailable'));
  });
}

async function tx<T>(mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  return new Promise<T>((resolve, reject) => {
    const req = run(db.transaction(STORE, mode).objectStore(STORE));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  }).finally(() => db.close());
}

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

/** Whether this browser can make Ed25519 keys with WebCrypto. */
export async function ed25519Supported(): Promise<boolean> {
  try {
    await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
    return true;
  } catch {
    return false;
  }
}

/** Generates a new non-extractable key pair for a user and bureau and stores it here. */
export async function generateBrowserKey(userId: string, bureau: string): Promise<BrowserKey> {
  const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  const raw = await crypto.subtle.exportKey('raw', pair.publicKey);
  const key: BrowserKey = {
    slot: `${userId}@${bureau}`,
    keyId: hex(await crypto.subtle.digest('SHA-256', raw)),
    publicKey: hex(raw),
    createdAt: new Date().toISOString(),
    privateKey: pair.privateKey,
  };
  await tx('readwrite', (s) => s.put(key));
  return key;
}

/** Keys this browser holds for a user and bureau, newest first. */
export async function browserKeys(userId: string, bureau: string): Promise<BrowserKey[]> {
  const all = (await tx('readonly', (s) => s.getAll())) as BrowserKey[];
  return all
    .filter((k) => k.slot === `${userId}@${bureau}`)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Forgets a key in this browser (after revocation). */
export async function forgetBrowserKey(keyId: string): Promise<void> {
  await tx('readwrite', (s) => s.delete(keyId));
}

/** The envelope key of a key held here: core builds the envelope, WebCrypto signs its bytes. */
function envelopeKey(key: BrowserKey): EnvelopeKey {
  return {
    keyId: key.keyId,
    sign: async (message) =>
      hex(await crypto.subtle.sign({ name: 'Ed25519' }, key.privateKey, new Uint8Array(message))),
  };
}

/** Whole seconds UTC `…Z`. */
export const wholeSeconds = wholeSecondsOf;

/** Builds and signs a draw's sign-off (`sr-draw/v2/sign-off`) with a key held here. */
export function signDrawOff(
  key: BrowserKey,
  signer: { id: string; name: string },
  signedAt: string,
  commitmentDigest: string,
  resultDigest: string,
): Promise<SignOff> {
  return buildSignOff(envelopeKey(key), signer, signedAt, commitmentDigest, resultDigest);
}

/** Builds and signs a void (`sr-draw/v2/void`) with a key held here. */
export function signVoidEnvelope(
  key: BrowserKey,
  signer: { id: string; name: string },
  signedAt: string,
  fields: { commitmentDigest: string; reason: string; requestedBy: string },
): Promise<VoidSignature> {
  return buildVoidSignature(envelopeKey(key), signer, signedAt, fields);
}
