-- The transparency log is append-only: the database refuses changes to leaves, checkpoints and
-- co-signatures (anyone who bypasses this is caught by monitors through consistency proofs).
CREATE OR REPLACE FUNCTION log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS log_leaves_append_only ON log_leaves;
--> statement-breakpoint
CREATE TRIGGER log_leaves_append_only BEFORE UPDATE OR DELETE ON log_leaves
  FOR EACH ROW EXECUTE FUNCTION log_refuse_change();
--> statement-breakpoint
DROP TRIGGER IF EXISTS log_leaves_no_truncate ON log_leaves;
--> statement-breakpoint
CREATE TRIGGER log_leaves_no_truncate BEFORE TRUNCATE ON log_leaves
  FOR EACH STATEMENT EXECUTE FUNCTION log_refuse_change();
--> statement-breakpoint
DROP TRIGGER IF EXISTS log_checkpoints_append_only ON log_checkpoints;
--> statement-breakpoint
CREATE TRIGGER log_checkpoints_append_only BEFORE UPDATE OR DELETE ON log_checkpoints
  FOR EACH ROW EXECUTE FUNCTION log_refuse_change();
--> statement-breakpoint
DROP TRIGGER IF EXISTS log_cosignatures_append_only ON log_cosignatures;
--> statement-breakpoint
CREATE TRIGGER log_cosignatures_append_only BEFORE UPDATE OR DELETE ON log_cosignatures
  FOR EACH ROW EXECUTE FUNCTION log_refuse_change();
