ALTER TABLE "log_leaves" ADD COLUMN "kind" text GENERATED ALWAYS AS ((leaf::jsonb ->> 'kind')) STORED;--> statement-breakpoint
ALTER TABLE "log_leaves" ADD COLUMN "ref_id" text GENERATED ALWAYS AS ((leaf::jsonb ->> 'refId')) STORED;--> statement-breakpoint
ALTER TABLE "log_leaves" ADD COLUMN "bureau_code" text GENERATED ALWAYS AS ((leaf::jsonb ->> 'bureauCode')) STORED;--> statement-breakpoint
CREATE INDEX "log_leaves_kind_ref_id_seq_index" ON "log_leaves" USING btree ("kind","ref_id","seq");--> statement-breakpoint
CREATE INDEX "log_leaves_kind_bureau_code_seq_index" ON "log_leaves" USING btree ("kind","bureau_code","seq");