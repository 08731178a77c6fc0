-- Tenant tables keyed by bureau first, so that they can be distributed by bureau_code (SCALING.md):
-- a reminder and an evidence upload are found by (bureau_code, id); nothing references either by id.
ALTER TABLE "evidence_uploads" DROP CONSTRAINT "evidence_uploads_pkey";--> statement-breakpoint
ALTER TABLE "reminders" DROP CONSTRAINT "reminders_pkey";--> statement-breakpoint
ALTER TABLE "evidence_uploads" ADD CONSTRAINT "evidence_uploads_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");
