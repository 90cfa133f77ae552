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
import type { AnalysisInput, Analyzer, AnalyzerId, CommitAnalysis, ImportanceReason, PullRequestText, ScoringConfig } from "../types.js";
import { classifyChangeType } from "./change-type.js";
import { PARAM_LIST_SEPARATOR, scoreImportance } from "./importance.js";
import { renderReason, renderText } from "./messages.js";
import { buildNarrative } from "./narrative.js";

export const RULES_ANALYZER_ID: AnalyzerId = { name: "rules", version: "6" };

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
  const { lang } = input;
  const facts = withPullRequest(input.facts, input.pullRequest);
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
    narrative: buildNarrative({ ...input, facts }, scored.importance, changeType),
    notes: [],
  };
}

/**
 * The commit's message facts read together with its pull request: the PR's labels count
 * as the bracket tags some projects write in subjects ("bug", "security", "breaking"), and
 * a "breaking" label or a `BREAKING CHANGE:` line in the PR body marks the commit breaking,
 * as the same words in the commit message would. Squash merges often keep only a title.
 */
export function withPullRequest(facts: CommitFacts, pr: PullRequestText | undefined): CommitFacts {
  if (!pr) return facts;
  const note = /^BREAKING[ -]CHANGE:\s*(.+)$/m.exec(pr.body)?.[1]?.trim();
  const breakingLabel = pr.labels.some((label) => /breaking/i.test(label));
  return {
    ...facts,
    message: {
      ...facts.message,
      tags: [...facts.message.tags, ...pr.labels],
      breaking: facts.message.breaking || breakingLabel || note !== undefined,
      ...(facts.message.breakingNote === undefined && note !== undefined ? { breakingNote: note } : {}),
    },
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
