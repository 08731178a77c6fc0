/// <reference lib="webworker" />
// Recomputes a bundle off the main thread: a city-scale frame takes seconds, the page stays live.
import { checkBundle } from './verify';

self.onmessage = (e: MessageEvent<unknown>) => {
  self.postMessage(checkBundle(e.data));
};
