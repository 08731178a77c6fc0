--> statement-breakpoint
UPDATE "rule_pack_versions" SET "review" = 'approved' WHERE "status" <> 'draft';
