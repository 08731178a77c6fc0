CREATE TABLE "draw_replacements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"draw_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"unit_id" text NOT NULL,
	"out_inspector_id" text NOT NULL,
	"in_inspector_id" text NOT NULL,
	"reason" text NOT NULL,
	"note" text NOT NULL,
	"record" jsonb NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "draw_replacements" ADD CONSTRAINT "draw_replacements_draw_id_draws_id_fk" FOREIGN KEY ("draw_id") REFERENCES "public"."draws"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draw_replacements" ADD CONSTRAINT "draw_replacements_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "draw_replacements_draw_number" ON "draw_replacements" USING btree ("draw_id","number");--> statement-breakpoint
CREATE INDEX "draw_replacements_draw_id_index" ON "draw_replacements" USING btree ("draw_id");--> statement-breakpoint
CREATE OR REPLACE FUNCTION draw_replacements_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'draw_replacements is append-only: % refused (a replacement is corrected by a new record)', TG_OP;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER draw_replacements_no_update_delete
  BEFORE UPDATE OR DELETE ON draw_replacements
  FOR EACH ROW EXECUTE FUNCTION draw_replacements_refuse_change();
