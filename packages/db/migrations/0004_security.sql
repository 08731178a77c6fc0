CREATE TABLE "evidence_uploads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"mime" text NOT NULL,
	"name" text NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"bureau_code" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evidence_uploads" ADD CONSTRAINT "evidence_uploads_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_uploads" ADD CONSTRAINT "evidence_uploads_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_uploads_sha256_index" ON "evidence_uploads" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "evidence_uploads_uploaded_by_uploaded_at_index" ON "evidence_uploads" USING btree ("uploaded_by","uploaded_at");--> statement-breakpoint
CREATE INDEX "login_attempts_client_address_at_index" ON "login_attempts" USING btree ("client_address","at");--> statement-breakpoint
CREATE UNIQUE INDEX "results_one_original_per_task" ON "results" USING btree ("task_id") WHERE "results"."supersedes_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "rectifications_one_rectified_per_finding" ON "rectifications" USING btree ("finding_id") WHERE "rectifications"."outcome" = 'rectified';