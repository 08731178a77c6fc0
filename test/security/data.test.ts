/**
 * Data integrity findings (issue 11): a checklist CSV streamed into a draft that is published
 * meanwhile, and formula injection through CSV exports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessFor, exportList, runImport } from '@spotcheck/api';
import { neutraliseFormula, readRows } from '@spotcheck/api/testing';
import { checklistItems } from '@spotcheck/db';
import { eq } from 'drizzle-orm';
import { BINHAI, codeOf, openTestDb, type TestDb } from '../api/harness';
import { buildWorld, type World } from '../api/fixtures';

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database, 4);
});
afterAll(() => t?.close());

describe('checklist import into a draft', () => {
  it('a draft published while the file streams in refuses the import; the published items stay', async () => {
    const draft = await w.admin.caller.checklist.createDraft({ bureauCode: BINHAI });
    await w.admin.caller.checklist.setItems({
      versionId: draft.id,
      items: [
        {
          code: 'SEC-001',
          subject: '单位',
          item: '责任制',
          content: '是否建立',
          legalBasis: '《安全生产法》',
        },
      ],
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* slowFile() {
      yield Buffer.from('事项编码,检查主体,检查项目,检查内容,检查依据\nSEC-900,单位,偷换,偷换内容,无\n');
      await gate;
      yield Buffer.from('SEC-901,单位,偷换2,偷换内容2,无\n');
    }
    const user = w.admin.user;
    const sessionUser = { ...user, sessionHash: null };
    const importing = runImport(
      {
        db: t.database.db,
        now: () => new Date(),
        user: sessionUser,
        access: accessFor(sessionUser, ['city-admin', 'district-admin']),
      },
      'checklist-items',
      'csv',
      slowFile(),
      { versionId: draft.id },
    );
    const published = await w.admin.caller.checklist.publish({ versionId: draft.id });
    release();
    expect(await codeOf(importing)).toBe('CONFLICT');
    const items = await t.database.db
      .select({ code: checklistItems.code })
      .from(checklistItems)
      .where(eq(checklistItems.versionId, draft.id));
    expect(items.map((i) => i.code)).toEqual(['SEC-001']);
    expect(published).toBeTruthy();
  });
});

describe('CSV export', () => {
  it('writes =, +, -, @ cells as text, not formulas', async () => {
    await w.admin.caller.experts.create({
      id: 'E120116-0901',
      name: '=HYPERLINK("http://evil.example","点我")',
      bureauCode: BINHAI,
      specialties: [],
      title: '+cmd|/c calc',
      employer: '@SUM(1,2)',
    });
    const file = await exportList(t.database.db, 'experts', 'csv', 'all');
    const text = file.data.toString('utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
    expect(text).toContain(`"'+cmd|/c calc"`);
    expect(text).toContain(`"'@SUM(1,2)"`);
    for (const line of text.split('\r\n'))
      for (const cell of line.split(',')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+@]/);
    // Text reading as a number is text too; the numbers the platform writes stay numbers (csvField).
    expect(neutraliseFormula('-5')).toBe("'-5");
    expect(neutraliseFormula('-1+2')).toBe("'-1+2");
    // The import reads the exported file back as the text it holds, apostrophes gone.
    const rows: string[][] = [];
    for await (const row of readRows('csv', file.data)) rows.push(row);
    expect(rows.find((r) => r[0] === 'E120116-0901')).toEqual([
      'E120116-0901',
      '=HYPERLINK("http://evil.example","点我")',
      BINHAI,
      '',
      '+cmd|/c calc',
      '@SUM(1,2)',
      'active',
    ]);
  });
});
