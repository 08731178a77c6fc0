/** A small Binhai world for workflow suites: staff, rule packs, checklist, inspectors, units. */
import { resolve } from 'node:path';
import { makeUscc, SPECIALTY_IDS, type RiskGrade } from '@spotcheck/core';
import { readPackDir } from '@spotcheck/rules/load';
import { eq } from 'drizzle-orm';
import { draws, type Database } from '@spotcheck/db';
import { anonymousCaller, BINHAI, CITY, drawEnv, signedInUser, type SignedIn } from './harness';
import { browserSignOff, browserStyleKey, wholeSecondsOf, type OfficialKey } from '../support/official-keys';
import { cosignCheckpoint, generateLogKeyPair, isoSeconds, type WitnessKey } from '@spotcheck/core/log';
import { installRulePacks, issueCheckpoint, keySecretFor, KEY_VALIDITY_DELAY_SECONDS } from '@spotcheck/api';

/** Staff of the fixture world. */
export interface World {
  cityAdmin: SignedIn;
  admin: SignedIn;
  operator: SignedIn;
  approver: SignedIn;
  approver2: SignedIn;
  auditor: SignedIn;
  checklistVersionId: string;
  unitIds: string[];
  database: Database;
  /** Browser-style keys registered in Binhai's published registry. */
  keys: { approver: OfficialKey; approver2: OfficialKey };
}

const ORG = 'ABCDEFGHJKLMNPQRTUWXY0123456789';

/** The n-th fixture unit id (a valid USCC in Binhai). */
export function unitIdAt(n: number, division = BINHAI): string {
  const body = `MA${ORG[Math.floor(n / 961) % 31]}${ORG[Math.floor(n / 31) % 31]}${ORG[n % 31]}${'K2T'}`;
  return makeUscc('91', division, body);
}

/** Builds the world through the API itself. */
export async function buildWorld(database: Database, unitCount = 40): Promise<World> {
  const cityAdmin = await signedInUser(database, 'w-city', CITY, ['city-admin']);
  const admin = await signedInUser(database, 'w-admin', BINHAI, ['district-admin']);
  const operator = await signedInUser(database, 'w-operator', BINHAI, ['draw-operator']);
  const approver = await signedInUser(database, 'w-approver', BINHAI, ['approver']);
  const approver2 = await signedInUser(database, 'w-approver2', BINHAI, ['approver']);
  const auditor = await signedInUser(database, 'w-auditor', CITY, ['auditor']);
  await installRulePacks(
    database.db,
    ['city', 'binhai'].map((dir) => readPackDir(resolve(import.meta.dirname, '../../rules/tianjin', dir))),
    null,
  );
  const draft = await admin.caller.checklist.createDraft({ bureauCode: BINHAI });
  await admin.caller.checklist.setItems({
    versionId: draft.id,
    items: [
      {
        code: 'TJ-GEN-001',
        subject: '生产经营单位',
        item: '安全生产责任制',
        content: '是否建立全员安全生产责任制',
        legalBasis: '《安全生产法》第二十二条',
      },
      {
        code: 'TJ-WH-001',
        subject: '危险化学品企业',
        item: '重大危险源管理',
        content: '重大危险源是否登记建档',
        legalBasis: '《危险化学品安全管理条例》第二十五条',
        industries: ['hazardous-chemicals'],
      },
    ],
  });
  await admin.caller.checklist.publish({ versionId: draft.id });
  for (let i = 1; i <= 8; i++) {
    await admin.caller.inspectors.create({
      id: `I120116-${String(i).padStart(4, '0')}`,
      certificateNo: `TJ-ZF-${1000 + i}`,
      name: `执法员${i}`,
      bureauCode: BINHAI,
      department: '执法支队',
      specialties: [...SPECIALTY_IDS],
      capacityPerQuarter: 20,
    });
  }
  const grades: RiskGrade[] = ['low', 'medium', 'low', 'high', 'low'];
  const industries = ['machinery', 'trade', 'hazardous-chemicals', 'light-industry'];
  const unitIds: string[] = [];
  for (let i = 0; i < unitCount; i++) {
    const id = unitIdAt(i);
    unitIds.push(id);
    await admin.caller.units.create({
      id,
      name: `滨海测试单位${i}`,
      nature: 'private',
      industry: industries[i % industries.length]!,
      scale: 'small',
      employees: 20 + i,
      bureauCode: BINHAI,
      riskGrade: grades[i % grades.length]!,
      creditGrade: i % 7 === 0 ? 'A' : 'B',
      legalRepresentative: `法人${i}`,
    });
  }
  const keys = {
    approver: await registeredKey(approver, admin),
    approver2: await registeredKey(approver2, admin),
  };
  return {
    cityAdmin,
    admin,
    operator,
    approver,
    approver2,
    auditor,
    checklistVersionId: draft.id,
    unitIds,
    database,
    keys,
  };
}

/** Generates an official's key in the browser's way, proposes it, and has an admin register it. */
export async function registeredKey(
  official: SignedIn,
  admin: SignedIn,
  bureauCode = BINHAI,
): Promise<OfficialKey> {
  const key = await browserStyleKey();
  await official.caller.keys.propose({ bureauCode, publicKey: key.publicKey });
  await admin.caller.keys.register({ keyId: key.keyId });
  drawEnv.advance(KEY_VALIDITY_DELAY_SECONDS + 1); // the key is valid once its registry is logged
  return key;
}

/** The two witnesses {@link witnessTheLog} registered in a world (by the city, on first use). */
const worldWitnesses = new WeakMap<World, (WitnessKey & { secretKey: string })[]>();

/**
 * The log checkpointed and co-signed by two independent witnesses (registered by the city on first
 * use), then the clock a second on: what the minutely checkpoint job and the city's witnesses see
 * to. An official's key is rotated only once its signature records are witnessed (keys.register).
 */
export async function witnessTheLog(w: World): Promise<void> {
  let witnesses = worldWitnesses.get(w);
  if (!witnesses) {
    witnesses = ['w-supervision', 'w-monitor'].map((name) => ({ name, ...generateLogKeyPair() }));
    for (const x of witnesses)
      await w.cityAdmin.caller.transparency.addWitness({
        name: x.name,
        label: `见证方 ${x.name}`,
        publicKey: x.publicKey,
      });
    worldWitnesses.set(w, witnesses);
  }
  drawEnv.advance(1);
  const cp = await issueCheckpoint(w.database.db, {
    now: drawEnv.now(),
    keySecret: keySecretFor(w.database),
    heartbeatSeconds: 1,
  });
  if (!cp) throw new Error('no checkpoint issued');
  const anon = await anonymousCaller(w.database);
  for (const x of witnesses) {
    const c = cosignCheckpoint(cp, x, isoSeconds(drawEnv.now()));
    await anon.transparency.cosign({ size: cp.size, checkpointTime: cp.time, ...c, previous: null });
  }
  drawEnv.advance(1);
}

/** The drand source the wizard proposes for a draw planned `inSeconds` from now (demo beacon). */
export async function proposedSources(w: World, inSeconds = 120) {
  const p = await w.operator.caller.plans.proposeSources({
    plannedDrawAt: new Date(drawEnv.now().getTime() + inSeconds * 1000),
  });
  return p.sources;
}

/** Moves the shared clock past every committed drand round of a commitment. */
export function passSources(commitment: {
  sources: readonly { kind: string; round?: number; info?: { genesis: number; period: number } }[];
}) {
  const latest = Math.max(
    ...commitment.sources.map((s) =>
      s.info && s.round ? s.info.genesis + (s.round - 1) * s.info.period : 0,
    ),
  );
  const wait = latest - drawEnv.now().getTime() / 1000 + 1;
  if (wait > 0) drawEnv.advance(Math.ceil(wait));
}

/**
 * The frame of a committed attempt as the public reads it: the commitment publication (open plans),
 * which also is what `spotcheck verify` checks the frame digest against.
 */
export async function publishedFrame<Row = unknown[]>(database: Database, drawId: string): Promise<Row[]> {
  const portal = await anonymousCaller(database);
  const header = (await portal.publications.list({ kind: 'commitment', limit: 200 })).find(
    (p) => p.refId === drawId,
  );
  if (!header) throw new Error(`no commitment publication of draw ${drawId}`);
  return ((await portal.publications.get({ id: header.id })).content as { frame: Row[] }).frame;
}

/** Signs a drawn attempt as `official` with `key`, the browser's way, at the shared clock's time. */
export async function signAs(official: SignedIn, key: OfficialKey, drawId: string) {
  const d = await official.caller.draws.get({ drawId });
  const signOff = await browserSignOff(
    key,
    { id: official.user.id, name: official.user.displayName },
    wholeSecondsOf(drawEnv.now()),
    d.commitmentDigest,
    d.resultDigest!,
  );
  return official.caller.draws.sign({ drawId, signOff });
}

/** Approves a submitted plan, waits for its round, fetches it from the beacon, draws and signs. */
export async function drawAndSign(w: World, planId: string) {
  const { draw } = await w.approver.caller.plans.approve({ planId });
  passSources(draw.commitment);
  await w.operator.caller.draws.enterRandomness({
    drawId: draw.id,
    values: draw.commitment.sources.map(() => null),
  });
  const drawn = await w.operator.caller.draws.run({ drawId: draw.id });
  await signAs(w.approver, w.keys.approver, draw.id);
  return { draw, drawn };
}

/** Drafts and submits a plan; returns its id. */
export async function submittedPlan(w: World, title = '2027年度一般检查', period = '2027'): Promise<string> {
  const plan = await w.operator.caller.plans.create({
    bureauCode: BINHAI,
    title,
    period,
    kind: 'general',
    sources: await proposedSources(w),
    checklistVersionId: w.checklistVersionId,
  });
  await w.operator.caller.plans.submit({ planId: plan.id });
  return plan.id;
}

/** A plan taken through approval, randomness, draw, sign-off and task issue. */
export interface IssuedPlan {
  planId: string;
  drawId: string;
  /** Selected units with their teams, in draw order. */
  selected: { unit: string; team: string[]; reason: string }[];
}

/** Runs a plan of `kind` to issued tasks (randomness from the demo beacon). */
export async function issuedPlan(
  w: World,
  opts: { title: string; period?: string; kind?: 'general' | 'key' | 'covert' },
): Promise<IssuedPlan> {
  const plan = await w.operator.caller.plans.create({
    bureauCode: BINHAI,
    title: opts.title,
    period: opts.period ?? '2027',
    kind: opts.kind ?? 'general',
    sources: await proposedSources(w),
    checklistVersionId: w.checklistVersionId,
  });
  await w.operator.caller.plans.submit({ planId: plan.id });
  const { draw } = await drawAndSign(w, plan.id);
  await w.operator.caller.draws.issueTasks({ drawId: draw.id });
  // Read from the database: a covert plan's result is sealed to every API caller until executed.
  const [d] = await w.database.db.select().from(draws).where(eq(draws.id, draw.id));
  const result = d!.result as { selected: { unit: string; team: string[]; reason: string }[] };
  return {
    planId: plan.id,
    drawId: draw.id,
    selected: result.selected.map((s) => ({ unit: s.unit, team: [...s.team], reason: s.reason })),
  };
}
