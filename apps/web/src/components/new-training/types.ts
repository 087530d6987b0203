import type { RouterOutputs } from "@hindcast/api";

export type DatasetSummary = RouterOutputs["datasets"]["list"][number];
