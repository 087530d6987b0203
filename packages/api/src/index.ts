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
export type { RetrodictionResults } from "./routers/runs.js";
export type { MetricStats, RunSummaryRow } from "./run-list.js";
export * from "./schemas.js";
export { type ApiServer, startApiServer } from "./server.js";
export { sessionCookieName } from "./session.js";
