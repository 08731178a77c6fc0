import { digestOf, type VerificationReport } from '@spotcheck/core';
import { checkBundle, checkBundleV2, type BundleCheck, type LogTrust } from './verify';

/** A message to the verification worker. */
export type WorkerRequest =
  | { kind: 'v1'; bundle: unknown }
  | { kind: 'v2'; bundle: unknown; registry: unknown; log?: LogTrust }
  | { kind: 'digest'; value: unknown };

/** Runs one request in a Web Worker; where workers are unavailable, on the main thread. */
function inWorker<T>(request: WorkerRequest, here: () => T): Promise<T> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return Promise.resolve(here());
  }
  return new Promise<T>((resolve) => {
    worker.onmessage = (e: MessageEvent<T>) => {
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = () => {
      worker.terminate();
      resolve(here());
    };
    worker.postMessage(request);
  });
}

/** Recomputes an sr-draw/v1 bundle in a Web Worker. */
export function runCheckBundle(bundle: unknown): Promise<BundleCheck> {
  return inWorker({ kind: 'v1', bundle }, () => checkBundle(bundle));
}

/**
 * Verifies an sr-draw/v2 bundle line by line in a Web Worker, the signer against `registry`, the
 * commitment and registry times against the public log's witnesses (`log`).
 */
export function runVerifyV2(bundle: unknown, registry: unknown, log?: LogTrust): Promise<VerificationReport> {
  return inWorker({ kind: 'v2', bundle, registry, log }, () => checkBundleV2(bundle, registry, log));
}

/** `digestOf` a publication's content in a Web Worker (a city draw's is 10^8 bytes of JSON). */
export function runDigest(value: unknown): Promise<string> {
  return inWorker({ kind: 'digest', value }, () => digestOf(value));
}
