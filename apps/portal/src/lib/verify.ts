/**
 * The in-browser draw verifier: recomputes an sr-draw/v1 bundle with @spotcheck/core (pure, no
 * server) and checks the R24 sign-off with WebCrypto Ed25519. Everything here is pure or takes
 * its crypto as a parameter, so the same code runs in the page, in a worker and in unit tests.
 */
import {
  digestOf,
  verifyAnyBundle,
  verifyBundle,
  verifyVoidedBundleV2,
  type DrawBundle,
  type VerificationReport,
  type VerifySummary,
} from '@spotcheck/core';
import {
  commitmentInclusionVerifier,
  registryInclusionVerifier,
  signOffInclusionVerifier,
  type WitnessKey,
} from '@spotcheck/core/log';

/** The sign-off published beside a bundle (R24), as `publications.get` returns it. */
export interface SignOff {
  algorithm: 'Ed25519';
  message: string;
  /** Base64 signature. */
  signature: string;
  /** Base64 SPKI DER. */
  publicKey: string;
  signer: string;
  signedAt: string;
}

/** Outcome of recomputing a bundle. */
export type BundleCheck = { ok: true; summary: VerifySummary } | { ok: false; reason: string };

/** Outcome of checking a signature: `unsupported` when the browser lacks Ed25519 in WebCrypto. */
export type SignatureCheck =
  | { status: 'valid' }
  | { status: 'invalid'; reason: string }
  | { status: 'absent' }
  | { status: 'unsupported'; reason: string };

/** The exact text an approver signs for a draw; mirrors the server's `drawSignatureMessage`. */
export function signatureMessage(commitmentDigest: string, resultDigest: string): string {
  return `sr-draw/v1 sign-off\ncommitmentDigest=${commitmentDigest}\nresultDigest=${resultDigest}\n`;
}

/** Decodes standard base64 (throws on anything else). */
export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) throw new Error('not base64');
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Recomputes a bundle (digests, R, every selected row, teams, strata, result digest). */
export function checkBundle(bundle: unknown): BundleCheck {
  try {
    return verifyBundle(bundle);
  } catch (err) {
    // verifyBundle reports input errors itself; anything else (e.g. a wrong JSON shape deep
    // inside) still means "does not verify", with the message as the reason.
    return { ok: false, reason: (err as Error).message };
  }
}

/** What the public log adds to a v2 check: the city's witnesses and the registry's inclusion proof. */
export interface LogTrust {
  /** The witnesses the city published (the trust anchor of every log proof). */
  witnesses: WitnessKey[];
  /** The inclusion proof of `registry` in a witnessed checkpoint (§9.7), when there is one. */
  registryInclusion?: unknown;
  /** Earlier registry versions with their proofs: when each key was first logged (§9.7). */
  registryHistory?: unknown;
  /**
   * The sign-off's log entry (§9.7): the inclusion of its signature record, or of the draw's (the
   * void's) own publication with that publication's `content` as served (it holds the bundle
   * checked); `inclusion` null when the log holds none, undefined while none is witnessed (then
   * `pendingAt`: when the page found it so).
   */
  signOff?: { inclusion: unknown; content?: unknown; pendingAt?: string };
  /**
   * The bureau's newest registry by the log's order, with its inclusion (null: its publication is
   * gone), and every earlier version in log order with theirs (an end once published is final).
   */
  currentRegistry?: { registry: unknown; inclusion: unknown; history?: unknown };
}

/**
 * Whether `bundle` is the one `content.bundle` holds: the same values (by reference, so a 10^8-byte
 * bundle costs nothing; a worker message keeps shared references), plus at most the commitment's
 * `inclusion` the page added where the publication had none.
 */
export function holdsBundle(content: unknown, bundle: unknown): boolean {
  const inner = (content as { bundle?: unknown } | null)?.bundle;
  if (inner === bundle) return true;
  if (!inner || typeof inner !== 'object' || !bundle || typeof bundle !== 'object') return false;
  const a = inner as Record<string, unknown>;
  const b = bundle as Record<string, unknown>;
  for (const k of Object.keys(b)) if (!Object.hasOwn(a, k) && k !== 'inclusion') return false;
  return Object.keys(a).every((k) => a[k] === b[k]);
}

/** The §9.7 options: the sign-off's log entry and the bureau's current registry. */
function signOffLogOptions(bundle: unknown, log: LogTrust) {
  const so = log.signOff;
  const current = log.currentRegistry;
  return {
    ...(so
      ? {
          verifySignOffInclusion: signOffInclusionVerifier(log.witnesses),
          ...(so.inclusion !== undefined ? { signOffInclusion: so.inclusion } : {}),
          ...(so.inclusion === undefined && so.pendingAt ? { signOffPendingAt: so.pendingAt } : {}),
          // A bundle that is not the publication's own is bound to no digest the log holds.
          ...(so.content !== undefined
            ? {
                signOffContentDigest: holdsBundle(so.content, bundle)
                  ? digestOf(so.content)
                  : 'not-this-bundle',
              }
            : {}),
        }
      : {}),
    ...(current
      ? {
          currentRegistry: current.registry,
          ...(current.inclusion ? { currentRegistryInclusion: current.inclusion } : {}),
          ...(current.history !== undefined ? { currentRegistryHistory: current.history } : {}),
        }
      : {}),
  };
}

/**
 * Verifies an sr-draw/v2 bundle line by line (`@spotcheck/core`), the sign-off against `registry`
 * (the bureau's published key registry, never a key from the bundle; `undefined` when none is
 * published, so the report says "signer not checked"); with `log`, the bundle's `inclusion`
 * proves the commitment time (§9.1) and `log.registryInclusion` the registry's (§9.7). Never throws.
 */
export function checkBundleV2(bundle: unknown, registry: unknown, log?: LogTrust): VerificationReport {
  // A voided attempt's bundle (it carries the signed `void`) is checked as one: its inputs, its
  // randomness and result when they existed, and the void's signer against the registry.
  const verify =
    typeof bundle === 'object' && bundle !== null && Object.hasOwn(bundle, 'void')
      ? verifyVoidedBundleV2
      : verifyAnyBundle;
  try {
    return verify(bundle, {
      ...(registry === undefined ? {} : { registry }),
      ...(log
        ? {
            verifyInclusion: commitmentInclusionVerifier(log.witnesses),
            registryInclusion: log.registryInclusion,
            registryHistory: log.registryHistory,
            verifyRegistryInclusion: registryInclusionVerifier(log.witnesses),
            ...signOffLogOptions(bundle, log),
          }
        : {}),
    });
  } catch (err) {
    return {
      algorithm: 'unknown',
      ok: false,
      checks: [{ id: 'parse', status: 'fail', params: {}, message: (err as Error).message }],
    };
  }
}

/**
 * Checks an Ed25519 sign-off against the digests the bundle carries (not the message text the
 * sign-off claims): the signature must cover exactly this commitment and this result.
 */
export async function checkSignOff(
  bundle: unknown,
  signOff: SignOff | null,
  subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle,
): Promise<SignatureCheck> {
  if (!signOff) return { status: 'absent' };
  const b = bundle as Partial<DrawBundle> | null;
  if (!b || typeof b.commitmentDigest !== 'string' || typeof b.resultDigest !== 'string')
    return { status: 'invalid', reason: 'the bundle lacks commitmentDigest or resultDigest' };
  const message = signatureMessage(b.commitmentDigest, b.resultDigest);
  if (signOff.message !== undefined && signOff.message !== message)
    return { status: 'invalid', reason: 'the signed message does not name this bundle’s digests' };
  let spki: Uint8Array<ArrayBuffer>;
  let signature: Uint8Array<ArrayBuffer>;
  try {
    spki = base64ToBytes(signOff.publicKey);
    signature = base64ToBytes(signOff.signature);
  } catch {
    return { status: 'invalid', reason: 'the public key or signature is not base64' };
  }
  if (!subtle) return { status: 'unsupported', reason: 'this browser has no WebCrypto' };
  let key: CryptoKey;
  try {
    key = await subtle.importKey('spki', spki, { name: 'Ed25519' }, false, ['verify']);
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'NotSupportedError')
      return { status: 'unsupported', reason: 'this browser has no Ed25519 in WebCrypto' };
    return { status: 'invalid', reason: 'the public key is not an Ed25519 SPKI key' };
  }
  const ok = await subtle.verify({ name: 'Ed25519' }, key, signature, new TextEncoder().encode(message));
  return ok
    ? { status: 'valid' }
    : { status: 'invalid', reason: 'the signature does not match the digests and public key' };
}

/** What a visitor pasted or uploaded, resolved to a bundle and its sign-off (if any). */
export type ParsedVerifierInput =
  | {
      ok: true;
      bundle: unknown;
      signOff: SignOff | null;
      registry?: unknown;
      registryInclusion?: unknown;
      registryHistory?: unknown;
      witnesses?: unknown;
      signOffInclusion?: unknown;
      currentRegistry?: unknown;
      currentRegistryInclusion?: unknown;
      currentRegistryHistory?: unknown;
    }
  | { ok: false; reason: string };

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function asSignOff(x: unknown): SignOff | null {
  if (!isObject(x)) return null;
  return typeof x.publicKey === 'string' && typeof x.signature === 'string'
    ? (x as unknown as SignOff)
    : null;
}

/**
 * Accepts the three shapes a visitor may have: a bare bundle (`spotcheck verify` input), the
 * draw publication's content `{bundle, signOff}`, or a whole publication `{…, content}`.
 */
export function parseVerifierInput(text: string): ParsedVerifierInput {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  if (!isObject(data)) return { ok: false, reason: 'expected a JSON object' };
  // An sr-draw/v2 bundle carries its sign-off; a registry may come beside it (the portal's
  // download `{bundle, registry}`, or a draw publication's content).
  const withRegistry = (x: Record<string, unknown>) => {
    const out: {
      registry?: unknown;
      registryInclusion?: unknown;
      registryHistory?: unknown;
      witnesses?: unknown;
      signOffInclusion?: unknown;
      currentRegistry?: unknown;
      currentRegistryInclusion?: unknown;
      currentRegistryHistory?: unknown;
    } = {};
    for (const k of [
      'registry',
      'registryInclusion',
      'registryHistory',
      'witnesses',
      'signOffInclusion',
      'currentRegistry',
      'currentRegistryInclusion',
      'currentRegistryHistory',
    ] as const)
      if (x[k] !== undefined && x[k] !== null) out[k] = x[k];
    return out;
  };
  if (isObject(data.content) && 'bundle' in data.content)
    return {
      ok: true,
      bundle: data.content.bundle,
      signOff: asSignOff(data.content.signOff),
      ...withRegistry(data.content),
    };
  if ('bundle' in data)
    return { ok: true, bundle: data.bundle, signOff: asSignOff(data.signOff), ...withRegistry(data) };
  if ('algorithm' in data) return { ok: true, bundle: data, signOff: null };
  return { ok: false, reason: 'expected an sr-draw bundle (a JSON object with "algorithm")' };
}
