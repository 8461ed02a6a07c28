-- AlterTable
ALTER TABLE "organisation" ADD COLUMN     "name_en" TEXT;
