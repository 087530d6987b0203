import { TRPCError } from "@trpc/server";

/** The TRPCError a call was rejected with (its cause a user error's path and fix); fails when the call succeeds or throws anything else. */
export async function rejection(promise: Promise<unknown>): Promise<TRPCError & { cause?: { path?: string; fix?: string } }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the call to be rejected");
}
