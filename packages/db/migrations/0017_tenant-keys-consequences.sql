-- The consequences tables keyed by bureau first, so that they can be distributed by bureau_code
-- (SCALING.md): enforcement cases, supervisions and blacklist proceedings are found by
-- (bureau_code, id), and their step and event tables carry their parent's bureau_code, keyed
-- (bureau_code, id), with a foreign key (bureau_code, parent id) to the parent's key.
-- 1. The step and event tables get the column, filled from their parent.
ALTER TABLE "enforcement_case_steps" ADD COLUMN "bureau_code" text;--> statement-breakpoint
ALTER TABLE "supervision_events" ADD COLUMN "bureau_code" text;--> statement-breakpoint
ALTER TABLE "blacklist_proceeding_steps" ADD COLUMN "bureau_code" text;--> statement-breakpoint
UPDATE "enforcement_case_steps" SET "bureau_code" = c."bureau_code" FROM "enforcement_cases" c WHERE c."id" = "enforcement_case_steps"."case_id";--> statement-breakpoint
UPDATE "supervision_events" SET "bureau_code" = s."bureau_code" FROM "supervisions" s WHERE s."id" = "supervision_events"."supervision_id";--> statement-breakpoint
UPDATE "blacklist_proceeding_steps" SET "bureau_code" = p."bureau_code" FROM "blacklist_proceedings" p WHERE p."id" = "blacklist_proceeding_steps"."proceeding_id";--> statement-breakpoint
ALTER TABLE "enforcement_case_steps" ALTER COLUMN "bureau_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "supervision_events" ALTER COLUMN "bureau_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "blacklist_proceeding_steps" ALTER COLUMN "bureau_code" SET NOT NULL;--> statement-breakpoint
-- 2. The foreign keys on the parents' ids go before the parents' keys can.
ALTER TABLE "enforcement_case_steps" DROP CONSTRAINT "enforcement_case_steps_case_id_enforcement_cases_id_fk";--> statement-breakpoint
ALTER TABLE "supervision_events" DROP CONSTRAINT "supervision_events_supervision_id_supervisions_id_fk";--> statement-breakpoint
ALTER TABLE "blacklist_proceeding_steps" DROP CONSTRAINT "blacklist_proceeding_steps_proceeding_id_blacklist_proceedings_id_fk";--> statement-breakpoint
ALTER TABLE "enforcement_case_steps" DROP CONSTRAINT "enforcement_case_steps_pkey";--> statement-breakpoint
ALTER TABLE "supervision_events" DROP CONSTRAINT "supervision_events_pkey";--> statement-breakpoint
ALTER TABLE "blacklist_proceeding_steps" DROP CONSTRAINT "blacklist_proceeding_steps_pkey";--> statement-breakpoint
ALTER TABLE "enforcement_cases" DROP CONSTRAINT "enforcement_cases_pkey";--> statement-breakpoint
ALTER TABLE "supervisions" DROP CONSTRAINT "supervisions_pkey";--> statement-breakpoint
ALTER TABLE "blacklist_proceedings" DROP CONSTRAINT "blacklist_proceedings_pkey";--> statement-breakpoint
-- 3. The new keys, then the foreign keys that name them.
ALTER TABLE "enforcement_cases" ADD CONSTRAINT "enforcement_cases_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "supervisions" ADD CONSTRAINT "supervisions_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "blacklist_proceedings" ADD CONSTRAINT "blacklist_proceedings_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "enforcement_case_steps" ADD CONSTRAINT "enforcement_case_steps_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "supervision_events" ADD CONSTRAINT "supervision_events_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "blacklist_proceeding_steps" ADD CONSTRAINT "blacklist_proceeding_steps_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "enforcement_case_steps" ADD CONSTRAINT "enforcement_case_steps_case_fk" FOREIGN KEY ("bureau_code","case_id") REFERENCES "public"."enforcement_cases"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_events" ADD CONSTRAINT "supervision_events_supervision_fk" FOREIGN KEY ("bureau_code","supervision_id") REFERENCES "public"."supervisions"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blacklist_proceeding_steps" ADD CONSTRAINT "blacklist_proceeding_steps_proceeding_fk" FOREIGN KEY ("bureau_code","proceeding_id") REFERENCES "public"."blacklist_proceedings"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- 4. The unique keys per bureau. A case, supervision or proceeding is in the bureau of its finding
-- or unit, so these refuse what they refused before; the city's listing numbers across districts
-- are checked when a listing is opened.
DROP INDEX "enforcement_cases_one_per_finding";--> statement-breakpoint
DROP INDEX "supervisions_one_per_finding";--> statement-breakpoint
DROP INDEX "supervisions_number";--> statement-breakpoint
DROP INDEX "blacklist_proceedings_one_open";--> statement-breakpoint
CREATE UNIQUE INDEX "enforcement_cases_one_per_finding" ON "enforcement_cases" USING btree ("bureau_code","finding_id");--> statement-breakpoint
CREATE UNIQUE INDEX "supervisions_one_per_finding" ON "supervisions" USING btree ("bureau_code","finding_id");--> statement-breakpoint
CREATE UNIQUE INDEX "supervisions_number" ON "supervisions" USING btree ("bureau_code","supervising_bureau_code","listing_number");--> statement-breakpoint
CREATE UNIQUE INDEX "blacklist_proceedings_one_open" ON "blacklist_proceedings" USING btree ("bureau_code","unit_id","kind") WHERE "blacklist_proceedings"."status" in ('proposed', 'reviewed', 'noticed', 'decided');
