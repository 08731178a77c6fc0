import { getTableColumns, sql } from 'drizzle-orm';
import { publications } from '@spotcheck/db';
import type { PublicationContent } from '@spotcheck/core';
import { digestOf } from './canonical';
import type { DbOrTx } from './db';
import { appendLogLeaf } from '../log/transparency';

/** Kinds of publication in the public column. */
export type PublicationKind = (typeof publications.$inferInsert)['kind'];

/**
 * Publishes already-redacted content in the public 双随机、一公开 column (R15), frozen with its
 * digest. Callers redact first ({@link import('./redact')}). Every publication is appended to the
 * transparency log in the same transaction (a savepoint when called inside one): both or neither.
 */
export async function publish(
  tx: DbOrTx,
  p: {
    bureauCode: string;
    kind: PublicationKind;
    refId: string;
    period?: string | null;
    title: string;
    content: PublicationContent;
    by: string | null;
    at: Date;
    replacesId?: string | null;
  },
) {
  // Serialised once: the same text is the jsonb value stored (what `toJsonObject` would give,
  // without drizzle serialising it again) and, parsed, the content the digest is taken of. A draw
  // bundle of a city is ~10^8 bytes, so each extra pass over it costs seconds (issue 16).
  const json = JSON.stringify(p.content);
  const content = JSON.parse(json) as PublicationContent;
  return tx.transaction(async (t) => {
    const row = await insertPublication(t, p, json, content);
    await appendLogLeaf(t, row);
    return row;
  });
}

async function insertPublication(
  tx: DbOrTx,
  p: Parameters<typeof publish>[1],
  json: string,
  content: PublicationContent,
) {
  // The content is not read back (`RETURNING` it would serialise and parse it once more).
  const { content: _stored, ...columns } = getTableColumns(publications);
  const [row] = await tx
    .insert(publications)
    .values({
      bureauCode: p.bureauCode,
      kind: p.kind,
      refId: p.refId,
      period: p.period ?? null,
      title: p.title,
      content: sql`${json}::jsonb`,
      digest: digestOf(content),
      replacesId: p.replacesId ?? null,
      publishedAt: p.at,
      publishedBy: p.by,
    })
    .returning(columns);
  return { ...row!, content };
}
