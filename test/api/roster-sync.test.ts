/**
 * Roster re-sync (#14): a unit or officer file is previewed as adds, field-by-field changes and
 * closures, then committed all or nothing; officers are edited in place; API tokens are issued
 * with their secret shown once and revoked. All scoped to the bureau and audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { anonymousCaller } from './harness';
import { unitIdAt } from './fixtures';
import { unitFacts } from '@spotcheck/db';

let t: TestDb;
let admin: SignedIn;
let heping: SignedIn;
let city: SignedIn;
let operator: SignedIn;
beforeAll(async () => {
  t = await openTestDb();
  admin = await signedInUser(t.database, 'sync-admin', BINHAI, ['district-admin']);
  heping = await signedInUser(t.database, 'sync-heping', HEPING, ['district-admin']);
  city = await signedInUser(t.database, 'sync-city', CITY, ['city-admin']);
  operator = await signedInUser(t.database, 'sync-operator', BINHAI, ['draw-operator']);
});
afterAll(async () => {
  await t?.close();
});

const sql = async (q: string) => (await t.database.exec(q)).rows;
const HEADER = 'id,name,nature,industry,scale,employees,bureauCode,riskGrade,creditGrade,majorHazard';
const line = (
  i: number,
  name: string,
  over: Partial<Record<'industry' | 'risk' | 'hazard' | 'b', string>> = {},
) =>
  `${unitIdAt(i, over.b ?? BINHAI)},${name},private,${over.industry ?? 'machinery'},small,10,${over.b ?? BINHAI},${over.risk ?? 'low'},B,${over.hazard ?? '否'}`;
const b64 = (...lines: string[]) => Buffer.from([HEADER, ...lines].join('\n')).toString('base64');
const unitFile = (...lines: string[]) => ({
  kind: 'units' as const,
  format: 'csv' as const,
  base64: b64(...lines),
});

describe('roster import as upsert', () => {
  it('starts from a roster of four Binhai units', async () => {
    const r = await admin.caller.transfer.import(
      unitFile(line(1, '甲厂'), line(2, '乙厂'), line(3, '丙厂'), line(4, '丁厂')),
    );
    expect(r).toMatchObject({ ok: true, imported: 4 });
  });

  it('previews adds, field-by-field changes and closures, and writes nothing', async () => {
    const file = unitFile(
      line(1, '甲厂'), // unchanged
      line(2, '乙厂（更名）', { industry: '危险化学品', risk: '较大', hazard: '是' }), // three fields change
      line(3, '丙厂'),
      line(5, '戊厂'), // new
    ); // 丁厂 (4) is missing from the full roster
    const p = await admin.caller.transfer.previewUpsert({ ...file, fullRosterOf: BINHAI });
    expect(p.ok).toBe(true);
    expect(p.counts).toEqual({ adds: 1, changes: 1, unchanged: 2, closures: 1 });
    expect(p.adds).toEqual([{ row: 5, key: unitIdAt(5), name: '戊厂', bureauCode: BINHAI }]);
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]).toMatchObject({ row: 3, key: unitIdAt(2) });
    expect(p.changes[0]!.fields).toEqual([
      { field: 'name', label: '单位名称', before: '乙厂', after: '乙厂（更名）' },
      { field: 'industry', label: '行业', before: 'machinery', after: 'hazardous-chemicals' },
      { field: 'riskGrade', label: '风险等级', before: 'low', after: 'high' },
      { field: 'majorHazard', label: '重大事故隐患', before: false, after: true },
    ]);
    expect(p.closures).toEqual([{ key: unitIdAt(4), name: '丁厂', bureauCode: BINHAI }]);
    expect(p.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(await sql(`select count(*)::int n from units`)).toEqual([{ n: 4 }]);
    expect(await sql(`select name from units where id = '${unitIdAt(2)}'`)).toEqual([{ name: '乙厂' }]);

    // Without fullRosterOf, missing units stay as they are.
    const partial = await admin.caller.transfer.previewUpsert(file);
    expect(partial.counts.closures).toBe(0);
  });

  it('commits exactly the previewed changes, with fact history and one audit event', async () => {
    const file = unitFile(
      line(1, '甲厂'),
      line(2, '乙厂（更名）', { industry: '危险化学品', risk: '较大', hazard: '是' }),
      line(3, '丙厂'),
      line(5, '戊厂'),
    );
    const p = await admin.caller.transfer.previewUpsert({ ...file, fullRosterOf: BINHAI });
    const c = await admin.caller.transfer.commitUpsert({ ...file, fullRosterOf: BINHAI, digest: p.digest });
    expect(c).toMatchObject({ ok: true, committed: true, counts: p.counts });
    expect(
      await sql(`select id, name, industry, risk_grade, major_hazard, status from units order by id`),
    ).toEqual(
      [
        {
          id: unitIdAt(1),
          name: '甲厂',
          industry: 'machinery',
          risk_grade: 'low',
          major_hazard: false,
          status: 'active',
        },
        {
          id: unitIdAt(2),
          name: '乙厂（更名）',
          industry: 'hazardous-chemicals',
          risk_grade: 'high',
          major_hazard: true,
          status: 'active',
        },
        {
          id: unitIdAt(3),
          name: '丙厂',
          industry: 'machinery',
          risk_grade: 'low',
          major_hazard: false,
          status: 'active',
        },
        {
          id: unitIdAt(4),
          name: '丁厂',
          industry: 'machinery',
          risk_grade: 'low',
          major_hazard: false,
          status: 'closed',
        },
        {
          id: unitIdAt(5),
          name: '戊厂',
          industry: 'machinery',
          risk_grade: 'low',
          major_hazard: false,
          status: 'active',
        },
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    // Each changed fact is a dated record of the upsert, beside the initial ones of the first import.
    const facts = await sql(
      `select kind, value from unit_facts where unit_id = '${unitIdAt(2)}' and source = 'import:csv' order by id`,
    );
    expect(facts.slice(-2)).toEqual([
      { kind: 'risk-grade', value: { grade: 'high' } },
      { kind: 'major-hazard', value: { active: true } },
    ]);
    const [audit] = await sql(
      `select action, actor_user_id, bureau_code, after from audit_events where action = 'import.units.upsert'`,
    );
    expect(audit).toMatchObject({
      action: 'import.units.upsert',
      actor_user_id: admin.user.id,
      bureau_code: BINHAI,
    });
    expect((audit as { after: { counts: object; closures: string[] } }).after).toMatchObject({
      counts: { adds: 1, changes: 1, unchanged: 2, closures: 1 },
      closures: [unitIdAt(4)],
    });

    // The same file again changes nothing; a closed unit listed again reopens.
    const again = await admin.caller.transfer.previewUpsert({ ...file, fullRosterOf: BINHAI });
    expect(again.counts).toEqual({ adds: 0, changes: 0, unchanged: 4, closures: 0 });
    const back = await admin.caller.transfer.previewUpsert(unitFile(line(4, '丁厂')));
    expect(back.changes[0]!.fields).toEqual([
      { field: 'status', label: '状态', before: 'closed', after: 'active' },
    ]);
  });

  it('writes nothing when one row is bad, and names the row and column', async () => {
    const file = unitFile(
      line(1, '甲厂（新）'),
      line(6, '己厂'),
      `${unitIdAt(7)},庚厂,private,machinery,huge,10,${BINHAI},low,B,否`,
    );
    const p = await admin.caller.transfer.previewUpsert(file);
    expect(p.ok).toBe(false);
    expect(p.digest).toBe('');
    expect(p.problems).toEqual([
      {
        row: 4,
        column: 'scale',
        message: expect.stringMatching(/"huge" is not one of/),
        code: 'not-allowed',
        params: { value: 'huge' },
      },
    ]);
    const c = await admin.caller.transfer.commitUpsert({ ...file, digest: 'a'.repeat(64) });
    expect(c).toMatchObject({ ok: false, committed: false });
    expect(await sql(`select name from units where id = '${unitIdAt(1)}'`)).toEqual([{ name: '甲厂' }]);
    expect(await sql(`select count(*)::int n from units where id = '${unitIdAt(6)}'`)).toEqual([{ n: 0 }]);
  });

  it('refuses a commit whose roster changed since the preview', async () => {
    const file = unitFile(line(1, '甲厂（二）'));
    const p = await admin.caller.transfer.previewUpsert(file);
    await t.database.exec(`update units set name = '甲厂（别处改过）' where id = '${unitIdAt(1)}'`);
    expect(await codeOf(admin.caller.transfer.commitUpsert({ ...file, digest: p.digest }))).toBe('CONFLICT');
    expect(await sql(`select name from units where id = '${unitIdAt(1)}'`)).toEqual([
      { name: '甲厂（别处改过）' },
    ]);
  });

  it('keeps blacklisting to its proceedings', async () => {
    await t.database.exec(`update units set blacklisted = true where id = '${unitIdAt(3)}'`);
    const p = await admin.caller.transfer.previewUpsert({
      kind: 'units',
      format: 'csv',
      base64: Buffer.from(`${HEADER},blacklisted\n${line(3, '丙厂')},否`).toString('base64'),
    });
    expect(p.ok).toBe(false);
    expect(p.problems).toEqual([
      {
        row: 2,
        column: 'blacklisted',
        message: expect.stringMatching(/blacklist proceedings/),
        code: 'managed-field',
        params: { field: 'blacklisted' },
      },
    ]);
    // Editing a unit's name in the form does not reset its flags either.
    const edited = await admin.caller.units.update({ id: unitIdAt(3), patch: { name: '丙厂（新）' } });
    expect(edited).toMatchObject({ name: '丙厂（新）', blacklisted: true });
  });

  it('ends a major hazard an inspection found only by its rectification: no edit, import or pushed fact clears it (R17)', async () => {
    // Unit 1 has a major hazard found by an inspection (an open fact of a result); unit 2 one set by hand.
    const found = unitIdAt(1);
    const byHand = unitIdAt(2);
    await t.database.exec(`update units set major_hazard = true where id in ('${found}', '${byHand}')`);
    await t.database.db.insert(unitFacts).values({
      bureauCode: BINHAI,
      unitId: found,
      kind: 'major-hazard',
      value: { active: true, listedSupervision: true },
      effectiveOn: '2027-02-01',
      source: 'result:00000000-0000-4000-8000-000000000001',
    });
    const edit = await admin.caller.units
      .update({ id: found, patch: { majorHazard: false } })
      .catch((e: unknown) => e);
    expect(edit).toMatchObject({ code: 'BAD_REQUEST' });
    expect((edit as Error).message).toMatch(/^patch\.majorHazard: .*rectification check/);
    const p = await admin.caller.transfer.previewUpsert(
      unitFile(line(1, '甲厂（别处改过）'), line(2, '乙厂')),
    );
    expect(p.ok).toBe(false);
    expect(p.problems).toEqual([
      {
        row: 2,
        column: 'majorHazard',
        message: expect.stringMatching(/rectification check/),
        code: 'hazard-found',
        params: { field: 'majorHazard' },
      },
    ]);
    const token = await admin.caller.apiTokens.create({
      name: '外部系统',
      bureauCode: BINHAI,
      scopes: ['facts:write'],
    });
    const machine = await anonymousCaller(t.database, { bearerToken: token.token });
    const pushed = await machine.external
      .pushFacts({
        facts: [
          {
            unitId: found,
            kind: 'major-hazard',
            active: false,
            effectiveOn: '2027-03-01',
            reference: '外部〔2027〕1号',
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(pushed).toMatchObject({ code: 'BAD_REQUEST' });
    expect((pushed as Error).message).toMatch(/^facts\.0\.active: /);
    expect(await sql(`select major_hazard from units where id = '${found}'`)).toEqual([
      { major_hazard: true },
    ]);
    // (Binhai's tokens are counted below.)
    await t.database.exec(`delete from api_tokens where id = '${token.id}'`);
    // A hazard set by hand is cleared by hand; once the found one is ended, so is it.
    expect((await admin.caller.units.update({ id: byHand, patch: { majorHazard: false } })).majorHazard).toBe(
      false,
    );
    await t.database.exec(
      `update unit_facts set ended_on = '2027-03-05' where unit_id = '${found}' and source like 'result:%'`,
    );
    expect((await admin.caller.units.update({ id: found, patch: { majorHazard: false } })).majorHazard).toBe(
      false,
    );
  });

  it('stays within the bureau: other districts’ units, rows and full rosters are refused', async () => {
    // Heping may not take over a Binhai unit by listing it under Heping.
    const steal = await heping.caller.transfer.previewUpsert(
      unitFile(line(1, '甲厂', { b: HEPING }).replace(unitIdAt(1, HEPING), unitIdAt(1))),
    );
    expect(steal.ok).toBe(false);
    expect(steal.problems[0]).toMatchObject({
      row: 2,
      column: 'id',
      code: 'key-outside-reach',
      params: { value: unitIdAt(1), bureau: BINHAI },
    });
    expect(steal.problems[0]!.message).toMatch(/bureau 120116, outside your reach/);
    // Nor write rows of Binhai, nor close Binhai's roster.
    const rows = await heping.caller.transfer.previewUpsert(unitFile(line(9, '辛厂')));
    expect(rows.problems[0]!.message).toMatch(/outside your reach/);
    expect(
      await codeOf(
        heping.caller.transfer.previewUpsert({
          ...unitFile(line(9, '辛厂', { b: HEPING })),
          fullRosterOf: BINHAI,
        }),
      ),
    ).toBe('FORBIDDEN');
    // Operators cannot import; the city can close any district's roster.
    expect(await codeOf(operator.caller.transfer.previewUpsert(unitFile(line(1, '甲厂'))))).toBe('FORBIDDEN');
    const cityView = await city.caller.transfer.previewUpsert({
      ...unitFile(line(1, '甲厂（别处改过）')),
      fullRosterOf: BINHAI,
    });
    expect(cityView.counts.closures).toBe(3); // 乙, 丙, 戊 (丁 is closed already)
  });
});

describe('officer roster upsert and edit', () => {
  const OH = 'id,certificateNo,name,bureauCode,department,specialties,capacityPerQuarter,status';
  const officers = (...lines: string[]) => ({
    kind: 'inspectors' as const,
    format: 'csv' as const,
    base64: Buffer.from([OH, ...lines].join('\n')).toString('base64'),
  });

  it('adds, changes and proposes departures keyed by officer number', async () => {
    const first = officers(
      `I120116-0001,JZ-001,张一,${BINHAI},执法支队,危险化学品;机械,12,在岗`,
      `I120116-0002,JZ-002,李二,${BINHAI},执法支队,机械,12,在岗`,
    );
    const p0 = await admin.caller.transfer.previewUpsert(first);
    expect(p0.counts).toEqual({ adds: 2, changes: 0, unchanged: 0, closures: 0 });
    await admin.caller.transfer.commitUpsert({ ...first, digest: p0.digest });

    const next = officers(`I120116-0001,JZ-001,张一,${BINHAI},执法二支队,机械;危险化学品,20,在岗`);
    const p = await admin.caller.transfer.previewUpsert({ ...next, fullRosterOf: BINHAI });
    expect(p.changes[0]!.fields).toEqual([
      { field: 'department', label: '所在单位', before: '执法支队', after: '执法二支队' },
      { field: 'capacityPerQuarter', label: '每季度检查能力', before: 12, after: 20 },
    ]);
    expect(p.closures).toEqual([{ key: 'I120116-0002', name: '李二', bureauCode: BINHAI }]);
    await admin.caller.transfer.commitUpsert({ ...next, fullRosterOf: BINHAI, digest: p.digest });
    expect(await sql(`select id, status, capacity_per_quarter from inspectors order by id`)).toEqual([
      { id: 'I120116-0001', status: 'active', capacity_per_quarter: 20 },
      { id: 'I120116-0002', status: 'left', capacity_per_quarter: 12 },
    ]);

    // Another officer's certificate number is refused, naming the row and column.
    const clash = await admin.caller.transfer.previewUpsert(
      officers(`I120116-0003,JZ-001,王三,${BINHAI},执法支队,,12,在岗`),
    );
    expect(clash.problems).toEqual([
      {
        row: 2,
        column: 'certificateNo',
        message: 'JZ-001 is the certificate of officer I120116-0001',
        code: 'certificate-held',
        params: { value: 'JZ-001', officer: 'I120116-0001' },
      },
    ]);
  });

  it('edits name, number, specialties, capacity and status in the bureau, audited', async () => {
    const after = await admin.caller.inspectors.update({
      id: 'I120116-0001',
      patch: { name: '张一一', certificateNo: 'JZ-101', specialties: ['trade'], capacityPerQuarter: 8 },
    });
    expect(after).toMatchObject({
      name: '张一一',
      certificateNo: 'JZ-101',
      specialties: ['trade'],
      capacityPerQuarter: 8,
    });
    await admin.caller.inspectors.setStatus({ id: 'I120116-0001', status: 'suspended' });
    const events = await sql(
      `select action, before->>'name' b, after->>'name' a from audit_events where entity_id = 'I120116-0001' order by seq`,
    );
    expect(events.map((e) => (e as { action: string }).action)).toEqual([
      'inspector.update',
      'inspector.set-status',
    ]);
    expect(events[0]).toMatchObject({ b: '张一', a: '张一一' });
    // A patch that leaves fields out leaves them as they are (no defaults sneak in).
    const renamed = await admin.caller.inspectors.update({
      id: 'I120116-0001',
      patch: { department: '执法三支队' },
    });
    expect(renamed).toMatchObject({ specialties: ['trade'], capacityPerQuarter: 8, equipment: [] });
    // Another district, a bad capacity, an empty patch, a taken number.
    expect(await codeOf(heping.caller.inspectors.update({ id: 'I120116-0001', patch: { name: '某' } }))).toBe(
      'FORBIDDEN',
    );
    expect(
      await codeOf(admin.caller.inspectors.update({ id: 'I120116-0001', patch: { capacityPerQuarter: 0 } })),
    ).toBe('BAD_REQUEST');
    expect(await codeOf(admin.caller.inspectors.update({ id: 'I120116-0001', patch: {} }))).toBe(
      'BAD_REQUEST',
    );
    expect(
      await codeOf(
        admin.caller.inspectors.update({ id: 'I120116-0001', patch: { certificateNo: 'JZ-002' } }),
      ),
    ).toBe('CONFLICT');
    expect(await sql(`select name, certificate_no from inspectors where id = 'I120116-0001'`)).toEqual([
      { name: '张一一', certificate_no: 'JZ-101' },
    ]);
  });
});

describe('API tokens', () => {
  it('issues a token once, with credit:read, for its bureau only; revoking ends it', async () => {
    const issued = await admin.caller.apiTokens.create({
      name: '信用平台',
      bureauCode: BINHAI,
      scopes: ['credit:read'],
    });
    expect(issued.token).toMatch(/^sct_/);
    const listed = await admin.caller.apiTokens.list({});
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: issued.id, scopes: ['credit:read'], revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(issued.token);
    expect(await heping.caller.apiTokens.list({})).toEqual([]);
    expect(
      await codeOf(
        heping.caller.apiTokens.create({ name: '越权', bureauCode: BINHAI, scopes: ['credit:read'] }),
      ),
    ).toBe('FORBIDDEN');
    expect(await codeOf(heping.caller.apiTokens.revoke({ id: issued.id }))).toBe('FORBIDDEN');
    expect(await codeOf(operator.caller.apiTokens.list({}))).toBe('FORBIDDEN');
    expect(await codeOf(admin.caller.apiTokens.create({ name: '空', bureauCode: BINHAI, scopes: [] }))).toBe(
      'BAD_REQUEST',
    );

    const bearer = await anonymousCaller(t.database, { bearerToken: issued.token });
    expect(await codeOf(bearer.credit.outgoing({ from: '2027-01-01', to: '2027-03-31' }))).not.toMatch(
      /UNAUTHORIZED|FORBIDDEN/,
    );
    await admin.caller.apiTokens.revoke({ id: issued.id });
    expect(await codeOf(admin.caller.apiTokens.revoke({ id: issued.id }))).toBe('CONFLICT');
    expect(await codeOf(bearer.credit.outgoing({ from: '2027-01-01', to: '2027-03-31' }))).toBe(
      'UNAUTHORIZED',
    );
    const actions = await sql(
      `select action from audit_events where entity = 'api_tokens' and entity_id = '${issued.id}' order by seq`,
    );
    expect(actions).toEqual([{ action: 'api-token.create' }, { action: 'api-token.revoke' }]);
  });
});

describe('moving to another district', () => {
  const OH = 'id,certificateNo,name,bureauCode,department,specialties,capacityPerQuarter,status';
  const bureausOf = async (q: string) => (await sql(q)).map((r) => r.bureau_code);

  it('takes a unit’s facts and an officer’s conflict declarations along', async () => {
    const unitId = unitIdAt(1);
    await city.caller.conflicts.declare({
      inspectorId: 'I120116-0001',
      unitId,
      reason: '近亲属在该单位任职',
    });
    const facts = `select bureau_code from unit_facts where unit_id = '${unitId}'`;
    expect(new Set(await bureausOf(facts))).toEqual(new Set([BINHAI]));

    const move = unitFile(line(1, '甲厂', { b: HEPING }).replace(unitIdAt(1, HEPING), unitId));
    const p = await city.caller.transfer.previewUpsert(move);
    expect(p.changes[0]!.fields.map((f) => f.field)).toContain('bureauCode');
    await city.caller.transfer.commitUpsert({ ...move, digest: p.digest });
    expect(new Set(await bureausOf(facts))).toEqual(new Set([HEPING]));

    const officer = {
      kind: 'inspectors' as const,
      format: 'csv' as const,
      base64: Buffer.from(
        [OH, `I120116-0001,JZ-101,张一一,${HEPING},执法三支队,,8,在岗`].join('\n'),
      ).toString('base64'),
    };
    const q = await city.caller.transfer.previewUpsert(officer);
    expect(q.changes[0]!.fields.map((f) => f.field)).toContain('bureauCode');
    await city.caller.transfer.commitUpsert({ ...officer, digest: q.digest });
    expect(await bureausOf(`select bureau_code from conflicts where inspector_id = 'I120116-0001'`)).toEqual([
      HEPING,
    ]);
    // The new district sees the declaration; the old one no longer does.
    expect((await heping.caller.conflicts.list({})).map((c) => c.conflict.unitId)).toContain(unitId);
    expect((await admin.caller.conflicts.list({})).map((c) => c.conflict.unitId)).not.toContain(unitId);
  });
});
