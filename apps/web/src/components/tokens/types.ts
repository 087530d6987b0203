import type { AppRouter } from "@hindcast/api";
import type { inferRouterOutputs } from "@trpc/server";

type Outputs = inferRouterOutputs<AppRouter>;
export type ApiToken = Outputs["users"]["tokens"][number];
export type UserRow = Outputs["users"]["list"][number];
export const roles = ["VIEWER", "OPERATOR", "ADMIN"] as const satisfies readonly UserRow["role"][];
