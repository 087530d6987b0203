import { describe, expect, it } from "vitest";
import { CancellationSource, CancellationToken, CancelledError } from "../src/cancellation";
import { ManualClock } from "../src/memory-ports";
import { systemClock } from "../src/ports";

describe("CancellationSource", () => {
  it("trips its token once, keeping the first reason, and tells each listener once", () => {
    const source = new CancellationSource();
    const heard: string[] = [];
    source.token.onCancel((reason) => heard.push(`a:${reason}`));
    const unsubscribe = source.token.onCancel((reason) => heard.push(`b:${reason}`));
    source.token.onCancel((reason) => heard.push(`c:${reason}`));
    unsubscribe();
    expect(source.token.cancelled).toBe(false);

    source.cancel("user request");
    source.cancel("second reason");

    expect(source.token.cancelled).toBe(true);
    expect(source.token.reason).toBe("user request");
    expect(heard).toEqual(["a:user request", "c:user request"]);
  });

  it("throwIfCancelled throws a CancelledError carrying the reason", () => {
    const source = new CancellationSource();
    expect(() => source.token.throwIfCancelled()).not.toThrow();
    source.cancel("shutdown");
    expect(() => source.token.throwIfCancelled()).toThrow(CancelledError);
    try {
      source.token.throwIfCancelled();
    } catch (error) {
      expect((error as CancelledError).reason).toBe("shutdown");
    }
  });

  it("calls a listener added after cancellation on a microtask, not synchronously", async () => {
    const source = new CancellationSource();
    source.cancel();
    const heard: string[] = [];
    source.token.onCancel((reason) => heard.push(reason));
    expect(heard).toEqual([]);
    await Promise.resolve();
    expect(heard).toEqual(["cancelled"]);
  });

  it("runs every listener even when one throws, then reports the failure", () => {
    const source = new CancellationSource();
    const heard: string[] = [];
    source.token.onCancel(() => {
      throw new Error("listener broke");
    });
    source.token.onCancel(() => heard.push("second"));
    expect(() => source.cancel()).toThrow(AggregateError);
    expect(heard).toEqual(["second"]);
    expect(source.token.cancelled).toBe(true);
  });

  it("CancellationToken.none never trips", () => {
    expect(CancellationToken.none.cancelled).toBe(false);
    expect(() => CancellationToken.none.throwIfCancelled()).not.toThrow();
  });
});

describe("sleeping", () => {
  it("systemClock.sleep rejects with CancelledError as soon as the token trips", async () => {
    const source = new CancellationSource();
    const started = performance.now();
    const sleep = systemClock.sleep(60_000, source.token);
    setTimeout(() => source.cancel("stop"), 10);
    await expect(sleep).rejects.toMatchObject({ name: "CancelledError", reason: "stop" });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("systemClock.sleep resolves after the delay", async () => {
    const started = performance.now();
    await systemClock.sleep(20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  it("ManualClock wakes sleeps only when advanced past their deadline, in deadline order", async () => {
    const clock = new ManualClock(1_000);
    const woke: string[] = [];
    const late = clock.sleep(300).then(() => woke.push("late"));
    const early = clock.sleep(100).then(() => woke.push("early"));
    clock.advance(99);
    await Promise.resolve();
    expect(woke).toEqual([]);
    expect(clock.pendingSleeps).toBe(2);
    clock.advance(500);
    await Promise.all([late, early]);
    expect(woke).toEqual(["early", "late"]);
    expect(clock.now()).toBe(1_599);
    expect(clock.pendingSleeps).toBe(0);
  });

  it("ManualClock sleeps are cancellable and already-cancelled tokens reject at once", async () => {
    const clock = new ManualClock();
    const source = new CancellationSource();
    const sleep = clock.sleep(1_000, source.token);
    source.cancel("bye");
    await expect(sleep).rejects.toBeInstanceOf(CancelledError);
    expect(clock.pendingSleeps).toBe(0);
    await expect(clock.sleep(10, source.token)).rejects.toBeInstanceOf(CancelledError);
  });
});
