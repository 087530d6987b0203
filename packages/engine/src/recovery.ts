import { issueLine, issuePath, isUserFacingError, UserFacingError } from "@hindcast/contracts";
import { z } from "zod";
import { CancellationToken, CancelledError } from "./cancellation";
import { type Clock, systemClock } from "./ports";

export type ErrorClass = "transient" | "divergence" | "out_of_memory" | "invalid_input" | "cancelled" | "bug";

export class TransientError extends Error {
  override readonly name: string = "TransientError";
}

export class DivergenceError extends Error {
  override readonly name: string = "DivergenceError";

  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export class OutOfMemoryError extends Error {
  override readonly name: string = "OutOfMemoryError";
}

/** Data or a spec the user must change; `path` is the spec field ("data.target"). Never retried. */
export class InvalidInputError extends UserFacingError {
  override readonly name: string = "InvalidInputError";
}

const byClass: [new (...args: never[]) => Error, ErrorClass][] = [
  [CancelledError, "cancelled"],
  [TransientError, "transient"],
  [DivergenceError, "divergence"],
  [OutOfMemoryError, "out_of_memory"],
  [InvalidInputError, "invalid_input"],
];

// Errors that crossed a realm (a Web Worker message, a second copy of this package) keep their name, not their prototype.
const byName: Record<string, ErrorClass> = {
  CancelledError: "cancelled",
  AbortError: "cancelled",
  TransientError: "transient",
  DivergenceError: "divergence",
  OutOfMemoryError: "out_of_memory",
  InvalidInputError: "invalid_input",
  ZodError: "invalid_input",
};

/** Node socket and DNS errors, and PostgreSQL SQLSTATEs for shutdown, lost connections, serialization failures, deadlocks and too many connections. */
const transientCodes = new Set([
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
]);
const outOfMemoryMessage = /out of memory|\bOOM\b|failed to allocate|allocation failed/i;
const divergenceMessage = /\bNaN\b|not finite|diverg/i;
const maxCauseDepth = 5;

export function classifyError(error: unknown): ErrorClass {
  let current = error;
  for (let depth = 0; depth <= maxCauseDepth; depth++) {
    const errorClass = classifyOne(current);
    // A wrapper ("epoch 3 failed", { cause }) is only as telling as what it wraps.
    if (errorClass !== "bug" || !isObject(current) || current.cause === undefined) return errorClass;
    current = current.cause;
  }
  return "bug";
}

function classifyOne(error: unknown): ErrorClass {
  for (const [type, errorClass] of byClass) if (error instanceof type) return errorClass;
  const named = byName[errorName(error)];
  if (named) return named;
  if (isObject(error) && typeof error.code === "string" && transientCodes.has(error.code)) return "transient";
  const message = errorMessage(error);
  if (outOfMemoryMessage.test(message)) return "out_of_memory";
  if (divergenceMessage.test(message)) return "divergence";
  return "bug";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** One line for a run's failure; a user error names its spec field, since a run page has no field to put it beside. */
export function errorMessage(error: unknown): string {
  if (isUserFacingError(error)) return issueLine({ path: error.path ?? "", message: error.toLine() });
  if (isObject(error) && typeof error.message === "string") return error.message;
  return String(error);
}

export function errorName(error: unknown): string {
  if (isObject(error) && typeof error.name === "string") return error.name;
  return typeof error;
}

const actions = ["retry", "rollback", "fail"] as const;
type Action = (typeof actions)[number];

const baseDefaults = { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 30_000, factor: 2, jitter: 0, lrScale: 1 };

function classPolicySchema<const A extends readonly [Action, ...Action[]]>(
  allowed: A,
  defaults: { action: A[number] } & Partial<typeof baseDefaults>,
) {
  const d = { ...baseDefaults, ...defaults };
  return z
    .strictObject({
      action: z.enum(allowed).default(d.action),
      /** Attempts in all, the first included, that may end in this class of error. */
      maxAttempts: z.number().int().min(1).default(d.maxAttempts),
      baseDelayMs: z.number().min(0).default(d.baseDelayMs),
      maxDelayMs: z.number().min(0).default(d.maxDelayMs),
      factor: z.number().min(1).default(d.factor),
      jitter: z.number().min(0).max(1).default(d.jitter),
      /** Learning-rate multiplier applied on each rollback; compounds. */
      lrScale: z.number().gt(0).max(1).default(d.lrScale),
    })
    .prefault({});
}

export const recoveryPolicySchema = z
  .strictObject({
    transient: classPolicySchema(actions, { action: "retry", maxAttempts: 5, baseDelayMs: 500, jitter: 0.2 }),
    divergence: classPolicySchema(actions, { action: "rollback", lrScale: 0.5 }),
    out_of_memory: classPolicySchema(actions, { action: "fail" }),
    invalid_input: classPolicySchema(actions, { action: "fail" }),
    cancelled: classPolicySchema(["fail"], { action: "fail" }),
    bug: classPolicySchema(actions, { action: "fail" }),
  })
  .prefault({});

export type RecoveryPolicy = z.infer<typeof recoveryPolicySchema>;
type ClassPolicy = RecoveryPolicy[ErrorClass];

export interface RecoveryDecision {
  errorClass: ErrorClass;
  action: Action;
  /** The attempt that failed, 1-based, counted over all classes. */
  attempt: number;
  delayMs: number;
  /** Cumulative learning-rate multiplier for the next attempt; 1 when unchanged. */
  lrScale: number;
  /** One line for humans. */
  reason: string;
}

/**
 * Decides what to do about each failed attempt. Attempts are budgeted per error class:
 * a class may end at most `maxAttempts` attempts before its action becomes "fail".
 */
export class RecoveryController {
  readonly #policy: RecoveryPolicy;
  readonly #random: () => number;
  readonly #failures = new Map<ErrorClass, number>();
  readonly #decisions: RecoveryDecision[] = [];
  #lrScale = 1;

  constructor(policy: RecoveryPolicy = recoveryPolicySchema.parse({}), options: { random?: () => number } = {}) {
    this.#policy = policy;
    this.#random = options.random ?? Math.random;
  }

  get decisions(): readonly RecoveryDecision[] {
    return this.#decisions;
  }

  decide(error: unknown): RecoveryDecision {
    const errorClass = classifyError(error);
    const policy = this.#policy[errorClass];
    const failures = (this.#failures.get(errorClass) ?? 0) + 1;
    this.#failures.set(errorClass, failures);
    const subject = `${errorClass.replaceAll("_", " ")} (${summarize(error)})`;
    const decision = { errorClass, attempt: this.#decisions.length + 1 };

    if (policy.action === "fail" || failures >= policy.maxAttempts) {
      const why = policy.action === "fail" ? "not retried" : `giving up after ${failures} attempts`;
      return this.#record({ ...decision, action: "fail", delayMs: 0, lrScale: this.#lrScale, reason: `${subject}: ${why}` });
    }
    const delayMs = this.#backoff(policy, failures);
    const wait = delayMs > 0 ? ` in ${formatDelay(delayMs)}` : "";
    const of = `(attempt ${failures + 1} of ${policy.maxAttempts})`;
    if (policy.action === "retry") {
      return this.#record({
        ...decision,
        action: "retry",
        delayMs,
        lrScale: this.#lrScale,
        reason: `${subject}: retrying from the last checkpoint${wait} ${of}`,
      });
    }
    this.#lrScale *= policy.lrScale;
    const rate = this.#lrScale === 1 ? "" : ` with learning rate x${Number(this.#lrScale.toPrecision(3))}`;
    return this.#record({
      ...decision,
      action: "rollback",
      delayMs,
      lrScale: this.#lrScale,
      reason: `${subject}: rolling back to the last checkpoint${rate}${wait} ${of}`,
    });
  }

  /**
   * Exponential backoff with symmetric jitter, n being this class's failures so far (1 before the first retry):
   *   delay = round(min(maxDelayMs, baseDelayMs * factor^(n-1)) * (1 - jitter + 2 * jitter * random()))
   * so with random() uniform in [0, 1) the delay is spread uniformly over ±jitter around the capped exponential.
   */
  #backoff(policy: ClassPolicy, failures: number): number {
    const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** (failures - 1));
    return Math.round(capped * (1 - policy.jitter + 2 * policy.jitter * this.#random()));
  }

  #record(decision: RecoveryDecision): RecoveryDecision {
    this.#decisions.push(decision);
    return decision;
  }
}

function summarize(error: unknown): string {
  const line = firstZodIssue(error) ?? (errorMessage(error).split("\n", 1)[0]?.trim() || errorName(error));
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** A ZodError's message is its issues as multi-line JSON; the first issue reads better. */
function firstZodIssue(error: unknown): string | undefined {
  if (errorName(error) !== "ZodError" || !isObject(error) || !Array.isArray(error.issues)) return undefined;
  const issues = error.issues as z.core.$ZodIssue[];
  const [first] = issues;
  if (!first) return undefined;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return `${issueLine({ path: issuePath(first.path), message: first.message })}${more}`;
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

export interface AttemptInfo {
  /** 1-based, over all attempts. */
  number: number;
  lrScale: number;
  /** "fresh" for the first attempt; every later one resumes from the last checkpoint, if any. */
  resume: "fresh" | "checkpoint";
}

/**
 * Runs `attemptFn` until it succeeds or the controller says "fail"; then the original error is
 * rethrown with the decision attached as `error.recovery`. A cancellation is rethrown as it is,
 * without a decision. Backoff sleeps are cancellable.
 */
export async function runWithRecovery<T>(
  attemptFn: (attempt: AttemptInfo) => Promise<T>,
  controller: RecoveryController,
  options: { clock?: Clock; token?: CancellationToken; onDecision?: (decision: RecoveryDecision) => void | Promise<void> } = {},
): Promise<T> {
  const clock = options.clock ?? systemClock;
  const token = options.token ?? CancellationToken.none;
  let attempt: AttemptInfo = { number: 1, lrScale: 1, resume: "fresh" };
  for (;;) {
    token.throwIfCancelled();
    try {
      return await attemptFn(attempt);
    } catch (error) {
      // A cancellation (a user's, or a worker handing the run back) is no failure: there is nothing to decide or record.
      if (classifyError(error) === "cancelled") throw error;
      const decision = controller.decide(error);
      await options.onDecision?.(decision);
      if (decision.action === "fail") {
        // Reflect.set, not assignment: a frozen error stays as it is instead of throwing over the original.
        if (isObject(error) || typeof error === "function") Reflect.set(error, "recovery", decision);
        throw error;
      }
      await clock.sleep(decision.delayMs, token);
      attempt = { number: attempt.number + 1, lrScale: decision.lrScale, resume: "checkpoint" };
    }
  }
}
