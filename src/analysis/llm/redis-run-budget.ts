/**
 * One run's spend cap, held by every worker analysing the run's commits: the totals live
 * in a Redis hash (HINCRBY, so concurrent counts add up), and each call's turn reads them.
 *
 * The cap is read before a call and the call counted after it, as in-process, so a run may
 * pass its cap by what was in flight when it was reached: total spend < cap + (calls in
 * flight across all workers, at most the sum of their llm.concurrency) × (the most one
 * asked answer costs: up to three model calls, prompt plus output room each).
 */
import type { Redis } from "ioredis";
import type { TokenUsage } from "./types.js";
import { redisCall } from "./redis-rate-limiter.js";
import { reachedCap, type BudgetSettings, type RunBudget } from "./run-budget.js";

export interface RedisRunBudgetOptions {
  /** The run's key: every budget given it counts against one cap. */
  key: string;
  /** The totals are dropped this long after the run last spent; a week by default. */
  ttlMs?: number;
}

const TTL_MS = 7 * 24 * 60 * 60 * 1_000;

export function createRedisRunBudget(redis: Redis, settings: BudgetSettings, options: RedisRunBudgetOptions): RunBudget {
  if (options.key === "") throw new RangeError("shared run budget: the key must not be empty");
  const { key } = options;
  const ttlMs = options.ttlMs ?? TTL_MS;
  const used = { input: 0, output: 0 };

  const total = async (): Promise<TokenUsage> => {
    const [input, output] = await redisCall("read the run's spend", () => redis.hmget(key, "input", "output"));
    return { input: Number(input ?? 0), output: Number(output ?? 0) };
  };

  return {
    used,
    total,
    async add(usage) {
      for (const value of [usage.input, usage.output]) {
        // HINCRBY takes whole numbers; providers report tokens as such.
        if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`shared run budget: token counts must be whole numbers, not ${value}`);
      }
      // Spent whatever Redis says next: this process's share counts it first.
      used.input += usage.input;
      used.output += usage.output;
      await redisCall("count the run's spend", async () => {
        const replies = await redis.multi().hincrby(key, "input", usage.input).hincrby(key, "output", usage.output).pexpire(key, ttlMs).exec();
        const failed = replies === null ? new Error("the transaction was discarded") : replies.find(([error]) => error)?.[0];
        if (failed) throw failed;
      });
    },
    async exhausted() {
      if (!settings.spendCap) return false;
      return reachedCap(await total(), settings);
    },
  };
}
