import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { csvDocument } from '@spotcheck/core';
import { publications } from '@spotcheck/db';
import type { DbOrTx } from './db';
import { PUBLICATION_READ_MAX_STORED } from './publications';
import { REDACTION_REASON_ZH, WITHHELD_TEXT, type RedactionReason } from './redact';

/**
 * Open data 开放数据: every public list as rows with a documented schema, built only from the
 * public column (`publications`, already redacted when published), so nothing internal can leak.
 */
export interface OpenDataColumn {
  name: string;
  type: 'string' | 'integer' | 'date' | 'datetime' | 'boolean';
  zh: string;
  description: string;
}

/** One downloadable list. */
export interface OpenDataset {
  name: string;
  zh: string;
  description: string;
  columns: OpenDataColumn[];
}

const c = (name: string, type: OpenDataColumn['type'], zh: string, description: string): OpenDataColumn => ({
  name,
  type,
  zh,
  description,
});

/** The schema of every open dataset (also served as `/open/schema.json`, see docs/open-data.md). */
export const OPEN_DATASETS: OpenDataset[] = [
  {
    name: 'publications',
    zh: '公开信息目录',
    description: 'Every publication of the public column, newest first.',
    columns: [
      c('id', 'string', '公开编号', 'Publication id (UUID); /publication/<id> on the portal'),
      c('bureauCode', 'string', '部门代码', 'GB/T 2260 code of the publishing bureau'),
      c(
        'kind',
        'string',
        '类别',
        'checklist | procedure | plan | commitment | draw | void | quarterly-results | blacklist',
      ),
      c('period', 'string', '期间', 'Period (YYYY, YYYY-Qn), if any'),
      c('title', 'string', '标题', 'Title as published'),
      c('digest', 'string', '摘要值', 'SHA-256 of the canonical JSON content'),
      c('replacesId', 'string', '替代', 'The publication this one replaces, if any'),
      c('publishedAt', 'datetime', '公开时间', 'ISO 8601 instant'),
    ],
  },
  {
    name: 'results',
    zh: '随机抽查结果',
    description:
      'One row per inspected unit in the quarterly results publications (supplements included). A withheld field reads 依法不予公开（reason category）; a row whose unit is withheld withholds every field of the inspection (rows last, no counts).',
    columns: [
      c('publicationId', 'string', '公开编号', 'The quarterly publication'),
      c('bureauCode', 'string', '部门代码', 'Publishing bureau'),
      c('period', 'string', '季度', 'Quarter of the inspection date (YYYY-Qn)'),
      c('supplement', 'boolean', '补充公开', 'Whether the row came in a supplementary publication'),
      c('unitId', 'string', '统一社会信用代码', 'Inspected unit, or the withheld text'),
      c('unitName', 'string', '单位名称', 'Inspected unit, or the withheld text'),
      c('industry', 'string', '行业', 'Industry code'),
      c('inspectedOn', 'date', '检查日期', 'Date of the inspection, or the withheld text'),
      c('outcome', 'string', '检查结果', 'compliant | violations | closed-or-absent, or the withheld text'),
      c('team', 'string', '执法人员', 'Names and certificate numbers, or the withheld text'),
      c('violations', 'integer', '违法行为', 'Count of violations; empty when the unit is withheld'),
      c('hazards', 'integer', '一般隐患', 'Count of hazards; empty when the unit is withheld'),
      c('majorHazards', 'integer', '重大隐患', 'Count of major hazards; empty when the unit is withheld'),
      c('summary', 'string', '检查情况', 'Summary, or the withheld text'),
      c('withheld', 'string', '不予公开事项', 'Withheld fields with their reason categories'),
    ],
  },
  {
    name: 'blacklist',
    zh: '黑名单',
    description:
      'Units published on the blacklist, with the basis and the effective date (China calendar date).',
    columns: [
      c('publicationId', 'string', '公开编号', 'The blacklist notice'),
      c('bureauCode', 'string', '部门代码', 'Publishing bureau'),
      c('unitId', 'string', '统一社会信用代码', 'Unit'),
      c('unitName', 'string', '单位名称', 'Unit'),
      c('basis', 'string', '认定依据', 'Basis of the listing'),
      c('effectiveOn', 'date', '认定日期', 'Effective date (YYYY-MM-DD, UTC+8)'),
      c('publishedAt', 'datetime', '公开时间', 'ISO 8601 instant'),
    ],
  },
];

/** Filters of an open-data download. */
export interface OpenDataFilter {
  bureauCode?: string;
  kind?: string;
  period?: string;
}

type Row = Record<string, string | number | boolean | null>;

/** A withheld value as text, else the value. */
function text(v: unknown): string {
  if (v && typeof v === 'object' && (v as { withheld?: boolean }).withheld) {
    const reason = (v as { reason: RedactionReason }).reason;
    return `${WITHHELD_TEXT}（${REDACTION_REASON_ZH[reason] ?? reason}）`;
  }
  return v === null || v === undefined ? '' : String(v);
}

/** The conditions of a download: its filter, the dataset's own kind (else the filter's), `more`. */
function whereOf(f: OpenDataFilter, kind: string | undefined, ...more: SQL[]) {
  const where: SQL[] = [];
  if (f.bureauCode) where.push(eq(publications.bureauCode, f.bureauCode));
  if (kind ?? f.kind) where.push(eq(publications.kind, (kind ?? f.kind) as never));
  if (f.period) where.push(eq(publications.period, f.period));
  where.push(...more);
  return where.length ? and(...where) : undefined;
}

/** Rows of one download at most, newest first. */
const DOWNLOAD_ROWS = 20_000;

/**
 * A publication's columns without its content: anyone may download, and a city draw's content is
 * ~10^8 bytes (a second and tens of MB a request to read, for a title and a digest).
 */
const HEADER_COLUMNS = {
  id: publications.id,
  bureauCode: publications.bureauCode,
  kind: publications.kind,
  period: publications.period,
  title: publications.title,
  digest: publications.digest,
  replacesId: publications.replacesId,
  publishedAt: publications.publishedAt,
};

/**
 * Whether a content is stored within {@link PUBLICATION_READ_MAX_STORED}. A member (`content ->
 * 'unit'`) is parsed out of the whole value, so the blacklist dataset (an entry is one unit's)
 * skips a larger content instead of reading it, as `publications.get` refuses it;
 * `pg_column_size` reads the stored value's header only.
 */
const withinReadLimit = sql`pg_column_size(${publications.content}) <= ${PUBLICATION_READ_MAX_STORED}`;

/** The rows of an open dataset, or null for an unknown name. */
export async function openDataRows(db: DbOrTx, dataset: string, f: OpenDataFilter): Promise<Row[] | null> {
  switch (dataset) {
    case 'publications':
      return (
        await db
          .select(HEADER_COLUMNS)
          .from(publications)
          .where(whereOf(f, undefined))
          .orderBy(desc(publications.publishedAt))
          .limit(DOWNLOAD_ROWS)
      ).map((p) => ({
        id: p.id,
        bureauCode: p.bureauCode,
        kind: p.kind,
        period: p.period,
        title: p.title,
        digest: p.digest,
        replacesId: p.replacesId,
        publishedAt: p.publishedAt.toISOString(),
      }));
    case 'results':
      return (
        (
          await db
            .select({
              id: publications.id,
              bureauCode: publications.bureauCode,
              period: publications.period,
              // The two members the rows come from, parsed by the driver (SQL null when absent).
              supplement: sql<boolean | null>`${publications.content} -> 'supplement'`,
              items: sql<Record<string, unknown>[] | null>`${publications.content} -> 'items'`,
            })
            .from(publications)
            // Whatever their size: published results never drop out of the open data (a quarter's
            // content is its items, so reading them is the download itself). The server builds
            // this once per version of the quarterly-results publications the filter selects
            // (apps/api open-data.ts): rows may come from those publications only.
            .where(whereOf(f, 'quarterly-results'))
            .orderBy(desc(publications.publishedAt))
            .limit(DOWNLOAD_ROWS)
        ).flatMap((p) =>
          (p.items ?? []).map((i) => {
            const unit = i.unit as
              { id?: string; name?: string; industry?: string; withheld?: boolean } | undefined;
            // A result whose unit is withheld publishes no counts (the whole inspection is withheld).
            const counts =
              i.counts === null ? null : ((i.counts ?? i.findings ?? {}) as Record<string, number>);
            const team = Array.isArray(i.team)
              ? (i.team as { name: string; certificateNo: string }[])
                  .map((m) => `${m.name}(${m.certificateNo})`)
                  .join('; ')
              : text(i.team);
            const withheld = Object.entries(i)
              .filter(([, v]) => v && typeof v === 'object' && (v as { withheld?: boolean }).withheld)
              .map(([k, v]) => `${k}:${(v as { reason: string }).reason}`)
              .join('; ');
            return {
              publicationId: p.id,
              bureauCode: p.bureauCode,
              period: p.period,
              supplement: !!p.supplement,
              unitId: unit?.withheld ? text(unit) : (unit?.id ?? ''),
              unitName: unit?.withheld ? text(unit) : (unit?.name ?? ''),
              industry: unit?.withheld ? '' : (unit?.industry ?? ''),
              inspectedOn: text(i.inspectedOn),
              outcome: text(i.outcome),
              team,
              violations: counts ? (counts.violation ?? 0) : null,
              hazards: counts ? (counts.hazard ?? 0) : null,
              majorHazards: counts ? (counts.majorHazard ?? 0) : null,
              summary: text(i.summary),
              withheld,
            };
          }),
        )
      );
    case 'blacklist':
      return (
        await db
          .select({
            id: publications.id,
            bureauCode: publications.bureauCode,
            publishedAt: publications.publishedAt,
            // Members as jsonb (`->`, not `->>`), so each reads as the content holds it.
            unitId: sql<string | null>`${publications.content} -> 'unit' -> 'id'`,
            unitName: sql<string | null>`${publications.content} -> 'unit' -> 'name'`,
            basis: sql<string | null>`${publications.content} -> 'basis'`,
            reasonText: sql<string | null>`${publications.content} -> 'reasonText'`,
            effectiveOn: sql<string | null>`${publications.content} -> 'effectiveOn'`,
          })
          .from(publications)
          .where(whereOf(f, 'blacklist', withinReadLimit))
          .orderBy(desc(publications.publishedAt))
          .limit(DOWNLOAD_ROWS)
      ).map((p) => ({
        publicationId: p.id,
        bureauCode: p.bureauCode,
        unitId: p.unitId ?? '',
        unitName: p.unitName ?? '',
        basis: p.basis ?? p.reasonText ?? '',
        effectiveOn: p.effectiveOn ?? '',
        publishedAt: p.publishedAt.toISOString(),
      }));
    default:
      return null;
  }
}

/**
 * RFC 4180 CSV of rows in the dataset's column order, with a UTF-8 BOM for spreadsheet programs;
 * text a spreadsheet would run as a formula is written as text, counts as numbers (core's
 * `csvField`).
 */
export function toCsv(dataset: OpenDataset, rows: Row[]): string {
  return csvDocument([
    dataset.columns.map((c) => c.name),
    ...rows.map((r) => dataset.columns.map((c) => r[c.name])),
  ]);
}
