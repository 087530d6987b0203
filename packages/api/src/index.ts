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
export { type AppRouter, appRouter, createCaller } from "./root.js";
export * from "./schemas.js";
export { type ApiServer, apiBasePath, startApiServer } from "./server.js";
