import type { BulkSession } from '@spotcheck/db';

const BOUNDARY = Symbol('chunk boundary');

/**
 * Text handed from the validator to COPYs that run meanwhile, in chunks of `chunkLines` lines
 * (each COPYed and merged while the validator reads on). Lines are gathered into blocks of about
 * `blockChars` characters and at most `depth` blocks wait: the validator pauses when PostgreSQL
 * falls behind, so memory stays bounded whatever the file size.
 */
export class CopyFeed {
  private parts: string[] = [];
  private chars = 0;
  private lines = 0;
  private readonly ready: (string | typeof BOUNDARY)[] = [];
  private waiting = 0;
  private done = false;
  private failure: { error: unknown } | null = null;
  private wakeReader: (() => void) | null = null;
  private wakeWriter: (() => void) | null = null;

  constructor(
    private readonly chunkLines = 25_000,
    private readonly blockChars = 1 << 18,
    private readonly depth = 32,
  ) {}

  /** Adds a line; returns a promise only when the reader is `depth` blocks behind. */
  push(line: string): void | Promise<void> {
    if (this.failure) throw this.failure.error;
    this.parts.push(line);
    this.chars += line.length;
    if (++this.lines >= this.chunkLines) {
      this.flush();
      this.ready.push(BOUNDARY);
      this.lines = 0;
    } else if (this.chars >= this.blockChars) this.flush();
    else return;
    if (this.waiting >= this.depth) return this.waitForRoom();
  }

  private async waitForRoom(): Promise<void> {
    while (this.waiting >= this.depth && !this.failure) await new Promise<void>((r) => (this.wakeWriter = r));
    if (this.failure) throw this.failure.error;
  }

  private flush(): void {
    if (!this.parts.length) return;
    this.ready.push(this.parts.join(''));
    this.waiting++;
    this.parts = [];
    this.chars = 0;
    this.wake();
  }

  private wake(): void {
    const r = this.wakeReader;
    const w = this.wakeWriter;
    this.wakeReader = this.wakeWriter = null;
    r?.();
    w?.();
  }

  /** No more lines: the reader ends after the last block. */
  end(): void {
    this.flush();
    this.done = true;
    this.wake();
  }

  /** Stops both sides: the reader throws `error` (so a COPY in progress aborts), and so does the next push. */
  fail(error: unknown): void {
    if (!this.failure) this.failure = { error };
    this.wake();
  }

  /** Waits until a chunk has text to read (true) or the feed has ended (false). */
  async nextChunk(): Promise<boolean> {
    for (;;) {
      if (this.failure) throw this.failure.error;
      while (this.ready[0] === BOUNDARY) this.ready.shift();
      if (this.ready.length) return true;
      if (this.done) return false;
      await new Promise<void>((r) => (this.wakeReader = r));
    }
  }

  /** The blocks of the current chunk, in order, as COPY reads them. */
  async *chunk(): AsyncGenerator<string> {
    for (;;) {
      if (this.failure) throw this.failure.error;
      const block = this.ready.shift();
      if (block === BOUNDARY) return;
      if (block !== undefined) {
        this.waiting--;
        this.wake();
        yield block;
        continue;
      }
      if (this.done) return;
      await new Promise<void>((r) => (this.wakeReader = r));
    }
  }
}

/** The staging tables of a roster import: the current chunk's rows, and every key of the file. */
export function stageNames(table: string): { chunk: string; keys: string } {
  return { chunk: `import_chunk_${table}`, keys: `import_keys_${table}` };
}

/**
 * (Re)creates the staging tables of `table`. The chunk table has the table's own columns (types
 * only: no constraints, no indexes) after `row_no` (the spreadsheet row) and `ok` (the row passed
 * every check; rows that did not are staged with their key only, so duplicates are still found).
 * The keys table keeps `row_no` and `id` of every staged row, for the report when the file is
 * refused. Temporary tables are not WAL-logged; `ON COMMIT DELETE ROWS` leaves them empty for the
 * session's next import.
 */
export async function createStage(s: BulkSession, table: string, columns: readonly string[]): Promise<void> {
  const { chunk, keys } = stageNames(table);
  await s.exec(`DROP TABLE IF EXISTS pg_temp.${chunk}, pg_temp.${keys}`);
  await s.exec(
    `CREATE TEMP TABLE ${chunk} ON COMMIT DELETE ROWS AS
       SELECT 0::int AS row_no, true AS ok, ${columns.join(', ')} FROM ${table} WITH NO DATA`,
  );
  await s.exec(`CREATE TEMP TABLE ${keys} (row_no int NOT NULL, id text NOT NULL) ON COMMIT DELETE ROWS`);
}

/** Empties the chunk table for the next chunk. */
export async function clearChunk(s: BulkSession, table: string): Promise<void> {
  await s.exec(`TRUNCATE ${stageNames(table).chunk}`);
}

/** Keeps the keys of the chunk; returns its last row (0 when empty). */
export async function keepChunkKeys(s: BulkSession, table: string): Promise<number> {
  const { chunk, keys } = stageNames(table);
  await s.exec(`INSERT INTO ${keys} (row_no, id) SELECT row_no, id FROM ${chunk}`);
  const { rows } = await s.exec(`SELECT coalesce(max(row_no), 0) AS last FROM ${chunk}`);
  return Number(rows[0]!.last);
}

/** Where a staged key clashes: a later row of the same key in the file, or a key on the roster. */
export interface StagedClash {
  row: number;
  key: string;
  /** The first row of the key (duplicates only). */
  first?: number;
}

/**
 * Rows whose key appears in an earlier row of the file (in row order, at most `limit`) and how
 * many there are in all.
 */
export async function duplicatesInStage(
  s: BulkSession,
  table: string,
  limit: number,
): Promise<{ clashes: StagedClash[]; count: number }> {
  const { keys } = stageNames(table);
  const { rows } = await s.exec(
    `SELECT row_no, id, first, count(*) OVER () AS n FROM (
       SELECT row_no, id, min(row_no) OVER (PARTITION BY id) AS first
       FROM ${keys} WHERE id IN (SELECT id FROM ${keys} GROUP BY id HAVING count(*) > 1)) d
     WHERE row_no > first ORDER BY row_no LIMIT $1`,
    [limit],
  );
  return {
    clashes: rows.map((r) => ({ row: Number(r.row_no), key: String(r.id), first: Number(r.first) })),
    count: rows.length ? Number(rows[0]!.n) : 0,
  };
}

/**
 * Keys of the file already in `table` (whatever bureau holds them), each at the first row it
 * stands in (in row order, at most `limit`), and how many there are in all. Keys first seen up
 * to `mergedUpTo` were merged by this import (a key already there would have stopped the merge).
 */
export async function keysOnRoster(
  s: BulkSession,
  table: string,
  limit: number,
  mergedUpTo: number,
): Promise<{ clashes: StagedClash[]; count: number }> {
  const { keys } = stageNames(table);
  const { rows } = await s.exec(
    `SELECT row_no, id, count(*) OVER () AS n FROM (
       SELECT min(k.row_no) AS row_no, k.id FROM ${keys} k GROUP BY k.id) d
     WHERE row_no > $2 AND EXISTS (SELECT 1 FROM ${table} t WHERE t.id = d.id)
     ORDER BY row_no LIMIT $1`,
    [limit, mergedUpTo],
  );
  return {
    clashes: rows.map((r) => ({ row: Number(r.row_no), key: String(r.id) })),
    count: rows.length ? Number(rows[0]!.n) : 0,
  };
}

/**
 * Whether a good row of the chunk has an id that a row of `table` in any bureau already has, or
 * that another good row of the chunk has (the key is (bureau_code, id): it catches neither when
 * the bureaus differ, and credit codes and officer ids are national). Run under the roster's lock
 * (`lockRosterInSession`), so that the rows of every other writer are seen.
 */
export async function chunkIdsTaken(s: BulkSession, table: string): Promise<boolean> {
  const { chunk } = stageNames(table);
  const { rows } = await s.exec(
    `SELECT EXISTS (SELECT 1 FROM ${chunk} c WHERE c.ok AND EXISTS (SELECT 1 FROM ${table} t WHERE t.id = c.id))
         OR (SELECT count(DISTINCT id) <> count(*) FROM ${chunk} WHERE ok) AS taken`,
  );
  return rows[0]!.taken === true;
}

/** A certificate number of the file that another officer holds, or an earlier row of the chunk. */
export interface CertificateClash {
  row: number;
  certificateNo: string;
  /** The officer who holds it (on the roster, or merged from an earlier chunk of the file). */
  holder?: string;
  /** The chunk's first row with it. */
  first?: number;
}

/**
 * Certificate numbers (national, keyed per bureau) of the chunk's good rows that an officer of any
 * bureau other than the row's own officer holds, or that an earlier row of the chunk has: at most
 * `limit`, in row order.
 */
export async function chunkCertificateClashes(s: BulkSession, limit: number): Promise<CertificateClash[]> {
  const { chunk } = stageNames('inspectors');
  const { rows } = await s.exec(
    `SELECT row_no, certificate_no, holder, first FROM (
       SELECT c.row_no, c.certificate_no, t.id AS holder, NULL::int AS first
       FROM ${chunk} c JOIN inspectors t ON t.certificate_no = c.certificate_no AND t.id <> c.id WHERE c.ok
       UNION ALL
       SELECT row_no, certificate_no, NULL, first FROM (
         SELECT row_no, certificate_no, min(row_no) OVER (PARTITION BY certificate_no) AS first
         FROM ${chunk} WHERE ok) d WHERE row_no > first) x
     ORDER BY row_no LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    row: Number(r.row_no),
    certificateNo: String(r.certificate_no),
    ...(r.holder === null ? {} : { holder: String(r.holder) }),
    ...(r.first === null ? {} : { first: Number(r.first) }),
  }));
}

/** Moves the chunk's good rows into `table` (one INSERT … SELECT; the table's constraints apply). */
export async function mergeChunk(s: BulkSession, table: string, columns: readonly string[]): Promise<void> {
  const list = columns.join(', ');
  await s.exec(`INSERT INTO ${table} (${list}) SELECT ${list} FROM ${stageNames(table).chunk} WHERE ok`);
}

/**
 * The first `unit_facts` records of the chunk's (new) units, written in SQL: every grade, every
 * flag that is set and the last fatal accident, as `factChangeRows(null, unit)` makes them for a
 * unit added through the form (the transfer tests compare the two).
 */
export async function insertChunkUnitFacts(
  s: BulkSession,
  meta: { source: string; userId: string | null; today: string; now: string },
): Promise<void> {
  const flag = (kind: string, column: string) =>
    `('${kind}', s.${column}, '{"active":true}'::jsonb, $1::date)`;
  await s.exec(
    `INSERT INTO unit_facts (bureau_code, unit_id, kind, value, effective_on, source, recorded_at, recorded_by)
     SELECT s.bureau_code, s.id, f.kind, f.value, f.effective_on, $2, $3::timestamptz, $4::uuid
     FROM ${stageNames('units').chunk} s CROSS JOIN LATERAL (VALUES
       ('risk-grade', s.risk_grade IS NOT NULL, jsonb_build_object('grade', s.risk_grade), $1::date),
       ('credit-grade', s.credit_grade IS NOT NULL, jsonb_build_object('grade', s.credit_grade), $1::date),
       ${flag('major-hazard', 'major_hazard')},
       ${flag('trial-production', 'trial_production')},
       ${flag('resumption', 'resuming')},
       ${flag('blacklist', 'blacklisted')},
       ${flag('joint-punishment', 'joint_punishment')},
       ${flag('key-unit', 'key_unit')},
       ('fatal-accident', s.last_fatal_accident_on IS NOT NULL,
        jsonb_build_object('on', to_char(s.last_fatal_accident_on, 'YYYY-MM-DD')), s.last_fatal_accident_on)
     ) AS f(kind, keep, value, effective_on)
     WHERE s.ok AND f.keep`,
    [meta.today, meta.source, meta.now, meta.userId],
  );
}
