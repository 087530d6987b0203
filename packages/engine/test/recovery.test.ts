import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CancellationSource, CancelledError } from "../src/cancellation";
import { ManualClock } from "../src/memory-ports";
import {
  type AttemptInfo,
  classifyError,
  DivergenceError,
  InvalidInputError,
  OutOfMemoryError,
  RecoveryController,
  type RecoveryDecision,
  recoveryPolicySchema,
  runWithRecovery,
  TransientError,
} from "../src/recovery";

function coded(code: string): Error {
  return Object.assign(new Error(`failed with ${code}`), { code });
}

/** Lets pending promise callbacks run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

describe("classifyError", () => {
  it("classifies by class", () => {
    expect(classifyError(new CancelledError("stop"))).toBe("cancelled");
    expect(classifyError(new TransientError("flaky"))).toBe("transient");
    expect(classifyError(new DivergenceError("loss exploded", { epoch: 3 }))).toBe("divergence");
    expect(classifyError(new OutOfMemoryError("too big"))).toBe("out_of_memory");
    expect(classifyError(new InvalidInputError("column x is not numeric", "pick a numeric column", { path: "data.target" }))).toBe(
      "invalid_input",
    );
    expect(classifyError(new TypeError("x is undefined"))).toBe("bug");
  });

  it("classifies a ZodError and errors that lost their prototype by name", () => {
    const zodError = z.object({ a: z.number() }).safeParse({ a: "x" }).error;
    expect(classifyError(zodError)).toBe("invalid_input");
    expect(classifyError({ name: "TransientError", message: "from a worker" })).toBe("transient");
    expect(classifyError({ name: "CancelledError", message: "from a worker" })).toBe("cancelled");
  });

  it("treats Node socket codes and PostgreSQL SQLSTATEs for lost connections, conflicts and overload as transient", () => {
    for (const code of [
      "ECONNRESET",
      "ETIMEDOUT",
      "ECONNREFUSED",
      "EPIPE",
      "EAI_AGAIN",
      "57P01",
      "57P03",
      "08006",
      "08001",
      "40001",
      "40P01",
      "53300",
    ]) {
      expect(classifyError(coded(code)), code).toBe("transient");
    }
    expect(classifyError(coded("23505"))).toBe("bug");
    expect(classifyError(coded("ENOENT"))).toBe("bug");
  });

  it("recognises out-of-memory and divergence by message", () => {
    expect(classifyError(new Error("CUDA out of memory. Tried to allocate 2 GiB"))).toBe("out_of_memory");
    expect(classifyError(new Error("OOM when allocating tensor"))).toBe("out_of_memory");
    expect(classifyError(new Error("WebGL: failed to allocate texture"))).toBe("out_of_memory");
    expect(classifyError(new Error("Array buffer allocation failed"))).toBe("out_of_memory");
    expect(classifyError(new Error("loss is NaN at epoch 3"))).toBe("divergence");
    expect(classifyError(new Error("gradient is not finite"))).toBe("divergence");
    expect(classifyError(new Error("training diverged"))).toBe("divergence");
    expect(classifyError(new Error("zoom level missing in the room"))).toBe("bug");
    expect(classifyError("a thrown string mentioning NaN")).toBe("divergence");
  });

  it("looks through wrappers at their cause", () => {
    expect(classifyError(new Error("epoch 3 failed", { cause: coded("ECONNRESET") }))).toBe("transient");
    expect(classifyError(new Error("fetch failed", { cause: new Error("plain") }))).toBe("bug");
  });
});

describe("recoveryPolicySchema", () => {
  it("fills every class with the documented defaults", () => {
    const policy = recoveryPolicySchema.parse({});
    expect(policy.transient).toMatchObject({
      action: "retry",
      maxAttempts: 5,
      baseDelayMs: 500,
      factor: 2,
      maxDelayMs: 30_000,
      jitter: 0.2,
    });
    expect(policy.divergence).toMatchObject({ action: "rollback", maxAttempts: 3, lrScale: 0.5, baseDelayMs: 0 });
    expect([policy.out_of_memory.action, policy.invalid_input.action, policy.cancelled.action, policy.bug.action]).toEqual([
      "fail",
      "fail",
      "fail",
      "fail",
    ]);
  });

  it("merges partial overrides with the defaults and refuses to retry cancellations", () => {
    expect(recoveryPolicySchema.parse({ transient: { maxAttempts: 2 } }).transient).toMatchObject({ maxAttempts: 2, baseDelayMs: 500 });
    expect(recoveryPolicySchema.safeParse({ cancelled: { action: "retry" } }).success).toBe(false);
    expect(recoveryPolicySchema.safeParse({ transient: { jitter: 1.5 } }).success).toBe(false);
    expect(recoveryPolicySchema.safeParse({ transeint: {} }).success).toBe(false);
  });
});

describe("RecoveryController", () => {
  it("backs off exponentially up to the cap, with exact jitter from the injected random", () => {
    const randoms = [0, 1, 0.5, 0.25, 0.5];
    const policy = recoveryPolicySchema.parse({
      transient: { maxAttempts: 10, baseDelayMs: 1_000, factor: 3, maxDelayMs: 20_000, jitter: 0.5 },
    });
    const controller = new RecoveryController(policy, { random: () => randoms.shift() ?? 0.5 });
    const delays = [1, 2, 3, 4, 5].map(() => controller.decide(new TransientError("flaky")).delayMs);
    // base x factor^(n-1), capped: 1000, 3000, 9000, 20000, 20000; times (1 - 0.5 + random).
    expect(delays).toEqual([500, 4_500, 9_000, 15_000, 20_000]);
    expect(controller.decisions.map((decision) => decision.action)).toEqual(["retry", "retry", "retry", "retry", "retry"]);
  });

  it("uses the default transient backoff: 500 ms doubling, ±20 %", () => {
    const controller = new RecoveryController(undefined, { random: () => 0.5 });
    expect([1, 2, 3].map(() => controller.decide(coded("ECONNRESET")).delayMs)).toEqual([500, 1_000, 2_000]);
    const jittered = new RecoveryController(undefined, { random: () => 0 });
    expect(jittered.decide(coded("ECONNRESET")).delayMs).toBe(400);
  });

  it("rolls divergence back twice with a compounding learning-rate scale, then fails on the third", () => {
    const controller = new RecoveryController(recoveryPolicySchema.parse({}));
    const divergence = () => new DivergenceError("loss is NaN at epoch 3 batch 12");
    const first = controller.decide(divergence());
    const second = controller.decide(divergence());
    const third = controller.decide(divergence());

    expect([first.action, second.action, third.action]).toEqual(["rollback", "rollback", "fail"]);
    expect([first.lrScale, second.lrScale]).toEqual([0.5, 0.25]);
    expect([first.attempt, second.attempt, third.attempt]).toEqual([1, 2, 3]);
    expect(first.delayMs).toBe(0);
    expect(first.reason).toBe(
      "divergence (loss is NaN at epoch 3 batch 12): rolling back to the last checkpoint with learning rate x0.5 (attempt 2 of 3)",
    );
    expect(second.reason).toMatch(/learning rate x0\.25 \(attempt 3 of 3\)$/);
    expect(third.reason).toBe("divergence (loss is NaN at epoch 3 batch 12): giving up after 3 attempts");
  });

  it("counts attempts per class and keeps the scaled learning rate on a later retry", () => {
    const controller = new RecoveryController(recoveryPolicySchema.parse({}), { random: () => 0.5 });
    controller.decide(new DivergenceError("NaN"));
    const retry = controller.decide(new TransientError("connection reset"));
    expect(retry).toMatchObject({ errorClass: "transient", action: "retry", attempt: 2, lrScale: 0.5, delayMs: 500 });
    expect(retry.reason).toBe("transient (connection reset): retrying from the last checkpoint in 500 ms (attempt 2 of 5)");
    expect(controller.decide(new DivergenceError("NaN")).action).toBe("rollback");
  });

  it("never retries the classes whose policy is fail", () => {
    const controller = new RecoveryController(recoveryPolicySchema.parse({}));
    for (const error of [
      new OutOfMemoryError("OOM"),
      new InvalidInputError("bad", "fix it"),
      new CancelledError("user"),
      new TypeError("oops"),
    ]) {
      expect(controller.decide(error)).toMatchObject({ action: "fail", delayMs: 0, lrScale: 1 });
    }
    expect(controller.decisions.at(-1)?.reason).toBe("bug (oops): not retried");
  });

  it("explains a ZodError by its first issue rather than its JSON message", () => {
    const zodError = z.object({ window: z.number(), horizon: z.number() }).safeParse({ window: "x" }).error;
    const decision = new RecoveryController().decide(zodError);
    expect(decision.reason).toBe("invalid input (window: Invalid input: expected number, received string (and 1 more)): not retried");
  });
});

describe("runWithRecovery", () => {
  it("retries a transient error after the backoff on the clock, resuming from the checkpoint, then succeeds", async () => {
    const clock = new ManualClock();
    const attempts: AttemptInfo[] = [];
    const decisions: RecoveryDecision[] = [];
    const result = runWithRecovery(
      async (attempt) => {
        attempts.push(attempt);
        if (attempt.number === 1) throw coded("ECONNRESET");
        return "trained";
      },
      new RecoveryController(recoveryPolicySchema.parse({}), { random: () => 0.5 }),
      { clock, onDecision: (decision) => void decisions.push(decision) },
    );
    await settle();
    expect(attempts).toHaveLength(1);
    expect(clock.pendingSleeps).toBe(1);
    clock.advance(499);
    await settle();
    expect(attempts).toHaveLength(1);
    clock.advance(1);

    await expect(result).resolves.toBe("trained");
    expect(attempts).toEqual([
      { number: 1, lrScale: 1, resume: "fresh" },
      { number: 2, lrScale: 1, resume: "checkpoint" },
    ]);
    expect(decisions.map((decision) => decision.action)).toEqual(["retry"]);
  });

  it("passes the scaled learning rate after a rollback and rethrows with the decision attached when it gives up", async () => {
    const attempts: AttemptInfo[] = [];
    const failure = runWithRecovery(
      async (attempt) => {
        attempts.push(attempt);
        throw new DivergenceError("loss is NaN");
      },
      new RecoveryController(recoveryPolicySchema.parse({})),
      { clock: new ManualClock() },
    );
    const error = await failure.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as { recovery: RecoveryDecision }).recovery).toMatchObject({ action: "fail", attempt: 3 });
    expect(attempts.map((attempt) => [attempt.lrScale, attempt.resume])).toEqual([
      [1, "fresh"],
      [0.5, "checkpoint"],
      [0.25, "checkpoint"],
    ]);
  });

  it("is cancellable during the backoff sleep", async () => {
    const clock = new ManualClock();
    const source = new CancellationSource();
    let calls = 0;
    const run = runWithRecovery(
      async () => {
        calls++;
        throw new TransientError("flaky");
      },
      new RecoveryController(recoveryPolicySchema.parse({})),
      { clock, token: source.token },
    );
    await settle();
    expect(clock.pendingSleeps).toBe(1);
    source.cancel("user stopped the run");
    await expect(run).rejects.toMatchObject({ name: "CancelledError", reason: "user stopped the run" });
    clock.advance(60_000);
    await settle();
    expect(calls).toBe(1);
  });
});
