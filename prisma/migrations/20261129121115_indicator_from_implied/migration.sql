-- AlterTable
ALTER TABLE "indicator" ADD COLUMN     "from_implied" BOOLEAN NOT NULL DEFAULT false;
