import type { VerificationReport } from '@spotcheck/core';
import { checkBundle, checkBundleV2, type BundleCheck } from './verify';

/** A message to the verification worker. */
export type WorkerRequest =
  { kind: 'v1'; bundle: unknown } | { kind: 'v2'; bundle: unknown; registry: unknown };

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

/** Verifies an sr-draw/v2 bundle line by line in a Web Worker, the signer against `registry`. */
export function runVerifyV2(bundle: unknown, registry: unknown): Promise<VerificationReport> {
  return inWorker({ kind: 'v2', bundle, registry }, () => checkBundleV2(bundle, registry));
}
