import { checkBundle, type BundleCheck } from './verify';

/** Recomputes a bundle in a Web Worker; where workers are unavailable, on the main thread. */
export function runCheckBundle(bundle: unknown): Promise<BundleCheck> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return Promise.resolve(checkBundle(bundle));
  }
  return new Promise<BundleCheck>((resolve) => {
    worker.onmessage = (e: MessageEvent<BundleCheck>) => {
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = () => {
      worker.terminate();
      resolve(checkBundle(bundle));
    };
    worker.postMessage(bundle);
  });
}
