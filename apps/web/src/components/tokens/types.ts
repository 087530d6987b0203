import type { RouterOutputs } from "@hindcast/api";

export type ApiToken = RouterOutputs["users"]["tokens"][number];
export type UserRow = RouterOutputs["users"]["list"][number];
export const roles = ["VIEWER", "OPERATOR", "ADMIN"] as const satisfies readonly UserRow["role"][];
