ALTER TABLE "rule_pack_versions" ADD COLUMN "review" text DEFAULT 'editing' NOT NULL;--> statement-breakpoint
ALTER TABLE "rule_pack_versions" ADD COLUMN "submitted_by" uuid;--> statement-breakpoint
ALTER TABLE "rule_pack_versions" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rule_pack_versions" ADD COLUMN "submit_note" text;--> statement-breakpoint
ALTER TABLE "rule_pack_versions" ADD COLUMN "reviewed_by" uuid;--> statement-breakpoint
ALTER TABLE "rule_pack_versions" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rule_pack_versions" ADD COLUMN "review_opinion" text;--> statement-breakpoint
ALTER TABLE "rule_pack_versions" ADD CONSTRAINT "rule_pack_versions_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_pack_versions" ADD CONSTRAINT "rule_pack_versions_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
UPDATE "rule_pack_versions" SET "review" = 'approved' WHERE "status" <> 'draft';
