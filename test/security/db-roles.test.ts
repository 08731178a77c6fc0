/**
 * The application's PostgreSQL role (issue 11, Medium): data rights, INSERT/SELECT only on the
 * audit trail, no DDL — so even a compromised app cannot rewrite or silence the audit chain.
 * Runs where a PostgreSQL server is given (SPOTCHECK_TEST_PG_URL, as in CI).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, verifyAuditChain } from '@spotcheck/api';
import { bureaus, migrateDatabase, openDatabase, type Database } from '@spotcheck/db';
import { openTestDatabase } from '../support/databases';

const server = process.env.SPOTCHECK_TEST_PG_URL;
const name = `spotcheck_roles_${randomBytes(4).toString('hex')}`;
let owner: Database;
let app: Database;

describe.runIf(server)('least-privilege roles on PostgreSQL', () => {
  beforeAll(async () => {
    const admin = await openDatabase({ url: server!, maxConnections: 1 });
    // Cluster-wide roles, once (README "Database roles"); passwords are irrelevant under trust auth.
    await admin.exec(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'spotcheck_owner') THEN CREATE ROLE spotcheck_owner LOGIN; END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'spotcheck_app') THEN CREATE ROLE spotcheck_app LOGIN; END IF;
    END $$`);
    await admin.exec(`CREATE DATABASE ${name} OWNER spotcheck_owner`);
    await admin.close();
    const url = (user: string) => {
      const u = new URL(server!);
      u.username = user;
      u.password = '';
      u.pathname = `/${name}`;
      return u.toString();
    };
    owner = await openDatabase({ url: url('spotcheck_owner'), maxConnections: 2 });
    await owner.exec('ALTER SCHEMA public OWNER TO spotcheck_owner');
    await migrateDatabase(owner);
    app = await openDatabase({ url: url('spotcheck_app'), maxConnections: 4 });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await owner?.close();
    const admin = await openDatabase({ url: server!, maxConnections: 1 });
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  });

  it('the app writes data and appends audit events', async () => {
    await app.db
      .insert(bureaus)
      .values({ code: '120116', name: '滨海新区应急管理局', level: 'district', parentCode: null });
    await createUser(app.db, {
      username: 'role-user',
      displayName: 'R',
      password: 'correct horse battery',
      bureauCode: '120116',
      roles: [],
    });
    expect((await verifyAuditChain(app.db)).ok).toBe(true);
  });

  it('the app can neither change the audit trail nor switch its triggers off nor create tables', async () => {
    for (const sql of [
      'UPDATE audit_events SET action = $$x$$',
      'DELETE FROM audit_events',
      'TRUNCATE audit_events',
      'ALTER TABLE audit_events DISABLE TRIGGER USER',
      'DROP TRIGGER audit_events_no_update_delete ON audit_events',
      'CREATE TABLE sneaky (x int)',
    ])
      await expect(app.exec(sql), sql).rejects.toThrow(/permission denied|must be owner|append-only/);
  });

  it('the shared test databases (every PostgreSQL suite) connect as spotcheck_app', async () => {
    const shared = await openTestDatabase('postgres');
    try {
      expect((await shared.database.exec('SELECT current_user AS u')).rows[0]!.u).toBe('spotcheck_app');
      expect((await shared.owner.exec('SELECT current_user AS u')).rows[0]!.u).toBe('spotcheck_owner');
      await expect(shared.database.exec('ALTER TABLE audit_events DISABLE TRIGGER USER')).rejects.toThrow(
        /must be owner/,
      );
    } finally {
      await shared.dispose();
    }
  }, 120_000);

  it('the owner role runs migrations; the app role cannot', async () => {
    await expect(migrateDatabase(app)).rejects.toThrow();
    await migrateDatabase(owner); // idempotent
  });
});
