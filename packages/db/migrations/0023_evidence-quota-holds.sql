-- Quota held by evidence uploads still being received (issue 16: more than one API process). The
-- per-user daily quota counted in-flight uploads in the memory of one process, so uploads spread
-- over several processes could each spend what was left. Holds are rows now, taken under an advisory
-- lock per user and given back in the transaction that records the upload; a dead process's hold
-- stops counting when it expires.
CREATE TABLE "evidence_quota_holds" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"bureau_code" text NOT NULL,
	"user_id" uuid NOT NULL,
	"bytes" bigint NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "evidence_quota_holds_bureau_code_id_pk" PRIMARY KEY("bureau_code","id")
);
--> statement-breakpoint
ALTER TABLE "evidence_quota_holds" ADD CONSTRAINT "evidence_quota_holds_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_quota_holds" ADD CONSTRAINT "evidence_quota_holds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_quota_holds_user_id_expires_at_index" ON "evidence_quota_holds" USING btree ("user_id","expires_at");