import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseSetupError, migrateDatabase, openDatabase, resetDatabase } from '@spotcheck/db';
import { openTestDatabase, testDrivers, type TestDatabase } from '../support/databases';

/** A migrations folder whose one migration creates a table and then fails. */
function brokenMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spotcheck-broken-migrations-'));
  mkdirSync(join(dir, 'meta'));
  writeFileSync(
    join(dir, 'meta/_journal.json'),
    JSON.stringify({
      version: '7',
      dialect: 'postgresql',
      entries: [{ idx: 0, version: '7', when: 4_102_444_800_000, tag: '0000_broken', breakpoints: true }],
    }),
  );
  writeFileSync(
    join(dir, '0000_broken.sql'),
    'CREATE TABLE half_done (x int);\n--> statement-breakpoint\nSELECT * FROM no_such_table;\n',
  );
  return dir;
}

describe.each(testDrivers())('migrations on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('a migration that fails halfway says so in one line and changes nothing', async () => {
    const error = await migrateDatabase(t.owner, brokenMigrations()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseSetupError);
    expect((error as Error).message).toMatch(/^Migration failed on .*nothing was changed.*no_such_table/s);
    const { rows } = await t.database.exec(`SELECT to_regclass('public.half_done') AS t`);
    expect(rows[0]!.t).toBeNull();
  });

  it('`db reset` drops everything and migrating again restores the schema', async () => {
    await resetDatabase(t.owner); // PGlite refused the three statements sent as one
    expect((await t.owner.exec(`SELECT to_regclass('public.units') AS t`)).rows[0]!.t).toBeNull();
    await migrateDatabase(t.owner);
    expect((await t.database.exec('SELECT count(*)::int AS n FROM units')).rows[0]!.n).toBe(0);
  });
});

describe('opening a database', () => {
  it('rejects a malformed DATABASE_URL with one line naming the fix', async () => {
    await expect(openDatabase({ url: 'not a url' })).rejects.toThrow(/DATABASE_URL is not a valid URL/);
    await expect(openDatabase({ url: 'mysql://x@localhost/db' })).rejects.toThrow(
      /must start with postgres:\/\//,
    );
  });

  it('reports an unreachable server without leaking the password', async () => {
    const error = (await openDatabase({ url: 'postgres://u:secret@127.0.0.1:1/db' }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(DatabaseSetupError);
    expect(error.message).toMatch(/Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/db: connection refused/);
    expect(error.message).not.toContain('secret');
  });
});
