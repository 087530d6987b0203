import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.js";

export {
  bootstrapAdmin,
  createApiToken,
  hashPassword,
  hashToken,
  type Role,
  type SessionUser,
  userForToken,
  verifyPassword,
} from "./auth.js";
export { type ApiContext, createContext } from "./context.js";
export { apiBasePath, createApiHandler } from "./http.js";
export { type AppRouter, appRouter, createCaller } from "./root.js";
export type { RetrodictionResults } from "./run-results.js";
export * from "./schemas.js";
export { type ApiServer, startApiServer } from "./server.js";
export { sessionCookieName } from "./session.js";

/** Every procedure's input and answer, for the web app and the CLI: `RouterOutputs["training"]["list"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
