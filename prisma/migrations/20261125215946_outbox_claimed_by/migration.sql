-- AlterTable
ALTER TABLE "outbox_message" ADD COLUMN     "claimed_by" TEXT;
