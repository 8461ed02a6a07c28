-- AlterTable
ALTER TABLE "indicator" ADD COLUMN     "unit_en" TEXT;
