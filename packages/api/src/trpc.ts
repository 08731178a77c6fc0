import { initTRPC } from '@trpc/server';
import type { Db } from '@spotcheck/db';

/** What every procedure sees. Built per request by the HTTP adapter, or directly in tests. */
export interface Context {
  db: Db;
  /** Server clock; injectable so tests can pin time. Timestamps never come from clients. */
  now: () => Date;
}

/** Builds a context without HTTP (tests, CLI). */
export function createContextInner(opts: { db: Db; now?: () => Date }): Context {
  return { db: opts.db, now: opts.now ?? (() => new Date()) };
}

const t = initTRPC.context<Context>().create();

/** Router and procedure builders of the procedure ladder. */
export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
