CREATE TABLE "yearly_obligations" (
	"unit_id" text NOT NULL,
	"year" integer NOT NULL,
	"bureau_code" text NOT NULL,
	"min_per_year" integer NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"fixed_by_plan_id" uuid NOT NULL,
	"fixed_at" timestamp with time zone NOT NULL,
	"raised_at" timestamp with time zone,
	CONSTRAINT "yearly_obligations_unit_id_year_pk" PRIMARY KEY("unit_id","year")
);
--> statement-breakpoint
ALTER TABLE "checklist_items" ADD COLUMN "risk_grades" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "yearly_obligations" ADD CONSTRAINT "yearly_obligations_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "yearly_obligations" ADD CONSTRAINT "yearly_obligations_bureau_code_bureaus_code_fk" FOREIGN KEY ("bureau_code") REFERENCES "public"."bureaus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "yearly_obligations" ADD CONSTRAINT "yearly_obligations_fixed_by_plan_id_plans_id_fk" FOREIGN KEY ("fixed_by_plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "yearly_obligations_year_bureau_code_index" ON "yearly_obligations" USING btree ("year","bureau_code");