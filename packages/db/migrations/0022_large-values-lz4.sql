-- The large jsonb values (a city draw's frame, person rows and result, and the publications that
-- carry them: 10^7–10^8 bytes each) are compressed with lz4 where the server has it rather than the
-- default pglz: a city draw's 148 MB publication took 7.1–7.6 s to write against 9.0–9.6 s and 4.1 s
-- to read as text against 6.1 s, for 12 % more space (issue 16, BENCHMARKS.md). It applies to
-- values written from now on. A server built without lz4 (PGlite) refuses the setting with
-- feature_not_supported and keeps pglz: nothing else changes.
DO $$
BEGIN
  ALTER TABLE "draws" ALTER COLUMN "frame" SET COMPRESSION lz4;
  ALTER TABLE "draws" ALTER COLUMN "excluded" SET COMPRESSION lz4;
  ALTER TABLE "draws" ALTER COLUMN "inspector_rows" SET COMPRESSION lz4;
  ALTER TABLE "draws" ALTER COLUMN "expert_rows" SET COMPRESSION lz4;
  ALTER TABLE "draws" ALTER COLUMN "avoidance_reasons" SET COMPRESSION lz4;
  ALTER TABLE "draws" ALTER COLUMN "result" SET COMPRESSION lz4;
  ALTER TABLE "publications" ALTER COLUMN "content" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server: large values keep pglz';
END $$;
