/**
 * The analyzers the CLI can run, by id: `rules` (offline, always available) and `llm`
 * (where the config has an `llm:` block). Each adapter lives in its own folder under
 * src/analysis/. Factories are async: the `llm` adapter, and the AI SDK behind it, is
 * loaded only by a run that uses it.
 */
import { ConfigError } from "../errors.js";
import { createRegistry } from "../registry.js";
import type { LlmAnalyzerOptions } from "./llm/llm-analyzer.js";
import { createRulesAnalyzer } from "./rules/rules-analyzer.js";
import type { Analyzer, ScoringConfig } from "./types.js";

export interface AnalyzerOptions {
  scoring: ScoringConfig;
  /** Glob patterns of paths that raise importance. */
  criticalPaths: string[];
  /** The run's model, settings and spend budget; required by `llm`. */
  llm?: Omit<LlmAnalyzerOptions, "rules">;
}

export type AnalyzerFactory = (options: AnalyzerOptions) => Promise<Analyzer>;

export const ANALYZERS = createRegistry<AnalyzerFactory>("analyzer", [
  ["rules", async (options) => createRulesAnalyzer(options)],
  [
    "llm",
    async (options) => {
      if (!options.llm) {
        throw new ConfigError("llm", undefined, "an `llm:` block in the config with at least provider and model (see README, LLM analysis)");
      }
      const { createLlmAnalyzer } = await import("./llm/llm-analyzer.js");
      return createLlmAnalyzer({ ...options.llm, rules: createRulesAnalyzer(options) });
    },
  ],
] as const);

export function listAnalyzerIds(): string[] {
  return [...ANALYZERS.ids];
}

/** @throws ConfigError when no analyzer has this id. */
export async function createAnalyzer(id: string, options: AnalyzerOptions): Promise<Analyzer> {
  return ANALYZERS.get(id, "analysis.analyzer")(options);
}
