import type { ImportanceReason } from "../analysis/types.js";

/**
 * Reasons as a reader should meet them: a cap that decided the tier (weight 0, such as
 * "no product code changes") first, then the strongest reason, then the rest by weight.
 */
export function orderReasons(reasons: readonly ImportanceReason[]): ImportanceReason[] {
  return [...reasons].sort((a, b) => Number(b.weight === 0) - Number(a.weight === 0) || b.weight - a.weight);
}
