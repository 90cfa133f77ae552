/**
 * What a run that asks a model needs: the provider's model, the rate limiter, the token
 * counter and the run's spend budget. Its own module so that a run without a model never
 * loads the AI SDK or the tokenizer's ranks (report-command imports it on demand).
 */
import { createRunBudget } from "../analysis/llm/run-budget.js";
import type { LlmConfig } from "../config/schema.js";
import { createLanguageModel } from "../llm/providers.js";
import { createRateLimiter } from "../llm/rate-limiter.js";
import { createTokenCounter } from "../llm/tokenizer.js";
import type { LlmSettings } from "../llm/types.js";
import type { Logger } from "../logger.js";

export function createLlmRuntime(config: LlmConfig, logger: Logger) {
  const settings: LlmSettings = config;
  // The AI SDK prints its warnings (a setting a provider ignores) with console.warn, past
  // --quiet and into piped stdout neighbours; they belong in the log.
  globalThis.AI_SDK_LOG_WARNINGS = ({ warnings, provider, model }) =>
    logger.warn({ provider, model, warnings }, "the model provider ignored part of the request");
  const runtime = {
    settings,
    model: createLanguageModel(settings, process.env),
    limiter: createRateLimiter(settings),
    counter: createTokenCounter(),
  };
  return { runtime, budget: createRunBudget(settings), logger };
}
