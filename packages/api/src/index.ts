import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root";

export { artifactStoreOf, provideArtifactStore } from "./artifacts";
export {
  bootstrapAdmin,
  createApiToken,
  hashPassword,
  hashToken,
  type Role,
  type SessionUser,
  userForToken,
  verifyPassword,
} from "./auth";
export { type ApiContext, createContext } from "./context";
export { type ApiMetrics, apiBasePath, createApiHandler } from "./http";
export { type AppRouter, appRouter, createCaller } from "./root";
export type { RetrodictionResults } from "./run-results";
export * from "./schemas";
export { type ApiServer, startApiServer } from "./server";
export { sessionCookieName } from "./session";

/** Every procedure's input and answer, for the web app and the CLI: `RouterOutputs["training"]["list"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
