-- Keys to `bureaus` that another key already implies (issue 16: city scale). Each of these tables
-- carries a bureau-keyed foreign key to its parent, (bureau_code, unit_id) → units for instance, and
-- the parent's bureau_code references `bureaus`, so the table's own key to `bureaus` checked nothing
-- more. It cost a lookup and a row lock per inserted row: for an import's 2.1·10^6 first unit facts,
-- 14 s of the 50 s PostgreSQL spent writing them (measured in psql, 2026-12-02). The rule is checked
-- by test/db/tenancy.test.ts.
ALTER TABLE "unit_facts" DROP CONSTRAINT "unit_facts_bureau_code_bureaus_code_fk";
--> statement-breakpoint
ALTER TABLE "conflicts" DROP CONSTRAINT "conflicts_bureau_code_bureaus_code_fk";
--> statement-breakpoint
ALTER TABLE "draw_replacements" DROP CONSTRAINT "draw_replacements_bureau_code_bureaus_code_fk";
--> statement-breakpoint
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_bureau_code_bureaus_code_fk";
--> statement-breakpoint
ALTER TABLE "results" DROP CONSTRAINT "results_bureau_code_bureaus_code_fk";
--> statement-breakpoint
ALTER TABLE "findings" DROP CONSTRAINT "findings_bureau_code_bureaus_code_fk";
--> statement-breakpoint
ALTER TABLE "rectifications" DROP CONSTRAINT "rectifications_bureau_code_bureaus_code_fk";
--> statement-breakpoint
ALTER TABLE "yearly_obligations" DROP CONSTRAINT "yearly_obligations_bureau_code_bureaus_code_fk";
--> statement-breakpoint
ALTER TABLE "published_results" DROP CONSTRAINT "published_results_bureau_code_bureaus_code_fk";
--> statement-breakpoint
ALTER TABLE "enforcement_cases" DROP CONSTRAINT "enforcement_cases_bureau_code_bureaus_code_fk";
--> statement-breakpoint
ALTER TABLE "supervisions" DROP CONSTRAINT "supervisions_bureau_code_bureaus_code_fk";
