import { describe, expect, it } from "vitest";
import { createRateLimiter, type RateLimiterClock } from "./rate-limiter.js";

function fakeClock(): RateLimiterClock & { waits: number[]; at: () => number } {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    at: () => now,
    now: () => now,
    async sleep(ms) {
      waits.push(ms);
      now += ms;
    },
  };
}

describe("rate limiter", () => {
  it("never waits without limits", async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({}, clock);
    for (let i = 0; i < 100; i++) await limiter.acquire(10_000);
    expect(clock.waits).toEqual([]);
  });

  it("holds the third request of a 2-per-minute limit until a minute after the first", async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ requestsPerMinute: 2 }, clock);
    await limiter.acquire(1);
    await clock.sleep(10_000);
    await limiter.acquire(1);
    await limiter.acquire(1);
    expect(clock.at()).toBe(60_000);
  });

  it("weighs requests by tokens, and a settled smaller weight lets the next one in sooner", async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ tokensPerMinute: 1_000 }, clock);
    await limiter.acquire(600);
    await limiter.acquire(600);
    expect(clock.at()).toBe(60_000);

    const settled = fakeClock();
    const limiter2 = createRateLimiter({ tokensPerMinute: 1_000 }, settled);
    (await limiter2.acquire(600)).settle(300);
    await limiter2.acquire(600);
    expect(settled.waits).toEqual([]);
  });

  it("lets a request larger than the whole limit go, alone in its minute", async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ tokensPerMinute: 1_000 }, clock);
    await limiter.acquire(5_000);
    expect(clock.at()).toBe(0);
    await limiter.acquire(10);
    expect(clock.at()).toBe(60_000);
  });

  it("serves waiting requests in the order they asked", async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ requestsPerMinute: 1 }, clock);
    const order: number[] = [];
    await Promise.all([1, 2, 3].map(async (n) => {
      await limiter.acquire(1);
      order.push(n);
    }));
    expect(order).toEqual([1, 2, 3]);
    expect(clock.at()).toBe(120_000);
  });
});
