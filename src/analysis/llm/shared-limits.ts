/**
 * The rate limits and the spend cap of workers that analyse commits side by side, held in
 * one Redis. The two are keyed differently because they belong to different things: the
 * provider meters an endpoint and model (every run of every worker that calls it shares
 * its limits), the spend cap is one run's.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { createRedisRateLimiter, type RedisRateLimiter } from "./redis-rate-limiter.js";
import { createRedisRunBudget } from "./redis-run-budget.js";
import type { RunBudget } from "./run-budget.js";
import type { LlmSettings } from "./types.js";

export interface SharedLlmLimitsOptions {
  /** Prefix of every key, e.g. the deployment's name. */
  namespace: string;
  /** The run (one report) whose spend cap the budget holds. */
  runKey: string;
}

export interface SharedLlmLimits {
  limiter: RedisRateLimiter;
  budget: RunBudget;
}

export type SharedLimitSettings = Pick<
  LlmSettings,
  "provider" | "model" | "baseUrl" | "requestsPerMinute" | "tokensPerMinute" | "spendCap" | "prices"
>;

export function createSharedLlmLimits(redis: Redis, settings: SharedLimitSettings, options: SharedLlmLimitsOptions): SharedLlmLimits {
  if (options.namespace === "" || options.runKey === "") throw new RangeError("shared LLM limits: namespace and runKey must not be empty");
  return {
    limiter: createRedisRateLimiter(redis, settings, { key: rateLimitKey(options.namespace, settings) }),
    budget: createRedisRunBudget(redis, settings, { key: `${options.namespace}:budget:${options.runKey}` }),
  };
}

/**
 * One key per endpoint and model, hashed so that a URL's characters stay out of key syntax.
 * The digest is the key's hash tag (Redis Cluster puts the limiter's keys in one slot) and
 * comes after the namespace, so that SCAN patterns and ACL key patterns on it still match.
 * The API key is not part of it, not even hashed: runs with two accounts on one model share
 * one set of limits, the stricter outcome, and no secret reaches Redis.
 */
export function rateLimitKey(namespace: string, settings: Pick<LlmSettings, "provider" | "model" | "baseUrl">): string {
  // "https://api.example.com/v1/" and "…/v1" are one endpoint.
  const endpoint = settings.baseUrl?.replace(/\/+$/, "") ?? "";
  const digest = createHash("sha256").update(JSON.stringify([settings.provider, endpoint, settings.model])).digest("hex").slice(0, 32);
  return `${namespace}:rate:{${digest}}`;
}
