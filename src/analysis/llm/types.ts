/**
 * Talking to models, for the LLM analyzer (issue 3): providers, one structured call
 * with retries, token counting, secret redaction, and the budgeted view of a diff a
 * model is shown. The analyzer adapter itself (prompt, answer schemas, checks against
 * the facts) belongs in src/analysis/llm/ and is not on main yet (branch
 * wip/llm-analyzer). The model sees a compressed, budgeted, secret-free view of a
 * commit as fenced data; its structured answer is validated, checked against the
 * facts, and only then becomes a CommitAnalysis; the rules analysis is the prior and
 * the fallback.
 */
import type { ChangeType, Importance, InsightDimension, Audience } from "../types.js";

export const PROVIDER_IDS = ["openai", "openai-compatible", "anthropic", "ollama"] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export interface LlmSettings {
  provider: ProviderId;
  model: string;
  /** Endpoint root, e.g. https://api.deepseek.com/v1 or http://127.0.0.1:11434/api. */
  baseUrl?: string;
  /** NAME of the environment variable holding the key; the key itself is never in a file. */
  apiKeyEnv?: string;
  temperature: number;
  maxOutputTokens: number;
  concurrency: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  /** Prompt budget per call, in tokens of the tokenizer in tokenizer.ts. */
  promptBudgetTokens: number;
  /** Share of failed analyses above which the run fails (after writing the report). */
  failureThreshold: number;
  spendCap?: { tokens?: number; cost?: number };
  /** Prices per million tokens, for cost estimates. */
  prices?: { input: number; output: number; currency?: string };
  /** Per-request time-out. */
  timeoutMs: number;
}

/** How much of each file the model saw. */
export interface DiffCoverage {
  full: string[];
  clipped: string[];
  nameOnly: string[];
}

export interface DiffView {
  /** The diff as the model sees it: ordered, reduced, redacted. */
  text: string;
  tokens: number;
  coverage: DiffCoverage;
  /** Secrets found and replaced before anything left the machine, by kind. */
  redactions: Record<string, number>;
}

export interface TokenCounter {
  count(text: string): number;
}

/** What the model writes; the renderer owns layout. Depth follows importance. */
export interface LlmAnswer {
  summary: string;
  changeType: ChangeType;
  importance: Importance;
  importanceReasons: string[];
  impact: string[];
  insights: Array<{ dimension: InsightDimension; points: string[] }>;
  risks: string[];
  recommendations: Array<{ audience: Audience; text: string }>;
}

export type AnswerDepth = "full" | "short" | "brief";

/** What the checks removed or repaired in an answer, kept with the analysis. */
export interface CheckReport {
  /** Names (paths, symbols, env vars, flags, versions) not found in the facts or diff, removed. */
  ungrounded: string[];
  /** Sentences dropped because they named something ungrounded. */
  droppedSentences: number;
  /** Traditional characters converted to simplified (zh-CN only). */
  traditionalFixed: number;
  /** `<think>` blocks or reasoning text removed. */
  reasoningRemoved: boolean;
}

export interface TokenUsage {
  input: number;
  output: number;
}
