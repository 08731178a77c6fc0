/** Self-test of the zh-CN page scan: it flags internal ids and English, and passes a Chinese page. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, type Browser } from './browser';
import { assertReadsChinese, latinLeaks, visibleTexts } from './reads-chinese';

const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('latinLeaks', () => {
  it('flags a kebab id, a dictionary key, a UUID, a status code and an English sentence', () => {
    const leaks = latinLeaks([
      '专长：hazardous-chemicals',
      'session.login',
      '对象 plans · 0b6f7c1e-3a52-4d7e-9d0a-6c1f2e3d4a5b',
      '状态：listed',
      'Chain broken at event 12',
      '原因：mandatory_due',
    ]);
    expect(leaks.map((l) => [l.kind, l.token])).toEqual([
      ['internal id', 'hazardous-chemicals'],
      ['dictionary key', 'session.login'],
      ['uuid', '0b6f7c1e-3a52-4d7e-9d0a-6c1f2e3d4a5b'],
      ['English word', 'plans'],
      ['English word', 'listed'],
      ['English word', 'Chain'],
      ['English word', 'broken'],
      ['English word', 'at'],
      ['English word', 'event'],
      ['internal id', 'mandatory_due'],
    ]);
    expect(latinLeaks(['已立案 case.stage.filed'])[0]).toMatchObject({
      kind: 'dictionary key',
      token: 'case.stage.filed',
      text: '已立案 case.stage.filed',
    });
  });

  it('passes Chinese text with codes, digests, URLs, dates, numbers, units and format names', () => {
    expect(
      latinLeaks([
        '天津滨海化工有限公司 统一社会信用代码 91120116MA05L8XK2T',
        `摘要 sha256:${SHA256}`,
        `${SHA256.slice(0, 12)}…`,
        '公开于 2026-10-27 02:00，2026-Q3 季度',
        '下载 CSV · JSON · XLSX（12.5 kB）',
        '按 sr-draw/v2 用 drand 第 4123 轮随机数重算',
        '检查项目 TJ-GEN-001，执法证号 津应急执120116-9001',
        '详见 https://spotcheck.example.cn/publication/7 或 rules/ammonia-cold.json',
        '证据 现场记录.txt（text/plain），导出 Excel',
        '运行 npm run -s spotcheck -- verify bundle.json --keys registry.json 或 `npm start` 核对',
        '下载为 JSON Lines',
      ]),
    ).toEqual([]);
  });

  it('reads machine text (code) for whole UUIDs only', () => {
    expect(latinLeaks([{ text: 'digest.commitment', machine: true }])).toEqual([]);
    expect(
      latinLeaks([{ text: '0b6f7c1e-3a52-4d7e-9d0a-6c1f2e3d4a5b', machine: true }]).map((l) => l.kind),
    ).toEqual(['uuid']);
  });

  it('lets a test allow what it typed in Latin script itself', () => {
    expect(latinLeaks(['令牌 credit-sync'], ['credit-sync'])).toEqual([]);
    expect(latinLeaks(['令牌 credit-sync'], [/^credit-/])).toEqual([]);
  });
});

describe.skipIf(!hasChromium)('assertReadsChinese in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const page = async (body: string) => {
    const p = await browser.newPage();
    await p.setContent(`<html lang="zh-CN"><body>${body}</body></html>`);
    return p;
  };

  it('passes a typical Chinese page; typed values, hidden text and <pre> are not read', async () => {
    const p = await page(`
      <main><h1>天津滨海化工有限公司</h1>
        <table><tr><td>统一社会信用代码</td><td>91120116MA05L8XK2T</td></tr>
          <tr><td>摘要</td><td><code>${SHA256}</code></td></tr>
          <tr><td>抽取时间</td><td>2026-07-06 09:00</td></tr></table>
        <span class="ant-tag">已立案</span>
        <input value="typed by the user">
        <div style="display:none">hidden.dictionary.key</div>
        <pre>{"status": "listed"}</pre>
        <p>核对项 <code>signOff.timing</code></p>
        <button data-testid="lang-switch">English</button></main>`);
    await assertReadsChinese(p);
    expect(await visibleTexts(p)).not.toContain('hidden.dictionary.key');
    await p.close();
  });

  it('fails on a page with internal ids, naming them', async () => {
    const p = await page(`
      <div class="ant-drawer"><span class="ant-tag">hazardous-chemicals</span>
        <td>session.login</td><td><code>0b6f7c1e-3a52-4d7e-9d0a-6c1f2e3d4a5b</code></td>
        <p>The chain is broken.</p></div>`);
    const failure = await assertReadsChinese(p).then(
      () => '',
      (err: Error) => err.message,
    );
    for (const s of [
      'hazardous-chemicals',
      'session.login',
      '0b6f7c1e-3a52-4d7e-9d0a-6c1f2e3d4a5b',
      'broken',
    ])
      expect(failure).toContain(s);
    await p.close();
  });
});
