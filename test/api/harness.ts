/**
 * Test harness for the API suites: one database per test file (PGlite in memory, or a fresh
 * PostgreSQL database next to `SPOTCHECK_TEST_PG_URL` when set), bureaus and one user per role.
 */
import { openMigratedPglite, openPostgresTestDatabase } from '../support/databases';
import type { DrawBundle, DrawBundleV2, KeyRegistry, Role, SignOff } from '@spotcheck/core';
import type { LogInclusion, WitnessKey } from '@spotcheck/core/log';
import { bureaus, type Database } from '@spotcheck/db';
import { demoBeacon } from '@spotcheck/core';
import {
  appRouter,
  localDemoBeacon,
  createCallerFactory,
  createContextInner,
  drawBundleFile,
  createSession,
  createUser,
  type PublicUser,
} from '@spotcheck/api';

/** The bureaus every suite starts with: the city and two districts. */
export const CITY = '120000';
export const BINHAI = '120116';
export const HEPING = '120101';

/** A booted test database and how to drop it. */
export interface TestDb {
  /** The application's connection (on PostgreSQL the least-privilege role `spotcheck_app`). */
  database: Database;
  /** The schema owner's connection, for tampering tests (the same database on PGlite). */
  owner: Database;
  close(): Promise<void>;
}

/**
 * Opens a fresh, migrated database for one test file (`bureaus: false`: no bureaus, e.g. for the
 * demo seeder). On PostgreSQL it is owned and migrated by `spotcheck_owner` and used as
 * `spotcheck_app` (README "Database roles"), so the suites run with the application's rights.
 */
export async function openTestDb(opts: { bureaus?: boolean } = {}): Promise<TestDb> {
  const seedBureaus = opts.bureaus === false ? async (_: Database) => {} : seedDefaultBureaus;
  if (!process.env.SPOTCHECK_TEST_PG_URL) {
    const database = await openMigratedPglite();
    await seedBureaus(database);
    return { database, owner: database, close: () => database.close() };
  }
  const pg = await openPostgresTestDatabase('spotcheck_t', 8);
  await seedBureaus(pg.database);
  return { database: pg.database, owner: pg.owner, close: () => pg.dispose() };
}

async function seedDefaultBureaus(database: Database) {
  await database.db.insert(bureaus).values([
    { code: CITY, name: '天津市应急管理局', level: 'city', parentCode: null },
    { code: BINHAI, name: '滨海新区应急管理局', level: 'district', parentCode: CITY },
    { code: HEPING, name: '和平区应急管理局', level: 'district', parentCode: CITY },
  ]);
}

/** The password every test user gets. */
export const PASSWORD = 'correct horse battery';

const createCaller = createCallerFactory(appRouter);

/** A caller signed in as a user, plus the cookies it was sent. */
export interface SignedIn {
  user: PublicUser;
  caller: ReturnType<typeof createCaller>;
  token: string;
}

/**
 * Creates a user with roles (in its own bureau, or in each of `extra.grantedIn`) and a caller with
 * a session.
 */
export async function signedInUser(
  database: Database,
  username: string,
  bureauCode: string,
  roles: Role[],
  extra: { inspectorId?: string; now?: () => Date; grantedIn?: string[] } = {},
): Promise<SignedIn> {
  const user = await createUser(database.db, {
    username,
    displayName: username,
    password: PASSWORD,
    bureauCode,
    roles: (extra.grantedIn ?? [bureauCode]).flatMap((granted) =>
      roles.map((role) => ({ role, bureauCode: granted })),
    ),
    inspectorId: extra.inspectorId,
  });
  const { token } = await createSession(database.db, user.id, extra.now?.() ?? new Date());
  return { user, token, caller: await callerWithToken(database, token, extra.now) };
}

/**
 * The draw environment every caller of a suite shares: the demo beacon (the same code `npm start`
 * serves, with a fixed seed) and a clock that runs with real time plus an offset, so a suite can
 * move past a drand round's time without waiting for it.
 */
export const drawEnv = {
  beacon: localDemoBeacon(demoBeacon('spotcheck test beacon', Math.floor(Date.now() / 1000) - 3600, 3)),
  offsetMs: 0,
  now(): Date {
    return new Date(Date.now() + drawEnv.offsetMs);
  },
  /** Moves the shared clock forward. */
  advance(seconds: number): void {
    drawEnv.offsetMs += seconds * 1000;
  },
};

/** A caller for a session token. */
export async function callerWithToken(database: Database, token: string | null, now?: () => Date) {
  // A context per call, as over HTTP: revoked sessions take effect at once.
  return createCaller(() => contextWithToken(database, token, now));
}

/** A request's context for a session token (null: anonymous), on the shared draw environment. */
function contextWithToken(database: Database, token: string | null, now?: () => Date) {
  return createContextInner({
    db: database.db,
    sessionToken: token,
    now: now ?? drawEnv.now,
    beacon: drawEnv.beacon,
  });
}

/** The staff's bundle file: v2 with the registry, its proofs and the witnesses; v1 as it was. */
export type DownloadedBundle =
  | {
      algorithm: 'sr-draw/v2';
      bundle: DrawBundleV2;
      registry: KeyRegistry;
      registryInclusion: LogInclusion | null;
      registryHistory: { registry: KeyRegistry; inclusion: LogInclusion }[];
      witnesses: WitnessKey[];
      /** §9.7: the sign-off's signature record in its witnessed checkpoint, once there is one. */
      signOffInclusion?: LogInclusion;
      /** §9.7: the bureau's newest registry by the log's order, with its inclusion once witnessed. */
      currentRegistry?: unknown;
      currentRegistryInclusion?: LogInclusion;
      /** Every earlier version of that registry in log order, with its inclusion once witnessed. */
      currentRegistryHistory?: { registry: unknown; inclusion: LogInclusion | null }[];
    }
  | { algorithm: 'sr-draw/v1'; bundle: DrawBundle; signOff: SignOff | null };

/**
 * A drawn attempt's bundle as staff download it (`GET /draws/<id>/bundle.json`, for `spotcheck
 * verify`): the same checks and the same bytes, parsed. Refusals throw the route's coded errors.
 */
export async function downloadedBundle<T = DownloadedBundle>(
  database: Database,
  who: { token: string | null },
  drawId: string,
): Promise<T> {
  const parts = await drawBundleFile(await contextWithToken(database, who.token), drawId);
  return JSON.parse(Buffer.concat(parts).toString('utf8')) as T;
}

/** An anonymous caller, optionally with a bearer token and a cookie sink. */
export async function anonymousCaller(
  database: Database,
  opts: { bearerToken?: string; setCookie?: (v: string) => void; clientAddress?: string } = {},
) {
  return createCaller(() =>
    createContextInner({ db: database.db, now: drawEnv.now, beacon: drawEnv.beacon, ...opts }),
  );
}

/** The tRPC error code of a rejected promise, or `'OK'` when it resolves. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    return (err as { code?: string }).code ?? `THROWN ${(err as Error).message}`;
  }
}
