-- AlterTable
ALTER TABLE "Family" ADD COLUMN "overdueAt" DATETIME;

-- CreateIndex
CREATE INDEX "Family_overdueAt_idx" ON "Family"("overdueAt");

