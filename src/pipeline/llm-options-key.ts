import type { Config } from "../config/schema.js";

/**
 * What of the LLM settings changes an answer, for the analyses' cache key: the same in the
 * command and in every worker, so that a report made either way finds the same analyses.
 * The API key is never part of it.
 */
export function llmOptionsKeyOf(config: Pick<Config, "llm">): unknown {
  if (!config.llm) return undefined;
  const { provider, model, baseUrl, temperature, maxOutputTokens, promptBudgetTokens } = config.llm;
  return { provider, model, baseUrl, temperature, maxOutputTokens, promptBudgetTokens };
}
