CREATE TABLE "log_leaves" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"publication_id" uuid NOT NULL,
	"leaf" text NOT NULL,
	"leaf_hash" text NOT NULL,
	"appended_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "log_leaves_publicationId_unique" UNIQUE("publication_id")
);
--> statement-breakpoint
CREATE TABLE "log_checkpoints" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"origin" text NOT NULL,
	"size" bigint NOT NULL,
	"root_hash" text NOT NULL,
	"time" timestamp with time zone NOT NULL,
	"log_key" text NOT NULL,
	"signature" text NOT NULL,
	CONSTRAINT "log_checkpoints_time_unique" UNIQUE("time")
);
--> statement-breakpoint
CREATE TABLE "log_witnesses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"label" text NOT NULL,
	"public_key" text NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	"added_by" uuid,
	"retired_at" timestamp with time zone,
	CONSTRAINT "log_witnesses_name_unique" UNIQUE("name"),
	CONSTRAINT "log_witnesses_publicKey_unique" UNIQUE("public_key")
);
--> statement-breakpoint
CREATE TABLE "log_cosignatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"checkpoint_id" bigint NOT NULL,
	"witness_id" uuid NOT NULL,
	"time" timestamp with time zone NOT NULL,
	"signature" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "log_cosignatures_checkpointId_witnessId_unique" UNIQUE("checkpoint_id","witness_id")
);
--> statement-breakpoint
CREATE TABLE "log_keys" (
	"origin" text PRIMARY KEY NOT NULL,
	"public_key" text NOT NULL,
	"secret_key_enc" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "log_witnesses" ADD CONSTRAINT "log_witnesses_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_cosignatures" ADD CONSTRAINT "log_cosignatures_checkpoint_id_log_checkpoints_id_fk" FOREIGN KEY ("checkpoint_id") REFERENCES "public"."log_checkpoints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_cosignatures" ADD CONSTRAINT "log_cosignatures_witness_id_log_witnesses_id_fk" FOREIGN KEY ("witness_id") REFERENCES "public"."log_witnesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "log_checkpoints_size_index" ON "log_checkpoints" USING btree ("size");