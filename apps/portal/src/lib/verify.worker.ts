/// <reference lib="webworker" />
// Recomputes a bundle off the main thread: a city-scale frame takes seconds, the page stays live.
import { digestOf } from '@spotcheck/core';
import { checkBundle, checkBundleV2 } from './verify';
import type { WorkerRequest } from './runCheck';

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const m = e.data;
  self.postMessage(
    m.kind === 'v2'
      ? checkBundleV2(m.bundle, m.registry, m.log)
      : m.kind === 'digest'
        ? digestOf(m.value)
        : checkBundle(m.bundle),
  );
};
