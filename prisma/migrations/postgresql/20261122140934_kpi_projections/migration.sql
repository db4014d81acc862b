-- AlterTable
ALTER TABLE "Family" ADD COLUMN     "kpiState" TEXT,
ADD COLUMN     "monitorDueAt" TIMESTAMP(3),
ADD COLUMN     "monitoring" TEXT,
ADD COLUMN     "projectionVersion" INTEGER,
ADD COLUMN     "waitingSince" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "KpiFact" (
    "id" SERIAL NOT NULL,
    "familyId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "value" DOUBLE PRECISION,

    CONSTRAINT "KpiFact_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "KpiFact" ADD CONSTRAINT "KpiFact_familyId_fkey" FOREIGN KEY ("familyId") REFERENCES "Family"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

