-- AlterTable
ALTER TABLE "Worker" ADD COLUMN "load" JSONB;
