import { createUser } from '@spotcheck/api';
import { and, eq } from 'drizzle-orm';
import { inspectors, users, type Database } from '@spotcheck/db';
import { demoAccounts } from '@spotcheck/demo';

/**
 * Creates the demo logins through the API's account service (argon2id, signing keys); each
 * district's demo inspector account is linked to that district's first active officer.
 */
export async function createDemoAccounts(database: Database): Promise<void> {
  const firstActive = async (bureauCode: string) => {
    const [row] = await database.db
      .select({ id: inspectors.id })
      .from(inspectors)
      .where(and(eq(inspectors.bureauCode, bureauCode), eq(inspectors.status, 'active')))
      .orderBy(inspectors.id)
      .limit(1);
    if (!row)
      throw new Error(`no active inspector in bureau ${bureauCode} to link the demo inspector account to`);
    return row.id;
  };
  const accounts = demoAccounts({
    binhai: await firstActive('120116'),
    jinghai: await firstActive('120118'),
  });
  const existing = new Set((await database.db.select({ u: users.username }).from(users)).map((r) => r.u));
  for (const a of accounts) {
    if (existing.has(a.username)) continue; // resumable after an interrupted seed
    await createUser(database.db, {
      username: a.username,
      displayName: a.displayName,
      password: a.password,
      bureauCode: a.bureauCode,
      roles: a.roles,
      inspectorId: a.inspectorId,
    });
  }
}
