CREATE TABLE "enforcement_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bureau_code" text NOT NULL,
	"finding_id" uuid NOT NULL,
	"unit_id" text NOT NULL,
	"case_number" text NOT NULL,
	"stage" text NOT NULL,
	"checklist_item_code" text,
	"legal_basis" text,
	"decision_number" text,
	"penalty_amount" numeric(14, 2),
	"filed_on" date NOT NULL,
	"investigated_on" date,
	"decided_on" date,
	"closed_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enforcement_case_steps" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"step" text NOT NULL,
	"on" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"corrects_step_id" bigint,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bureau_code" text NOT NULL,
	"supervising_bureau_code" text NOT NULL,
	"finding_id" uuid NOT NULL,
	"unit_id" text NOT NULL,
	"listing_number" text NOT NULL,
	"status" text NOT NULL,
	"listed_on" date NOT NULL,
	"deadline" date NOT NULL,
	"listing_publication_id" uuid,
	"close_proposed_by" uuid,
	"closed_on" date,
	"closed_by" uuid,
	"closing_publication_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervision_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"supervision_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"on" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "blacklist_proceedings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bureau_code" text NOT NULL,
	"unit_id" text NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"origin" text NOT NULL,
	"finding_id" uuid,
	"status" text NOT NULL,
	"joint_punishment" boolean DEFAULT false NOT NULL,
	"proposed_on" date NOT NULL,
	"proposed_by" uuid,
	"reviewed_by" uuid,
	"notice_number" text,
	"noticed_on" date,
	"objection_days" integer,
	"objection_ends_on" date,
	"decision_number" text,
	"decided_on" date,
	"decided_by" uuid,
	"publication_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "blacklist_proceeding_steps" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"proceeding_id" uuid NOT NULL,
	"step" text NOT NULL,
	"on" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" uuid
);
--> statement-breakpoint
ALTER TABLE "enforcement_cases" ADD CONSTRAINT "enforcement_cases_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_cases" ADD CONSTRAINT "enforcement_cases_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_cases" ADD CONSTRAINT "enforcement_cases_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_cases" ADD CONSTRAINT "enforcement_cases_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_case_steps" ADD CONSTRAINT "enforcement_case_steps_case_id_enforcement_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."enforcement_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_case_steps" ADD CONSTRAINT "enforcement_case_steps_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisions" ADD CONSTRAINT "supervisions_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisions" ADD CONSTRAINT "supervisions_supervising_bureau_code_bureaus_code_fk" FOREIGN KEY ("supervising_bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisions" ADD CONSTRAINT "supervisions_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisions" ADD CONSTRAINT "supervisions_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisions" ADD CONSTRAINT "supervisions_listing_publication_id_publications_id_fk" FOREIGN KEY ("listing_publication_id") REFERENCES "public"."publications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisions" ADD CONSTRAINT "supervisions_close_proposed_by_users_id_fk" FOREIGN KEY ("close_proposed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisions" ADD CONSTRAINT "supervisions_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisions" ADD CONSTRAINT "supervisions_closing_publication_id_publications_id_fk" FOREIGN KEY ("closing_publication_id") REFERENCES "public"."publications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisions" ADD CONSTRAINT "supervisions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_events" ADD CONSTRAINT "supervision_events_supervision_id_supervisions_id_fk" FOREIGN KEY ("supervision_id") REFERENCES "public"."supervisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_events" ADD CONSTRAINT "supervision_events_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blacklist_proceedings" ADD CONSTRAINT "blacklist_proceedings_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blacklist_proceedings" ADD CONSTRAINT "blacklist_proceedings_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blacklist_proceedings" ADD CONSTRAINT "blacklist_proceedings_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blacklist_proceedings" ADD CONSTRAINT "blacklist_proceedings_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blacklist_proceedings" ADD CONSTRAINT "blacklist_proceedings_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blacklist_proceedings" ADD CONSTRAINT "blacklist_proceedings_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blacklist_proceedings" ADD CONSTRAINT "blacklist_proceedings_publication_id_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."publications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blacklist_proceeding_steps" ADD CONSTRAINT "blacklist_proceeding_steps_proceeding_id_blacklist_proceedings_id_fk" FOREIGN KEY ("proceeding_id") REFERENCES "public"."blacklist_proceedings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blacklist_proceeding_steps" ADD CONSTRAINT "blacklist_proceeding_steps_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enforcement_cases_bureau_code_stage_index" ON "enforcement_cases" USING btree ("bureau_code","stage");--> statement-breakpoint
CREATE UNIQUE INDEX "enforcement_cases_one_per_finding" ON "enforcement_cases" USING btree ("finding_id");--> statement-breakpoint
CREATE UNIQUE INDEX "enforcement_cases_number" ON "enforcement_cases" USING btree ("bureau_code","case_number");--> statement-breakpoint
CREATE UNIQUE INDEX "enforcement_cases_decision_number" ON "enforcement_cases" USING btree ("bureau_code","decision_number") WHERE "enforcement_cases"."decision_number" is not null;--> statement-breakpoint
CREATE INDEX "enforcement_case_steps_case_id_index" ON "enforcement_case_steps" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "supervisions_bureau_code_status_index" ON "supervisions" USING btree ("bureau_code","status");--> statement-breakpoint
CREATE UNIQUE INDEX "supervisions_one_per_finding" ON "supervisions" USING btree ("finding_id");--> statement-breakpoint
CREATE UNIQUE INDEX "supervisions_number" ON "supervisions" USING btree ("supervising_bureau_code","listing_number");--> statement-breakpoint
CREATE INDEX "supervisions_open" ON "supervisions" USING btree ("unit_id") WHERE "supervisions"."status" <> 'closed';--> statement-breakpoint
CREATE INDEX "supervision_events_supervision_id_index" ON "supervision_events" USING btree ("supervision_id");--> statement-breakpoint
CREATE INDEX "blacklist_proceedings_bureau_code_status_index" ON "blacklist_proceedings" USING btree ("bureau_code","status");--> statement-breakpoint
CREATE INDEX "blacklist_proceedings_unit_id_index" ON "blacklist_proceedings" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "blacklist_proceedings_one_open" ON "blacklist_proceedings" USING btree ("unit_id","kind") WHERE "blacklist_proceedings"."status" in ('proposed', 'reviewed', 'noticed', 'decided');--> statement-breakpoint
CREATE INDEX "blacklist_proceeding_steps_proceeding_id_index" ON "blacklist_proceeding_steps" USING btree ("proceeding_id");