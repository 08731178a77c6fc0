/**
 * The check of a published draw, as one function of plain data: what `publications.verifyDraw`
 * runs, here or (for a city draw: 10^8 bytes of JSON, seconds of hashing) on the verification
 * thread ({@link ./verification-thread}), so that nothing else waits for it.
 */
import {
  verifyBundleV2,
  verifyVoidedBundleV2,
  type VerifyStepV2,
  type VoidedBundleV2,
} from '@spotcheck/core';
import { verificationFrom, type LogVerificationInputs } from '../log/proofs';
import { verifyPublishedDraw, type SignOff } from './bundle';

/** A published draw or void to check: its content as the JSON text stored, and what the check reads besides. */
export type DrawCheck =
  | { algorithm: 'sr-draw/v1'; content: string }
  | {
      algorithm: 'sr-draw/v2';
      /** A v2 `void` publication (its commitment time from the log, the signed void against the registry). */
      isVoid: boolean;
      content: string;
      inputs: LogVerificationInputs;
      production: boolean;
    };

/** Runs a {@link DrawCheck}: the report `publications.verifyDraw` answers; `onStep` hears each v2 step begin. */
export function runDrawCheck(check: DrawCheck, onStep?: (step: VerifyStepV2) => void) {
  if (check.algorithm === 'sr-draw/v1') {
    const content = JSON.parse(check.content) as { bundle: unknown; signOff: SignOff | null };
    const v1 = verifyPublishedDraw(content.bundle, content.signOff);
    return { algorithm: 'sr-draw/v1' as const, ok: v1.bundle.ok && v1.signature.ok, checks: [], ...v1 };
  }
  const content = JSON.parse(check.content) as { bundle: object };
  if (check.isVoid) {
    const log = verificationFrom(content.bundle as VoidedBundleV2, check.inputs);
    const report = verifyVoidedBundleV2(log.bundle, {
      ...log.options,
      production: check.production,
      ...(onStep ? { onStep } : {}),
    });
    return { ...report, algorithm: 'sr-draw/v2' as const };
  }
  // Every check, one line each, against the registry the bureau has published.
  const log = verificationFrom(content.bundle, check.inputs);
  const report = verifyBundleV2(log.bundle, {
    ...log.options,
    production: check.production,
    ...(onStep ? { onStep } : {}),
  });
  return { ...report, algorithm: 'sr-draw/v2' as const };
}

/** The report of a {@link DrawCheck}. */
export type DrawCheckReport = ReturnType<typeof runDrawCheck>;
