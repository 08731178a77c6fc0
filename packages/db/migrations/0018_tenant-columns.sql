-- Step 1 of SCALING.md's migration: the tenant tables that lacked bureau_code get it, filled from
-- the row each one belongs to, so that they can be keyed and distributed by bureau_code:
-- a unit fact is in its unit's bureau, a conflict in its inspector's, a task in its plan's (a
-- city-wide plan's tasks are the city's), a result in its task's, a finding in its result's, a
-- rectification in its finding's, a draw replacement in its draw's, a published result in its
-- publication's (a bureau publishes its own plans' results). Parents are filled before children.
-- 1. The columns, nullable while they are filled.
ALTER TABLE "unit_facts" ADD COLUMN "bureau_code" text;--> statement-breakpoint
ALTER TABLE "conflicts" ADD COLUMN "bureau_code" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "bureau_code" text;--> statement-breakpoint
ALTER TABLE "results" ADD COLUMN "bureau_code" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "bureau_code" text;--> statement-breakpoint
ALTER TABLE "rectifications" ADD COLUMN "bureau_code" text;--> statement-breakpoint
ALTER TABLE "draw_replacements" ADD COLUMN "bureau_code" text;--> statement-breakpoint
ALTER TABLE "published_results" ADD COLUMN "bureau_code" text;--> statement-breakpoint
-- 2. Filled from the parent row.
UPDATE "unit_facts" SET "bureau_code" = u."bureau_code" FROM "units" u WHERE u."id" = "unit_facts"."unit_id";--> statement-breakpoint
UPDATE "conflicts" SET "bureau_code" = i."bureau_code" FROM "inspectors" i WHERE i."id" = "conflicts"."inspector_id";--> statement-breakpoint
UPDATE "tasks" SET "bureau_code" = p."bureau_code" FROM "plans" p WHERE p."id" = "tasks"."plan_id";--> statement-breakpoint
UPDATE "results" SET "bureau_code" = t."bureau_code" FROM "tasks" t WHERE t."id" = "results"."task_id";--> statement-breakpoint
UPDATE "findings" SET "bureau_code" = r."bureau_code" FROM "results" r WHERE r."id" = "findings"."result_id";--> statement-breakpoint
UPDATE "rectifications" SET "bureau_code" = f."bureau_code" FROM "findings" f WHERE f."id" = "rectifications"."finding_id";--> statement-breakpoint
-- draw_replacements is append-only (0011): its trigger is off for the fill, in this transaction.
ALTER TABLE "draw_replacements" DISABLE TRIGGER "draw_replacements_no_update_delete";--> statement-breakpoint
UPDATE "draw_replacements" SET "bureau_code" = d."bureau_code" FROM "draws" d WHERE d."id" = "draw_replacements"."draw_id";--> statement-breakpoint
ALTER TABLE "draw_replacements" ENABLE TRIGGER "draw_replacements_no_update_delete";--> statement-breakpoint
UPDATE "published_results" SET "bureau_code" = p."bureau_code" FROM "publications" p WHERE p."id" = "published_results"."publication_id";--> statement-breakpoint
-- 3. Required, and a bureau.
ALTER TABLE "unit_facts" ALTER COLUMN "bureau_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "conflicts" ALTER COLUMN "bureau_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "bureau_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "results" ALTER COLUMN "bureau_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "findings" ALTER COLUMN "bureau_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "rectifications" ALTER COLUMN "bureau_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "draw_replacements" ALTER COLUMN "bureau_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "published_results" ALTER COLUMN "bureau_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "unit_facts" ADD CONSTRAINT "unit_facts_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conflicts" ADD CONSTRAINT "conflicts_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draw_replacements" ADD CONSTRAINT "draw_replacements_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectifications" ADD CONSTRAINT "rectifications_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "published_results" ADD CONSTRAINT "published_results_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;
