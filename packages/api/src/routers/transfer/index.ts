import { z } from 'zod';
import type { Db } from '@spotcheck/db';
import { fail } from '../../lib/errors';
import { ZIdSchema } from '../../lib/zod';
import { exportList, template } from '../../transfer/export';
import { importSpreadsheet, type ImportOptions, type ImportReport } from '../../transfer/import';
import { TRANSFER_KINDS, type TransferKind } from '../../transfer/kinds';
import { TRANSFER_FORMATS, type TransferFormat } from '../../transfer/read';
import { ROLE_GROUPS, roleProcedure, router, type Access } from '../../trpc';
import type { SessionUser } from '../../auth/sessions';

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

/**
 * Runs an import for a signed-in admin: checks the checklist version (a reachable draft) and
 * the bureaus of every row. Shared by `transfer.import` and the streaming upload route.
 */
export async function runImport(
  ctx: { db: Db; now: () => Date; user: SessionUser; access: Access },
  kind: TransferKind,
  format: TransferFormat,
  source: Buffer | AsyncIterable<Buffer>,
  opts: { versionId?: string; onProgress?: ImportOptions['onProgress'] } = {},
): Promise<ImportReport> {
  let checklistVersion: ImportOptions['checklistVersion'];
  if (kind === 'checklist-items') {
    if (!opts.versionId)
      fail('BAD_REQUEST', 'versionId', 'checklist items are imported into a draft version');
    const v = await ctx.db.query.checklistVersions.findFirst({
      where: (c, { eq }) => eq(c.id, opts.versionId!),
    });
    if (!v) fail('NOT_FOUND', 'versionId', `no checklist version ${opts.versionId}`);
    ctx.access.bureau(v.bureauCode);
    if (v.status !== 'draft')
      fail('CONFLICT', 'versionId', `version ${v.version} is ${v.status}: published versions never change`);
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
  });
}

/** Spreadsheet import/export (R22): templates, all-or-nothing imports, exports of every list. */
export const transferRouter = router({
  /** An empty template with the expected columns. */
  template: roleProcedure(ROLE_GROUPS.staff)
    .input(z.object({ kind: ZKind, format: ZFormat }))
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
    .mutation(({ ctx, input }) =>
      runImport(ctx, input.kind, input.format, Buffer.from(input.base64, 'base64'), {
        versionId: input.versionId,
      }),
    ),

  /** Exports a list of the bureaus in reach (checklist items: of one version). */
  export: roleProcedure(ROLE_GROUPS.staff)
    .input(z.object({ kind: ZKind, format: ZFormat, versionId: ZIdSchema.optional() }))
    .query(async ({ ctx, input }) => {
      if (input.kind === 'checklist-items') {
        if (!input.versionId) fail('BAD_REQUEST', 'versionId', 'name the checklist version to export');
        const v = await ctx.db.query.checklistVersions.findFirst({
          where: (c, { eq }) => eq(c.id, input.versionId!),
        });
        if (!v) fail('NOT_FOUND', 'versionId', `no checklist version ${input.versionId}`);
        ctx.access.bureau(v.bureauCode);
      }
      const f = await exportList(ctx.db, input.kind, input.format, ctx.access.scope, input.versionId);
      return { filename: f.filename, mime: f.mime, base64: f.data.toString('base64') };
    }),
});
