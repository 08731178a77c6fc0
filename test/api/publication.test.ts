/**
 * 一公开 that runs itself (R15–R16, R18): quarterly publication by inspection date on the PRC
 * working-day calendar, run by the scheduled job with a pinned clock; supplements; redaction
 * policy; every blacklist entry published.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appRouter, registeredJobs, runJob, openDataRows } from '@spotcheck/api';
import { startServer } from '@spotcheck/server';
import {
  quarterSchedule,
  quarterOf,
  makeWorkCalendar,
  nthWorkdayAfter,
  parseCalendarFile,
  publish,
} from '@spotcheck/api/testing';
import { jobRuns, publications, reminders, unitFacts, units } from '@spotcheck/db';
import { buildWorld, issuedPlan, type IssuedPlan, type World } from './fixtures';
import { toastReadsOf } from './toast-reads';
import {
  anonymousCaller,
  BINHAI,
  callerWithToken,
  codeOf,
  HEPING,
  openTestDb,
  signedInUser,
  type TestDb,
} from './harness';

let t: TestDb;
let w: World;
let plan: IssuedPlan;
let taskIds: string[];
const at = (iso: string) => new Date(iso);
/** A caller for the Binhai admin with the clock pinned at `iso`. */
const adminAt = (iso: string) => callerWithToken(t.database, w.admin.token, () => at(iso));
const SECRET = 'XJ-77涉密工艺';

beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
  plan = await issuedPlan(w, { title: '2026年三季度检查', period: '2026' });
  taskIds = (await w.admin.caller.tasks.list({ planId: plan.planId })).rows.map((r) => r.task.id);
  expect(taskIds.length).toBeGreaterThanOrEqual(4);
});
afterAll(async () => t?.close());

async function publicationsOf(period: string) {
  return t.database.db
    .select()
    .from(publications)
    .where(eq(publications.period, period))
    .orderBy(publications.publishedAt);
}

describe('the PRC working-day calendar', () => {
  it('puts 2026-Q3 reminders, publication and deadline after the National Day week', () => {
    const s = quarterSchedule('2026-Q3');
    // 10-01..10-07 are holidays, 10-10 (Saturday) is worked in lieu; 20 working days end on 11-03.
    expect(s).toMatchObject({
      endsOn: '2026-09-30',
      remindOn: '2026-10-20',
      publishOn: '2026-10-27',
      dueOn: '2026-11-03',
      calendarKnown: true,
    });
    expect(quarterOf('2026-09-30')).toBe('2026-Q3');
    expect(quarterOf('2026-10-01')).toBe('2026-Q4');
  });

  it('loads next year from a file when the package does not know it yet', () => {
    const plain = makeWorkCalendar();
    expect(plain.knowsYear(2027)).toBe(false);
    expect(nthWorkdayAfter(plain, '2026-12-31', 1)).toBe('2027-01-01');
    const file = parseCalendarFile(
      JSON.stringify({
        holidays: { '2027-01-01': '元旦', '2027-01-02': '元旦', '2027-01-03': '元旦' },
        workdays: {},
      }),
    );
    const loaded = makeWorkCalendar([file]);
    expect(loaded.knowsYear(2027)).toBe(true);
    expect(nthWorkdayAfter(loaded, '2026-12-31', 1)).toBe('2027-01-04');
    expect(quarterSchedule('2026-Q4', plain).calendarKnown).toBe(false);
    expect(() => parseCalendarFile('{"holidays":{"2027-13-01":"x"},"workdays":{}}', 'cal.json')).toThrow(
      /cal\.json: holidays\.2027-13-01 is not a date/,
    );
    expect(() => parseCalendarFile('{"holidays":{}}', 'cal.json')).toThrow(/"workdays" must be an object/);
  });
});

describe('quarterly publication by the scheduled job (pinned clock)', () => {
  it('refuses redactions of fields the policy does not allow', async () => {
    const c = await adminAt('2026-09-28T10:00:00+08:00');
    const bad = c.results.record({
      taskId: taskIds[3]!,
      outcome: 'compliant',
      inspectedOn: '2026-09-28',
      redactions: [{ field: 'inspectedOn', reason: 'other' }],
    });
    expect(await codeOf(bad)).toBe('BAD_REQUEST');
    await expect(bad).rejects.toThrow(/redactions/);
  });

  it('publishes on working day 15 the results inspected in the quarter, including ones entered in the next', async () => {
    // Inspected and entered in Q3.
    await (
      await adminAt('2026-09-28T10:00:00+08:00')
    ).results.record({ taskId: taskIds[0]!, outcome: 'compliant', inspectedOn: '2026-09-28' });
    // Inspected in Q3, entered in Q4, with withheld fields (R16).
    await (
      await adminAt('2026-10-15T10:00:00+08:00')
    ).results.record({
      taskId: taskIds[1]!,
      outcome: 'violations',
      summary: `检查了${SECRET}车间`,
      inspectedOn: '2026-09-20',
      findings: [{ kind: 'hazard', description: `${SECRET}未设置报警`, checklistItemCode: 'TJ-GEN-001' }],
      redactions: [
        { field: 'summary', reason: 'commercial-secret' },
        { field: 'findings', reason: 'state-secret', note: '军工配套' },
      ],
    });
    // Inspected in Q4: not part of Q3.
    await (
      await adminAt('2026-10-16T10:00:00+08:00')
    ).results.record({ taskId: taskIds[2]!, outcome: 'compliant', inspectedOn: '2026-10-16' });

    // Working day 10 (10-20) on: a reminder, once per bureau, quarter and level.
    for (const day of ['2026-10-19', '2026-10-21', '2026-10-22'])
      expect(
        (
          await runJob(t.database.db, 'publication-reminders', {
            trigger: 'schedule',
            now: at(`${day}T09:00:00+08:00`),
          })
        ).outcome,
      ).toBe('ok');
    const open = await t.database.db.select().from(reminders).where(eq(reminders.subject, '2026-Q3'));
    expect(open.map((r) => [r.bureauCode, r.level, r.dueOn, r.resolvedAt])).toEqual([
      [BINHAI, 'due-soon', '2026-11-03', null],
    ]);

    // Working day 14 (10-26): nothing yet.
    const before = await runJob(t.database.db, 'quarterly-results', {
      trigger: 'schedule',
      now: at('2026-10-26T02:00:00+08:00'),
    });
    expect(before.outcome).toBe('ok');
    expect(await publicationsOf('2026-Q3')).toHaveLength(0);

    // Working day 15 (10-27): published, by inspection date.
    const on = await runJob(t.database.db, 'quarterly-results', {
      trigger: 'schedule',
      now: at('2026-10-27T02:00:00+08:00'),
    });
    expect(on).toMatchObject({ outcome: 'ok', summary: { published: 1 } });
    const [pub] = await publicationsOf('2026-Q3');
    expect(pub!.bureauCode).toBe(BINHAI);
    const content = pub!.content as {
      inspected: number;
      supplement: boolean;
      items: Record<string, unknown>[];
    };
    expect(content.inspected).toBe(2);
    expect(content.supplement).toBe(false);
    expect(content.items.map((i) => i.inspectedOn).sort()).toEqual(['2026-09-20', '2026-09-28']);
    const withheld = content.items.find((i) => i.inspectedOn === '2026-09-20')!;
    expect(withheld.summary).toEqual({
      withheld: true,
      reason: 'commercial-secret',
      reasonText: '商业秘密',
      text: '依法不予公开',
    });
    expect(withheld.findings).toMatchObject({
      withheld: true,
      reason: 'state-secret',
      reasonText: '国家秘密',
    });
    expect(withheld.counts).toEqual({ violation: 0, hazard: 1, majorHazard: 0 });
    expect(JSON.stringify(pub!.content)).not.toContain(SECRET);
    expect(JSON.stringify(pub!.content)).not.toContain('军工配套');
    const [resolved] = await t.database.db.select().from(reminders).where(eq(reminders.subject, '2026-Q3'));
    expect(resolved!.resolvedAt).not.toBeNull();

    // Running again (a retry, the next day) does not duplicate.
    const again = await runJob(t.database.db, 'quarterly-results', {
      trigger: 'retry',
      now: at('2026-10-28T02:00:00+08:00'),
    });
    expect(again.summary).toMatchObject({ published: 0, supplements: 0 });
    expect(await publicationsOf('2026-Q3')).toHaveLength(1);
    // By hand, too: nothing new is a conflict, not a second publication.
    const manual = (await adminAt('2026-10-28T09:00:00+08:00')).publications.publishQuarterlyResults({
      bureauCode: BINHAI,
      period: '2026-Q3',
    });
    expect(await codeOf(manual)).toBe('CONFLICT');
  });

  it('sends a result of the quarter entered after publication out as a supplement', async () => {
    await (
      await adminAt('2026-11-10T10:00:00+08:00')
    ).results.record({ taskId: taskIds[3]!, outcome: 'closed-or-absent', inspectedOn: '2026-09-29' });
    const c = await adminAt('2026-11-10T11:00:00+08:00');
    const preview = await c.publications.previewQuarterlyResults({ bureauCode: BINHAI, period: '2026-Q3' });
    expect(preview).toMatchObject({ state: 'published', alreadyPublished: 2, pending: 1 });
    expect(preview.items.map((i) => i.inspectedOn)).toEqual(['2026-09-29']);
    const r = await runJob(t.database.db, 'quarterly-results', {
      trigger: 'schedule',
      now: at('2026-11-11T02:00:00+08:00'),
    });
    expect(r.summary).toMatchObject({ published: 0, supplements: 1 });
    const all = await publicationsOf('2026-Q3');
    expect(all).toHaveLength(2);
    const sup = all[1]!.content as { supplement: boolean; supplementTo: string; inspected: number };
    expect(sup).toMatchObject({ supplement: true, supplementTo: all[0]!.id, inspected: 1 });
    expect(all[1]!.title).toContain('补充公开');
  });

  it('reminds before the deadline and flags an overdue quarter', async () => {
    // Heping runs a plan too but publishes nothing: its 2026-Q2 (ended 06-30) is long overdue.
    const heping = await signedInUser(t.database, 'pub-heping', HEPING, ['district-admin']);
    const status = await (
      await callerWithToken(t.database, heping.token, () => at('2026-10-21T10:00:00+08:00'))
    ).publications.quarterStatus({ bureauCode: HEPING });
    const q3 = status.quarters.find((q) => q.period === '2026-Q3')!;
    expect(q3).toMatchObject({ state: 'due-soon', dueOn: '2026-11-03' });
    expect(q3.workdaysLeft).toBe(9);
    const late = await (
      await callerWithToken(t.database, heping.token, () => at('2026-11-04T10:00:00+08:00'))
    ).publications.quarterStatus({ bureauCode: HEPING });
    expect(late.quarters.find((q) => q.period === '2026-Q3')!.state).toBe('overdue');
    const binhai = await (
      await adminAt('2026-11-04T10:00:00+08:00')
    ).publications.quarterStatus({
      bureauCode: BINHAI,
    });
    expect(binhai.quarters.find((q) => q.period === '2026-Q3')!.state).toBe('published');
    // The public sees the same: a skipped quarter reads overdue on the portal, not as a silent gap.
    const anon = await callerWithToken(t.database, null, () => at('2026-11-04T10:00:00+08:00'));
    const pub = await anon.publications.deadlines({ bureauCode: BINHAI });
    // The job's first run (10-26) found 2026-Q2 (due 07-28) unpublished: published late, and it says so.
    expect(pub.quarters.find((q) => q.period === '2026-Q2')).toEqual({
      period: '2026-Q2',
      endsOn: '2026-06-30',
      dueOn: '2026-07-28',
      publishedAt: at('2026-10-26T02:00:00+08:00'),
      state: 'published-late',
      calendarKnown: true,
    });
    expect(JSON.stringify(pub)).not.toContain('pending');
    expect(pub.quarters.find((q) => q.period === '2026-Q3')).toMatchObject({
      state: 'published',
      publishedAt: at('2026-10-27T02:00:00+08:00'),
    });
    expect(pub.quarters.find((q) => q.period === '2026-Q4')).toMatchObject({ state: 'open' });
    // A quarter nobody published by its deadline reads overdue to the public.
    const later = await callerWithToken(t.database, null, () => at('2027-02-26T10:00:00+08:00'));
    const q4 = (await later.publications.deadlines({ bureauCode: BINHAI })).quarters.find(
      (q) => q.period === '2026-Q4',
    );
    expect(q4).toMatchObject({ publishedAt: null, state: 'overdue' });
    // A bureau that runs no plans has none (the job publishes for bureaus that run plans).
    expect((await anon.publications.deadlines({ bureauCode: HEPING })).quarters).toEqual([]);
    // A draft plan, which nobody outside knows of, does not show through.
    const { rows } = await t.owner.exec(
      `insert into plans select * from json_populate_record(null::plans, (
         select (to_jsonb(p) || jsonb_build_object('id', gen_random_uuid(), 'bureau_code', $1::text, 'status', 'draft'))::json
         from plans p limit 1)) returning id`,
      [HEPING],
    );
    try {
      expect((await anon.publications.deadlines({ bureauCode: HEPING })).quarters).toEqual([]);
    } finally {
      await t.owner.exec(`delete from plans where id = $1`, [(rows[0] as { id: string }).id]);
    }
  });
});

/**
 * The SQL statements `run` sends on the app's connection (anonymous callers open no session, so
 * these are the procedure's own).
 */
async function statementsOf<T>(run: () => Promise<T>): Promise<{ value: T; statements: string[] }> {
  type Query = (q: string | { text: string }, params?: unknown[]) => Promise<unknown>;
  const raw = t.database.raw as unknown as { query: Query };
  const spy = vi.spyOn(raw, 'query');
  try {
    const value = await run();
    return { value, statements: spy.mock.calls.map(([q]) => (typeof q === 'string' ? q : q.text)) };
  } finally {
    spy.mockRestore();
  }
}

describe('the public deadlines cost the same whatever a bureau has inspected', () => {
  it("reads the quarters' first publications in one statement, and no results", async () => {
    const now = () => at('2026-11-04T10:00:00+08:00');
    const anon = await callerWithToken(t.database, null, now);
    const { value, statements } = await statementsOf(() =>
      anon.publications.deadlines({ bureauCode: BINHAI }),
    );
    // The current quarter and the four ended ones, two of them published (one with a supplement).
    expect(value.quarters.map((q) => q.period)).toEqual([
      '2026-Q4',
      '2026-Q3',
      '2026-Q2',
      '2026-Q1',
      '2025-Q4',
    ]);
    // Whether the bureau runs plans, then every quarter's first publication at once: the counts
    // of results (staff only) are not read for the public at all.
    expect(statements.filter((s) => /"(results|tasks|published_results)"/.test(s))).toEqual([]);
    expect(statements).toHaveLength(2);
    // The same schedule and states the bureau's staff see for those quarters.
    const staff = await (
      await callerWithToken(t.database, w.admin.token, now)
    ).publications.quarterStatus({
      bureauCode: BINHAI,
    });
    expect(value.quarters).toEqual(
      staff.quarters.map(({ period, endsOn, dueOn, publishedAt, state, calendarKnown }) => ({
        period,
        endsOn,
        dueOn,
        publishedAt,
        state,
        calendarKnown,
      })),
    );
  });
});

describe('every blacklist entry is published', () => {
  it('publishes seeded, imported and pushed entries with their basis and date', async () => {
    const [a, b, c] = w.unitIds.slice(30, 33);
    await t.database.db.update(units).set({ blacklisted: true }).where(eq(units.id, a!));
    await t.database.db.insert(unitFacts).values({
      bureauCode: BINHAI,
      unitId: a!,
      kind: 'blacklist',
      value: { reason: '重大事故隐患逾期未整改' },
      effectiveOn: '2025-06-01',
      source: 'demo',
    });
    await t.database.db.update(units).set({ blacklisted: true }).where(eq(units.id, b!));
    await t.database.db.insert(unitFacts).values({
      bureauCode: BINHAI,
      unitId: b!,
      kind: 'blacklist',
      value: { active: true },
      effectiveOn: '2026-01-15',
      source: 'import:xlsx',
    });
    const token = await w.admin.caller.apiTokens.create({
      name: '信用平台',
      bureauCode: BINHAI,
      scopes: ['facts:write'],
    });
    const machine = await anonymousCaller(t.database, { bearerToken: token.token });
    await machine.external.pushFacts({
      facts: [
        {
          unitId: c!,
          kind: 'blacklist',
          active: true,
          effectiveOn: '2026-11-01',
          reference: '津信〔2026〕12号',
        },
      ],
    });
    const r = await runJob(t.database.db, 'blacklist-publication', {
      trigger: 'schedule',
      now: at('2026-11-02T00:10:00+08:00'),
    });
    expect(r).toMatchObject({ outcome: 'ok', summary: { published: 3 } });
    const anon = await anonymousCaller(t.database);
    const list = await anon.publications.list({ bureauCode: BINHAI, kind: 'blacklist' });
    const byUnit = new Map<string, Record<string, unknown>>();
    for (const h of list) byUnit.set(h.refId, (await anon.publications.get({ id: h.id })).content as never);
    expect(byUnit.get(a!)).toMatchObject({
      basis: '重大事故隐患逾期未整改',
      origin: 'seeded',
      effectiveOn: '2025-06-01',
    });
    expect(byUnit.get(b!)).toMatchObject({ origin: 'imported', effectiveOn: '2026-01-15' });
    expect(byUnit.get(c!)).toMatchObject({ origin: 'pushed', effectiveOn: '2026-11-01' });
    expect(String(byUnit.get(c!)!.basis)).toContain('津信〔2026〕12号');
    // Idempotent.
    const again = await runJob(t.database.db, 'blacklist-publication', {
      trigger: 'retry',
      now: at('2026-11-02T00:20:00+08:00'),
    });
    expect(again.summary).toEqual({ published: 0 });
  });
});

describe('redaction never leaves a public procedure (R16)', () => {
  it('sweeps every procedure an anonymous caller or a read token may call', async () => {
    const token = await w.admin.caller.apiTokens.create({
      name: '公开数据读取',
      bureauCode: BINHAI,
      scopes: ['publications:read'],
    });
    const anon = await anonymousCaller(t.database);
    const machine = await anonymousCaller(t.database, { bearerToken: token.token });
    const pubs = await t.database.db
      .select({ id: publications.id, period: publications.period })
      .from(publications);
    const inputs: unknown[] = [
      undefined,
      {},
      { bureauCode: BINHAI },
      { bureauCode: BINHAI, kind: 'quarterly-results' },
      { bureauCode: BINHAI, period: '2026-Q3' },
      { bureauCode: BINHAI, period: '2026-Q3', limit: 500 },
      { limit: 500 },
      ...pubs.map((p) => ({ id: p.id })),
    ];
    const procedures = (
      appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string } }> } }
    )._def.procedures;
    let answered = 0;
    const reached = new Set<string>();
    for (const [path, proc] of Object.entries(procedures)) {
      if (proc._def.type !== 'query') continue;
      for (const caller of [anon, machine]) {
        let fn: unknown = caller;
        for (const part of path.split('.')) fn = (fn as Record<string, unknown>)[part];
        for (const input of inputs) {
          let out: unknown;
          try {
            out = await (fn as (i: unknown) => Promise<unknown>)(input);
          } catch {
            continue;
          }
          answered++;
          reached.add(path);
          const text = JSON.stringify(out);
          expect(text, `${path}(${JSON.stringify(input)})`).not.toContain(SECRET);
          expect(text, `${path}(${JSON.stringify(input)})`).not.toContain('军工配套');
        }
      }
    }
    // The sweep did reach the public column (it cannot pass by reaching nothing).
    expect(reached).toContain('publications.get');
    expect(reached).toContain('publications.list');
    expect(reached).toContain('external.publication');
    expect(answered).toBeGreaterThan(pubs.length);
    // Staff see the unredacted record, and its recording is audited with the withheld fields.
    const internal = (await w.admin.caller.results.list({ taskId: taskIds[1]! })).rows;
    expect(internal[0]!.result.summary).toContain(SECRET);
    expect(internal[0]!.result.redactions).toHaveLength(2);
    const audit = await w.auditor.caller.audit.list({ entity: 'results', entityId: internal[0]!.result.id });
    expect(JSON.stringify(audit)).toContain('commercial-secret');
    expect(JSON.stringify(audit)).toContain(SECRET);
  });
});

describe('jobs in the admin', () => {
  it('lists every job with next run, last run and failures; a city admin retries one', async () => {
    const list = await w.admin.caller.jobs.list();
    expect(list.map((j) => j.name)).toEqual(registeredJobs().map((j) => j.name));
    const q = list.find((j) => j.name === 'quarterly-results')!;
    expect(q.lastRun).not.toBeNull();
    expect(q.failures).toBe(0);
    expect(q.nextRunAt.getTime()).toBeGreaterThan(Date.now() - 1000);
    expect(await codeOf(w.admin.caller.jobs.retry({ name: 'quarterly-results' }))).toBe('FORBIDDEN');
    const r = await w.cityAdmin.caller.jobs.retry({ name: 'blacklist-publication' });
    expect(r).toMatchObject({ queued: false, outcome: 'ok' });
    expect(await codeOf(w.cityAdmin.caller.jobs.retry({ name: 'no-such-job' }))).toBe('NOT_FOUND');
    const runs = await t.database.db.select().from(jobRuns).where(eq(jobRuns.name, 'blacklist-publication'));
    expect(runs.some((x) => x.trigger === 'retry' && x.outcome === 'ok')).toBe(true);
  });
});

describe('open data over HTTP', () => {
  it('serves every public list as CSV and JSON with a schema, and an Atom feed per bureau', async () => {
    const server = await startServer({ database: t.database, port: 0, staticMounts: [] });
    try {
      const get = async (path: string) => {
        const r = await fetch(server.url + path);
        return { status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text() };
      };
      const schema = JSON.parse((await get('/open/schema.json')).body) as { datasets: { name: string }[] };
      expect(schema.datasets.map((d) => d.name)).toEqual(['publications', 'results', 'blacklist']);
      const csv = await get(`/open/results.csv?bureau=${BINHAI}&period=2026-Q3`);
      expect(csv.status).toBe(200);
      expect(csv.type).toContain('text/csv');
      const lines = csv.body
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toBe(
        'publicationId,bureauCode,period,supplement,unitId,unitName,industry,inspectedOn,outcome,team,violations,hazards,majorHazards,summary,withheld',
      );
      expect(lines).toHaveLength(4); // two in the first publication, one supplement
      expect(csv.body).toContain('依法不予公开（商业秘密）');
      expect(csv.body).not.toContain(SECRET);
      const json = JSON.parse((await get(`/open/results.json?bureau=${BINHAI}`)).body) as { rows: unknown[] };
      expect(json.rows).toHaveLength(3);
      const black = await get(`/open/blacklist.csv?bureau=${BINHAI}`);
      expect(black.body).toContain('津信〔2026〕12号');
      expect(black.body).toContain('2025-06-01');
      const pubs = JSON.parse((await get('/open/publications.json?kind=blacklist')).body) as {
        rows: unknown[];
      };
      expect(pubs.rows).toHaveLength(3);
      const feed = await get(`/feed/${BINHAI}.atom`);
      expect(feed.type).toContain('application/atom+xml');
      expect(feed.body).toContain('<feed');
      expect(feed.body).toContain('2026-Q3 随机抽查结果');
      expect(feed.body).toContain(`?bureau=${BINHAI}`);
      expect((await get('/feed/999999.atom')).status).toBe(404);
      expect(await get('/open/results.csv?bureau=12')).toMatchObject({
        status: 400,
        body: expect.stringMatching(/^bureau:/),
      });
      expect(await get('/open/results.csv?period=2026Q3')).toMatchObject({
        status: 400,
        body: expect.stringMatching(/^period:/),
      });
      expect((await get('/open/nothing.csv')).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('a result whose unit is withheld cannot be matched back to its draw (R16)', () => {
  it('withholds the whole inspection and lists it last, while the draw stays published as it was', async () => {
    expect(taskIds.length).toBeGreaterThanOrEqual(6);
    const rows = (await w.admin.caller.tasks.list({ planId: plan.planId })).rows;
    const hidden = rows.find((r) => r.task.id === taskIds[4])!.task;
    const shown = rows.find((r) => r.task.id === taskIds[5])!.task;
    const [drawPub] = await t.database.db
      .select()
      .from(publications)
      .where(eq(publications.refId, plan.drawId));
    const drawBefore = { id: drawPub!.id, digest: drawPub!.digest };
    const drawRow = plan.selected.find((s) => s.unit === hidden.unitId)!;
    const c = await adminAt('2026-11-26T10:00:00+08:00');
    await c.results.record({
      taskId: hidden.id,
      outcome: 'violations',
      inspectedOn: '2026-11-20',
      summary: '军品车间检查',
      findings: [{ kind: 'hazard', description: '报警装置失效', checklistItemCode: 'TJ-GEN-001' }],
      redactions: [{ field: 'unit', reason: 'state-secret' }],
    });
    await c.results.record({ taskId: shown.id, outcome: 'compliant', inspectedOn: '2026-11-25' });
    // Published by hand after the quarter (a fresh session: the fixture's has expired by then).
    const january = () => at('2027-01-05T10:00:00+08:00');
    const publisher = await signedInUser(t.database, 'pub-q4', BINHAI, ['district-admin'], { now: january });
    const done = await (
      await callerWithToken(t.database, publisher.token, january)
    ).publications.publishQuarterlyResults({ bureauCode: BINHAI, period: '2026-Q4' });
    expect(done.kind).toBe('quarterly-results');
    // The header only: a city quarter's content is read from its file or publications.get.
    expect(done).not.toHaveProperty('content');

    const anon = await anonymousCaller(t.database);
    const pub = await anon.publications.get({ id: done.id });
    const items = (pub.content as { items: Record<string, unknown>[] }).items;
    // Named rows by date (taskIds[2] was inspected 10-16), the withheld one last.
    expect(items.map((i) => i.inspectedOn)).toEqual([
      '2026-10-16',
      '2026-11-25',
      expect.objectContaining({ withheld: true }),
    ]);
    const last = items.at(-1)!;
    for (const field of ['unit', 'inspectedOn', 'outcome', 'team', 'summary', 'findings'])
      expect(last[field], field).toEqual({
        withheld: true,
        reason: 'state-secret',
        reasonText: '国家秘密',
        text: '依法不予公开',
      });
    expect(last.counts).toBeNull();
    // Nothing in the withheld row equals anything the draw published about that unit.
    const lastText = JSON.stringify(last);
    const [unitRow] = await t.database.db.select().from(units).where(eq(units.id, hidden.unitId));
    // Values are searched as JSON strings (quotes included): 滨海测试单位3 is a prefix of 滨海测试单位33.
    for (const v of [hidden.unitId, unitRow!.name, '2026-11-20', 'violations', ...drawRow.team])
      expect(lastText).not.toContain(JSON.stringify(v));
    const { teamMembers } = await w.admin.caller.tasks.get({ id: hidden.id });
    expect(teamMembers.length).toBeGreaterThanOrEqual(2);
    for (const m of teamMembers) expect(lastText).not.toContain(String(m.certificateNo));
    // The unit is named nowhere in the quarter's publication.
    expect(JSON.stringify(pub.content)).not.toContain(hidden.unitId);
    expect(JSON.stringify(pub.content)).not.toContain(JSON.stringify(unitRow!.name));
    expect(JSON.stringify(pub.content)).not.toContain('军品车间');
    // The draw is not retracted or changed: anyone can still recompute it, unit included.
    const drawNow = await anon.publications.get({ id: drawBefore.id });
    expect(drawNow.digest).toBe(drawBefore.digest);
    expect(JSON.stringify(drawNow.content)).toContain(hidden.unitId);
    // Open data: the row reads withheld in every field, no counts.
    const csvRows = (await openDataRows(t.database.db, 'results', {
      bureauCode: BINHAI,
      period: '2026-Q4',
    }))!;
    expect(csvRows).toHaveLength(3);
    expect(csvRows.at(-1)).toMatchObject({
      unitId: '依法不予公开（国家秘密）',
      unitName: '依法不予公开（国家秘密）',
      industry: '',
      inspectedOn: '依法不予公开（国家秘密）',
      outcome: '依法不予公开（国家秘密）',
      team: '依法不予公开（国家秘密）',
      violations: null,
      hazards: null,
      majorHazards: null,
    });
    // Staff still see the record as recorded.
    const internal = (await w.admin.caller.results.list({ taskId: hidden.id })).rows;
    expect(internal[0]!.result).toMatchObject({ outcome: 'violations', inspectedOn: '2026-11-20' });
  });
});

describe('a publication too large for one response (issue 16)', () => {
  it('is refused by publications.get and the token API, naming its file, which serves it', async () => {
    // 6.4 MB of hex digits: LZ compression leaves them about as large as they are.
    const [big] = (
      await t.database.exec(
        `insert into publications (bureau_code, kind, ref_id, period, title, content, digest)
         select $1, 'plan', 'large-plan', '2027', '大型公示',
           jsonb_build_object('blob', string_agg(md5(i::text || random()::text), '')), repeat('0', 64)
         from generate_series(1, 200000) i
         returning id, pg_column_size(content) as stored`,
        [BINHAI],
      )
    ).rows as [{ id: string; stored: number }];
    expect(big.stored).toBeGreaterThan(4 * 1024 * 1024);
    const anon = await anonymousCaller(t.database);
    const err = await anon.publications.get({ id: big.id }).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect((err as Error).message).toContain(`/open/publication/${big.id}.json`);
    const reader = await w.admin.caller.apiTokens.create({
      name: '大文件读取',
      bureauCode: BINHAI,
      scopes: ['publications:read'],
    });
    const token = await anonymousCaller(t.database, { bearerToken: reader.token });
    expect(await codeOf(token.external.publication({ id: big.id }))).toBe('PAYLOAD_TOO_LARGE');
    // The log's public entries name it without its content: the file is where it is read.
    const [{ seq }] = (
      await t.owner.exec(
        `insert into log_leaves (seq, publication_id, leaf, leaf_hash)
         select coalesce(max(seq) + 1, 0), $1, '{}', repeat('0', 64) from log_leaves returning seq::int AS seq`,
        [big.id],
      )
    ).rows as [{ seq: number }];
    const [entry] = (await anon.transparency.entries({ from: seq, limit: 1 })).entries;
    expect(entry!.publication).toMatchObject({
      id: big.id,
      content: null,
      contentFile: `/open/publication/${big.id}.json`,
    });
    // The file has it, whole.
    const server = await startServer({ database: t.database, port: 0, staticMounts: [] });
    try {
      const res = await fetch(`${server.url}/open/publication/${big.id}.json`);
      expect(res.status).toBe(200);
      const file = (await res.json()) as { id: string; content: { blob: string } };
      expect(file.id).toBe(big.id);
      expect(file.content.blob).toHaveLength(200000 * 32);
    } finally {
      await server.close();
    }
    // A publication of an ordinary size still comes whole through publications.get.
    const [small] = await publicationsOf('2026-Q3');
    expect((await anon.publications.get({ id: small!.id })).content).toEqual(small!.content);
  });
});

describe('open data beside publications too large to read (issue 16)', () => {
  it('lists them from their headers, skips their contents, and reads none of them', async () => {
    // A server for each part: publishing 24 MB takes longer than a kept-alive connection lasts.
    const served = async <T>(
      fn: (get: (path: string) => ReturnType<typeof toastReadsOf<string>>) => Promise<T>,
    ) => {
      const server = await startServer({ database: t.database, port: 0, staticMounts: [] });
      try {
        return await fn((path) => toastReadsOf(t, async () => (await fetch(server.url + path)).text()));
      } finally {
        await server.close();
      }
    };
    // What reading the members of the bureau's results and blacklist costs before.
    const before = await served(async (get) => ({
      results: await get(`/open/results.csv?bureau=${BINHAI}`),
      blacklist: await get(`/open/blacklist.csv?bureau=${BINHAI}`),
    }));
    // The version of the bureau's quarterly publications (their headers), then the build.
    expect(before.results.statements).toBe(2);

    // 8 MB of hex digits in each: compression leaves them about as large as they are.
    const blob = () => randomBytes(4 * 1024 * 1024).toString('hex');
    const base = { bureauCode: BINHAI, by: null, at: at('2027-01-05T02:00:00Z') };
    const draw = await publish(t.database.db, {
      ...base,
      kind: 'draw',
      refId: 'large-draw',
      period: '2027',
      title: '大型抽取结果',
      content: { blob: blob() },
    });
    const results = await publish(t.database.db, {
      ...base,
      kind: 'quarterly-results',
      refId: 'large-results',
      period: '2027-Q1',
      title: '2027-Q1 大型随机抽查结果',
      content: {
        supplement: false,
        items: [{ unit: { id: '91120116MA00LARGE1', name: '过大结果单位' }, summary: blob() }],
      },
    });
    const blacklist = await publish(t.database.db, {
      ...base,
      kind: 'blacklist',
      refId: 'large-blacklist',
      title: '大型黑名单公示',
      content: { unit: { id: '91120116MA00LARGE2', name: '过大黑名单单位' }, basis: blob() },
    });
    const ids = [draw.id, results.id, blacklist.id];
    const { rows: stored } = await t.database.exec(
      'SELECT pg_column_size(content)::int AS n FROM publications WHERE id = ANY($1)',
      [ids],
    );
    expect(stored).toHaveLength(3);
    for (const { n } of stored as { n: number }[]) expect(n).toBeGreaterThan(4 * 1024 * 1024);
    // The measure sees a content read: the draw's, whole, is a thousand blocks.
    const whole = await toastReadsOf(t, () =>
      t.database.db.select().from(publications).where(eq(publications.id, draw.id)),
    );
    expect(whole.blocks).toBeGreaterThan(500);

    await served(async (get) => {
      // The feed and the publications dataset list all three, from their headers alone.
      const feed = await get(`/feed/${BINHAI}.atom`);
      expect(feed.value).toContain('大型抽取结果');
      expect(feed.value).toContain(`urn:uuid:${draw.id}`);
      expect(feed).toMatchObject({ blocks: 0, statements: 1 });
      const listed = await get(`/open/publications.csv?bureau=${BINHAI}`);
      for (const id of ids) expect(listed.value).toContain(id);
      expect(listed).toMatchObject({ blocks: 0, statements: 1 });

      // Published results are listed whatever their size (a city's quarter is large, and it is
      // the dataset's whole point); the blacklist reads members of contents within the read limit
      // only (an entry is one unit's: a larger one is skipped, at no read beyond the others').
      // (Booleans first: a failure would print 8 MB.)
      const results = await get(`/open/results.csv?bureau=${BINHAI}`);
      expect(results.value.includes('过大结果单位'), 'the large results listed').toBe(true);
      expect(results.value.startsWith(before.results.value.split('\n')[0]!)).toBe(true);
      // Read once for this version of the bureau's quarters: asked again, only their headers.
      const again = await get(`/open/results.csv?bureau=${BINHAI}`);
      expect(again).toMatchObject({ blocks: 0, statements: 1 });
      expect(again.value === results.value, 'the same download').toBe(true);
      const blacklist = await get(`/open/blacklist.csv?bureau=${BINHAI}`);
      expect(blacklist.blocks).toBe(before.blacklist.blocks);
      expect(blacklist.value.includes('过大黑名单单位'), 'the large blacklist listed').toBe(false);
      expect(blacklist.value).toBe(before.blacklist.value);
    });
  });
});
