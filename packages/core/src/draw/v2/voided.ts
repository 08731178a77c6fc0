/**
 * Voided attempts (SPEC §II.9.4): the published bundle of a voided attempt, its digest, the
 * `previous` block the next attempt commits to, and their verification.
 */
import { sha256hex } from '../canonical';
import { DrawInputError } from '../errors';
import { assertKeys, assertObject } from '../ids';
import { checkCommitmentRowsV2, commitmentDigestV2, completeBundleV2 } from './draw';
import { assertHex, validateInputsV2, validateVoidEnvelope } from './parse';
import { verifyVoid, voidMessage } from './signoff';
import {
  commitmentTimeLine,
  digestLines,
  registryEntriesLine,
  registryKeysBase64,
  registryTimeLine,
  signatureRecord,
  signOffLogTimeLine,
  verifyBundleV2,
} from './verify';
import type {
  PreviousAttempt,
  SealedVoidV2,
  SourceValueV2,
  UnsignedBundleV2,
  VerificationCheck,
  VerificationReport,
  VerifyOptionsV2,
  VoidedBundleV2,
  VoidEnvelope,
} from './types';

/**
 * Builds the bundle of a voided attempt: its inputs, and — when its source values exist — its
 * randomness and result, computed even if nobody drew. `values` null while a source did not exist.
 */
export function buildVoidedBundle(
  inputs: Omit<UnsignedBundleV2, 'randomness' | 'commitmentDigest'>,
  values: SourceValueV2[] | null,
  voidEnvelope: VoidEnvelope,
): VoidedBundleV2 {
  validateVoidEnvelope(voidEnvelope);
  if (values === null) {
    validateInputsV2({ ...inputs, randomness: { values: [] } }, false);
    checkCommitmentRowsV2(inputs.commitment, inputs);
    return {
      ...inputs,
      commitmentDigest: commitmentDigestV2(inputs.commitment),
      randomness: null,
      result: null,
      resultDigest: null,
      void: voidEnvelope,
    };
  }
  const computed = completeBundleV2({ ...inputs, randomness: { values } });
  return { ...computed, void: voidEnvelope };
}

/**
 * `previous.bundleDigest`: `sha256hex` of the voided attempt's published bundle, without its
 * `inclusion` (the log proof of its commitment, attached once a witnessed checkpoint holds it).
 */
export function voidedBundleDigest(bundle: VoidedBundleV2): string {
  const { inclusion: _proof, ...attempt } = bundle;
  return sha256hex(attempt);
}

/**
 * The `previous` block of the next attempt (SPEC §II.1, §II.9.4): `knownVoids` is the voided
 * attempt's own `previous.knownVoids` (0 for attempt 1), plus one when its randomness was known.
 */
export function previousFromVoided(bundle: VoidedBundleV2): PreviousAttempt {
  const before = bundle.commitment.previous?.knownVoids ?? 0;
  return {
    attempt: bundle.commitment.plan.attempt,
    commitmentDigest: bundle.commitmentDigest,
    sources: bundle.commitment.sources,
    randomness: bundle.randomness === null ? null : bundle.randomness.string,
    resultDigest: bundle.resultDigest,
    reason: bundle.void.reason,
    bundleDigest: voidedBundleDigest(bundle),
    knownVoids: before + (bundle.randomness === null ? 0 : 1),
  };
}

/**
 * Verifies a voided attempt's bundle: inputs and digests; when it carries randomness, every source
 * line and the result exactly as {@link verifyBundleV2}; the void envelope (signature against the
 * registry, a signer other than the requester, the right commitment digest).
 */
export function verifyVoidedBundleV2(bundle: unknown, options: VerifyOptionsV2 = {}): VerificationReport {
  const fail = (message: string): VerificationReport => ({
    algorithm: 'sr-draw/v2',
    ok: false,
    checks: [{ id: 'parse', status: 'fail', params: {}, message }],
  });
  let v: VoidedBundleV2;
  try {
    assertObject(bundle, 'bundle');
    assertKeys(
      bundle,
      'bundle',
      [
        'algorithm',
        'commitment',
        'commitmentDigest',
        'frame',
        'excluded',
        'inspectors',
        'experts',
        'randomness',
        'result',
        'resultDigest',
        'void',
      ],
      ['inclusion'],
    );
    validateVoidEnvelope(bundle.void);
    if (bundle.randomness === null) {
      if (bundle.result !== null || bundle.resultDigest !== null)
        throw new DrawInputError('result', 'a voided attempt without randomness has no result');
      validateInputsV2({ ...bundle, randomness: { values: [] } }, false);
      assertHex(bundle.commitmentDigest, 'commitmentDigest', 64);
    }
    v = bundle as unknown as VoidedBundleV2;
  } catch (err) {
    if (!(err instanceof DrawInputError)) throw err;
    return fail(`malformed voided bundle: ${err.message}`);
  }
  const context = { bureauKeys: registryKeysBase64(options.registry) };
  let checks: VerificationCheck[];
  if (v.randomness !== null) {
    const { void: _v, ...rest } = v;
    // (The registry given only keeps officials' keys from counting as log witnesses here: an
    // unsigned bundle stops before any sign-off line, and those lines are dropped.)
    checks = verifyBundleV2({ ...rest, signOff: null }, options).checks.filter(
      (c) => !c.id.startsWith('signOff'),
    );
  } else {
    checks = [
      { id: 'parse', status: 'pass', params: {}, message: 'voided bundle is well formed' },
      ...digestLines(v),
      commitmentTimeLine(v, options, context).line,
      {
        id: 'randomness',
        status: 'info',
        params: {},
        message: 'voided before its source values existed: no randomness and no result',
      },
    ];
  }
  checks.push(...voidLines(v.void, v.commitmentDigest, v.commitment.plan.bureau, options, context));
  return { algorithm: 'sr-draw/v2', ok: !checks.some((c) => c.status === 'fail'), checks };
}

/**
 * Verifies a covert plan's sealed void ({@link SealedVoidV2}, R10): its form, and its signed void
 * as {@link verifyVoidedBundleV2} checks it (the commitment it names, a second official, a
 * registered key at the void record's log time). The attempt's rows are not there to check: an
 * `info` line says so, and that they are checked when the plan's execution publishes them.
 */
export function verifySealedVoidV2(content: unknown, options: VerifyOptionsV2 = {}): VerificationReport {
  let v: SealedVoidV2;
  try {
    assertObject(content, 'content');
    if (content.sealed !== true) throw new DrawInputError('sealed', 'a sealed void says `sealed: true`');
    validateVoidEnvelope(content.void);
    assertHex(content.commitmentDigest, 'commitmentDigest', 64);
    assertHex(content.bundleDigest, 'bundleDigest', 64);
    if (content.resultDigest !== null) assertHex(content.resultDigest, 'resultDigest', 64);
    if (content.randomness === null && content.resultDigest !== null)
      throw new DrawInputError('resultDigest', 'a voided attempt without randomness has no result');
    const commitment = content.commitment;
    assertObject(commitment, 'commitment');
    assertObject(commitment.plan, 'commitment.plan');
    if (typeof commitment.plan.bureau !== 'string' || commitment.plan.bureau === '')
      throw new DrawInputError('commitment.plan.bureau', 'expected the bureau code');
    // Only a covert plan's void withholds its rows: any other is published in full (§9.4).
    if (commitment.plan.kind !== 'covert')
      throw new DrawInputError(
        'commitment.plan.kind',
        `only a covert plan's void is sealed, not a ${String(commitment.plan.kind)} plan's`,
      );
    v = content as unknown as SealedVoidV2;
  } catch (err) {
    if (!(err instanceof DrawInputError)) throw err;
    return {
      algorithm: 'sr-draw/v2',
      ok: false,
      checks: [{ id: 'parse', status: 'fail', params: {}, message: `malformed sealed void: ${err.message}` }],
    };
  }
  const checks: VerificationCheck[] = [
    { id: 'parse', status: 'pass', params: {}, message: 'sealed void is well formed' },
    {
      id: 'sealed',
      status: 'info',
      params: { bundleDigest: v.bundleDigest },
      message: `covert plan: the voided attempt's frame, teams and result are published, and checked, once the plan is executed; bundle digest ${v.bundleDigest} fixes them now`,
    },
    ...voidLines(v.void, v.commitmentDigest, v.commitment.plan.bureau, options, {
      bureauKeys: registryKeysBase64(options.registry),
    }),
  ];
  return { algorithm: 'sr-draw/v2', ok: !checks.some((c) => c.status === 'fail'), checks };
}

/**
 * Checks that a commitment's `previous` block describes exactly this voided bundle (the attempt
 * chain link the portal shows): one `previous.bundle` line.
 */
export function checkPreviousLink(
  previous: PreviousAttempt | null,
  voided: VoidedBundleV2,
): VerificationCheck {
  if (previous === null)
    return {
      id: 'previous.bundle',
      status: 'fail',
      params: {},
      message: 'the commitment has no previous attempt',
    };
  const expected = previousFromVoided(voided);
  const diff = (Object.keys(expected) as (keyof PreviousAttempt)[]).filter(
    (k) => sha256hex(expected[k] as never) !== sha256hex(previous[k] as never),
  );
  return diff.length === 0
    ? {
        id: 'previous.bundle',
        status: 'pass',
        params: { bundleDigest: expected.bundleDigest },
        message: `previous describes the published voided attempt ${expected.attempt} (bundle ${expected.bundleDigest})`,
      }
    : {
        id: 'previous.bundle',
        status: 'fail',
        params: { fields: diff.join(',') },
        message: `previous differs from the published voided attempt in ${diff.join(', ')}`,
      };
}

/**
 * The lines of a signed void (§9.4, §9.7): it names `commitmentDigest`; with a registry, its
 * signature by a second official with a registered key, the registry's log time and entries, and
 * the key at the void record's log time; without one, a warning (a fail if the requester signed).
 */
function voidLines(
  env: VoidEnvelope,
  commitmentDigest: string,
  bureau: string,
  options: VerifyOptionsV2,
  context: { bureauKeys: readonly string[] },
): VerificationCheck[] {
  const checks: VerificationCheck[] = [];
  if (env.commitmentDigest !== commitmentDigest)
    checks.push({
      id: 'void',
      status: 'fail',
      params: {},
      message: `the void names commitment ${env.commitmentDigest}, the bundle is ${commitmentDigest}`,
    });
  else if (options.registry === undefined)
    checks.push({
      id: 'void',
      status: env.signer.id === env.requestedBy ? 'fail' : 'warn',
      params: { signer: env.signer.id, requestedBy: env.requestedBy, reason: env.reason },
      message:
        env.signer.id === env.requestedBy
          ? `the void is signed by its requester ${env.requestedBy}; a second official must sign`
          : `signer not checked: no key registry given (void ${env.reason} by ${env.signer.name}, requested by ${env.requestedBy})`,
    });
  else {
    const res = verifyVoid(env, options.registry, bureau);
    checks.push(
      res.ok
        ? {
            id: 'void',
            status: 'pass',
            params: { signer: env.signer.id, requestedBy: env.requestedBy, reason: env.reason },
            message: `voided (${env.reason}) by ${env.signer.name} (${env.signer.id}) at the request of ${env.requestedBy}, with a registered key`,
          }
        : {
            id: 'void',
            status: 'fail',
            params: { rule: res.rule },
            message: `void rejected: ${res.reason}`,
          },
    );
    // The void's key against the log (§9.7), as a draw's sign-off.
    checks.push(
      registryTimeLine(options, env.signedAt, context),
      registryEntriesLine(options, env.signer.keyId, context),
    );
    const logTime = signOffLogTimeLine(
      options,
      signatureRecord('void', bureau, commitmentDigest, null, env),
      voidMessage(env),
      context,
    );
    checks.push(logTime);
  }
  return checks;
}
