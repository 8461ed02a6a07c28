-- DropIndex
DROP INDEX "submission_year_month_idx";
