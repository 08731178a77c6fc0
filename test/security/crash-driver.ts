/**
 * Child process of kill9.test.ts: opens an embedded data directory and runs one operation through
 * the API's own procedures (the code the server runs for the same request), printing `go` on
 * stdout right before the write the test kills it in.
 *   crash-driver.ts <dataDir> setup              — bureaus and the Binhai fixture world
 *   crash-driver.ts <dataDir> import <tag> <n>   — a units CSV of n rows (all-or-nothing)
 *   crash-driver.ts <dataDir> import-held <tag> <n> — the same import, held (60 s) once its rows are
 *                                                  spooled, right before the COPY: prints `writing`
 *   crash-driver.ts <dataDir> draw               — runs a committed draw (preparing one if none is ready)
 *   crash-driver.ts <dataDir> publish            — publishes an approved draft of Binhai's pack (preparing one)
 */
import { writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import {
  bureaus,
  checklistVersions,
  draws,
  migrateDatabase,
  openDatabase,
  rulePackVersions,
  users,
  type Database,
} from '@spotcheck/db';
import { createSession, importSpreadsheet } from '@spotcheck/api';
import { readPackDir } from '@spotcheck/rules/load';
import { BINHAI, CITY, HEPING, callerWithToken, drawEnv } from '../api/harness';
import { buildWorld, passSources, unitIdAt, type World } from '../api/fixtures';

const [dataDir, op, ...args] = process.argv.slice(2);
const say = (line: string) => process.stdout.write(`${line}\n`);

async function callerOf(database: Database, username: string) {
  const [u] = await database.db.select().from(users).where(eq(users.username, username));
  if (!u) throw new Error(`no user ${username}: run setup first`);
  const { token } = await createSession(database.db, u.id, new Date());
  return callerWithToken(database, token);
}

/** Units CSV rows named after the tag, so the test can count what one import wrote. */
export function importCsv(tag: number, n: number): string {
  const rows = Array.from(
    { length: n },
    (_, i) =>
      `${unitIdAt(1000 + tag * 450 + i)},崩溃导入${tag}-${i},private,trade,small,${i + 1},${BINHAI},low,B`,
  );
  return (
    ['id,name,nature,industry,scale,employees,bureauCode,riskGrade,creditGrade', ...rows].join('\n') + '\n'
  );
}

const database = await openDatabase({ dataDir: dataDir! });
await migrateDatabase(database);
try {
  switch (op) {
    case 'setup': {
      await database.db.insert(bureaus).values([
        { code: CITY, name: '天津市应急管理局', level: 'city', parentCode: null },
        { code: BINHAI, name: '滨海新区应急管理局', level: 'district', parentCode: CITY },
        { code: HEPING, name: '和平区应急管理局', level: 'district', parentCode: CITY },
      ]);
      const w: World = await buildWorld(database, 40);
      say(JSON.stringify({ checklistVersionId: w.checklistVersionId }));
      break;
    }
    case 'import': {
      const admin = await callerOf(database, 'w-admin');
      const base64 = Buffer.from(importCsv(Number(args[0]), Number(args[1]))).toString('base64');
      say('go');
      const report = await admin.transfer.import({ kind: 'units', format: 'csv', base64 });
      say(JSON.stringify({ ok: report.ok, imported: report.imported }));
      break;
    }
    case 'import-held': {
      const [admin] = await database.db.select().from(users).where(eq(users.username, 'w-admin'));
      await importSpreadsheet(database.db, Buffer.from(importCsv(Number(args[0]), Number(args[1]))), {
        kind: 'units',
        format: 'csv',
        actor: { userId: admin!.id, role: 'district-admin' },
        reach: () => true,
        now: new Date(),
        onProgress: (p) => {
          if (p.phase !== 'writing' || p.rows > 0) return;
          writeSync(1, 'writing\n'); // synchronous: the held thread could not flush a pipe
          // Holds the thread with the spool folder made and nothing written, for the kill.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
        },
      });
      say('finished');
      break;
    }
    case 'draw': {
      const operator = await callerOf(database, 'w-operator');
      let [ready] = await database.db
        .select({ id: draws.id })
        .from(draws)
        .where(and(eq(draws.status, 'committed'), isNotNull(draws.randomness)));
      if (!ready) {
        const approver = await callerOf(database, 'w-approver');
        const [checklist] = await database.db
          .select({ id: checklistVersions.id })
          .from(checklistVersions)
          .where(and(eq(checklistVersions.bureauCode, BINHAI), eq(checklistVersions.status, 'published')));
        const plan = await operator.plans.create({
          bureauCode: BINHAI,
          title: `崩溃抽取${Date.now()}`,
          period: '2027',
          kind: 'general',
          sources: (
            await operator.plans.proposeSources({
              plannedDrawAt: new Date(drawEnv.now().getTime() + 120_000),
            })
          ).sources,
          checklistVersionId: checklist!.id,
        });
        await operator.plans.submit({ planId: plan.id });
        const { draw } = await approver.plans.approve({ planId: plan.id });
        passSources(draw.commitment);
        await operator.draws.enterRandomness({
          drawId: draw.id,
          values: draw.commitment.sources.map(() => null),
        });
        ready = { id: draw.id };
      }
      say(`go ${ready.id}`);
      const drawn = await operator.draws.run({ drawId: ready.id });
      say(JSON.stringify({ drawId: ready.id, selected: drawn.selected }));
      break;
    }
    case 'publish': {
      const admin = await callerOf(database, 'w-admin');
      const city = await callerOf(database, 'w-city');
      let [draft] = await database.db
        .select()
        .from(rulePackVersions)
        .where(and(eq(rulePackVersions.bureauCode, BINHAI), eq(rulePackVersions.status, 'draft')))
        .orderBy(desc(rulePackVersions.createdAt));
      if (!draft) {
        const files = readPackDir(resolve(import.meta.dirname, '../../rules/tianjin/binhai')).files as Record<
          string,
          string
        >;
        const versions = await database.db
          .select({ v: rulePackVersions.version })
          .from(rulePackVersions)
          .where(eq(rulePackVersions.bureauCode, BINHAI));
        const major = Math.max(...versions.map((r) => Number(r.v.split('.')[0]))) + 1;
        const uploaded = await admin.rulePacks.upload({
          files: {
            ...files,
            'pack.json': files['pack.json']!.replace(/"version": "[^"]+"/, `"version": "${major}.0.0"`),
          },
        });
        await admin.rulePacks.submit({ id: uploaded.id, note: '崩溃测试' });
        await city.rulePacks.review({ id: uploaded.id, decision: 'approve', opinion: '同意' });
        [draft] = await database.db
          .select()
          .from(rulePackVersions)
          .where(eq(rulePackVersions.id, uploaded.id));
      }
      say(`go ${draft!.id}`);
      const published = await admin.rulePacks.publish({ id: draft!.id });
      say(JSON.stringify({ id: published.id, version: published.version }));
      break;
    }
    default:
      throw new Error(`unknown operation ${op}`);
  }
} finally {
  await database.close();
}
