import type { AppRouter } from "@hindcast/api";
import type { inferRouterOutputs } from "@trpc/server";

type Outputs = inferRouterOutputs<AppRouter>;
export type DatasetSummary = Outputs["datasets"]["list"][number];
export type UploadResult = Outputs["datasets"]["upload"];
