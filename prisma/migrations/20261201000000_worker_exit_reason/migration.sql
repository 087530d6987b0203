-- AlterTable
ALTER TABLE "Worker" ADD COLUMN "exitReason" TEXT;
