import type { BulkSession } from '@spotcheck/db';

/**
 * Text handed from the validator to a COPY that runs meanwhile: lines are gathered into blocks of
 * about `blockChars` characters and at most `depth` blocks wait, so the validator pauses when
 * PostgreSQL falls behind and memory stays bounded whatever the file size.
 */
export class CopyFeed {
  private parts: string[] = [];
  private chars = 0;
  private readonly ready: string[] = [];
  private done = false;
  private failure: { error: unknown } | null = null;
  private wakeReader: (() => void) | null = null;
  private wakeWriter: (() => void) | null = null;

  constructor(
    private readonly blockChars = 1 << 20,
    private readonly depth = 4,
  ) {}

  /** Adds a line; returns a promise only when the reader is `depth` blocks behind. */
  push(line: string): void | Promise<void> {
    if (this.failure) throw this.failure.error;
    this.parts.push(line);
    this.chars += line.length;
    if (this.chars < this.blockChars) return;
    this.flush();
    if (this.ready.length >= this.depth) return this.waitForRoom();
  }

  private async waitForRoom(): Promise<void> {
    while (this.ready.length >= this.depth && !this.failure)
      await new Promise<void>((r) => (this.wakeWriter = r));
    if (this.failure) throw this.failure.error;
  }

  private flush(): void {
    if (!this.parts.length) return;
    this.ready.push(this.parts.join(''));
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

  /** Stops both sides: the reader throws `error` (so COPY is aborted) and so does the next push. */
  fail(error: unknown): void {
    if (!this.failure) this.failure = { error };
    this.wake();
  }

  /** The blocks, in order, as COPY reads them. */
  async *blocks(): AsyncGenerator<string> {
    for (;;) {
      if (this.failure) throw this.failure.error;
      const block = this.ready.shift();
      if (block !== undefined) {
        this.wake();
        yield block;
        continue;
      }
      if (this.done) return;
      await new Promise<void>((r) => (this.wakeReader = r));
    }
  }
}

/** The staging table of a roster import (temporary: one per session, emptied at each commit). */
export function stageName(table: string): string {
  return `import_stage_${table}`;
}

/**
 * (Re)creates the staging table of `table`: its own columns (types only, no constraints or
 * indexes) after `row_no` (the spreadsheet row) and `ok` (the row passed every check; rows that
 * did not are staged with their key only, so duplicates are still found). Temporary tables are
 * not WAL-logged; `ON COMMIT DELETE ROWS` leaves it empty for the session's next import.
 */
export async function createStage(s: BulkSession, table: string, columns: readonly string[]): Promise<void> {
  const stage = stageName(table);
  await s.exec(`DROP TABLE IF EXISTS pg_temp.${stage}`);
  await s.exec(
    `CREATE TEMP TABLE ${stage} ON COMMIT DELETE ROWS AS
       SELECT 0::int AS row_no, true AS ok, ${columns.join(', ')} FROM ${table} WITH NO DATA`,
  );
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
  const { rows } = await s.exec(
    `SELECT row_no, id, first, count(*) OVER () AS n FROM (
       SELECT row_no, id, min(row_no) OVER (PARTITION BY id) AS first
       FROM ${stageName(table)} WHERE id IN (
         SELECT id FROM ${stageName(table)} GROUP BY id HAVING count(*) > 1)) d
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
 * stands in (in row order, at most `limit`), and how many there are in all.
 */
export async function keysOnRoster(
  s: BulkSession,
  table: string,
  limit: number,
): Promise<{ clashes: StagedClash[]; count: number }> {
  const { rows } = await s.exec(
    `SELECT row_no, id, count(*) OVER () AS n FROM (
       SELECT min(st.row_no) AS row_no, st.id FROM ${stageName(table)} st
       JOIN ${table} t ON t.id = st.id GROUP BY st.id) d
     ORDER BY row_no LIMIT $1`,
    [limit],
  );
  return {
    clashes: rows.map((r) => ({ row: Number(r.row_no), key: String(r.id) })),
    count: rows.length ? Number(rows[0]!.n) : 0,
  };
}

/** Moves the staged rows into `table` (one INSERT … SELECT; the table's constraints apply). */
export async function mergeStage(s: BulkSession, table: string, columns: readonly string[]): Promise<void> {
  const list = columns.join(', ');
  await s.exec(`INSERT INTO ${table} (${list}) SELECT ${list} FROM ${stageName(table)} WHERE ok`);
}

/**
 * The first `unit_facts` records of the staged (new) units, written in SQL: every grade, every
 * flag that is set and the last fatal accident, as `factChangeRows(null, unit)` makes them for a
 * unit added through the form (the transfer tests compare the two).
 */
export async function insertStagedUnitFacts(
  s: BulkSession,
  meta: { source: string; userId: string | null; today: string; now: string },
): Promise<void> {
  const flag = (kind: string, column: string) =>
    `('${kind}', s.${column}, '{"active":true}'::jsonb, $1::date)`;
  await s.exec(
    `INSERT INTO unit_facts (unit_id, kind, value, effective_on, source, recorded_at, recorded_by)
     SELECT s.id, f.kind, f.value, f.effective_on, $2, $3::timestamptz, $4::uuid
     FROM ${stageName('units')} s CROSS JOIN LATERAL (VALUES
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
