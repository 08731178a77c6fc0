import type { IncomingMessage, ServerResponse } from 'node:http';
import { Feed } from 'feed';
import { desc, eq } from 'drizzle-orm';
import { OPEN_DATASETS, openDataRows, toCsv } from '@spotcheck/api';
import { bureaus, publications, type Db } from '@spotcheck/db';

const KINDS = [
  'checklist',
  'procedure',
  'plan',
  'commitment',
  'draw',
  'void',
  'quarterly-results',
  'blacklist',
];

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.statusCode = status;
  res.setHeader('content-type', type);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('access-control-allow-origin', '*');
  res.end(body);
}

function bad(res: ServerResponse, message: string) {
  send(res, 400, 'text/plain; charset=utf-8', `${message}\n`);
}

/**
 * Open data (no login): `GET /open/schema.json`, `GET /open/<dataset>.csv|json` with optional
 * `bureau`, `period`, `kind` (publications) query parameters, and `GET /feed/<bureau>.atom`, an
 * Atom feed of a bureau's newest publications. Everything comes from the public column.
 * Returns false when the URL is not one of these.
 */
export async function handleOpenData(db: Db, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const origin = `http://${req.headers.host ?? 'localhost'}`;
  if (url.pathname === '/open/schema.json') {
    send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ datasets: OPEN_DATASETS }, null, 2));
    return true;
  }
  const m = /^\/open\/([a-z-]+)\.(csv|json)$/.exec(url.pathname);
  if (m) {
    const dataset = OPEN_DATASETS.find((d) => d.name === m[1]);
    if (!dataset) {
      send(res, 404, 'text/plain; charset=utf-8', `no dataset "${m[1]}": see /open/schema.json\n`);
      return true;
    }
    const bureauCode = url.searchParams.get('bureau') ?? undefined;
    const period = url.searchParams.get('period') ?? undefined;
    const kind = url.searchParams.get('kind') ?? undefined;
    if (bureauCode !== undefined && !/^\d{6}$/.test(bureauCode)) {
      bad(res, 'bureau: must be a 6-digit bureau code');
      return true;
    }
    if (period !== undefined && !/^\d{4}(-Q[1-4]|-\d{2})?$/.test(period)) {
      bad(res, 'period: must be YYYY, YYYY-Qn or YYYY-MM');
      return true;
    }
    if (kind !== undefined && !KINDS.includes(kind)) {
      bad(res, `kind: must be one of ${KINDS.join(', ')}`);
      return true;
    }
    const rows = (await openDataRows(db, dataset.name, { bureauCode, period, kind }))!;
    const file = `${dataset.name}${bureauCode ? `-${bureauCode}` : ''}${period ? `-${period}` : ''}`;
    res.setHeader('content-disposition', `attachment; filename="${file}.${m[2]}"`);
    if (m[2] === 'csv') send(res, 200, 'text/csv; charset=utf-8', toCsv(dataset, rows));
    else
      send(
        res,
        200,
        'application/json; charset=utf-8',
        JSON.stringify({ dataset: dataset.name, schema: `${origin}/open/schema.json`, rows }),
      );
    return true;
  }
  const f = /^\/feed\/(\d{6})\.atom$/.exec(url.pathname);
  if (f) {
    const [bureau] = await db.select().from(bureaus).where(eq(bureaus.code, f[1]!));
    if (!bureau) {
      send(res, 404, 'text/plain; charset=utf-8', `no bureau ${f[1]}\n`);
      return true;
    }
    // The columns an entry prints, never the content: anyone may ask, and a city draw's content
    // is ~10^8 bytes (a second and tens of MB a request to read, for a title and a digest).
    const rows = await db
      .select({
        id: publications.id,
        kind: publications.kind,
        period: publications.period,
        title: publications.title,
        digest: publications.digest,
        publishedAt: publications.publishedAt,
      })
      .from(publications)
      .where(eq(publications.bureauCode, bureau.code))
      .orderBy(desc(publications.publishedAt))
      .limit(50);
    const feed = new Feed({
      id: `${origin}/feed/${bureau.code}.atom`,
      title: `${bureau.name} 双随机、一公开`,
      link: `${origin}/?bureau=${bureau.code}`,
      language: 'zh-CN',
      copyright: bureau.name,
      updated: rows[0]?.publishedAt ?? new Date(0),
      feedLinks: { atom: `${origin}/feed/${bureau.code}.atom` },
    });
    for (const p of rows)
      feed.addItem({
        id: `urn:uuid:${p.id}`,
        title: p.title,
        link: `${origin}/publication/${p.id}?bureau=${bureau.code}`,
        date: p.publishedAt,
        description: `${p.kind}${p.period ? ` ${p.period}` : ''} · SHA-256 ${p.digest}`,
      });
    send(res, 200, 'application/atom+xml; charset=utf-8', feed.atom1());
    return true;
  }
  return false;
}
