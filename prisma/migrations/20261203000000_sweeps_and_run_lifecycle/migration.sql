-- AlterEnum
ALTER TYPE "RunStatus" ADD VALUE 'STOPPED';

-- CreateEnum
CREATE TYPE "SweepStatus" AS ENUM ('RUNNING', 'PAUSED', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "Sweep" (
    "id" UUID NOT NULL,
    "name" TEXT,
    "status" "SweepStatus" NOT NULL DEFAULT 'RUNNING',
    "config" JSONB NOT NULL,
    "experimentId" UUID,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "trialsStarted" INTEGER NOT NULL DEFAULT 0,
    "bestRunId" UUID,
    "bestValue" DOUBLE PRECISION,
    "message" TEXT,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Sweep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SweepRung" (
    "sweepId" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "rung" INTEGER NOT NULL,
    "epoch" INTEGER NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "promoted" BOOLEAN NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SweepRung_pkey" PRIMARY KEY ("sweepId","rung","runId")
);

-- AlterTable
ALTER TABLE "Run" ADD COLUMN "sweepId" UUID,
ADD COLUMN "trialNumber" INTEGER,
ADD COLUMN "trial" JSONB,
ADD COLUMN "runGroup" TEXT,
ADD COLUMN "archivedAt" TIMESTAMPTZ(3),
ADD COLUMN "deletedAt" TIMESTAMPTZ(3),
ADD COLUMN "note" TEXT;

-- AlterTable
ALTER TABLE "Worker" ADD COLUMN "queueWorkerIds" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "Sweep_createdAt_id_idx" ON "Sweep"("createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "SweepRung_runId_idx" ON "SweepRung"("runId");

-- CreateIndex
CREATE UNIQUE INDEX "Run_sweepId_trialNumber_key" ON "Run"("sweepId", "trialNumber");

-- CreateIndex
CREATE INDEX "Run_runGroup_idx" ON "Run"("runGroup");

-- AddForeignKey
ALTER TABLE "Sweep" ADD CONSTRAINT "Sweep_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sweep" ADD CONSTRAINT "Sweep_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SweepRung" ADD CONSTRAINT "SweepRung_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SweepRung" ADD CONSTRAINT "SweepRung_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep"("id") ON DELETE SET NULL ON UPDATE CASCADE;
