import { resolve } from 'node:path';
import { and, eq } from 'drizzle-orm';
import {
  appRouter,
  createCallerFactory,
  createContextInner,
  createSession,
  publishLoadedBaseline,
} from '@spotcheck/api';
import { projectRoot, rulePackVersions, users, type Database } from '@spotcheck/db';
import { discoverPacks } from '@spotcheck/rules/load';

const createCaller = createCallerFactory(appRouter);

/**
 * Publishes the rule packs under `rules/` through the API as the demo city admin, city pack first
 * (district packs are validated against it), so a fresh demo can approve plans at once.
 */
export async function publishRulePacks(database: Database, username = 'city-admin'): Promise<string[]> {
  const [admin] = await database.db.select({ id: users.id }).from(users).where(eq(users.username, username));
  if (!admin) throw new Error(`no ${username} account to publish the rule packs with`);
  const pending = [];
  for (const source of discoverPacks(resolve(projectRoot, 'rules'), projectRoot)) {
    const m = JSON.parse(String(source.files['pack.json'])) as { id: string; version: string };
    const [v] = await database.db
      .select({ status: rulePackVersions.status })
      .from(rulePackVersions)
      .where(and(eq(rulePackVersions.packId, m.id), eq(rulePackVersions.version, m.version)));
    if (v?.status !== 'published' && v?.status !== 'retired') pending.push(m.id);
  }
  if (!pending.length) return [];
  const { token } = await createSession(database.db, admin.id, new Date());
  const caller = createCaller(() => createContextInner({ db: database.db, sessionToken: token }));
  const sources = discoverPacks(resolve(projectRoot, 'rules'), projectRoot);
  const isCity = (files: Record<string, unknown>) =>
    !(JSON.parse(String(files['pack.json'])) as { extends?: unknown }).extends;
  const ordered = [...sources.filter((s) => isCity(s.files)), ...sources.filter((s) => !isCity(s.files))];
  const published: string[] = [];
  for (const source of ordered) {
    // Resumable: a pack already published is skipped; a draft left by an interrupted run is published.
    const manifest = JSON.parse(String(source.files['pack.json'])) as { id: string; version: string };
    const [existing] = await database.db
      .select({ id: rulePackVersions.id, status: rulePackVersions.status })
      .from(rulePackVersions)
      .where(and(eq(rulePackVersions.packId, manifest.id), eq(rulePackVersions.version, manifest.version)));
    if (existing?.status === 'published' || existing?.status === 'retired') continue;
    const draftId = existing ? existing.id : (await caller.rulePacks.upload({ files: source.files })).id;
    await caller.rulePacks.publish({ id: draftId });
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
