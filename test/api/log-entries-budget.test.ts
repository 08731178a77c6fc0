/**
 * `transparency.entries` (anyone, 500 entries a call) sends contents inline up to a budget of
 * stored bytes; past it, and for each publication too large to read, the entry names its file.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_ENTRIES_INLINE_BYTES } from '@spotcheck/api';
import { publish } from '@spotcheck/api/testing';
import { anonymousCaller, BINHAI, openTestDb, type TestDb } from './harness';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => t?.close());

describe('transparency.entries', () => {
  it('keeps one anonymous answer within its budget: later contents are named by their files', async () => {
    // Six quarters of 3 MB each (hex digits: compression leaves them about as large), 18 MB in all.
    const ids: string[] = [];
    for (let q = 1; q <= 6; q++)
      ids.push(
        (
          await publish(t.database.db, {
            bureauCode: BINHAI,
            kind: 'quarterly-results',
            refId: `budget-${q}`,
            period: `2027-Q${q > 4 ? 4 : q}`,
            title: `第${q}份结果`,
            content: { supplement: q > 4, items: [{ summary: randomBytes(1536 * 1024).toString('hex') }] },
            by: null,
            at: new Date(`2027-0${q}-01T00:00:00Z`),
          })
        ).id,
      );
    const anon = await anonymousCaller(t.database);
    const { entries } = await anon.transparency.entries({ from: 0, limit: 500 });
    const ours = entries.filter((e) => e.publication && ids.includes(e.publication.id));
    expect(ours).toHaveLength(6);
    const inline = ours.filter((e) => e.publication!.content !== null);
    const named = ours.filter((e) => 'contentFile' in e.publication!);
    // Some inline, in log order, within the budget; the rest point at their files.
    expect(inline.length).toBeGreaterThan(0);
    expect(named.length).toBeGreaterThan(0);
    expect(inline.length + named.length).toBe(6);
    expect(ours.slice(0, inline.length)).toEqual(inline);
    expect(JSON.stringify(inline.map((e) => e.publication!.content)).length).toBeLessThanOrEqual(
      LOG_ENTRIES_INLINE_BYTES,
    );
    for (const e of named) {
      expect(e.publication!.content).toBeNull();
      expect((e.publication as { contentFile?: string }).contentFile).toBe(
        `/open/publication/${e.publication!.id}.json`,
      );
    }
  });
});
