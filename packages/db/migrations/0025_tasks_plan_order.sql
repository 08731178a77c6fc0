-- The tasks lists' order, plan then draw order (tasks.list): a page of a city plan's 234,421 tasks
-- took 3 s, every task read, joined and sorted before the first 50 (issue 16, 10^6-unit city in
-- psql); in this index's order PostgreSQL stops after the page. It serves lookups by plan too.
DROP INDEX "tasks_plan_id_index";--> statement-breakpoint
CREATE INDEX "tasks_plan_order_index" ON "tasks" USING btree ("plan_id","sequence","id");
