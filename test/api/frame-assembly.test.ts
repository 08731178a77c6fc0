/**
 * How approval assembles a city's frame and writes its rows (issue 16): the roster is read and
 * classified in batches, pack by pack, and the large rows are written once as canonical JSON
 * pieces. Neither may change what is committed or published: the frame, the inspector rows, the
 * obligations and every classification are the same for any batch size, and a publication holding
 * pieces has the digest and the stored content of the same content published whole.
 */
import { resolve } from 'node:path';
import { eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { canonicalJson, digestOf } from '@spotcheck/core';
import { publications, units } from '@spotcheck/db';
import { seedDemoCity } from '@spotcheck/demo';
import { discoverPacks } from '@spotcheck/rules/load';
import { installRulePacks, unitFactsOf } from '@spotcheck/api';
import {
  assemblePlanFrame,
  canonicalElement,
  CanonicalPiece,
  DigestOf,
  publish,
  publishStored,
  rosterFactsBatch,
  StoredPiece,
} from '@spotcheck/api/testing';
import { openTestDb, type TestDb } from './harness';
import { openTestDatabase } from '../support/databases';

const ROOT = resolve(import.meta.dirname, '../..');
let t: TestDb;

beforeAll(async () => {
  t = await openTestDb({ bureaus: false });
  await seedDemoCity(t.database, { units: 1500 });
  await installRulePacks(t.database.db, discoverPacks(resolve(ROOT, 'rules'), ROOT), null);
}, 300_000);
afterAll(async () => t?.close());

const team = { size: 2, specialist: true, ownJurisdiction: true };

describe('a frame read and classified in batches', () => {
  it.each([
    ['a city year', { bureauCode: '120000', period: '2027' }],
    ['a city quarter (coverage ledger)', { bureauCode: '120000', period: '2027-Q2' }],
    ['a district quarter in a narrow scope', { bureauCode: '120116', period: '2027-Q3' }],
  ])('is the same for every batch size: %s', async (_, plan) => {
    const draft = {
      ...plan,
      kind: 'general' as const,
      scope: plan.bureauCode === '120000' ? {} : { riskGrades: ['major' as const, 'high' as const] },
      strata: [],
      team,
    };
    const whole = await assemblePlanFrame(t.database.db, draft, { batch: 1_000_000 });
    const reports: [number, number][] = [];
    const batched = await assemblePlanFrame(t.database.db, draft, {
      batch: 37,
      onProgress: (done, total) => reports.push([done, total]),
    });
    // Progress after each batch: units read so far, rising to every unit in scope.
    expect(reports.length).toBeGreaterThanOrEqual(Math.ceil(whole.roster.length / 37));
    expect(reports.map(([d]) => d)).toEqual([...reports.map(([d]) => d)].sort((a, b) => a - b));
    expect(reports.at(-1)).toEqual([whole.roster.length, whole.roster.length]);
    expect(whole.frame.rows.length).toBeGreaterThan(plan.bureauCode === '120000' ? 1000 : 10);
    expect(batched.frame).toEqual(whole.frame);
    expect(batched.inspectors.rows).toEqual(whole.inspectors.rows);
    expect(batched.inspectors.reasons).toEqual(whole.inspectors.reasons);
    // Own jurisdiction excludes district inspectors from their district's units (a district plan's
    // own roster, the city plan's districts).
    const kinds = new Set(
      [...whole.inspectors.reasons.values()].flatMap((m) => [...m.values()].flat().map((r) => r.kind)),
    );
    expect(kinds.has('own-jurisdiction')).toBe(true);
    expect(batched.roster).toEqual(whole.roster);
    expect(batched.classifications).toEqual(whole.classifications);
    expect(batched.obligations).toEqual(whole.obligations);
    expect(batched.experts).toEqual(whole.experts);
    expect(batched.ratioClasses).toEqual(whole.ratioClasses);
    expect([batched.pack, batched.packRef, batched.ruleLabels, batched.ledger]).toEqual([
      whole.pack,
      whole.packRef,
      whole.ruleLabels,
      whole.ledger,
    ]);
    // Every active unit in scope once, each with its own bureau.
    const ids = whole.roster.map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('the roster as approval reads it', () => {
  it('gives every unit the facts of its whole row (the booleans travel packed in one integer)', async () => {
    // Each boolean column set on about half of a district's units, independently of the others,
    // so that a fact read from another column's bit differs somewhere.
    const booleans = Object.entries(getTableColumns(units)).filter(([, c]) => c.dataType === 'boolean');
    expect(booleans.length).toBeGreaterThanOrEqual(10);
    const district = eq(units.bureauCode, '120116');
    await t.database.db
      .update(units)
      .set(
        Object.fromEntries(
          booleans.map(([key], i) => [key, sql`substr(md5(${units.id} || ${String(i)}), 1, 1) < '8'`]),
        ),
      )
      .where(district);
    const read = await rosterFactsBatch(t.database.db, district, null, 1_000_000);
    expect(read.rows.length).toBeGreaterThan(50);
    const whole = await t.database.db
      .select()
      .from(units)
      .where(
        inArray(
          units.id,
          read.rows.map((r) => r.id),
        ),
      );
    const byId = new Map(whole.map((u) => [u.id, u]));
    expect(read.facts).toEqual(read.rows.map((r) => unitFactsOf(byId.get(r.id)!)));
    // Both values of every boolean fact occur, and the rows come in id order, in batches too.
    for (const name of Object.keys(read.facts[0]!).filter(
      (k) => typeof read.facts[0]![k as 'resuming'] === 'boolean',
    ))
      expect(new Set(read.facts.map((f) => f[name as 'resuming']))).toEqual(new Set([true, false]));
    const first = await rosterFactsBatch(t.database.db, district, null, 7);
    const next = await rosterFactsBatch(t.database.db, district, first.rows.at(-1)!.id, 7);
    expect([...first.rows, ...next.rows]).toEqual(read.rows.slice(0, 14));
  });
});

describe('publication content with canonical pieces', () => {
  it('has the digest and the stored content of the same content published whole', async () => {
    const [bureau] = (await t.database.exec(`select code from bureaus order by code limit 1`)).rows as {
      code: string;
    }[];
    const rows = [
      ['91120000MA00000001', 'ratio-sample', 1234, 0, '', 1],
      ['91120000MA00000002', 'mandatory', 1, 1, '危险化学品', 0],
    ];
    const result = { selected: [{ unit: 'u1', team: ['b', 'a'] }], zeta: null, alpha: 'x' };
    const whole = {
      algorithm: 'sr-draw/v2',
      sealed: false,
      bundle: { frame: rows, result, commitmentDigest: 'ab'.repeat(32), note: undefined },
      zeta: [3, 2, 1],
      at: new Date('2027-01-04T09:00:00Z'),
    };
    const pieced = {
      ...whole,
      bundle: {
        ...whole.bundle,
        frame: CanonicalPiece.of(rows),
        result: CanonicalPiece.of(result),
      },
    };
    expect(CanonicalPiece.of(rows).digest).toBe(digestOf(rows));
    const common = { bureauCode: bureau!.code, kind: 'draw' as const, title: 'pieces', by: null };
    const a = await publish(t.database.db, { ...common, refId: 'whole', content: whole, at: new Date() });
    const b = await publish(t.database.db, { ...common, refId: 'pieced', content: pieced, at: new Date() });
    expect(b.digest).toBe(a.digest);
    expect(b.digest).toBe(digestOf(JSON.parse(JSON.stringify(whole))));
    const stored = async (id: string) =>
      (await t.database.db.select().from(publications).where(eq(publications.id, id)))[0]!.content;
    expect(await stored(b.id)).toEqual(await stored(a.id));
    expect((b.content as typeof whole).bundle.frame).toEqual(rows);
    // Pieces copied from where they were stored (a commitment's rows from its draw): the same
    // digest, hashed from the text, and the same content, copied by PostgreSQL.
    const at = (path: string) =>
      sql`(SELECT ${publications.content} #> ${`{bundle,${path}}`}::text[] FROM ${publications} WHERE ${publications.id} = ${a.id})`;
    const copied = {
      ...whole,
      bundle: {
        ...whole.bundle,
        frame: CanonicalPiece.of(rows).storedIn(at('frame')),
        result: CanonicalPiece.of(result).storedIn(at('result')),
      },
    };
    const c = await publish(t.database.db, { ...common, refId: 'copied', content: copied, at: new Date() });
    expect(c.digest).toBe(a.digest);
    expect(await stored(c.id)).toEqual(await stored(a.id));
  });
});

describe('publication content with stored pieces', () => {
  it('writes each array element as PostgreSQL gives it back in canonical JSON, frame rows without a parse', async () => {
    const elements: unknown[] = [
      ['91120116MA05T1QD0X', 'risk-high', 3, 0, '', 1],
      ['a', -12, 0, true, false, null, 999_999_999_999_999],
      [],
      ['a, b', 1],
      ['引号 "x"', '\\', '\u0001', '😀', 'é'],
      [1.5, -0, 1e21, 2 ** 60],
      [[1, 2], ['x']],
      [{ b: 1, a: [2, 1] }],
      { z: 1, a: 'b' },
      'text',
      7,
      null,
    ];
    const rows = (
      await t.owner.exec(`select e::text as t from jsonb_array_elements($1::jsonb) as e`, [
        JSON.stringify(elements),
      ])
    ).rows as { t: string }[];
    expect(rows).toHaveLength(elements.length);
    // PostgreSQL writes a space after each comma: the text itself is not canonical.
    expect(rows[0]!.t).toBe('["91120116MA05T1QD0X", "risk-high", 3, 0, "", 1]');
    for (const { t: text } of rows) expect(canonicalElement(text)).toBe(canonicalJson(JSON.parse(text)));
    expect(rows.map((r) => canonicalElement(r.t))).toEqual(elements.map((e) => canonicalJson(e)));
  });

  it('has the digest and the stored content of the same content published whole, however large', async () => {
    // The schema's owner: the app role may not create the source table on PostgreSQL.
    const owner = t.owner;
    const [bureau] = (await owner.exec(`select code from bureaus order by code limit 1`)).rows as {
      code: string;
    }[];
    // More rows than one FETCH; keys jsonb orders otherwise than canonical JSON (by length first);
    // numbers, escapes and text outside the BMP as jsonb gives them back.
    const frame = Array.from({ length: 25_001 }, (_, i) => [
      `91120000MA${String(i).padStart(8, '0')}`,
      i % 3 ? 'ratio-sample' : 'mandatory',
      i * 1.5,
      -i,
      i % 7 ? '' : '危险化学品 "引号" \\ \u0001 😀',
      i % 2,
    ]);
    // A stored scalar, read whole.
    const label = '第1次 "抽取" \u2028';
    const result = {
      selected: frame.slice(0, 1200).map((r, i) => ({ unit: r[0], team: ['b', 'a'], zeta: i, alpha: null })),
      zeta: null,
      alpha: 'x',
      overloads: [],
      strata: [{ id: 's', b: { y: 1, x: [2, 1] } }],
      empty: {},
    };
    await owner.db.execute(
      sql`create table piece_src (id text primary key, frame jsonb, result jsonb, none jsonb, scalar jsonb)`,
    );
    await owner.db.execute(
      sql`insert into piece_src values ('p', ${JSON.stringify(frame)}::jsonb, ${JSON.stringify(result)}::jsonb, null, ${JSON.stringify(label)}::jsonb)`,
    );
    const whole = {
      algorithm: 'sr-draw/v2',
      bundle: {
        frame,
        result,
        excluded: [],
        none: null,
        label,
        commitmentDigest: 'ab'.repeat(32),
        note: undefined,
      },
      zeta: [3, 2, 1],
      at: new Date('2027-01-04T09:00:00Z'),
    };
    const from = (column: string, orElse?: string) =>
      StoredPiece.of(
        sql`${sql.identifier(column)}`,
        sql`piece_src`,
        sql`id = 'p'`,
        orElse ? sql.raw(orElse) : undefined,
      );
    const stored = {
      ...whole,
      bundle: {
        ...whole.bundle,
        frame: from('frame'),
        result: from('result'),
        excluded: from('none', `'[]'::jsonb`),
        none: from('none'),
        label: from('scalar'),
      },
    };
    const common = { bureauCode: bureau!.code, kind: 'draw' as const, title: 'stored', by: null };
    const a = await publish(owner.db, { ...common, refId: 'whole-2', content: whole, at: new Date() });
    const b = await publishStored(owner.db, {
      ...common,
      refId: 'stored',
      content: stored,
      at: new Date(),
    });
    expect(b.digest).toBe(a.digest);
    expect(b.digest).toBe(digestOf(JSON.parse(JSON.stringify(whole))));
    const content = async (id: string) =>
      (await owner.db.select().from(publications).where(eq(publications.id, id)))[0]!.content;
    expect(await content(b.id)).toEqual(await content(a.id));
    // Hashed on a connection of its own while this one builds the content (PostgreSQL; on PGlite
    // as above): the same digest and content.
    const beside = await owner.db.transaction((tx) =>
      publishStored(
        tx,
        { ...common, refId: 'beside', content: stored, at: new Date() },
        { beside: owner.db },
      ),
    );
    expect(beside.digest).toBe(a.digest);
    expect(await content(beside.id)).toEqual(await content(a.id));
    // The log's leaf carries the same digest.
    const [leaf] = (await owner.exec(`select leaf from log_leaves where publication_id = $1`, [b.id]))
      .rows as { leaf: string }[];
    expect(JSON.parse(leaf!.leaf).contentDigest).toBe(b.digest);
    // Published whole, content holding a stored piece is refused rather than hashed wrong, and so
    // is a piece that kept only its text (`publish` returns the content it published).
    await expect(
      publish(owner.db, { ...common, refId: 'wrong', content: stored, at: new Date() }),
    ).rejects.toThrow(/publishStored/);
    const textOnly = {
      ...whole,
      bundle: { ...whole.bundle, result: CanonicalPiece.of(result).withoutValue() },
    };
    await expect(
      publish(owner.db, { ...common, refId: 'text-only', content: textOnly, at: new Date() }),
    ).rejects.toThrow(/publishStored/);
    const kept = await publishStored(owner.db, {
      ...common,
      refId: 'text-only',
      content: textOnly,
      at: new Date(),
    });
    expect(kept.digest).toBe(a.digest);
    expect(await content(kept.id)).toEqual(await content(a.id));
  });

  it('hashes beside only the rows as this transaction sees them, and here whenever beside fails', async () => {
    // A piece this very transaction has rewritten: another connection still sees the old value,
    // so it must not hash it (the digest would not be the content's). And a second connection that
    // cannot do the work (here: a database without the table) leaves it to this one.
    const owner = t.owner;
    const [bureau] = (await owner.exec(`select code from bureaus order by code limit 1`)).rows as {
      code: string;
    }[];
    await owner.exec(`create table piece_own (id text primary key, v jsonb)`);
    await owner.exec(`insert into piece_own values ('p', '[["91120000MA00000001", 1]]')`);
    const piece = StoredPiece.of(sql`v`, sql`piece_own`, sql`id = 'p'`);
    const content = (v: unknown) => ({ algorithm: 'sr-draw/v2', bundle: { frame: v, note: '改写' } });
    const common = {
      bureauCode: bureau!.code,
      kind: 'draw' as const,
      title: 'own',
      by: null,
      at: new Date(),
    };
    const stored = async (id: string) =>
      (
        (await owner.exec(`select content from publications where id = $1`, [id])).rows[0] as {
          content: unknown;
        }
      ).content;
    const rewritten = [['91120000MA00000002', 2]];
    const mine = await owner.db.transaction(async (tx) => {
      await tx.execute(sql`update piece_own set v = ${JSON.stringify(rewritten)}::jsonb where id = 'p'`);
      return publishStored(
        tx,
        { ...common, refId: 'own-rewritten', content: content(piece) },
        { beside: owner.db },
      );
    });
    expect(await stored(mine.id)).toEqual(content(rewritten));
    expect(mine.digest).toBe(digestOf(content(rewritten)));
    const elsewhere = owner.kind === 'postgres' ? await openTestDatabase('postgres') : null;
    try {
      const other = await owner.db.transaction((tx) =>
        publishStored(
          tx,
          { ...common, refId: 'own-elsewhere', content: content(piece) },
          { beside: elsewhere ? elsewhere.database.db : owner.db },
        ),
      );
      expect(other.digest).toBe(digestOf(content(rewritten)));
      expect(await stored(other.id)).toEqual(content(rewritten));
    } finally {
      await elsewhere?.dispose();
    }
  });

  it("hashes a digest of its own pieces beside the content, reading each piece once (a void's bundleDigest)", async () => {
    // A void publishes its bundle and the bundle's digest: both digests come from one read of the
    // bundle's rows (issue 16), and both are the digests of the content as published whole.
    const owner = t.owner;
    const [bureau] = (await owner.exec(`select code from bureaus order by code limit 1`)).rows as {
      code: string;
    }[];
    const frame = [['91120000MA00000003', 'risk-high', 1]];
    const result = { selected: [{ unit: '91120000MA00000003', team: ['b', 'a'] }] };
    await owner.exec(`create table piece_digest (id text primary key, frame jsonb, result jsonb)`);
    await owner.exec(`insert into piece_digest values ('p', $1::jsonb, $2::jsonb)`, [
      JSON.stringify(frame),
      JSON.stringify(result),
    ]);
    const piece = (column: string) =>
      StoredPiece.of(sql`${sql.identifier(column)}`, sql`piece_digest`, sql`id = 'p'`);
    const attempt = (f: unknown, r: unknown) => ({
      algorithm: 'sr-draw/v2',
      frame: f,
      result: r,
      void: '作废',
    });
    const stored = attempt(piece('frame'), piece('result'));
    const common = {
      bureauCode: bureau!.code,
      kind: 'void' as const,
      title: 'digest',
      by: null,
      at: new Date(),
    };
    const content = (bundle: object, digest: unknown) => ({
      bundle: { ...bundle, inclusion: { seq: 1 } },
      bundleDigest: digest,
      zeta: '之后',
    });
    const original = StoredPiece.prototype.parts;
    const reads: string[] = [];
    const spy = vi.spyOn(StoredPiece.prototype, 'parts').mockImplementation(function (this: StoredPiece, tx) {
      reads.push(this === stored.frame ? 'frame' : this === stored.result ? 'result' : 'other');
      return original.call(this, tx);
    });
    try {
      const bundleDigest = new DigestOf(stored);
      const pub = await publishStored(owner.db, {
        ...common,
        refId: 'digest-of',
        content: content(stored, bundleDigest),
      });
      expect(reads).toEqual(['frame', 'result']);
      const plain = attempt(frame, result);
      expect(bundleDigest.digest).toBe(digestOf(plain));
      expect(pub.digest).toBe(digestOf(content(plain, digestOf(plain))));
      const [row] = (await owner.exec(`select content from publications where id = $1`, [pub.id])).rows as {
        content: unknown;
      }[];
      expect(row!.content).toEqual(content(plain, digestOf(plain)));

      // A digest of the pieces in another order, or one the content reaches before its pieces,
      // cannot be taken in that one pass: refused, and nothing is published.
      const swapped = { a: stored.result, b: stored.frame };
      await expect(
        publishStored(owner.db, {
          ...common,
          refId: 'digest-swapped',
          content: content(stored, new DigestOf(swapped)),
        }),
      ).rejects.toThrow(/same order/);
      await expect(
        publishStored(owner.db, {
          ...common,
          refId: 'digest-early',
          content: { a: new DigestOf(stored), bundle: stored },
        }),
      ).rejects.toThrow(/comes after/);
      // Published whole, it is refused rather than hashed wrong.
      await expect(
        publish(owner.db, { ...common, refId: 'digest-whole', content: { d: new DigestOf({ x: 1 }) } }),
      ).rejects.toThrow(/publishStored/);
      // A piece inside an array is not a member the pass finds: refused, not published as its fields.
      for (const [refId, inArray] of [
        ['piece-in-array', [piece('frame')]],
        ['digest-in-array', [new DigestOf(stored)]],
        ['canonical-in-array', [CanonicalPiece.of(frame)]],
      ] as const)
        await expect(
          publishStored(owner.db, { ...common, refId, content: { bundle: stored, list: inArray } }),
        ).rejects.toThrow(/not inside an array/);
      const refused = await owner.exec(
        `select count(*)::int as n from publications
         where ref_id in ('digest-swapped', 'digest-early', 'digest-whole', 'piece-in-array', 'digest-in-array', 'canonical-in-array')`,
      );
      expect(refused.rows[0]).toEqual({ n: 0 });
    } finally {
      spy.mockRestore();
    }
  });

  it('stores objects around pieces whatever their keys: the row alias, long, empty, quoted, many', async () => {
    // The objects on the way to a piece are SQL rows, their keys column names: a key named as the
    // row's alias, one past 63 bytes (cut short as a name), an empty one and quotes must all
    // come back as published, with the digest of the content published whole.
    const [bureau] = (await t.owner.exec(`select code from bureaus order by code limit 1`)).rows as {
      code: string;
    }[];
    const piece = CanonicalPiece.of([['91120000MA00000001', 1]]);
    const many = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`m${i}`, i]));
    const whole = (p: unknown) => ({
      r: { r: p, r_: 1, 'say "hi"': { x: p } },
      blank: { '': 'empty', p },
      ['k'.repeat(64)]: { inner: p },
      ['危'.repeat(21)]: { ['危'.repeat(22)]: p },
      many: { ...many, p },
      e: {},
    });
    const plain = whole([['91120000MA00000001', 1]]);
    const common = { bureauCode: bureau!.code, kind: 'draw' as const, title: 'keys', by: null };
    const a = await publish(t.database.db, {
      ...common,
      refId: 'keys-whole',
      content: plain,
      at: new Date(),
    });
    const b = await publish(t.database.db, {
      ...common,
      refId: 'keys-pieced',
      content: whole(piece),
      at: new Date(),
    });
    expect(b.digest).toBe(a.digest);
    expect(b.digest).toBe(digestOf(plain));
    const [stored] = (await t.owner.exec(`select content from publications where id = $1`, [b.id])).rows as {
      content: unknown;
    }[];
    expect(stored!.content).toEqual(plain);
  });
});
