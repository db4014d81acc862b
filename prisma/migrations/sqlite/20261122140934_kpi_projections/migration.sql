-- AlterTable
ALTER TABLE "Family" ADD COLUMN "kpiState" TEXT;
ALTER TABLE "Family" ADD COLUMN "monitorDueAt" DATETIME;
ALTER TABLE "Family" ADD COLUMN "monitoring" TEXT;
ALTER TABLE "Family" ADD COLUMN "projectionVersion" INTEGER;
ALTER TABLE "Family" ADD COLUMN "waitingSince" DATETIME;

-- CreateTable
CREATE TABLE "KpiFact" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "familyId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "value" REAL,
    CONSTRAINT "KpiFact_familyId_fkey" FOREIGN KEY ("familyId") REFERENCES "Family" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "KpiFact_kind_at_value_idx" ON "KpiFact"("kind", "at", "value");

-- CreateIndex
CREATE INDEX "KpiFact_kind_value_at_idx" ON "KpiFact"("kind", "value", "at");

-- CreateIndex
CREATE UNIQUE INDEX "KpiFact_familyId_seq_kind_key" ON "KpiFact"("familyId", "seq", "kind");

-- CreateIndex
CREATE INDEX "Family_projectionVersion_idx" ON "Family"("projectionVersion");

-- CreateIndex
CREATE INDEX "Family_monitoring_list_idx" ON "Family"("oversight", "monitorDueAt", "reference", "id", "region", "directorId", "pendingDirectorId");

