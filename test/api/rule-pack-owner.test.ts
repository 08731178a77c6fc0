/**
 * A pack id belongs to one bureau (R14): a district cannot save a draft of, upload or publish
 * another bureau's pack id under its own bureau code — which, once published, would retire that
 * bureau's published version (Binhai falling back to the city pack), or replace the city pack
 * every district extends. A conflicting draft that got in some other way never publishes.
 */
import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeApiError, type ApiErrorReason } from '@spotcheck/core';
import { rulePackVersions } from '@spotcheck/db';
import { packDigest } from '@spotcheck/rules';
import { readPackDir } from '@spotcheck/rules/load';
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
import { buildWorld, type World } from './fixtures';

let t: TestDb;
let w: World;
let heping: SignedIn;
const packFiles = (dir: string) =>
  readPackDir(resolve(__dirname, '../../rules/tianjin', dir)).files as Record<string, string>;

/** A pack's files with its manifest changed (`bureau: undefined` drops the field). */
function withManifest(dir: string, patch: Record<string, unknown>) {
  const files = packFiles(dir);
  files['pack.json'] = JSON.stringify({ ...JSON.parse(files['pack.json']!), ...patch });
  return files;
}

/** The refusal of a rejected call: its tRPC code, message and catalogued reason. */
async function refusal(p: Promise<unknown>) {
  const err = (await p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  )) as Error & { code: string; reason: ApiErrorReason };
  return { code: err.code, message: err.message, reason: err.reason };
}

/** Every stored version of a pack id: version, bureau and status. */
async function versionsOf(packId: string) {
  return (await w.auditor.caller.rulePacks.list())
    .filter((p) => p.packId === packId)
    .map((p) => ({ version: p.version, bureauCode: p.bureauCode, status: p.status, inForce: p.inForce }));
}

beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
  heping = await signedInUser(t.database, 'own-heping', HEPING, ['district-admin']);
});
afterAll(async () => t?.close());

describe('a pack id belongs to one bureau', () => {
  it('refuses a draft of Binhai’s pack under Heping’s bureau code, naming pack.json', async () => {
    const files = withManifest('binhai', { version: '9.0.0', bureau: HEPING });
    const e = await refusal(heping.caller.rulePacks.saveDraft({ files }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe(
      'files.pack.json: pack id tianjin/binhai belongs to bureau 120116, not 120101: a pack id is kept by one bureau; give the pack another id',
    );
    expect(e.reason).toEqual({
      code: 'rulePack.ownedByOtherBureau',
      field: 'files.pack.json',
      params: { packId: 'tianjin/binhai', ownerBureau: BINHAI, bureauCode: HEPING },
    });
    expect(describeApiError({ reason: e.reason, trpcCode: e.code }, 'zh')).toMatch(
      /^该规则包标识已属于 120116，不能用于 120101 的规则包/,
    );
    expect(await versionsOf('tianjin/binhai')).toEqual([
      { version: '1.0.0', bureauCode: BINHAI, status: 'published', inForce: true },
    ]);
  });

  it('refuses a draft of the city pack under a district’s code, and the city’s code on Binhai’s pack', async () => {
    const city = withManifest('city', { version: '9.0.0', bureau: HEPING });
    expect((await refusal(heping.caller.rulePacks.saveDraft({ files: city }))).reason.params).toEqual({
      packId: 'tianjin/city',
      ownerBureau: CITY,
      bureauCode: HEPING,
    });
    // Not even the city admin may move a district's pack id to another bureau (here: the city).
    const moved = withManifest('binhai', { version: '9.0.0', bureau: undefined });
    expect((await refusal(w.cityAdmin.caller.rulePacks.saveDraft({ files: moved }))).reason).toMatchObject({
      code: 'rulePack.ownedByOtherBureau',
      params: { ownerBureau: BINHAI, bureauCode: CITY },
    });
    expect(await versionsOf('tianjin/city')).toEqual([
      { version: '1.0.0', bureauCode: CITY, status: 'published', inForce: true },
    ]);
  });

  it('refuses the same through upload', async () => {
    for (const [dir, owner] of [
      ['binhai', BINHAI],
      ['city', CITY],
    ] as const) {
      const files = withManifest(dir, { version: '9.1.0', bureau: HEPING });
      const e = await refusal(heping.caller.rulePacks.upload({ files }));
      expect(e.code).toBe('CONFLICT');
      expect(e.reason).toEqual({
        code: 'rulePack.ownedByOtherBureau',
        field: 'files.pack.json',
        params: { packId: `tianjin/${dir}`, ownerBureau: owner, bureauCode: HEPING },
      });
    }
    expect((await versionsOf('tianjin/binhai')).map((v) => v.version)).toEqual(['1.0.0']);
  });

  it('refuses to publish a conflicting draft that got in before the check; Binhai keeps its pack', async () => {
    const files = withManifest('binhai', { version: '9.9.0', bureau: HEPING });
    // As a draft saved before the fix would be: submitted by Heping, approved by the city.
    const [stray] = await t.database.db
      .insert(rulePackVersions)
      .values({
        packId: 'tianjin/binhai',
        version: '9.9.0',
        bureauCode: HEPING,
        content: { files },
        digest: packDigest({ origin: 'db:tianjin/binhai@9.9.0', files }),
        review: 'approved',
        submittedBy: heping.user.id,
        submittedAt: new Date(),
        submitNote: '更新规则包版本',
        reviewedBy: w.cityAdmin.user.id,
        reviewedAt: new Date(),
        reviewOpinion: '同意发布',
      })
      .returning({ id: rulePackVersions.id });
    const e = await refusal(heping.caller.rulePacks.publish({ id: stray!.id }));
    expect(e.code).toBe('CONFLICT');
    expect(e.reason).toEqual({
      code: 'rulePack.ownedByOtherBureau',
      field: 'id',
      params: { packId: 'tianjin/binhai', ownerBureau: BINHAI, bureauCode: HEPING },
    });
    expect(await versionsOf('tianjin/binhai')).toEqual([
      { version: '1.0.0', bureauCode: BINHAI, status: 'published', inForce: true },
      { version: '9.9.0', bureauCode: HEPING, status: 'draft', inForce: false },
    ]);
    const preview = await w.operator.caller.plans.preview({
      bureauCode: BINHAI,
      period: '2027',
      kind: 'general',
      scope: {},
      strata: [],
      team: { size: 2, specialist: true, ownJurisdiction: false },
    });
    expect(preview.rulePacks.map((p) => p.id)).toEqual(['tianjin/city', 'tianjin/binhai']);
    // An operator removes the stray row (a retired one would still hold the pack id).
    await t.owner.db.delete(rulePackVersions).where(eq(rulePackVersions.id, stray!.id));
  });

  it('still lets a bureau draft, edit and publish its own pack id', async () => {
    // Another district's draft of a pack id nobody has published yet takes nothing from its owner.
    const squatter = await w.admin.caller.rulePacks.saveDraft({
      files: withManifest('heping', { bureau: BINHAI }),
    });
    expect(squatter).toMatchObject({ packId: 'tianjin/heping', bureauCode: BINHAI, status: 'draft' });
    const files = packFiles('heping');
    const draft = await heping.caller.rulePacks.saveDraft({ files });
    expect(draft).toMatchObject({ packId: 'tianjin/heping', bureauCode: HEPING, status: 'draft' });
    // Autosave over its own draft, the only version of the pack id.
    expect((await heping.caller.rulePacks.saveDraft({ id: draft.id, files })).id).toBe(draft.id);
    await heping.caller.rulePacks.submit({ id: draft.id, note: '和平区规则包' });
    await w.cityAdmin.caller.rulePacks.review({ id: draft.id, decision: 'approve', opinion: '同意发布' });
    expect(await codeOf(heping.caller.rulePacks.publish({ id: draft.id }))).toBe('OK');
    // And Binhai still drafts its own pack.
    const own = await w.admin.caller.rulePacks.saveDraft({
      files: withManifest('binhai', { version: '1.0.1' }),
    });
    expect(own).toMatchObject({ packId: 'tianjin/binhai', bureauCode: BINHAI });
  });
});
