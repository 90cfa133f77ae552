import type { LlmSettings, TokenUsage } from "../../llm/types.js";

/** The run's spend so far, against its cap (tokens, or cost with a price table). */
export interface RunBudget {
  readonly used: Readonly<TokenUsage>;
  exhausted(): boolean;
  add(usage: TokenUsage): void;
}

export function createRunBudget(settings: Pick<LlmSettings, "spendCap" | "prices">): RunBudget {
  const used = { input: 0, output: 0 };
  return {
    used,
    add(usage) {
      used.input += usage.input;
      used.output += usage.output;
    },
    exhausted() {
      const cap = settings.spendCap;
      if (!cap) return false;
      if (cap.tokens !== undefined && used.input + used.output >= cap.tokens) return true;
      if (cap.cost !== undefined && settings.prices) return estimateCost(used, settings.prices) >= cap.cost;
      return false;
    },
  };
}

/** Prices are per million tokens, as providers publish them. */
export function estimateCost(usage: TokenUsage, prices: NonNullable<LlmSettings["prices"]>): number {
  return (usage.input * prices.input + usage.output * prices.output) / 1_000_000;
}
