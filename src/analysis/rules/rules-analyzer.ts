/**
 * The offline analyzer: change type, importance and narrative from the facts alone,
 * with no LLM. Its output is a pure function of the facts, the language and the
 * options, so the store can cache it under the analyzer id.
 *
 * Versioning: bump `RULES_ANALYZER_ID.version` whenever the output for the same input
 * changes (a new rule, a changed default weight, a reworded template), so that cached
 * analyses written by the old rules are not reused.
 */
import { matchesAnyGlob } from "../../facts/extract-facts.js";
import type { CommitFacts } from "../../facts/types.js";
import type { AnalysisInput, Analyzer, AnalyzerId, CommitAnalysis, ImportanceReason, ScoringConfig } from "../types.js";
import { classifyChangeType } from "./change-type.js";
import { PARAM_LIST_SEPARATOR, scoreImportance } from "./importance.js";
import { renderReason, renderText } from "./messages.js";
import { buildNarrative } from "./narrative.js";

export const RULES_ANALYZER_ID: AnalyzerId = { name: "rules", version: "3" };

export interface RulesAnalyzerOptions {
  scoring: ScoringConfig;
  /** Glob patterns of paths that raise importance (`repos[].criticalPaths`). */
  criticalPaths: string[];
}

export function createRulesAnalyzer(options: RulesAnalyzerOptions): Analyzer {
  return {
    id: RULES_ANALYZER_ID,
    analyze: (input) => Promise.resolve(analyzeWithRules(input, options)),
  };
}

export function analyzeWithRules(input: AnalysisInput, options: RulesAnalyzerOptions): CommitAnalysis {
  const { facts, lang } = input;
  const changeType = classifyChangeType(facts);
  const scored = scoreImportance(facts, findCriticalPathHits(facts, options.criticalPaths), options.scoring);
  const reasons: ImportanceReason[] = scored.reasons.map((reason) => ({
    ...reason,
    text: renderText(lang, renderReason(reason.code, reason.params, PARAM_LIST_SEPARATOR)),
  }));
  return {
    sha: facts.sha,
    analyzer: RULES_ANALYZER_ID,
    lang,
    changeType,
    importance: scored.importance,
    score: scored.score,
    reasons,
    narrative: buildNarrative(input, scored.importance, changeType),
    notes: [],
  };
}

/** Analysed files (and renamed files' old paths) under a critical path, in the order of the facts. */
export function findCriticalPathHits(facts: CommitFacts, patterns: readonly string[]): string[] {
  if (patterns.length === 0) return [];
  return facts.files
    .filter((file) => !file.ignored)
    .filter(
      (file) =>
        matchesAnyGlob(file.path, patterns) || (file.oldPath !== undefined && matchesAnyGlob(file.oldPath, patterns)),
    )
    .map((file) => file.path);
}
