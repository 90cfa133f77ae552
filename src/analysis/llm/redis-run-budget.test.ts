/**
 * The shared spend cap on a real Redis: budgets on separate connections stand for separate
 * workers; then three OS processes spending one run's budget at once.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWorkers } from "../../../test/support/analysis/llm/shared-limits-workers.js";
import { freshRedisPrefix, type RedisNamespace } from "../../../test/support/services.js";
import { ExternalServiceError } from "../../errors.js";
import { createRedisRunBudget } from "./redis-run-budget.js";
import { createRunBudget } from "./run-budget.js";

let redisSpace: RedisNamespace;
beforeAll(async () => {
  redisSpace = await freshRedisPrefix();
});
const clients: Redis[] = [];
function connect(): Redis {
  const client = new Redis(redisSpace.redisUrl, { maxRetriesPerRequest: 1 });
  clients.push(client);
  return client;
}
afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
  await redisSpace?.clear();
});

const uniqueKey = () => `${redisSpace.prefix}:budget:${randomUUID()}`;

describe("in-process run budget", () => {
  it("is exhausted at its token cap, and its total is what it used", async () => {
    const budget = createRunBudget({ spendCap: { tokens: 100 } });
    budget.add({ input: 60, output: 30 });
    expect(budget.exhausted()).toBe(false);
    budget.add({ input: 5, output: 5 });
    expect(budget.exhausted()).toBe(true);
    expect(await budget.total()).toEqual({ input: 65, output: 35 });
    expect(budget.used).toEqual({ input: 65, output: 35 });
  });
});

describe("Redis run budget", () => {
  it("counts every worker's spend against one cap; `used` is each worker's own share, total() the run's", async () => {
    const key = uniqueKey();
    const settings = { spendCap: { tokens: 1_000 } };
    const a = createRedisRunBudget(connect(), settings, { key });
    const b = createRedisRunBudget(connect(), settings, { key });
    await a.add({ input: 400, output: 100 });
    expect(await b.exhausted()).toBe(false);
    await b.add({ input: 300, output: 200 });
    expect(await a.exhausted()).toBe(true);
    expect(await b.exhausted()).toBe(true);
    expect(a.used).toEqual({ input: 400, output: 100 });
    expect(b.used).toEqual({ input: 300, output: 200 });
    expect(await a.total()).toEqual({ input: 700, output: 300 });
  });

  it("holds a cost cap over the run's total with the price table", async () => {
    const key = uniqueKey();
    // $1 per million input tokens, $4 per million output: the cap of $0.003 is 1,000 in + 500 out.
    const settings = { spendCap: { cost: 0.003 }, prices: { input: 1, output: 4 } };
    const a = createRedisRunBudget(connect(), settings, { key });
    const b = createRedisRunBudget(connect(), settings, { key });
    await a.add({ input: 1_000, output: 0 });
    await b.add({ input: 0, output: 499 });
    expect(await a.exhausted()).toBe(false);
    await b.add({ input: 0, output: 1 });
    expect(await a.exhausted()).toBe(true);
  });

  it("keeps runs apart, and is never exhausted without a cap", async () => {
    const redis = connect();
    const capped = createRedisRunBudget(redis, { spendCap: { tokens: 10 } }, { key: uniqueKey() });
    const other = createRedisRunBudget(redis, { spendCap: { tokens: 10 } }, { key: uniqueKey() });
    const uncapped = createRedisRunBudget(redis, {}, { key: uniqueKey() });
    await capped.add({ input: 10, output: 0 });
    await uncapped.add({ input: 1_000_000, output: 1_000_000 });
    expect(await capped.exhausted()).toBe(true);
    expect(await other.exhausted()).toBe(false);
    expect(await uncapped.exhausted()).toBe(false);
  });

  it("lets the run's totals expire a while after the run last spent", async () => {
    const redis = connect();
    const key = uniqueKey();
    const budget = createRedisRunBudget(redis, { spendCap: { tokens: 10 } }, { key, ttlMs: 60_000 });
    await budget.add({ input: 1, output: 1 });
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("refuses a token count that is not a whole number, naming it", async () => {
    const budget = createRedisRunBudget(connect(), {}, { key: uniqueKey() });
    await expect(budget.add({ input: 1.5, output: 0 })).rejects.toThrow("shared run budget: token counts must be whole numbers, not 1.5");
  });

  it("fails with a Redis error when Redis cannot be reached", async () => {
    const unreachable = new Redis("redis://127.0.0.1:1", { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    unreachable.on("error", () => undefined);
    const budget = createRedisRunBudget(unreachable, { spendCap: { tokens: 10 } }, { key: uniqueKey() });
    await expect(budget.exhausted()).rejects.toThrow(ExternalServiceError);
    await expect(budget.add({ input: 1, output: 1 })).rejects.toThrow(/^redis: could not count the run's spend/);
    unreachable.disconnect();
  });

  /**
   * Each call's turn reads the cap, the call is counted when it ends: the run passes its cap
   * by at most the calls in flight when it was reached, here 3 processes × 4 calls × 100 tokens.
   */
  it("stops three processes once the run's cap is reached, past it by no more than the calls in flight", async () => {
    const CAP = 3_000;
    const CONCURRENCY = 4;
    const PER_CALL = 100;
    const key = uniqueKey();
    const reports = await runWorkers(
      [0, 1, 2].map(() => ({
        kind: "budget" as const,
        redisUrl: redisSpace.redisUrl,
        key,
        settings: { spendCap: { tokens: CAP } },
        concurrency: CONCURRENCY,
        usage: { input: 70, output: 30 },
        callMs: [5, 30] as [number, number],
      })),
    );
    const total = await createRedisRunBudget(connect(), {}, { key }).total();
    const spent = total.input + total.output;
    expect(spent).toBeGreaterThanOrEqual(CAP);
    expect(spent).toBeLessThan(CAP + 3 * CONCURRENCY * PER_CALL);
    let shares = 0;
    for (const report of reports) {
      if (report.kind !== "budget") throw new Error("a budget worker reported something else");
      expect(report.stoppedByCap).toBe(true);
      // Each spent some: the cap is the run's, not the first worker's.
      expect(report.calls).toBeGreaterThan(0);
      shares += report.used.input + report.used.output;
    }
    expect(shares).toBe(spent);
  });
});
