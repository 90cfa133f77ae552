import { describe, expect, it } from "vitest";
import { createRateLimiter, type RateLimiterClock } from "./rate-limiter.js";

/** A clock that only moves when the limiter sleeps (or a test says time passed). */
function fakeClock(): RateLimiterClock & { waits: number[]; pass(ms: number): void } {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    pass(ms) {
      now += ms;
    },
    sleep(ms) {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

describe("rate limiter", () => {
  it("never waits without limits", async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({}, clock);
    for (let i = 0; i < 100; i++) await limiter.acquire(1_000_000);
    expect(clock.waits).toEqual([]);
    expect(clock.now()).toBe(0);
  });

  it("lets requests under the limits go at once", async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ requestsPerMinute: 3, tokensPerMinute: 1_000 }, clock);
    await limiter.acquire(300);
    await limiter.acquire(300);
    await limiter.acquire(400);
    expect(clock.waits).toEqual([]);
  });

  it("holds the third request of a 2-per-minute limit until a minute after the first", async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ requestsPerMinute: 2 }, clock);
    await limiter.acquire(1);
    clock.pass(10_000);
    await limiter.acquire(1);
    expect(clock.waits).toEqual([]);
    await limiter.acquire(1);
    expect(clock.waits).toEqual([50_000]);
    expect(clock.now()).toBe(60_000);
    // The window slides: the fourth waits for a minute after the second.
    await limiter.acquire(1);
    expect(clock.now()).toBe(70_000);
  });

  it("holds a request whose tokens would pass the per-minute limit until the earlier ones leave the window", async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ tokensPerMinute: 1_000 }, clock);
    await limiter.acquire(600);
    await limiter.acquire(600);
    expect(clock.waits).toEqual([60_000]);
    expect(clock.now()).toBe(60_000);
  });

  it("waits only as long as it takes enough earlier tokens to leave the window", async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ tokensPerMinute: 1_000 }, clock);
    await limiter.acquire(400);
    clock.pass(20_000);
    await limiter.acquire(400);
    // 800 in the window; a 300 fits once the first 400 leaves at 60 s, not the second.
    await limiter.acquire(300);
    expect(clock.now()).toBe(60_000);
  });

  it("lets the next request in sooner when settle() lowers a request's weight to what it used", async () => {
    const unsettled = fakeClock();
    const before = createRateLimiter({ tokensPerMinute: 1_000 }, unsettled);
    await before.acquire(600);
    await before.acquire(600);
    expect(unsettled.now()).toBe(60_000);

    const settled = fakeClock();
    const after = createRateLimiter({ tokensPerMinute: 1_000 }, settled);
    (await after.acquire(600)).settle(300);
    await after.acquire(600);
    expect(settled.waits).toEqual([]);
  });

  it("holds the next request longer when settle() raises a request's weight", async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ tokensPerMinute: 1_000 }, clock);
    (await limiter.acquire(100)).settle(900);
    await limiter.acquire(200);
    expect(clock.now()).toBe(60_000);
  });

  it("lets a request larger than the whole limit go, alone in its minute", async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ tokensPerMinute: 1_000 }, clock);
    await limiter.acquire(5_000);
    expect(clock.waits).toEqual([]);
    await limiter.acquire(10);
    expect(clock.now()).toBe(60_000);
  });

  it("holds a request larger than the whole limit until the window is empty", async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ tokensPerMinute: 1_000 }, clock);
    await limiter.acquire(10);
    clock.pass(5_000);
    await limiter.acquire(5_000);
    expect(clock.now()).toBe(60_000);
  });

  it("serves waiting requests in the order they asked", async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ requestsPerMinute: 1 }, clock);
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3].map(async (n) => {
        await limiter.acquire(1);
        order.push(n);
      }),
    );
    expect(order).toEqual([1, 2, 3]);
    expect(clock.now()).toBe(120_000);
  });

  it("does not let a small request that would fit overtake a larger one that waits", async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ tokensPerMinute: 1_000 }, clock);
    await limiter.acquire(600);
    const order: Array<{ tokens: number; at: number }> = [];
    await Promise.all(
      [600, 100].map(async (tokens) => {
        await limiter.acquire(tokens);
        order.push({ tokens, at: clock.now() });
      }),
    );
    expect(order).toEqual([
      { tokens: 600, at: 60_000 },
      { tokens: 100, at: 60_000 },
    ]);
  });

  it("keeps serving after a wait fails", async () => {
    const clock = fakeClock();
    let failNext = true;
    const failing: RateLimiterClock = {
      now: clock.now,
      sleep: (ms) => {
        if (!failNext) return clock.sleep(ms);
        failNext = false;
        return Promise.reject(new Error("aborted"));
      },
    };
    const limiter = createRateLimiter({ requestsPerMinute: 1 }, failing);
    await limiter.acquire(1);
    await expect(limiter.acquire(1)).rejects.toThrow("aborted");
    await limiter.acquire(1);
    expect(clock.now()).toBe(60_000);
  });
});
