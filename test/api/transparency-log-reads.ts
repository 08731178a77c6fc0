import { logLeaves, type Db } from '@spotcheck/db';

/**
 * A handle on the test database that counts the statements reading leaf hashes: each one is a read
 * (and, unchecked, a re-hashing) of up to the whole log, 1.4 s at 10^5 leaves. Its own handle has
 * its own cache of checked leaves, so the count starts from a cold cache.
 */
export function countingLeafReads(db: Db): { db: Db; reads: () => number } {
  let reads = 0;
  const counted = new Proxy(db, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const fields = args[0];
        if (
          prop === 'select' &&
          typeof fields === 'object' &&
          fields !== null &&
          Object.values(fields).includes(logLeaves.leafHash)
        )
          reads++;
        return Reflect.apply(value, target, args);
      };
    },
  });
  return { db: counted, reads: () => reads };
}
