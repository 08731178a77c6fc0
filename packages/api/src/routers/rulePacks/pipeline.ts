/**
 * The simulator's year through the real pipeline (issue #10): four quarterly plans of a bureau,
 * each framed by the same builder approval uses ({@link assemblePlanFrame}: obligations, coverage
 * ledger, per-unit ratio weights with the carried rounding, ceilings), drawn by the sr-draw engine
 * with simulated randomness, every drawn unit inspected within its quarter — all inside one
 * transaction that is rolled back, so the roster, plans and tasks the simulation made are a copy
 * that never lands. Reported: per ratio class the expected and achieved share of units drawn, and
 * the mandatory units' yearly minimums met.
 */
import { randomBytes } from 'node:crypto';
import { nobleHasher, selectAndOrder, SR_DRAW_V2, utf8 } from '@spotcheck/core';
import { draws, plans, tasks, yearlyObligations, type Db } from '@spotcheck/db';
import { and, eq, gte, lt } from 'drizzle-orm';
import type { PackRegistry } from '@spotcheck/rules';
import type { PlanRow } from '../../lib/workflow';
import { CITY_BUREAU } from '../../trpc';
import { fixObligations } from '../../lib/plans/approve';
import { assemblePlanFrame, RATIO_STRATUM } from '../../lib/plans/frame';

/** One simulated quarter. */
export interface PipelineQuarter {
  period: string;
  frameSize: number;
  /** Units drawn: mandatory and due ones with certainty or from the ledger, plus the ratio sample. */
  selected: number;
  /** Of them, from the ratio stratum. */
  sampled: number;
  /** The ratio stratum's quota (with the rounding carried from earlier quarters). */
  ratioQuota: number;
}

/** Units of one ratio class (pack, rule stratum, yearly ratio) over the simulated year. */
export interface PipelineClass {
  pack: string;
  stratum: string;
  ratio: string;
  /** Units of the class in the first quarter's ratio stratum. */
  units: number;
  /** The rule ratio as a share (e.g. 0.05). */
  expectedShare: number;
  /** Of those units, drawn at least once in the year. */
  drawn: number;
  achievedShare: number;
  /** (achieved − expected) / standard error of a binomial share; |z| ≤ 3 is within expectation. */
  z: number;
}

export interface PipelineSimulation {
  /** The seed of the simulated randomness (hex): the same seed gives the same year. */
  seed: string;
  teamSize: number;
  quarters: PipelineQuarter[];
  classes: PipelineClass[];
  /** Units with a yearly minimum (obligations fixed in Q1, raised later) and how many met it. */
  mandatory: { units: number; met: number; missed: string[] };
}

/** Thrown to roll the simulation's transaction back. */
class Rollback extends Error {}

const ratioShare = (ratio: string) => Number(ratio.replace('%', '')) / 100;

/**
 * Runs the year. `registry` is the pack set to classify with (a version under review swapped in);
 * `actorUserId` signs the simulated plans (never stored). The inspection of each drawn unit is
 * dated the 20th of the quarter's last month.
 */
export async function simulatePipelineYear(
  db: Db,
  o: {
    bureauCode: string;
    year: number;
    registry: PackRegistry;
    teamSize: number;
    actorUserId: string;
    seed?: string;
  },
): Promise<PipelineSimulation> {
  const seed = o.seed ?? randomBytes(16).toString('hex');
  let report: PipelineSimulation | undefined;
  try {
    await db.transaction(async (tx) => {
      const quarters: PipelineQuarter[] = [];
      const drawnOnce = new Set<string>();
      let firstClasses: Map<string, PipelineClass> | undefined;
      const classOf = new Map<string, string>();
      for (let q = 1; q <= 4; q++) {
        const period = `${o.year}-Q${q}`;
        const draft = {
          bureauCode: o.bureauCode,
          period,
          kind: 'general' as const,
          scope: {},
          strata: [],
          team: { size: o.teamSize, specialist: false, ownJurisdiction: false },
        };
        const built = await assemblePlanFrame(tx, draft, { registry: o.registry });
        const now = new Date(`${o.year}-${String(3 * q - 2).padStart(2, '0')}-01T02:00:00Z`);
        const [plan] = await tx
          .insert(plans)
          .values({
            ...draft,
            title: `simulation ${period}`,
            status: 'tasks-issued',
            createdBy: o.actorUserId,
          })
          .returning();
        await fixObligations(tx, plan as PlanRow, built.obligations, now);
        if (!firstClasses) {
          firstClasses = new Map();
          for (const c of built.ratioClasses)
            firstClasses.set(`${c.pack}\u0000${c.stratum}\u0000${c.ratio}`, {
              pack: c.pack,
              stratum: c.stratum,
              ratio: c.ratio,
              units: c.units,
              expectedShare: ratioShare(c.ratio),
              drawn: 0,
              achievedShare: 0,
              z: 0,
            });
          // Each unit's class, with the pack that classified it (a city plan: its district's).
          built.classifications.forEach((c, i) => {
            const u = built.roster[i]!;
            const pack =
              o.bureauCode === CITY_BUREAU
                ? (o.registry.forBureau(u.bureauCode)?.id ?? built.pack.id)
                : built.pack.id;
            classOf.set(u.id, `${pack}\u0000${c.stratum}\u0000${c.ratio}`);
          });
        }
        // The draw: the engine's selection under simulated randomness for this quarter.
        const { rows, strata } = built.frame;
        const prk = nobleHasher.hmacSha256(utf8(seed), utf8(`simulation/${period}`));
        const sel = selectAndOrder(strata, rows, nobleHasher.expander(prk), SR_DRAW_V2);
        const picked = sel.seq.map((i) => rows[sel.rowOf[sel.selPos[i]!]!]!);
        const ratioQuota = strata.find((s) => s.id === RATIO_STRATUM)?.quota ?? 0;
        quarters.push({
          period,
          frameSize: rows.length,
          selected: picked.length,
          sampled: picked.filter((r) => r[1] === RATIO_STRATUM).length,
          ratioQuota,
        });
        const [draw] = await tx
          .insert(draws)
          .values({
            planId: plan!.id,
            bureauCode: o.bureauCode,
            attempt: 1,
            algorithm: SR_DRAW_V2,
            status: 'signed',
            commitment: { strata },
            commitmentDigest: `simulation-${randomBytes(16).toString('hex')}`,
            frame: rows,
            inspectorRows: [],
            committedAt: now,
            committedBy: o.actorUserId,
          })
          .returning({ id: draws.id });
        const executedAt = new Date(`${o.year}-${String(3 * q).padStart(2, '0')}-20T02:00:00Z`);
        for (let i = 0; i < picked.length; i += 1000)
          await tx.insert(tasks).values(
            picked.slice(i, i + 1000).map((r, j) => ({
              bureauCode: o.bureauCode,
              drawId: draw!.id,
              planId: plan!.id,
              unitId: r[0],
              sequence: i + j + 1,
              reason: r[1] === RATIO_STRATUM ? 'random' : 'mandatory',
              status: 'done' as const,
              executedAt,
            })),
          );
        for (const r of picked) if (r[1] === RATIO_STRATUM) drawnOnce.add(r[0]);
      }
      const classes = [...firstClasses!.values()];
      for (const id of drawnOnce) {
        const c = firstClasses!.get(classOf.get(id) ?? '');
        if (c) c.drawn++;
      }
      for (const c of classes) {
        c.achievedShare = c.units ? c.drawn / c.units : 0;
        const se = Math.sqrt((c.expectedShare * (1 - c.expectedShare)) / Math.max(1, c.units));
        c.z = se > 0 ? Math.round(((c.achievedShare - c.expectedShare) / se) * 100) / 100 : 0;
      }
      // Obligations of the year against every inspection done in it (earlier real ones included).
      const obligations = await tx
        .select({ unitId: yearlyObligations.unitId, minPerYear: yearlyObligations.minPerYear })
        .from(yearlyObligations)
        .where(
          and(
            eq(yearlyObligations.year, o.year),
            o.bureauCode === CITY_BUREAU ? undefined : eq(yearlyObligations.bureauCode, o.bureauCode),
          ),
        );
      const done = new Map<string, number>();
      for (const t of await tx
        .select({ unitId: tasks.unitId })
        .from(tasks)
        .where(
          and(
            eq(tasks.status, 'done'),
            gte(tasks.executedAt, new Date(`${o.year}-01-01T00:00:00+08:00`)),
            lt(tasks.executedAt, new Date(`${o.year + 1}-01-01T00:00:00+08:00`)),
          ),
        ))
        done.set(t.unitId, (done.get(t.unitId) ?? 0) + 1);
      const missed = obligations.filter((x) => (done.get(x.unitId) ?? 0) < x.minPerYear).map((x) => x.unitId);
      report = {
        seed,
        teamSize: o.teamSize,
        quarters,
        classes: classes.sort((a, b) => (a.pack + a.stratum < b.pack + b.stratum ? -1 : 1)),
        mandatory: {
          units: obligations.length,
          met: obligations.length - missed.length,
          missed: missed.slice(0, 50),
        },
      };
      throw new Rollback('simulation');
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return report!;
}
