/**
 * A plan whose draw could not be published is refused at approval, before anything is written
 * (issue 16): a draw's publication is one jsonb value, and PostgreSQL refuses one past 256 MB — a
 * 10^6-unit city plan already publishes 193 MB. A draw drawn in public and then never publishable
 * would leave its result known and unpublished, so the refusal must come before the commitment.
 * The limit is lowered here (no test can build a city past the real one); the bound approval
 * computes is checked against a real draw's publication.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { appRouter, createCallerFactory, createContextInner } from '@spotcheck/api';
import { drawPublicationBound, PUBLICATION_REST_BYTES, rosterScope } from '@spotcheck/api/testing';
import type { CommitmentV2, ExcludedRow, FrameRowV2, PersonRow } from '@spotcheck/core';
import { draws, plans, publications } from '@spotcheck/db';
import { buildWorld, drawAndSign, submittedPlan, type World } from './fixtures';
import { openTestDb, type TestDb } from './harness';

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database, 60);
});
afterAll(async () => {
  await t?.close();
});

it('refuses to commit a draw that could not be published, naming the sizes, and writes nothing', async () => {
  const planId = await submittedPlan(w, '2027年度一般检查（过大）');
  const approver = createCallerFactory(appRouter)(() =>
    createContextInner({ db: t.database.db, sessionToken: w.approver.token, publicationLimitBytes: 100_000 }),
  );
  const refusal = await approver.plans.approve({ planId }).then(
    () => null,
    (e: { code?: string; message: string }) => e,
  );
  expect(refusal?.code).toBe('PRECONDITION_FAILED');
  expect(refusal?.message).toMatch(
    /^scope: the draw of \d+ units selecting up to \d+ could need \d+ MB in one publication, past the 0 MB one publication can hold, so nothing was committed: split the plan by district or industry$/,
  );
  const [plan] = await t.database.db.select().from(plans).where(eq(plans.id, planId));
  expect(plan!.status).toBe('submitted');
  expect(await t.database.db.select().from(draws).where(eq(draws.planId, planId))).toEqual([]);
  expect(await t.database.db.select().from(publications).where(eq(publications.refId, planId))).toEqual([]);

  // At the real limit the same plan is committed, drawn and published.
  const { draw } = await drawAndSign(w, planId);
  const [published] = await t.database.db
    .select()
    .from(publications)
    .where(and(eq(publications.kind, 'draw'), eq(publications.refId, draw.id)));
  expect(published).toBeDefined();
});

it('bounds the bytes of a real draw publication from above, and not loosely', async () => {
  const planId = await submittedPlan(w, '2027年度一般检查（界）');
  const { draw } = await drawAndSign(w, planId);
  const { rows: sizes } = await t.database.exec(
    `SELECT pg_column_size(content || '{}'::jsonb) AS n FROM publications WHERE kind = 'draw' AND ref_id = $1`,
    [draw.id],
  );
  const actual = Number((sizes as { n: string }[])[0]!.n);
  const [d] = await t.database.db.select().from(draws).where(eq(draws.id, draw.id));
  const [plan] = await t.database.db.select().from(plans).where(eq(plans.id, planId));
  const rows = {
    scope: rosterScope(plan as Parameters<typeof rosterScope>[0]),
    frame: d!.frame as FrameRowV2[],
    excluded: d!.excluded as ExcludedRow[],
    inspectorRows: d!.inspectorRows as PersonRow[],
    expertRows: d!.expertRows as PersonRow[],
    commitment: d!.commitment as CommitmentV2,
  };
  // Loose (the longest name in scope for every selected unit) under the limit, tight above it.
  const loose = await drawPublicationBound(t.database.db, rows, Number.MAX_SAFE_INTEGER);
  const bound = await drawPublicationBound(t.database.db, rows, 0);
  expect(loose.bytes).toBeGreaterThanOrEqual(bound.bytes);
  const selected = (d!.result as { selected: unknown[] }).selected.length;
  expect(selected).toBeGreaterThan(0);
  expect(bound.selected).toBeGreaterThanOrEqual(selected);
  expect(bound.bytes).toBeGreaterThanOrEqual(actual);
  // Without the fixed room for the sign-off, randomness and registry, within twice the real size.
  expect(bound.bytes - PUBLICATION_REST_BYTES).toBeLessThanOrEqual(2 * actual);
});
