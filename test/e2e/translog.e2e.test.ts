/**
 * End-to-end: the built portal in Debian Chromium shows a publication's inclusion proof in the
 * public log, verified in the browser against the latest checkpoint, with the witnesses that
 * co-signed it; the checkpoints page lists them. The city admin registers and retires witnesses
 * in the admin (a bureau key refused). Screenshots: test/.artifacts/screenshots/translog-*.png.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cosignCheckpoint, generateLogKeyPair, isoSeconds } from '@spotcheck/core/log';
import { issueCheckpoint, keySecretFor } from '@spotcheck/api';
import { publish } from '@spotcheck/api/testing';
import { startServer, type RunningServer } from '@spotcheck/server';
import {
  BINHAI,
  callerWithToken,
  CITY,
  openTestDb,
  PASSWORD,
  signedInUser,
  type TestDb,
} from '../api/harness';
import { describeInChromium, ensureBuilt, useBrowser } from '../support/e2e';

const clock = Date.parse('2027-03-01T02:00:00Z');

describeInChromium('translog')('portal shows inclusion proofs of the public log', () => {
  let t: TestDb;
  let server: RunningServer;
  let publicationId = '';
  let logKey = '';
  const b = useBrowser('translog', { shotPrefix: 'translog-' });
  const { shot, errors } = b;

  beforeAll(async () => {
    const dist = ensureBuilt('portal');
    const admin = ensureBuilt('admin');
    t = await openTestDb();
    const now = () => new Date(clock);
    const city = await signedInUser(t.database, 'e2e-city', CITY, ['city-admin'], { now });
    await signedInUser(t.database, 'e2e-district', BINHAI, ['district-admin'], { now });
    const w1 = { name: 'tj-supervision', ...generateLogKeyPair() };
    const w2 = { name: 'public-monitor', ...generateLogKeyPair() };
    await city.caller.transparency.addWitness({
      name: w1.name,
      label: '市应急局监督处',
      publicKey: w1.publicKey,
    });
    await city.caller.transparency.addWitness({
      name: w2.name,
      label: '公众监督员张三',
      publicKey: w2.publicKey,
    });
    const pub = await t.database.db.transaction((tx) =>
      publish(tx, {
        bureauCode: BINHAI,
        kind: 'procedure',
        refId: 'proc-1',
        title: '滨海新区随机抽查工作细则',
        content: { text: '随机抽取检查对象，随机选派执法检查人员。' },
        by: null,
        at: new Date(clock - 30_000),
      }),
    );
    publicationId = pub.id;
    const cp = (await issueCheckpoint(t.database.db, {
      now: new Date(clock),
      keySecret: keySecretFor(t.database),
    }))!;
    logKey = cp.logKey;
    const anon = await callerWithToken(t.database, null, now);
    for (const w of [w1, w2]) {
      const c = cosignCheckpoint(cp, w, isoSeconds(clock + 2000));
      await anon.transparency.cosign({ size: cp.size, checkpointTime: cp.time, ...c, previous: null });
    }
    server = await startServer({
      database: t.database,
      port: 0,
      staticMounts: [
        { prefix: '/admin/', dir: admin },
        { prefix: '/', dir: dist },
      ],
      now,
    });
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  const visit = (path: string) => b.visit(`${server.url}${path}`, { width: 1280, height: 900 });

  it('verifies the inclusion proof of a publication in the browser and names its witnesses', async () => {
    const page = await visit(`/publication/${publicationId}`);
    const proof = page.getByTestId('inclusion-proof');
    await expect.poll(() => proof.getAttribute('data-status')).toBe('verified');
    expect(await proof.getAttribute('data-witnessed')).toBe('yes');
    const text = await proof.innerText();
    expect(text).toMatch(
      /已在浏览器中验证：本项内容是公开日志第 \d+ 条，包含在 2027-03-01 \d\d:00 签发的 \d+ 条检查点中/,
    );
    expect(await page.getByTestId('inclusion-witnesses').innerText()).toMatch(
      /市应急局监督处[\s\S]*公众监督员张三/,
    );
    await shot(page, 'publication');
    await page.getByTestId('lang-switch').click();
    await expect
      .poll(() => proof.innerText())
      .toMatch(/Verified in your browser: this is entry \d+ of the public log/);
  });

  it('fails the proof of a publication whose content was changed behind the log, its stated digest untouched', async () => {
    const { rows } = await t.database.exec(
      `select content::text as content from publications where id = $1`,
      [publicationId],
    );
    const kept = (rows[0] as { content: string }).content;
    const edited = { ...(JSON.parse(kept) as Record<string, unknown>), note: '事后悄悄改动' };
    await t.database.exec(`update publications set content = $2::jsonb where id = $1`, [
      publicationId,
      JSON.stringify(edited),
    ]);
    try {
      const page = await visit(`/publication/${publicationId}`);
      const proof = page.getByTestId('inclusion-proof');
      await expect.poll(() => proof.getAttribute('data-status')).toBe('failed');
      expect(await proof.getAttribute('data-changed')).toBe('yes');
      expect(await proof.innerText()).toContain('它在公布之后被改动过，不可信');
      await shot(page, 'publication-changed');
    } finally {
      await t.database.exec(`update publications set content = $2::jsonb where id = $1`, [
        publicationId,
        kept,
      ]);
    }
  });

  it('lists checkpoints with who witnessed them', async () => {
    const page = await visit('/checkpoints');
    const table = page.getByTestId('checkpoints-table');
    await expect.poll(() => table.innerText()).toMatch(/已见证/);
    expect(await table.innerText()).toMatch(/市应急局监督处/);
    expect(await page.getByTestId('witness-registry').innerText()).toMatch(/公众监督员张三/);
    await shot(page, 'checkpoints');
  });

  const adminAs = (username: string) =>
    b.signIn(server.url, username, { password: PASSWORD, width: 1280, height: 900 });

  async function auditCount(action: string): Promise<number> {
    const { rows } = await t.database.exec(
      `select count(*)::int as n from audit_events where action = '${action}'`,
    );
    return (rows[0] as { n: number }).n;
  }

  it('lets the city admin register witnesses (refusing a bureau key) and retire them, audited, in Chinese and English', async () => {
    const page = await adminAs('e2e-city');
    await page.goto(`${server.url}/admin/witnesses`);
    const table = page.getByTestId('witness-table');
    await expect.poll(() => table.innerText()).toMatch(/市应急局监督处[\s\S]*公众监督员张三/);
    expect(await table.innerText()).toContain('联署中');
    const added = await auditCount('log.witness.add');

    // The log's own key is not an independent witness: refused, in Chinese, nothing registered.
    await page.getByTestId('witness-add').click();
    await page.getByTestId('witness-label').fill('市纪委监委驻局纪检监察组');
    await page.getByTestId('witness-name').fill('tj-discipline');
    await page.getByTestId('witness-key').fill(logKey);
    await page.getByTestId('witness-add-ok').click();
    const refusal = page.getByTestId('witness-add-error');
    await expect.poll(() => refusal.innerText()).toContain('见证方必须独立于执法部门');
    expect(await refusal.innerText()).not.toMatch(/[A-Za-z]{4,}/);
    await shot(page, 'admin-witness-refused');
    expect(await auditCount('log.witness.add')).toBe(added);

    // A key the witness made itself: registered, listed, audited, the registry republished.
    const fresh = generateLogKeyPair();
    await page.getByTestId('witness-key').fill(fresh.publicKey);
    await page.getByTestId('witness-add-ok').click();
    await expect.poll(() => table.innerText()).toContain('市纪委监委驻局纪检监察组');
    expect(await auditCount('log.witness.add')).toBe(added + 1);
    const anon = await callerWithToken(t.database, null, () => new Date(clock));
    expect((await anon.transparency.witnesses()).map((w) => w.publicKey)).toContain(fresh.publicKey);
    await shot(page, 'admin-witnesses');

    // Retired: past co-signatures still count, the registry no longer lists it.
    await page.getByTestId('witness-retire-tj-discipline').click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await expect.poll(() => table.innerText()).toMatch(/已于 .* 停用/);
    expect(await auditCount('log.witness.retire')).toBe(1);
    expect((await anon.transparency.witnesses()).map((w) => w.publicKey)).not.toContain(fresh.publicKey);

    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.textContent('body')).toContain('Witnesses of the public log');
    expect(await table.innerText()).toMatch(/Retired/);
    await shot(page, 'admin-witnesses-en');
    await page.context().close();
  });

  it('keeps the witnesses page from a district admin', async () => {
    const page = await adminAs('e2e-district');
    expect(
      await page
        .getByTestId('main-menu')
        .innerText()
        .catch(() => ''),
    ).not.toContain('日志见证方');
    await page.goto(`${server.url}/admin/witnesses`);
    await expect.poll(() => page.textContent('body')).toContain('403');
    expect(await page.getByTestId('witness-table').count()).toBe(0);
    await page.context().close();
    expect(errors).toEqual([]);
  });
});
