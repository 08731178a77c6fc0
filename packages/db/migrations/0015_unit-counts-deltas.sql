ALTER TABLE "unit_counts" DROP CONSTRAINT "unit_counts_bureau_code_industry_risk_grade_status_pk";--> statement-breakpoint
ALTER TABLE "unit_counts" ADD COLUMN "id" bigserial NOT NULL;--> statement-breakpoint
ALTER TABLE "unit_counts" ADD CONSTRAINT "unit_counts_bureau_code_id_pk" PRIMARY KEY("bureau_code","id");--> statement-breakpoint
CREATE INDEX "unit_counts_bureau_code_industry_risk_grade_status_index" ON "unit_counts" USING btree ("bureau_code","industry","risk_grade","status");--> statement-breakpoint
-- The counts become appended deltas: a writer adds rows and never updates one, so two roster
-- writes never wait for each other over a shared count row, nor deadlock (0014 upserted the rows,
-- holding their locks until the writer committed). `unit_counts_compact()` folds each key's rows.
CREATE OR REPLACE FUNCTION unit_counts_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO unit_counts (bureau_code, industry, risk_grade, status, units)
      SELECT bureau_code, industry, risk_grade, status, count(*)::int FROM unit_counts_new
      GROUP BY 1, 2, 3, 4;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO unit_counts (bureau_code, industry, risk_grade, status, units)
      SELECT bureau_code, industry, risk_grade, status, -count(*)::int FROM unit_counts_old
      GROUP BY 1, 2, 3, 4;
  ELSE
    INSERT INTO unit_counts (bureau_code, industry, risk_grade, status, units)
      SELECT bureau_code, industry, risk_grade, status, sum(d)::int FROM (
        SELECT bureau_code, industry, risk_grade, status, -1 AS d FROM unit_counts_old
        UNION ALL
        SELECT bureau_code, industry, risk_grade, status, 1 AS d FROM unit_counts_new
      ) x
      GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Folds every committed delta row of a key into one (keys at zero go). Rows a writer appends
-- meanwhile are not yet visible to it and stay as they are; readers see the sums before or after.
CREATE OR REPLACE FUNCTION unit_counts_compact() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  folded integer;
BEGIN
  WITH gone AS (
    DELETE FROM unit_counts RETURNING bureau_code, industry, risk_grade, status, units
  ), kept AS (
    INSERT INTO unit_counts (bureau_code, industry, risk_grade, status, units)
      SELECT bureau_code, industry, risk_grade, status, sum(units)::int FROM gone
      GROUP BY 1, 2, 3, 4 HAVING sum(units) <> 0
      RETURNING 1
  )
  SELECT (SELECT count(*) FROM gone) - (SELECT count(*) FROM kept) INTO folded;
  RETURN folded;
END;
$$;
