/**
 * Whether a zh-CN page reads fully in Chinese (issue #15): the visible text of the page may hold
 * no internal id — no UUID, no dotted dictionary key (`case.stage.filed`, `session.login`), no
 * kebab or snake id (`hazardous-chemicals`, `mandatory_due`), no English word or sentence, no
 * status code (`listed`). What is Latin by nature passes: codes (USCC 91…, checklist item codes,
 * certificate numbers), hex digests, URLs, dates and periods, numbers and units (kB), format names
 * (CSV, JSON, XLSX) and the names of the draw protocol and its beacon (sr-draw/v2, drand).
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** One Latin-script string that should have been Chinese, and the text it stood in. */
export interface LatinLeak {
  token: string;
  kind: 'uuid' | 'dictionary key' | 'internal id' | 'English word';
  text: string;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** A run of Latin script with the joiners ids are made of (`.`, `-`, `_`, `/`, `:`, `@`, `+`). */
const TOKEN = /[A-Za-z0-9][A-Za-z0-9._:/@+-]*[A-Za-z0-9]|[A-Za-z]/g;
/** Latin by nature: format names, units, the draw protocol and its beacon. */
const LATIN_BY_NATURE = new Set([
  'drand',
  'sr-draw',
  'sr-draw/v1',
  'sr-draw/v2',
  'kB',
  'KB',
  'MB',
  'GB',
  'ms',
  'px',
  'km',
  'sha256',
  'Excel',
  'Python',
  'Node.js',
  'PostgreSQL',
  'pg-boss',
  'Atom',
  'Pareto',
  'Ed25519',
  'ed25519',
]);
/** Names of several words: a format. */
const LATIN_PHRASES = /\bJSON Lines\b/g;
/**
 * A command line the reader types (`spotcheck verify bundle.json --keys registry.json`,
 * `npm start`): the command, its subcommands, options and arguments.
 */
const COMMAND =
  /`[^`]*`|(?<![\w./:-])(?:spotcheck|npm|npx|python3|node)(?![\w.:/-])(?: +(?:--?)?[\w./@=*-]+)*/g;

/** A visible text node; `machine` inside `<code>`, `<kbd>`, `<samp>` or `[data-latin]`. */
export interface VisibleText {
  text: string;
  /** Machine text (a key, a field name, a check's name): only a whole UUID is a leak there. */
  machine: boolean;
}

/** A file name or path with an extension a user uploads or downloads, or the extension alone. */
const EXTENSION = /^(json|csv|xlsx|xls|pdf|png|jpe?g|txt|zip|md)$/i;
const FILE = /^[\w./-]+\.(json|csv|xlsx|xls|pdf|png|jpe?g|txt|zip|md)$/i;
/** A media type (text/plain, image/png): a file's format, named as browsers name it. */
const MEDIA_TYPE = /^(text|image|application|audio|video)\/[\w.+-]+$/;
const URL_LIKE =
  /^(https?:\/\/|www\.)|^[\w.-]+@[\w-]+\.[\w.]+$|^[\w-]+(\.[\w-]+)*\.(cn|com|org|net|gov)(\/.*)?$/i;

function kindOf(token: string): LatinLeak['kind'] | null {
  if (token.length === 1) return null; // a variable or axis name, a unit (s, m)
  if (LATIN_BY_NATURE.has(token)) return null;
  if (URL_LIKE.test(token) || FILE.test(token) || MEDIA_TYPE.test(token)) return null;
  if (/^[0-9a-f]{8,}$/.test(token)) return null; // a hex digest (that happens to show no digit)
  // Numbers, dates, periods (2026-Q3), hex digests, USCC codes, certificate numbers, keys: all
  // carry a digit. (A UUID was caught before.)
  if (/\d/.test(token)) return null;
  // Acronyms and upper-case codes (CSV, JSON, XLSX, API, TJ-GEN-…).
  if (!/[a-z]/.test(token)) return null;
  const bare = token.replace(/[:/]+$/, '');
  if (/^[A-Za-z][\w-]*(\.[A-Za-z][\w-]*)+$/.test(bare)) return 'dictionary key';
  if (/^[A-Za-z]+([-_:][A-Za-z]+)+$/.test(bare)) return 'internal id';
  return 'English word';
}

/**
 * The Latin-script strings in `texts` (the visible text nodes of a page) that should have been
 * Chinese. `allow` lists what the test itself typed or seeded in Latin script (exact strings or
 * patterns), which may show as typed.
 */
export function latinLeaks(
  texts: readonly (string | VisibleText)[],
  allow: readonly (string | RegExp)[] = [],
): LatinLeak[] {
  const allowed = (token: string) => allow.some((a) => (typeof a === 'string' ? a === token : a.test(token)));
  const leaks: LatinLeak[] = [];
  for (const node of texts) {
    const { text: raw, machine } = typeof node === 'string' ? { text: node, machine: false } : node;
    const text = raw.replace(/\s+/g, ' ').trim();
    for (const m of text.matchAll(UUID))
      if (!allowed(m[0])) leaks.push({ token: m[0], kind: 'uuid', text: text.slice(0, 120) });
    if (machine) continue;
    const rest = text.replace(UUID, ' ').replace(LATIN_PHRASES, ' ').replace(COMMAND, ' ');
    for (const m of rest.matchAll(TOKEN)) {
      const token = m[0];
      // A file name in Chinese (现场记录.txt): the extension.
      if (rest[m.index - 1] === '.' && EXTENSION.test(token)) continue;
      const kind = kindOf(token);
      if (kind && !allowed(token)) leaks.push({ token, kind, text: text.slice(0, 120) });
    }
  }
  return leaks;
}

/**
 * The visible text nodes of a page: main content, tables, modals, drawers, tags, tooltips shown.
 * Not what a user types (inputs, text areas, code editors), not preformatted machine text
 * (`<pre>`: JSON before/after), not the language switch nor an element marked as in another
 * language (`lang="en"`: the switch names the other language in it). Text in
 * `<code>`, `<kbd>`, `<samp>` or an element marked `data-latin` is machine text.
 */
export function visibleTexts(page: Page): Promise<VisibleText[]> {
  return page.evaluate(() => {
    const skip =
      'script,style,noscript,template,pre,textarea,input,[contenteditable="true"],.cm-editor,' +
      '[data-testid="lang-switch"],body [lang]:not([lang^="zh"])';
    const out: { text: string; machine: boolean }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const el = node.parentElement;
      if (!text || !el || el.closest(skip)) continue;
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      out.push({ text, machine: el.closest('code,kbd,samp,[data-latin]') !== null });
    }
    return out;
  });
}

/** Fails, naming the offending strings, when a zh-CN page shows an internal id or English text. */
export async function assertReadsChinese(
  page: Page,
  { allow = [], where = page.url() }: { allow?: readonly (string | RegExp)[]; where?: string } = {},
): Promise<void> {
  const leaks = latinLeaks(await visibleTexts(page), allow);
  const named = leaks.map((l) => `${l.kind} ${JSON.stringify(l.token)} in ${JSON.stringify(l.text)}`);
  expect(named, `${where} should read fully in Chinese, but shows:\n  ${named.join('\n  ')}\n`).toEqual([]);
}
