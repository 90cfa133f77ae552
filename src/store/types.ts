/**
 * The store remembers repositories, commits (with their capped patches), facts,
 * analyses, reports and runs, so that no commit is read or analysed twice and a
 * run killed halfway loses nothing it finished.
 */
import type { AnalyzerId, ChangeType, CommitAnalysis, Importance } from "../analysis/types.js";
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

/** A published report, kept with its model so that the web app renders it again (`repo-digest serve`). */
export interface StoredReport {
  /** The report's base name (reportName): unique; a report written again replaces it. */
  name: string;
  periodLabel: string;
  lang: Lang;
  digest: boolean;
  /** The repositories' names, as in the report. */
  repos: string[];
  /** The period, ISO instants. */
  since: string;
  until: string;
  createdAt: string;
}

/**
 * One commit as search and trends see it, in one language (its analysis's): derived at
 * publish from the commit, its facts, its analysis and its PR (src/pipeline/stages/search-entry.ts).
 */
export interface SearchEntry {
  sha: string;
  /** Committer date, ISO. */
  committedAt: string;
  author: string;
  /** A bot's commit (dependabot[bot], renovate, github-actions…). */
  bot: boolean;
  title: string;
  body: string;
  prNumber?: number;
  prTitle?: string;
  prBody?: string;
  labels: string[];
  lang: Lang;
  importance: Importance;
  changeType: ChangeType;
  /** The analysis's words: summary, impact, risks, recommendations, joined. */
  analysisText: string;
  /** What the facts name: every changed path, module, public symbol, environment variable, CLI flag, config key and dependency. */
  paths: string[];
  modules: string[];
  symbols: string[];
  envVars: string[];
  flags: string[];
  configKeys: string[];
  dependencies: string[];
  /** Public API added and removed, and whether anything broke (declared or found). */
  apiAdded: number;
  apiRemoved: number;
  breaking: boolean;
  /** Lines added + deleted in product code, by module (for hotspots). */
  churn: Array<{ module: string; lines: number }>;
  /** The used-by folders (their labels) whose code the commit can break, as its report found (`usedBy:`); absent: none. */
  affects?: string[];
}

export interface SearchQuery {
  /** Full text over title, body, PR title and body, and the analysis (Chinese and English). */
  text?: string;
  /** Repository names. */
  repos?: string[];
  /** ISO instants: committedAt in [since, until). */
  since?: string;
  until?: string;
  minImportance?: Importance;
  changeTypes?: ChangeType[];
  author?: string;
  /** false: leave bots out; true: bots only; undefined: both. */
  bots?: boolean;
  /** true: only commits that can break the user's code (`usedBy:`), as their reports found. */
  affects?: boolean;
  /** A picomatch glob that one of the commit's paths matches. */
  path?: string;
  /** Exact names (a symbol matches its last segment too: `EngineArgs.foo` or `foo`). */
  module?: string;
  symbol?: string;
  envVar?: string;
  flag?: string;
  dependency?: string;
  lang: Lang;
  limit: number;
  offset: number;
}

export interface SearchHit {
  repo: string;
  sha: string;
  title: string;
  committedAt: string;
  author: string;
  importance: Importance;
  changeType: ChangeType;
  /** A short excerpt around the first match of `text` (plain text; the page escapes it). */
  snippet: string;
}

export interface Trends {
  /** Per day (YYYY-MM-DD in UTC), commits by importance. */
  perDay: Array<{ day: string; high: number; medium: number; low: number }>;
  /** Hotspots: modules by lines changed, most first (at most 20). */
  modules: Array<{ module: string; commits: number; lines: number }>;
  /** Per day: public API added and removed, and breaking commits. */
  api: Array<{ day: string; added: number; removed: number; breaking: number }>;
  /** Per day: commits that changed dependencies. */
  dependencies: Array<{ day: string; commits: number }>;
  /** Most active authors, most first (at most 20), bots included and marked. */
  authors: Array<{ author: string; bot: boolean; commits: number }>;
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
  /**
   * Deliveries whose last attempt failed, oldest first; and those claimed (`sending`) more than
   * STALE_SENDING_MS ago, whose process died mid-send: sent again, a message may arrive twice,
   * never not at all.
   */
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
  /** Keeps a published report's model (JSON of the Report), replacing one of the same name. */
  saveReportModel(report: StoredReport, json: string): Promise<void>;
  /** Published reports, newest period first; of one repository when `repo` is given. */
  listReportModels(options: { repo?: string; limit: number; offset: number }): Promise<{ total: number; reports: StoredReport[] }>;
  /** A published report's model, as saved. */
  getReportModel(name: string): Promise<{ report: StoredReport; json: string } | undefined>;
  /** Every repository the store knows. */
  listRepositories(): Promise<StoredRepository[]>;
  /** Indexes commits for search and trends; an entry of the same sha and language replaces the old one. */
  indexCommits(repoId: number, entries: readonly SearchEntry[]): Promise<void>;
  /** Matching commits, newest first (best match first when `text` is given), and how many match in all. */
  searchCommits(query: SearchQuery): Promise<{ total: number; hits: SearchHit[] }>;
  /** One indexed commit, with its entry, by repository name and full or short SHA. */
  getIndexedCommit(repo: string, sha: string, lang: Lang): Promise<(SearchEntry & { repo: string }) | undefined>;
  trends(query: { repos?: string[]; since: string; until: string; lang: Lang }): Promise<Trends>;
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

/** A send takes seconds (each attempt times out in 30 s, a few attempts): a claim older than this lost its process. */
export const STALE_SENDING_MS = 15 * 60_000;

/** The instant before which a `sending` claim is stale. */
export function staleSendingBefore(now: Date = new Date()): string {
  return new Date(now.getTime() - STALE_SENDING_MS).toISOString();
}
