/**
 * Credit codes, officer ids and certificate numbers are national, but units and officers are
 * keyed (bureau_code, id) so that they can be distributed by bureau (SCALING.md, migration 0021):
 * no key stops two districts from holding the same one, so every write that adds one checks it
 * across bureaus under a lock. Here each write path is tried with another district's key: the
 * forms, the import (staged and merged in SQL, a chunk at a time) and the roster sync; two
 * districts racing for one credit code; and a unit moved by a roster sync, whose facts and
 * obligations follow it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSpreadsheet } from '@spotcheck/api';
import { lockKeys, lockRoster } from '@spotcheck/api/testing';
import { units } from '@spotcheck/db';
import { BINHAI, CITY, HEPING, openTestDb, signedInUser, type SignedIn, type TestDb } from './harness';
import { unitIdAt } from './fixtures';

let t: TestDb;
let binhai: SignedIn;
let heping: SignedIn;
let city: SignedIn;
beforeAll(async () => {
  t = await openTestDb();
  binhai = await signedInUser(t.database, 'nk-binhai', BINHAI, ['district-admin']);
  heping = await signedInUser(t.database, 'nk-heping', HEPING, ['district-admin']);
  city = await signedInUser(t.database, 'nk-city', CITY, ['city-admin']);
});
afterAll(async () => {
  await t?.close();
});

const sql = async (q: string, params: unknown[] = []) => (await t.database.exec(q, params)).rows;
/** A refusal's code and reason (`data.reason` over HTTP). */
async function refusal(p: Promise<unknown>) {
  const err = (await p.then(
    () => null,
    (e: unknown) => e,
  )) as { code?: string; reason?: unknown } | null;
  return err && { code: err.code, reason: err.reason };
}
const unit = (id: string, bureauCode: string, name = '测试单位') => ({
  id,
  name,
  nature: 'private',
  industry: 'machinery',
  scale: 'small' as const,
  employees: 10,
  bureauCode,
  riskGrade: 'low' as const,
  creditGrade: 'B' as const,
});
const officer = (id: string, certificateNo: string, bureauCode: string) => ({
  id,
  certificateNo,
  name: '检查员',
  bureauCode,
  department: '执法支队',
});
const UNIT_HEADER = 'id,name,nature,industry,scale,employees,bureauCode,riskGrade,creditGrade';
const unitLine = (id: string, bureau: string, name = '导入单位') =>
  `${id},${name},private,machinery,small,10,${bureau},low,B`;
const OFFICER_HEADER = 'id,certificateNo,name,bureauCode,department';
const officerLine = (id: string, cert: string, bureau: string) => `${id},${cert},检查员,${bureau},执法支队`;
const csv = (...lines: string[]) => Buffer.from(lines.join('\n'), 'utf8');
const importAs = (who: SignedIn, reach: string[], kind: 'units' | 'inspectors', file: Buffer) =>
  importSpreadsheet(t.database.db, file, {
    kind,
    format: 'csv',
    actor: { userId: who.user.id, role: 'district-admin' },
    reach: (b) => reach.includes(b),
    now: new Date(),
    chunkRows: 2,
  });
const count = async (table: string, where = 'true', params: unknown[] = []) =>
  Number((await sql(`select count(*)::int as n from ${table} where ${where}`, params))[0]!.n);

describe('a credit code is national', () => {
  const held = unitIdAt(1, BINHAI);
  beforeAll(async () => {
    await binhai.caller.units.create(unit(held, BINHAI, '滨海甲厂'));
  });

  it('units.create refuses another district’s credit code, naming the field and the bureau', async () => {
    expect(await refusal(heping.caller.units.create(unit(held, HEPING)))).toEqual({
      code: 'CONFLICT',
      reason: { code: 'unit.idTaken', field: 'id', params: { id: held, bureauCode: BINHAI } },
    });
    // The same district's code is refused the same way (before the key would).
    expect(await refusal(binhai.caller.units.create(unit(held, BINHAI)))).toMatchObject({
      reason: { code: 'unit.idTaken' },
    });
    expect(await sql(`select bureau_code, name from units where id = $1`, [held])).toEqual([
      { bureau_code: BINHAI, name: '滨海甲厂' },
    ]);
  });

  it('the import refuses it with the row, whichever chunk it is in, and writes nothing', async () => {
    const before = await count('units');
    // Chunks of two rows: the first chunk merges, the second holds the Binhai code.
    const report = await importAs(
      heping,
      [HEPING],
      'units',
      csv(
        UNIT_HEADER,
        unitLine(unitIdAt(11, HEPING), HEPING),
        unitLine(unitIdAt(12, HEPING), HEPING),
        unitLine(unitIdAt(13, HEPING), HEPING),
        unitLine(held, HEPING),
      ),
    );
    expect(report).toMatchObject({ ok: false, imported: 0, problemCount: 1 });
    expect(report.problems).toEqual([
      expect.objectContaining({ row: 5, column: 'id', code: 'already-on-roster', params: { value: held } }),
    ]);
    expect(await count('units')).toBe(before);
  });

  it('the import refuses one code given to two districts in one file (one chunk), naming both rows', async () => {
    const twice = unitIdAt(21, HEPING);
    const report = await importAs(
      city,
      [CITY, BINHAI, HEPING],
      'units',
      csv(UNIT_HEADER, unitLine(twice, HEPING), unitLine(twice, BINHAI)),
    );
    expect(report).toMatchObject({ ok: false, imported: 0 });
    expect(report.problems).toEqual([
      expect.objectContaining({ row: 3, code: 'duplicate-in-file', params: { value: twice, row: 2 } }),
    ]);
    expect(await count('units', 'id = $1', [twice])).toBe(0);
  });

  it('two districts racing for one code: one is added, the other refused', async () => {
    const raced = unitIdAt(31, BINHAI);
    const outcomes = await Promise.allSettled([
      binhai.caller.units.create(unit(raced, BINHAI)),
      heping.caller.units.create(unit(raced, HEPING)),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as { reason: { code: string } }).reason.code).toBe('unit.idTaken');
    expect(await count('units', 'id = $1', [raced])).toBe(1);
  });
});

describe('two districts racing for one credit code (PostgreSQL: two connections)', () => {
  /**
   * Another writer adds `id` to Heping and holds its transaction open (as a form or an import
   * would, under its lock) while Binhai's form adds the same code: Binhai waits for the lock and
   * then sees the row. Without the lock its check would read before the other commit, and both
   * rows would stay.
   */
  const race = async (
    lock: (tx: Parameters<Parameters<typeof t.database.db.transaction>[0]>[0]) => Promise<void>,
    id: string,
  ) => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const written = new Promise<void>((r) => (inserted = r));
    const other = t.database.db.transaction(async (tx) => {
      await lock(tx);
      await tx.insert(units).values(unit(id, HEPING));
      inserted();
      await held;
    });
    await written;
    const create = refusal(binhai.caller.units.create(unit(id, BINHAI)));
    await new Promise((r) => setTimeout(r, 300));
    release();
    await other;
    expect(await create).toMatchObject({
      reason: { code: 'unit.idTaken', params: { id, bureauCode: HEPING } },
    });
    expect(await sql(`select bureau_code from units where id = $1`, [id])).toEqual([{ bureau_code: HEPING }]);
  };

  it.runIf(process.env.SPOTCHECK_TEST_PG_URL)(
    'a form waits for another form’s lock on the code',
    async () => {
      const id = unitIdAt(51, HEPING);
      await race((tx) => lockKeys(tx, 'units', [{ kind: 'unit', value: id }]), id);
    },
  );

  it.runIf(process.env.SPOTCHECK_TEST_PG_URL)(
    'a form waits for an import’s (or a sync’s) lock on the roster',
    async () => {
      await race((tx) => lockRoster(tx, 'units'), unitIdAt(52, HEPING));
    },
  );
});

describe('an officer id and a certificate number are national', () => {
  beforeAll(async () => {
    await binhai.caller.inspectors.create(officer('I120116-0001', 'JZ-B-001', BINHAI));
    await heping.caller.inspectors.create(officer('I120101-0001', 'JZ-H-001', HEPING));
  });

  it('inspectors.create refuses another bureau’s certificate number, and another bureau’s officer id', async () => {
    expect(
      await refusal(heping.caller.inspectors.create(officer('I120101-0002', 'JZ-B-001', HEPING))),
    ).toEqual({
      code: 'CONFLICT',
      reason: {
        code: 'inspector.certificateTaken',
        field: 'certificateNo',
        params: { certificateNo: 'JZ-B-001', id: 'I120116-0001' },
      },
    });
    expect(
      await refusal(heping.caller.inspectors.create(officer('I120116-0001', 'JZ-H-002', HEPING))),
    ).toEqual({
      code: 'CONFLICT',
      reason: { code: 'inspector.idTaken', field: 'id', params: { id: 'I120116-0001', bureauCode: BINHAI } },
    });
    expect(await count('inspectors', 'bureau_code = $1', [HEPING])).toBe(1);
  });

  it('inspectors.update refuses another bureau’s certificate number, and keeps its own', async () => {
    expect(
      await refusal(
        heping.caller.inspectors.update({ id: 'I120101-0001', patch: { certificateNo: 'JZ-B-001' } }),
      ),
    ).toEqual({
      code: 'CONFLICT',
      reason: {
        code: 'inspector.certificateTaken',
        field: 'certificateNo',
        params: { certificateNo: 'JZ-B-001', id: 'I120116-0001' },
      },
    });
    // Its own number, sent back unchanged with another field, is no clash.
    const same = await heping.caller.inspectors.update({
      id: 'I120101-0001',
      patch: { certificateNo: 'JZ-H-001', department: '执法二支队' },
    });
    expect(same).toMatchObject({ certificateNo: 'JZ-H-001', department: '执法二支队' });
  });

  it('the import refuses another bureau’s certificate number and officer id, with their rows', async () => {
    const before = await count('inspectors');
    const report = await importAs(
      heping,
      [HEPING],
      'inspectors',
      csv(
        OFFICER_HEADER,
        officerLine('I120101-0011', 'JZ-H-011', HEPING),
        officerLine('I120101-0012', 'JZ-B-001', HEPING),
        officerLine('I120116-0001', 'JZ-H-013', HEPING),
      ),
    );
    expect(report).toMatchObject({ ok: false, imported: 0 });
    expect(report.problems).toEqual([
      expect.objectContaining({
        row: 3,
        column: 'certificateNo',
        code: 'certificate-held',
        params: { value: 'JZ-B-001', officer: 'I120116-0001' },
      }),
      expect.objectContaining({
        row: 4,
        column: 'id',
        code: 'already-on-roster',
        params: { value: 'I120116-0001' },
      }),
    ]);
    expect(await count('inspectors')).toBe(before);
  });

  it('the import refuses one certificate number on two rows of a chunk', async () => {
    const report = await importAs(
      city,
      [CITY, BINHAI, HEPING],
      'inspectors',
      csv(
        OFFICER_HEADER,
        officerLine('I120101-0021', 'JZ-X-021', HEPING),
        officerLine('I120116-0021', 'JZ-X-021', BINHAI),
      ),
    );
    expect(report.problems).toEqual([
      expect.objectContaining({
        row: 3,
        column: 'certificateNo',
        code: 'duplicate-in-file',
        params: { value: 'JZ-X-021', row: 2 },
      }),
    ]);
    expect(await count('inspectors', `certificate_no = 'JZ-X-021'`)).toBe(0);
  });

  it('the roster sync refuses another bureau’s certificate number', async () => {
    const file = {
      kind: 'inspectors' as const,
      format: 'csv' as const,
      base64: csv(OFFICER_HEADER, officerLine('I120101-0031', 'JZ-B-001', HEPING)).toString('base64'),
    };
    const p = await heping.caller.transfer.previewUpsert(file);
    expect(p.problems).toEqual([
      expect.objectContaining({
        row: 2,
        code: 'certificate-held',
        params: { value: 'JZ-B-001', officer: 'I120116-0001' },
      }),
    ]);
  });
});

describe('moving a unit to another district by roster sync', () => {
  it('moves the unit once (no second row), and its facts and obligations follow', async () => {
    const id = unitIdAt(41, BINHAI);
    await binhai.caller.units.create(unit(id, BINHAI, '迁移单位'));
    await sql(
      `insert into yearly_obligations (unit_id, year, bureau_code, min_per_year, fixed_by_plan_id, fixed_at)
       values ($1, 2027, $2, 1, gen_random_uuid(), now())`,
      [id, BINHAI],
    );
    const file = {
      kind: 'units' as const,
      format: 'csv' as const,
      base64: csv(UNIT_HEADER, unitLine(id, HEPING, '迁移单位')).toString('base64'),
    };
    const p = await city.caller.transfer.previewUpsert(file);
    expect(p.counts).toMatchObject({ adds: 0, changes: 1 });
    await city.caller.transfer.commitUpsert({ ...file, digest: p.digest });
    expect(await sql(`select bureau_code from units where id = $1`, [id])).toEqual([{ bureau_code: HEPING }]);
    expect(await sql(`select distinct bureau_code from unit_facts where unit_id = $1`, [id])).toEqual([
      { bureau_code: HEPING },
    ]);
    expect(await sql(`select bureau_code, year from yearly_obligations where unit_id = $1`, [id])).toEqual([
      { bureau_code: HEPING, year: 2027 },
    ]);
    // Back in Binhai, a form cannot add it again.
    expect(await refusal(binhai.caller.units.create(unit(id, BINHAI)))).toMatchObject({
      reason: { code: 'unit.idTaken', params: { id, bureauCode: HEPING } },
    });
  });
});
