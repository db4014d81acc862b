-- AlterTable (written by hand: Prisma's diff redefines the table, which would copy every family's
-- snapshot; adding the columns is enough, SQLite allows a NOT NULL column with a constant default)
ALTER TABLE "Family" ADD COLUMN "overdueKind" TEXT;
ALTER TABLE "Family" ADD COLUMN "planDisagreement" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Family" ADD COLUMN "nextDueKind" TEXT;
