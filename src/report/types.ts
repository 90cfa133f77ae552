/**
 * The report model: one object that every renderer (Markdown, JSON, and later HTML
 * and feeds) turns into text. Renderers own layout; nothing here is pre-formatted
 * except the analysis texts, which are already in the report's language.
 */
import type { ChangeType, CommitAnalysis, Importance, Overview } from "../analysis/types.js";
import type { CommitFacts, FileKind } from "../facts/types.js";
import type { Lang } from "../i18n/lang.js";
import type { AffectedUse, UsageSummary } from "../usage/types.js";

export const REPORT_SCHEMA_VERSION = 2;

export interface ReportPeriod {
  /** "2026-01-17" for a day, or "2026-01-17..2026-01-23" for a range. */
  label: string;
  /** ISO instants; `until` is exclusive. */
  since: string;
  until: string;
  timezone: string;
}

export interface ReportCommit {
  sha: string;
  shortSha: string;
  /** First line of the message, as written. */
  title: string;
  body: string;
  author: { name: string; email: string };
  /** Committer date in the report's time zone, ISO 8601 with offset. */
  committedAt: string;
  links: { commit?: string; pullRequest?: string };
  prNumber?: number;
  /** The pull request behind the commit, where GitHub was asked (issue 4). */
  pullRequest?: PullRequestContext;
  changeType: ChangeType;
  importance: Importance;
  analysis: CommitAnalysis;
  facts: CommitFacts;
  /**
   * What the commit changes of what the user's own code uses (`usedBy:`), breaking first; absent
   * when nothing. A commit with a breaking one "affects you": lifted to the top of its section.
   */
  affects?: AffectedUse[];
  /** Files changed and lines, for the header line of the commit. */
  stats: { files: number; additions: number; deletions: number; byKind: Partial<Record<FileKind, number>> };
}

export interface RepoReport {
  name: string;
  /** Web address of the repository where known (for the heading link). */
  webUrl?: string;
  branch: string;
  /** Newest first, as in the commit table. */
  commits: ReportCommit[];
  counts: Record<Importance, number> & { total: number };
  /** One-line notices about this repository (fetch failed, history shallow, ...). */
  notices: string[];
  /** The day's themes and what to read first, written by the LLM from the analyses only. */
  overview?: RepoOverview;
  /** Releases, pull requests and issues of the period, where GitHub was asked. */
  activity?: RepoActivity;
  /** The usage indexes the commits were matched against (`usedBy:`): what was indexed, how many uses. */
  usage?: UsageSummary[];
  /** Weekly digest: commits per day of the period, by importance, oldest day first. */
  days?: Array<{ day: string; counts: Record<Importance, number> & { total: number } }>;
}

export interface PullRequestContext {
  number: number;
  title: string;
  url: string;
  author?: string;
  labels: string[];
  reviewers: string[];
  /** Issue numbers the PR closes or references. */
  linkedIssues: number[];
  mergedAt?: string;
}

/** The day's themes and what to read first, written by the LLM from the analyses only. */
export type RepoOverview = Overview;

/** One pull request or issue in the activity section. */
export interface ActivityItem {
  number: number;
  title: string;
  url: string;
  author?: string;
  labels: string[];
  /** When it was opened, merged or closed, whichever put it in its list (ISO). */
  at: string;
}

export interface ActivityRelease {
  tag: string;
  name: string;
  url: string;
  publishedAt: string;
  prerelease: boolean;
  /** The release notes reduced to their first points (headings and bullets), at most five. */
  highlights: string[];
}

export interface RepoActivity {
  releases: ActivityRelease[];
  /** Tags pushed in the period without a release. */
  tags: Array<{ name: string; url?: string }>;
  pullRequests: { opened: ActivityItem[]; merged: ActivityItem[]; closed: ActivityItem[] };
  issues: { opened: ActivityItem[]; closed: ActivityItem[] };
  /** Open issues and PRs with the most new comments in the period. */
  discussed: Array<ActivityItem & { kind: "issue" | "pull"; newComments: number }>;
  /** Items left out to keep the section short, per list, so the report can say so. */
  omitted: number;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  lang: Lang;
  period: ReportPeriod;
  /** ISO instant the report was generated. */
  generatedAt: string;
  generator: { name: "repo-digest"; version: string };
  repos: RepoReport[];
  overview: {
    repos: number;
    commits: number;
    counts: Record<Importance, number>;
    /** The day's high-importance commits across repositories, by score. */
    highlights: Array<{ repo: string; sha: string; shortSha: string; title: string }>;
    /** Commits that can break the user's code (`usedBy:`), across repositories, newest first: read these first. */
    affectsYou?: Array<{ repo: string; sha: string; shortSha: string; title: string; names: string[] }>;
  };
  /** One-line notices for the whole run (banners). */
  notices: string[];
  /** The run's LLM spend, every call of it (the overview's and failed ones included). */
  llmUsage?: { model: string; input: number; output: number; cost?: { amount: number; currency: string } };
  /**
   * "digest": the weekly digest, built from what the store holds; renderers show the
   * high-importance commits in full and the rest as counts.
   */
  kind?: "daily" | "digest";
}

/** A renderer turns the model into one file's text. */
export interface Renderer {
  readonly id: ReportFormat;
  /** File extension without the dot. */
  readonly extension: string;
  render(report: Report): string;
}

export type ReportFormat = "md" | "json" | "html";
