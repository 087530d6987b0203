import { UserFacingError } from "@hindcast/contracts";

/**
 * Sign-in attempts per account and per client address, with exponential
 * backoff: after `free` failures each further attempt must wait 1 s, 2 s,
 * 4 s ... up to `maxDelayMs`, whether or not its password is right. A
 * success clears the account's count; a key forgotten for `forgetAfterMs`
 * starts over. Written here because it is a map and a formula: the rate
 * limiter libraries count fixed windows, and backoff would sit on top anyway.
 */
export interface ThrottleRule {
  free: number;
  maxDelayMs: number;
}

const loginThrottleRules = {
  account: { free: 5, maxDelayMs: 15 * 60_000 },
  address: { free: 20, maxDelayMs: 15 * 60_000 },
} satisfies Record<string, ThrottleRule>;

const forgetAfterMs = 60 * 60_000;

interface Failures {
  count: number;
  lastAt: number;
}

class BackoffCounter {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly rule: ThrottleRule) {}

  /** Milliseconds until `key` may try again; 0 when it may now. */
  waitMs(key: string, now: number): number {
    const entry = this.failures.get(key);
    if (!entry || now - entry.lastAt > forgetAfterMs) return 0;
    const over = entry.count - this.rule.free;
    if (over < 0) return 0;
    const delay = Math.min(this.rule.maxDelayMs, 1000 * 2 ** Math.min(over, 30));
    return Math.max(0, entry.lastAt + delay - now);
  }

  fail(key: string, now: number): void {
    const entry = this.failures.get(key);
    const fresh = !entry || now - entry.lastAt > forgetAfterMs;
    this.failures.set(key, { count: fresh ? 1 : entry.count + 1, lastAt: now });
    if (this.failures.size > 100_000) this.forgetOld(now);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  /** Takes back one failure. */
  forgive(key: string): void {
    const entry = this.failures.get(key);
    if (entry && entry.count > 1) entry.count--;
    else this.failures.delete(key);
  }

  private forgetOld(now: number): void {
    for (const [key, entry] of this.failures) if (now - entry.lastAt > forgetAfterMs) this.failures.delete(key);
  }
}

/** A sign-in refused for now: a 429 whose HTTP answer carries Retry-After. */
export class LoginThrottledError extends UserFacingError {
  override readonly status = 429;

  constructor(readonly retryAfterSeconds: number) {
    super("Too many failed sign-ins", `try again in ${retryAfterSeconds} s`);
  }
}

/**
 * Every attempt counts as a failure from the moment it is let through, and a
 * success takes its count back: so a burst of concurrent attempts cannot all
 * pass the check before any of them has failed.
 */
export class LoginThrottle {
  private readonly accounts = new BackoffCounter(loginThrottleRules.account);
  private readonly addresses = new BackoffCounter(loginThrottleRules.address);

  constructor(private readonly clock: () => number = Date.now) {}

  /** Lets an attempt through (0) or says how many seconds to wait before this email may be tried from this address. */
  attempt(email: string, address: string): number {
    const now = this.clock();
    const waitMs = Math.max(this.accounts.waitMs(email, now), this.addresses.waitMs(address, now));
    if (waitMs > 0) return Math.ceil(waitMs / 1000);
    this.accounts.fail(email, now);
    this.addresses.fail(address, now);
    return 0;
  }

  /** The attempt let through was right: the account starts over and the address is not held to it. */
  succeeded(email: string, address: string): void {
    this.accounts.clear(email);
    this.addresses.forgive(address);
  }
}
