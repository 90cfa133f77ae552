/**
 * A report as a BullMQ flow: the same stages as `runReport`, as jobs that any worker may
 * take, on any machine that reaches the queue (Redis) and the store (PostgreSQL).
 *
 *     report (build + publish)   waits for its children, one per repository:
 *       repo (collect + enrich, then the section)   waits for its children, one per commit:
 *         analyse (one commit → one analysis)
 *
 * Ids are stable, so enqueueing a report twice runs it once: the report's from what it
 * covers (repositories, period, language, formats, analyzer); a repository's and a
 * commit's from the report's, the repository and the commit. A repository job adds its
 * commits' jobs itself once it knows them (BullMQ's "process step jobs" pattern: it saves
 * its step in its data, so a retry resumes where it stopped). Deliveries are claimed in
 * the store under the report job's id, so a publish run again never posts twice.
 */
import type { AffectedUse, UsageSummary } from "../usage/types.js";
import type { ScoringConfig } from "../analysis/types.js";
import type { ReportFormat } from "../report/types.js";
import type { RepoInput } from "../report/build-report.js";
import type { Lang } from "../i18n/lang.js";
import type { ResolvedRepo } from "../pipeline/resolve-repos.js";
import type { RunStats } from "../pipeline/run-report.js";
import type { ChannelOutcome } from "../pipeline/deliver-channels.js";
import type { Analysed } from "../pipeline/stages/analyse.js";
import type { CommitEntry } from "../pipeline/stages/collect.js";
import type { PullRequestInfo } from "../github/types.js";
import type { RepoActivity } from "../report/types.js";
import { hashOptions } from "../pipeline/stages/keys.js";

/** Everything a worker needs to run a report that the command that enqueued it resolved. */
export interface ReportRequest {
  repos: ResolvedRepo[];
  period: { label: string; since: string; until: string; timezone: string };
  lang: Lang;
  formats: ReportFormat[];
  analyzer: string;
  digest?: boolean;
  scoring: ScoringConfig;
  fetch: boolean;
  /** The report's "generated at", as the command saw it (ISO). */
  now: string;
  /** Where the report's files are written, on the worker that publishes it. */
  outDir: string;
  /** Send to the channels of `delivery:` (false: `--no-deliver`). */
  deliver: boolean;
}

export interface ReportJobData {
  request: ReportRequest;
}

export interface RepoJobData {
  request: ReportRequest;
  /** The repository's place in the request (the report keeps the config's order). */
  index: number;
  /** The report job's id: the budget's run key, and the prefix of its commits' job ids. */
  reportId: string;
  step?: "collect" | "assemble";
  /** What the collect step found, kept for the assemble step. */
  collected?: CollectedState;
}

export interface CollectedState {
  repoId: number;
  branch: string;
  factsKey: string;
  optionsKey: string;
  readFromGit: number;
  shas: string[];
  tags: string[];
  notices: string[];
  pullRequests: Array<[string, PullRequestInfo]>;
  activity?: RepoActivity;
  enrichNotices: string[];
  /**
   * Commits read with gaps (files missing from the clone) are not kept in the store, so they
   * are analysed in the repository's job and carried here, never as jobs of their own.
   */
  inline: Array<{ entry: CommitEntry; analysed: Analysed }>;
  /** What the commits change of the user's uses (`usedBy:`), matched while the source was open. */
  usage?: { summaries: UsageSummary[]; notices: string[]; affects: Array<[string, AffectedUse[]]> };
}

export interface AnalyseJobData {
  request: Pick<ReportRequest, "lang" | "analyzer" | "digest" | "scoring">;
  repo: ResolvedRepo;
  reportId: string;
  repoId: number;
  sha: string;
  factsKey: string;
  optionsKey: string;
  pullRequest?: PullRequestInfo;
}

export interface AnalyseJobResult extends Analysed {
  sha: string;
}

export interface RepoJobResult {
  index: number;
  input: RepoInput;
  stats: RunStats;
}

/** What a published report returns to the command waiting for it. */
export interface ReportSummary {
  name: string;
  periodLabel: string;
  files: Array<{ format: string; target: string }>;
  stats: RunStats;
  channelOutcomes: ChannelOutcome[];
  llmFailure?: string;
  /** The whole run's LLM tokens, every worker counted. */
  llmUsed?: { input: number; output: number };
}

/** BullMQ refuses ':' in custom ids; these use '.' and hex. */
export function reportJobId(request: ReportRequest): string {
  const { repos, period, lang, formats, analyzer, digest, scoring, outDir, deliver } = request;
  return `report.${hashOptions({ repos: repos.map((repo) => repo.location), period, lang, formats, analyzer, digest: Boolean(digest), scoring, outDir, deliver })}`;
}

export function repoJobId(reportId: string, index: number): string {
  return `${reportId}.repo${index}`;
}

export function analyseJobId(reportId: string, repoId: number, sha: string): string {
  return `${reportId}.${repoId}.${sha}`;
}
