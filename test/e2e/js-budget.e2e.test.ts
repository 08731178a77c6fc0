/**
 * First-load JavaScript budget (issue #15): the admin login page and the portal home must each
 * load at most 250 kB of gzip-compressed JavaScript before the page settles. Measured in Debian
 * Chromium against the real API server (which compresses with the `compression` middleware): every
 * script the page fetches until the network is idle — the entry chunk, its modulepreloads and the
 * lazy chunks the first route pulls in — counted as transferred (encoded) body bytes. Prints a
 * table per chunk; figures are recorded in BENCHMARKS.md.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '@spotcheck/db';
import { seedDemoCity } from '@spotcheck/demo';
import { startServer, type RunningServer } from '@spotcheck/server';
import { openMigratedPglite } from '../support/databases';
import { describeInChromium, ensureBuilt, useBrowser } from '../support/e2e';

/** The budget in bytes (kB as Vite reports them: 1 kB = 1,000 bytes). */
const BUDGET_BYTES = 250_000;

interface ScriptLoad {
  path: string;
  encoding: string;
  transferred: number;
  /** In the HTML (the entry script or a modulepreload) rather than fetched later by the route. */
  inHtml: boolean;
}

const kB = (bytes: number) => (bytes / 1000).toFixed(1).padStart(7);

const sum = (loads: ScriptLoad[]) => loads.reduce((s, l) => s + l.transferred, 0);

/** One line per chunk, largest first, and the totals against the budget. */
function table(title: string, loads: ScriptLoad[]): string {
  const rows = [...loads].sort((a, b) => b.transferred - a.transferred);
  const width = Math.max(...rows.map((r) => r.path.length), 5);
  const html = loads.filter((l) => l.inHtml);
  return [
    `${title}: ${loads.length} scripts, ${kB(sum(loads)).trim()} kB transferred (budget ${BUDGET_BYTES / 1000} kB);` +
      ` entry + modulepreload ${kB(sum(html)).trim()} kB, fetched by the route ${kB(sum(loads) - sum(html)).trim()} kB`,
    `  ${'chunk'.padEnd(width)}  from   encoding       kB`,
    ...rows.map(
      (r) =>
        `  ${r.path.padEnd(width)}  ${r.inHtml ? 'html ' : 'route'}  ${r.encoding.padEnd(8)} ${kB(r.transferred)}`,
    ),
  ].join('\n');
}

describeInChromium('js-budget')('first-load JavaScript budget', { timeout: 120_000 }, () => {
  let database: Database;
  let server: RunningServer;
  const b = useBrowser('js-budget');
  const tables: string[] = [];

  beforeAll(async () => {
    const admin = ensureBuilt('admin');
    const portal = ensureBuilt('portal');
    database = await openMigratedPglite();
    // A city with districts, so the portal home renders its bureau picker and lists.
    await seedDemoCity(database, { units: 50, seed: 20270101 });
    server = await startServer({
      database,
      port: 0,
      staticMounts: [
        { prefix: '/admin/', dir: admin },
        { prefix: '/', dir: portal },
      ],
    });
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    await database?.close();
    if (tables.length) console.log(tables.join('\n\n'));
  });

  /** Opens a page as a first-time visitor asking for gzip; returns the scripts it loaded. */
  async function scriptsLoadedBy(path: string, settled: RegExp): Promise<ScriptLoad[]> {
    const page = await b.newPage();
    const context = page.context();
    // Chromium offers br/zstd as well; the budget is stated in gzip.
    await context.setExtraHTTPHeaders({ 'accept-encoding': 'gzip' });
    const html = await (await fetch(`${server.url}${path}`)).text();
    const inHtml = new Set(
      [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map(
        (m) => m[1]!,
      ),
    );
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const pending: Promise<ScriptLoad>[] = [];
    page.on('response', (response) => {
      const request = response.request();
      if (request.resourceType() !== 'script' && !request.url().endsWith('.js')) return;
      pending.push(
        response.finished().then(async () => ({
          path: new URL(request.url()).pathname,
          encoding: (await response.headerValue('content-encoding')) ?? 'identity',
          transferred: (await request.sizes()).responseBodySize,
          inHtml: inHtml.has(new URL(request.url()).pathname),
        })),
      );
    });
    await page.goto(`${server.url}${path}`, { waitUntil: 'networkidle' });
    await page.getByText(settled).first().waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    const loads = await Promise.all(pending);
    await context.close();
    expect(errors).toEqual([]);
    // Every script the HTML names (the entry and its modulepreloads) was fetched and counted.
    expect(
      loads
        .filter((l) => l.inHtml)
        .map((l) => l.path)
        .sort(),
    ).toEqual([...inHtml].sort());
    return loads;
  }

  it('the admin login page loads at most 250 kB of gzip JavaScript', async () => {
    const loads = await scriptsLoadedBy('/admin/login', /用户名/);
    tables.push(table('admin /admin/login', loads));
    // Anything worth compressing came compressed; the count is a real first load.
    expect(loads.filter((l) => l.transferred > 1500 && l.encoding !== 'gzip')).toEqual([]);
    expect(loads.length).toBeGreaterThan(1);
    expect(sum(loads), table('admin /admin/login', loads)).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('the portal home loads at most 250 kB of gzip JavaScript', async () => {
    const loads = await scriptsLoadedBy('/', /最新公开/);
    tables.push(table('portal /', loads));
    expect(loads.filter((l) => l.transferred > 1500 && l.encoding !== 'gzip')).toEqual([]);
    expect(loads.length).toBeGreaterThan(0);
    expect(sum(loads), table('portal /', loads)).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
