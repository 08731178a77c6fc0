/**
 * Decompression-bomb guard for XLSX imports. An XLSX is a ZIP: a few MB can inflate to gigabytes
 * of shared strings. Before any XML is parsed the file is spooled to a temporary file and every
 * entry is inflated once through a meter (yauzl checks each entry against its declared size, so a
 * lying header fails too); shared strings and rows are counted on the way. Only a file within
 * every limit reaches the spreadsheet parser, which then inflates the same bounded bytes.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TRPCError } from '@trpc/server';
import yauzl from 'yauzl';
import { fail } from '../lib/errors';
import { makeSpoolDir } from './spool-dir';

/** Limits of one XLSX import. */
export interface XlsxLimits {
  /** The file itself (compressed). */
  maxFileBytes: number;
  /** Sum of every entry's decompressed size. */
  maxDecompressedBytes: number;
  /** `xl/sharedStrings.xml`, decompressed. */
  maxSharedStringsBytes: number;
  /** Entries of `<si>` in the shared strings table. */
  maxSharedStrings: number;
  /** `<row>` elements over all worksheets. */
  maxRows: number;
  /**
   * Cells of the rows read, each row as wide as its last cell with text: a value in column XFD
   * makes a row of 16,384 cells, and 20,000 such rows (100 KB zipped) took 30 s to read.
   */
  maxCells: number;
  /** ZIP entries. */
  maxEntries: number;
}

/** Defaults: comfortably above the largest roster a district keeps (Excel's own row limit). */
export const XLSX_LIMITS: XlsxLimits = {
  maxFileBytes: 64 * 1024 * 1024,
  maxDecompressedBytes: 384 * 1024 * 1024,
  maxSharedStringsBytes: 128 * 1024 * 1024,
  maxSharedStrings: 2_000_000,
  maxRows: 1_048_576,
  maxCells: 32 * 1_048_576,
  maxEntries: 2000,
};

const unreadable = (message: string): never =>
  fail('BAD_REQUEST', 'file', 'file.unreadable', { format: 'xlsx', detail: message });

/** Writes a body to a private temporary file, refusing more than `max` bytes. */
export async function spoolToTempFile(
  source: Buffer | AsyncIterable<Buffer>,
  max: number,
): Promise<{ path: string; size: number; remove(): Promise<void> }> {
  const dir = await makeSpoolDir();
  const path = join(dir, `${randomBytes(8).toString('hex')}.xlsx`);
  let size = 0;
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(
      Buffer.isBuffer(source) ? Readable.from([source]) : Readable.from(source),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const c of chunks) {
          size += c.length;
          if (size > max) fail('PAYLOAD_TOO_LARGE', 'file', 'file.largerThan', { bytes: max });
          yield c;
        }
      },
      createWriteStream(path, { mode: 0o600 }),
    );
  } catch (err) {
    await remove();
    throw err;
  }
  return { path, size, remove };
}

/** yauzl's `open` as a promise. */
export const openZipFile = (path: string, options: yauzl.Options): Promise<yauzl.ZipFile> =>
  new Promise((resolve, reject) => yauzl.open(path, options, (err, z) => (err ? reject(err) : resolve(z))));

/** The longest prefix a counted tag may have (`<x:row`): a longer one is counted when it is read. */
const MAX_PREFIX = 32;

/**
 * Counts the start tags named `local` (`<row …>`), prefixed or not (`<x:row …>`, as the .NET
 * OpenXML SDK writes them), across chunk boundaries. Bytes, not XML: the reader counts again.
 */
function tagCounter(local: string) {
  const tag = new RegExp(`<(?:[^ \\t\\r\\n<>/:="']{1,${MAX_PREFIX}}:)?${local}[ \\t\\r\\n/>]`, 'g');
  // What of the text is kept for the next chunk: all but the last character of the longest tag.
  const keep = MAX_PREFIX + local.length + 2;
  let tail = '';
  let n = 0;
  return {
    feed(chunk: Buffer) {
      const text = tail + chunk.toString('latin1');
      // A tag that ends in the tail was counted with the chunk before.
      for (const m of text.matchAll(tag)) if (m.index + m[0].length > tail.length) n++;
      tail = text.slice(-keep);
      return n;
    },
  };
}

/**
 * Inflates every entry of the XLSX at `path` through a meter and throws PAYLOAD_TOO_LARGE (or
 * BAD_REQUEST for a broken ZIP) naming the limit, before anything is parsed.
 */
export async function checkXlsxLimits(path: string, limits: XlsxLimits = XLSX_LIMITS): Promise<void> {
  const zip = await openZipFile(path, {
    lazyEntries: true,
    validateEntrySizes: true,
    strictFileNames: false,
  }).catch((err: Error) => unreadable(err.message));
  let total = 0;
  let entries = 0;
  let rows = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        const step = async () => {
          if (++entries > limits.maxEntries)
            fail('PAYLOAD_TOO_LARGE', 'file', 'file.tooManyParts', { max: limits.maxEntries });
          const name = entry.fileName;
          if (name.endsWith('/')) return;
          total += entry.uncompressedSize;
          if (total > limits.maxDecompressedBytes)
            fail('PAYLOAD_TOO_LARGE', 'file', 'file.unpacksTooLarge', { bytes: limits.maxDecompressedBytes });
          const isStrings = /(^|\/)sharedStrings\.xml$/i.test(name);
          const isSheet = /^xl\/worksheets\/[^/]+\.xml$/i.test(name);
          if (isStrings && entry.uncompressedSize > limits.maxSharedStringsBytes)
            fail('PAYLOAD_TOO_LARGE', 'file', 'file.sharedStringsTooLarge', {
              bytes: limits.maxSharedStringsBytes,
            });
          const stream = await new Promise<Readable>((res, rej) =>
            zip.openReadStream(entry, (err, s) => (err ? rej(err) : res(s))),
          );
          const strings = tagCounter('si');
          const rowTags = tagCounter('row');
          for await (const chunk of stream as AsyncIterable<Buffer>) {
            if (isStrings && strings.feed(chunk) > limits.maxSharedStrings)
              fail('PAYLOAD_TOO_LARGE', 'file', 'file.tooManySharedStrings', {
                max: limits.maxSharedStrings,
              });
            if (isSheet && rows + rowTags.feed(chunk) > limits.maxRows)
              fail('PAYLOAD_TOO_LARGE', 'file', 'file.tooManyRows', { max: limits.maxRows });
          }
          if (isSheet) rows += rowTags.feed(Buffer.alloc(0));
        };
        step().then(
          () => zip.readEntry(),
          (err: unknown) => reject(err),
        );
      });
      zip.readEntry();
    });
  } catch (err) {
    if (err instanceof TRPCError) throw err;
    unreadable((err as Error).message);
  } finally {
    zip.close();
  }
}
