-- AlterTable
ALTER TABLE "Family" ADD COLUMN     "overdueAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Family_overdueAt_idx" ON "Family"("overdueAt");

