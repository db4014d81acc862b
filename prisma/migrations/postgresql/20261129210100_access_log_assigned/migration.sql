-- AlterTable
ALTER TABLE "AccessLog" ADD COLUMN     "assigned" BOOLEAN;

-- CreateIndex
CREATE INDEX "AccessLog_assigned_at_idx" ON "AccessLog"("assigned", "at");


-- Backfill (hand-written): the rows already in the log get the condition server/db/accessLog.ts keeps.
UPDATE "AccessLog" SET "assigned" = (
  EXISTS (SELECT 1 FROM "Family" f2 WHERE f2."id" = "AccessLog"."familyId"
    AND (f2."directorId" = "AccessLog"."userId" OR f2."pendingDirectorId" = "AccessLog"."userId"
      OR EXISTS (SELECT 1 FROM "User" u2 WHERE u2."id" = "AccessLog"."userId" AND u2."region" = f2."region"
        AND (',' || u2."roles" || ',') LIKE '%,vt,%')))
  OR EXISTS (SELECT 1 FROM "Event" e WHERE e."familyId" = "AccessLog"."familyId"
    AND (e."actorId" = "AccessLog"."userId" OR e."named" LIKE '{"id":"' || "AccessLog"."userId" || '",%'))
) WHERE "familyId" IS NOT NULL AND "userId" IS NOT NULL;
