/**
 * The world the admin end-to-end suite runs in: an API server on an in-memory PGlite seeded with
 * a small demo city, the demo accounts, published Tianjin rule packs, and the built admin SPA.
 * `npx tsx test/e2e/admin-serve.ts` starts the same world for looking at pages by hand.
 */
import { join, resolve } from 'node:path';
import { and, asc, eq, ne } from 'drizzle-orm';
import { inspectors, users, type Database } from '@spotcheck/db';
import { seedDemoCity } from '@spotcheck/demo';
import { startServer, type RunningServer, type StartServerOptions } from '@spotcheck/server';
import { createDemoAccounts } from '@spotcheck/cli/testing';
import {
  appRouter,
  createCallerFactory,
  createContextInner,
  createSession,
  localDemoBeacon,
  installRulePacks,
} from '@spotcheck/api';
import { demoBeacon } from '@spotcheck/core';
import { readPackDir } from '@spotcheck/rules/load';
import { ensureBuilt } from '../support/browser';
import { openMigratedPglite } from '../support/databases';

const ROOT = resolve(import.meta.dirname, '../..');

/** A tRPC caller signed in as a demo account (setup that the demo seeder does not do). */
export async function callerAs(database: Database, username: string) {
  const [user] = await database.db.select().from(users).where(eq(users.username, username));
  const { token } = await createSession(database.db, user!.id, new Date());
  return createCallerFactory(appRouter)(() => createContextInner({ db: database.db, sessionToken: token }));
}

/**
 * Publishes the Tianjin city and Binhai rule packs (a plan is approved only under published
 * packs) and keeps six Binhai officers active, the demo inspector
 * among them, so that the inspector account is drawn into some team.
 */
export async function prepareDrawWorld(database: Database): Promise<void> {
  const binhai = await callerAs(database, 'binhai-admin');
  await installRulePacks(
    database.db,
    ['city', 'binhai'].map((dir) => readPackDir(join(ROOT, 'rules/tianjin', dir))),
    null,
  );
  const [demoInspector] = await database.db
    .select()
    .from(users)
    .where(eq(users.username, 'binhai-inspector'));
  const active = await database.db
    .select({ id: inspectors.id })
    .from(inspectors)
    .where(
      and(
        eq(inspectors.bureauCode, '120116'),
        eq(inspectors.status, 'active'),
        ne(inspectors.id, demoInspector!.inspectorId!),
      ),
    )
    .orderBy(asc(inspectors.id));
  for (const { id } of active.slice(5)) await binhai.inspectors.setStatus({ id, status: 'suspended' });
  // sr-draw/v2 §1 refuses a plan whose inspector capacity cannot staff every pick: the six
  // officers left take the quarter's whole demo frame.
  for (const { id } of [...active.slice(0, 5), { id: demoInspector!.inspectorId! }])
    await binhai.inspectors.update({ id, patch: { capacityPerQuarter: 400 } });
}

/**
 * The world's clock: real time plus an offset the suite moves forward, so a drand round of the
 * demo beacon comes without waiting minutes for it (the same beacon code `npm start` serves).
 */
export const clock = {
  offsetMs: 0,
  now: () => new Date(Date.now() + clock.offsetMs),
  advance(seconds: number) {
    clock.offsetMs += seconds * 1000;
  },
};

/** The world's demo beacon (演示信标), started an hour before the suite. */
const beacon = localDemoBeacon(demoBeacon('admin e2e beacon', Math.floor(Date.now() / 1000) - 3600, 3));

/** A running world: database and server. */
export interface AdminWorld {
  database: Database;
  server: RunningServer;
  clock: typeof clock;
  close(): Promise<void>;
}

/** An in-memory PGlite, migrated, with the demo city (`units` units, a fixed seed) and its accounts. */
export async function openDemoCity(units: number): Promise<Database> {
  const database = await openMigratedPglite();
  await seedDemoCity(database, { units, seed: 20270101 });
  await createDemoAccounts(database);
  return database;
}

/**
 * Serves the built admin SPA under /admin/ and the portal at / (each built first if stale) on
 * `database`, on any free port.
 */
export function serveBothApps(
  database: Database,
  options: Omit<StartServerOptions, 'database' | 'port' | 'staticMounts'> = {},
): Promise<RunningServer> {
  const admin = ensureBuilt('admin');
  const portal = ensureBuilt('portal');
  return startServer({
    database,
    port: 0,
    staticMounts: [
      { prefix: '/admin/', dir: admin },
      { prefix: '/', dir: portal },
    ],
    ...options,
  });
}

/** Builds the SPA if stale, seeds the world and starts the server (port 0: any free port). */
export async function startAdminWorld(port = 0): Promise<AdminWorld> {
  const dist = ensureBuilt('admin');
  const database = await openDemoCity(2000);
  await prepareDrawWorld(database);
  const server = await startServer({
    database,
    port,
    staticMounts: [{ prefix: '/admin/', dir: dist }],
    beacon,
    now: () => clock.now(),
  });
  return {
    database,
    server,
    clock,
    async close() {
      await server.close();
      await database.close();
    },
  };
}
