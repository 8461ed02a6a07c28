-- AlterTable
ALTER TABLE "section" ADD COLUMN     "name_en" TEXT;
