CREATE TABLE "unit_counts" (
	"bureau_code" text NOT NULL,
	"industry" text NOT NULL,
	"risk_grade" text NOT NULL,
	"status" text NOT NULL,
	"units" integer NOT NULL,
	CONSTRAINT "unit_counts_bureau_code_industry_risk_grade_status_pk" PRIMARY KEY("bureau_code","industry","risk_grade","status")
);
--> statement-breakpoint
-- The roster's counts per bureau, industry, risk grade and status, kept in the transaction that
-- changes `units` by one statement trigger per event (transition tables: a COPY of 10^6 rows
-- adds one grouped upsert, not 10^6). Rows at zero are removed.
CREATE OR REPLACE FUNCTION unit_counts_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO unit_counts AS c (bureau_code, industry, risk_grade, status, units)
      SELECT bureau_code, industry, risk_grade, status, count(*)::int FROM unit_counts_new
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (bureau_code, industry, risk_grade, status) DO UPDATE SET units = c.units + excluded.units;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE unit_counts c SET units = c.units - d.n
      FROM (SELECT bureau_code, industry, risk_grade, status, count(*)::int AS n FROM unit_counts_old
            GROUP BY 1, 2, 3, 4) d
      WHERE (c.bureau_code, c.industry, c.risk_grade, c.status) = (d.bureau_code, d.industry, d.risk_grade, d.status);
  ELSE
    INSERT INTO unit_counts AS c (bureau_code, industry, risk_grade, status, units)
      SELECT bureau_code, industry, risk_grade, status, sum(d)::int FROM (
        SELECT bureau_code, industry, risk_grade, status, -1 AS d FROM unit_counts_old
        UNION ALL
        SELECT bureau_code, industry, risk_grade, status, 1 AS d FROM unit_counts_new
      ) x
      GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (bureau_code, industry, risk_grade, status) DO UPDATE SET units = c.units + excluded.units;
  END IF;
  DELETE FROM unit_counts WHERE units = 0;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER unit_counts_insert AFTER INSERT ON units
  REFERENCING NEW TABLE AS unit_counts_new
  FOR EACH STATEMENT EXECUTE FUNCTION unit_counts_apply();
--> statement-breakpoint
CREATE TRIGGER unit_counts_update AFTER UPDATE ON units
  REFERENCING OLD TABLE AS unit_counts_old NEW TABLE AS unit_counts_new
  FOR EACH STATEMENT EXECUTE FUNCTION unit_counts_apply();
--> statement-breakpoint
CREATE TRIGGER unit_counts_delete AFTER DELETE ON units
  REFERENCING OLD TABLE AS unit_counts_old
  FOR EACH STATEMENT EXECUTE FUNCTION unit_counts_apply();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION unit_counts_clear() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM unit_counts;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER unit_counts_truncate AFTER TRUNCATE ON units
  FOR EACH STATEMENT EXECUTE FUNCTION unit_counts_clear();
--> statement-breakpoint
INSERT INTO unit_counts (bureau_code, industry, risk_grade, status, units)
  SELECT bureau_code, industry, risk_grade, status, count(*)::int FROM units GROUP BY 1, 2, 3, 4;
