-- CreateIndex
CREATE UNIQUE INDEX "Family_region_reference_key" ON "Family"("region", "reference");

