import { resolve } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { installRulePacks, publishLoadedBaseline } from '@spotcheck/api';
import { projectRoot, rulePackVersions, users, type Database } from '@spotcheck/db';
import { discoverPacks } from '@spotcheck/rules/load';

/**
 * Installs the rule packs under `rules/` (reviewed and tested in the repository) as published
 * versions, audited in the demo city admin's name, so a fresh demo can approve plans at once.
 */
export async function publishRulePacks(database: Database, username = 'city-admin'): Promise<string[]> {
  const [admin] = await database.db.select({ id: users.id }).from(users).where(eq(users.username, username));
  if (!admin) throw new Error(`no ${username} account to publish the rule packs with`);
  const sources = discoverPacks(resolve(projectRoot, 'rules'), projectRoot);
  // Resumable (a start after an interrupted seed): packs whose version is already published or
  // retired are left alone; the rest are installed together (all-or-nothing).
  const pending = [];
  for (const source of sources) {
    const m = JSON.parse(String(source.files['pack.json'])) as { id: string; version: string };
    const [v] = await database.db
      .select({ status: rulePackVersions.status })
      .from(rulePackVersions)
      .where(and(eq(rulePackVersions.packId, m.id), eq(rulePackVersions.version, m.version)));
    if (v?.status !== 'published' && v?.status !== 'retired') pending.push(source);
  }
  if (!pending.length) return [];
  await installRulePacks(database.db, pending, admin.id);
  return pending.map((s) => s.origin);
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
