/**
 * The consequences tables are keyed per bureau (migration 0017, SCALING.md), and what their old
 * global keys refused is still refused: 督办编号 stays unique within the supervising bureau (the
 * city, which supervises major hazards of every district, cannot give two districts' listings one
 * number, while a district and the city may each use the same number), a unit moved to another
 * district cannot get a second blacklist proceeding of a kind while one is under way, and a
 * proposal names a finding that exists (its finding is not a foreign key since migration 0019: the
 * proceeding is in the unit's bureau, the finding in its plan's).
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanTeam } from '@spotcheck/core';
import {
  blacklistProceedings,
  draws,
  findings,
  plans,
  results,
  tasks,
  units,
  type StoredCommitment,
} from '@spotcheck/db';
import {
  BINHAI,
  CITY,
  codeOf,
  HEPING,
  openTestDb,
  signedInUser,
  type SignedIn,
  type TestDb,
} from './harness';
import { unitIdAt } from './fixtures';

let t: TestDb;
let city: SignedIn;
/** A unit per district, and a major-hazard finding on it (a result inspected 2024-01-05). */
const unitOf = new Map<string, string>();
const majorFinding = new Map<string, string>();

beforeAll(async () => {
  t = await openTestDb();
  city = await signedInUser(t.database, 'sn-city', CITY, ['city-admin']);
  const db = t.database.db;
  for (const b of [BINHAI, HEPING]) {
    const unitId = unitIdAt(7, b);
    await city.caller.units.create({
      id: unitId,
      name: '督办编号测试单位',
      nature: 'private',
      industry: 'trade',
      scale: 'small',
      employees: 3,
      bureauCode: b,
      riskGrade: 'low',
      creditGrade: 'B',
    });
    const [plan] = await db
      .insert(plans)
      .values({
        bureauCode: b,
        title: 'SN',
        period: '2024',
        kind: 'general',
        status: 'tasks-issued',
        team: { size: 2, specialist: false, ownJurisdiction: true } satisfies PlanTeam,
        createdBy: city.user.id,
      })
      .returning();
    const [draw] = await db
      .insert(draws)
      .values({
        planId: plan!.id,
        bureauCode: b,
        attempt: 1,
        status: 'committed',
        // A fixture row, never verified: not a real commitment.
        commitment: { sources: [{ kind: 'hex', name: 'drand', issue: '1' }] } as unknown as StoredCommitment,
        commitmentDigest: randomUUID(),
        frame: [],
        inspectorRows: [],
        committedAt: new Date(),
        committedBy: city.user.id,
      })
      .returning();
    const [task] = await db
      .insert(tasks)
      .values({
        bureauCode: b,
        drawId: draw!.id,
        planId: plan!.id,
        unitId,
        sequence: 1,
        reason: 'random',
        team: [],
        checklistItemCodes: [],
        status: 'done',
      })
      .returning();
    const [result] = await db
      .insert(results)
      .values({
        bureauCode: b,
        taskId: task!.id,
        outcome: 'violations',
        inspectedOn: '2024-01-05',
        recordedBy: city.user.id,
      })
      .returning();
    const [major] = await db
      .insert(findings)
      .values({
        bureauCode: b,
        resultId: result!.id,
        kind: 'major-hazard',
        description: '重大事故隐患（测试）',
      })
      .returning();
    unitOf.set(b, unitId);
    majorFinding.set(b, major!.id);
  }
}, 300_000);
afterAll(async () => t?.close());

describe('listing numbers of listed supervision', () => {
  const open = (findingId: string, supervisingBureauCode: string, listingNumber: string) =>
    city.caller.supervisions.open({
      findingId,
      supervisingBureauCode,
      listingNumber,
      listedOn: '2024-01-06',
      deadline: '2024-02-06',
    });

  it('refuses a number the city already gave a listing in another district', async () => {
    const first = await open(majorFinding.get(BINHAI)!, CITY, '津督〔2024〕1号');
    expect(first).toMatchObject({ bureauCode: BINHAI, supervisingBureauCode: CITY });
    const second = await open(majorFinding.get(HEPING)!, CITY, '津督〔2024〕1号').catch((e: unknown) => e);
    expect((second as { code?: string }).code).toBe('CONFLICT');
    expect((second as Error).message).toMatch(/^supervisions_number: already exists/);
  });

  it('lets a district use a number the city uses', async () => {
    expect(await codeOf(open(majorFinding.get(HEPING)!, HEPING, '津督〔2024〕1号'))).toBe('OK');
  });
});

describe('blacklist proceedings under way', () => {
  it('refuses a second listing proposal for a unit moved to another district meanwhile', async () => {
    const unitId = unitOf.get(BINHAI)!;
    const propose = () =>
      city.caller.blacklist.propose({
        kind: 'listing',
        unitId,
        reason: 'concealed',
        findingId: majorFinding.get(BINHAI)!,
        note: '隐瞒重大事故隐患',
      });
    expect(await propose()).toMatchObject({ bureauCode: BINHAI, status: 'proposed' });
    // The roster moves the unit to another district; its proceeding stays in the old one.
    await t.database.db.update(units).set({ bureauCode: HEPING }).where(eq(units.id, unitId));
    const again = await propose().catch((e: unknown) => e);
    expect((again as { code?: string }).code).toBe('CONFLICT');
    expect((again as Error).message).toMatch(/^unitId: /);
  });

  it('refuses a listing proposal on a finding that does not exist (no foreign key holds it)', async () => {
    const unitId = unitOf.get(HEPING)!;
    const proposal = city.caller.blacklist.propose({
      kind: 'listing',
      unitId,
      reason: 'concealed',
      findingId: randomUUID(),
      note: '隐瞒重大事故隐患',
    });
    expect(await codeOf(proposal)).toBe('NOT_FOUND');
    const open = await t.database.db
      .select()
      .from(blacklistProceedings)
      .where(eq(blacklistProceedings.unitId, unitId));
    expect(open).toEqual([]);
  });
});
