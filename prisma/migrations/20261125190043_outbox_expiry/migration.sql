-- AlterTable
ALTER TABLE "outbox_message" ADD COLUMN     "expires_at" TIMESTAMPTZ(3);
