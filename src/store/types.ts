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

/** "sending": claimed by a worker (see Store.claimDelivery) and not settled yet. */
export type DeliveryStatus = "sending" | "sent" | "failed";

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

/**
 * Every call is asynchronous, whatever the database: SQLite answers at once (better-sqlite3
 * is synchronous), PostgreSQL over the network. Callers never know which they have.
 */
export interface Store {
  /** Which database this is, for logs and `--json` (never a password). */
  readonly kind: "sqlite" | "postgres";
  /** Inserts or returns the repository with this location; updates its name if it changed. */
  upsertRepository(location: string, name: string): Promise<StoredRepository>;
  /**
   * Which of these SHAs the store already holds (commit and facts) for the repository,
   * with facts of the current version extracted under `factsKey` (a hash of the options
   * that shape facts); others must be read again.
   */
  knownCommits(repoId: number, shas: readonly string[], factsKey?: string): Promise<Set<string>>;
  /** Saves a commit, its files and its facts in one transaction. Idempotent. */
  saveCommit(repoId: number, commit: Commit, facts: CommitFacts, factsKey?: string): Promise<void>;
  /** Saves many commits in one transaction: a whole history costs one commit of the database, not one per commit. */
  saveCommits(repoId: number, entries: ReadonlyArray<{ commit: Commit; facts: CommitFacts }>, factsKey?: string): Promise<void>;
  /** A stored commit with its facts (of the current version and `factsKey`), or undefined. */
  getCommit(repoId: number, sha: string, factsKey?: string): Promise<{ commit: Commit; facts: CommitFacts } | undefined>;
  getAnalysis(repoId: number, key: AnalysisKey): Promise<CommitAnalysis | undefined>;
  saveAnalysis(repoId: number, key: AnalysisKey, analysis: CommitAnalysis): Promise<void>;
  /** The newest analysis of a commit in a language, whatever analyzer wrote it (for digests). */
  latestAnalysis(repoId: number, sha: string, lang: Lang): Promise<CommitAnalysis | undefined>;
  startRun(command: string, params: Record<string, unknown>, now: Date): Promise<number>;
  finishRun(runId: number, status: Exclude<RunStatus, "running">, now: Date, error?: string, stats?: Record<string, unknown>): Promise<void>;
  getRun(runId: number): Promise<RunRecord | undefined>;
  /**
   * Marks 'interrupted' (with a finish time and why) every run still 'running' whose process
   * `isGone` says has ended; a run whose process lives is another command at work, left alone.
   * Returns the runs marked.
   */
  interruptAbandonedRuns(isGone: (owner: ProcessOwner) => boolean, now: Date): Promise<RunRecord[]>;
  /** A kept answer by namespace and key ("overview", "github-pr", "http"...), with its ETag where it has one. */
  getCached<T>(namespace: string, key: string): Promise<{ value: T; etag?: string } | undefined>;
  /** Keeps an answer; secret-looking keys of objects are dropped first, as for run params. */
  putCached(namespace: string, key: string, value: unknown, etag?: string): Promise<void>;
  recordDelivery(delivery: Omit<DeliveryRecord, "id">): Promise<number>;
  /**
   * Reserves one report's delivery to one channel under a stable `key` (the queued job's id
   * and the channel) before it is sent, as 'sending' with no attempt yet. Returns the new
   * record's id, or undefined when the key is taken (sent, failed, or being sent by another
   * worker): the caller must not send. The key is unique in the database, so this holds
   * across processes and machines: a retried job never posts twice.
   */
  claimDelivery(key: string, delivery: Omit<DeliveryRecord, "id" | "status" | "attempts">): Promise<number | undefined>;
  updateDelivery(id: number, update: Pick<DeliveryRecord, "status" | "attempts" | "updatedAt"> & { target?: string; error?: string }): Promise<void>;
  /** Deliveries whose last attempt failed, oldest first. */
  listFailedDeliveries(): Promise<DeliveryRecord[]>;
  listDeliveries(runId: number): Promise<DeliveryRecord[]>;
  /**
   * The daemon's ledger of settled days (YYYY-MM-DD in its time zone): completed, or given
   * up after too many attempts; the newest settled day, and whether a day is settled.
   */
  lastCompletedDay(): Promise<string | undefined>;
  isDayCompleted(day: string): Promise<boolean>;
  markDayCompleted(day: string, at: Date): Promise<void>;
  /** Settles a day the daemon stops retrying (`repo-digest report --date` redoes it by hand). */
  markDayAbandoned(day: string, at: Date): Promise<void>;
  /** Records a failed attempt at a day; `counted` ones add to its attempts. Returns the attempts so far. */
  recordDayFailure(day: string, at: Date, reason: string, counted: boolean): Promise<number>;
  /** The oldest day with a failed attempt and not settled since: where the next tick starts. */
  firstPendingDay(): Promise<string | undefined>;
  recordReport(report: ReportRecord): Promise<void>;
  listReports(runId?: number): Promise<ReportRecord[]>;
  close(): Promise<void>;
}

/**
 * The SQLite store's own calls, synchronous as better-sqlite3 is; `openStore` wraps them into
 * a {@link Store}. Derived from it so that the two cannot drift apart.
 */
export type SyncStore = {
  [K in Exclude<keyof Store, "getCached" | "kind">]: Store[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : never;
} & {
  getCached<T>(namespace: string, key: string): { value: T; etag?: string } | undefined;
};
