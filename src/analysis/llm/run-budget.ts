import type { LlmSettings, TokenUsage } from "./types.js";

/**
 * The run's spend so far, against its cap (tokens, or cost with a price table). A run
 * whose commits several workers analyse shares one budget (redis-run-budget.ts): reading
 * and counting may then wait on the network, so callers await both.
 */
export interface RunBudget {
  /** What this process spent: its report's llmUsage. For a shared budget, this process's share only. */
  readonly used: Readonly<TokenUsage>;
  /** What the whole run spent, every process counted; for an in-process budget, `used`. */
  total(): Promise<TokenUsage>;
  /** Whether the run's spend reached its cap; a call's turn reads it before asking. */
  exhausted(): boolean | Promise<boolean>;
  add(usage: TokenUsage): void | Promise<void>;
}

export type BudgetSettings = Pick<LlmSettings, "spendCap" | "prices">;

export function createRunBudget(settings: BudgetSettings): RunBudget {
  const used = { input: 0, output: 0 };
  return {
    used,
    total: () => Promise.resolve({ ...used }),
    add(usage) {
      used.input += usage.input;
      used.output += usage.output;
    },
    exhausted: () => reachedCap(used, settings),
  };
}

/** Whether `spent` reached the cap of `settings`; false without a cap. */
export function reachedCap(spent: TokenUsage, settings: BudgetSettings): boolean {
  const cap = settings.spendCap;
  if (!cap) return false;
  if (cap.tokens !== undefined && spent.input + spent.output >= cap.tokens) return true;
  if (cap.cost !== undefined && settings.prices) return estimateCost(spent, settings.prices) >= cap.cost;
  return false;
}

/** Prices are per million tokens, as providers publish them. */
export function estimateCost(usage: TokenUsage, prices: NonNullable<LlmSettings["prices"]>): number {
  return (usage.input * prices.input + usage.output * prices.output) / 1_000_000;
}
