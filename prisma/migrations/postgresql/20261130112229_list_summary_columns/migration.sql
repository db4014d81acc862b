-- AlterTable
ALTER TABLE "Family" ADD COLUMN     "nextDueKind" TEXT,
ADD COLUMN     "overdueKind" TEXT,
ADD COLUMN     "planDisagreement" BOOLEAN NOT NULL DEFAULT false;

