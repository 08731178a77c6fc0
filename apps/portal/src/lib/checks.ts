/**
 * Turns the lines of an sr-draw/v2 verification report (`@spotcheck/core`'s `{id, status, params}`)
 * into plain sentences in the reader's language. Check ids are translated, never shown: a source
 * line `source.<i>.drand.signature` reads as `check.source.drand.signature.<status>` with the
 * source's description filled in from the bundle itself.
 */
import { checkTitle, genericCheckId } from '@spotcheck/ui/checks';
import { fmtTime } from '@spotcheck/ui/format';
import { lotteryResultUrl, PINNED_CHAINS, readPlan, readSource, type SourceView } from './v2';

/** Status of one line, as core reports it. */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'info';

/** One line of a verification report (core's `VerificationCheck`). */
export interface CheckLine {
  id: string;
  status: CheckStatus;
  params: Record<string, string | number | boolean | null>;
  message: string;
}

/** A line ready to show: its dictionary key, the values for its placeholders, and a link. */
export interface CheckView {
  id: string;
  status: CheckStatus;
  /** `check.<generic id>.<status>`. */
  key: string;
  vars: Record<string, string | number>;
  /** The source this line is about (0-based), for per-source lines. */
  source: number | null;
  /** A demo (unpinned) beacon is involved: the line says so. */
  demoBeacon: boolean;
  /** Where to compare a lottery result with the operator's publication. */
  link: string | null;
  /** Core's English line (shown on English pages only, as detail of a failure). */
  message: string;
}

function obj(x: unknown): Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
}

/** The instant a source's value comes into existence (§2, §9.3), as an ISO string, or null. */
export function sourceTime(s: SourceView, info?: { genesis: number; period: number }): string | null {
  if (s.kind === 'drand' && s.round !== null) {
    const pinned = s.chain === '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971';
    const g = pinned ? { genesis: 1692803367, period: 3 } : info;
    if (!g) return null;
    return new Date((g.genesis + (s.round - 1) * g.period) * 1000).toISOString();
  }
  // A lottery's time is the end of its draw date in UTC+8 (§9.3).
  if (s.kind === 'lottery' && s.drawDate) {
    const start = Date.parse(`${s.drawDate}T00:00:00+08:00`);
    return Number.isNaN(start) ? null : new Date(start + 86_400_000).toISOString();
  }
  return null;
}

/**
 * Prepares the report's lines for display against the bundle they verified. `translate` maps a
 * dictionary key to text (for ids inside sentences: games, chains); `lang` picks number formats.
 */
export function viewChecks(
  checks: readonly CheckLine[],
  bundle: unknown,
  translate: (key: string) => string,
): CheckView[] {
  const b = obj(bundle);
  const commitment = obj(b.commitment);
  const sources = Array.isArray(commitment.sources) ? commitment.sources : [];
  const result = obj(b.result);
  const selected = Array.isArray(result.selected) ? result.selected.length : 0;
  // A voided attempt's lines speak of the void's signer and time instead of a sign-off's.
  const signOff = b.void !== undefined ? obj(b.void) : obj(b.signOff);
  const signer = obj(signOff.signer);
  const count = (k: string) => {
    const c = obj(commitment[k]).count;
    return typeof c === 'number' ? c : 0;
  };
  const prev = obj(commitment.previous);
  return checks.map((c) => {
    const { generic, source } = genericCheckId(c.id);
    const vars: Record<string, string | number> = {
      frame: count('frame'),
      excluded: count('excluded'),
      inspectors: count('inspectors'),
      experts: count('experts'),
      selected,
      committedAt: fmtTime(typeof commitment.committedAt === 'string' ? commitment.committedAt : null),
      attempt: readPlan(commitment).attempt,
      previousAttempt: typeof prev.attempt === 'number' ? prev.attempt : 0,
      signer: typeof signer.name === 'string' ? signer.name : '',
      signedAt: fmtTime(typeof signOff.signedAt === 'string' ? signOff.signedAt : null),
      eligible:
        2 * (typeof obj(commitment.team).size === 'number' ? (obj(commitment.team).size as number) : 0),
    };
    for (const [k, v] of Object.entries(c.params)) {
      // Numbers and instants from core's params; other strings may be ids or English.
      if (typeof v === 'number' && !(k in vars)) vars[k] = v;
      if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v)) vars[k] = fmtTime(v);
    }
    let demoBeacon = false;
    let link: string | null = null;
    if (source !== null) {
      const raw = obj(sources[source]);
      const s = readSource(raw);
      const info = obj(raw.info);
      demoBeacon = s.kind === 'drand' && !s.pinned;
      vars.n = source + 1;
      vars.round = s.round ?? '';
      vars.chain = s.pinned ? translate(`v2.chain.${PINNED_CHAINS[s.chain!]}`) : translate('v2.chain.demo');
      vars.game = s.game ? translate(`game.${s.game}`) : '';
      vars.issue = s.issue ?? '';
      vars.drawDate = s.drawDate ?? '';
      const at = sourceTime(
        s,
        typeof info.genesis === 'number' && typeof info.period === 'number'
          ? { genesis: info.genesis, period: info.period }
          : undefined,
      );
      vars.time = typeof vars.sourceTime === 'string' ? vars.sourceTime : at ? fmtTime(at) : '';
      if (s.kind === 'lottery' && s.game) link = lotteryResultUrl(s.game);
    }
    // Attempt 1 passes `previous` and `freshness` because there is nothing before it: say so.
    const first =
      (generic === 'previous' || generic === 'freshness') && c.status === 'pass' && !commitment.previous;
    // A commitment proven public only after its first source is refused with its own sentence.
    const late =
      generic === 'commitmentTime' && c.status === 'fail' && typeof c.params.firstSource === 'string';
    // Other keys of the registry back-dated (and rejected) while the signing key is fine: its own sentence.
    const otherBackdated =
      generic === 'registryEntries' &&
      c.status === 'warn' &&
      c.params.signer === 'ok' &&
      typeof c.params.backdated === 'number' &&
      c.params.backdated > 0;
    // A sign-off refused at its log time says why: the log's proof, a false time, or the key.
    const logTimeProblem =
      generic === 'signOffLogTime' &&
      c.status === 'fail' &&
      (c.params.problem === 'proof' || c.params.problem === 'late')
        ? c.params.problem
        : null;
    return {
      id: c.id,
      status: c.status,
      key: `check.${generic}.${first ? 'first' : late ? 'late' : otherBackdated ? 'backdated' : (logTimeProblem ?? c.status)}`,
      vars,
      source,
      demoBeacon,
      link,
      message: c.message,
    };
  });
}

/** Counts of lines by status. */
export function tally(checks: readonly { status: CheckStatus }[]): Record<CheckStatus, number> {
  const t: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, info: 0 };
  for (const c of checks) t[c.status]++;
  return t;
}

/**
 * The sentence of a line: its own (`check.<id>.<status>`), else the check's title with the
 * status word, else a generic line. `tv` translates a dynamic key or returns null.
 */
export function checkSentence(
  v: CheckView,
  tv: (key: string, vars?: Record<string, string | number>) => string | null,
): string {
  const own = tv(v.key, v.vars);
  if (own !== null) return own;
  const status = tv(`check.status.${v.status}`) ?? v.status;
  if (tv(`checkTitle.${genericCheckId(v.id).generic}`) === null)
    return tv('check.unknown', { status }) ?? status;
  const title = checkTitle(v.id, tv);
  return tv('check.line', { title, status }) ?? `${title}：${status}`;
}
