/**
 * The analyzers the CLI can run, by id: `rules` (offline, always available) today,
 * `llm` later. Each adapter lives in its own folder under src/analysis/.
 */
import { ConfigError } from "../errors.js";
import { createRulesAnalyzer } from "./rules/rules-analyzer.js";
import type { Analyzer, ScoringConfig } from "./types.js";

export interface AnalyzerOptions {
  scoring: ScoringConfig;
  /** Glob patterns of paths that raise importance. */
  criticalPaths: string[];
}

export type AnalyzerFactory = (options: AnalyzerOptions) => Analyzer;

export const ANALYZER_FACTORIES: ReadonlyMap<string, AnalyzerFactory> = new Map<string, AnalyzerFactory>([
  ["rules", createRulesAnalyzer],
]);

export function listAnalyzerIds(): string[] {
  return [...ANALYZER_FACTORIES.keys()];
}

/** @throws ConfigError when no analyzer has this id. */
export function createAnalyzer(id: string, options: AnalyzerOptions): Analyzer {
  const factory = ANALYZER_FACTORIES.get(id);
  if (!factory) throw new ConfigError("analysis.analyzer", id, `one of: ${listAnalyzerIds().join(", ")}`);
  return factory(options);
}
