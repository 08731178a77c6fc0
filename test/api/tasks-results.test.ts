/** What inspectors and district staff read: tasks with their teams, results, the layered checklist. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, createUser } from '@spotcheck/api';
import {
  anonymousCaller,
  BINHAI,
  callerWithToken,
  CITY,
  codeOf,
  downloadedBundle,
  drawEnv,
  HEPING,
  openTestDb,
  PASSWORD,
  signedInUser,
  type SignedIn,
  type TestDb,
} from './harness';
import {
  buildWorld,
  drawAndSign,
  issuedPlan,
  proposedSources,
  type IssuedPlan,
  type World,
} from './fixtures';
import { browserVoidSignature, wholeSecondsOf } from '../support/official-keys';

let t: TestDb;
let w: World;
let general: IssuedPlan;
let member: SignedIn;
let outsider: SignedIn;
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
  general = await issuedPlan(w, { title: '一般检查' });
  const first = general.selected[0]!;
  member = await signedInUser(t.database, 'tr-member', BINHAI, ['inspector'], { inspectorId: first.team[0] });
  const other = ['I120116-0001', 'I120116-0002', 'I120116-0003', 'I120116-0004'].find(
    (id) => !first.team.includes(id),
  )!;
  outsider = await signedInUser(t.database, 'tr-outsider', BINHAI, ['inspector'], { inspectorId: other });
});
afterAll(async () => t?.close());

describe('tasks.get and team members', () => {
  it('gives inspectors their own tasks with the names and certificates of the team', async () => {
    const mine = (await member.caller.tasks.list({ planId: general.planId })).rows;
    expect(mine.length).toBeGreaterThan(0);
    const row = mine.find((r) => r.task.unitId === general.selected[0]!.unit)!;
    expect(row.teamMembers).toHaveLength(2);
    for (const m of row.teamMembers) {
      expect(m.name).toMatch(/^执法员\d$/);
      expect(m.certificateNo).toMatch(/^TJ-ZF-10\d\d$/);
    }
    const one = await member.caller.tasks.get({ id: row.task.id });
    expect(one.task.id).toBe(row.task.id);
    expect(one.unitName).toMatch(/^滨海测试单位/);
    expect(one.teamMembers.map((m) => m.id)).toEqual(row.task.team);
    expect(one.planTitle).toBe('一般检查');
    // Not on the team: forbidden; staff of the bureau: allowed; another district: forbidden.
    const notMine = (await w.admin.caller.tasks.list({ planId: general.planId })).rows.find(
      (r) => !r.task.team.includes(member.user.inspectorId!),
    );
    if (notMine) expect(await codeOf(member.caller.tasks.get({ id: notMine.task.id }))).toBe('FORBIDDEN');
    expect((await w.auditor.caller.tasks.get({ id: row.task.id })).teamMembers).toHaveLength(2);
    const heping = await signedInUser(t.database, 'tr-heping', HEPING, ['district-admin']);
    expect(await codeOf(heping.caller.tasks.get({ id: row.task.id }))).toBe('FORBIDDEN');
    expect(await codeOf(member.caller.tasks.get({ id: 'nope' }))).toBe('BAD_REQUEST');
  });

  it('names checklist items by code and title, and dates a task by its result', async () => {
    const rows = (await w.admin.caller.tasks.list({ planId: general.planId })).rows;
    // Not the member's team: 'results.list for inspectors' counts that team's results.
    const row = rows.find(
      (r) =>
        r.task.status === 'issued' &&
        r.task.checklistItemCodes.length &&
        !r.task.team.includes(member.user.inspectorId!),
    )!;
    expect(row).toBeDefined();
    expect(row.checklistItems.map((i) => i.code)).toEqual(row.task.checklistItemCodes);
    for (const i of row.checklistItems) expect(i.item).not.toBe('');
    expect(row.inspectedOn).toBeNull();
    await w.admin.caller.results.record({
      taskId: row.task.id,
      outcome: 'compliant',
      inspectedOn: '2027-02-21',
      findings: [],
    });
    const one = await w.admin.caller.tasks.get({ id: row.task.id });
    expect(one.inspectedOn).toBe('2027-02-21');
    expect(one.checklistItems).toEqual(row.checklistItems);
    const again = (await w.admin.caller.tasks.list({ planId: general.planId })).rows.find(
      (r) => r.task.id === row.task.id,
    )!;
    expect(again.inspectedOn).toBe('2027-02-21');
  });

  it('seals covert tasks to all but the team until the team starts (R10)', async () => {
    const covert = await issuedPlan(w, { title: '暗查暗访', kind: 'covert' });
    const first = covert.selected[0]!;
    const insp = await signedInUser(t.database, 'tr-covert', BINHAI, ['inspector'], {
      inspectorId: first.team[0],
    });
    const staffView = (await w.admin.caller.tasks.list({ planId: covert.planId })).rows;
    expect(staffView).toEqual([]);
    // The public saw the commitment's digest before the draw, and nothing of its frame or teams.
    const portal = await anonymousCaller(t.database);
    const header = (await portal.publications.list({ kind: 'commitment', limit: 200 })).find(
      (p) => p.refId === covert.drawId,
    )!;
    const sealedCommitment = (await portal.publications.get({ id: header.id })).content as Record<
      string,
      unknown
    >;
    // Staff cannot read the sealed draw's teams either (draws.get, selected, bundle and verify), only its digests.
    expect(await codeOf(downloadedBundle(t.database, w.operator, covert.drawId))).toBe('FORBIDDEN');
    expect(await codeOf(w.auditor.caller.draws.verify({ drawId: covert.drawId }))).toBe('FORBIDDEN');
    expect(await codeOf(w.admin.caller.draws.selected({ drawId: covert.drawId }))).toBe('FORBIDDEN');
    const sealedDraw = await w.admin.caller.draws.get({ drawId: covert.drawId });
    expect(sealedDraw).toMatchObject({ sealed: true, summary: null });
    expect(sealedDraw).not.toHaveProperty('frame');
    expect(sealedDraw).not.toHaveProperty('result');
    expect(JSON.stringify(sealedDraw)).not.toContain(first.team[0]!);
    expect(sealedCommitment.sealed).toBe(true);
    expect(sealedCommitment.commitmentDigest).toBe(sealedDraw.commitmentDigest);
    expect(Object.keys(sealedCommitment).sort()).toEqual([
      'algorithm',
      'commitment',
      'commitmentDigest',
      'demoBeacon',
      'rosterChanges',
      'sealed',
    ]);
    expect(JSON.stringify(sealedCommitment)).not.toContain(first.unit);
    expect(JSON.stringify(sealedCommitment)).not.toContain(first.team[0]!);
    const mine = (await insp.caller.tasks.list({ planId: covert.planId })).rows;
    const task = mine.find((r) => r.task.unitId === first.unit)!.task;
    expect(task.sealed).toBe(true);
    expect(await codeOf(w.admin.caller.tasks.get({ id: task.id }))).toBe('FORBIDDEN');
    expect(
      await codeOf(w.operator.caller.tasks.schedule({ taskId: task.id, scheduledOn: '2027-05-01' })),
    ).toBe('FORBIDDEN');
    await insp.caller.tasks.start({ taskId: task.id });
    expect((await w.admin.caller.tasks.get({ id: task.id })).task.status).toBe('in-progress');
    expect((await w.admin.caller.tasks.list({ planId: covert.planId })).rows.map((r) => r.task.id)).toEqual([
      task.id,
    ]);
  });
});

describe('team visibility with several grants', () => {
  it('keeps a bureau team-only where the user is an inspector, whatever their city role', async () => {
    const first = general.selected[0]!;
    const user = await createUser(t.database.db, {
      username: 'tr-mixed',
      displayName: 'mixed',
      password: PASSWORD,
      bureauCode: BINHAI,
      roles: [
        { role: 'inspector', bureauCode: BINHAI },
        { role: 'auditor', bureauCode: CITY },
      ],
      inspectorId: first.team[0],
    });
    const { token } = await createSession(t.database.db, user.id, new Date());
    const mixed = await callerWithToken(t.database, token);
    const all = (await w.auditor.caller.tasks.list({ planId: general.planId })).rows;
    const mine = (await mixed.tasks.list({ planId: general.planId })).rows;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(all.length);
    expect(mine.every((r) => r.task.team.includes(first.team[0]!))).toBe(true);
    const other = all.find((r) => !r.task.team.includes(first.team[0]!))!;
    expect(await codeOf(mixed.tasks.get({ id: other.task.id }))).toBe('FORBIDDEN');
  });
});

describe('tasks.list a page at a time', () => {
  it('pages every task in reach once, in plan and draw order, and counts them all', async () => {
    const whole = (await w.admin.caller.tasks.list({ planId: general.planId, limit: 5000 })).rows;
    expect(whole.length).toBe(general.selected.length);
    const seen: string[] = [];
    for (let offset = 0; ; offset += 3) {
      const page = await w.admin.caller.tasks.list({ planId: general.planId, limit: 3, offset });
      expect(page.total).toBe(whole.length);
      if (!page.rows.length) break;
      expect(page.rows.length).toBeLessThanOrEqual(3);
      seen.push(...page.rows.map((r) => r.task.id));
    }
    expect(seen).toEqual(whole.map((r) => r.task.id));
    expect(whole.map((r) => r.task.sequence)).toEqual(general.selected.map((_, i) => i + 1));
    // A page past the last is empty, with the same total; a page of more than the cap is refused.
    expect(await w.admin.caller.tasks.list({ planId: general.planId, offset: 10_000 })).toEqual({
      rows: [],
      total: whole.length,
    });
    expect(await codeOf(w.admin.caller.tasks.list({ limit: 5001 }))).toBe('BAD_REQUEST');
    // Keyset paging (after the last row of a page) gives the same rows, whatever the offset says.
    const keyed: string[] = [];
    let after: { planId: string; sequence: number; id: string } | undefined;
    for (;;) {
      const page = await w.admin.caller.tasks.list({
        planId: general.planId,
        limit: 4,
        offset: after ? 999 : 0,
        after,
      });
      if (!page.rows.length) break;
      keyed.push(...page.rows.map((r) => r.task.id));
      const last = page.rows.at(-1)!.task;
      after = { planId: last.planId, sequence: last.sequence, id: last.id };
    }
    expect(keyed).toEqual(whole.map((r) => r.task.id));
    // It follows the plan order only.
    const dayAfter = w.admin.caller.tasks.list({ order: 'day', after: after! });
    expect(await codeOf(dayAfter)).toBe('BAD_REQUEST');
  });

  it('gives a batch of draw sequences that stays the same batch when a task leaves the list', async () => {
    const printable = ['issued', 'in-progress', 'done'] as const;
    const batch = (from: number, to: number) =>
      w.admin.caller.tasks.list({ planId: general.planId, status: [...printable], sequences: { from, to } });
    const n = general.selected.length;
    expect(n).toBeGreaterThanOrEqual(6);
    const first = await batch(1, 3);
    expect(first.rows.map((r) => r.task.sequence)).toEqual([1, 2, 3]);
    expect(first).toMatchObject({ total: 3, lastSequence: n });
    // A task of the first batch leaves the printable list after that batch was printed: the
    // second batch is still sequences 4–6 (by offset, sequence 4 would have moved into the first
    // batch's place and never been printed).
    const second = first.rows[1]!.task;
    await t.owner.db.execute(sql`UPDATE tasks SET status = 'cancelled' WHERE id = ${second.id}`);
    try {
      const next = await batch(4, 6);
      expect(next.rows.map((r) => r.task.sequence)).toEqual([4, 5, 6]);
      const byOffset = await w.admin.caller.tasks.list({
        planId: general.planId,
        status: [...printable],
        limit: 3,
        offset: 3,
      });
      expect(byOffset.rows[0]!.task.sequence).toBe(5);
      expect((await batch(1, 3)).rows.map((r) => r.task.sequence)).toEqual([1, 3]);
      // The last batch ends at the highest sequence; past it, nothing.
      expect((await batch(n, n + 499)).rows.map((r) => r.task.sequence)).toEqual([n]);
      expect(await batch(n + 1, n + 500)).toEqual({ rows: [], total: 0, lastSequence: n });
    } finally {
      await t.owner.db.execute(sql`UPDATE tasks SET status = ${second.status} WHERE id = ${second.id}`);
    }
    // An officer's highest sequence is their own team's; another district's admin sees none.
    const own = general.selected
      .map((s, i) => ({ ...s, sequence: i + 1 }))
      .filter((s) => s.team.includes(member.user.inspectorId!));
    const mine = await member.caller.tasks.list({ planId: general.planId, sequences: { from: 1, to: n } });
    expect(mine.rows.map((r) => r.task.sequence)).toEqual(own.map((s) => s.sequence));
    expect(mine.lastSequence).toBe(own.at(-1)!.sequence);
    const heping = await signedInUser(t.database, 'tr-heping-batch', HEPING, ['district-admin']);
    expect(
      await heping.caller.tasks.list({ planId: general.planId, sequences: { from: 1, to: 500 } }),
    ).toEqual({ rows: [], total: 0, lastSequence: null });
    // A range needs its plan, and runs forwards.
    expect(await codeOf(w.admin.caller.tasks.list({ sequences: { from: 1, to: 500 } }))).toBe('BAD_REQUEST');
    expect(
      await codeOf(w.admin.caller.tasks.list({ planId: general.planId, sequences: { from: 5, to: 4 } })),
    ).toBe('BAD_REQUEST');
  });

  it('keeps a voided attempt’s done tasks in their batch beside the next attempt’s, and counts both', async () => {
    const p = await issuedPlan(w, { title: '作废后重抽' });
    // Two tasks of the first attempt are done before an emergency void; the rest are cancelled.
    await t.owner.db.execute(
      sql`UPDATE tasks SET status = 'done', executed_at = now() WHERE plan_id = ${p.planId} AND sequence IN (1, 2)`,
    );
    await w.operator.caller.draws.requestVoid({
      drawId: p.drawId,
      reasonId: 'emergency',
      reason: '演练：任务下达后紧急作废',
    });
    const d = await w.approver2.caller.draws.get({ drawId: p.drawId });
    const signed = await browserVoidSignature(
      w.keys.approver2,
      { id: w.approver2.user.id, name: w.approver2.user.displayName },
      wholeSecondsOf(drawEnv.now()),
      { commitmentDigest: d.commitmentDigest, reason: 'emergency', requestedBy: w.operator.user.id },
    );
    await w.approver2.caller.draws.signVoid({ drawId: p.drawId, void: signed });
    await w.operator.caller.plans.update({
      planId: p.planId,
      patch: { sources: await proposedSources(w, 300) },
    });
    await w.operator.caller.plans.submit({ planId: p.planId });
    const { draw } = await drawAndSign(w, p.planId);
    await w.operator.caller.draws.issueTasks({ drawId: draw.id });
    // Sequences 1–3 now hold five printable notices: two done ones of the voided attempt and three
    // of the new one. The batch gives all five and says so (the notices page asks for up to 5,000).
    const batch = await w.admin.caller.tasks.list({
      planId: p.planId,
      status: ['issued', 'in-progress', 'done'],
      sequences: { from: 1, to: 3 },
      limit: 5000,
    });
    expect(batch.rows.map((r) => `${r.task.sequence}:${r.task.status}`).sort()).toEqual([
      '1:done',
      '1:issued',
      '2:done',
      '2:issued',
      '3:issued',
    ]);
    expect(batch.total).toBe(5);
  });

  it('counts only what the caller may see: an officer’s total is their own team’s tasks', async () => {
    const own = general.selected.filter((s) => s.team.includes(member.user.inspectorId!)).length;
    const page = await member.caller.tasks.list({ planId: general.planId, limit: 1 });
    expect(page.total).toBe(own);
    expect(page.rows).toHaveLength(1);
    // `mine` on a staff account without an officer id keeps nothing, not everything.
    expect((await w.admin.caller.tasks.list({ planId: general.planId, mine: true })).total).toBe(0);
    // Another district's admin sees none of Binhai's, in the rows or in the count.
    const heping = await signedInUser(t.database, 'tr-heping-pages', HEPING, ['district-admin']);
    expect(await heping.caller.tasks.list({ planId: general.planId })).toEqual({ rows: [], total: 0 });
  });

  it('filters by several statuses, and orders by the inspection or scheduled day on request', async () => {
    const all = (await w.admin.caller.tasks.list({ planId: general.planId, limit: 5000 })).rows;
    const [a, b] = [all[all.length - 1]!, all[all.length - 2]!];
    await w.operator.caller.tasks.schedule({ taskId: a.task.id, scheduledOn: '2027-01-05' });
    await w.operator.caller.tasks.schedule({ taskId: b.task.id, scheduledOn: '2027-02-05' });
    const byDay = (await w.admin.caller.tasks.list({ planId: general.planId, order: 'day', limit: 2 })).rows;
    expect(byDay.map((r) => r.task.id)).toEqual([a.task.id, b.task.id]);
    const open = await w.admin.caller.tasks.list({
      planId: general.planId,
      status: ['issued', 'in-progress'],
      limit: 5000,
    });
    expect(open.total).toBe(all.filter((r) => ['issued', 'in-progress'].includes(r.task.status)).length);
    expect(open.rows.every((r) => ['issued', 'in-progress'].includes(r.task.status))).toBe(true);
  });
});

describe('results.list for inspectors', () => {
  it('lists the results of their own team only', async () => {
    const first = general.selected[0]!;
    const task = (await member.caller.tasks.list({ planId: general.planId })).rows.find(
      (r) => r.task.unitId === first.unit,
    )!.task;
    await member.caller.tasks.start({ taskId: task.id });
    const result = await member.caller.results.record({
      taskId: task.id,
      outcome: 'compliant',
      inspectedOn: '2027-03-02',
    });
    const listed = (await member.caller.results.list({})).rows;
    expect(listed.map((r) => r.result.id)).toEqual([result.id]);
    // By the unit's name as the roster has it, the credit code beside it.
    const unitRow = await w.auditor.caller.units.get({ id: first.unit });
    expect(listed[0]).toMatchObject({ unitId: first.unit, unitName: unitRow.name });
    expect((await member.caller.results.list({ taskId: task.id })).rows.length).toBe(1);
    // The outsider sees exactly the results of tasks their own team holds (the item-title case
    // may have recorded one of those), never the member's.
    const teamOf = new Map(
      (await w.admin.caller.tasks.list({ planId: general.planId })).rows.map((r) => [r.task.id, r.task.team]),
    );
    const outsiderId = outsider.user.inspectorId!;
    const theirs = (await w.admin.caller.results.list({ bureauCode: BINHAI })).rows
      .filter((r) => teamOf.get(r.result.taskId)?.includes(outsiderId))
      .map((r) => r.result.id);
    const seen = (await outsider.caller.results.list({})).rows.map((r) => r.result.id);
    expect(seen.sort()).toEqual(theirs.sort());
    expect(seen).not.toContain(result.id);
    expect(
      (await w.auditor.caller.results.list({ bureauCode: BINHAI })).rows.map((r) => r.result.id),
    ).toContain(result.id);
    expect(await codeOf(member.caller.results.list({ bureauCode: HEPING }))).toBe('FORBIDDEN');
  });

  it('pages results newest first, counts them all, and flags a corrected one on any page', async () => {
    const first = general.selected[0]!;
    const [original] = (await member.caller.results.list({})).rows;
    const correction = await w.admin.caller.results.record({
      taskId: original!.result.taskId,
      outcome: 'compliant',
      inspectedOn: '2027-03-03',
      supersedesId: original!.result.id,
      correctionReason: '检查日期录入有误',
    });
    const newest = await member.caller.results.list({ limit: 1 });
    expect(newest.total).toBe(2);
    expect(newest.rows.map((r) => [r.result.id, r.superseded])).toEqual([[correction.id, false]]);
    // The original on the next page still says it was corrected (the correction is not on its page).
    const next = await member.caller.results.list({ limit: 1, offset: 1 });
    expect(next.rows.map((r) => [r.result.id, r.superseded])).toEqual([[original!.result.id, true]]);
    expect(next.rows[0]!.unitId).toBe(first.unit);
    // Staff see every result of the bureau, the newest first; the count is the whole bureau's.
    const all = await w.admin.caller.results.list({ bureauCode: BINHAI, limit: 5000 });
    expect(all.total).toBe(all.rows.length);
    const times = all.rows.map((r) => new Date(r.result.recordedAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(await codeOf(w.admin.caller.results.list({ limit: 5001 }))).toBe('BAD_REQUEST');
  });
});

describe('checklist layers', () => {
  it('shows the city layer to districts, read-only, and the effective layered list', async () => {
    const cityDraft = await w.cityAdmin.caller.checklist.createDraft({ bureauCode: CITY });
    await w.cityAdmin.caller.checklist.setItems({
      versionId: cityDraft.id,
      items: [
        {
          code: 'TJ-GEN-001',
          subject: '生产经营单位',
          item: '责任制（市级）',
          content: '市级',
          legalBasis: '安全生产法',
        },
        {
          code: 'TJ-CITY-009',
          subject: '生产经营单位',
          item: '应急预案',
          content: '是否备案',
          legalBasis: '安全生产法',
        },
      ],
    });
    // A city draft is not shown to districts until published.
    expect((await w.admin.caller.checklist.versions({})).some((v) => v.id === cityDraft.id)).toBe(false);
    expect(await codeOf(w.admin.caller.checklist.get({ versionId: cityDraft.id }))).toBe('FORBIDDEN');
    await w.cityAdmin.caller.checklist.publish({ versionId: cityDraft.id });

    const versions = await w.admin.caller.checklist.versions({ bureauCode: BINHAI });
    const city = versions.find((v) => v.id === cityDraft.id)!;
    expect(city).toMatchObject({ layer: 'city', readOnly: true, status: 'published' });
    expect(versions.find((v) => v.id === w.checklistVersionId)).toMatchObject({ layer: 'district' });
    expect((await member.caller.checklist.get({ versionId: city.id })).items).toHaveLength(2);
    expect(await codeOf(w.admin.caller.checklist.setItems({ versionId: city.id, items: [] }))).toBe(
      'FORBIDDEN',
    );

    const eff = await member.caller.checklist.effective({ bureauCode: BINHAI });
    expect(eff.city?.versionId).toBe(city.id);
    expect(eff.district?.versionId).toBe(w.checklistVersionId);
    expect(eff.items.map((i) => [i.code, i.layer, i.overrides]).sort()).toEqual([
      ['TJ-CITY-009', 'city', false],
      ['TJ-GEN-001', 'district', true],
      ['TJ-WH-001', 'district', false],
    ]);
    const cityOnly = await w.cityAdmin.caller.checklist.effective({ bureauCode: CITY });
    expect(cityOnly.district).toBeNull();
    expect(cityOnly.items.every((i) => i.layer === 'city')).toBe(true);
    expect(await codeOf(w.admin.caller.checklist.effective({ bureauCode: HEPING }))).toBe('FORBIDDEN');
  });
});
