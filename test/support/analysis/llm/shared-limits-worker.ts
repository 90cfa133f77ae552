/**
 * One worker process of the shared-limits tests (shared-limits-workers.ts spawns three):
 * it connects, says "ready", waits for "go" on stdin so that all start together, then
 * hammers the shared rate limiter or the shared budget and prints one JSON line of what
 * it saw. Times are this machine's clock as it was before any skew was applied: the
 * test's ruler, not the limiter's (the limiter reads Redis's).
 */
import { once } from "node:events";
import { createInterface } from "node:readline";
import { setTimeout as wait } from "node:timers/promises";
import { Redis } from "ioredis";
import { createRedisRateLimiter } from "../../../../src/analysis/llm/redis-rate-limiter.js";
import { createRedisRunBudget } from "../../../../src/analysis/llm/redis-run-budget.js";
import type { RateLimits } from "../../../../src/analysis/llm/rate-limiter.js";
import type { LlmSettings, TokenUsage } from "../../../../src/analysis/llm/types.js";

export type WorkerTask =
  | {
      kind: "limiter";
      redisUrl: string;
      key: string;
      limits: RateLimits;
      windowMs: number;
      /** Requests this worker keeps waiting at once. */
      concurrency: number;
      /** No new request after this long; those waiting still go. */
      durationMs: number;
      /** Each request's weight before the call, its call's length, and its usage after (no settle without). */
      estimate: number;
      callMs: number;
      actual?: number;
      /** Added to this process's Date (Date.now and new Date()). */
      skewMs?: number;
    }
  | {
      kind: "budget";
      redisUrl: string;
      key: string;
      settings: Pick<LlmSettings, "spendCap" | "prices">;
      concurrency: number;
      usage: TokenUsage;
      /** Each call lasts between these many milliseconds. */
      callMs: [number, number];
    };

export type WorkerReport =
  | { kind: "limiter"; admissions: Array<{ at: number; actual: number }> }
  | { kind: "budget"; calls: number; used: TokenUsage; stoppedByCap: boolean };

const realNow = Date.now.bind(Date);
const task = JSON.parse(process.argv[2]!) as WorkerTask;
if (task.kind === "limiter" && task.skewMs) skewClock(task.skewMs);

const redis = new Redis(task.redisUrl, { maxRetriesPerRequest: 1 });
await redis.ping();
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
await once(lines, "line");
lines.close();

const report = task.kind === "limiter" ? await hammerLimiter(task) : await spendBudget(task);
process.stdout.write(`${JSON.stringify(report)}\n`);
await redis.quit();

async function hammerLimiter(task: Extract<WorkerTask, { kind: "limiter" }>): Promise<WorkerReport> {
  const limiter = createRedisRateLimiter(redis, task.limits, { key: task.key, windowMs: task.windowMs });
  const admissions: Array<{ at: number; actual: number }> = [];
  const deadline = realNow() + task.durationMs;
  await Promise.all(
    Array.from({ length: task.concurrency }, async () => {
      while (realNow() < deadline) {
        const slot = await limiter.acquire(task.estimate);
        admissions.push({ at: realNow(), actual: task.actual ?? task.estimate });
        await wait(task.callMs);
        if (task.actual !== undefined) await slot.settle(task.actual);
      }
    }),
  );
  return { kind: "limiter", admissions };
}

async function spendBudget(task: Extract<WorkerTask, { kind: "budget" }>): Promise<WorkerReport> {
  const budget = createRedisRunBudget(redis, task.settings, { key: task.key });
  let calls = 0;
  let stoppedByCap = true;
  await Promise.all(
    Array.from({ length: task.concurrency }, async () => {
      // As the analyzer does: the cap is read when a call's turn comes, the call counted after it.
      for (let i = 0; i < 10_000; i++) {
        if (await budget.exhausted()) return;
        calls += 1;
        const [least, most] = task.callMs;
        await wait(least + Math.random() * (most - least));
        await budget.add(task.usage);
      }
      stoppedByCap = false;
    }),
  );
  return { kind: "budget", calls, used: { ...budget.used }, stoppedByCap };
}

/** A machine whose clock is `skewMs` off, as far as anything in this process can tell. */
function skewClock(skewMs: number): void {
  const RealDate = Date;
  class SkewedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(realNow() + skewMs);
      else super(...(args as [string]));
    }
    static override now(): number {
      return realNow() + skewMs;
    }
  }
  globalThis.Date = SkewedDate as DateConstructor;
}
