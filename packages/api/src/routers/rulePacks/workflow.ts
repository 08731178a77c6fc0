/**
 * Authoring and review of rule packs (R14): a district (or the city) edits a draft — saved in
 * place, autosaved, version proposed from the kind of change — submits it with a note; a city
 * admin other than the submitter approves it or returns it with an opinion (审批意见); an
 * approved draft publishes only when every case of the stored draft passes and the set loads
 * (a district only tightens the city). Every step is audited.
 */
import { and, desc, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { rulePackVersions } from '@spotcheck/db';
import {
  bumpVersion,
  changeKind,
  compareVersions,
  compilePacks,
  PackRegistry,
  packDigest,
  ruleChanges,
  runPackCases,
  uncoveredRules,
  withVersion,
  type CaseResult,
  type CompiledPack,
  type PackSource,
} from '@spotcheck/rules';
import type { DbOrTx } from '../../lib/db';
import { fail, notFound } from '../../lib/errors';
import {
  assertPackOwner,
  assertPackSetValid,
  manifestOf,
  appliesFrom,
  effectiveOf,
  publishedPackRows,
  registryWith,
  rulesRuntime,
  sourceOf,
  type RulePackRow,
} from '../../lib/rule-packs';
import { ZIdSchema } from '../../lib/zod';
import { CITY_BUREAU, ROLE_GROUPS, roleProcedure } from '../../trpc';
import { columnsSchema } from '../../lib/outputs';
import { ZCaseRunSchema, ZCatalogSchema, ZPackIssueSchema } from '../../lib/rule-pack-outputs';

const admin = roleProcedure(ROLE_GROUPS.admins);
const staff = roleProcedure(ROLE_GROUPS.staff);
const cityAdmin = roleProcedure(['city-admin']);

/** A pack's files (path → JSON or JSON text), any realistic size (sent as a POST body). */
const ZFilesSchema = z
  .record(z.string().min(1).max(200), z.unknown())
  .refine((f) => 'pack.json' in f, 'must contain pack.json');

const ZNoteSchema = z.string().trim().min(2).max(4000);

/** Columns a client sees for a version (content excluded). */
export const versionColumns = {
  id: rulePackVersions.id,
  packId: rulePackVersions.packId,
  version: rulePackVersions.version,
  bureauCode: rulePackVersions.bureauCode,
  status: rulePackVersions.status,
  review: rulePackVersions.review,
  digest: rulePackVersions.digest,
  submittedBy: rulePackVersions.submittedBy,
  submittedAt: rulePackVersions.submittedAt,
  submitNote: rulePackVersions.submitNote,
  reviewedBy: rulePackVersions.reviewedBy,
  reviewedAt: rulePackVersions.reviewedAt,
  reviewOpinion: rulePackVersions.reviewOpinion,
  publishedAt: rulePackVersions.publishedAt,
  retiredAt: rulePackVersions.retiredAt,
  createdAt: rulePackVersions.createdAt,
  updatedAt: rulePackVersions.updatedAt,
};

async function lockedRow(tx: DbOrTx, id: string): Promise<RulePackRow> {
  const [row] = await tx.select().from(rulePackVersions).where(eq(rulePackVersions.id, id)).for('update');
  if (!row) notFound('id', 'rule pack version', id);
  return row;
}

/** The published version of a pack id, if any. */
async function publishedOf(db: DbOrTx, packId: string): Promise<RulePackRow | undefined> {
  const rows = await db.query.rulePackVersions.findMany({
    where: (r, { and, eq }) => and(eq(r.packId, packId), eq(r.status, 'published')),
  });
  // The latest by effective date: a scheduled version is what the next one follows.
  return rows.sort((a, b) => (effectiveOf(a) < effectiveOf(b) ? 1 : -1))[0];
}

/**
 * The version a draft of `packId` gets: the published version bumped by the kind of change
 * (major/minor/patch), above every version the pack already has.
 */
export async function proposeVersion(
  db: DbOrTx,
  packId: string,
  files: Record<string, unknown>,
  exceptId?: string,
) {
  const published = await publishedOf(db, packId);
  const kind = changeKind(published ? sourceOf(published) : undefined, { origin: 'draft', files });
  const taken = (
    await db
      .select({ version: rulePackVersions.version })
      .from(rulePackVersions)
      .where(
        and(eq(rulePackVersions.packId, packId), exceptId ? ne(rulePackVersions.id, exceptId) : undefined),
      )
      .orderBy(desc(rulePackVersions.createdAt))
  ).map((r) => r.version);
  let version = published ? bumpVersion(published.version, kind === 'none' ? 'patch' : kind) : '1.0.0';
  const highest = taken.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b), '0.0.0');
  // Above every version ever used for this pack: a patch-by-patch walk from 1.0.x would never
  // pass a 9.x draft (the request hung), so start from the highest one's next patch.
  if (compareVersions(version, highest) <= 0) version = bumpVersion(highest, 'patch');
  while (taken.includes(version)) version = bumpVersion(version, 'patch');
  return { version, kind, basedOn: published ? { id: published.id, version: published.version } : null };
}

/** Runs a pack's own cases composed with the published packs (the draft swapped in). */
/**
 * The description of every rule of the composed pack a version belongs to, by id (rule files
 * write "中文 — English"): the apps name fired and uncovered rules by it, never by their id.
 */
export function ruleLabelsOf(registry: PackRegistry, compiled: CompiledPack): Record<string, string> {
  const rules = registry.get(compiled.id)?.rules ?? compiled.rules;
  return Object.fromEntries([...compiled.rules, ...rules].map((r) => [r.id, r.description]));
}

async function casesOf(registry: PackRegistry, compiled: CompiledPack) {
  const results = await runPackCases(registry.classifier(compiled.id), compiled);
  return {
    passed: results.filter((r) => r.passed).length,
    failed: results.filter((r) => !r.passed).length,
    results: results.map((r: CaseResult) => ({
      file: r.file,
      name: r.name,
      passed: r.passed,
      mismatches: r.mismatches,
      diffs: r.diffs,
    })),
    uncoveredRules: uncoveredRules(compiled, results),
    ruleLabels: ruleLabelsOf(registry, compiled),
  };
}

/** Rules added, removed and changed against the published version. */
const ZRuleChangesSchema = z.object({
  added: z.array(z.string()).readonly(),
  removed: z.array(z.string()).readonly(),
  changed: z.array(z.string()).readonly(),
});

/** The version a save would get: bumped by the kind of change against the published version. */
const ZVersionProposalSchema = z.object({
  version: z.string(),
  kind: z.enum(['major', 'minor', 'patch', 'none']),
  basedOn: z.object({ id: z.string(), version: z.string() }).nullable(),
});

/** Procedures of the authoring workflow, merged into `rulePacks`. */
export const workflowProcedures = {
  /** The registered facts and operators (built-in and plugins), for the editor. */
  catalog: staff.output(ZCatalogSchema).query(async () => (await rulesRuntime()).catalog),

  /** The version a save of these files would get, and why (major/minor/patch against the published one). */
  proposeVersion: admin
    .input(z.object({ files: ZFilesSchema, id: ZIdSchema.optional() }))
    .output(
      ZVersionProposalSchema.extend({
        rules: ZRuleChangesSchema,
      }),
    )
    .query(async ({ ctx, input }) => {
      const m = manifestOf({ origin: 'draft', files: input.files });
      const proposal = await proposeVersion(ctx.db, m.id, input.files, input.id);
      const published = await publishedOf(ctx.db, m.id);
      return {
        ...proposal,
        rules: ruleChanges(published ? sourceOf(published) : undefined, {
          origin: 'draft',
          files: input.files,
        }),
      };
    }),

  /**
   * Runs the cases of unsaved files (the editor's draft, not a stored version) with the published
   * packs; the issues when the files do not load.
   */
  runDraftCases: admin
    .input(z.object({ files: ZFilesSchema }))
    .output(ZCaseRunSchema.extend({ ok: z.boolean(), issues: z.array(ZPackIssueSchema) }))
    .query(async ({ ctx, input }) => {
      const m = manifestOf({ origin: 'draft', files: input.files });
      const others = (await publishedPackRows(ctx.db)).filter((r) => r.packId !== m.id);
      const registry = new PackRegistry(await rulesRuntime());
      const load = registry.load([...others.map(sourceOf), { origin: 'draft', files: input.files }]);
      if (!load.ok)
        return {
          ok: false as const,
          issues: load.issues.filter((i) => i.severity === 'error'),
          passed: 0,
          failed: 0,
          results: [],
          uncoveredRules: [],
          ruleLabels: {},
        };
      return { ok: true as const, issues: [], ...(await casesOf(registry, registry.compiledPack(m.id)!)) };
    }),

  /**
   * Saves a draft: with `id`, replaces the files of that draft (while it is being edited or was
   * returned — autosave); without, starts a new draft. The version is proposed unless the files
   * name a free version above the published one. Files need not validate yet; submit checks.
   * Refused when another bureau has a version of the pack id (a pack id belongs to one bureau).
   */
  saveDraft: admin
    .input(z.object({ id: ZIdSchema.optional(), files: ZFilesSchema }))
    .output(
      columnsSchema(versionColumns).extend({
        files: z.record(z.string(), z.unknown()),
        proposal: ZVersionProposalSchema,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const m = manifestOf({ origin: 'draft', files: input.files });
      const bureauCode = m.bureau ?? CITY_BUREAU;
      ctx.access.bureau(bureauCode);
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        const existing = input.id ? await lockedRow(tx, input.id) : undefined;
        if (existing) {
          ctx.access.bureau(existing.bureauCode);
          if (existing.status !== 'draft' || !['editing', 'returned'].includes(existing.review))
            fail('CONFLICT', 'id', 'rulePack.notEditable', {
              packId: existing.packId,
              version: existing.version,
              state: existing.status === 'draft' ? existing.review : existing.status,
            });
          if (existing.packId !== m.id)
            fail('BAD_REQUEST', 'files.pack.json', 'rulePack.draftIdMismatch', {
              packId: existing.packId,
              id: m.id,
            });
        }
        // The pack id's versions are all of one bureau: no draft of another bureau's pack.
        await assertPackOwner(tx, {
          packId: m.id,
          bureauCode,
          field: 'files.pack.json',
          exceptId: existing?.id,
        });
        const proposal = await proposeVersion(tx, m.id, input.files, existing?.id);
        const taken = await tx.query.rulePackVersions.findFirst({
          where: (r, { and, eq, ne }) =>
            existing
              ? and(eq(r.packId, m.id), eq(r.version, m.version), ne(r.id, existing.id))
              : and(eq(r.packId, m.id), eq(r.version, m.version)),
        });
        const published = await publishedOf(tx, m.id);
        const ownOk =
          /^\d+\.\d+\.\d+$/.test(m.version) &&
          !taken &&
          (!published || compareVersions(m.version, published.version) > 0);
        const version = ownOk ? m.version : proposal.version;
        const source: PackSource = withVersion({ origin: 'draft', files: input.files }, version);
        const content = { files: source.files };
        const digest = packDigest({ origin: `db:${m.id}@${version}`, files: source.files });
        if (existing) {
          const [row] = await tx
            .update(rulePackVersions)
            .set({ version, content, digest, bureauCode, review: 'editing', updatedAt: now })
            .where(eq(rulePackVersions.id, existing.id))
            .returning(versionColumns);
          await ctx.audit(tx, {
            bureauCode,
            action: 'rule-pack.save',
            entity: 'rule_pack_versions',
            entityId: existing.id,
            before: { version: existing.version, digest: existing.digest },
            after: { version, digest },
          });
          return { ...row!, files: source.files, proposal };
        }
        const [row] = await tx
          .insert(rulePackVersions)
          .values({ packId: m.id, version, bureauCode, content, digest })
          .returning(versionColumns);
        await ctx.audit(tx, {
          bureauCode,
          action: 'rule-pack.draft',
          entity: 'rule_pack_versions',
          entityId: row!.id,
          after: { packId: m.id, version, digest },
        });
        return { ...row!, files: source.files, proposal };
      });
    }),

  /** Submits a draft for review with a note; refused when it does not load with the published packs. */
  submit: admin
    .input(z.object({ id: ZIdSchema, note: ZNoteSchema }))
    .output(columnsSchema(versionColumns))
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        const row = await lockedRow(tx, input.id);
        ctx.access.bureau(row.bureauCode);
        if (row.status !== 'draft' || !['editing', 'returned'].includes(row.review))
          fail('CONFLICT', 'id', 'rulePack.notSubmittable', {
            packId: row.packId,
            version: row.version,
            state: row.status === 'draft' ? row.review : row.status,
          });
        await assertPackSetValid(await publishedPackRows(tx, row));
        const [after] = await tx
          .update(rulePackVersions)
          .set({
            review: 'submitted',
            submittedBy: ctx.user.id,
            submittedAt: now,
            submitNote: input.note,
            reviewedBy: null,
            reviewedAt: null,
            reviewOpinion: null,
            updatedAt: now,
          })
          .where(eq(rulePackVersions.id, row.id))
          .returning(versionColumns);
        await ctx.audit(tx, {
          bureauCode: row.bureauCode,
          action: 'rule-pack.submit',
          entity: 'rule_pack_versions',
          entityId: row.id,
          before: { review: row.review },
          after: { review: 'submitted', note: input.note, digest: row.digest },
        });
        return after!;
      });
    }),

  /**
   * A city admin approves a submitted draft or returns it to its author, with an opinion
   * (审批意见). The submitter cannot review their own submission.
   */
  review: cityAdmin
    .input(
      z.object({
        id: ZIdSchema,
        decision: z.enum(['approve', 'return']),
        opinion: ZNoteSchema,
      }),
    )
    .output(columnsSchema(versionColumns))
    .mutation(async ({ ctx, input }) => {
      ctx.access.bureau(CITY_BUREAU);
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        const row = await lockedRow(tx, input.id);
        if (row.status !== 'draft' || row.review !== 'submitted')
          fail('CONFLICT', 'id', 'rulePack.notReviewable', {
            packId: row.packId,
            version: row.version,
            state: row.status === 'draft' ? row.review : row.status,
          });
        if (row.submittedBy === ctx.user.id) fail('FORBIDDEN', 'id', 'rulePack.selfReview');
        const review = input.decision === 'approve' ? 'approved' : 'returned';
        const [after] = await tx
          .update(rulePackVersions)
          .set({
            review,
            reviewedBy: ctx.user.id,
            reviewedAt: now,
            reviewOpinion: input.opinion,
            updatedAt: now,
          })
          .where(eq(rulePackVersions.id, row.id))
          .returning(versionColumns);
        await ctx.audit(tx, {
          bureauCode: row.bureauCode,
          action: input.decision === 'approve' ? 'rule-pack.approve' : 'rule-pack.return',
          entity: 'rule_pack_versions',
          entityId: row.id,
          before: { review: 'submitted' },
          after: { review, opinion: input.opinion, digest: row.digest },
        });
        return after!;
      });
    }),

  /**
   * What a reviewer sees: the rules added, removed and changed against the published version of
   * the same pack (its id, for `diff` and `simulate` over the district's units), the note and the
   * cases of the stored draft.
   */
  reviewSummary: staff
    .input(z.object({ id: ZIdSchema }))
    .output(
      ZVersionProposalSchema.pick({ kind: true }).extend({
        id: z.string(),
        packId: z.string(),
        version: z.string(),
        bureauCode: z.string(),
        status: columnsSchema(versionColumns).shape.status,
        review: columnsSchema(versionColumns).shape.review,
        submitNote: z.string().nullable(),
        reviewOpinion: z.string().nullable(),
        published: z.object({ id: z.string(), version: z.string() }).nullable(),
        rules: ZRuleChangesSchema,
        issues: z.array(ZPackIssueSchema),
        cases: ZCaseRunSchema.nullable(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const row = await ctx.db.query.rulePackVersions.findFirst({ where: (r, { eq }) => eq(r.id, input.id) });
      if (!row) notFound('id', 'rule pack version', input.id);
      ctx.access.bureau(row.bureauCode);
      const published = await publishedOf(ctx.db, row.packId);
      const runtime = await rulesRuntime();
      const set = await publishedPackRows(ctx.db, row, appliesFrom(row));
      const compiled = compilePacks(set.map(sourceOf), runtime);
      let cases: Awaited<ReturnType<typeof casesOf>> | null = null;
      if (compiled.ok) {
        const { registry, compiled: pack } = await registryWith(ctx.db, row);
        cases = await casesOf(registry, pack);
      }
      return {
        id: row.id,
        packId: row.packId,
        version: row.version,
        bureauCode: row.bureauCode,
        status: row.status,
        review: row.review,
        submitNote: row.submitNote,
        reviewOpinion: row.reviewOpinion,
        published: published ? { id: published.id, version: published.version } : null,
        kind: changeKind(published ? sourceOf(published) : undefined, sourceOf(row)),
        rules: ruleChanges(published ? sourceOf(published) : undefined, sourceOf(row)),
        issues: compiled.issues.filter((i) => i.severity === 'error'),
        cases,
      };
    }),
};

/**
 * Publishing checks of a draft (inside the publish transaction): approved in review, every case
 * of the stored draft passes and every rule is exercised, and the set loads (tighten-only).
 */
export async function assertPublishable(tx: DbOrTx, row: RulePackRow): Promise<{ passed: number }> {
  if (row.review !== 'approved')
    fail('PRECONDITION_FAILED', 'id', 'rulePack.notApproved', {
      packId: row.packId,
      version: row.version,
      review: row.review,
    });
  await assertPackSetValid(await publishedPackRows(tx, row, appliesFrom(row)));
  const { registry, compiled } = await registryWith(tx, row);
  const cases = await casesOf(registry, compiled);
  if (cases.failed || cases.uncoveredRules.length) {
    const failing = cases.results
      .filter((r) => !r.passed)
      .slice(0, 5)
      .map((r) => `${r.name} (${r.mismatches[0] ?? 'failed'})`);
    fail('PRECONDITION_FAILED', 'id', 'rulePack.casesFail', {
      packId: row.packId,
      version: row.version,
      failed: cases.failed,
      total: cases.results.length,
      uncovered: cases.uncoveredRules,
      failing,
    });
  }
  return { passed: cases.passed };
}
