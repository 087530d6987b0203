import {
  archiveRuns,
  cancelRuns,
  markRunsDeleted,
  previewDelete,
  type RunFilters,
  type RunSelection,
  restoreRuns,
  setRunNote,
  tagRuns,
} from "@hindcast/db";
import { runNoteInput, runSelectionInput, tagRunsInput } from "../schemas";
import { adminProcedure, operatorProcedure, router } from "../trpc";

/** The runs an input checked by runSelectionInput names: its ids, else its filter (it has exactly one). */
const selectionOf = ({ ids, filter }: { ids?: string[]; filter?: RunFilters }): RunSelection =>
  ids ? { ids } : { filter: filter as RunFilters };

/**
 * Keeping the runs tidy: archive and restore, cancel, tags and notes (operators),
 * deletion (admins). Each bulk action takes run ids or a runs list's filter and
 * answers how many runs it changed.
 */
export const lifecycleRouter = router({
  archive: operatorProcedure.input(runSelectionInput).mutation(({ ctx, input }) => archiveRuns(ctx.pool, selectionOf(input))),

  restore: operatorProcedure.input(runSelectionInput).mutation(({ ctx, input }) => restoreRuns(ctx.pool, selectionOf(input))),

  /** Cancels the queued and running runs of the selection (and their children). */
  cancel: operatorProcedure
    .input(runSelectionInput)
    .mutation(({ ctx, input }) => cancelRuns(ctx.pool, selectionOf(input), `cancelled by ${ctx.user.email}`)),

  tag: operatorProcedure.input(tagRunsInput).mutation(({ ctx, input }) => tagRuns(ctx.pool, selectionOf(input), input)),

  setNote: operatorProcedure.input(runNoteInput).mutation(({ ctx, input }) => setRunNote(ctx.pool, input.id, input.note)),

  /** What deleting the selection would free: runs (with their child runs), metric points, log lines, artifacts and their bytes. */
  deletePreview: adminProcedure.input(runSelectionInput).query(({ ctx, input }) => previewDelete(ctx.pool, selectionOf(input))),

  /**
   * Deletes the selection with its child runs: hidden at once everywhere, then
   * purged with their data and artifact bytes by a worker. 409 while any is still active.
   */
  delete: adminProcedure.input(runSelectionInput).mutation(({ ctx, input }) => markRunsDeleted(ctx.pool, selectionOf(input))),
});
