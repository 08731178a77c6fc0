/**
 * The check of a published draw, as one function of plain data: what `publications.verifyDraw`
 * runs, here or (for a city draw: 10^8 bytes of JSON, seconds of hashing) on the verification
 * thread ({@link ./verification-thread}), so that nothing else waits for it.
 */
import {
  assertInstant,
  verifyBundleV2,
  verifySealedVoidV2,
  verifyVoidedBundleV2,
  type VerificationReport,
  type VerifyStepV2,
  type VoidedBundleV2,
} from '@spotcheck/core';
import { verificationFrom, wholeContentNeeded, type LogVerificationInputs } from '../log/proofs';
import { verifyPublishedDraw, type DrawVerification, type SignOff } from './bundle';
import { digestOf } from './canonical';
import { jsonMemberBytes } from './json-member';

/**
 * A published draw or void to check: its content as the JSON text stored (a string, or its UTF-8
 * bytes, which the verification thread is handed without a copy), or with `record` the JSON of the
 * whole publication record whose `content` it is (its public file's bytes), and what the check
 * reads besides.
 */
export type DrawCheck = (
  | { algorithm: 'sr-draw/v1'; content: string | Uint8Array }
  | {
      algorithm: 'sr-draw/v2';
      /** A v2 `void` publication (its commitment time from the log, the signed void against the registry). */
      isVoid: boolean;
      /** Whether the plan on record is covert (only its voids may be sealed); unknown: not checked. */
      planSealed?: boolean;
      content: string | Uint8Array;
      inputs: LogVerificationInputs;
      production: boolean;
    }
) & { record?: boolean };

/** Runs a {@link DrawCheck}: the report `publications.verifyDraw` answers; `onStep` hears each v2 step begin. */
export function runDrawCheck(
  check: DrawCheck,
  onStep?: (step: VerifyStepV2) => void,
): DrawCheckReport | OtherSigningTime {
  return runParsedCheck(check, parseContent({ ...check, whole: wholeContent(check) }), onStep);
}

/**
 * Whether a check reads its publication's whole content, not the bundle alone: a v2 publication's
 * whose own witnessed leaf dates its sign-off (one signed before signature records existed), to
 * compare the content's digest with the one the log recorded (§9.7; an edit of the content behind
 * the log's back fails then).
 */
export function wholeContent(check: DrawCheck): boolean {
  return check.algorithm === 'sr-draw/v2' && !!check.record && wholeContentNeeded(check.inputs);
}

/**
 * A check's content parsed, from JSON text as a string or as UTF-8 bytes. Of a record's bytes, only
 * what the check reads is decoded and parsed: a v2 check's bundle (not the names of the units
 * published beside it, ~4·10^7 bytes for a city), a v1 check's content.
 */
export function parseContent(
  check: Pick<DrawCheck, 'algorithm' | 'content' | 'record'> & { whole?: boolean; isVoid?: boolean },
): unknown {
  const { content } = check;
  if (check.record && typeof content !== 'string') {
    const v2 = check.algorithm === 'sr-draw/v2' && !check.whole;
    const member = jsonMemberBytes(content, v2 ? ['content', 'bundle'] : ['content']);
    // A covert plan's sealed void has no bundle: its whole content is the check's (a few kB).
    if (v2 && !member && check.isVoid) return parseContent({ ...check, whole: true });
    const value = member ? (JSON.parse(new TextDecoder().decode(member)) as unknown) : null;
    return v2 ? { bundle: value } : value;
  }
  const parsed = JSON.parse(
    typeof content === 'string' ? content : new TextDecoder().decode(content),
  ) as unknown;
  return check.record ? (parsed as { content?: unknown } | null)?.content : parsed;
}

/**
 * Runs a {@link DrawCheck} on its content parsed already ({@link parseContent}; the check's own
 * `content` is not read): the verification thread lets go of a city draw's ~10^8 bytes of text
 * (twice that as a string of CJK text) before the seconds of checking the parsed value.
 */
export function runParsedCheck(
  check: DrawCheck,
  parsed: unknown,
  onStep?: (step: VerifyStepV2) => void,
): DrawCheckReport | OtherSigningTime {
  if (check.algorithm === 'sr-draw/v1') {
    const content = parsed as { bundle: unknown; signOff: SignOff | null };
    const v1 = verifyPublishedDraw(content.bundle, content.signOff);
    return { algorithm: 'sr-draw/v1' as const, ok: v1.bundle.ok && v1.signature.ok, checks: [], ...v1 };
  }
  // A covert plan's void while the plan is unexecuted (R10): its signed void, no rows.
  if (check.isVoid && (parsed as { sealed?: unknown } | null)?.sealed === true) {
    const signedAt = signingTimeOf(parsed, true);
    if (signedAt !== check.inputs.signedAt) return { otherSigningTime: signedAt };
    const contentDigest = wholeContent(check) ? digestOf(parsed) : null;
    const log = verificationFrom({}, check.inputs, contentDigest);
    const report = verifySealedVoidV2(parsed, { ...log.options, production: check.production });
    // The content says its plan is covert; the plan on record must be too (an insider republishing
    // an open plan's void sealed would otherwise hide its rows behind an `info` line).
    if (check.planSealed === false)
      return {
        algorithm: 'sr-draw/v2' as const,
        ok: false,
        checks: [
          ...report.checks,
          {
            id: 'sealed',
            status: 'fail' as const,
            params: {},
            message: 'the plan on record is not covert: its void must be published in full',
          },
        ],
      };
    return { ...report, algorithm: 'sr-draw/v2' as const };
  }
  // Content edited into no publication at all (by hand, in the database): a failed check, not an error.
  const bundle = (parsed as { bundle?: unknown } | null)?.bundle;
  if (!bundle || typeof bundle !== 'object' || Array.isArray(bundle))
    return {
      algorithm: 'sr-draw/v2',
      ok: false,
      checks: [
        { id: 'parse', status: 'fail', params: {}, message: 'the publication holds no bundle object' },
      ],
    };
  const content = parsed as { bundle: object };
  // The registry is the one in force when the bundle says it was signed (or voided), whatever
  // the draw's row says: one picked by another time is picked again (a row edited to date a
  // revoked key's sign-off into its validity would otherwise pass).
  const signedAt = signingTimeOf(content.bundle, check.isVoid);
  if (signedAt !== check.inputs.signedAt) return { otherSigningTime: signedAt };
  // The digest of the content as read, for the log's leaf (same hashing as the publication's).
  const contentDigest = wholeContent(check) ? digestOf(parsed) : null;
  if (check.isVoid) {
    const log = verificationFrom(content.bundle as VoidedBundleV2, check.inputs, contentDigest);
    const report = verifyVoidedBundleV2(log.bundle, {
      ...log.options,
      production: check.production,
      ...(onStep ? { onStep } : {}),
    });
    return { ...report, algorithm: 'sr-draw/v2' as const };
  }
  // Every check, one line each, against the registry the bureau has published.
  const log = verificationFrom(content.bundle, check.inputs, contentDigest);
  const report = verifyBundleV2(log.bundle, {
    ...log.options,
    production: check.production,
    ...(onStep ? { onStep } : {}),
  });
  return { ...report, algorithm: 'sr-draw/v2' as const };
}

/** The report of a {@link DrawCheck}. */
export type DrawCheckReport =
  | (VerificationReport & { algorithm: 'sr-draw/v2' })
  | (VerificationReport & { algorithm: 'sr-draw/v1' } & DrawVerification);

/**
 * A v2 check's answer when its inputs' registry was picked by another signing time than its
 * bundle's: the caller reads the inputs of `otherSigningTime` and checks again (`checkDrawOffThread`).
 */
export interface OtherSigningTime {
  otherSigningTime: string | null;
}

/** The time a v2 bundle says it was signed (its sign-off's) or voided (its void's); null if it says none. */
export function signingTimeOf(bundle: unknown, isVoid: boolean): string | null {
  const b = (bundle ?? {}) as {
    signOff?: { signedAt?: unknown } | null;
    void?: { signedAt?: unknown } | null;
  };
  const at = (isVoid ? b.void : b.signOff)?.signedAt;
  // Only a real instant picks a registry (core's check refuses the bundle otherwise).
  try {
    assertInstant(at, 'signedAt');
    return at;
  } catch {
    return null;
  }
}
