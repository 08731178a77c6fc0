import { z } from 'zod';
import type { Db } from '@spotcheck/db';
import { fail } from '../../lib/errors';
import { ZIdSchema } from '../../lib/zod';
import { exportList, template } from '../../transfer/export';
import {
  importSpreadsheet,
  type ImportOptions,
  type ImportProblemCode,
  type ImportReport,
} from '../../transfer/import';
import { TRANSFER_KINDS, type TransferKind } from '../../transfer/kinds';
import { TRANSFER_FORMATS, type TransferFormat } from '../../transfer/read';
import { commitUpsert, previewUpsert, UPSERT_KINDS, type UpsertOptions } from '../../transfer/upsert';
import { ZBureauCodeSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router, type Access } from '../../trpc';
import type { SessionUser } from '../../auth/sessions';
import { stringOf } from '../../lib/outputs';

/** Largest file accepted as base64 through tRPC; bigger files go through POST /upload/import/:kind. */
export const MAX_BASE64_IMPORT_BYTES = 20 * 1024 * 1024;

const ZKind = z.enum(TRANSFER_KINDS);
const ZFormat = z.enum(TRANSFER_FORMATS);

/** Input of `transfer.import`. */
export const ZImportSchema = z.object({
  kind: ZKind,
  format: ZFormat,
  /** The file, base64-encoded. */
  base64: z
    .string()
    .min(1)
    .max(Math.ceil((MAX_BASE64_IMPORT_BYTES * 4) / 3) + 4),
  /** For checklist items: the draft version whose items the file replaces. */
  versionId: ZIdSchema.optional(),
});

/** Input of `transfer.previewUpsert`. */
export const ZUpsertPreviewSchema = z.object({
  kind: z.enum(UPSERT_KINDS),
  format: ZFormat,
  base64: ZImportSchema.shape.base64,
  /** The file is the whole roster of this bureau: its active entries missing from it are proposed closed. */
  fullRosterOf: ZBureauCodeSchema.optional(),
});
/** Input of `transfer.commitUpsert`: the previewed file and the preview's digest. */
export const ZUpsertCommitSchema = ZUpsertPreviewSchema.extend({
  digest: z.string().regex(/^[0-9a-f]{64}$/, 'must be the digest of a preview'),
});

function upsertOptions(
  ctx: { now: () => Date; user: SessionUser; access: Access },
  input: z.infer<typeof ZUpsertPreviewSchema>,
): UpsertOptions {
  if (input.fullRosterOf) ctx.access.bureau(input.fullRosterOf);
  const role = ctx.user.roles.find((g) => ctx.access.allowed.includes(g.role))?.role ?? null;
  return {
    kind: input.kind,
    format: input.format,
    actor: { userId: ctx.user.id, role },
    reach: (b) => ctx.access.reaches(b),
    fullRosterOf: input.fullRosterOf,
    now: ctx.now(),
  };
}

/**
 * Runs an import for a signed-in admin: checks the checklist version (a reachable draft) and
 * the bureaus of every row. Shared by `transfer.import` and the streaming upload route.
 */
export async function runImport(
  ctx: { db: Db; now: () => Date; user: SessionUser; access: Access },
  kind: TransferKind,
  format: TransferFormat,
  source: Buffer | AsyncIterable<Buffer>,
  opts: { versionId?: string; onProgress?: ImportOptions['onProgress']; signal?: AbortSignal } = {},
): Promise<ImportReport> {
  let checklistVersion: ImportOptions['checklistVersion'];
  if (kind === 'checklist-items') {
    if (!opts.versionId) fail('BAD_REQUEST', 'versionId', 'transfer.checklistNeedsDraft');
    const v = await ctx.db.query.checklistVersions.findFirst({
      where: (c, { eq }) => eq(c.id, opts.versionId!),
    });
    if (!v) fail('NOT_FOUND', 'versionId', 'checklist.versionNotFound', { versionId: opts.versionId });
    ctx.access.bureau(v.bureauCode);
    if (v.status !== 'draft')
      fail('CONFLICT', 'versionId', 'transfer.versionFrozen', { version: v.version, status: v.status });
    checklistVersion = { id: v.id, bureauCode: v.bureauCode };
  }
  const role = ctx.user.roles.find((g) => ctx.access.allowed.includes(g.role))?.role ?? null;
  return importSpreadsheet(ctx.db, source, {
    kind,
    format,
    actor: { userId: ctx.user.id, role },
    reach: (b) => ctx.access.reaches(b),
    checklistVersion,
    now: ctx.now(),
    onProgress: opts.onProgress,
    signal: opts.signal,
  });
}

const ZProblemSchema = z.object({
  row: z.number(),
  column: z.string(),
  message: z.string(),
  code: stringOf<ImportProblemCode>(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
const ZValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]);
const ZRosterEntrySchema = z.object({ key: z.string(), name: z.string(), bureauCode: z.string() });
/** What a roster file would do (`previewUpsert`), capped lists with full counts. */
const ZUpsertPreviewOutputSchema = z.object({
  ok: z.boolean(),
  kind: z.enum(UPSERT_KINDS),
  rows: z.number(),
  problems: z.array(ZProblemSchema),
  problemCount: z.number(),
  fullRosterOf: z.string().nullable(),
  counts: z.object({ adds: z.number(), changes: z.number(), unchanged: z.number(), closures: z.number() }),
  adds: z.array(ZRosterEntrySchema.extend({ row: z.number() })),
  changes: z.array(
    ZRosterEntrySchema.extend({
      row: z.number(),
      fields: z.array(
        z.object({ field: z.string(), label: z.string(), before: ZValueSchema, after: ZValueSchema }),
      ),
    }),
  ),
  closures: z.array(ZRosterEntrySchema),
  digest: z.string(),
});

/** A file for download, base64. */
const ZFileSchema = z.object({ filename: z.string(), mime: z.string(), base64: z.string() });

/** Spreadsheet import/export (R22): templates, all-or-nothing imports, exports of every list. */
export const transferRouter = router({
  /** An empty template with the expected columns. */
  template: roleProcedure(ROLE_GROUPS.staff)
    .input(z.object({ kind: ZKind, format: ZFormat }))
    .output(ZFileSchema)
    .query(async ({ input }) => {
      const f = await template(input.kind, input.format);
      return { filename: f.filename, mime: f.mime, base64: f.data.toString('base64') };
    }),

  /**
   * Imports a spreadsheet, all or nothing (admins; rows must belong to bureaus in reach).
   *
   * Input `{ kind, format, base64, versionId? }`:
   * - `kind`: `units` | `inspectors` | `experts` | `checklist-items` (see `transfer.template`);
   * - `format`: `xlsx` | `csv` (UTF-8, header row first);
   * - `base64`: the file, base64-encoded, at most {@link MAX_BASE64_IMPORT_BYTES} bytes decoded;
   * - `versionId`: for `checklist-items`, the draft checklist version whose items the file replaces.
   *
   * Output {@link ImportReport} `{ ok, kind, rows, imported, problems, problemCount }`: with
   * `ok: false` nothing was written and `problems` is `[{ row, column, message }]` (row as shown
   * in the spreadsheet, header = 1; at most 1,000 listed, `problemCount` counts all). With
   * `ok: true`, `imported` rows were written in one transaction with one audit event.
   * Input errors (unknown kind, missing versionId, published version…) are 4xx tRPC errors whose
   * message starts with the field name.
   *
   * Large files: `POST /upload/import/:kind?format=xlsx|csv[&versionId=…]` with the raw file as
   * the body and the session cookie; the response is NDJSON: `{"type":"progress",…}` lines, then
   * one `{"type":"report", …ImportReport}` or `{"type":"error","code","message"}` line.
   */
  import: roleProcedure(ROLE_GROUPS.admins)
    .input(ZImportSchema)
    .output(
      z.object({
        ok: z.boolean(),
        kind: z.enum(TRANSFER_KINDS),
        rows: z.number(),
        imported: z.number(),
        problems: z.array(ZProblemSchema),
        problemCount: z.number(),
      }),
    )
    .mutation(({ ctx, input }) =>
      runImport(ctx, input.kind, input.format, Buffer.from(input.base64, 'base64'), {
        versionId: input.versionId,
      }),
    ),

  /**
   * Re-syncs a roster from a bureau's existing system, step 1: what the file would change.
   * Keyed by credit code (units) or officer number (inspectors): `adds`, `changes` (each field
   * before and after) and, with `fullRosterOf`, `closures` (active entries of that bureau the file
   * no longer lists: units proposed closed, officers proposed left). Nothing is written; with
   * `ok: false` the problems name row, column and reason. The `digest` goes to `commitUpsert`.
   */
  previewUpsert: roleProcedure(ROLE_GROUPS.admins)
    .input(ZUpsertPreviewSchema)
    .output(ZUpsertPreviewOutputSchema)
    .mutation(({ ctx, input }) =>
      previewUpsert(ctx.db, Buffer.from(input.base64, 'base64'), upsertOptions(ctx, input)),
    ),

  /**
   * Step 2: applies the previewed file all or nothing. The comparison is made again in one
   * transaction; a different outcome than the preview's `digest` writes nothing (CONFLICT).
   */
  commitUpsert: roleProcedure(ROLE_GROUPS.admins)
    .input(ZUpsertCommitSchema)
    .output(ZUpsertPreviewOutputSchema.extend({ committed: z.boolean() }))
    .mutation(({ ctx, input }) =>
      commitUpsert(ctx.db, Buffer.from(input.base64, 'base64'), {
        ...upsertOptions(ctx, input),
        digest: input.digest,
      }),
    ),

  /** Exports a list of the bureaus in reach (checklist items: of one version). */
  export: roleProcedure(ROLE_GROUPS.staff)
    .input(z.object({ kind: ZKind, format: ZFormat, versionId: ZIdSchema.optional() }))
    .output(ZFileSchema)
    .query(async ({ ctx, input }) => {
      if (input.kind === 'checklist-items') {
        if (!input.versionId) fail('BAD_REQUEST', 'versionId', 'transfer.versionRequired');
        const v = await ctx.db.query.checklistVersions.findFirst({
          where: (c, { eq }) => eq(c.id, input.versionId!),
        });
        if (!v) fail('NOT_FOUND', 'versionId', 'checklist.versionNotFound', { versionId: input.versionId });
        ctx.access.bureau(v.bureauCode);
      }
      const f = await exportList(ctx.db, input.kind, input.format, ctx.access.scope, input.versionId);
      return { filename: f.filename, mime: f.mime, base64: f.data.toString('base64') };
    }),
});
