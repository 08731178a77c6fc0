-- Step 2 of SCALING.md for the tables that got bureau_code in 0018: unit facts, conflicts, tasks,
-- results, findings, rectifications, draw replacements and published results are keyed by
-- (bureau_code, id) and reference their parent by (bureau_code, parent id). The parents that are
-- not keyed by bureau yet (units, inspectors, plans, draws, publications) get a unique
-- (bureau_code, id) for those references. Foreign keys where the row and the row it names may be
-- in different bureaus stay on the id (tasks' and conflicts' units) or become a check at write time
-- (a blacklist proceeding's finding).
-- 1. The foreign keys on the ids whose keys change, or that become composite.
ALTER TABLE "unit_facts" DROP CONSTRAINT "unit_facts_unit_id_units_id_fk";--> statement-breakpoint
ALTER TABLE "conflicts" DROP CONSTRAINT "conflicts_inspector_id_inspectors_id_fk";--> statement-breakpoint
ALTER TABLE "draw_replacements" DROP CONSTRAINT "draw_replacements_draw_id_draws_id_fk";--> statement-breakpoint
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_draw_id_draws_id_fk";--> statement-breakpoint
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_plan_id_plans_id_fk";--> statement-breakpoint
ALTER TABLE "results" DROP CONSTRAINT "results_task_id_tasks_id_fk";--> statement-breakpoint
ALTER TABLE "findings" DROP CONSTRAINT "findings_result_id_results_id_fk";--> statement-breakpoint
ALTER TABLE "rectifications" DROP CONSTRAINT "rectifications_finding_id_findings_id_fk";--> statement-breakpoint
ALTER TABLE "published_results" DROP CONSTRAINT "published_results_result_id_results_id_fk";--> statement-breakpoint
ALTER TABLE "published_results" DROP CONSTRAINT "published_results_publication_id_publications_id_fk";--> statement-breakpoint
ALTER TABLE "enforcement_cases" DROP CONSTRAINT "enforcement_cases_finding_id_findings_id_fk";--> statement-breakpoint
ALTER TABLE "supervisions" DROP CONSTRAINT "supervisions_finding_id_findings_id_fk";--> statement-breakpoint
-- A proceeding is in its unit's bureau, its finding in its plan's: checked when proposed.
ALTER TABLE "blacklist_proceedings" DROP CONSTRAINT "blacklist_proceedings_finding_id_findings_id_fk";--> statement-breakpoint
-- 2. The old keys.
ALTER TABLE "unit_facts" DROP CONSTRAINT "unit_facts_pkey";--> statement-breakpoint
ALTER TABLE "conflicts" DROP CONSTRAINT "conflicts_pkey";--> statement-breakpoint
ALTER TABLE "draw_replacements" DROP CONSTRAINT "draw_replacements_pkey";--> statement-breakpoint
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_pkey";--> statement-breakpoint
ALTER TABLE "results" DROP CONSTRAINT "results_pkey";--> statement-breakpoint
ALTER TABLE "findings" DROP CONSTRAINT "findings_pkey";--> statement-breakpoint
ALTER TABLE "rectifications" DROP CONSTRAINT "rectifications_pkey";--> statement-breakpoint
ALTER TABLE "published_results" DROP CONSTRAINT "published_results_result_id_publication_id_pk";--> statement-breakpoint
-- 3. (bureau_code, id) unique on the parents not keyed by bureau yet (the units' one replaces the
-- index the roster list pages by).
DROP INDEX "units_bureau_code_id_index";--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_bureau_id" UNIQUE("bureau_code","id");--> statement-breakpoint
ALTER TABLE "inspectors" ADD CONSTRAINT "inspectors_bureau_id" UNIQUE("bureau_code","id");--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_bureau_id" UNIQUE("bureau_code","id");--> statement-breakpoint
ALTER TABLE "draws" ADD CONSTRAINT "draws_bureau_id" UNIQUE("bureau_code","id");--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_bureau_id" UNIQUE("bureau_code","id");--> statement-breakpoint
-- 4. The new keys, parents first, then the foreign keys that name them. A unit's facts and an
-- officer's conflict declarations move with the unit or officer (ON UPDATE CASCADE).
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "rectifications" ADD CONSTRAINT "rectifications_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "unit_facts" ADD CONSTRAINT "unit_facts_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "conflicts" ADD CONSTRAINT "conflicts_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "draw_replacements" ADD CONSTRAINT "draw_replacements_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "published_results" ADD CONSTRAINT "published_results_bureau_code_result_id_publication_id_pk" PRIMARY KEY("bureau_code","result_id","publication_id");--> statement-breakpoint
ALTER TABLE "unit_facts" ADD CONSTRAINT "unit_facts_unit_fk" FOREIGN KEY ("bureau_code","unit_id") REFERENCES "public"."units"("bureau_code","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "conflicts" ADD CONSTRAINT "conflicts_inspector_fk" FOREIGN KEY ("bureau_code","inspector_id") REFERENCES "public"."inspectors"("bureau_code","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "draw_replacements" ADD CONSTRAINT "draw_replacements_draw_fk" FOREIGN KEY ("bureau_code","draw_id") REFERENCES "public"."draws"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_plan_fk" FOREIGN KEY ("bureau_code","plan_id") REFERENCES "public"."plans"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_draw_fk" FOREIGN KEY ("bureau_code","draw_id") REFERENCES "public"."draws"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_task_fk" FOREIGN KEY ("bureau_code","task_id") REFERENCES "public"."tasks"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_result_fk" FOREIGN KEY ("bureau_code","result_id") REFERENCES "public"."results"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectifications" ADD CONSTRAINT "rectifications_finding_fk" FOREIGN KEY ("bureau_code","finding_id") REFERENCES "public"."findings"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "published_results" ADD CONSTRAINT "published_results_result_fk" FOREIGN KEY ("bureau_code","result_id") REFERENCES "public"."results"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "published_results" ADD CONSTRAINT "published_results_publication_fk" FOREIGN KEY ("bureau_code","publication_id") REFERENCES "public"."publications"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A case or supervision is in its finding's bureau (0017).
ALTER TABLE "enforcement_cases" ADD CONSTRAINT "enforcement_cases_finding_fk" FOREIGN KEY ("bureau_code","finding_id") REFERENCES "public"."findings"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisions" ADD CONSTRAINT "supervisions_finding_fk" FOREIGN KEY ("bureau_code","finding_id") REFERENCES "public"."findings"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- 5. The unique keys per bureau. Each names a parent in the row's bureau, so they refuse what they
-- refused before.
DROP INDEX "draw_replacements_draw_number";--> statement-breakpoint
DROP INDEX "results_one_original_per_task";--> statement-breakpoint
DROP INDEX "rectifications_one_rectified_per_finding";--> statement-breakpoint
CREATE UNIQUE INDEX "draw_replacements_draw_number" ON "draw_replacements" USING btree ("bureau_code","draw_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "results_one_original_per_task" ON "results" USING btree ("bureau_code","task_id") WHERE "results"."supersedes_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "rectifications_one_rectified_per_finding" ON "rectifications" USING btree ("bureau_code","finding_id") WHERE "rectifications"."outcome" = 'rectified';
