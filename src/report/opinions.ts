import type { CommitAnalysis, Importance } from "../analysis/types.js";

/** The model's and the rules' tiers when they differ: both are shown beside the tier the report uses. */
export function disagreement(analysis: CommitAnalysis): { model: Importance; rules: Importance } | undefined {
  const opinions = analysis.llm?.opinions;
  if (!opinions?.model || analysis.llm?.fallback) return undefined;
  return opinions.model.importance === opinions.rules.importance ? undefined : { model: opinions.model.importance, rules: opinions.rules.importance };
}
