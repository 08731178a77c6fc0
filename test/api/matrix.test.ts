/**
 * Role × procedure × bureau matrix: every procedure is called by one user per role, held in
 * the city bureau or in Binhai, against data of Binhai and of Heping. Each cell is asserted:
 * allowed (anything but FORBIDDEN/UNAUTHORIZED — state errors such as CONFLICT are fine) or
 * FORBIDDEN. Anonymous callers get UNAUTHORIZED everywhere.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, installRulePacks } from '@spotcheck/api';
import type { Role } from '@spotcheck/core';
import { draws, findings, results, tasks, type StoredCommitment } from '@spotcheck/db';
import { readPackDir } from '@spotcheck/rules/load';
import {
  anonymousCaller,
  drawEnv,
  BINHAI,
  CITY,
  codeOf,
  downloadedBundle,
  HEPING,
  openTestDb,
  signedInUser,
  type SignedIn,
  type TestDb,
} from './harness';
import { unitIdAt } from './fixtures';

type Caller = SignedIn['caller'];

/** A drand round of the test beacon an hour from now (a source that does not exist yet). */
function futureDrandSource() {
  const { chain, info } = drawEnv.beacon;
  const round = Math.ceil((drawEnv.now().getTime() / 1000 + 3600 - info.genesis) / info.period) + 1;
  return { kind: 'drand' as const, chain, round, info };
}

/** A well-formed signature block that no registry knows. */
const DUMMY_SIGNATURE = {
  signer: { id: 'nobody', name: 'nobody', keyId: '0'.repeat(64) },
  signedAt: '2027-01-01T00:00:00Z',
  signature: '0'.repeat(128),
};
type Target = typeof BINHAI | typeof HEPING;
interface Ctx {
  b: Target;
  n: number;
  data: Record<Target, BureauData>;
  /** Published city rule pack version. */
  cityPackId: string;
}
/** Per-bureau entities the cases act on. */
interface BureauData {
  keyToRegister: string;
  keyToRevoke: string;
  unitId: string;
  inspectorId: string;
  checklistId: string;
  planId: string;
  drawId: string;
  taskId: string;
  resultId: string;
  findingId: string;
  targetUserId: string;
  expertId: string;
  conflictId: string;
  procedureId: string;
  apiTokenId: string;
  /** Use of results (#14): a case, its 立案 step, a 挂牌督办 and a blacklist proposal. */
  caseId: string;
  caseStepId: number;
  majorFindingId: string;
  supervisionId: string;
  proceedingId: string;
  /** The district's published rule pack version, a draft to publish and a draft to retire. */
  packId: string;
  packDraftId: string;
  packRetireId: string;
  packFiles: Record<string, string>;
}
interface Case {
  name: string;
  roles: readonly Role[];
  /** Only the city reaches it (whole-chain or city-wide procedures). */
  cityOnly?: boolean;
  /** Not bureau-scoped (public law, own account). */
  global?: boolean;
  call: (c: Caller, x: Ctx) => Promise<unknown>;
}

const STAFF = ['city-admin', 'district-admin', 'draw-operator', 'approver', 'auditor'] as const;
const ALL = [...STAFF, 'inspector'] as const;
const ADMINS = ['city-admin', 'district-admin'] as const;
const PLANNERS = ['city-admin', 'district-admin', 'draw-operator'] as const;
const csvUnit = (id: string, b: string) =>
  Buffer.from(
    `id,name,nature,industry,scale,employees,bureauCode,riskGrade,creditGrade\n${id},矩阵单位,private,trade,small,5,${b},low,B\n`,
  ).toString('base64');

/** A pack's files with another version in pack.json. */
const packAt = (files: Record<string, string>, version: string) => ({
  ...files,
  'pack.json': files['pack.json']!.replace('"version": "1.0.0"', `"version": "${version}"`),
});
/** Procedures anyone may call (public column, sign-in) or machines with a bearer token. */
const NOT_ROLE_SCOPED = [
  'health',
  'draws.voidReasons',
  'auth.me',
  'auth.login',
  'auth.logout',
  'auth.logoutEverywhere',
  'auth.changePassword',
  'bureaus.list',
  'publications.list',
  'publications.get',
  'publications.verifyDraw',
  'publications.deadlines',
  'external.publication',
  'external.publications',
  'external.pushFacts',
  'credit.outgoing',
  'audit.checkpoints',
  'transparency.latest',
  'transparency.checkpoint',
  'transparency.checkpoints',
  'transparency.inclusion',
  'transparency.commitmentInclusion',
  'transparency.signOffInclusion',
  'transparency.registryHead',
  'transparency.consistency',
  'transparency.entries',
  'transparency.witnesses',
  'transparency.cosign',
];

const CASES: Case[] = [
  {
    name: 'users.list',
    roles: ['city-admin', 'district-admin', 'auditor'],
    call: (c, x) => c.users.list({ bureauCode: x.b }),
  },
  {
    name: 'users.create',
    roles: ADMINS,
    call: (c, x) =>
      c.users.create({
        username: `m-user-${x.n}`,
        displayName: 'M',
        password: 'long enough password',
        bureauCode: x.b,
        roles: [{ role: 'inspector', bureauCode: x.b }],
      }),
  },
  { name: 'units.list', roles: STAFF, call: (c, x) => c.units.list({ bureauCode: x.b }) },
  { name: 'units.get', roles: STAFF, call: (c, x) => c.units.get({ id: x.data[x.b].unitId }) },
  {
    name: 'units.create',
    roles: ADMINS,
    call: (c, x) =>
      c.units.create({
        id: unitIdAt(10000 + x.n, x.b),
        name: 'M',
        nature: 'private',
        industry: 'trade',
        scale: 'small',
        employees: 3,
        bureauCode: x.b,
        riskGrade: 'low',
        creditGrade: 'B',
      }),
  },
  {
    name: 'units.update',
    roles: ADMINS,
    call: (c, x) => c.units.update({ id: x.data[x.b].unitId, patch: { employees: x.n } }),
  },
  {
    name: 'units.setStatus',
    roles: ADMINS,
    call: (c, x) => c.units.setStatus({ id: x.data[x.b].unitId, status: 'active' }),
  },
  { name: 'inspectors.list', roles: STAFF, call: (c, x) => c.inspectors.list({ bureauCode: x.b }) },
  {
    name: 'inspectors.create',
    roles: ADMINS,
    call: (c, x) =>
      c.inspectors.create({
        id: `M-${x.n}`,
        certificateNo: `MC-${x.n}`,
        name: 'M',
        bureauCode: x.b,
        department: 'D',
      }),
  },
  {
    name: 'inspectors.update',
    roles: ADMINS,
    call: (c, x) => c.inspectors.update({ id: x.data[x.b].inspectorId, patch: { department: `D${x.n}` } }),
  },
  {
    name: 'inspectors.setStatus',
    roles: ADMINS,
    call: (c, x) => c.inspectors.setStatus({ id: x.data[x.b].inspectorId, status: 'active' }),
  },
  { name: 'experts.list', roles: STAFF, call: (c, x) => c.experts.list({ bureauCode: x.b }) },
  {
    name: 'experts.create',
    roles: ADMINS,
    call: (c, x) => c.experts.create({ id: `E-${x.n}`, name: 'E', bureauCode: x.b }),
  },
  { name: 'conflicts.list', roles: STAFF, call: (c, x) => c.conflicts.list({ bureauCode: x.b }) },
  {
    name: 'conflicts.declare',
    roles: ['city-admin', 'district-admin', 'inspector'],
    call: (c, x) =>
      c.conflicts.declare({
        inspectorId: x.data[x.b].inspectorId,
        unitId: x.data[x.b].unitId,
        reason: '亲属关系',
      }),
  },
  { name: 'checklist.versions', roles: ALL, call: (c, x) => c.checklist.versions({ bureauCode: x.b }) },
  {
    name: 'checklist.get',
    roles: ALL,
    call: (c, x) => c.checklist.get({ versionId: x.data[x.b].checklistId }),
  },
  {
    name: 'checklist.createDraft',
    roles: ADMINS,
    call: (c, x) => c.checklist.createDraft({ bureauCode: x.b }),
  },
  {
    name: 'checklist.publish',
    roles: ADMINS,
    call: (c, x) => c.checklist.publish({ versionId: x.data[x.b].checklistId }),
  },
  { name: 'procedures.list', roles: ALL, call: (c, x) => c.procedures.list({ bureauCode: x.b }) },
  {
    name: 'procedures.saveDraft',
    roles: ADMINS,
    call: (c, x) =>
      c.procedures.saveDraft({
        bureauCode: x.b,
        content: {
          leadingGroup: 'g',
          planTemplate: 't',
          steps: ['s'],
          frequency: 'f',
          resultsUse: 'r',
          publication: 'p',
          leadDepartment: 'd',
          duties: 'u',
        },
      }),
  },
  { name: 'rulePacks.list', roles: STAFF, global: true, call: (c) => c.rulePacks.list() },
  { name: 'plans.list', roles: STAFF, call: (c, x) => c.plans.list({ bureauCode: x.b }) },
  { name: 'plans.get', roles: STAFF, call: (c, x) => c.plans.get({ planId: x.data[x.b].planId }) },
  {
    name: 'plans.create',
    roles: PLANNERS,
    call: (c, x) =>
      c.plans.create({
        bureauCode: x.b,
        title: 'M',
        period: '2027',
        kind: 'general',
        sources: [futureDrandSource()],
        checklistVersionId: x.data[x.b].checklistId,
      }),
  },
  {
    name: 'plans.proposeSources',
    roles: PLANNERS,
    global: true,
    call: (c) => c.plans.proposeSources({ plannedDrawAt: new Date(Date.now() + 3_600_000) }),
  },
  {
    name: 'plans.update',
    roles: PLANNERS,
    call: (c, x) => c.plans.update({ planId: x.data[x.b].planId, patch: { title: `M${x.n}` } }),
  },
  { name: 'plans.submit', roles: PLANNERS, call: (c, x) => c.plans.submit({ planId: x.data[x.b].planId }) },
  {
    name: 'plans.returnToDraft',
    roles: ['approver'],
    call: (c, x) => c.plans.returnToDraft({ planId: x.data[x.b].planId, reason: '补充' }),
  },
  {
    name: 'plans.approve',
    roles: ['approver'],
    call: (c, x) => c.plans.approve({ planId: x.data[x.b].planId }),
  },
  {
    name: 'progress.get',
    roles: ALL,
    global: true,
    call: (c) => c.progress.get({ operationId: '00000000-0000-4000-8000-000000000000' }),
  },
  {
    name: 'progress.cancel',
    roles: ALL,
    global: true,
    call: (c) => c.progress.cancel({ operationId: '00000000-0000-4000-8000-000000000000' }),
  },
  { name: 'draws.list', roles: STAFF, call: (c, x) => c.draws.list({ planId: x.data[x.b].planId }) },
  { name: 'draws.get', roles: STAFF, call: (c, x) => c.draws.get({ drawId: x.data[x.b].drawId }) },
  {
    name: 'draws.selected',
    roles: STAFF,
    call: (c, x) => c.draws.selected({ drawId: x.data[x.b].drawId, limit: 5 }),
  },
  {
    // The staff's download of a whole attempt (a route: a city's bundle is ~10^8 bytes).
    name: 'GET /draws/<id>/bundle.json',
    roles: STAFF,
    call: (c, x) => downloadedBundle(t.database, { token: tokens.get(c) ?? null }, x.data[x.b].drawId),
  },
  { name: 'draws.verify', roles: STAFF, call: (c, x) => c.draws.verify({ drawId: x.data[x.b].drawId }) },
  {
    name: 'draws.replacements',
    roles: STAFF,
    call: (c, x) => c.draws.replacements({ drawId: x.data[x.b].drawId }),
  },
  {
    name: 'draws.replaceMember',
    roles: ['draw-operator', 'district-admin', 'city-admin'],
    call: (c, x) =>
      c.draws.replaceMember({
        drawId: x.data[x.b].drawId,
        unitId: 'X',
        inspectorId: 'Y',
        reason: 'unavailable',
        note: '测试替换',
      }),
  },
  {
    name: 'draws.enterRandomness',
    roles: ['draw-operator'],
    call: (c, x) => c.draws.enterRandomness({ drawId: x.data[x.b].drawId, values: ['ab'] }),
  },
  {
    name: 'draws.run',
    roles: ['draw-operator'],
    call: (c, x) => c.draws.run({ drawId: x.data[x.b].drawId }),
  },
  {
    name: 'draws.sign',
    roles: ['approver'],
    call: (c, x) => c.draws.sign({ drawId: x.data[x.b].drawId, signOff: DUMMY_SIGNATURE }),
  },
  {
    name: 'draws.beaconStatus',
    roles: STAFF,
    call: (c, x) => c.draws.beaconStatus({ drawId: x.data[x.b].drawId }),
  },
  {
    name: 'draws.issueTasks',
    roles: ['draw-operator'],
    call: (c, x) => c.draws.issueTasks({ drawId: x.data[x.b].drawId }),
  },
  {
    name: 'draws.requestVoid',
    roles: ['draw-operator', 'approver', 'district-admin', 'city-admin'],
    call: (c, x) =>
      c.draws.requestVoid({
        drawId: x.data[x.b].drawId,
        reasonId: 'emergency',
        reason: '矩阵测试作废申请理由',
      }),
  },
  {
    name: 'draws.signVoid',
    roles: ['approver', 'district-admin', 'city-admin'],
    call: (c, x) => c.draws.signVoid({ drawId: x.data[x.b].drawId, void: DUMMY_SIGNATURE }),
  },
  { name: 'keys.list', roles: STAFF, call: (c, x) => c.keys.list({ bureauCode: x.b }) },
  { name: 'keys.registry', roles: STAFF, call: (c, x) => c.keys.registry({ bureauCode: x.b }) },
  {
    name: 'keys.propose',
    roles: ['approver', 'district-admin', 'city-admin'],
    call: (c, x) => c.keys.propose({ bureauCode: x.b, publicKey: randomBytes(32).toString('hex') }),
  },
  {
    name: 'keys.register',
    roles: ADMINS,
    call: (c, x) => c.keys.register({ keyId: x.data[x.b].keyToRegister }),
  },
  {
    name: 'keys.revoke',
    roles: ADMINS,
    call: (c, x) => c.keys.revoke({ keyId: x.data[x.b].keyToRevoke, reason: '矩阵测试' }),
  },
  {
    name: 'draws.rejectVoid',
    roles: ['approver', 'district-admin', 'city-admin'],
    call: (c, x) => c.draws.rejectVoid({ drawId: x.data[x.b].drawId, reason: '不同意' }),
  },
  { name: 'tasks.list', roles: ALL, call: (c, x) => c.tasks.list({ bureauCode: x.b }) },
  { name: 'results.list', roles: ALL, call: (c, x) => c.results.list({ bureauCode: x.b }) },
  {
    name: 'publications.publishQuarterlyResults',
    roles: ADMINS,
    call: (c, x) => c.publications.publishQuarterlyResults({ bureauCode: x.b, period: '2020-Q1' }),
  },
  {
    name: 'publications.previewQuarterlyResults',
    roles: STAFF,
    call: (c, x) => c.publications.previewQuarterlyResults({ bureauCode: x.b, period: '2020-Q1' }),
  },
  {
    name: 'publications.quarterStatus',
    roles: STAFF,
    call: (c, x) => c.publications.quarterStatus({ bureauCode: x.b }),
  },
  { name: 'jobs.list', roles: STAFF, global: true, call: (c) => c.jobs.list() },
  {
    name: 'jobs.retry',
    roles: ['city-admin'],
    cityOnly: true,
    call: (c) => c.jobs.retry({ name: 'publication-reminders' }),
  },
  {
    name: 'audit.list',
    roles: ['city-admin', 'district-admin', 'auditor'],
    call: (c, x) => c.audit.list({ bureauCode: x.b }),
  },
  { name: 'audit.verify', roles: ['city-admin', 'auditor'], cityOnly: true, call: (c) => c.audit.verify() },
  {
    name: 'stats.overview',
    roles: STAFF,
    call: (c, x) => c.stats.overview({ year: '2027', bureauCode: x.b }),
  },
  {
    name: 'stats.assessment',
    roles: ['city-admin', 'auditor'],
    cityOnly: true,
    call: (c) => c.stats.assessment({ year: '2027' }),
  },
  {
    name: 'stats.scorecard',
    roles: STAFF,
    call: (c, x) => c.stats.scorecard({ period: '2027-Q1', bureauCode: x.b }),
  },
  {
    name: 'stats.scorecardDetail',
    roles: STAFF,
    call: (c, x) => c.stats.scorecardDetail({ period: '2027-Q1', bureauCode: x.b }),
  },
  {
    name: 'stats.scorecardTrend',
    roles: STAFF,
    call: (c, x) => c.stats.scorecardTrend({ period: '2027-Q1', bureauCode: x.b, quarters: 2 }),
  },
  {
    name: 'stats.scorecardExport',
    roles: STAFF,
    call: (c, x) => c.stats.scorecardExport({ period: '2027-Q1', bureauCode: x.b }),
  },
  { name: 'apiTokens.list', roles: ADMINS, call: (c, x) => c.apiTokens.list({ bureauCode: x.b }) },
  {
    name: 'apiTokens.create',
    roles: ADMINS,
    call: (c, x) => c.apiTokens.create({ name: `tok${x.n}`, bureauCode: x.b, scopes: ['publications:read'] }),
  },
  {
    name: 'bureaus.create',
    roles: ['city-admin'],
    cityOnly: true,
    call: (c, x) => c.bureaus.create({ code: String(120150 + (x.n % 40)), name: 'M', level: 'district' }),
  },
  {
    name: 'transfer.template',
    roles: STAFF,
    global: true,
    call: (c) => c.transfer.template({ kind: 'units', format: 'csv' }),
  },
  {
    name: 'transfer.export',
    roles: STAFF,
    global: true,
    call: (c) => c.transfer.export({ kind: 'units', format: 'csv' }),
  },
  {
    name: 'transfer.import',
    roles: ADMINS,
    // Rows of a bureau out of reach are refused in the import report (nothing is imported).
    call: (c, x) =>
      c.transfer
        .import({ kind: 'units', format: 'csv', base64: csvUnit(unitIdAt(20000 + x.n, x.b), x.b) })
        .then((r) => {
          if (!r.ok && r.problems.some((p) => /outside your reach/.test(p.message)))
            throw Object.assign(new Error(r.problems[0]!.message), { code: 'FORBIDDEN' });
          return r;
        }),
  },
  {
    name: 'transfer.previewUpsert',
    roles: ADMINS,
    // A full roster of a bureau out of reach is FORBIDDEN; so are its rows (reported as problems).
    call: (c, x) =>
      c.transfer
        .previewUpsert({
          kind: 'units',
          format: 'csv',
          base64: csvUnit(unitIdAt(21000 + x.n, x.b), x.b),
          fullRosterOf: x.b,
        })
        .then((r) => {
          if (!r.ok && r.problems.some((p) => /outside your reach/.test(p.message)))
            throw Object.assign(new Error(r.problems[0]!.message), { code: 'FORBIDDEN' });
          return r;
        }),
  },
  {
    name: 'transfer.commitUpsert',
    roles: ADMINS,
    // A stale digest is a CONFLICT (allowed); reach is checked before the comparison.
    call: (c, x) =>
      c.transfer
        .commitUpsert({
          kind: 'units',
          format: 'csv',
          base64: csvUnit(unitIdAt(22000 + x.n, x.b), x.b),
          fullRosterOf: x.b,
          digest: '0'.repeat(64),
        })
        .then((r) => {
          if (!r.ok && r.problems.some((p) => /outside your reach/.test(p.message)))
            throw Object.assign(new Error(r.problems[0]!.message), { code: 'FORBIDDEN' });
          return r;
        }),
  },
  {
    name: 'users.setRoles',
    roles: ADMINS,
    call: (c, x) =>
      c.users.setRoles({ userId: x.data[x.b].targetUserId, roles: [{ role: 'inspector', bureauCode: x.b }] }),
  },
  {
    name: 'users.setStatus',
    roles: ADMINS,
    call: (c, x) => c.users.setStatus({ userId: x.data[x.b].targetUserId, status: 'active' }),
  },
  {
    name: 'users.resetPassword',
    roles: ADMINS,
    call: (c, x) =>
      c.users.resetPassword({ userId: x.data[x.b].targetUserId, newPassword: 'another long password' }),
  },
  {
    name: 'experts.update',
    roles: ADMINS,
    call: (c, x) => c.experts.update({ id: x.data[x.b].expertId, patch: { title: `T${x.n}` } }),
  },
  {
    name: 'conflicts.revoke',
    roles: ADMINS,
    call: (c, x) => c.conflicts.revoke({ id: x.data[x.b].conflictId, reason: '矩阵撤销' }),
  },
  {
    name: 'checklist.setItems',
    roles: ADMINS,
    call: (c, x) =>
      c.checklist.setItems({
        versionId: x.data[x.b].checklistId,
        items: [{ code: 'M-1', subject: 's', item: 'i', content: 'c', legalBasis: 'l' }],
      }),
  },
  {
    name: 'checklist.effective',
    roles: ALL,
    call: (c, x) => c.checklist.effective({ bureauCode: x.b }),
  },
  {
    name: 'procedures.publish',
    roles: ADMINS,
    call: (c, x) => c.procedures.publish({ id: x.data[x.b].procedureId }),
  },
  {
    name: 'rulePacks.get',
    roles: STAFF,
    global: true,
    call: (c, x) => c.rulePacks.get({ id: x.data[x.b].packId }),
  },
  {
    name: 'rulePacks.validate',
    roles: ADMINS,
    global: true,
    call: (c, x) => c.rulePacks.validate({ files: x.data[x.b].packFiles }),
  },
  {
    name: 'rulePacks.upload',
    roles: ADMINS,
    call: (c, x) => c.rulePacks.upload({ files: packAt(x.data[x.b].packFiles, `9.${x.n}.0`) }),
  },
  {
    name: 'rulePacks.publish',
    roles: ADMINS,
    call: (c, x) => c.rulePacks.publish({ id: x.data[x.b].packDraftId }),
  },
  {
    name: 'rulePacks.retire',
    roles: ADMINS,
    call: (c, x) => c.rulePacks.retire({ id: x.data[x.b].packRetireId, reason: '矩阵停用' }),
  },
  {
    name: 'rulePacks.runCases',
    roles: STAFF,
    global: true,
    call: (c, x) => c.rulePacks.runCases({ id: x.data[x.b].packId }),
  },
  {
    name: 'rulePacks.explain',
    roles: STAFF,
    call: (c, x) => c.rulePacks.explain({ unitId: x.data[x.b].unitId, period: '2027' }),
  },
  {
    name: 'rulePacks.diff',
    roles: STAFF,
    call: (c, x) => c.rulePacks.diff({ fromId: x.cityPackId, toId: x.data[x.b].packId, bureauCode: x.b }),
  },
  {
    name: 'rulePacks.simulate',
    roles: STAFF,
    call: (c, x) => c.rulePacks.simulate({ id: x.data[x.b].packId, year: 2027 }),
  },
  { name: 'rulePacks.catalog', roles: STAFF, global: true, call: (c) => c.rulePacks.catalog() },
  {
    name: 'rulePacks.proposeVersion',
    roles: ADMINS,
    global: true,
    call: (c, x) => c.rulePacks.proposeVersion({ files: x.data[x.b].packFiles }),
  },
  {
    name: 'rulePacks.runDraftCases',
    roles: ADMINS,
    global: true,
    call: (c, x) => c.rulePacks.runDraftCases({ files: x.data[x.b].packFiles }),
  },
  {
    name: 'rulePacks.saveDraft',
    roles: ADMINS,
    call: (c, x) => c.rulePacks.saveDraft({ files: packAt(x.data[x.b].packFiles, `8.${x.n}.0`) }),
  },
  // Before `submit`: a submitter may not review their own submission (FORBIDDEN by design).
  {
    name: 'rulePacks.review',
    roles: ['city-admin'],
    cityOnly: true,
    call: (c, x) =>
      c.rulePacks.review({ id: x.data[x.b].packDraftId, decision: 'return', opinion: '矩阵退回' }),
  },
  {
    name: 'rulePacks.submit',
    roles: ADMINS,
    call: (c, x) => c.rulePacks.submit({ id: x.data[x.b].packDraftId, note: '矩阵提交' }),
  },
  {
    name: 'rulePacks.reviewSummary',
    roles: STAFF,
    call: (c, x) => c.rulePacks.reviewSummary({ id: x.data[x.b].packId }),
  },
  {
    name: 'transparency.addWitness',
    roles: ['city-admin'],
    cityOnly: true,
    call: (c, x) =>
      c.transparency.addWitness({
        name: `matrix-witness-${x.n}`,
        label: '矩阵见证人',
        publicKey: randomBytes(32).toString('base64'),
      }),
  },
  {
    name: 'transparency.retireWitness',
    roles: ['city-admin'],
    cityOnly: true,
    call: (c, x) => c.transparency.retireWitness({ name: `matrix-absent-${x.n}` }),
  },
  {
    name: 'transparency.allWitnesses',
    roles: ['city-admin'],
    cityOnly: true,
    call: (c) => c.transparency.allWitnesses(),
  },
  {
    name: 'plans.preview',
    roles: PLANNERS,
    call: (c, x) =>
      c.plans.preview({
        bureauCode: x.b,
        period: '2027-Q2',
        kind: 'general',
        scope: {},
        strata: [],
        team: { size: 2, specialist: true, ownJurisdiction: false },
      }),
  },
  { name: 'tasks.get', roles: ALL, call: (c, x) => c.tasks.get({ id: x.data[x.b].taskId }) },
  {
    name: 'tasks.schedule',
    roles: PLANNERS,
    call: (c, x) => c.tasks.schedule({ taskId: x.data[x.b].taskId, scheduledOn: '2027-05-01' }),
  },
  {
    name: 'tasks.start',
    roles: ['inspector'],
    call: (c, x) => c.tasks.start({ taskId: x.data[x.b].taskId }),
  },
  {
    name: 'results.record',
    roles: ['inspector', 'district-admin', 'city-admin'],
    call: (c, x) =>
      c.results.record({
        taskId: x.data[x.b].taskId,
        outcome: 'violations',
        inspectedOn: '2024-01-10',
        findings: [
          {
            kind: 'hazard',
            description: '矩阵隐患',
            rectificationDue: '2024-02-01',
            checklistItemCode: 'M-1',
          },
        ],
      }),
  },
  { name: 'results.get', roles: ALL, call: (c, x) => c.results.get({ resultId: x.data[x.b].resultId }) },
  {
    name: 'rectifications.record',
    roles: ['inspector', 'district-admin', 'city-admin'],
    call: (c, x) =>
      c.rectifications.record({
        findingId: x.data[x.b].findingId,
        checkedOn: '2024-02-01',
        outcome: 'rectified',
      }),
  },
  {
    name: 'rectifications.list',
    roles: ALL,
    call: (c, x) => c.rectifications.list({ findingId: x.data[x.b].findingId }),
  },
  {
    name: 'rectifications.overdue',
    roles: STAFF,
    call: (c, x) => c.rectifications.overdue({ bureauCode: x.b }),
  },
  {
    name: 'rectifications.blacklistOverdue',
    roles: ADMINS,
    call: (c, x) => c.rectifications.blacklistOverdue({ bureauCode: x.b }),
  },
  // Use of results (#14). Cases run against entities the setup made; state errors are fine.
  {
    name: 'cases.file',
    roles: ADMINS,
    call: (c, x) =>
      c.cases.file({ findingId: x.data[x.b].findingId, caseNumber: `M-${x.n}`, filedOn: '2024-01-06' }),
  },
  {
    name: 'cases.advance',
    roles: ADMINS,
    call: (c, x) => c.cases.advance({ caseId: x.data[x.b].caseId, step: 'investigated', on: '2024-01-07' }),
  },
  {
    name: 'cases.correct',
    roles: ADMINS,
    call: (c, x) =>
      c.cases.correct({
        caseId: x.data[x.b].caseId,
        stepId: x.data[x.b].caseStepId,
        reason: '矩阵更正',
        caseNumber: `MC-${x.n}`,
      }),
  },
  { name: 'cases.list', roles: STAFF, call: (c, x) => c.cases.list({ bureauCode: x.b }) },
  { name: 'cases.candidates', roles: STAFF, call: (c, x) => c.cases.candidates({ bureauCode: x.b }) },
  { name: 'cases.get', roles: STAFF, call: (c, x) => c.cases.get({ caseId: x.data[x.b].caseId }) },
  {
    name: 'supervisions.open',
    roles: ADMINS,
    call: (c, x) =>
      c.supervisions.open({
        findingId: x.data[x.b].majorFindingId,
        listingNumber: `MS-${x.n}`,
        listedOn: '2024-01-06',
        deadline: '2024-02-06',
      }),
  },
  {
    name: 'supervisions.decideClose',
    roles: ['approver', ...ADMINS],
    call: (c, x) =>
      c.supervisions.decideClose({
        supervisionId: x.data[x.b].supervisionId,
        on: '2024-01-08',
        approve: true,
      }),
  },
  {
    name: 'supervisions.submitEvidence',
    roles: ADMINS,
    call: (c, x) =>
      c.supervisions.submitEvidence({
        supervisionId: x.data[x.b].supervisionId,
        on: '2024-01-07',
        // Never uploaded: the bureau check answers first, then "upload it first".
        documents: [{ sha256: 'a'.repeat(64), size: 1, mime: 'application/pdf', name: 'm.pdf' }],
      }),
  },
  {
    name: 'supervisions.review',
    roles: ADMINS,
    call: (c, x) =>
      c.supervisions.review({
        supervisionId: x.data[x.b].supervisionId,
        on: '2024-01-08',
        passed: true,
        note: '矩阵审核',
      }),
  },
  { name: 'supervisions.list', roles: STAFF, call: (c, x) => c.supervisions.list({ bureauCode: x.b }) },
  {
    name: 'supervisions.get',
    roles: STAFF,
    call: (c, x) => c.supervisions.get({ supervisionId: x.data[x.b].supervisionId }),
  },
  {
    name: 'supervisions.candidates',
    roles: STAFF,
    call: (c, x) => c.supervisions.candidates({ bureauCode: x.b }),
  },
  {
    name: 'blacklist.propose',
    roles: ADMINS,
    call: (c, x) =>
      c.blacklist.propose({ kind: 'removal', unitId: x.data[x.b].unitId, note: '矩阵信用修复' }),
  },
  {
    name: 'blacklist.review',
    roles: ['approver', ...ADMINS],
    call: (c, x) =>
      c.blacklist.review({ proceedingId: x.data[x.b].proceedingId, approve: true, note: '矩阵审核' }),
  },
  {
    name: 'blacklist.notice',
    roles: ADMINS,
    call: (c, x) =>
      c.blacklist.notice({
        proceedingId: x.data[x.b].proceedingId,
        noticeNumber: `MN-${x.n}`,
        noticedOn: '2024-01-08',
      }),
  },
  {
    name: 'blacklist.recordObjection',
    roles: ADMINS,
    call: (c, x) =>
      c.blacklist.recordObjection({
        proceedingId: x.data[x.b].proceedingId,
        receivedOn: '2024-01-09',
        note: '矩阵申辩',
      }),
  },
  {
    name: 'blacklist.decide',
    roles: ['approver', ...ADMINS],
    call: (c, x) =>
      c.blacklist.decide({
        proceedingId: x.data[x.b].proceedingId,
        decidedOn: '2024-01-20',
        apply: false,
        note: '矩阵决定',
      }),
  },
  {
    name: 'blacklist.publish',
    roles: ADMINS,
    call: (c, x) => c.blacklist.publish({ proceedingId: x.data[x.b].proceedingId }),
  },
  { name: 'blacklist.list', roles: STAFF, call: (c, x) => c.blacklist.list({ bureauCode: x.b }) },
  {
    name: 'blacklist.get',
    roles: STAFF,
    call: (c, x) => c.blacklist.get({ proceedingId: x.data[x.b].proceedingId }),
  },
  {
    name: 'credit.exportFile',
    roles: ['city-admin', 'district-admin', 'auditor'],
    call: (c, x) =>
      c.credit.exportFile({ bureauCode: x.b, format: 'csv', from: '2024-01-01', to: '2024-12-31' }),
  },
  { name: 'stats.roster', roles: STAFF, call: (c, x) => c.stats.roster({ bureauCode: x.b }) },
  {
    name: 'apiTokens.revoke',
    roles: ADMINS,
    call: (c, x) => c.apiTokens.revoke({ id: x.data[x.b].apiTokenId }),
  },
];

const ACTORS: { role: Role; bureau: string }[] = [
  { role: 'city-admin', bureau: CITY },
  { role: 'auditor', bureau: CITY },
  { role: 'approver', bureau: CITY },
  ...(['district-admin', 'draw-operator', 'approver', 'inspector', 'auditor'] as const).map((role) => ({
    role,
    bureau: BINHAI,
  })),
];

let t: TestDb;
const callers = new Map<string, Caller>();
/** Each signed-in caller's session, for the cases that are HTTP routes rather than procedures. */
const tokens = new Map<Caller, string>();
const data = {} as Ctx['data'];
let cityPackId = '';
beforeAll(async () => {
  t = await openTestDb();
  const city = await signedInUser(t.database, 'm-city', CITY, ['city-admin']);
  for (const [i, a] of ACTORS.entries()) {
    const u = await signedInUser(t.database, `m-${i}-${a.role}`, a.bureau, [a.role], {
      inspectorId: a.role === 'inspector' ? `MI-${BINHAI}` : undefined,
    });
    callers.set(`${a.role}@${a.bureau}`, u.caller);
    tokens.set(u.caller, u.token);
  }
  const packDir = (d: string) =>
    readPackDir(resolve(__dirname, '../../rules/tianjin', d)).files as Record<string, string>;
  const [cityPack] = await installRulePacks(
    t.database.db,
    [{ origin: 'city', files: packDir('city') }],
    null,
  );
  cityPackId = cityPack!.id;
  for (const b of [BINHAI, HEPING] as const) {
    const packFiles = packDir(b === BINHAI ? 'binhai' : 'heping');
    const [pack] = await installRulePacks(t.database.db, [{ origin: b, files: packFiles }], null);
    const packDraft = await city.caller.rulePacks.upload({ files: packAt(packFiles, '2.0.0') });
    const packRetire = await city.caller.rulePacks.upload({ files: packAt(packFiles, '3.0.0') });
    const unitId = unitIdAt(1, b);
    await city.caller.units.create({
      id: unitId,
      name: 'M',
      nature: 'private',
      industry: 'trade',
      scale: 'small',
      employees: 3,
      bureauCode: b,
      riskGrade: 'low',
      creditGrade: 'B',
    });
    await city.caller.inspectors.create({
      id: `MI-${b}`,
      certificateNo: `MIC-${b}`,
      name: 'M',
      bureauCode: b,
      department: 'D',
    });
    const v = await city.caller.checklist.createDraft({ bureauCode: b });
    await city.caller.checklist.setItems({
      versionId: v.id,
      items: [{ code: 'M-1', subject: 's', item: 'i', content: 'c', legalBasis: 'l' }],
    });
    const plan = await city.caller.plans.create({
      bureauCode: b,
      title: 'M',
      period: '2027',
      kind: 'general',
      sources: [futureDrandSource()],
      checklistVersionId: v.id,
    });
    const [draw] = await t.database.db
      .insert(draws)
      .values({
        planId: plan.id,
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
    // One issued task for the matrix to schedule, start and record, and one with a result.
    const [task, done] = await t.database.db
      .insert(tasks)
      .values(
        [1, 2].map((sequence) => ({
          bureauCode: plan.bureauCode,
          drawId: draw!.id,
          planId: plan.id,
          unitId,
          sequence,
          reason: 'random',
          team: [`MI-${b}`],
          checklistItemCodes: ['M-1'],
          status: sequence === 1 ? ('issued' as const) : ('done' as const),
        })),
      )
      .returning();
    const [result] = await t.database.db
      .insert(results)
      .values({
        bureauCode: done!.bureauCode,
        taskId: done!.id,
        outcome: 'violations',
        inspectedOn: '2024-01-05',
        recordedBy: city.user.id,
      })
      .returning();
    const [finding] = await t.database.db
      .insert(findings)
      .values({
        bureauCode: result!.bureauCode,
        resultId: result!.id,
        kind: 'hazard',
        description: 'M',
        rectificationDue: '2024-01-20',
      })
      .returning();
    const [major] = await t.database.db
      .insert(findings)
      .values({
        bureauCode: result!.bureauCode,
        resultId: result!.id,
        kind: 'major-hazard',
        description: 'M',
        rectificationDue: '2024-01-20',
        checklistItemCode: 'M-1',
      })
      .returning();
    const mcase = await city.caller.cases.file({
      findingId: finding!.id,
      caseNumber: `MC-${b}`,
      filedOn: '2024-01-06',
    });
    const caseStep = (await city.caller.cases.get({ caseId: mcase.id })).steps[0]!;
    const supervision = await city.caller.supervisions.open({
      findingId: major!.id,
      listingNumber: `MS-${b}`,
      listedOn: '2024-01-06',
      deadline: '2024-02-06',
    });
    const proceeding = await city.caller.blacklist.propose({
      kind: 'listing',
      unitId,
      reason: 'concealed',
      findingId: finding!.id,
      note: '矩阵提议',
    });
    const target = await city.caller.users.create({
      username: `m-target-${b}`,
      displayName: 'T',
      password: 'long enough password',
      bureauCode: b,
      roles: [{ role: 'inspector', bureauCode: b }],
    });
    await city.caller.experts.create({ id: `ME-${b}`, name: 'E', bureauCode: b });
    const conflict = await city.caller.conflicts.declare({
      inspectorId: `MI-${b}`,
      unitId,
      reason: '亲属关系',
    });
    const procedure = await city.caller.procedures.saveDraft({
      bureauCode: b,
      content: {
        leadingGroup: 'g',
        planTemplate: 't',
        steps: ['s'],
        frequency: 'f',
        resultsUse: 'r',
        publication: 'p',
        leadDepartment: 'd',
        duties: 'u',
      },
    });
    const token = await city.caller.apiTokens.create({
      name: `m-${b}`,
      bureauCode: b,
      scopes: ['publications:read'],
    });
    // Two keys of an official of the bureau: one pending (to register), one registered (to revoke).
    const official = await signedInUser(t.database, `m-official-${b}`, b, ['approver']);
    const keyToRegister = await official.caller.keys.propose({
      bureauCode: b,
      publicKey: randomBytes(32).toString('hex'),
    });
    const keyToRevoke = await official.caller.keys.propose({
      bureauCode: b,
      publicKey: randomBytes(32).toString('hex'),
    });
    await city.caller.keys.register({ keyId: keyToRevoke.keyId });
    data[b] = {
      keyToRegister: keyToRegister.keyId,
      keyToRevoke: keyToRevoke.keyId,
      unitId,
      inspectorId: `MI-${b}`,
      checklistId: v.id,
      planId: plan.id,
      drawId: draw!.id,
      taskId: task!.id,
      resultId: result!.id,
      findingId: finding!.id,
      targetUserId: target.id,
      expertId: `ME-${b}`,
      conflictId: conflict.id,
      procedureId: procedure.id,
      apiTokenId: token.id,
      caseId: mcase.id,
      caseStepId: caseStep.id,
      majorFindingId: major!.id,
      supervisionId: supervision.id,
      proceedingId: proceeding.id,
      packId: pack!.id,
      packDraftId: packDraft.id,
      packRetireId: packRetire.id,
      packFiles,
    };
  }
});
afterAll(async () => t?.close());

function expected(c: Case, a: { role: Role; bureau: string }, target: string): 'allowed' | 'FORBIDDEN' {
  if (!c.roles.includes(a.role)) return 'FORBIDDEN';
  if (c.global) return 'allowed';
  if (c.cityOnly) return a.bureau === CITY ? 'allowed' : 'FORBIDDEN';
  return a.bureau === CITY || a.bureau === target ? 'allowed' : 'FORBIDDEN';
}

describe('role × procedure × bureau', () => {
  it('covers every role-scoped procedure of the API', () => {
    const all = Object.keys((appRouter as unknown as { _def: { procedures: object } })._def.procedures);
    const covered = new Set(CASES.map((c) => c.name).filter((n) => !n.startsWith('GET ')));
    expect(all.filter((p) => !NOT_ROLE_SCOPED.includes(p) && !covered.has(p))).toEqual([]);
    expect([...covered].filter((p) => !all.includes(p))).toEqual([]);
  });

  it('answers every cell as the access rules say', async () => {
    let n = 0;
    const wrong: string[] = [];
    let cells = 0;
    for (const c of CASES) {
      for (const a of ACTORS) {
        for (const b of [BINHAI, HEPING] as const) {
          const code = await codeOf(
            c.call(callers.get(`${a.role}@${a.bureau}`)!, { b, n: n++, data, cityPackId }),
          );
          const want = expected(c, a, b);
          const got =
            code === 'FORBIDDEN'
              ? 'FORBIDDEN'
              : code === 'UNAUTHORIZED' || code.startsWith('THROWN')
                ? code
                : 'allowed';
          cells++;
          if (got !== want)
            wrong.push(`${c.name} as ${a.role}@${a.bureau} on ${b}: want ${want}, got ${code}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(cells).toBe(CASES.length * ACTORS.length * 2);
  }, 300_000);

  it('answers anonymous callers with UNAUTHORIZED everywhere', async () => {
    const anon = await anonymousCaller(t.database);
    const codes = new Set<string>();
    for (const c of CASES) codes.add(await codeOf(c.call(anon, { b: BINHAI, n: 99999, data, cityPackId })));
    expect([...codes]).toEqual(['UNAUTHORIZED']);
  });
});
