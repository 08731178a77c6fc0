CREATE TABLE "bureaus" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"parent_code" text
);
--> statement-breakpoint
CREATE TABLE "streets" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"bureau_code" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"bureau_code" text NOT NULL,
	"inspector_id" text,
	"status" text DEFAULT 'active' NOT NULL,
	"signing_public_key" text,
	"signing_private_key_enc" text,
	"sessions_revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "user_roles" (
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"bureau_code" text NOT NULL,
	CONSTRAINT "user_roles_user_id_role_bureau_code_pk" PRIMARY KEY("user_id","role","bureau_code")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"client_address" text,
	"succeeded" boolean NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"bureau_code" text NOT NULL,
	"token_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "checklist_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bureau_code" text NOT NULL,
	"version" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"digest" text,
	"base_version_id" uuid,
	"note" text,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checklist_versions_bureauCode_version_unique" UNIQUE("bureau_code","version")
);
--> statement-breakpoint
CREATE TABLE "checklist_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version_id" uuid NOT NULL,
	"code" text NOT NULL,
	"subject" text NOT NULL,
	"item" text NOT NULL,
	"content" text NOT NULL,
	"legal_basis" text NOT NULL,
	"industries" text[] DEFAULT '{}' NOT NULL,
	"inspection_kinds" text[] DEFAULT '{}' NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "checklist_items_versionId_code_unique" UNIQUE("version_id","code")
);
--> statement-breakpoint
CREATE TABLE "inspectors" (
	"id" text PRIMARY KEY NOT NULL,
	"certificate_no" text NOT NULL,
	"name" text NOT NULL,
	"bureau_code" text NOT NULL,
	"department" text NOT NULL,
	"specialties" text[] DEFAULT '{}' NOT NULL,
	"equipment" text[] DEFAULT '{}' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"capacity_per_quarter" integer DEFAULT 12 NOT NULL,
	"joined_on" date,
	"left_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inspectors_certificateNo_unique" UNIQUE("certificate_no")
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"nature" text NOT NULL,
	"industry" text NOT NULL,
	"scale" text NOT NULL,
	"employees" integer NOT NULL,
	"bureau_code" text NOT NULL,
	"street_code" text,
	"address" text DEFAULT '' NOT NULL,
	"legal_representative" text DEFAULT '' NOT NULL,
	"risk_grade" text NOT NULL,
	"credit_grade" text NOT NULL,
	"last_fatal_accident_on" date,
	"major_hazard" boolean DEFAULT false NOT NULL,
	"major_hazard_source" boolean DEFAULT false NOT NULL,
	"trial_production" boolean DEFAULT false NOT NULL,
	"resuming" boolean DEFAULT false NOT NULL,
	"blacklisted" boolean DEFAULT false NOT NULL,
	"joint_punishment" boolean DEFAULT false NOT NULL,
	"key_unit" boolean DEFAULT false NOT NULL,
	"crowded_place" boolean DEFAULT false NOT NULL,
	"dust_explosion" boolean DEFAULT false NOT NULL,
	"confined_space" boolean DEFAULT false NOT NULL,
	"last_inspected_on" date,
	"verified_at" timestamp with time zone,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unit_facts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"unit_id" text NOT NULL,
	"kind" text NOT NULL,
	"value" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"effective_on" date NOT NULL,
	"ended_on" date,
	"source" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" uuid
);
--> statement-breakpoint
CREATE TABLE "experts" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"bureau_code" text,
	"specialties" text[] DEFAULT '{}' NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"employer" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conflicts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"inspector_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"reason" text NOT NULL,
	"declared_on" date NOT NULL,
	"declared_by" uuid,
	"revoked_at" timestamp with time zone,
	"revoke_reason" text
);
--> statement-breakpoint
CREATE TABLE "procedures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bureau_code" text NOT NULL,
	"version" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"content" jsonb NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "procedures_bureauCode_version_unique" UNIQUE("bureau_code","version")
);
--> statement-breakpoint
CREATE TABLE "rule_pack_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pack_id" text NOT NULL,
	"version" text NOT NULL,
	"bureau_code" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"content" jsonb NOT NULL,
	"digest" text NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rule_pack_versions_packId_version_unique" UNIQUE("pack_id","version")
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bureau_code" text NOT NULL,
	"title" text NOT NULL,
	"period" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"scope" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"strata" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"team" jsonb NOT NULL,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"checklist_version_id" uuid,
	"rule_packs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"units_only_reason" text,
	"sealed" boolean DEFAULT false NOT NULL,
	"created_by" uuid NOT NULL,
	"submitted_at" timestamp with time zone,
	"approved_at" timestamp with time zone,
	"approved_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "draws" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"status" text NOT NULL,
	"commitment" jsonb NOT NULL,
	"commitment_digest" text NOT NULL,
	"frame" jsonb NOT NULL,
	"inspector_rows" jsonb NOT NULL,
	"avoidance_reasons" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"committed_at" timestamp with time zone NOT NULL,
	"committed_by" uuid NOT NULL,
	"randomness" jsonb,
	"result" jsonb,
	"result_digest" text,
	"drawn_at" timestamp with time zone,
	"drawn_by" uuid,
	"signature" text,
	"signer_public_key" text,
	"signed_at" timestamp with time zone,
	"signed_by" uuid,
	"void_reason" text,
	"void_requested_at" timestamp with time zone,
	"void_requested_by" uuid,
	"void_approved_at" timestamp with time zone,
	"void_approved_by" uuid,
	CONSTRAINT "draws_commitmentDigest_unique" UNIQUE("commitment_digest")
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"draw_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"unit_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"reason" text NOT NULL,
	"team" text[] DEFAULT '{}' NOT NULL,
	"experts" text[] DEFAULT '{}' NOT NULL,
	"checklist_item_codes" text[] DEFAULT '{}' NOT NULL,
	"scheduled_on" date,
	"status" text DEFAULT 'issued' NOT NULL,
	"sealed" boolean DEFAULT false NOT NULL,
	"executed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"task_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"inspected_on" text NOT NULL,
	"supersedes_id" uuid,
	"correction_reason" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"result_id" uuid NOT NULL,
	"checklist_item_code" text,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"enforcement_action" text,
	"rectification_due" date,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rectifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"finding_id" uuid NOT NULL,
	"checked_on" date NOT NULL,
	"outcome" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "publications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bureau_code" text NOT NULL,
	"kind" text NOT NULL,
	"ref_id" text NOT NULL,
	"period" text,
	"title" text NOT NULL,
	"content" jsonb NOT NULL,
	"digest" text NOT NULL,
	"replaces_id" uuid,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" uuid
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_user_id" uuid,
	"actor_role" text,
	"bureau_code" text,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"before" jsonb,
	"after" jsonb,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "streets" ADD CONSTRAINT "streets_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_versions" ADD CONSTRAINT "checklist_versions_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_versions" ADD CONSTRAINT "checklist_versions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_items" ADD CONSTRAINT "checklist_items_version_id_checklist_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."checklist_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspectors" ADD CONSTRAINT "inspectors_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_facts" ADD CONSTRAINT "unit_facts_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_facts" ADD CONSTRAINT "unit_facts_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experts" ADD CONSTRAINT "experts_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conflicts" ADD CONSTRAINT "conflicts_inspector_id_inspectors_id_fk" FOREIGN KEY ("inspector_id") REFERENCES "public"."inspectors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conflicts" ADD CONSTRAINT "conflicts_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conflicts" ADD CONSTRAINT "conflicts_declared_by_users_id_fk" FOREIGN KEY ("declared_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedures" ADD CONSTRAINT "procedures_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedures" ADD CONSTRAINT "procedures_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_pack_versions" ADD CONSTRAINT "rule_pack_versions_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_pack_versions" ADD CONSTRAINT "rule_pack_versions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_checklist_version_id_checklist_versions_id_fk" FOREIGN KEY ("checklist_version_id") REFERENCES "public"."checklist_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draws" ADD CONSTRAINT "draws_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draws" ADD CONSTRAINT "draws_committed_by_users_id_fk" FOREIGN KEY ("committed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draws" ADD CONSTRAINT "draws_drawn_by_users_id_fk" FOREIGN KEY ("drawn_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draws" ADD CONSTRAINT "draws_signed_by_users_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draws" ADD CONSTRAINT "draws_void_requested_by_users_id_fk" FOREIGN KEY ("void_requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draws" ADD CONSTRAINT "draws_void_approved_by_users_id_fk" FOREIGN KEY ("void_approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_draw_id_draws_id_fk" FOREIGN KEY ("draw_id") REFERENCES "public"."draws"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_result_id_results_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."results"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectifications" ADD CONSTRAINT "rectifications_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectifications" ADD CONSTRAINT "rectifications_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "streets_bureau_code_index" ON "streets" USING btree ("bureau_code");--> statement-breakpoint
CREATE INDEX "user_roles_bureau_code_index" ON "user_roles" USING btree ("bureau_code");--> statement-breakpoint
CREATE INDEX "sessions_user_id_index" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "login_attempts_username_at_index" ON "login_attempts" USING btree ("username","at");--> statement-breakpoint
CREATE INDEX "checklist_items_version_id_index" ON "checklist_items" USING btree ("version_id");--> statement-breakpoint
CREATE INDEX "inspectors_bureau_code_status_index" ON "inspectors" USING btree ("bureau_code","status");--> statement-breakpoint
CREATE INDEX "units_bureau_code_industry_index" ON "units" USING btree ("bureau_code","industry");--> statement-breakpoint
CREATE INDEX "units_risk_grade_index" ON "units" USING btree ("risk_grade");--> statement-breakpoint
CREATE INDEX "units_street_code_index" ON "units" USING btree ("street_code");--> statement-breakpoint
CREATE INDEX "unit_facts_unit_id_kind_index" ON "unit_facts" USING btree ("unit_id","kind");--> statement-breakpoint
CREATE INDEX "experts_bureau_code_index" ON "experts" USING btree ("bureau_code");--> statement-breakpoint
CREATE INDEX "conflicts_inspector_id_index" ON "conflicts" USING btree ("inspector_id");--> statement-breakpoint
CREATE INDEX "conflicts_unit_id_index" ON "conflicts" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "plans_bureau_code_period_index" ON "plans" USING btree ("bureau_code","period");--> statement-breakpoint
CREATE INDEX "draws_plan_id_index" ON "draws" USING btree ("plan_id");--> statement-breakpoint
CREATE UNIQUE INDEX "draws_one_live_attempt_per_plan" ON "draws" USING btree ("plan_id") WHERE status <> 'voided';--> statement-breakpoint
CREATE UNIQUE INDEX "draws_plan_attempt" ON "draws" USING btree ("plan_id","attempt");--> statement-breakpoint
CREATE INDEX "tasks_draw_id_index" ON "tasks" USING btree ("draw_id");--> statement-breakpoint
CREATE INDEX "tasks_unit_id_index" ON "tasks" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "tasks_plan_id_index" ON "tasks" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "results_task_id_index" ON "results" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "findings_result_id_index" ON "findings" USING btree ("result_id");--> statement-breakpoint
CREATE INDEX "rectifications_finding_id_index" ON "rectifications" USING btree ("finding_id");--> statement-breakpoint
CREATE INDEX "publications_bureau_code_kind_index" ON "publications" USING btree ("bureau_code","kind");--> statement-breakpoint
CREATE INDEX "publications_ref_id_index" ON "publications" USING btree ("ref_id");--> statement-breakpoint
CREATE INDEX "audit_events_entity_entity_id_index" ON "audit_events" USING btree ("entity","entity_id");