-- AlterTable
ALTER TABLE "indicator" ADD COLUMN     "frequency" TEXT NOT NULL DEFAULT 'monthly';
