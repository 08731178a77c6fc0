-- Least-privilege access (README "Database roles"): the application role `spotcheck_app` reads and
-- writes data but may only INSERT and SELECT the audit trail, and owns nothing (no DDL, so it
-- cannot disable the append-only triggers). Migrations run as the owner role. Creating the roles
-- needs a superuser once; this migration grants whenever `spotcheck_app` exists, and is a no-op
-- otherwise (PGlite, single-role development servers). Idempotent.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'spotcheck_app') THEN
    EXECUTE 'GRANT USAGE ON SCHEMA public TO spotcheck_app';
    EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO spotcheck_app';
    EXECUTE 'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO spotcheck_app';
    EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_events FROM spotcheck_app';
    EXECUTE 'REVOKE CREATE ON SCHEMA public FROM spotcheck_app';
    -- Tables later migrations create get the same data rights (audit_events stays as above).
    EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO spotcheck_app';
    EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO spotcheck_app';
  END IF;
END
$$;
