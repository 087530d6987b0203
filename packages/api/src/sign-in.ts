import { randomBytes } from "node:crypto";
import { UserFacingError } from "@hindcast/contracts";
import { recordLogin, sessionTokenName, userForLogin } from "@hindcast/db";
import { TRPCError } from "@trpc/server";
import { createApiToken, hashPassword, verifyPassword } from "./auth";
import type { ApiContext } from "./context";
import { LoginThrottledError } from "./login-throttle";
import { sessionMaxAgeSeconds } from "./session";
import { crossSiteError } from "./trpc";

let unknownUserHashPromise: Promise<string> | undefined;
/** A hash no password matches by chance, made once, to check unknown emails against. */
const unknownUserHash = () => (unknownUserHashPromise ??= hashPassword(randomBytes(32).toString("hex")));

export interface SignInRequest {
  email: string;
  password: string;
  /** What to call the API token made for this machine. */
  tokenName: string;
  /** A browser session (an HttpOnly cookie) rather than a token. */
  session: boolean;
}

/**
 * Email + password, throttled per account and per client address. With
 * `session` (the dashboard) the answer sets an HttpOnly session cookie;
 * otherwise it returns a new API token for this machine (`hindcast login`).
 */
export async function signIn(ctx: ApiContext, request: SignInRequest) {
  const email = request.email.toLowerCase();
  if (request.session && ctx.sameOrigin === false) throw crossSiteError();
  const address = ctx.clientAddress ?? "in-process";
  const wait = ctx.loginThrottle?.attempt(email, address) ?? 0;
  if (wait > 0) throw new LoginThrottledError(wait);
  const user = await userForLogin(ctx.pool, email);
  // An unknown email costs the same scrypt as a known one, so timing does not tell which emails exist.
  const matches = await verifyPassword(request.password, user?.passwordHash ?? (await unknownUserHash()));
  if (!user?.passwordHash || user.disabled || !matches) throw new TRPCError({ code: "UNAUTHORIZED", message: "Wrong email or password" });
  ctx.loginThrottle?.succeeded(email, address);
  await recordLogin(ctx.pool, user.id);
  if (request.session) {
    if (!ctx.setSessionCookie)
      throw new UserFacingError("Sessions need an HTTP request", "leave session unset to get a token", { path: "session" });
    const { token } = await createApiToken(ctx.pool, user.id, sessionTokenName, new Date(Date.now() + sessionMaxAgeSeconds * 1000));
    ctx.setSessionCookie(token);
    return { token: null, email, role: user.role };
  }
  const { token } = await createApiToken(ctx.pool, user.id, request.tokenName);
  return { token, email, role: user.role };
}
