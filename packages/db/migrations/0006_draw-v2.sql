CREATE TABLE "signing_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bureau_code" text NOT NULL,
	"key_id" text NOT NULL,
	"public_key" text NOT NULL,
	"user_id" uuid NOT NULL,
	"signer_name" text NOT NULL,
	"status" text NOT NULL,
	"proposed_at" timestamp with time zone NOT NULL,
	"valid_from" timestamp with time zone,
	"valid_until" timestamp with time zone,
	"registered_by" uuid,
	"ended_by" uuid,
	"end_reason" text
);
--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "planned_draw_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "draws" ADD COLUMN "bureau_code" text;--> statement-breakpoint
UPDATE "draws" SET "bureau_code" = "plans"."bureau_code" FROM "plans" WHERE "plans"."id" = "draws"."plan_id";--> statement-breakpoint
ALTER TABLE "draws" ALTER COLUMN "bureau_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "draws" ADD COLUMN "algorithm" text DEFAULT 'sr-draw/v1' NOT NULL;--> statement-breakpoint
ALTER TABLE "draws" ADD COLUMN "excluded" jsonb;--> statement-breakpoint
ALTER TABLE "draws" ADD COLUMN "expert_rows" jsonb;--> statement-breakpoint
ALTER TABLE "draws" ADD COLUMN "sign_off" jsonb;--> statement-breakpoint
ALTER TABLE "draws" ADD COLUMN "void_reason_id" text;--> statement-breakpoint
ALTER TABLE "draws" ADD COLUMN "void_sign_off" jsonb;--> statement-breakpoint
ALTER TABLE "draws" ADD COLUMN "void_after_randomness" boolean;--> statement-breakpoint
ALTER TABLE "draws" ADD COLUMN "void_bundle_digest" text;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_registered_by_users_id_fk" FOREIGN KEY ("registered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_ended_by_users_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "signing_keys_key_id" ON "signing_keys" USING btree ("key_id");--> statement-breakpoint
CREATE INDEX "signing_keys_bureau_code_status_index" ON "signing_keys" USING btree ("bureau_code","status");--> statement-breakpoint
CREATE UNIQUE INDEX "draws_bureau_plan_attempt" ON "draws" USING btree ("bureau_code","plan_id","attempt");