/**
 * The rows both stores read back (src/store/sqlite-store.ts, src/store/postgres/postgres-store.ts)
 * and their mapping to the store's records, written once so that the two answer alike.
 *
 * The tables have the same columns; what differs is how a value comes back, given as the row
 * types' parameter {@link ColumnTypes}. Each store names its own (SqliteColumns, PostgresColumns),
 * and the readers below turn either form into the one the records hold.
 */
import type { ChangeType, CommitAnalysis, Importance } from "../analysis/types.js";
import { InternalError } from "../errors.js";
import type { Lang } from "../i18n/lang.js";
import type { Commit, FileChange, FileStatus } from "../sources/types.js";
import type { EntryLists } from "./search.js";
import type { AnalysisKey, DeliveryRecord, ReportRecord, RunRecord, RunStatus, SearchEntry, StoredReport } from "./types.js";

/** How a store hands back a flag, a time taken from a `Date`, and a list of strings. */
export interface ColumnTypes {
  flag: number | boolean;
  time: string | Date;
  list: string | string[];
}

/** A commit row without its files, which each store reads in its own way. */
export interface CommitRow<C extends ColumnTypes> {
  sha: string;
  parents: C["list"];
  author_name: string;
  author_email: string;
  author_date: string;
  committer_name: string;
  committer_email: string;
  committer_date: string;
  subject: string;
  body: string;
  message_lossy: C["flag"] | null;
  patch_bytes_omitted: number;
  facts_json: string;
}

/** A file row without its patch, which each store keeps in its own way (see {@link toFileChange}). */
export interface FileRow<C extends ColumnTypes> {
  path: string;
  old_path: string | null;
  status: string;
  similarity: number | null;
  old_mode: string;
  new_mode: string;
  binary: C["flag"];
  submodule: C["flag"];
  additions: number;
  deletions: number;
  patch_truncated: C["flag"];
  path_lossy: C["flag"] | null;
  old_blob: string | null;
  new_blob: string | null;
}

export interface RunRow<C extends ColumnTypes> {
  id: number;
  started_at: C["time"];
  finished_at: C["time"] | null;
  status: RunStatus;
  command: string;
  params: string;
  error: string | null;
  stats: string | null;
  pid: number | null;
  host: string | null;
  boot_id: string | null;
  process_start: string | null;
}

/** The same in both stores: `updated_at` is the caller's string, kept as text. */
export interface DeliveryRow {
  id: number;
  run_id: number;
  channel: string;
  period_label: string;
  status: DeliveryRecord["status"];
  attempts: number;
  target: string | null;
  error: string | null;
  report_json: string;
  report_name: string;
  updated_at: string;
}

/** `created_at` is the caller's string, kept as text in both stores. */
export interface ReportRow<C extends ColumnTypes> {
  run_id: number;
  format: string;
  path: string;
  period_label: string;
  repos: C["list"];
  created_at: string;
}

/** A published report's row (table report_models); `json` is read apart, by name. */
export interface ReportModelRow<C extends ColumnTypes> {
  name: string;
  period_label: string;
  lang: Lang;
  digest: C["flag"];
  repos: C["list"];
  since: string;
  until: string;
  created_at: string;
}

/** An indexed commit's row (table search_entries, see src/store/search.ts), with its repository's name. */
export interface SearchEntryRow<C extends ColumnTypes> {
  repo: string;
  sha: string;
  lang: Lang;
  committed_at: string;
  author: string;
  bot: C["flag"];
  title: string;
  body: string;
  pr_number: number | null;
  pr_title: string | null;
  pr_body: string | null;
  importance: Importance;
  change_type: ChangeType;
  analysis_text: string;
  api_added: number;
  api_removed: number;
  breaking: C["flag"];
  lists: string;
}

/** Rebuilds the commit exactly as saved: optional fields absent stay absent (NULL), present ones come back. */
export function toCommit(row: CommitRow<ColumnTypes>, files: FileChange[]): Commit {
  const commit: Commit = {
    sha: row.sha,
    parents: readList(row.parents),
    author: { name: row.author_name, email: row.author_email, date: row.author_date },
    committer: { name: row.committer_name, email: row.committer_email, date: row.committer_date },
    subject: row.subject,
    body: row.body,
    files,
    patchBytesOmitted: row.patch_bytes_omitted,
  };
  if (row.message_lossy !== null) commit.messageLossy = readFlag(row.message_lossy);
  return commit;
}

/** `patch` is the patch's text, decoded by the store from however it keeps it. */
export function toFileChange(row: FileRow<ColumnTypes>, patch: string): FileChange {
  const file: FileChange = {
    path: row.path,
    status: row.status as FileStatus,
    oldMode: row.old_mode,
    newMode: row.new_mode,
    binary: readFlag(row.binary),
    submodule: readFlag(row.submodule),
    additions: row.additions,
    deletions: row.deletions,
    patch,
    patchTruncated: readFlag(row.patch_truncated),
  };
  if (row.old_path !== null) file.oldPath = row.old_path;
  if (row.similarity !== null) file.similarity = row.similarity;
  if (row.path_lossy !== null) file.pathLossy = readFlag(row.path_lossy);
  if (row.old_blob !== null) file.oldBlob = row.old_blob;
  if (row.new_blob !== null) file.newBlob = row.new_blob;
  return file;
}

export function toRunRecord(row: RunRow<ColumnTypes>): RunRecord {
  const run: RunRecord = {
    id: row.id,
    startedAt: readTime(row.started_at),
    status: row.status,
    command: row.command,
    params: JSON.parse(row.params) as Record<string, unknown>,
  };
  if (row.finished_at !== null) run.finishedAt = readTime(row.finished_at);
  if (row.error !== null) run.error = row.error;
  if (row.stats !== null) run.stats = JSON.parse(row.stats) as Record<string, unknown>;
  if (row.pid !== null && row.host !== null) {
    run.owner = {
      pid: row.pid,
      host: row.host,
      ...(row.boot_id !== null ? { bootId: row.boot_id } : {}),
      ...(row.process_start !== null ? { processStart: row.process_start } : {}),
    };
  }
  return run;
}

export function toDeliveryRecord(row: DeliveryRow): DeliveryRecord {
  return {
    id: row.id,
    runId: row.run_id,
    channel: row.channel,
    periodLabel: row.period_label,
    status: row.status,
    attempts: row.attempts,
    ...(row.target === null ? {} : { target: row.target }),
    ...(row.error === null ? {} : { error: row.error }),
    reportJson: row.report_json,
    reportName: row.report_name,
    updatedAt: row.updated_at,
  };
}

export function toReportRecord(row: ReportRow<ColumnTypes>): ReportRecord {
  return {
    runId: row.run_id,
    format: row.format,
    path: row.path,
    periodLabel: row.period_label,
    repos: readList(row.repos),
    createdAt: row.created_at,
  };
}

export function toStoredReport(row: ReportModelRow<ColumnTypes>): StoredReport {
  return {
    name: row.name,
    periodLabel: row.period_label,
    lang: row.lang,
    digest: readFlag(row.digest),
    repos: readList(row.repos),
    since: row.since,
    until: row.until,
    createdAt: row.created_at,
  };
}

/** The entry as indexed; optional PR fields absent when they were. */
export function toSearchEntry(row: SearchEntryRow<ColumnTypes>): SearchEntry & { repo: string } {
  const lists = JSON.parse(row.lists) as EntryLists;
  return {
    repo: row.repo,
    sha: row.sha,
    committedAt: row.committed_at,
    author: row.author,
    bot: readFlag(row.bot),
    title: row.title,
    body: row.body,
    ...(row.pr_number === null ? {} : { prNumber: row.pr_number }),
    ...(row.pr_title === null ? {} : { prTitle: row.pr_title }),
    ...(row.pr_body === null ? {} : { prBody: row.pr_body }),
    labels: lists.labels,
    lang: row.lang,
    importance: row.importance,
    changeType: row.change_type,
    analysisText: row.analysis_text,
    paths: lists.paths,
    modules: lists.modules,
    symbols: lists.symbols,
    envVars: lists.envVars,
    flags: lists.flags,
    configKeys: lists.configKeys,
    dependencies: lists.dependencies,
    apiAdded: row.api_added,
    apiRemoved: row.api_removed,
    breaking: readFlag(row.breaking),
    churn: lists.churn,
    ...(lists.affects ? { affects: lists.affects } : {}),
  };
}

export function assertAnalysisMatchesKey(key: AnalysisKey, analysis: CommitAnalysis): void {
  const matches =
    analysis.sha === key.sha &&
    analysis.lang === key.lang &&
    analysis.analyzer.name === key.analyzer.name &&
    analysis.analyzer.version === key.analyzer.version;
  if (!matches) {
    throw new InternalError(
      `analysis of ${analysis.sha} by ${analysis.analyzer.name}@${analysis.analyzer.version} (${analysis.lang}) ` +
        `saved under the key of ${key.sha} by ${key.analyzer.name}@${key.analyzer.version} (${key.lang})`,
    );
  }
}

/** The commits' `committed_at` column: the committer date in whole seconds since the epoch. */
export function toUnixSeconds(isoDate: string, sha: string): number {
  const millis = Date.parse(isoDate);
  if (Number.isNaN(millis)) throw new InternalError(`commit ${sha} has an unreadable committer date: ${isoDate}`);
  return Math.floor(millis / 1000);
}

/** SQLite keeps 0/1, PostgreSQL a boolean. */
function readFlag(value: number | boolean): boolean {
  return typeof value === "boolean" ? value : value === 1;
}

/** SQLite keeps the ISO text it was given, PostgreSQL's timestamptz comes back as a `Date`. */
function readTime(value: string | Date): string {
  return typeof value === "string" ? value : value.toISOString();
}

/** SQLite keeps a JSON array as text, PostgreSQL a text[]. */
function readList(value: string | string[]): string[] {
  return typeof value === "string" ? (JSON.parse(value) as string[]) : value;
}
