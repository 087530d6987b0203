-- CreateTable
CREATE TABLE "ArtifactBlob" (
    "id" UUID NOT NULL,
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "sha256" TEXT,
    "chunkCount" INTEGER NOT NULL DEFAULT 0,
    "complete" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ArtifactBlob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ArtifactChunk" (
    "blobId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "ArtifactChunk_pkey" PRIMARY KEY ("blobId","seq")
);

-- CreateIndex
CREATE INDEX "ArtifactBlob_complete_createdAt_idx" ON "ArtifactBlob"("complete", "createdAt");

-- AddForeignKey
ALTER TABLE "ArtifactChunk" ADD CONSTRAINT "ArtifactChunk_blobId_fkey" FOREIGN KEY ("blobId") REFERENCES "ArtifactBlob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Checkpoints and weights do not compress: keep chunks out of line without trying (not expressible in schema.prisma).
ALTER TABLE "ArtifactChunk" ALTER COLUMN "data" SET STORAGE EXTERNAL;
