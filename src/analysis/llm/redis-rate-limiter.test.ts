/**
 * The shared rate limiter on a real Redis. The rules of the in-process limiter first, each
 * from separate connections where it matters (as separate workers would be): Redis keeps
 * the time, so a test reads the waits the script asks for from a sleep that records them
 * and gives up, and waits for real only where a window must slide (short windows). Then
 * three OS processes hammering one key.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as wait } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mostInSpan, runWorkers, type WorkerReport, type WorkerTask } from "../../../test/support/analysis/llm/shared-limits-workers.js";
import { freshRedisPrefix, type RedisNamespace } from "../../../test/support/services.js";
import { ExternalServiceError } from "../../errors.js";
import type { RateLimits } from "./rate-limiter.js";
import { createRedisRateLimiter } from "./redis-rate-limiter.js";

let redisSpace: RedisNamespace;
beforeAll(async () => {
  redisSpace = await freshRedisPrefix();
});
const clients: Redis[] = [];
/** A connection of its own: to Redis, another worker. */
function connect(): Redis {
  const client = new Redis(redisSpace.redisUrl, { maxRetriesPerRequest: 1 });
  clients.push(client);
  return client;
}
afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
  await redisSpace?.clear();
});

const uniqueKey = () => `${redisSpace.prefix}:rate:${randomUUID()}`;

/** A sleep that records the wait asked for and gives up, so that a test needs no real minute. */
function givingUp(): { sleep(ms: number): Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep(ms) {
      waits.push(ms);
      return Promise.reject(new Error("gave up waiting"));
    },
  };
}

/** Limiters on one key, each on its own connection, with their own recording sleeps. */
function workers(count: number, limits: RateLimits, windowMs?: number) {
  const key = uniqueKey();
  return Array.from({ length: count }, () => {
    const clock = givingUp();
    const limiter = createRedisRateLimiter(connect(), limits, { key, clock, ...(windowMs ? { windowMs } : {}) });
    return { limiter, waits: clock.waits, key };
  });
}

describe("Redis rate limiter, the in-process rules", () => {
  it("never waits without limits", async () => {
    const [a] = workers(1, {});
    for (let i = 0; i < 100; i++) await a!.limiter.acquire(1_000_000);
    expect(a!.waits).toEqual([]);
  });

  it("lets requests under the limits go at once, whichever worker sends them", async () => {
    const [a, b, c] = workers(3, { requestsPerMinute: 3, tokensPerMinute: 1_000 });
    await a!.limiter.acquire(300);
    await b!.limiter.acquire(300);
    await c!.limiter.acquire(400);
    expect([...a!.waits, ...b!.waits, ...c!.waits]).toEqual([]);
  });

  it("holds the third request of a 2-per-minute limit for the rest of the first one's minute", async () => {
    const [a, b] = workers(2, { requestsPerMinute: 2 });
    await a!.limiter.acquire(1);
    await b!.limiter.acquire(1);
    await expect(a!.limiter.acquire(1)).rejects.toThrow("gave up waiting");
    expect(a!.waits).toHaveLength(1);
    expect(a!.waits[0]).toBeGreaterThan(55_000);
    expect(a!.waits[0]).toBeLessThanOrEqual(60_000);
  });

  it("slides: the third request of 2 per window waits for the first to leave, not the second", async () => {
    const [a, b] = workers(2, { requestsPerMinute: 2 }, 1_000);
    await a!.limiter.acquire(1);
    await wait(400);
    await b!.limiter.acquire(1);
    await expect(a!.limiter.acquire(1)).rejects.toThrow("gave up waiting");
    // About 600 ms (the first leaves at 1,000); 1,000 would be waiting for the second.
    expect(a!.waits[0]).toBeGreaterThan(200);
    expect(a!.waits[0]).toBeLessThan(800);
  });

  it("holds a request whose tokens would pass the limit until the earlier ones leave the window", async () => {
    const [a, b] = workers(2, { tokensPerMinute: 1_000 });
    await a!.limiter.acquire(600);
    await expect(b!.limiter.acquire(600)).rejects.toThrow("gave up waiting");
    expect(b!.waits[0]).toBeGreaterThan(55_000);
  });

  it("waits only as long as it takes enough earlier tokens to leave the window", async () => {
    const [a, b] = workers(2, { tokensPerMinute: 1_000 }, 2_000);
    await a!.limiter.acquire(400);
    await wait(800);
    await b!.limiter.acquire(400);
    // 800 in the window; a 300 fits once the first 400 leaves (about 1,200 ms), not the second (2,000).
    await expect(a!.limiter.acquire(300)).rejects.toThrow("gave up waiting");
    expect(a!.waits[0]).toBeGreaterThan(700);
    expect(a!.waits[0]).toBeLessThan(1_600);
  });

  it("lets another worker's request in at once when settle() lowers a request's weight to what it used", async () => {
    const [a, b] = workers(2, { tokensPerMinute: 1_000 });
    await (await a!.limiter.acquire(600)).settle(300);
    await b!.limiter.acquire(600);
    expect(b!.waits).toEqual([]);

    // Unsettled, the same pair waits.
    const [c, d] = workers(2, { tokensPerMinute: 1_000 });
    await c!.limiter.acquire(600);
    await expect(d!.limiter.acquire(600)).rejects.toThrow("gave up waiting");
  });

  it("holds another worker's request when settle() raises a request's weight", async () => {
    const [a, b] = workers(2, { tokensPerMinute: 1_000 });
    await (await a!.limiter.acquire(100)).settle(900);
    await expect(b!.limiter.acquire(200)).rejects.toThrow("gave up waiting");
    expect(b!.waits[0]).toBeGreaterThan(55_000);
  });

  it("lets a request larger than the whole limit go, alone in its minute", async () => {
    const [a, b] = workers(2, { tokensPerMinute: 1_000 });
    await a!.limiter.acquire(5_000);
    expect(a!.waits).toEqual([]);
    await expect(b!.limiter.acquire(10)).rejects.toThrow("gave up waiting");
    expect(b!.waits[0]).toBeGreaterThan(55_000);
  });

  it("holds a request larger than the whole limit until the window is empty", async () => {
    const [a, b] = workers(2, { tokensPerMinute: 1_000 });
    await a!.limiter.acquire(10);
    await expect(b!.limiter.acquire(5_000)).rejects.toThrow("gave up waiting");
    expect(b!.waits[0]).toBeGreaterThan(55_000);
  });

  it("serves one process's waiting requests in the order they asked", async () => {
    const limiter = createRedisRateLimiter(connect(), { requestsPerMinute: 1 }, { key: uniqueKey(), windowMs: 300 });
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3].map(async (n) => {
        await limiter.acquire(1);
        order.push(n);
      }),
    );
    expect(order).toEqual([1, 2, 3]);
  });

  it("keeps serving after a wait fails", async () => {
    let failNext = true;
    const sleep = (ms: number) => {
      if (!failNext) return wait(ms).then(() => undefined);
      failNext = false;
      return Promise.reject(new Error("aborted"));
    };
    const limiter = createRedisRateLimiter(connect(), { requestsPerMinute: 1 }, { key: uniqueKey(), windowMs: 300, clock: { sleep } });
    await limiter.acquire(1);
    await expect(limiter.acquire(1)).rejects.toThrow("aborted");
    await limiter.acquire(1);
  });
});

describe("Redis rate limiter, across workers", () => {
  it("does not let another worker's small request overtake a larger one that waits for tokens", async () => {
    const [a, b, c] = workers(3, { tokensPerMinute: 1_000 });
    await a!.limiter.acquire(600);
    await expect(b!.limiter.acquire(600)).rejects.toThrow("gave up waiting");
    // 600 + 100 would fit, but b waits for room for its 600: c goes after it.
    await expect(c!.limiter.acquire(100)).rejects.toThrow("gave up waiting");
    expect(c!.waits[0]).toBeGreaterThan(55_000);
  });

  it("lets the others go once a waiting worker's reservation lapses (the worker died)", async () => {
    const [a, b] = workers(2, { tokensPerMinute: 1_000 }, 1_000);
    const key = a!.key;
    await a!.limiter.acquire(600);
    const started = performance.now();
    // b needs the whole limit and gives up: its reservation holds about 1,000 ms + 1,000 grace.
    await expect(b!.limiter.acquire(1_000)).rejects.toThrow("gave up waiting");
    const c = createRedisRateLimiter(connect(), { tokensPerMinute: 1_000 }, { key, windowMs: 1_000 });
    await c.acquire(100);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThan(1_700);
    expect(waited).toBeLessThan(3_000);
  });

  it("keeps its keys for a little over one window after the last request, so nothing accumulates", async () => {
    const redis = connect();
    const key = uniqueKey();
    const limiter = createRedisRateLimiter(redis, { requestsPerMinute: 5, tokensPerMinute: 1_000 }, { key, windowMs: 300 });
    await (await limiter.acquire(10)).settle(20);
    for (const name of ["sent", "weights"]) {
      const ttl = await redis.pttl(`${key}:${name}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1_300);
    }
    await wait(1_500);
    expect(await redis.exists(`${key}:sent`, `${key}:weights`, `${key}:reserved`)).toBe(0);
  });

  it("fails with a retryable Redis error when Redis cannot be reached", async () => {
    const unreachable = new Redis("redis://127.0.0.1:1", { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    unreachable.on("error", () => undefined);
    const limiter = createRedisRateLimiter(unreachable, { requestsPerMinute: 1 }, { key: uniqueKey() });
    const failure = await limiter.acquire(1).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ExternalServiceError);
    expect((failure as ExternalServiceError).retryable).toBe(true);
    expect((failure as ExternalServiceError).message).toMatch(/^redis: could not ask for a rate-limit slot/);
    unreachable.disconnect();
  });
});

/**
 * Three OS processes, four requests waiting in each, on a 1-second window: no window holds
 * more than the limit, and the limit is used (at least 80 % of it over three windows).
 * Admission times are read after the fact, a few ms late at worst: the spans checked are
 * shortened by that much.
 */
describe("Redis rate limiter, three processes", () => {
  const WINDOW = 1_000;
  const SLACK = 100;
  const base = (overrides: Partial<Extract<WorkerTask, { kind: "limiter" }>>): Extract<WorkerTask, { kind: "limiter" }> => ({
    kind: "limiter",
    redisUrl: redisSpace.redisUrl,
    key: uniqueKey(),
    limits: {},
    windowMs: WINDOW,
    concurrency: 4,
    durationMs: 3 * WINDOW,
    estimate: 1,
    callMs: 5,
    ...overrides,
  });
  const admissionsOf = (reports: WorkerReport[]) =>
    reports.flatMap((report) => (report.kind === "limiter" ? report.admissions : [])).sort((a, b) => a.at - b.at);
  /** Admissions in the first three windows from the first one. */
  const inThreeWindows = (admissions: Array<{ at: number; actual: number }>) => admissions.filter((entry) => entry.at < admissions[0]!.at + 3 * WINDOW);

  async function expectRequestLimitHeld(skews: number[]) {
    const N = 10;
    const key = uniqueKey();
    const reports = await runWorkers(skews.map((skewMs) => base({ key, limits: { requestsPerMinute: N }, skewMs })));
    const admissions = admissionsOf(reports);
    expect(mostInSpan(admissions.map((entry) => entry.at), WINDOW - SLACK)).toBeLessThanOrEqual(N);
    expect(inThreeWindows(admissions).length).toBeGreaterThanOrEqual(0.8 * 3 * N);
    // Every process got some: the limit is shared, not taken by one.
    for (const report of reports) expect(report.kind === "limiter" && report.admissions.length).toBeGreaterThan(0);
  }

  it("admits at most N requests per window across three processes, and close to N", async () => {
    await expectRequestLimitHeld([0, 0, 0]);
  });

  it("holds the limit when the machines' clocks disagree by a minute: the window is on Redis's clock", async () => {
    await expectRequestLimitHeld([0, 30_000, -30_000]);
  });

  it("holds tokens per window across three processes, corrected by settle() to what each call used", async () => {
    const TPM = 2_000;
    const key = uniqueKey();
    // Each request asks for 200 and uses 100: by the estimates alone, 10 per window would go.
    const reports = await runWorkers([0, 1, 2].map(() => base({ key, limits: { tokensPerMinute: TPM }, estimate: 200, actual: 100, callMs: 20 })));
    const admissions = admissionsOf(reports);
    const times = admissions.map((entry) => entry.at);
    expect(mostInSpan(times, WINDOW - SLACK, (index) => admissions[index]!.actual)).toBeLessThanOrEqual(TPM);
    // More than the estimates allow: the corrections of other processes counted.
    expect(mostInSpan(times, WINDOW - SLACK)).toBeGreaterThan(TPM / 200);
  });
});
