-- DropIndex
DROP INDEX "Family_monitoring_list_idx";

-- AlterTable
ALTER TABLE "Family" ADD COLUMN "monitorRank" INTEGER;
ALTER TABLE "Family" ADD COLUMN "urgency" TEXT;

-- CreateIndex
CREATE INDEX "Family_monitoring_list_idx" ON "Family"("monitorRank", "monitorDueAt", "reference", "id", "region", "directorId", "pendingDirectorId");

