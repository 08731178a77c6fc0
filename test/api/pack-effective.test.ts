/**
 * Rule packs' `effective` dates decide which version a plan uses (issue #10, R14): a version
 * published for a later date waits beside the one in force; a plan takes the versions in force
 * on its period's first day; a new version for the same date supersedes the waiting one but not
 * the one in force; before any pack is in force, a plan is refused naming the date.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackDir } from '@spotcheck/rules/load';
import { BINHAI, codeOf, openTestDb, type TestDb } from './harness';
import { buildWorld, type World } from './fixtures';

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
});
afterAll(async () => t?.close());

/** Binhai's pack effective on `effective`, with a description naming it (a real change). */
function binhaiFrom(effective: string, note: string) {
  const files = readPackDir(resolve(__dirname, '../../rules/tianjin/binhai')).files as Record<
    string,
    unknown
  >;
  const pack = JSON.parse(String(files['pack.json'])) as Record<string, unknown>;
  files['pack.json'] = JSON.stringify({
    ...pack,
    effective,
    description: `${String(pack.description)}（${note}）`,
  });
  return files;
}

/** Draft → submit → city review → publish; returns the published version. */
async function publishBinhai(effective: string, note: string) {
  const draft = await w.admin.caller.rulePacks.saveDraft({ files: binhaiFrom(effective, note) });
  await w.admin.caller.rulePacks.submit({ id: draft.id, note });
  await w.cityAdmin.caller.rulePacks.review({ id: draft.id, decision: 'approve', opinion: '同意' });
  return w.admin.caller.rulePacks.publish({ id: draft.id });
}

const preview = (period: string) =>
  w.operator.caller.plans.preview({
    bureauCode: BINHAI,
    period,
    kind: 'general',
    scope: {},
    strata: [],
    team: { size: 2, specialist: false, ownJurisdiction: false },
  });
const binhaiVersion = async (period: string) =>
  (await preview(period)).rulePacks.find((p) => p.id === 'tianjin/binhai')?.version;

describe('rule-pack effective dates', () => {
  it('keeps the version in force while a later one waits, and plans take the one in force on their first day', async () => {
    const current = await binhaiVersion('2027');
    expect(current).toBeDefined();
    const later = await publishBinhai('2028-01-01', '2028年起施行');
    expect(later.status).toBe('published');
    // Both are published: one in force now, one from 2028.
    const listed = (await w.admin.caller.rulePacks.list()).filter(
      (v) => v.packId === 'tianjin/binhai' && v.status === 'published',
    );
    expect(listed.map((v) => v.version).sort()).toEqual([current, later.version].sort());
    expect(listed.map((v) => [v.version, v.effective, v.inForce]).sort()).toEqual(
      [
        [current, '2026-01-01', true],
        [later.version, '2028-01-01', false],
      ].sort(),
    );
    expect(await binhaiVersion('2027')).toBe(current);
    expect(await binhaiVersion('2027-Q4')).toBe(current);
    expect(await binhaiVersion('2028-Q1')).toBe(later.version);
    expect(await binhaiVersion('2028')).toBe(later.version);
  });

  it('explains a unit with the version in force in the period asked about', async () => {
    const unitId = w.unitIds[0]!;
    const now = await w.operator.caller.rulePacks.explain({ unitId, period: '2027' });
    const then = await w.operator.caller.rulePacks.explain({ unitId, period: '2028' });
    expect(now).toMatchObject({ pack: 'tianjin/binhai', version: await binhaiVersion('2027') });
    expect(then).toMatchObject({ pack: 'tianjin/binhai', version: await binhaiVersion('2028') });
    expect(now.version).not.toBe(then.version);
  });

  it('supersedes the waiting version with a new one for the same date, never the one in force', async () => {
    const current = await binhaiVersion('2027');
    const waiting = await binhaiVersion('2028');
    const replacement = await publishBinhai('2028-01-01', '2028年起施行（修订）');
    const versions = await w.admin.caller.rulePacks.list();
    const status = (v: string | undefined) =>
      versions.find((r) => r.packId === 'tianjin/binhai' && r.version === v)?.status;
    expect(status(waiting)).toBe('retired');
    expect(status(current)).toBe('published');
    expect(status(replacement.version)).toBe('published');
    expect(await binhaiVersion('2028')).toBe(replacement.version);
    expect(await binhaiVersion('2027')).toBe(current);
    const audit = await w.auditor.caller.audit.list({ bureauCode: BINHAI });
    const publish = audit.find((a) => a.action === 'rule-pack.publish' && a.entityId === replacement.id);
    expect(publish?.after).toMatchObject({ effective: '2028-01-01' });
  });

  it('refuses a plan for a period before any pack is in force, naming the day', async () => {
    const err = await preview('2025-Q4').catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(await codeOf(preview('2025-Q4'))).toBe('PRECONDITION_FAILED');
    expect((err as Error).message).toContain('2025-10-01');
  });
});
