import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import {
  appRouter,
  createCallerFactory,
  createContextInner,
  createSession,
  publishLoadedBaseline,
} from '@spotcheck/api';
import { projectRoot, users, type Database } from '@spotcheck/db';
import { discoverPacks } from '@spotcheck/rules/load';

const createCaller = createCallerFactory(appRouter);

/**
 * Publishes the rule packs under `rules/` through the API as the demo city admin, city pack first
 * (district packs are validated against it), so a fresh demo can approve plans at once.
 */
export async function publishRulePacks(database: Database, username = 'city-admin'): Promise<string[]> {
  const [admin] = await database.db.select({ id: users.id }).from(users).where(eq(users.username, username));
  if (!admin) throw new Error(`no ${username} account to publish the rule packs with`);
  const { token } = await createSession(database.db, admin.id, new Date());
  const caller = createCaller(() => createContextInner({ db: database.db, sessionToken: token }));
  const sources = discoverPacks(resolve(projectRoot, 'rules'), projectRoot);
  const isCity = (files: Record<string, unknown>) =>
    !(JSON.parse(String(files['pack.json'])) as { extends?: unknown }).extends;
  const ordered = [...sources.filter((s) => isCity(s.files)), ...sources.filter((s) => !isCity(s.files))];
  const published: string[] = [];
  for (const source of ordered) {
    const draft = await caller.rulePacks.upload({ files: source.files });
    await caller.rulePacks.publish({ id: draft.id });
    published.push(source.origin);
  }
  await caller.auth.logout();
  return published;
}

/**
 * Makes a freshly seeded demo city public-ready: publishes the rule packs, then puts the seeded
 * (already published) checklist versions and procedures into the public column.
 */
export async function publishDemoBaseline(database: Database, username = 'city-admin'): Promise<void> {
  await publishRulePacks(database, username);
  const [admin] = await database.db.select({ id: users.id }).from(users).where(eq(users.username, username));
  await publishLoadedBaseline(database.db, admin?.id ?? null);
}
