-- AlterTable
ALTER TABLE "indicator" ADD COLUMN     "time_progress" BOOLEAN NOT NULL DEFAULT true;
