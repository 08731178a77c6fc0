-- The last five tenant tables keyed by bureau first, so that every tenant table can be distributed
-- by bureau_code (SCALING.md): units, inspectors, plans and publications keyed (bureau_code, id),
-- yearly obligations (bureau_code, unit_id, year). Their ids stay unique across bureaus (credit
-- codes and certificate numbers are national, UUIDs are random): the writes that add a unit or an
-- officer check it under an advisory lock, since the keys now hold within a bureau only.
-- 1. Foreign keys that name these tables' ids alone. The row and the row it names may be in
-- different bureaus (a city-wide plan's task and its district's unit, a case and a unit that has
-- moved, a city obligation fixed by a city plan in a district): checked at write time instead.
ALTER TABLE "conflicts" DROP CONSTRAINT "conflicts_unit_id_units_id_fk";--> statement-breakpoint
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_unit_id_units_id_fk";--> statement-breakpoint
ALTER TABLE "yearly_obligations" DROP CONSTRAINT "yearly_obligations_unit_id_units_id_fk";--> statement-breakpoint
ALTER TABLE "yearly_obligations" DROP CONSTRAINT "yearly_obligations_fixed_by_plan_id_plans_id_fk";--> statement-breakpoint
ALTER TABLE "enforcement_cases" DROP CONSTRAINT "enforcement_cases_unit_id_units_id_fk";--> statement-breakpoint
ALTER TABLE "supervisions" DROP CONSTRAINT "supervisions_unit_id_units_id_fk";--> statement-breakpoint
ALTER TABLE "supervisions" DROP CONSTRAINT "supervisions_listing_publication_id_publications_id_fk";--> statement-breakpoint
ALTER TABLE "supervisions" DROP CONSTRAINT "supervisions_closing_publication_id_publications_id_fk";--> statement-breakpoint
ALTER TABLE "blacklist_proceedings" DROP CONSTRAINT "blacklist_proceedings_unit_id_units_id_fk";--> statement-breakpoint
ALTER TABLE "blacklist_proceedings" DROP CONSTRAINT "blacklist_proceedings_publication_id_publications_id_fk";--> statement-breakpoint
-- 2. The composite foreign keys that name the unique (bureau_code, id) of 0019, which the keys
-- replace; they are made again below, on the keys.
ALTER TABLE "unit_facts" DROP CONSTRAINT "unit_facts_unit_fk";--> statement-breakpoint
ALTER TABLE "conflicts" DROP CONSTRAINT "conflicts_inspector_fk";--> statement-breakpoint
ALTER TABLE "draws" DROP CONSTRAINT "draws_plan_fk";--> statement-breakpoint
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_plan_fk";--> statement-breakpoint
ALTER TABLE "published_results" DROP CONSTRAINT "published_results_publication_fk";--> statement-breakpoint
ALTER TABLE "units" DROP CONSTRAINT "units_bureau_id";--> statement-breakpoint
ALTER TABLE "inspectors" DROP CONSTRAINT "inspectors_bureau_id";--> statement-breakpoint
ALTER TABLE "plans" DROP CONSTRAINT "plans_bureau_id";--> statement-breakpoint
ALTER TABLE "publications" DROP CONSTRAINT "publications_bureau_id";--> statement-breakpoint
-- 3. The old keys.
ALTER TABLE "units" DROP CONSTRAINT "units_pkey";--> statement-breakpoint
ALTER TABLE "inspectors" DROP CONSTRAINT "inspectors_pkey";--> statement-breakpoint
ALTER TABLE "plans" DROP CONSTRAINT "plans_pkey";--> statement-breakpoint
ALTER TABLE "publications" DROP CONSTRAINT "publications_pkey";--> statement-breakpoint
ALTER TABLE "yearly_obligations" DROP CONSTRAINT "yearly_obligations_unit_id_year_pk";--> statement-breakpoint
-- 4. An obligation is its unit's and moves with it from now on. One fixed before its unit moved
-- stayed in the district the unit left: it follows the unit now (the old key (unit_id, year)
-- allowed one per unit and year, so none clash).
UPDATE "yearly_obligations" SET "bureau_code" = u."bureau_code" FROM "units" u WHERE u."id" = "yearly_obligations"."unit_id" AND u."bureau_code" <> "yearly_obligations"."bureau_code";--> statement-breakpoint
-- 5. The new keys, then the foreign keys that name them. A unit's facts and obligations and an
-- officer's conflict declarations move with the unit or officer (ON UPDATE CASCADE).
ALTER TABLE "units" ADD CONSTRAINT "units_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "inspectors" ADD CONSTRAINT "inspectors_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "yearly_obligations" ADD CONSTRAINT "yearly_obligations_bureau_code_unit_id_year_pk" PRIMARY KEY("bureau_code","unit_id","year");--> statement-breakpoint
ALTER TABLE "unit_facts" ADD CONSTRAINT "unit_facts_unit_fk" FOREIGN KEY ("bureau_code","unit_id") REFERENCES "public"."units"("bureau_code","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "yearly_obligations" ADD CONSTRAINT "yearly_obligations_unit_fk" FOREIGN KEY ("bureau_code","unit_id") REFERENCES "public"."units"("bureau_code","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "conflicts" ADD CONSTRAINT "conflicts_inspector_fk" FOREIGN KEY ("bureau_code","inspector_id") REFERENCES "public"."inspectors"("bureau_code","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "draws" ADD CONSTRAINT "draws_plan_fk" FOREIGN KEY ("bureau_code","plan_id") REFERENCES "public"."plans"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_plan_fk" FOREIGN KEY ("bureau_code","plan_id") REFERENCES "public"."plans"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "published_results" ADD CONSTRAINT "published_results_publication_fk" FOREIGN KEY ("bureau_code","publication_id") REFERENCES "public"."publications"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- 6. The certificate number unique per bureau; across bureaus it is checked when an officer is
-- added or the number changes.
ALTER TABLE "inspectors" DROP CONSTRAINT "inspectors_certificateNo_unique";--> statement-breakpoint
ALTER TABLE "inspectors" ADD CONSTRAINT "inspectors_bureau_certificate" UNIQUE("bureau_code","certificate_no");--> statement-breakpoint
-- 7. The rows are still found by id alone (a form, a push, a task's unit, the national checks):
-- the keys lead with the bureau, so each id gets an index of its own (not unique).
CREATE INDEX "units_id_index" ON "units" USING btree ("id");--> statement-breakpoint
CREATE INDEX "inspectors_id_index" ON "inspectors" USING btree ("id");--> statement-breakpoint
CREATE INDEX "inspectors_certificate_no_index" ON "inspectors" USING btree ("certificate_no");--> statement-breakpoint
CREATE INDEX "plans_id_index" ON "plans" USING btree ("id");--> statement-breakpoint
CREATE INDEX "publications_id_index" ON "publications" USING btree ("id");
