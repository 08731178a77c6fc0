-- The kept roster counts gain the credit grade as a key and the four flags the workbench shows
-- (major hazard, blacklisted, joint punishment, key unit) as counts, so `stats.roster` no longer
-- scans the units (0.25–0.38 s for a city of 10^6 on every staff member's home page, issue 16).
-- The counts are recomputed from the roster here; the triggers and the compaction keep them after.
DELETE FROM "unit_counts";--> statement-breakpoint
ALTER TABLE "unit_counts" ADD COLUMN "credit_grade" text NOT NULL;--> statement-breakpoint
ALTER TABLE "unit_counts" ADD COLUMN "major_hazard" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "unit_counts" ADD COLUMN "blacklisted" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "unit_counts" ADD COLUMN "joint_punishment" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "unit_counts" ADD COLUMN "key_unit" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- One signed delta row per key a statement changes: units and each flag's count. An update that
-- only sets or clears a flag changes no unit count of its key, and is kept by its flag's delta.
CREATE OR REPLACE FUNCTION unit_counts_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO unit_counts (bureau_code, industry, risk_grade, credit_grade, status, units,
                             major_hazard, blacklisted, joint_punishment, key_unit)
      SELECT bureau_code, industry, risk_grade, credit_grade, status, count(*)::int,
             count(*) FILTER (WHERE major_hazard)::int, count(*) FILTER (WHERE blacklisted)::int,
             count(*) FILTER (WHERE joint_punishment)::int, count(*) FILTER (WHERE key_unit)::int
      FROM unit_counts_new GROUP BY 1, 2, 3, 4, 5;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO unit_counts (bureau_code, industry, risk_grade, credit_grade, status, units,
                             major_hazard, blacklisted, joint_punishment, key_unit)
      SELECT bureau_code, industry, risk_grade, credit_grade, status, -count(*)::int,
             -count(*) FILTER (WHERE major_hazard)::int, -count(*) FILTER (WHERE blacklisted)::int,
             -count(*) FILTER (WHERE joint_punishment)::int, -count(*) FILTER (WHERE key_unit)::int
      FROM unit_counts_old GROUP BY 1, 2, 3, 4, 5;
  ELSE
    INSERT INTO unit_counts (bureau_code, industry, risk_grade, credit_grade, status, units,
                             major_hazard, blacklisted, joint_punishment, key_unit)
      SELECT bureau_code, industry, risk_grade, credit_grade, status, sum(d)::int,
             sum(d * major_hazard::int)::int, sum(d * blacklisted::int)::int,
             sum(d * joint_punishment::int)::int, sum(d * key_unit::int)::int
      FROM (
        SELECT bureau_code, industry, risk_grade, credit_grade, status, -1 AS d,
               major_hazard, blacklisted, joint_punishment, key_unit FROM unit_counts_old
        UNION ALL
        SELECT bureau_code, industry, risk_grade, credit_grade, status, 1 AS d,
               major_hazard, blacklisted, joint_punishment, key_unit FROM unit_counts_new
      ) x
      GROUP BY 1, 2, 3, 4, 5
      HAVING sum(d) <> 0 OR sum(d * major_hazard::int) <> 0 OR sum(d * blacklisted::int) <> 0
          OR sum(d * joint_punishment::int) <> 0 OR sum(d * key_unit::int) <> 0;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Folds every committed delta row of a key into one (keys at zero go: no units, so no flags).
CREATE OR REPLACE FUNCTION unit_counts_compact() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  folded integer;
BEGIN
  WITH gone AS (
    DELETE FROM unit_counts RETURNING bureau_code, industry, risk_grade, credit_grade, status, units,
      major_hazard, blacklisted, joint_punishment, key_unit
  ), kept AS (
    INSERT INTO unit_counts (bureau_code, industry, risk_grade, credit_grade, status, units,
                             major_hazard, blacklisted, joint_punishment, key_unit)
      SELECT bureau_code, industry, risk_grade, credit_grade, status, sum(units)::int,
             sum(major_hazard)::int, sum(blacklisted)::int, sum(joint_punishment)::int, sum(key_unit)::int
      FROM gone GROUP BY 1, 2, 3, 4, 5 HAVING sum(units) <> 0
      RETURNING 1
  )
  SELECT (SELECT count(*) FROM gone) - (SELECT count(*) FROM kept) INTO folded;
  RETURN folded;
END;
$$;
--> statement-breakpoint
INSERT INTO unit_counts (bureau_code, industry, risk_grade, credit_grade, status, units,
                         major_hazard, blacklisted, joint_punishment, key_unit)
  SELECT bureau_code, industry, risk_grade, credit_grade, status, count(*)::int,
         count(*) FILTER (WHERE major_hazard)::int, count(*) FILTER (WHERE blacklisted)::int,
         count(*) FILTER (WHERE joint_punishment)::int, count(*) FILTER (WHERE key_unit)::int
  FROM units GROUP BY 1, 2, 3, 4, 5;
