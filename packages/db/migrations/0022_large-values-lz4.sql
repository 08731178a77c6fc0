-- The large jsonb values (a city draw's frame, person rows and result, and the publications that
-- carry them: 10^7–10^8 bytes each) are compressed with lz4 where the server has it: several times
-- faster to compress and to read back than the default pglz, for about 10 % more space (issue 16,
-- BENCHMARKS.md). It applies to values written from now on. A server built without lz4 (PGlite)
-- refuses the setting with feature_not_supported and keeps pglz: nothing else changes.
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
