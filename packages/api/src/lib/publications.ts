import { and, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { publications } from '@spotcheck/db';
import type { DbOrTx } from './db';
import { fail, notFound } from './errors';
import { ZBureauCodeSchema } from './zod';
import type { PublicationContent } from '@spotcheck/core';
import { rowSchema, typed } from './outputs';

/**
 * A publication as anyone reads it (`publications.get`, the token API, its public file): every
 * column but `publishedBy`, the internal id of the staff account that published it, which is not
 * for the public (R16). `content` is typed, not walked: a draw publication holds the whole bundle
 * (10^6 frame rows in a large city), and checking it on every read would cost seconds.
 */
export const ZPublicationSchema = rowSchema(publications)
  .omit({ publishedBy: true })
  .extend({ content: typed<PublicationContent>() });

/** A publication without its content, as {@link listPublications} lists it. */
export const ZPublicationHeaderSchema = ZPublicationSchema.omit({ content: true });

/** Kinds of publications. */
export const PUBLICATION_KINDS = publications.kind.enumValues;

/** Input of `publications.list`. */
export const ZPublicationListSchema = z
  .object({
    bureauCode: ZBureauCodeSchema.optional(),
    kind: z.enum(PUBLICATION_KINDS).optional(),
    period: z.string().max(20).optional(),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).default(0),
  })
  .default({ limit: 50, offset: 0 });

/** The columns of a publication's header: everything but the content and who published it. */
const HEADER_COLUMNS = {
  id: publications.id,
  bureauCode: publications.bureauCode,
  kind: publications.kind,
  refId: publications.refId,
  period: publications.period,
  title: publications.title,
  digest: publications.digest,
  replacesId: publications.replacesId,
  publishedAt: publications.publishedAt,
};

/** Lists publications (headers only); shared by the portal and the external API. */
export async function listPublications(db: DbOrTx, input: z.infer<typeof ZPublicationListSchema>) {
  const where: SQL[] = [];
  if (input.bureauCode) where.push(eq(publications.bureauCode, input.bureauCode));
  if (input.kind) where.push(eq(publications.kind, input.kind));
  if (input.period) where.push(eq(publications.period, input.period));
  return db
    .select(HEADER_COLUMNS)
    .from(publications)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(publications.publishedAt))
    .limit(input.limit)
    .offset(input.offset);
}

/** One publication without its content ({@link ZPublicationHeaderSchema}). */
export async function publicationHeader(db: DbOrTx, id: string) {
  const [row] = await db.select(HEADER_COLUMNS).from(publications).where(eq(publications.id, id));
  if (!row) notFound('id', 'publication', id);
  return row;
}

/** One publication in full. */
export async function getPublication(db: DbOrTx, id: string) {
  const row = await db.query.publications.findFirst({ where: (p, { eq }) => eq(p.id, id) });
  if (!row) notFound('id', 'publication', id);
  return row;
}

/**
 * Stored size (compressed) past which a publication is not read into the server and sent as one
 * tRPC response: about 17 MB of JSON, a draw of ~10^5 units. A city draw is 1.4·10^8 bytes, and
 * three anonymous requests for it at once took the server from 0.8 GB to 3.2 GB (issue 16).
 */
export const PUBLICATION_READ_MAX_STORED = 4 * 1024 * 1024;

/** Whether a publication stored at `storedBytes` is read from its file only. */
export function isLargePublication(storedBytes: number): boolean {
  return storedBytes > PUBLICATION_READ_MAX_STORED;
}

/** The path of a publication's file, where the public reads one of any size. */
export function publicationFilePath(id: string): string {
  return `/open/publication/${id}.json`;
}

/**
 * A publication's columns for readers (anyone: `publications.get`, the token API, the log's
 * entries), all of them in one read but `publishedBy` ({@link ZPublicationSchema}): `content` is
 * SQL null when stored larger than {@link PUBLICATION_READ_MAX_STORED} (it never reaches the
 * server), and `storedBytes` says how large it is.
 */
export function readableColumns() {
  const { content, publishedBy: _staffId, ...columns } = getTableColumns(publications);
  const stored = sql`pg_column_size(${content})`;
  return {
    ...columns,
    content: sql<PublicationContent | null>`case when ${stored} <= ${PUBLICATION_READ_MAX_STORED} then ${content} end`,
    storedBytes: sql<number>`${stored}::int`,
  };
}

/**
 * One publication for readers (the public column, API tokens): one stored larger than
 * {@link PUBLICATION_READ_MAX_STORED} is refused, naming its file (the same record, made once,
 * gzip, cached, ranges).
 */
export async function readPublication(db: DbOrTx, id: string) {
  const [row] = await db.select(readableColumns()).from(publications).where(eq(publications.id, id));
  if (!row) notFound('id', 'publication', id);
  const { storedBytes, content, ...rest } = row;
  if (isLargePublication(storedBytes) || content === null)
    fail('PAYLOAD_TOO_LARGE', 'id', 'publication.readTheFile', {
      id,
      file: publicationFilePath(id),
      storedBytes,
    });
  return { ...rest, content };
}
