import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { installRulePacks, publishLoadedBaseline } from '@spotcheck/api';
import { projectRoot, users, type Database } from '@spotcheck/db';
import { discoverPacks } from '@spotcheck/rules/load';

/**
 * Installs the rule packs under `rules/` (reviewed and tested in the repository) as published
 * versions, audited in the demo city admin's name, so a fresh demo can approve plans at once.
 */
export async function publishRulePacks(database: Database, username = 'city-admin'): Promise<string[]> {
  const [admin] = await database.db.select({ id: users.id }).from(users).where(eq(users.username, username));
  if (!admin) throw new Error(`no ${username} account to publish the rule packs with`);
  const sources = discoverPacks(resolve(projectRoot, 'rules'), projectRoot);
  await installRulePacks(database.db, sources, admin.id);
  return sources.map((s) => s.origin);
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
