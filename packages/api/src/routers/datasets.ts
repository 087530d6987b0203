import { builtinDatasets } from "@hindcast/datasets";
import { router, viewerProcedure } from "../trpc.js";

export const datasetsRouter = router({
  list: viewerProcedure.query(() => builtinDatasets),
});
