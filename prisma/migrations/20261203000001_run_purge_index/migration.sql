-- CreateIndex
-- The purge finds runs marked deleted (oldest mark first) without reading every run.
CREATE INDEX "Run_deletedAt_id_idx" ON "Run"("deletedAt", "id");
