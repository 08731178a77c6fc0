/**
 * An official's sign-off key, made and kept in this browser (sr-draw/v2 §6, issue #9): WebCrypto
 * Ed25519, generated non-extractable and stored as a CryptoKey in IndexedDB, so the private key
 * never leaves the browser (not even to this page's script). Only the raw public key goes to the
 * server, where an admin registers it in the bureau's published registry.
 */
import { signOffMessage, voidMessage, VOID_SPEC, type SignOff, type VoidEnvelope } from '@spotcheck/core';

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
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
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

async function sign(key: CryptoKey, message: Uint8Array): Promise<string> {
  return hex(await crypto.subtle.sign({ name: 'Ed25519' }, key, new Uint8Array(message)));
}

/** Whole seconds UTC `…Z`. */
export function wholeSeconds(d: Date): string {
  return new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Builds and signs a draw's sign-off (`sr-draw/v2/sign-off`) with a key held here. */
export async function signDrawOff(
  key: BrowserKey,
  signer: { id: string; name: string },
  signedAt: string,
  commitmentDigest: string,
  resultDigest: string,
): Promise<SignOff> {
  const s = { id: signer.id, name: signer.name, keyId: key.keyId };
  return {
    signer: s,
    signedAt,
    signature: await sign(key.privateKey, signOffMessage(s, signedAt, commitmentDigest, resultDigest)),
  };
}

/** Builds and signs a void (`sr-draw/v2/void`) with a key held here. */
export async function signVoidEnvelope(
  key: BrowserKey,
  signer: { id: string; name: string },
  signedAt: string,
  fields: { commitmentDigest: string; reason: string; requestedBy: string },
): Promise<Pick<VoidEnvelope, 'signer' | 'signedAt' | 'signature'>> {
  const body = {
    spec: VOID_SPEC,
    ...fields,
    signer: { id: signer.id, name: signer.name, keyId: key.keyId },
    signedAt,
  } as const;
  return { signer: body.signer, signedAt, signature: await sign(key.privateKey, voidMessage(body)) };
}
