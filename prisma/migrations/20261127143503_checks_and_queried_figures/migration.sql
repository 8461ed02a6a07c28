-- AlterTable
ALTER TABLE "organisation" ADD COLUMN     "checks" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "submission" ADD COLUMN     "queried" BOOLEAN NOT NULL DEFAULT false;
