-- AlterTable
ALTER TABLE "indicator" ADD COLUMN     "from_period" INTEGER;
