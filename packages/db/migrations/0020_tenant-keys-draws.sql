-- Draws keyed (bureau_code, id), so that they can be distributed by bureau_code with their plan
-- (SCALING.md). A draw is in its plan's bureau (0006 filled the column from the plan), so it
-- references the plan by (bureau_code, plan_id), and its unique keys become per-bureau keys that
-- refuse what they refused before. The commitment digest is unique per bureau: a commitment names
-- its plan and the plan's bureau, so one digest cannot belong to two bureaus' draws.
-- 1. The foreign keys that name the draw's unique (bureau_code, id) of 0019, which the key replaces.
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_draw_fk";--> statement-breakpoint
ALTER TABLE "draw_replacements" DROP CONSTRAINT "draw_replacements_draw_fk";--> statement-breakpoint
ALTER TABLE "draws" DROP CONSTRAINT "draws_plan_id_plans_id_fk";--> statement-breakpoint
ALTER TABLE "draws" DROP CONSTRAINT "draws_bureau_id";--> statement-breakpoint
ALTER TABLE "draws" DROP CONSTRAINT "draws_pkey";--> statement-breakpoint
-- 2. The key, then the foreign keys.
ALTER TABLE "draws" ADD CONSTRAINT "draws_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "draws" ADD CONSTRAINT "draws_plan_fk" FOREIGN KEY ("bureau_code","plan_id") REFERENCES "public"."plans"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_draw_fk" FOREIGN KEY ("bureau_code","draw_id") REFERENCES "public"."draws"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draw_replacements" ADD CONSTRAINT "draw_replacements_draw_fk" FOREIGN KEY ("bureau_code","draw_id") REFERENCES "public"."draws"("bureau_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- 3. The unique keys per bureau; (plan, attempt) is (bureau, plan, attempt) already.
DROP INDEX "draws_plan_attempt";--> statement-breakpoint
DROP INDEX "draws_one_live_attempt_per_plan";--> statement-breakpoint
CREATE UNIQUE INDEX "draws_one_live_attempt_per_plan" ON "draws" USING btree ("bureau_code","plan_id") WHERE status <> 'voided';--> statement-breakpoint
ALTER TABLE "draws" DROP CONSTRAINT "draws_commitmentDigest_unique";--> statement-breakpoint
ALTER TABLE "draws" ADD CONSTRAINT "draws_commitment_digest_unique" UNIQUE("bureau_code","commitment_digest");
