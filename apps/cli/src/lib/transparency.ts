import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { digestOf, fromHex, toHex } from '@spotcheck/core';
import {
  cosignCheckpoint,
  generateLogKeyPair,
  hashLeaf,
  isoSeconds,
  isValidKeyName,
  leafHashHex,
  parseLeaf,
  publicationLeaf,
  publicKeyOf,
  secondsBetween,
  treeRoot,
  utf8Leaf,
  verifyCheckpointSignature,
  verifyConsistency,
  WITNESS_CLOCK_SKEW_SECONDS,
  type PublicationLeaf,
  type SignedCheckpoint,
} from './transparency-core';

/** Calls the public tRPC API of a portal over HTTP (plain JSON, no transformer). */
export class PortalClient {
  readonly base: URL;
  constructor(
    portal: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    let url: URL;
    try {
      url = new URL(portal);
    } catch {
      throw new Error(
        `portal URL ${JSON.stringify(portal)} is not a URL (e.g. https://portal.example.gov.cn/)`,
      );
    }
    this.base = new URL('/trpc/', url);
  }

  private async call<T>(path: string, init: RequestInit, url: URL): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchImpl(url, init);
    } catch (e) {
      throw new Error(`cannot reach ${url.origin}: ${(e as Error).message}`, { cause: e });
    }
    const body = (await res.json().catch(() => null)) as {
      result?: { data: T };
      error?: { message?: string };
    } | null;
    if (!res.ok || !body || body.error || !body.result) {
      throw new Error(`${path}: ${body?.error?.message ?? `HTTP ${res.status}`}`);
    }
    return body.result.data;
  }

  query<T>(path: string, input?: unknown): Promise<T> {
    const url = new URL(path, this.base);
    if (input !== undefined) url.searchParams.set('input', JSON.stringify(input));
    return this.call<T>(path, { method: 'GET' }, url);
  }

  /** A publication's file (`/open/publication/<id>.json`), where the portal serves a large one. */
  async file<T>(path: string): Promise<T> {
    const url = new URL(path, this.base);
    let res: Response;
    try {
      res = await this.fetchImpl(url);
    } catch (e) {
      throw new Error(`cannot reach ${url.origin}: ${(e as Error).message}`, { cause: e });
    }
    if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
    return (await res.json()) as T;
  }

  mutate<T>(path: string, input: unknown): Promise<T> {
    return this.call<T>(
      path,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) },
      new URL(path, this.base),
    );
  }
}

/** A checkpoint as the portal serves it. */
type ServedCheckpoint = SignedCheckpoint & {
  id: number;
  witnessed: boolean;
  witnessedBy: { name: string; label?: string }[];
};

async function readJsonFile<T>(path: string): Promise<T | null> {
  if (!existsSync(path)) return null;
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

async function writeJsonFile(path: string, value: unknown, mode?: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  await writeFile(tmp, JSON.stringify(value, null, 2) + '\n', { mode });
  await rename(tmp, path);
}

/** A checkpoint the witness or monitor has verified. */
interface SeenCheckpoint {
  size: number;
  rootHash: string;
  time: string;
}

/** What a witness remembers. */
interface WitnessState {
  portal: string;
  origin: string;
  logKey: string;
  last: SeenCheckpoint;
}

/** A witness's key file. */
interface WitnessKeyFile {
  name: string;
  secretKey: string;
  publicKey: string;
}

/** Options of {@link runWitness}. */
export interface WitnessOptions {
  portal: string;
  keyFile: string;
  stateFile?: string;
  /** Key name for a new key (printable ASCII, no spaces). */
  name?: string;
  now?: () => Date;
  fetchImpl?: typeof fetch;
}

/** Outcome of one witness run: lines to print and whether it co-signed. */
export interface WitnessRun {
  ok: boolean;
  lines: string[];
}

/**
 * One witness round: fetch the latest checkpoint, check the log signature (pinned on first use),
 * the checkpoint time against this machine's clock (±30 s) and the consistency proof from the
 * checkpoint seen before, then co-sign and submit. Makes the key on first run.
 */
export async function runWitness(opts: WitnessOptions): Promise<WitnessRun> {
  const now = opts.now ?? (() => new Date());
  const lines: string[] = [];
  const stateFile = opts.stateFile ?? `${opts.keyFile}.state.json`;
  let key = await readJsonFile<WitnessKeyFile>(opts.keyFile);
  if (!key) {
    const name = opts.name ?? 'witness';
    if (!isValidKeyName(name))
      throw new Error(`--name ${JSON.stringify(name)}: printable ASCII without spaces or +`);
    const kp = generateLogKeyPair();
    key = { name, secretKey: kp.secretKey, publicKey: kp.publicKey };
    await writeJsonFile(opts.keyFile, key, 0o600);
    lines.push(
      `generated witness key ${opts.keyFile}`,
      `witness name  ${key.name}`,
      `public key    ${key.publicKey}`,
      'Ask the city bureau to register this public key as a witness.',
    );
  }
  if (publicKeyOf(key.secretKey) !== key.publicKey)
    throw new Error(`${opts.keyFile}: publicKey does not match secretKey`);
  const client = new PortalClient(opts.portal, opts.fetchImpl);
  const cp = await client.query<ServedCheckpoint | null>('transparency.latest');
  if (!cp) return { ok: false, lines: [...lines, 'REFUSED: the log has no checkpoint yet'] };
  const refuse = (why: string): WitnessRun => ({
    ok: false,
    lines: [...lines, `REFUSED to co-sign checkpoint ${cp.size} at ${cp.time}: ${why}`],
  });
  const state = await readJsonFile<WitnessState>(stateFile);
  if (state && state.origin !== cp.origin)
    return refuse(`the log is ${cp.origin}, I witness ${state.origin}`);
  if (state && state.logKey !== cp.logKey) return refuse('the log key changed since I last saw it');
  if (!verifyCheckpointSignature(cp, cp.logKey, cp.signature))
    return refuse('the log signature is not valid');
  const myTime = isoSeconds(now());
  const skew = secondsBetween(cp.time, myTime);
  if (Math.abs(skew) > WITNESS_CLOCK_SKEW_SECONDS) {
    return refuse(
      `its time is ${Math.round(Math.abs(skew))} s ${skew > 0 ? 'behind' : 'ahead of'} my clock (${myTime}); at most ${WITNESS_CLOCK_SKEW_SECONDS} s allowed`,
    );
  }
  if (state) {
    const last = state.last;
    if (cp.size < last.size) return refuse(`the log shrank from ${last.size} to ${cp.size} entries`);
    if (cp.size === last.size && cp.rootHash !== last.rootHash)
      return refuse(`the root of ${cp.size} entries changed since ${last.time}`);
    if (cp.size > last.size) {
      const p = await client.query<{ proof: string[] }>('transparency.consistency', {
        from: last.size,
        to: cp.size,
      });
      if (
        !verifyConsistency(
          last.size,
          cp.size,
          fromHex(last.rootHash),
          fromHex(cp.rootHash),
          p.proof.map((h) => fromHex(h)),
        )
      ) {
        return refuse(
          `it is not consistent with the checkpoint of ${last.size} entries I saw at ${last.time}: entries were removed or changed`,
        );
      }
    }
  }
  const cos = cosignCheckpoint(cp, key, myTime);
  let res: ServedCheckpoint;
  try {
    res = await client.mutate<ServedCheckpoint>('transparency.cosign', {
      size: cp.size,
      checkpointTime: cp.time,
      witness: cos.witness,
      publicKey: cos.publicKey,
      time: cos.time,
      signature: cos.signature,
      previous: state ? { size: state.last.size, rootHash: state.last.rootHash } : null,
    });
  } catch (e) {
    return { ok: false, lines: [...lines, `the portal refused the co-signature: ${(e as Error).message}`] };
  }
  await writeJsonFile(stateFile, {
    portal: opts.portal,
    origin: cp.origin,
    logKey: cp.logKey,
    last: { size: cp.size, rootHash: cp.rootHash, time: cp.time },
  } satisfies WitnessState);
  lines.push(
    `co-signed checkpoint ${cp.size} at ${cp.time} (root ${cp.rootHash.slice(0, 16)}…) as ${key.name}`,
    `witnessed by ${res.witnessedBy.map((w) => w.name).join(', ') || 'nobody yet'}${res.witnessed ? '' : ' (not yet enough witnesses)'}`,
  );
  return { ok: true, lines };
}

/** What a monitor remembers. */
interface MonitorState {
  portal: string;
  origin: string;
  logKey: string;
  checkpoints: SeenCheckpoint[];
  /** Leaf hashes it has verified, in order, with what they named. */
  leaves: { hash: string; publicationId: string; publishedAt: string; title: string }[];
}

/** One problem a monitor found. */
export interface MonitorProblem {
  kind: 'inconsistent' | 'removed' | 'edited' | 'back-dated' | 'bad-entry' | 'bad-signature';
  entry?: number;
  publicationId?: string;
  detail: string;
}

/** Outcome of one monitor run. */
export interface MonitorRun {
  ok: boolean;
  problems: MonitorProblem[];
  lines: string[];
}

/** A publication as the portal serves it in `transparency.entries`. */
interface ServedPublication {
  id: string;
  bureauCode: string;
  kind: string;
  refId: string;
  period: string | null;
  title: string;
  content: unknown;
  /** Where the content is read when the entry leaves it out (a large publication). */
  contentFile?: string;
  digest: string;
  replacesId: string | null;
  publishedAt: string;
}

/** A publication may be dated at most this long before a checkpoint that did not yet include it. */
export const BACKDATE_TOLERANCE_SECONDS = 120;

/**
 * One monitor round: verifies the latest checkpoint's signature and its consistency with every
 * checkpoint seen before, fetches every entry, recomputes each leaf hash and the root, and checks
 * each publication against its leaf. Reports removed, edited and back-dated publications.
 */
export async function runMonitor(opts: {
  portal: string;
  stateFile: string;
  fetchImpl?: typeof fetch;
}): Promise<MonitorRun> {
  const client = new PortalClient(opts.portal, opts.fetchImpl);
  const problems: MonitorProblem[] = [];
  const lines: string[] = [];
  const cp = await client.query<ServedCheckpoint | null>('transparency.latest');
  if (!cp) return { ok: true, problems, lines: ['the log has no checkpoint yet'] };
  const state = await readJsonFile<MonitorState>(opts.stateFile);
  if (state && (state.logKey !== cp.logKey || state.origin !== cp.origin)) {
    problems.push({
      kind: 'bad-signature',
      detail: `the log key or origin changed since ${state.checkpoints.at(-1)?.time ?? 'the last run'}`,
    });
  }
  if (!verifyCheckpointSignature(cp, cp.logKey, cp.signature)) {
    problems.push({
      kind: 'bad-signature',
      detail: `the log signature of checkpoint ${cp.size} at ${cp.time} is not valid`,
    });
  }
  // Consistency with every checkpoint seen before.
  for (const seen of state?.checkpoints ?? []) {
    if (seen.size > cp.size) {
      problems.push({
        kind: 'inconsistent',
        detail: `the log shrank: ${seen.size} entries at ${seen.time}, ${cp.size} now (entries were removed)`,
      });
      continue;
    }
    const p = await client.query<{ proof: string[] }>('transparency.consistency', {
      from: seen.size,
      to: cp.size,
    });
    if (
      !verifyConsistency(
        seen.size,
        cp.size,
        fromHex(seen.rootHash),
        fromHex(cp.rootHash),
        p.proof.map((h) => fromHex(h)),
      )
    ) {
      problems.push({
        kind: 'inconsistent',
        detail: `checkpoint ${cp.size} at ${cp.time} is not consistent with checkpoint ${seen.size} seen at ${seen.time}: logged entries were removed or changed`,
      });
    }
  }
  // Every entry.
  const entries: {
    seq: number;
    leaf: PublicationLeaf;
    hash: string;
    publication: ServedPublication | null;
  }[] = [];
  for (let from = 0; from < cp.size;) {
    const page = await client.query<{
      entries: { seq: number; leaf: string; leafHash: string; publication: ServedPublication | null }[];
    }>('transparency.entries', { from, limit: 500 });
    if (page.entries.length === 0) break;
    for (const e of page.entries) {
      // A large publication (a city's draw) comes without its content: it is read from its file.
      if (e.publication?.contentFile)
        e.publication = {
          ...e.publication,
          content: (await client.file<{ content: unknown }>(e.publication.contentFile)).content,
        };
      if (e.seq !== entries.length) {
        problems.push({
          kind: 'bad-entry',
          entry: entries.length,
          detail: `entry ${entries.length} is missing from the log (next served is ${e.seq})`,
        });
      }
      let parsed: ReturnType<typeof parseLeaf>;
      try {
        parsed = parseLeaf(JSON.parse(e.leaf));
      } catch {
        parsed = { ok: false, reason: 'not JSON' };
      }
      if (!parsed.ok) {
        problems.push({
          kind: 'bad-entry',
          entry: e.seq,
          detail: `entry ${e.seq} is not a valid leaf: ${parsed.reason}`,
        });
        entries.push({
          seq: e.seq,
          leaf: null as never,
          hash: toHex(hashLeaf(utf8Leaf(e.leaf))),
          publication: e.publication,
        });
        continue;
      }
      // Hash the bytes as served: the canonical form must be what was logged.
      const hash = toHex(hashLeaf(utf8Leaf(e.leaf)));
      if (hash !== leafHashHex(parsed.leaf)) {
        problems.push({ kind: 'bad-entry', entry: e.seq, detail: `entry ${e.seq} is not in canonical form` });
      }
      entries.push({ seq: e.seq, leaf: parsed.leaf, hash, publication: e.publication });
    }
    from += page.entries.length;
  }
  const served = entries.slice(0, cp.size);
  if (served.length < cp.size || toHex(treeRoot(served.map((e) => fromHex(e.hash)))) !== cp.rootHash) {
    problems.push({
      kind: 'inconsistent',
      detail: `the ${served.length} entries served do not make the root of checkpoint ${cp.size} at ${cp.time}`,
    });
  }
  for (const [i, old] of (state?.leaves ?? []).entries()) {
    const now = served[i];
    if (!now) {
      problems.push({
        kind: 'removed',
        entry: i,
        publicationId: old.publicationId,
        detail: `entry ${i} (${old.title}) is gone from the log`,
      });
    } else if (now.hash !== old.hash) {
      problems.push({
        kind: 'edited',
        entry: i,
        publicationId: old.publicationId,
        detail: `entry ${i} (${old.title}, published ${old.publishedAt}) was rewritten in the log since the monitor saw it`,
      });
    }
  }
  // Each publication against its leaf.
  for (const e of served) {
    if (!e.leaf) continue;
    const L = e.leaf;
    const p = e.publication;
    const what = `publication ${L.publicationId} (${L.kind} “${L.title}”, entry ${e.seq})`;
    if (!p) {
      problems.push({
        kind: 'removed',
        entry: e.seq,
        publicationId: L.publicationId,
        detail: `${what} published ${L.publishedAt} was removed`,
      });
      continue;
    }
    if (digestOf(p.content) !== p.digest || p.digest !== L.contentDigest) {
      problems.push({
        kind: 'edited',
        entry: e.seq,
        publicationId: L.publicationId,
        detail: `${what}: its content was changed after it was logged`,
      });
      continue;
    }
    const now = publicationLeaf(p);
    if (now.publishedAt !== L.publishedAt) {
      const earlier = Date.parse(now.publishedAt) < Date.parse(L.publishedAt);
      problems.push({
        kind: earlier ? 'back-dated' : 'edited',
        entry: e.seq,
        publicationId: L.publicationId,
        detail: `${what}: now dated ${now.publishedAt}, logged as published ${L.publishedAt}`,
      });
      continue;
    }
    const changed = (Object.keys(L) as (keyof PublicationLeaf)[]).filter((k) => now[k] !== L[k]);
    if (changed.length) {
      problems.push({
        kind: 'edited',
        entry: e.seq,
        publicationId: L.publicationId,
        detail: `${what}: ${changed.join(', ')} changed after it was logged`,
      });
    }
  }
  // Back-dated on entry: a leaf dated before a checkpoint that did not include it.
  const list = await client.query<ServedCheckpoint[]>('transparency.checkpoints', { limit: 500 });
  const known: SeenCheckpoint[] = [
    ...(state?.checkpoints ?? []),
    ...list.filter(
      (c) =>
        c.origin === cp.origin &&
        c.logKey === cp.logKey &&
        verifyCheckpointSignature(c, c.logKey, c.signature),
    ),
  ];
  for (const e of served) {
    if (!e.leaf) continue;
    const claimed = Date.parse(e.leaf.publishedAt);
    const missedBy = known.filter(
      (c) => c.size <= e.seq && Date.parse(c.time) - claimed > BACKDATE_TOLERANCE_SECONDS * 1000,
    );
    if (missedBy.length) {
      const c = missedBy.reduce((a, b) => (Date.parse(a.time) > Date.parse(b.time) ? a : b));
      problems.push({
        kind: 'back-dated',
        entry: e.seq,
        publicationId: e.leaf.publicationId,
        detail: `publication ${e.leaf.publicationId} (“${e.leaf.title}”, entry ${e.seq}) claims ${e.leaf.publishedAt} but was not in the log's checkpoint of ${c.size} entries at ${c.time}`,
      });
    }
  }
  const logIntact = !problems.some(
    (p) => p.kind === 'inconsistent' || p.kind === 'bad-signature' || p.kind === 'bad-entry',
  );
  if (logIntact) {
    const seen = [...(state?.checkpoints ?? []), { size: cp.size, rootHash: cp.rootHash, time: cp.time }];
    await writeJsonFile(opts.stateFile, {
      portal: opts.portal,
      origin: cp.origin,
      logKey: cp.logKey,
      // Keep the first and the last few: consistency with the oldest covers the ones between.
      checkpoints: seen.length > 12 ? [seen[0]!, ...seen.slice(-11)] : seen,
      leaves: served.map((e) => ({
        hash: e.hash,
        publicationId: e.leaf.publicationId,
        publishedAt: e.leaf.publishedAt,
        title: e.leaf.title,
      })),
    } satisfies MonitorState);
  }
  lines.push(
    `checkpoint ${cp.size} at ${cp.time}, root ${cp.rootHash.slice(0, 16)}…, witnessed by ${cp.witnessedBy.map((w) => w.name).join(', ') || 'nobody'}${cp.witnessed ? '' : ' (NOT enough witnesses)'}`,
    `${served.length} entries checked; ${(state?.checkpoints ?? []).length} earlier checkpoint(s) checked for consistency`,
    ...problems.map((p) => `PROBLEM ${p.kind}: ${p.detail}`),
    problems.length ? `${problems.length} problem(s) found` : 'no problems found',
  );
  return { ok: problems.length === 0, problems, lines };
}
