/**
 * Analysis: what a commit is (type), how much it matters (importance, with reasons)
 * and what a reader should know (narrative). Produced by an analyzer: rules offline,
 * an LLM where configured. Reasons are kept as codes with parameters so that every
 * language renders the same facts.
 */
import type { CommitFacts } from "../facts/types.js";
import type { Lang } from "../i18n/lang.js";
import type { Commit } from "../sources/types.js";

export type ChangeType =
  | "feature"
  | "bugfix"
  | "docs"
  | "refactor"
  | "performance"
  | "test"
  | "build"
  | "ci"
  | "config"
  | "dependency"
  | "release"
  | "revert"
  | "style"
  | "chore";

export const CHANGE_TYPES: readonly ChangeType[] = [
  "feature",
  "bugfix",
  "docs",
  "refactor",
  "performance",
  "test",
  "build",
  "ci",
  "config",
  "dependency",
  "release",
  "revert",
  "style",
  "chore",
];

export type Importance = "high" | "medium" | "low";
export const IMPORTANCE_ORDER: readonly Importance[] = ["high", "medium", "low"];

/**
 * One reason behind an importance score. `code` names the rule (see
 * src/analysis/rules/weights.ts); `params` are the facts it counted; `text` is the
 * reason rendered in the analysis language.
 */
export interface ImportanceReason {
  code: string;
  weight: number;
  params: Record<string, string | number>;
  text: string;
}

export type InsightDimension = "architecture" | "performance" | "security" | "maintainability" | "compatibility";
export const INSIGHT_DIMENSIONS: readonly InsightDimension[] = [
  "architecture",
  "performance",
  "security",
  "maintainability",
  "compatibility",
];

export type Audience = "maintainers" | "users" | "ci";

export interface Narrative {
  /** One or two sentences: what the commit does. */
  summary: string;
  /** Modules, files, interfaces touched: one item each. */
  impact: string[];
  /** Only dimensions with something grounded to say. */
  insights: Array<{ dimension: InsightDimension; points: string[] }>;
  risks: string[];
  recommendations: Array<{ audience: Audience; text: string }>;
}

export interface AnalyzerId {
  name: string;
  version: string;
}

export interface CommitAnalysis {
  sha: string;
  analyzer: AnalyzerId;
  lang: Lang;
  changeType: ChangeType;
  importance: Importance;
  score: number;
  reasons: ImportanceReason[];
  narrative: Narrative;
  /** One-line notes shown under the commit (for example a fallback from the LLM). */
  notes: string[];
  /** Set when an LLM was asked: what it saw, what it cost, what the checks removed. */
  llm?: LlmDetails;
}

export interface LlmDetails {
  model: string;
  usage: { input: number; output: number };
  /** Files the model saw in full, clipped, or by name only. */
  coverage: { full: string[]; clipped: string[]; nameOnly: string[] };
  /** Names the answer used that the facts and diff do not hold, removed. */
  ungrounded: string[];
  /** Both opinions on importance, so that disagreement is visible. */
  opinions: {
    rules: { importance: Importance; score: number };
    model?: { importance: Importance; reasons: string[] };
  };
  /** Why the rules analysis stands in for the model's. Absent when the model's answer is used. */
  fallback?: { reason: "failed" | "spend-cap"; detail: string };
}

export interface AnalysisInput {
  commit: Commit;
  facts: CommitFacts;
  lang: Lang;
  /** The pull request behind the commit, where GitHub was asked: its text explains why. */
  pullRequest?: PullRequestText;
}

export interface PullRequestText {
  number: number;
  title: string;
  body: string;
  labels: string[];
}

/** What a repository's overview is written from: the period's analyses only, never the diffs. */
export interface OverviewInput {
  repo: string;
  lang: Lang;
  commits: Array<{ sha: string; shortSha: string; title: string; analysis: CommitAnalysis }>;
}

export interface Overview {
  themes: string[];
  readFirst: Array<{ sha: string; shortSha: string; why: string }>;
  model: string;
}

/** Thresholds and weights, overridable from config (`analysis.weights`, `analysis.thresholds`). */
export interface ScoringConfig {
  weights: Record<string, number>;
  thresholds: { high: number; medium: number };
}

export interface Analyzer {
  readonly id: AnalyzerId;
  analyze(input: AnalysisInput): Promise<CommitAnalysis>;
  /**
   * The period's themes and what to read first, for analyzers that can write one (the LLM).
   */
  overview?(input: OverviewInput): Promise<Overview | undefined>;
}
