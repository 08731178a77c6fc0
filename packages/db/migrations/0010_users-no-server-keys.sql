ALTER TABLE "users" DROP COLUMN "signing_public_key";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "signing_private_key_enc";