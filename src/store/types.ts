/**
 * The store remembers repositories, commits (with their capped patches), facts,
 * analyses, reports and runs, so that no commit is read or analysed twice and a
 * run killed halfway loses nothing it finished.
 */
import type { AnalyzerId, CommitAnalysis } from "../analysis/types.js";
import type { CommitFacts } from "../facts/types.js";
import type { Lang } from "../i18n/lang.js";
import type { ProcessOwner } from "../process-owner.js";
import type { Commit } from "../sources/types.js";

export interface StoredRepository {
  id: number;
  /** Stable key: the location as given (path made absolute, or URL). */
  location: string;
  name: string;
}

export interface AnalysisKey {
  sha: string;
  analyzer: AnalyzerId;
  lang: Lang;
  /** Hash of the options that change the output (weights, model, prompt version). */
  optionsKey: string;
}

/** "interrupted": the run's process ended without finishing it (killed, or the machine stopped). */
export type RunStatus = "running" | "succeeded" | "failed" | "interrupted";

export interface RunRecord {
  id: number;
  startedAt: string;
  finishedAt?: string;
  status: RunStatus;
  command: string;
  /** The run's parameters as JSON-able data (never secrets). */
  params: Record<string, unknown>;
  error?: string;
  /** What the run did and spent (commits, analyses, LLM tokens), once it finished. */
  stats?: Record<string, unknown>;
  /** The process that ran it (absent for runs recorded before schema version 5). */
  owner?: ProcessOwner;
}

export interface ReportRecord {
  runId: number;
  format: string;
  path: string;
  periodLabel: string;
  repos: string[];
  createdAt: string;
}

export type DeliveryStatus = "sent" | "failed";

/** One report sent (or not) to one configured channel. */
export interface DeliveryRecord {
  id: number;
  runId: number;
  /** The channel's name in the config (its `name`, else its type). */
  channel: string;
  periodLabel: string;
  status: DeliveryStatus;
  attempts: number;
  /** Where it went, without secrets. */
  target?: string;
  error?: string;
  /** The report model as JSON, so that a retry sends exactly what failed. */
  reportJson: string;
  reportName: string;
  updatedAt: string;
}

export interface Store {
  /** Inserts or returns the repository with this location; updates its name if it changed. */
  upsertRepository(location: string, name: string): StoredRepository;
  /**
   * Which of these SHAs the store already holds (commit and facts) for the repository,
   * with facts of the current version extracted under `factsKey` (a hash of the options
   * that shape facts); others must be read again.
   */
  knownCommits(repoId: number, shas: readonly string[], factsKey?: string): Set<string>;
  /** Saves a commit, its files and its facts in one transaction. Idempotent. */
  saveCommit(repoId: number, commit: Commit, facts: CommitFacts, factsKey?: string): void;
  /** Saves many commits in one transaction: a whole history costs one commit of the database, not one per commit. */
  saveCommits(repoId: number, entries: ReadonlyArray<{ commit: Commit; facts: CommitFacts }>, factsKey?: string): void;
  /** A stored commit with its facts (of the current version and `factsKey`), or undefined. */
  getCommit(repoId: number, sha: string, factsKey?: string): { commit: Commit; facts: CommitFacts } | undefined;
  getAnalysis(repoId: number, key: AnalysisKey): CommitAnalysis | undefined;
  saveAnalysis(repoId: number, key: AnalysisKey, analysis: CommitAnalysis): void;
  /** The newest analysis of a commit in a language, whatever analyzer wrote it (for digests). */
  latestAnalysis(repoId: number, sha: string, lang: Lang): CommitAnalysis | undefined;
  startRun(command: string, params: Record<string, unknown>, now: Date): number;
  finishRun(runId: number, status: Exclude<RunStatus, "running">, now: Date, error?: string, stats?: Record<string, unknown>): void;
  getRun(runId: number): RunRecord | undefined;
  /**
   * Marks 'interrupted' (with a finish time and why) every run still 'running' whose process
   * `isGone` says has ended; a run whose process lives is another command at work, left alone.
   * Returns the runs marked.
   */
  interruptAbandonedRuns(isGone: (owner: ProcessOwner) => boolean, now: Date): RunRecord[];
  /** A kept answer by namespace and key ("overview", "github-pr", "http"...), with its ETag where it has one. */
  getCached<T>(namespace: string, key: string): { value: T; etag?: string } | undefined;
  /** Keeps an answer; secret-looking keys of objects are dropped first, as for run params. */
  putCached(namespace: string, key: string, value: unknown, etag?: string): void;
  recordDelivery(delivery: Omit<DeliveryRecord, "id">): number;
  updateDelivery(id: number, update: Pick<DeliveryRecord, "status" | "attempts" | "updatedAt"> & { target?: string; error?: string }): void;
  /** Deliveries whose last attempt failed, oldest first. */
  listFailedDeliveries(): DeliveryRecord[];
  listDeliveries(runId: number): DeliveryRecord[];
  /**
   * The daemon's ledger of settled days (YYYY-MM-DD in its time zone): completed, or given
   * up after too many attempts; the newest settled day, and whether a day is settled.
   */
  lastCompletedDay(): string | undefined;
  isDayCompleted(day: string): boolean;
  markDayCompleted(day: string, at: Date): void;
  /** Settles a day the daemon stops retrying (`repo-digest report --date` redoes it by hand). */
  markDayAbandoned(day: string, at: Date): void;
  /** Records a failed attempt at a day; `counted` ones add to its attempts. Returns the attempts so far. */
  recordDayFailure(day: string, at: Date, reason: string, counted: boolean): number;
  /** The oldest day with a failed attempt and not settled since: where the next tick starts. */
  firstPendingDay(): string | undefined;
  recordReport(report: ReportRecord): void;
  listReports(runId?: number): ReportRecord[];
  close(): void;
}
