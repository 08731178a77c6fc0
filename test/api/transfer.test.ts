import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '@spotcheck/server';
import { BINHAI, HEPING, openTestDb, signedInUser, type SignedIn, type TestDb } from './harness';
import { unitIdAt } from './fixtures';
import { importSpreadsheet, verifyAuditChain, type ImportOptions } from '@spotcheck/api';
import { units, unitFacts } from '@spotcheck/db';
import { eq } from 'drizzle-orm';
import { factChangeRows, todayInChina, XLSX_LIMITS } from '@spotcheck/api/testing';

// exceljs is a dependency of packages/api, not of the workspace root.
const ExcelJS = createRequire(resolve(__dirname, '../../packages/api/package.json'))(
  'exceljs',
) as typeof import('../../packages/api/node_modules/exceljs');

let t: TestDb;
let admin: SignedIn;
let server: RunningServer;
beforeAll(async () => {
  t = await openTestDb();
  admin = await signedInUser(t.database, 'xfer-admin', BINHAI, ['district-admin']);
  server = await startServer({ database: t.database, port: 0, staticMounts: [] });
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});

const HEADER =
  'id,name,nature,industry,scale,employees,bureauCode,riskGrade,creditGrade,majorHazard,lastInspectedOn';
function unitCsv(n: number, lastId?: string, from = 0, division = BINHAI): Buffer {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) {
    const id = i === n - 1 && lastId ? lastId : unitIdAt(from + i, division);
    lines.push(
      `${id},"单位${i}, 有限公司",private,machinery,small,${10 + (i % 50)},${BINHAI},low,B,${i % 10 === 0 ? '是' : '否'},2026-05-01`,
    );
  }
  return Buffer.from(lines.join('\n'), 'utf8');
}
const count = async (table: string) =>
  Number((await t.database.exec(`select count(*)::int as n from ${table}`)).rows[0]!.n);

describe('spreadsheet import and export', () => {
  it('imports nothing from a 5,000-row file whose last row is bad, and says where', async () => {
    const bad = unitIdAt(4999).slice(0, 17) + (unitIdAt(4999).endsWith('0') ? '1' : '0');
    const report = await admin.caller.transfer.import({
      kind: 'units',
      format: 'csv',
      base64: unitCsv(5000, bad).toString('base64'),
    });
    expect(report).toMatchObject({ ok: false, rows: 5000, imported: 0, problemCount: 1 });
    expect(report.problems[0]).toMatchObject({
      row: 5001,
      column: 'id',
      code: 'uscc-check',
      params: { expected: unitIdAt(4999).at(-1), actual: bad.at(-1) },
    });
    expect(report.problems[0]!.message).toMatch(/check character/);
    expect(await count('units')).toBe(0);
  });

  it('streams a large upload over HTTP with progress, then all rows are in', async () => {
    const res = await fetch(`${server.url}/upload/import/units?format=csv`, {
      method: 'POST',
      headers: { cookie: `spotcheck_session=${admin.token}`, 'content-type': 'text/csv' },
      body: new Uint8Array(unitCsv(5000)),
    });
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'progress' && l.phase === 'reading').map((l) => l.rows)).toContain(
      5000,
    );
    expect(lines.at(-1)).toMatchObject({ type: 'report', ok: true, imported: 5000 });
    expect(await count('units')).toBe(5000);
    expect(await count(`unit_facts where kind = 'major-hazard'`)).toBe(500);
    const anon = await fetch(`${server.url}/upload/import/units?format=csv`, { method: 'POST', body: 'x' });
    expect(anon.status).toBe(401);
  });

  it('stops a cancelled import and writes nothing: mid-upload, and at the last moment before the commit', async () => {
    const before = {
      units: await count('units'),
      facts: await count('unit_facts'),
      kept: await count('unit_counts'),
      audit: await count(`audit_events where action = 'import.units'`),
    };
    const unchanged = async () => ({
      units: await count('units'),
      facts: await count('unit_facts'),
      kept: await count('unit_counts'),
      audit: await count(`audit_events where action = 'import.units'`),
    });
    // Over HTTP: the uploader sends half the file, sees the server read it, and goes away.
    const file = unitCsv(4000, undefined, 20_000).toString('utf8');
    const half = file.slice(0, file.indexOf('\n', file.length / 2) + 1);
    const controller = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(half)); // and never the rest
      },
    });
    const res = await fetch(`${server.url}/upload/import/units?format=csv`, {
      method: 'POST',
      headers: { cookie: `spotcheck_session=${admin.token}`, 'content-type': 'text/csv' },
      body,
      duplex: 'half',
      signal: controller.signal,
    } as RequestInit);
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('"phase":"reading"')) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    await new Promise((r) => setTimeout(r, 300));
    expect(await unchanged()).toEqual(before);

    // In process: the rows are COPYed, then the uploader goes just before the commit; the
    // transaction rolls back with the reason, and the roster, its counts and the audit trail stay.
    const last = new AbortController();
    const err = await importSpreadsheet(t.database.db, unitCsv(300, undefined, 10_000), {
      kind: 'units',
      format: 'csv',
      actor: { userId: admin.user.id, role: 'district-admin' },
      reach: (b) => b === BINHAI,
      now: new Date(),
      onProgress: (p) => {
        if (p.phase === 'writing' && p.rows > 0) last.abort();
      },
      signal: last.signal,
    }).catch((e: unknown) => e as Error & { reason?: { code: string } });
    expect(last.signal.aborted).toBe(true);
    expect((err as { reason?: { code: string } }).reason?.code).toBe('import.cancelled');
    expect(await unchanged()).toEqual(before);
  });

  it('stores through COPY exactly what the form stores: every column, the fact history, one audited event', async () => {
    const fields = {
      name: '复制测试单位',
      nature: 'private',
      industry: 'hazardous-chemicals',
      scale: 'medium',
      employees: 120,
      bureauCode: BINHAI,
      riskGrade: 'high',
      creditGrade: 'C',
      majorHazard: true,
      lastFatalAccidentOn: '2026-03-02',
      lastInspectedOn: '2026-05-01',
    } as const;
    const viaForm = unitIdAt(7000);
    const viaFile = unitIdAt(7001);
    await admin.caller.units.create({ id: viaForm, ...fields });
    const csv = [
      'id,name,nature,industry,scale,employees,bureauCode,riskGrade,creditGrade,majorHazard,lastFatalAccidentOn,lastInspectedOn',
      `${viaFile},${fields.name},private,hazardous-chemicals,medium,120,${BINHAI},high,C,是,2026-03-02,2026-05-01`,
    ].join('\n');
    const before = Number((await t.database.exec('select count(*)::int as n from audit_events')).rows[0]!.n);
    const report = await admin.caller.transfer.import({
      kind: 'units',
      format: 'csv',
      base64: Buffer.from(csv).toString('base64'),
    });
    expect(report).toMatchObject({ ok: true, imported: 1 });
    const row = async (id: string) => {
      const {
        id: _id,
        createdAt: _c,
        updatedAt: _u,
        verifiedAt,
        ...rest
      } = await admin.caller.units.get({ id });
      expect(verifiedAt).not.toBeNull();
      return rest;
    };
    const form = await row(viaForm);
    const file = await row(viaFile);
    const facts = (f: typeof form.facts) =>
      f
        .map(({ id: _i, unitId: _u, recordedAt: _r, source: _s, ...x }) => x)
        .sort((a, b) => a.kind.localeCompare(b.kind));
    expect(facts(file.facts)).toEqual(facts(form.facts));
    expect(facts(file.facts).map((f) => f.kind)).toEqual(
      expect.arrayContaining(['fatal-accident', 'major-hazard', 'risk-grade', 'credit-grade']),
    );
    expect(file.facts.every((f) => f.source === 'import:csv')).toBe(true);
    expect({ ...file, facts: [] }).toEqual({ ...form, facts: [] });
    // One event for the file, on a chain that still verifies.
    const events = (await t.database.exec('select action, after from audit_events order by seq')).rows.slice(
      before,
    );
    expect(events.map((e) => e.action)).toEqual(['import.units']);
    expect(events[0]!.after).toMatchObject({ rows: 1, format: 'csv', keys: [viaFile] });
    expect(await verifyAuditChain(t.database.db)).toMatchObject({ ok: true });
  });

  it('reports every bad cell, duplicates and rows outside the bureau', async () => {
    const csv = [
      HEADER,
      `${unitIdAt(6000)},甲,private,machinery,tiny,10,${BINHAI},low,B,否,2026-13-01`,
      `${unitIdAt(6001)},乙,private,machinery,small,10,${HEPING},low,B,否,`,
      `${unitIdAt(6002)},丙,private,machinery,small,10,${BINHAI},low,B,maybe,`,
      `${unitIdAt(6002)},丁,private,machinery,small,10,${BINHAI},low,B,否,`,
      `${unitIdAt(1)},戊,private,machinery,small,10,${BINHAI},low,B,否,`,
    ].join('\r\n');
    const report = await admin.caller.transfer.import({
      kind: 'units',
      format: 'csv',
      base64: Buffer.from(csv).toString('base64'),
    });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'scale'],
      [2, 'lastInspectedOn'],
      [3, 'bureauCode'],
      [4, 'majorHazard'],
      [5, 'id'],
      [6, 'id'],
    ]);
    expect(report.problems[4]!.message).toMatch(/already appears in row 4/);
    expect(report.problems[5]!.message).toMatch(/already on the roster/);
    expect(report.problems.map((p) => p.code)).toEqual([
      'not-allowed',
      'not-date',
      'outside-reach',
      'not-boolean',
      'duplicate-in-file',
      'already-on-roster',
    ]);
    expect(report.problems[4]!.params).toMatchObject({ row: 4 });
    expect(await count('units')).toBe(5002);
  });

  it('round-trips XLSX: template columns in, export out', async () => {
    const tpl = await admin.caller.transfer.template({ kind: 'inspectors', format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(tpl.base64, 'base64') as never);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as string[]).slice(1);
    expect(header[0]).toBe('执法人员编号(id)');
    const rowFor = (i: number) =>
      header.map(
        (h) =>
          ({
            id: `I120116-9${i}`,
            certificateNo: `C-${i}`,
            name: `张${i}`,
            bureauCode: BINHAI,
            department: '执法支队',
            specialties: 'machinery;trade',
            capacityPerQuarter: 10,
          })[/\((\w+)\)/.exec(h)![1]! as 'id'] ?? '',
      );
    for (let i = 0; i < 3; i++) ws.addRow(rowFor(i));
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const report = await admin.caller.transfer.import({
      kind: 'inspectors',
      format: 'xlsx',
      base64: file.toString('base64'),
    });
    expect(report).toMatchObject({ ok: true, imported: 3 });
    const list = await admin.caller.inspectors.list();
    expect(list.map((i) => [i.id, i.specialties])).toEqual(
      [0, 1, 2].map((i) => [`I120116-9${i}`, ['machinery', 'trade']]),
    );
    const out = await admin.caller.transfer.export({ kind: 'inspectors', format: 'xlsx' });
    const again = await admin.caller.transfer.import({
      kind: 'inspectors',
      format: 'xlsx',
      base64: out.base64,
    });
    expect(again.problems.map((p) => p.row)).toEqual([2, 3, 4]);
    const csv = await admin.caller.transfer.export({ kind: 'units', format: 'csv' });
    expect(Buffer.from(csv.base64, 'base64').toString('utf8').split('\r\n').length).toBe(5004); // header, 5,002 units, final newline
  });
});

describe('units import: staged, checked and merged in SQL a chunk at a time', () => {
  // Chunks of 100 rows: a 1,000-row file is merged in ten steps, so a problem late in the file
  // is found after earlier chunks were already written inside the import's transaction.
  const importUnits = (csv: Buffer, extra: Partial<Pick<ImportOptions, 'maxProblems' | 'limits'>> = {}) =>
    importSpreadsheet(t.database.db, csv, {
      kind: 'units',
      format: 'csv',
      actor: { userId: admin.user.id, role: 'district-admin' },
      reach: (b) => b === BINHAI,
      now: new Date(),
      chunkRows: 100,
      ...extra,
    });
  // Ids of a division no other test uses (fixture ids wrap after 29,791).
  const FRESH = '120118';
  const idAt = (n: number) => unitIdAt(n, FRESH);
  const state = async () => ({
    units: await count('units'),
    facts: await count('unit_facts'),
    kept: await count('unit_counts'),
    audit: await count(`audit_events where action = 'import.units'`),
  });

  it('writes nothing when an id repeats late in the file, after earlier chunks were merged', async () => {
    const before = await state();
    const report = await importUnits(unitCsv(1000, idAt(2), 0, FRESH));
    expect(report).toMatchObject({ ok: false, rows: 1000, imported: 0, problemCount: 1 });
    expect(report.problems).toEqual([
      expect.objectContaining({
        row: 1001,
        column: 'id',
        code: 'duplicate-in-file',
        params: { value: idAt(2), row: 4 },
      }),
    ]);
    expect(report.problems[0]!.message).toMatch(/already appears in row 4/);
    expect(await state()).toEqual(before);
  });

  it('writes nothing when an id of the file is on the roster of another bureau', async () => {
    const elsewhere = idAt(1500);
    await t.database.db.insert(units).values({
      id: elsewhere,
      name: '和平区的单位',
      nature: 'private',
      industry: 'machinery',
      scale: 'small',
      employees: 5,
      bureauCode: HEPING,
      riskGrade: 'low',
      creditGrade: 'B',
    });
    const before = await state();
    const report = await importUnits(unitCsv(1000, undefined, 1000, FRESH));
    expect(report).toMatchObject({ ok: false, imported: 0, problemCount: 1 });
    expect(report.problems).toEqual([
      expect.objectContaining({
        row: 502,
        column: 'id',
        code: 'already-on-roster',
        params: { value: elsewhere },
      }),
    ]);
    expect(await state()).toEqual(before);
    const [kept] = await t.database.db.select().from(units).where(eq(units.id, elsewhere));
    expect(kept).toMatchObject({ bureauCode: HEPING, name: '和平区的单位' });
  });

  it('writes nothing when a bad cell comes late in a chunked file', async () => {
    const before = await state();
    const report = await importUnits(unitCsv(1000, 'not-a-credit-code', 3000, FRESH));
    expect(report).toMatchObject({ ok: false, imported: 0, problemCount: 1 });
    expect(report.problems[0]).toMatchObject({ row: 1001, column: 'id' });
    expect(await state()).toEqual(before);
  });

  it('holds a file to the limits it is given: more rows than allowed is refused, naming the limit, with nothing written', async () => {
    const csv = unitCsv(300, undefined, 6000, FRESH);
    const before = await state();
    await expect(importUnits(csv, { limits: { ...XLSX_LIMITS, maxRows: 250 } })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      reason: { code: 'file.tooManyRows', field: 'file', params: { max: 250 } },
    });
    expect(await state()).toEqual(before);
  });

  it('lists duplicates up to the limit and counts them all', async () => {
    const lines = unitCsv(300, undefined, 4000, FRESH).toString('utf8').split('\n');
    // Rows 302–306 repeat the ids of rows 2–6.
    const csv = Buffer.from([...lines, ...lines.slice(1, 6)].join('\n'));
    const before = await state();
    const report = await importUnits(csv, { maxProblems: 2 });
    expect(report).toMatchObject({ ok: false, rows: 305, imported: 0, problemCount: 5 });
    expect(report.problems.map((p) => [p.row, p.code, p.params?.row])).toEqual([
      [302, 'duplicate-in-file', 2],
      [303, 'duplicate-in-file', 3],
    ]);
    expect(await state()).toEqual(before);
  });

  it('writes the fact history of a new unit as the form does: every grade, every flag set, the last fatal accident', async () => {
    const id = idAt(5000);
    const csv = [
      'id,name,nature,industry,scale,employees,bureauCode,riskGrade,creditGrade,lastFatalAccidentOn,' +
        'majorHazard,trialProduction,resuming,blacklisted,jointPunishment,keyUnit,crowdedPlace',
      `${id},全标志单位,private,machinery,small,10,${BINHAI},major,D,2025-07-08,是,是,是,是,是,是,是`,
    ].join('\n');
    const now = new Date();
    const report = await importSpreadsheet(t.database.db, Buffer.from(csv), {
      kind: 'units',
      format: 'csv',
      actor: { userId: admin.user.id, role: 'district-admin' },
      reach: (b) => b === BINHAI,
      now,
    });
    expect(report).toMatchObject({ ok: true, imported: 1 });
    const [unit] = await t.database.db.select().from(units).where(eq(units.id, id));
    const expected = factChangeRows(null, unit!, {
      source: 'import:csv',
      userId: admin.user.id,
      today: todayInChina(now),
    });
    const written = await t.database.db
      .select()
      .from(unitFacts)
      .where(eq(unitFacts.unitId, id))
      .orderBy(unitFacts.id);
    expect(written.map(({ id: _i, recordedAt, endedOn, ...f }) => ({ ...f, recordedAt, endedOn }))).toEqual(
      expected.map((f) => ({ ...f, recordedAt: now, endedOn: null })),
    );
    expect(written.map((f) => f.kind)).toEqual([
      'risk-grade',
      'credit-grade',
      'major-hazard',
      'trial-production',
      'resumption',
      'blacklist',
      'joint-punishment',
      'key-unit',
      'fatal-accident',
    ]);
  });
});
