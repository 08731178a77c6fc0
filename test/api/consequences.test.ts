/**
 * Issue #14 "done means", over a quarter of the fixture city (Binhai, 2027-Q1): a violation
 * becomes an enforcement case with a penalty decision; a major hazard is listed (挂牌督办),
 * rectified, reviewed and closed (销号) by a second person; a concealed hazard is proposed for
 * the blacklist, reviewed, noticed, decided after the objection period and published, and the
 * unit is mandatory (covert) in the next frame; credit repair takes it off; the outgoing credit
 * reports contain exactly those decisions. Plus the abuse: one person proposing and approving,
 * skipping the objection period, another bureau acting, publishing before the decision,
 * skipping or reversing case stages.
 */
import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAbandonedEvidence, createSession, runJob } from '@spotcheck/api';
import { SPECIALTY_IDS } from '@spotcheck/core';
import { blacklistProceedings, evidenceUploads, publications } from '@spotcheck/db';
import {
  anonymousCaller,
  BINHAI,
  callerWithToken,
  CITY,
  codeOf,
  HEPING,
  openTestDb,
  signedInUser,
  type SignedIn,
  type TestDb,
} from './harness';
import {
  buildWorld,
  issuedPlan,
  publishedFrame,
  submittedPlan,
  type IssuedPlan,
  type World,
} from './fixtures';

/** The suite's clock: China noon of `day` (moved through the quarter). */
let day = '2027-03-01';
const NOW = () => new Date(`${day}T04:00:00Z`);
let t: TestDb;
let w: World;
let plan: IssuedPlan;
/** People, each re-signed in at the current clock (sessions last 12 hours). */
let people: Record<'admin' | 'admin2' | 'approver' | 'heping' | 'member', SignedIn>;
const taskOf = new Map<string, string>();
/** Frame row of a unit in a draw: [unitId, stratum, weight, mandatory, specialty]. */
type Row = [string, string, number, number, string];

async function as(who: keyof typeof people) {
  const { token } = await createSession(t.database.db, people[who].user.id, NOW());
  return callerWithToken(t.database, token, NOW);
}

async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
    return { code: 'OK', message: '' };
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
}

/** An evidence file as the upload endpoint records it (the bytes are not needed here). */
async function uploaded(name: string, by: SignedIn) {
  const sha256 = createHash('sha256').update(name).digest('hex');
  await t.database.db.insert(evidenceUploads).values({
    sha256,
    size: 1234,
    mime: 'application/pdf',
    name,
    uploadedBy: by.user.id,
    bureauCode: BINHAI,
  });
  return { sha256, size: 1234, mime: 'application/pdf', name };
}

/** Records a result with one finding on the unit's task (as the admin); returns the finding id. */
async function finding(unitId: string, kind: 'violation' | 'hazard' | 'major-hazard', due: string | null) {
  const admin = await as('admin');
  const result = await admin.results.record({
    taskId: taskOf.get(unitId)!,
    outcome: 'violations',
    inspectedOn: '2027-02-20',
    findings: [
      {
        kind,
        description: `${kind} 描述（测试）`,
        rectificationDue: due,
        checklistItemCode: 'TJ-GEN-001',
      },
    ],
  });
  return (await admin.results.get({ resultId: result.id })).findings[0]!.id;
}

let units: { violation: string; major: string; concealed: string; overdue: string };

beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database, 100);
  // Major-hazard units are inspected with an expert: two, so the next frame can staff them.
  for (const id of ['E-CQ-1', 'E-CQ-2'])
    await w.cityAdmin.caller.experts.create({
      id,
      name: '安全专家',
      bureauCode: BINHAI,
      specialties: [...SPECIALTY_IDS],
    });
  plan = await issuedPlan(w, { title: '2027年一季度抽查', period: '2027-Q1' });
  people = {
    admin: await signedInUser(t.database, 'cq-admin', BINHAI, ['district-admin'], { now: NOW }),
    admin2: await signedInUser(t.database, 'cq-admin2', BINHAI, ['district-admin'], { now: NOW }),
    approver: await signedInUser(t.database, 'cq-approver', BINHAI, ['approver'], { now: NOW }),
    heping: await signedInUser(t.database, 'cq-heping', HEPING, ['district-admin'], { now: NOW }),
    member: null as unknown as SignedIn,
  };
  for (const r of (await (await as('admin')).tasks.list({ planId: plan.planId })).rows)
    taskOf.set(r.task.unitId, r.task.id);
  // The concealing unit is one drawn at random (not mandatory before), so that the blacklist is
  // its only reason to be mandatory and covert next time. The overdue one is also drawn at random.
  const random = plan.selected.filter((s) => s.reason === 'random');
  const others = plan.selected.filter((s) => !random.slice(0, 2).includes(s));
  expect(random.length).toBeGreaterThanOrEqual(2);
  expect(others.length).toBeGreaterThanOrEqual(2);
  units = {
    concealed: random[0]!.unit,
    overdue: random[1]!.unit,
    violation: others[0]!.unit,
    major: others[1]!.unit,
  };
  people.member = await signedInUser(t.database, 'cq-member', BINHAI, ['inspector'], {
    inspectorId: random[0]!.team[0],
    now: NOW,
  });
}, 300_000);
afterAll(async () => t?.close());

describe('enforcement case from a violation (R17)', () => {
  let caseId: string;
  let findingId: string;

  it('files, investigates, decides with the checklist item’s legal basis, and closes, in order', async () => {
    findingId = await finding(units.violation, 'violation', '2027-03-20');
    let admin = await as('admin');
    expect((await admin.cases.candidates({ bureauCode: BINHAI })).rows.map((c) => c.finding.id)).toContain(
      findingId,
    );
    const filed = await admin.cases.file({
      findingId,
      caseNumber: '津滨应急立〔2027〕1号',
      filedOn: '2027-03-01',
      documents: [await uploaded('立案审批表.pdf', people.admin)],
    });
    caseId = filed.id;
    expect(
      (await admin.cases.candidates({ bureauCode: BINHAI })).rows.map((c) => c.finding.id),
    ).not.toContain(findingId);
    expect(filed).toMatchObject({ stage: 'filed', unitId: units.violation, bureauCode: BINHAI });
    // One case per finding.
    expect(
      await codeOf(
        admin.cases.file({ findingId, caseNumber: '津滨应急立〔2027〕2号', filedOn: '2027-03-01' }),
      ),
    ).toBe('CONFLICT');
    // No skipping: the decision before the investigation.
    const skip = await errorOf(
      admin.cases.advance({
        caseId,
        step: 'decided',
        on: '2027-03-01',
        decisionNumber: '津滨应急罚〔2027〕1号',
        penaltyAmount: '20000',
      }),
    );
    expect(skip.code).toBe('CONFLICT');
    expect(skip.message).toMatch(/^step: the case is at "filed": the next step is "investigated"/);
    // Dates: not in the future, not before the previous step.
    expect(
      (await errorOf(admin.cases.advance({ caseId, step: 'investigated', on: '2027-03-02' }))).message,
    ).toBe('on: cannot be in the future');
    day = '2027-03-05';
    admin = await as('admin');
    expect(
      (await errorOf(admin.cases.advance({ caseId, step: 'investigated', on: '2027-02-28' }))).message,
    ).toMatch(/^on: is before the previous step/);
    await admin.cases.advance({ caseId, step: 'investigated', on: '2027-03-03', note: '调查终结报告' });
    // Another bureau cannot act on it.
    expect(
      await codeOf(
        (await as('heping')).cases.advance({
          caseId,
          step: 'decided',
          on: '2027-03-05',
          decisionNumber: '津和应急罚〔2027〕1号',
          penaltyAmount: '1',
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(await codeOf((await as('heping')).cases.get({ caseId }))).toBe('FORBIDDEN');
    expect(
      (
        await errorOf(
          admin.cases.advance({
            caseId,
            step: 'decided',
            on: '2027-03-05',
            decisionNumber: '津滨应急罚〔2027〕1号',
            penaltyAmount: '2万元',
          }),
        )
      ).message,
    ).toMatch(/^penaltyAmount: must be an amount in yuan/);
    const decided = await admin.cases.advance({
      caseId,
      step: 'decided',
      on: '2027-03-05',
      decisionNumber: '津滨应急罚〔2027〕1号',
      penaltyAmount: '20000',
    });
    expect(decided).toMatchObject({
      stage: 'decided',
      decisionNumber: '津滨应急罚〔2027〕1号',
      penaltyAmount: '20000.00',
      legalBasis: '《安全生产法》第二十二条',
      decidedOn: '2027-03-05',
    });
    // No going back.
    expect(await codeOf(admin.cases.advance({ caseId, step: 'investigated', on: '2027-03-05' }))).toBe(
      'CONFLICT',
    );
    const closed = await admin.cases.advance({ caseId, step: 'closed', on: '2027-03-05', execution: 'paid' });
    expect(closed.stage).toBe('closed');
    expect(
      await codeOf(admin.cases.advance({ caseId, step: 'closed', on: '2027-03-05', execution: 'paid' })),
    ).toBe('CONFLICT');
  });

  it('corrects a decision by a new record, keeping the old step', async () => {
    const admin = await as('admin');
    const before = await admin.cases.get({ caseId });
    const decidedStep = before.steps.find((s) => s.step === 'decided')!;
    expect(
      await codeOf(
        admin.cases.correct({ caseId, stepId: decidedStep.id, reason: '笔误', caseNumber: 'X-1' }),
      ),
    ).toBe('BAD_REQUEST');
    const corrected = await admin.cases.correct({
      caseId,
      stepId: decidedStep.id,
      reason: '罚款金额录入错误，以决定书为准',
      penaltyAmount: '15000',
    });
    expect(corrected.penaltyAmount).toBe('15000.00');
    const after = await admin.cases.get({ caseId });
    expect(after.steps.map((s) => s.step)).toEqual([
      'filed',
      'investigated',
      'decided',
      'closed',
      'correction',
    ]);
    expect(after.steps.find((s) => s.step === 'decided')!.detail).toMatchObject({ penaltyAmount: '20000' });
    expect(after.steps.at(-1)).toMatchObject({
      correctsStepId: decidedStep.id,
      note: '罚款金额录入错误，以决定书为准',
    });
    const audit = await w.auditor.caller.audit.list({ bureauCode: BINHAI });
    for (const action of ['case.file', 'case.investigated', 'case.decided', 'case.closed', 'case.correct'])
      expect(audit.some((a) => a.action === action && a.entityId === caseId)).toBe(true);
    // Listed for the bureau, not for another.
    expect((await admin.cases.list({ bureauCode: BINHAI })).rows.map((r) => r.case.id)).toContain(caseId);
    expect(await codeOf((await as('heping')).cases.list({ bureauCode: BINHAI }))).toBe('FORBIDDEN');
  });
});

describe('listed supervision of a major hazard (挂牌督办, R17)', () => {
  let supervisionId: string;
  let listingId: string;

  it('lists it publicly (redacted), takes evidence, reviews, and closes only with a second person', async () => {
    day = '2027-03-05';
    const findingId = await finding(units.major, 'major-hazard', '2027-03-10');
    let admin = await as('admin');
    expect(
      (await admin.supervisions.candidates({ bureauCode: BINHAI })).rows.map((c) => c.finding.id),
    ).toContain(findingId);
    // A plain violation is not listed.
    const violationId = (await admin.cases.list({ bureauCode: BINHAI })).rows[0]!.case.findingId;
    expect(
      (
        await errorOf(
          admin.supervisions.open({
            findingId: violationId,
            listingNumber: 'X',
            listedOn: '2027-03-05',
            deadline: '2027-03-31',
          }),
        )
      ).message,
    ).toMatch(/^findingId: is a violation/);
    expect(
      await codeOf(
        (await as('heping')).supervisions.open({
          findingId,
          listingNumber: '和督〔2027〕1号',
          listedOn: '2027-03-05',
          deadline: '2027-03-31',
        }),
      ),
    ).toBe('FORBIDDEN');
    const s = await admin.supervisions.open({
      findingId,
      listingNumber: '滨督〔2027〕1号',
      listedOn: '2027-03-05',
      deadline: '2027-03-31',
    });
    supervisionId = s.id;
    listingId = s.listingPublicationId!;
    const portal = await anonymousCaller(t.database);
    const listing = await portal.publications.get({ id: listingId });
    expect(listing.kind).toBe('supervision');
    const content = JSON.stringify(listing.content);
    expect(content).toContain(units.major);
    expect(content).toContain('2027-03-31');
    expect(content).toContain('安全生产责任制');
    // R16: the description, legal representative and address are never public.
    expect(content).not.toMatch(/描述（测试）|法人/);

    // Evidence needs a document; 销号 needs a passed review first.
    expect(
      await codeOf(admin.supervisions.submitEvidence({ supervisionId, on: '2027-03-05', documents: [] })),
    ).toBe('BAD_REQUEST');
    expect(
      await codeOf(
        (await as('approver')).supervisions.decideClose({ supervisionId, on: '2027-03-05', approve: true }),
      ),
    ).toBe('CONFLICT');
    day = '2027-03-09';
    admin = await as('admin');
    await admin.supervisions.submitEvidence({
      supervisionId,
      on: '2027-03-08',
      note: '已加装紧急切断装置',
      documents: [await uploaded('整改报告.pdf', people.admin)],
    });
    // A failed review returns it to await new evidence.
    expect(
      (
        await admin.supervisions.review({
          supervisionId,
          on: '2027-03-09',
          passed: false,
          note: '照片不清晰',
        })
      ).status,
    ).toBe('listed');
    await admin.supervisions.submitEvidence({
      supervisionId,
      on: '2027-03-09',
      documents: [await uploaded('整改照片.pdf', people.admin)],
    });
    expect(
      (await admin.supervisions.review({ supervisionId, on: '2027-03-09', passed: true, note: '整改到位' }))
        .status,
    ).toBe('close-proposed');
    expect((await admin.units.get({ id: units.major })).majorHazard).toBe(true);

    // The proposer cannot approve 销号; another bureau cannot either.
    const self = await errorOf(
      admin.supervisions.decideClose({ supervisionId, on: '2027-03-09', approve: true }),
    );
    expect(self.code).toBe('FORBIDDEN');
    expect(self.message).toMatch(/second person/);
    expect(
      await codeOf(
        (await as('heping')).supervisions.decideClose({ supervisionId, on: '2027-03-09', approve: true }),
      ),
    ).toBe('FORBIDDEN');
    const closed = await (
      await as('approver')
    ).supervisions.decideClose({
      supervisionId,
      on: '2027-03-09',
      approve: true,
      note: '同意销号',
    });
    expect(closed).toMatchObject({ status: 'closed', closedOn: '2027-03-09' });
    const unit = await admin.units.get({ id: units.major });
    expect(unit.majorHazard).toBe(false);
    const closing = await portal.publications.get({ id: closed.closingPublicationId! });
    expect(closing).toMatchObject({ kind: 'supervision-closed', replacesId: listingId });
    const got = await admin.supervisions.get({ supervisionId });
    expect(got.events.map((e) => e.kind)).toEqual([
      'listed',
      'evidence',
      'review',
      'evidence',
      'review',
      'close-approved',
    ]);
    const audit = await w.auditor.caller.audit.list({ bureauCode: BINHAI });
    expect(audit.filter((a) => a.entityId === supervisionId).map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'supervision.open',
        'supervision.evidence',
        'supervision.review',
        'supervision.close',
      ]),
    );
  });
});

describe('blacklist with due process (R18–R19)', () => {
  let proceedingId: string;
  let removalId: string;
  let listingPublicationId: string;

  it('only proposes when an officer finds a concealed hazard: nothing is blacklisted or published', async () => {
    day = '2027-03-16';
    const findingId = await finding(units.concealed, 'hazard', '2027-03-15');
    const member = await as('member');
    const rec = await member.rectifications.record({
      findingId,
      checkedOn: '2027-03-16',
      outcome: 'concealed',
    });
    expect(rec.blacklistProposalId).not.toBeNull();
    proceedingId = rec.blacklistProposalId!;
    const admin = await as('admin');
    expect((await admin.units.get({ id: units.concealed })).blacklisted).toBe(false);
    const notices = await t.database.db
      .select()
      .from(publications)
      .where(eq(publications.refId, units.concealed));
    expect(notices).toEqual([]);
    // The daily blacklist-publication job does not publish it either.
    await runJob(t.database.db, 'blacklist-publication', { trigger: 'manual', now: NOW() });
    expect(
      await t.database.db.select().from(publications).where(eq(publications.refId, units.concealed)),
    ).toEqual([]);
    expect(await admin.blacklist.get({ proceedingId })).toMatchObject({
      status: 'proposed',
      origin: 'inspector',
      reason: 'concealed',
      findingId,
      proposedBy: people.member.user.id,
    });
  });

  it('refuses publishing before the decision, skipping steps, and another bureau', async () => {
    const admin = await as('admin');
    const early = await errorOf(admin.blacklist.publish({ proceedingId }));
    expect(early.code).toBe('PRECONDITION_FAILED');
    expect(early.message).toMatch(/only a decision is published/);
    expect(
      await codeOf(
        admin.blacklist.notice({ proceedingId, noticeNumber: '告知〔2027〕1号', noticedOn: '2027-03-16' }),
      ),
    ).toBe('CONFLICT');
    expect(
      await codeOf(
        (await as('approver')).blacklist.decide({
          proceedingId,
          decidedOn: '2027-03-16',
          apply: true,
          decisionNumber: 'X',
          note: '跳过审核',
        }),
      ),
    ).toBe('CONFLICT');
    expect(
      await codeOf((await as('heping')).blacklist.review({ proceedingId, approve: true, note: '越权审核' })),
    ).toBe('FORBIDDEN');
    expect(await codeOf((await as('heping')).blacklist.get({ proceedingId }))).toBe('FORBIDDEN');
  });

  it('refuses the same person proposing and reviewing', async () => {
    const admin = await as('admin');
    // A second, hand-made proposal for the same unit is refused while one is under way.
    const dup = await errorOf(
      admin.blacklist.propose({
        kind: 'listing',
        unitId: units.concealed,
        reason: 'concealed',
        findingId: (await admin.blacklist.get({ proceedingId })).findingId!,
        note: '重复提议',
      }),
    );
    expect(dup.code).toBe('CONFLICT');
    // The admin proposes for the overdue unit and may not review their own proposal.
    const overdueFinding = await finding(units.overdue, 'major-hazard', '2027-03-10');
    const own = await admin.blacklist.propose({
      kind: 'listing',
      unitId: units.overdue,
      reason: 'overdue',
      findingId: overdueFinding,
      note: '逾期未整改',
    });
    const self = await errorOf(admin.blacklist.review({ proceedingId: own.id, approve: true, note: '自审' }));
    expect(self.code).toBe('FORBIDDEN');
    expect(self.message).toMatch(/second person/);
    // A second admin rejects it: the proceeding ends, nothing happens to the unit.
    const rejected = await (
      await as('admin2')
    ).blacklist.review({
      proceedingId: own.id,
      approve: false,
      note: '证据不足',
    });
    expect(rejected.status).toBe('rejected');
    expect((await admin.units.get({ id: units.overdue })).blacklisted).toBe(false);
  });

  it('reviews, notices, waits out the objection period, decides, publishes; the next frame takes the unit (covert)', async () => {
    await (await as('approver')).blacklist.review({ proceedingId, approve: true, note: '证据确凿' });
    let admin = await as('admin');
    const noticed = await admin.blacklist.notice({
      proceedingId,
      noticeNumber: '津滨应急告〔2027〕3号',
      noticedOn: '2027-03-16',
      objectionDays: 7,
      documents: [await uploaded('告知书.pdf', people.admin)],
    });
    expect(noticed).toMatchObject({ status: 'noticed', objectionEndsOn: '2027-03-23' });
    day = '2027-03-18';
    admin = await as('admin');
    await admin.blacklist.recordObjection({
      proceedingId,
      receivedOn: '2027-03-18',
      note: '单位称已自行整改',
    });
    // Skipping the objection period: no decision on its last day or before.
    day = '2027-03-23';
    const tooEarly = await errorOf(
      (await as('approver')).blacklist.decide({
        proceedingId,
        decidedOn: '2027-03-23',
        apply: true,
        decisionNumber: '津滨应急黑〔2027〕1号',
        note: '申辩理由不成立',
      }),
    );
    expect(tooEarly.code).toBe('PRECONDITION_FAILED');
    expect(tooEarly.message).toMatch(/objection period runs until 2027-03-23/);
    expect((await (await as('admin')).units.get({ id: units.concealed })).blacklisted).toBe(false);
    day = '2027-03-24';
    // The proposer (the officer) has no deciding role; the approver decides.
    const decided = await (
      await as('approver')
    ).blacklist.decide({
      proceedingId,
      decidedOn: '2027-03-24',
      apply: true,
      decisionNumber: '津滨应急黑〔2027〕1号',
      note: '申辩理由不成立',
    });
    expect(decided.status).toBe('decided');
    admin = await as('admin');
    const unit = await admin.units.get({ id: units.concealed });
    expect(unit.blacklisted).toBe(true);
    expect(unit.facts.at(-1)).toMatchObject({ kind: 'blacklist', source: `proceeding:${proceedingId}` });
    const published = await admin.blacklist.publish({ proceedingId });
    expect(published.status).toBe('published');
    listingPublicationId = published.publicationId!;
    const notice = await (await anonymousCaller(t.database)).publications.get({ id: listingPublicationId });
    expect(notice.kind).toBe('blacklist');
    expect(notice.content).toMatchObject({
      basis: '隐瞒重大事故隐患',
      effectiveOn: '2027-03-24',
      decisionNumber: '津滨应急黑〔2027〕1号',
    });
    expect(JSON.stringify(notice.content)).not.toMatch(/法人|描述（测试）/);
    expect(await codeOf(admin.blacklist.publish({ proceedingId }))).toBe('PRECONDITION_FAILED');
    const steps = (await admin.blacklist.get({ proceedingId })).steps.map((s) => s.step);
    expect(steps).toEqual(['proposed', 'reviewed', 'noticed', 'objection', 'decided', 'published']);

    // R19: mandatory, covert, in the next frame.
    const why = await w.operator.caller.rulePacks.explain({ unitId: units.concealed, period: '2027-Q2' });
    expect(why.classification).toMatchObject({ mandatory: true, inspectionKind: 'covert' });
    expect(why.classification.fired.some((f) => f.endsWith('r12-blacklist'))).toBe(true);
    const next = await w.approver.caller.plans.approve({
      planId: await submittedPlan(w, '下一轮抽查', '2028'),
    });
    const frame = await publishedFrame<Row>(w.database, next.draw.id);
    const row = frame.find((r) => r[0] === units.concealed)!;
    expect(row[3]).toBe(1);
    expect(row[1]).toBe('mandatory');
  });

  it('takes the unit off by credit repair with the same steps', async () => {
    day = '2027-03-25';
    let admin = await as('admin');
    expect(
      await codeOf(
        admin.blacklist.propose({ kind: 'removal', unitId: units.violation, note: '未列入黑名单' }),
      ),
    ).toBe('CONFLICT');
    const removal = await admin.blacklist.propose({
      kind: 'removal',
      unitId: units.concealed,
      note: '单位已完成整改并提交信用修复申请',
      documents: [await uploaded('信用修复申请.pdf', people.admin)],
    });
    removalId = removal.id;
    expect(
      await codeOf(admin.blacklist.review({ proceedingId: removalId, approve: true, note: '自审' })),
    ).toBe('FORBIDDEN');
    await (
      await as('approver')
    ).blacklist.review({ proceedingId: removalId, approve: true, note: '材料齐全' });
    await admin.blacklist.notice({
      proceedingId: removalId,
      noticeNumber: '津滨应急告〔2027〕4号',
      noticedOn: '2027-03-25',
      objectionDays: 5,
    });
    expect(await codeOf(admin.blacklist.publish({ proceedingId: removalId }))).toBe('PRECONDITION_FAILED');
    day = '2027-03-31';
    // The proposer cannot decide either.
    expect(
      await codeOf(
        (await as('admin')).blacklist.decide({
          proceedingId: removalId,
          decidedOn: '2027-03-31',
          apply: true,
          decisionNumber: '津滨应急修〔2027〕1号',
          note: '自决',
        }),
      ),
    ).toBe('FORBIDDEN');
    await (
      await as('approver')
    ).blacklist.decide({
      proceedingId: removalId,
      decidedOn: '2027-03-31',
      apply: true,
      decisionNumber: '津滨应急修〔2027〕1号',
      note: '同意信用修复',
    });
    admin = await as('admin');
    expect((await admin.units.get({ id: units.concealed })).blacklisted).toBe(false);
    const pub = await admin.blacklist.publish({ proceedingId: removalId });
    const notice = await (await anonymousCaller(t.database)).publications.get({ id: pub.publicationId! });
    expect(notice).toMatchObject({ kind: 'blacklist-removal', replacesId: listingPublicationId });
    const why = await w.operator.caller.rulePacks.explain({ unitId: units.concealed, period: '2027-Q2' });
    expect(why.classification.fired.some((f) => f.endsWith('r12-blacklist'))).toBe(false);
  });

  it('proposes overdue rectifications by the scheduled job only, once', async () => {
    // The overdue major hazard (due 2027-03-10) of the rejected proposal: the job proposes anew.
    const first = await runJob(t.database.db, 'overdue-blacklist-proposals', {
      trigger: 'manual',
      now: NOW(),
    });
    expect(first.outcome).toBe('ok');
    expect(first.summary).toMatchObject({ proposed: 1, units: [units.overdue] });
    const again = await runJob(t.database.db, 'overdue-blacklist-proposals', {
      trigger: 'manual',
      now: NOW(),
    });
    expect(again.summary).toMatchObject({ proposed: 0 });
    // The button proposes nothing more and blacklists nobody.
    expect(
      (await (await as('admin')).rectifications.blacklistOverdue({ bureauCode: BINHAI })).proposed,
    ).toEqual([]);
    expect((await (await as('admin')).units.get({ id: units.overdue })).blacklisted).toBe(false);
    const [job] = await t.database.db
      .select()
      .from(blacklistProceedings)
      .where(eq(blacklistProceedings.unitId, units.overdue))
      .orderBy(blacklistProceedings.createdAt);
    expect(job).toBeDefined();
    const open = (
      await (await as('admin')).blacklist.list({ bureauCode: BINHAI, status: 'proposed' })
    ).rows.filter((r) => r.proceeding.unitId === units.overdue);
    expect(open).toHaveLength(1);
    expect(open[0]!.proceeding).toMatchObject({ origin: 'rule', proposedBy: null, reason: 'overdue' });
    // The job's runs name the units it proposed: city staff read them, another district's do not.
    const runsOf = async (caller: {
      jobs: { list(): Promise<{ name: string; runs: { summary: unknown }[] }[]> };
    }) => (await caller.jobs.list()).find((j) => j.name === 'overdue-blacklist-proposals')!.runs;
    const city = await signedInUser(t.database, 'jobs-city', CITY, ['city-admin']);
    expect(JSON.stringify((await runsOf(city.caller)).map((r) => r.summary))).toContain(units.overdue);
    const heping = await signedInUser(t.database, 'jobs-heping', HEPING, ['draw-operator']);
    const seen = await runsOf(heping.caller);
    expect(seen.length).toBeGreaterThan(0);
    expect(JSON.stringify(seen)).not.toContain(units.overdue);
    // The closed 挂牌督办's finding (due 2027-03-10, closed by 销号) is not proposed.
    expect(
      (await (await as('admin')).blacklist.list({ bureauCode: BINHAI })).rows.some(
        (r) => r.proceeding.unitId === units.major,
      ),
    ).toBe(false);
  });
});

describe('the consequence lists a page at a time', () => {
  it('page every record once, count them all, and count nothing of another district', async () => {
    const admin = await as('admin');
    const lists = {
      cases: (p: { limit: number; offset: number }) => admin.cases.list({ bureauCode: BINHAI, ...p }),
      caseCandidates: (p: { limit: number; offset: number }) =>
        admin.cases.candidates({ bureauCode: BINHAI, ...p }),
      supervisions: (p: { limit: number; offset: number }) =>
        admin.supervisions.list({ bureauCode: BINHAI, ...p }),
      supervisionCandidates: (p: { limit: number; offset: number }) =>
        admin.supervisions.candidates({ bureauCode: BINHAI, ...p }),
      blacklist: (p: { limit: number; offset: number }) => admin.blacklist.list({ bureauCode: BINHAI, ...p }),
    };
    const keyOf = (r: object) => JSON.stringify(Object.values(r)[0]);
    for (const [name, list] of Object.entries(lists)) {
      const whole = await list({ limit: 5000, offset: 0 });
      expect(whole.total, name).toBe(whole.rows.length);
      const paged: string[] = [];
      for (let offset = 0; offset <= whole.total; offset++) {
        const page = await list({ limit: 1, offset });
        expect(page.total, name).toBe(whole.total);
        paged.push(...page.rows.map(keyOf));
      }
      expect(paged, name).toEqual(whole.rows.map(keyOf));
    }
    // The world has records in each list but the supervision candidates (all listed by now).
    expect((await lists.cases({ limit: 1, offset: 0 })).total).toBeGreaterThan(0);
    expect((await lists.blacklist({ limit: 1, offset: 0 })).total).toBeGreaterThan(1);
    const heping = await as('heping');
    expect(await heping.cases.list({})).toEqual({ rows: [], total: 0 });
    expect(await heping.blacklist.list({})).toEqual({ rows: [], total: 0 });
    expect(await codeOf(admin.cases.list({ limit: 5001 }))).toBe('BAD_REQUEST');
    expect(await codeOf(admin.blacklist.list({ offset: -1 }))).toBe('BAD_REQUEST');
  });
});

describe('outgoing credit reports (R19, R22)', () => {
  it('carry exactly the decisions and the quarter’s results, by token and by file, each audited', async () => {
    const admin = await as('admin');
    const { token } = await admin.apiTokens.create({
      name: '信用平台',
      bureauCode: BINHAI,
      scopes: ['credit:read'],
    });
    const { token: readOnly } = await admin.apiTokens.create({
      name: '只读',
      bureauCode: BINHAI,
      scopes: ['publications:read'],
    });
    const machine = await anonymousCaller(t.database, { bearerToken: token });
    const range = { from: '2027-01-01', to: '2027-03-31' };
    const report = await machine.credit.outgoing(range);
    const decisions = report.records.filter((r) => r.recordType !== 'inspection-result');
    expect(decisions.map((r) => [r.recordType, r.unitId, r.decisionNumber, r.date])).toEqual([
      ['blacklist-listing', units.concealed, '津滨应急黑〔2027〕1号', '2027-03-24'],
      ['blacklist-removal', units.concealed, '津滨应急修〔2027〕1号', '2027-03-31'],
    ]);
    const results = report.records.filter((r) => r.recordType === 'inspection-result');
    expect(new Set(results.map((r) => r.unitId))).toEqual(
      new Set([units.violation, units.major, units.concealed, units.overdue]),
    );
    expect(results.find((r) => r.unitId === units.major)).toMatchObject({ majorHazards: 1, findings: 1 });
    expect(
      await codeOf((await anonymousCaller(t.database, { bearerToken: readOnly })).credit.outgoing(range)),
    ).toBe('FORBIDDEN');
    expect(await codeOf((await anonymousCaller(t.database)).credit.outgoing(range))).toBe('UNAUTHORIZED');
    expect(
      (await errorOf(machine.credit.outgoing({ from: '2027-03-31', to: '2027-01-01' }))).message,
    ).toMatch(/^to: must not be before from/);

    const jsonl = await admin.credit.exportFile({ bureauCode: BINHAI, format: 'jsonl', ...range });
    const lines = jsonl.content
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual(report.records.map((r) => ({ ...r })));
    expect(jsonl.digest).toBe(report.digest);
    const csv = await admin.credit.exportFile({ bureauCode: BINHAI, format: 'csv', ...range });
    const rows = csv.content
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(rows[0]).toBe(
      'format,recordType,recordId,bureauCode,unitId,unitName,date,decisionNumber,basis,outcome,findings,majorHazards,publicationId',
    );
    expect(rows).toHaveLength(report.records.length + 1);
    expect(
      await codeOf((await as('heping')).credit.exportFile({ bureauCode: BINHAI, format: 'csv', ...range })),
    ).toBe('FORBIDDEN');
    // Heping's own export holds nothing of Binhai.
    const heping = await (
      await as('heping')
    ).credit.exportFile({ bureauCode: HEPING, format: 'jsonl', ...range });
    expect(heping.records).toBe(0);
    const audit = await w.auditor.caller.audit.list({ bureauCode: BINHAI });
    expect(audit.filter((a) => a.action === 'credit.outgoing')).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'credit.export')).toHaveLength(2);
    expect(audit.find((a) => a.action === 'credit.outgoing')!.after).toMatchObject({
      records: report.records.length,
      digest: report.digest,
    });
  });
});

describe('documents of the steps', () => {
  it('are kept by the collection of abandoned evidence, unlike uploads nothing names', async () => {
    const stray = await uploaded('无人引用.pdf', people.admin);
    const dir = await mkdtemp(join(tmpdir(), 'cq-evidence-'));
    const later = new Date(NOW().getTime() + 3 * 86400_000);
    const r = await collectAbandonedEvidence(t.database.db, dir, later);
    expect(r.uploads).toBe(1);
    const left = await t.database.db
      .select({ name: evidenceUploads.name, sha256: evidenceUploads.sha256 })
      .from(evidenceUploads);
    expect(left.map((u) => u.sha256)).not.toContain(stray.sha256);
    expect(left.map((u) => u.name).sort()).toEqual(
      ['信用修复申请.pdf', '告知书.pdf', '整改报告.pdf', '整改照片.pdf', '立案审批表.pdf'].sort(),
    );
  });
});
