-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "familyId" TEXT,
ADD COLUMN     "memberAlias" TEXT,
ADD COLUMN     "memberId" TEXT,
ALTER COLUMN "userId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "MemberAccessCode" (
    "id" TEXT NOT NULL,
    "familyId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "MemberAccessCode_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "MemberAccessCode_codeHash_key" ON "MemberAccessCode"("codeHash");

-- CreateIndex
CREATE INDEX "MemberAccessCode_familyId_memberId_idx" ON "MemberAccessCode"("familyId", "memberId");

-- CreateIndex
CREATE INDEX "Session_familyId_memberId_idx" ON "Session"("familyId", "memberId");

-- AddForeignKey
ALTER TABLE "MemberAccessCode" ADD CONSTRAINT "MemberAccessCode_familyId_fkey" FOREIGN KEY ("familyId") REFERENCES "Family"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

