-- CreateIndex
CREATE INDEX "KpiFact_kind_municipality_at_value_familyId_idx" ON "KpiFact"("kind", "municipality", "at", "value", "familyId");

