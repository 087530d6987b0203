-- Counts of runs the runs page's summary reads instead of counting a million
-- rows: how many runs there are by status, top level or not, archived or not,
-- and with or without a result that beats the naive forecast or the best
-- baseline. Kept by the database itself, in the same transaction as every
-- change of "Run" (whoever makes it), as rows of signed changes that are
-- summed when read (packages/db/src/read/run-counts.ts, which also folds them
-- together now and then). Appending, not updating one row per key, lets
-- concurrent transactions change counts without waiting on each other.
-- Derived data, not a model: it lives outside the schema Prisma describes.
CREATE SCHEMA "derived";

CREATE TABLE "derived"."run_counts" (
    "status" "RunStatus" NOT NULL,
    "top" BOOLEAN NOT NULL,
    "archived" BOOLEAN NOT NULL,
    "scored" BOOLEAN NOT NULL,
    "beatNaive" BOOLEAN NOT NULL,
    "judged" BOOLEAN NOT NULL,
    "beatBest" BOOLEAN NOT NULL,
    "runs" BIGINT NOT NULL
);

-- What a run counts as; runs being deleted count as none. The two result
-- paths are those of the metric catalog's skill_vs_naive and of
-- verdict.beatsAll, read as countRuns reads them.
CREATE FUNCTION "derived"."run_count_key"(r "Run",
    OUT "status" "RunStatus", OUT "top" BOOLEAN, OUT "archived" BOOLEAN, OUT "scored" BOOLEAN,
    OUT "beatNaive" BOOLEAN, OUT "judged" BOOLEAN, OUT "beatBest" BOOLEAN)
LANGUAGE sql IMMUTABLE AS $$
  SELECT r."status", r."parentId" IS NULL, r."archivedAt" IS NOT NULL,
         coalesce(jsonb_typeof(r."resultSummary" #> '{overall,skill,rmseVsNaive}') = 'number', false),
         coalesce(jsonb_typeof(r."resultSummary" #> '{overall,skill,rmseVsNaive}') = 'number'
                  AND (r."resultSummary" #>> '{overall,skill,rmseVsNaive}')::float8 > 0, false),
         coalesce(jsonb_typeof(r."resultSummary" #> '{verdict,beatsAll}') = 'boolean', false),
         coalesce(jsonb_typeof(r."resultSummary" #> '{verdict,beatsAll}') = 'boolean'
                  AND (r."resultSummary" #>> '{verdict,beatsAll}')::boolean, false)
$$;

CREATE FUNCTION "derived"."count_inserted_runs"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "derived"."run_counts"
  SELECT k.*, count(*) FROM new_runs r, "derived"."run_count_key"(r) k WHERE r."deletedAt" IS NULL
   GROUP BY 1, 2, 3, 4, 5, 6, 7;
  RETURN NULL;
END $$;

CREATE FUNCTION "derived"."count_updated_runs"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "derived"."run_counts"
  SELECT d."status", d."top", d."archived", d."scored", d."beatNaive", d."judged", d."beatBest", sum(d.n) FROM (
    SELECT k.*, 1 AS n FROM new_runs r, "derived"."run_count_key"(r) k WHERE r."deletedAt" IS NULL
    UNION ALL SELECT k.*, -1 FROM old_runs r, "derived"."run_count_key"(r) k WHERE r."deletedAt" IS NULL
  ) d
   GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d.n) <> 0;
  RETURN NULL;
END $$;

CREATE FUNCTION "derived"."count_deleted_runs"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "derived"."run_counts"
  SELECT k.*, -count(*) FROM old_runs r, "derived"."run_count_key"(r) k WHERE r."deletedAt" IS NULL
   GROUP BY 1, 2, 3, 4, 5, 6, 7;
  RETURN NULL;
END $$;

CREATE FUNCTION "derived"."count_truncated_runs"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE "derived"."run_counts";
  RETURN NULL;
END $$;

-- No run changes between the first count and the triggers.
LOCK TABLE "Run" IN SHARE ROW EXCLUSIVE MODE;

CREATE TRIGGER "Run_count_inserted" AFTER INSERT ON "Run" REFERENCING NEW TABLE AS new_runs
  FOR EACH STATEMENT EXECUTE FUNCTION "derived"."count_inserted_runs"();
CREATE TRIGGER "Run_count_updated" AFTER UPDATE ON "Run" REFERENCING OLD TABLE AS old_runs NEW TABLE AS new_runs
  FOR EACH STATEMENT EXECUTE FUNCTION "derived"."count_updated_runs"();
CREATE TRIGGER "Run_count_deleted" AFTER DELETE ON "Run" REFERENCING OLD TABLE AS old_runs
  FOR EACH STATEMENT EXECUTE FUNCTION "derived"."count_deleted_runs"();
CREATE TRIGGER "Run_count_truncated" AFTER TRUNCATE ON "Run"
  FOR EACH STATEMENT EXECUTE FUNCTION "derived"."count_truncated_runs"();

INSERT INTO "derived"."run_counts"
SELECT k.*, count(*) FROM "Run" r, "derived"."run_count_key"(r) k WHERE r."deletedAt" IS NULL
 GROUP BY 1, 2, 3, 4, 5, 6, 7;
