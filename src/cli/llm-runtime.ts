/**
 * What a run that asks a model needs: the provider's model, the rate limiter, the token
 * counter and the run's spend budget. Its own module so that a run without a model never
 * loads the AI SDK or the tokenizer's ranks (report-command imports it on demand).
 */
import { createRunBudget } from "../analysis/llm/run-budget.js";
import type { LlmConfig } from "../config/schema.js";
import { createLanguageModel } from "../analysis/llm/providers.js";
import { createRateLimiter } from "../analysis/llm/rate-limiter.js";
import { createSharedLlmLimits, type SharedLlmLimitsOptions } from "../analysis/llm/shared-limits.js";
import { createTokenCounter } from "../analysis/llm/tokenizer.js";
import type { LlmSettings } from "../analysis/llm/types.js";
import type { Logger } from "../logger.js";
import type { Redis } from "ioredis";

/** Workers analysing one run side by side pass their Redis: limits and spend cap then hold across them all. */
export interface SharedLimitsRuntime extends SharedLlmLimitsOptions {
  redis: Redis;
}

export function createLlmRuntime(config: LlmConfig, logger: Logger, shared?: SharedLimitsRuntime) {
  const settings: LlmSettings = config;
  // The AI SDK prints its warnings (a setting a provider ignores) with console.warn, past
  // --quiet and into piped stdout neighbours; they belong in the log.
  globalThis.AI_SDK_LOG_WARNINGS = ({ warnings, provider, model }) =>
    logger.warn({ provider, model, warnings }, "the model provider ignored part of the request");
  const { limiter, budget } = shared
    ? createSharedLlmLimits(shared.redis, settings, shared)
    : { limiter: createRateLimiter(settings), budget: createRunBudget(settings) };
  const runtime = {
    settings,
    model: createLanguageModel(settings, process.env),
    limiter,
    counter: createTokenCounter(),
  };
  return { runtime, budget, logger };
}
