-- AlterTable
ALTER TABLE "KpiFact" ADD COLUMN     "municipality" TEXT;

-- Backfill (hand-written): every fact gets its family's municipality (which never changes); before
-- the index, so the index is built once.
UPDATE "KpiFact" SET "municipality" = (SELECT f."municipality" FROM "Family" f WHERE f."id" = "KpiFact"."familyId");

-- CreateIndex
CREATE INDEX "KpiFact_kind_at_municipality_value_idx" ON "KpiFact"("kind", "at", "municipality", "value");

