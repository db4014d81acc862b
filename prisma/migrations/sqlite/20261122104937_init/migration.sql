-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "roles" TEXT NOT NULL,
    "region" TEXT,
    "passwordHash" TEXT NOT NULL,
    "disabledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LoginFailure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Family" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reference" TEXT NOT NULL,
    "municipality" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "machineVersion" INTEGER NOT NULL,
    "snapshot" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "oversight" TEXT NOT NULL,
    "escalation" TEXT NOT NULL,
    "directorId" TEXT,
    "pendingDirectorId" TEXT,
    "acute" BOOLEAN NOT NULL DEFAULT false,
    "reportedAt" DATETIME NOT NULL,
    "nextDueAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "closedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Event" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "familyId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "reason" TEXT,
    "actorId" TEXT NOT NULL,
    "actorRole" TEXT NOT NULL,
    "named" TEXT,
    "recordedAt" DATETIME NOT NULL,
    "occurredAt" DATETIME,
    "machineVersion" INTEGER NOT NULL,
    "stateAfter" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    CONSTRAINT "Event_familyId_fkey" FOREIGN KEY ("familyId") REFERENCES "Family" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Timer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "familyId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "claimedBy" TEXT,
    "claimedAt" DATETIME,
    "firedAt" DATETIME,
    "firedSeq" INTEGER,
    CONSTRAINT "Timer_familyId_fkey" FOREIGN KEY ("familyId") REFERENCES "Family" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AccessLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "userId" TEXT,
    "username" TEXT,
    "role" TEXT,
    "familyId" TEXT,
    "action" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "ip" TEXT
);

-- CreateTable
CREATE TABLE "Norm" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedBy" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "LoginFailure_scope_key_at_idx" ON "LoginFailure"("scope", "key", "at");

-- CreateIndex
CREATE INDEX "Family_phase_idx" ON "Family"("phase");

-- CreateIndex
CREATE INDEX "Family_municipality_phase_idx" ON "Family"("municipality", "phase");

-- CreateIndex
CREATE INDEX "Family_directorId_idx" ON "Family"("directorId");

-- CreateIndex
CREATE INDEX "Family_pendingDirectorId_idx" ON "Family"("pendingDirectorId");

-- CreateIndex
CREATE INDEX "Family_oversight_nextDueAt_idx" ON "Family"("oversight", "nextDueAt");

-- CreateIndex
CREATE INDEX "Family_region_phase_idx" ON "Family"("region", "phase");

-- CreateIndex
CREATE INDEX "Family_reference_idx" ON "Family"("reference");

-- CreateIndex
CREATE INDEX "Event_type_recordedAt_idx" ON "Event"("type", "recordedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Event_familyId_seq_key" ON "Event"("familyId", "seq");

-- CreateIndex
CREATE INDEX "Timer_status_dueAt_idx" ON "Timer"("status", "dueAt");

-- CreateIndex
CREATE INDEX "Timer_familyId_status_idx" ON "Timer"("familyId", "status");

-- CreateIndex
CREATE INDEX "AccessLog_familyId_at_idx" ON "AccessLog"("familyId", "at");

-- CreateIndex
CREATE INDEX "AccessLog_userId_at_idx" ON "AccessLog"("userId", "at");

-- CreateIndex
CREATE INDEX "AccessLog_at_idx" ON "AccessLog"("at");

