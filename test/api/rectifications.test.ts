/** Use of results (R17–R19): rectification checks, listed supervision, blacklist, next draw. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anonymousCaller,
  BINHAI,
  codeOf,
  HEPING,
  openTestDb,
  signedInUser,
  type SignedIn,
  type TestDb,
} from './harness';
import { buildWorld, issuedPlan, type IssuedPlan, type World } from './fixtures';

const NOW = () => new Date('2027-04-01T02:00:00Z');
let t: TestDb;
let w: World;
let plan: IssuedPlan;
let admin: SignedIn;
const taskOf = new Map<string, string>();

beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
  plan = await issuedPlan(w, { title: '整改测试' });
  admin = await signedInUser(t.database, 'rc-admin', BINHAI, ['district-admin'], { now: NOW });
  for (const r of (await admin.caller.tasks.list({ planId: plan.planId })).rows)
    taskOf.set(r.task.unitId, r.task.id);
});
afterAll(async () => t?.close());

/** Records a result with one finding on the unit's task; returns the finding id. */
async function finding(unitId: string, kind: 'hazard' | 'major-hazard', due: string) {
  const result = await admin.caller.results.record({
    taskId: taskOf.get(unitId)!,
    outcome: 'violations',
    inspectedOn: '2027-02-01',
    findings: [
      { kind, description: '隐患描述（测试）', rectificationDue: due, checklistItemCode: 'TJ-GEN-001' },
    ],
  });
  return (await admin.caller.results.get({ resultId: result.id })).findings[0]!.id;
}

/** Units drawn at random (not mandatory), other than the three the first tests use. */
/** Drawn units not used by the first tests: randomly drawn ones first (how many depends on the draw). */
const randoms = () => {
  const rest = plan.selected.slice(3);
  return [...rest.filter((s) => s.reason === 'random'), ...rest.filter((s) => s.reason !== 'random')].map(
    (s) => s.unit,
  );
};

describe('rectifications', () => {
  it('ends listed supervision when a major hazard is rectified (R17)', async () => {
    const unitId = plan.selected[0]!.unit;
    const f = await finding(unitId, 'major-hazard', '2027-03-10');
    let unit = await admin.caller.units.get({ id: unitId });
    expect(unit.majorHazard).toBe(true);
    expect(unit.facts.filter((x) => x.kind === 'major-hazard' && x.endedOn === null)).toHaveLength(1);
    const early = await admin.caller.rectifications
      .record({ findingId: f, checkedOn: '2027-01-15', outcome: 'rectified' })
      .catch((e: unknown) => e as Error & { code: string });
    expect((early as Error).message).toMatch(/^checkedOn: is before the inspection/);
    expect(
      await codeOf(
        admin.caller.rectifications.record({ findingId: f, checkedOn: '2027-04-02', outcome: 'rectified' }),
      ),
    ).toBe('BAD_REQUEST');
    const rec = await admin.caller.rectifications.record({
      findingId: f,
      checkedOn: '2027-03-05',
      outcome: 'rectified',
      note: '已加装紧急切断装置',
    });
    expect(rec).toMatchObject({ outcome: 'rectified', supervisionEnded: true, blacklistProposalId: null });
    unit = await admin.caller.units.get({ id: unitId });
    expect(unit.majorHazard).toBe(false);
    expect(unit.facts.find((x) => x.kind === 'major-hazard' && x.source.startsWith('result:'))!.endedOn).toBe(
      '2027-03-05',
    );
    expect(
      await codeOf(
        admin.caller.rectifications.record({ findingId: f, checkedOn: '2027-03-06', outcome: 'rectified' }),
      ),
    ).toBe('CONFLICT');
    expect((await admin.caller.rectifications.list({ findingId: f })).map((r) => r.note)).toEqual([
      '已加装紧急切断装置',
    ]);
    const audit = await w.auditor.caller.audit.list({ bureauCode: BINHAI });
    expect(audit.some((a) => a.action === 'rectification.record' && a.entityId === rec.id)).toBe(true);
    expect(audit.some((a) => a.action === 'unit.end-listed-supervision' && a.entityId === unitId)).toBe(true);
  });

  it('lets only team members and admins record, within their bureau', async () => {
    const unitId = plan.selected[1]!.unit;
    const f = await finding(unitId, 'hazard', '2027-03-20');
    const team = plan.selected[1]!.team;
    const outsiderId = ['I120116-0001', 'I120116-0002', 'I120116-0003'].find((i) => !team.includes(i))!;
    const outsider = await signedInUser(t.database, 'rc-out', BINHAI, ['inspector'], {
      inspectorId: outsiderId,
      now: NOW,
    });
    const member = await signedInUser(t.database, 'rc-in', BINHAI, ['inspector'], {
      inspectorId: team[0],
      now: NOW,
    });
    const heping = await signedInUser(t.database, 'rc-hp', HEPING, ['district-admin'], { now: NOW });
    const input = { findingId: f, checkedOn: '2027-03-18', outcome: 'rectified' as const };
    expect(await codeOf(outsider.caller.rectifications.record(input))).toBe('FORBIDDEN');
    expect(await codeOf(heping.caller.rectifications.record(input))).toBe('FORBIDDEN');
    expect(await codeOf(w.operator.caller.rectifications.record(input))).toBe('FORBIDDEN');
    expect((await member.caller.rectifications.record(input)).supervisionEnded).toBe(false);
    // A corrected result's findings are replaced by the correction's.
    const old = await finding(plan.selected[2]!.unit, 'hazard', '2027-03-20');
    const oldResult = (await admin.caller.results.list({ taskId: taskOf.get(plan.selected[2]!.unit)! }))
      .rows[0]!;
    await admin.caller.results.record({
      taskId: oldResult.result.taskId,
      outcome: 'compliant',
      inspectedOn: '2027-02-01',
      supersedesId: oldResult.result.id,
      correctionReason: '录入错误，实为合规',
    });
    const corrected = (await admin.caller.rectifications
      .record({ findingId: old, checkedOn: '2027-03-18', outcome: 'rectified' })
      .catch((e: unknown) => e)) as Error & { code: string };
    expect(corrected.code).toBe('CONFLICT');
    expect(corrected.message).toMatch(/^findingId: the result was corrected/);
    const bad = await member.caller.rectifications
      .record({ ...input, outcome: 'fixed' as never })
      .catch((e: unknown) => e as Error & { code: string });
    expect((bad as Error).message).toMatch(/^outcome: /);
  });

  it('proposes (never decides) the blacklisting of a unit that concealed a hazard (R18)', async () => {
    // Due process follows in blacklist.* (test/api/consequences.test.ts takes it to the next frame).
    const unitId = randoms()[0]!;
    const f = await finding(unitId, 'hazard', '2027-03-15');
    const rec = await admin.caller.rectifications.record({
      findingId: f,
      checkedOn: '2027-03-16',
      outcome: 'concealed',
    });
    expect(rec.blacklistProposalId).not.toBeNull();
    const audit = await w.auditor.caller.audit.list({ bureauCode: BINHAI });
    expect(audit.some((a) => a.action === 'unit.blacklist')).toBe(false);
    expect(
      audit.find((a) => a.action === 'blacklist.propose' && a.entityId === rec.blacklistProposalId)!.after,
    ).toMatchObject({ reason: 'concealed', findingId: f, unitId, status: 'proposed' });
    const unit = await admin.caller.units.get({ id: unitId });
    expect(unit.blacklisted).toBe(false);
    const portal = await anonymousCaller(t.database);
    const notices = await portal.publications.list({ kind: 'blacklist' });
    expect(JSON.stringify(notices)).not.toContain(unitId);
    // A second concealed check proposes nothing more: one proceeding under way per unit.
    const again = await admin.caller.rectifications.record({
      findingId: f,
      checkedOn: '2027-03-17',
      outcome: 'concealed',
    });
    expect(again.blacklistProposalId).toBeNull();
  });

  it('proposes on an inadequate major-hazard rectification, and lists and proposes overdue ones', async () => {
    const [inadequateUnit, overdueUnit] = randoms().slice(1, 3);
    const f1 = await finding(inadequateUnit!, 'major-hazard', '2027-04-30');
    const r1 = await admin.caller.rectifications.record({
      findingId: f1,
      checkedOn: '2027-03-20',
      outcome: 'inadequate',
    });
    expect(r1.blacklistProposalId).not.toBeNull();
    expect((await admin.caller.units.get({ id: inadequateUnit! })).blacklisted).toBe(false);

    const f2 = await finding(overdueUnit!, 'major-hazard', '2027-03-01');
    const overdue = await admin.caller.rectifications.overdue({ bureauCode: BINHAI });
    const row = overdue.find((o) => o.finding.id === f2)!;
    expect(row).toMatchObject({
      unitId: overdueUnit,
      daysOverdue: 31,
      unitBlacklisted: false,
      unitProposed: false,
      lastCheck: null,
    });
    // The rectified finding of the first test and the inadequate one not yet due are not overdue.
    expect(overdue.some((o) => o.finding.id === f1)).toBe(false);
    expect(await codeOf(admin.caller.rectifications.overdue({ bureauCode: HEPING }))).toBe('FORBIDDEN');
    expect(await codeOf(w.operator.caller.rectifications.blacklistOverdue({ bureauCode: BINHAI }))).toBe(
      'FORBIDDEN',
    );

    const proposed = await admin.caller.rectifications.blacklistOverdue({ bureauCode: BINHAI });
    expect(proposed.proposed.map((b) => b.unitId)).toEqual([overdueUnit]);
    expect((await admin.caller.units.get({ id: overdueUnit! })).blacklisted).toBe(false);
    expect((await admin.caller.rectifications.blacklistOverdue({ bureauCode: BINHAI })).proposed).toEqual([]);
    expect(
      (await admin.caller.rectifications.overdue({ bureauCode: BINHAI })).find((o) => o.finding.id === f2),
    ).toMatchObject({ unitBlacklisted: false, unitProposed: true });
  });
});
