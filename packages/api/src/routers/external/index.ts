import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { unitFacts, units } from '@spotcheck/db';
import { appendAudit } from '../../audit/chain';
import { fail } from '../../lib/errors';
import { unitsWithFoundHazard } from '../../lib/supervision';
import { ZUsccSchema } from '../../lib/roster-schemas';
import { ZDateSchema, ZIdSchema } from '../../lib/zod';
import { CITY_BUREAU, router, tokenProcedure } from '../../trpc';
import { listPublications, readPublication, ZPublicationListSchema } from '../../lib/publications';

/** One credit or blacklist fact pushed by another system (R19, R22). */
export const ZExternalFactSchema = z.object({
  unitId: ZUsccSchema,
  kind: z.enum(['blacklist', 'joint-punishment', 'credit-grade', 'fatal-accident', 'major-hazard']),
  /** blacklist/joint-punishment/major-hazard: on or off; credit-grade: A–D; fatal-accident: deaths. */
  active: z.boolean().optional(),
  grade: z.enum(['A', 'B', 'C', 'D']).optional(),
  deaths: z.number().int().min(0).optional(),
  effectiveOn: ZDateSchema,
  reference: z.string().trim().min(1).max(200),
});

/** The JSON API for other government systems, authenticated by `Authorization: Bearer sct_…`. */
export const externalRouter = router({
  /** Published data (scope `publications:read`). */
  publications: tokenProcedure('publications:read')
    .input(ZPublicationListSchema)
    .query(({ ctx, input }) => listPublications(ctx.db, input)),

  /** One publication (scope `publications:read`); a city draw's is read from its file, as `publications.get`. */
  publication: tokenProcedure('publications:read')
    .input(z.object({ id: ZIdSchema }))
    .query(({ ctx, input }) => readPublication(ctx.db, input.id)),

  /**
   * Pushes credit/blacklist facts (scope `facts:write`) into `unit_facts` and the units' current
   * flags, all or nothing. A district token reaches its own units; a city token every unit.
   */
  pushFacts: tokenProcedure('facts:write')
    .input(z.object({ facts: z.array(ZExternalFactSchema).min(1).max(5000) }))
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      const token = ctx.apiToken;
      return ctx.db.transaction(async (tx) => {
        let applied = 0;
        for (const [i, f] of input.facts.entries()) {
          const [unit] = await tx.select().from(units).where(eq(units.id, f.unitId)).for('update');
          if (!unit) fail('NOT_FOUND', `facts.${i}.unitId`, 'external.unitNotFound', { unitId: f.unitId });
          if (token.bureauCode !== CITY_BUREAU && unit.bureauCode !== token.bureauCode)
            fail('FORBIDDEN', `facts.${i}.unitId`, 'external.unitOutsideBureau', {
              unitId: f.unitId,
              bureauCode: token.bureauCode,
            });
          const patch: Partial<typeof units.$inferInsert> = { updatedAt: now };
          let value: Record<string, unknown>;
          switch (f.kind) {
            case 'credit-grade':
              if (!f.grade) fail('BAD_REQUEST', `facts.${i}.grade`, 'external.gradeRequired');
              patch.creditGrade = f.grade;
              value = { grade: f.grade };
              break;
            case 'fatal-accident':
              if (f.deaths === undefined) fail('BAD_REQUEST', `facts.${i}.deaths`, 'external.deathsRequired');
              if (!unit.lastFatalAccidentOn || unit.lastFatalAccidentOn < f.effectiveOn)
                patch.lastFatalAccidentOn = f.effectiveOn;
              value = { deaths: f.deaths };
              break;
            default: {
              if (f.active === undefined)
                fail('BAD_REQUEST', `facts.${i}.active`, 'external.activeRequired', { kind: f.kind });
              const col = {
                blacklist: 'blacklisted',
                'joint-punishment': 'jointPunishment',
                'major-hazard': 'majorHazard',
              } as const;
              // A major hazard an inspection found ends by its rectification check or 销号 (R17).
              if (
                f.kind === 'major-hazard' &&
                !f.active &&
                unit.majorHazard &&
                (await unitsWithFoundHazard(tx, [unit.id])).size
              )
                fail('BAD_REQUEST', `facts.${i}.active`, 'unit.majorHazardByRectification');
              patch[col[f.kind]] = f.active;
              value = { active: f.active };
            }
          }
          await tx.insert(unitFacts).values({
            bureauCode: unit.bureauCode,
            unitId: f.unitId,
            kind: f.kind,
            value: { ...value, reference: f.reference },
            effectiveOn: f.effectiveOn,
            source: `api:${token.name}`,
            recordedAt: now,
          });
          await tx.update(units).set(patch).where(eq(units.id, f.unitId));
          await appendAudit(
            tx,
            {
              actorUserId: null,
              actorRole: `api-token:${token.id}`,
              bureauCode: unit.bureauCode,
              action: 'unit-fact.push',
              entity: 'units',
              entityId: f.unitId,
              before: { [f.kind]: null },
              after: { ...value, effectiveOn: f.effectiveOn, reference: f.reference },
            },
            now,
          );
          applied++;
        }
        return { applied };
      });
    }),
});
