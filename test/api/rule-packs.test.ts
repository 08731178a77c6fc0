/** Rule packs in the SPA: validate, get, run cases, explain, diff, simulate, retire (R14, B4). */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackDir } from '@spotcheck/rules/load';
import { BINHAI, codeOf, HEPING, openTestDb, signedInUser, type SignedIn, type TestDb } from './harness';
import { buildWorld, type World } from './fixtures';
import { installRulePacks } from '@spotcheck/api';

let t: TestDb;
let w: World;
let heping: SignedIn;
let cityId: string;
let binhaiId: string;
const binhaiFiles = () =>
  readPackDir(resolve(__dirname, '../../rules/tianjin/binhai')).files as Record<string, string>;
/** The Binhai pack as version `version`, with hazardous chemicals sampled at `ratio`. */
function binhaiAt(version: string, ratio = '15%') {
  const files = binhaiFiles();
  files['pack.json'] = files['pack.json']!.replace('"version": "1.0.0"', `"version": "${version}"`);
  files['rules/hazchem-ratio.json'] = files['rules/hazchem-ratio.json']!.replace('"15%"', `"${ratio}"`);
  return files;
}

beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
  heping = await signedInUser(t.database, 'rp-heping', HEPING, ['district-admin']);
  const list = await w.auditor.caller.rulePacks.list();
  cityId = list.find((p) => p.packId === 'tianjin/city')!.id;
  binhaiId = list.find((p) => p.packId === 'tianjin/binhai')!.id;
});
afterAll(async () => t?.close());

describe('rulePacks.validate and get', () => {
  it('validates files without storing them, naming file, JSON path and a suggestion', async () => {
    const before = (await w.auditor.caller.rulePacks.list()).length;
    const good = await w.admin.caller.rulePacks.validate({ files: binhaiAt('1.1.0') });
    expect(good).toMatchObject({
      ok: true,
      pack: { id: 'tianjin/binhai', version: '1.1.0', bureau: BINHAI, extends: 'tianjin/city', rules: 3 },
    });
    const files = binhaiAt('1.1.0');
    files['rules/hazchem-ratio.json'] = files['rules/hazchem-ratio.json']!.replace(
      '"fact": "industry"',
      '"fact": "industri"',
    );
    const bad = await w.admin.caller.rulePacks.validate({ files });
    expect(bad.ok).toBe(false);
    expect(bad.pack).toBeNull();
    const issue = bad.issues.find((i) => i.severity === 'error')!;
    expect(issue.file).toMatch(/rules\/hazchem-ratio\.json$/);
    expect(issue.path).toBe('$.conditions.all[0].fact');
    expect(issue.suggestion).toMatch(/industry/);
    const broken = await w.admin.caller.rulePacks.validate({ files: { 'pack.json': '{ not json' } });
    expect(broken.ok).toBe(false);
    expect(broken.issues[0]!.file).toMatch(/pack\.json$/);
    expect((await w.auditor.caller.rulePacks.list()).length).toBe(before);
    expect(await codeOf(w.operator.caller.rulePacks.validate({ files: binhaiAt('1.1.0') }))).toBe(
      'FORBIDDEN',
    );
    const noManifest = await w.admin.caller.rulePacks
      .validate({ files: {} })
      .catch((e: unknown) => e as Error & { code: string });
    expect((noManifest as Error).message).toMatch(/^files: must contain pack\.json/);
  });

  it('returns a version with its files', async () => {
    const v = await heping.caller.rulePacks.get({ id: binhaiId });
    expect(Object.keys(v.files)).toContain('rules/hazchem-ratio.json');
    expect(v.status).toBe('published');
  });
});

describe('rulePacks.runCases and explain', () => {
  it('runs a version’s own cases and names failures', async () => {
    const ok = await w.operator.caller.rulePacks.runCases({ id: binhaiId });
    expect(ok.failed).toBe(0);
    expect(ok.passed).toBeGreaterThan(0);
    expect(ok.uncoveredRules).toEqual([]);
    const draft = await w.admin.caller.rulePacks.upload({ files: binhaiAt('1.2.0', '25%') });
    const bad = await w.operator.caller.rulePacks.runCases({ id: draft.id });
    expect(bad.failed).toBeGreaterThan(0);
    expect(bad.results.find((r) => !r.passed)!.mismatches[0]).toMatch(/^ratio: expected "15%", got "25%"/);
  });

  it('explains a unit’s classification within the caller’s bureau', async () => {
    const high = w.unitIds[3]!; // risk grade high
    const e = await w.operator.caller.rulePacks.explain({ unitId: high, period: '2027' });
    expect(e.pack).toBe('tianjin/binhai');
    expect(e.classification.mandatory).toBe(true);
    const r11 = e.rules.find((r) => r.rule === 'tianjin/city#r11-high-risk')!;
    expect(r11.fired).toBe(true);
    expect(r11.conditions).toMatchObject({ result: true });
    const city = await w.operator.caller.rulePacks.explain({
      unitId: high,
      period: '2027-Q1',
      packId: 'tianjin/city',
    });
    expect(city.pack).toBe('tianjin/city');
    const byVersion = await w.operator.caller.rulePacks.explain({
      unitId: high,
      period: '2027',
      packId: cityId,
    });
    expect(byVersion.pack).toBe('tianjin/city');
    expect(await codeOf(heping.caller.rulePacks.explain({ unitId: high, period: '2027' }))).toBe('FORBIDDEN');
    const bad = await w.operator.caller.rulePacks
      .explain({ unitId: high, period: '2027-13' })
      .catch((e: unknown) => e as Error & { code: string });
    expect((bad as { code: string }).code).toBe('BAD_REQUEST');
    expect((bad as Error).message).toMatch(/^period: /);
    expect(
      await codeOf(w.operator.caller.rulePacks.explain({ unitId: high, period: '2027', packId: 'x/y' })),
    ).toBe('NOT_FOUND');
  });
});

describe('rulePacks.diff and simulate', () => {
  it('lists the units whose ratio changes between two versions, with counts', async () => {
    const next = await w.admin.caller.rulePacks.upload({ files: binhaiAt('1.3.0', '20%') });
    const d = await w.auditor.caller.rulePacks.diff({
      fromId: binhaiId,
      toId: next.id,
      bureauCode: BINHAI,
      period: '2027',
    });
    expect(d.units).toBe(40);
    expect(d.stratumChanged).toBe(0);
    expect(d.becameMandatory).toBe(0);
    expect(d.ratioChanged).toBeGreaterThan(0);
    expect(d.changedUnits).toBe(d.rows.length);
    const chem = new Set(
      (await w.admin.caller.units.list({ industry: 'hazardous-chemicals', limit: 100 })).rows.map(
        (u) => u.id,
      ),
    );
    for (const r of d.rows) {
      expect(chem.has(r.unitId)).toBe(true);
      expect([r.from.ratio, r.to.ratio]).toEqual(['15%', '20%']);
    }
    const same = await w.auditor.caller.rulePacks.diff({ fromId: binhaiId, toId: binhaiId });
    expect(same).toMatchObject({ changedUnits: 0, rows: [], transitions: [] });
    const cityVsBinhai = await w.auditor.caller.rulePacks.diff({
      fromId: cityId,
      toId: binhaiId,
      bureauCode: BINHAI,
    });
    expect(cityVsBinhai.transitions.length).toBeGreaterThan(0);
    expect(
      await codeOf(heping.caller.rulePacks.diff({ fromId: binhaiId, toId: next.id, bureauCode: BINHAI })),
    ).toBe('FORBIDDEN');
    // A district pack's diff covers its own bureau only (issue #10): not Heping's units, and not
    // for a Heping user; without a bureau it is the pack's bureau.
    expect(await codeOf(heping.caller.rulePacks.diff({ fromId: binhaiId, toId: next.id }))).toBe('FORBIDDEN');
    expect(
      await codeOf(w.auditor.caller.rulePacks.diff({ fromId: binhaiId, toId: next.id, bureauCode: HEPING })),
    ).toBe('BAD_REQUEST');
    expect(await w.auditor.caller.rulePacks.diff({ fromId: binhaiId, toId: next.id })).toMatchObject({
      bureauCode: BINHAI,
      units: 40,
    });
  });

  it('simulates a year against the bureau’s inspector capacity', async () => {
    const s = await w.operator.caller.rulePacks.simulate({ id: binhaiId, year: 2027 });
    expect(s).toMatchObject({
      units: 40,
      inspectors: 8,
      inspectorSlotsPerQuarter: 160,
      capacityPerQuarter: 80,
    });
    expect(s.quarters.map((q) => q.quarter)).toEqual([1, 2, 3, 4]);
    expect(s.quarters.every((q) => q.used <= q.capacity)).toBe(true);
    expect(s.mandatoryCoverage).toBe(`${s.mandatoryUnits}/${s.mandatoryUnits}`);
    const tight = await w.operator.caller.rulePacks.simulate({ id: binhaiId, year: 2027, teamSize: 10 });
    expect(tight.capacityPerQuarter).toBe(16);
    expect(await codeOf(heping.caller.rulePacks.simulate({ id: binhaiId, year: 2027 }))).toBe('FORBIDDEN');
    expect(await codeOf(w.admin.caller.rulePacks.simulate({ id: cityId, year: 2027 }))).toBe('FORBIDDEN');
    expect((await w.cityAdmin.caller.rulePacks.simulate({ id: cityId, year: 2027 })).units).toBe(40);
  });

  it('still simulates the capacity of a district with no active unit, saying why the pipeline cannot run', async () => {
    const [installed] = await installRulePacks(
      t.database.db,
      [readPackDir(resolve(__dirname, '../../rules/tianjin/heping'))],
      null,
    );
    const s = await heping.caller.rulePacks.simulate({ id: installed!.id, year: 2027 });
    expect(s.units).toBe(0);
    expect(s.pipeline).toBeNull();
    expect(s.pipelineProblem).toContain('no active unit');
    const binhai = await w.operator.caller.rulePacks.simulate({ id: binhaiId, year: 2027 });
    expect(binhai.pipelineProblem).toBeNull();
    expect(binhai.pipeline!.quarters).toHaveLength(4);
    // Leave the world as the retire tests expect it (city and Binhai packs only).
    await heping.caller.rulePacks.retire({ id: installed!.id, reason: '测试完毕' });
  });
});

describe('rulePacks.retire', () => {
  it('abandons drafts, lets a district fall back to the city pack, never leaves a bureau without one', async () => {
    const draft = await w.admin.caller.rulePacks.upload({ files: binhaiAt('1.9.0') });
    expect(await codeOf(heping.caller.rulePacks.retire({ id: draft.id, reason: '作废' }))).toBe('FORBIDDEN');
    expect((await w.admin.caller.rulePacks.retire({ id: draft.id, reason: '草稿作废' })).status).toBe(
      'retired',
    );
    expect(await codeOf(w.admin.caller.rulePacks.retire({ id: draft.id, reason: '再次' }))).toBe('CONFLICT');
    const extended = await w.cityAdmin.caller.rulePacks
      .retire({ id: cityId, reason: '停用' })
      .catch((e: unknown) => e as Error & { code: string });
    expect((extended as { code: string }).code).toBe('PRECONDITION_FAILED');
    expect((extended as Error).message).toMatch(/^id: other published packs extend tianjin\/city/);

    await w.admin.caller.rulePacks.retire({ id: binhaiId, reason: '回退到市级规则包' });
    const preview = await w.operator.caller.plans.preview({
      bureauCode: BINHAI,
      period: '2027',
      kind: 'general',
      scope: {},
      strata: [],
      team: { size: 2, specialist: true, ownJurisdiction: false },
    });
    expect(preview.rulePacks.map((p) => p.id)).toEqual(['tianjin/city']);
    const only = await w.cityAdmin.caller.rulePacks
      .retire({ id: cityId, reason: '停用' })
      .catch((e: unknown) => e as Error & { code: string });
    expect((only as Error).message).toMatch(
      /^id: tianjin\/city@1\.0\.0 is the only pack bureau 120000 relies on/,
    );
    const audit = await w.auditor.caller.audit.list({ bureauCode: BINHAI });
    expect(audit.filter((a) => a.action === 'rule-pack.retire')).toHaveLength(2);
  });
});
