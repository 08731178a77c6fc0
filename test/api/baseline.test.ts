import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createCallerFactory, createContextInner, publishLoadedBaseline } from '@spotcheck/api';
import { seedDemoCity } from '@spotcheck/demo';
import { openTestDatabase, testDrivers, type TestDatabase } from '../support/databases';

describe.each(testDrivers())('a loaded baseline reaches the public column (%s)', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    await seedDemoCity(t.database, { units: 300 });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('publishes every seeded checklist version and procedure once, with its digest, and audits it', async () => {
    expect(await publishLoadedBaseline(t.database.db, null)).toBe(3 + 13);
    expect(await publishLoadedBaseline(t.database.db, null)).toBe(0);
    const portal = createCallerFactory(appRouter)(() => createContextInner({ db: t.database.db }));
    const checklists = await portal.publications.list({ kind: 'checklist', limit: 200 });
    expect(checklists.map((p) => p.bureauCode).sort()).toEqual(['120000', '120116', '120119']);
    const city = await portal.publications.get({ id: checklists.find((p) => p.bureauCode === '120000')!.id });
    const { rows } = await t.database.exec(
      `SELECT digest FROM checklist_versions WHERE bureau_code = '120000'`,
    );
    expect((city.content as { digest: string; items: unknown[] }).digest).toBe(rows[0]!.digest);
    expect((city.content as { items: unknown[] }).items).toHaveLength(21); // 20 + TJ-RISK-001 (major/high risk only, issue #10)
    expect(await portal.publications.list({ kind: 'procedure', limit: 200 })).toHaveLength(13);
    const audit = await t.database.exec(
      `SELECT count(*)::int AS n FROM audit_events WHERE action IN ('checklist.publish-loaded', 'procedure.publish-loaded')`,
    );
    expect(audit.rows[0]!.n).toBe(16);
  });
});
