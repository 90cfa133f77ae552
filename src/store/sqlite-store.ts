import type Database from "better-sqlite3";
import type { CommitAnalysis } from "../analysis/types.js";
import { InternalError } from "../errors.js";
import type { CommitFacts } from "../facts/types.js";
import type { Lang } from "../i18n/lang.js";
import { currentProcessOwner, describeOwner, type ProcessOwner } from "../process-owner.js";
import type { Commit, FileChange } from "../sources/types.js";
import { dropSecretKeys } from "./drop-secret-keys.js";
import { FACTS_VERSION } from "./facts-version.js";
import {
  assertAnalysisMatchesKey,
  toCommit,
  toDeliveryRecord,
  toFileChange,
  toReportRecord,
  toRunRecord,
  toSearchEntry,
  toStoredReport,
  toUnixSeconds,
} from "./rows.js";
import type {
  ColumnTypes,
  CommitRow as SharedCommitRow,
  DeliveryRow,
  FileRow as SharedFileRow,
  ReportModelRow as SharedReportModelRow,
  ReportRow as SharedReportRow,
  RunRow as SharedRunRow,
  SearchEntryRow as SharedSearchEntryRow,
} from "./rows.js";
import {
  TEXT_COLUMNS,
  ambiguousSha,
  checkPage,
  createParams,
  escapeLike,
  finishSearch,
  hasPath,
  latestEntries,
  preparePathNames,
  prepareSearch,
  prepareTrends,
  resolvePathNames,
  shaRange,
  termLength,
  titleRank,
  toChurnRows,
  toEntryColumns,
  toTermRows,
  toTrends,
  type Dialect,
  type EntryColumns,
  type HitRow,
  type ResolvedPaths,
  type TextMatch,
} from "./search.js";
import type {
  AnalysisKey,
  DeliveryRecord,
  ReportRecord,
  RunRecord,
  RunStatus,
  SearchEntry,
  SearchHit,
  SearchQuery,
  StoredReport,
  StoredRepository,
  SyncStore,
  Trends,
} from "./types.js";
import { staleSendingBefore } from "./types.js";

export interface SqliteStoreOptions {
  /** Clock for `created_at` of analyses; tests pass a fixed one. */
  now?: () => Date;
  /** Facts version written and required; defaults to {@link FACTS_VERSION}. Tests use it to simulate a bump. */
  factsVersion?: number;
  /** The process recorded with each run; defaults to this one. */
  owner?: () => ProcessOwner;
}

/**
 * SQLite has no boolean, date or array types: flags are 0/1, times the ISO text they were
 * written as, parents and a report's repositories JSON text.
 */
interface SqliteColumns extends ColumnTypes {
  flag: number;
  time: string;
  list: string;
}

/** `files` is read by a second statement, by the commit's id. */
interface CommitRow extends SharedCommitRow<SqliteColumns> {
  id: number;
}

/** TEXT keeps the patch as it is, NUL bytes included. */
interface FileRow extends SharedFileRow<SqliteColumns> {
  patch: string;
}

type RunRow = SharedRunRow<SqliteColumns>;
type ReportRow = SharedReportRow<SqliteColumns>;
type ReportModelRow = SharedReportModelRow<SqliteColumns>;
type SearchEntryRow = SharedSearchEntryRow<SqliteColumns>;

/** The store over an open, migrated database (see `openDatabase`). Closing the store closes it. */
export function createSqliteStore(db: Database.Database, options: SqliteStoreOptions = {}): SyncStore {
  const now = options.now ?? (() => new Date());
  const factsVersion = options.factsVersion ?? FACTS_VERSION;
  const statements = prepareStatements(db);

  // Immediate transactions take the write lock up front; a deferred one that reads
  // first can hit SQLITE_BUSY on upgrade without the busy timeout ever applying.
  const saveOne = (repoId: number, commit: Commit, facts: CommitFacts, optionsKey: string): void => {
    if (facts.sha !== commit.sha) {
      throw new InternalError(`facts of ${facts.sha} cannot be saved with commit ${commit.sha}`);
    }
    const { id: commitId } = statements.upsertCommit.get(toCommitParams(repoId, commit)) as { id: number };
    statements.deleteFiles.run(commitId);
    commit.files.forEach((file, position) => statements.insertFile.run(toFileParams(commitId, position, file)));

    const factsJson = JSON.stringify(facts);
    const previous = statements.selectFactsJson.get(commitId) as { json: string } | undefined;
    // Analyses are made from facts: when the facts change, what was said about them is stale.
    if (previous !== undefined && previous.json !== factsJson) statements.deleteAnalyses.run(commitId);
    statements.upsertFacts.run({ commitId, factsVersion, optionsKey, json: factsJson });
  };
  const saveCommitTransaction = db.transaction(saveOne);
  const saveCommitsTransaction = db.transaction((repoId: number, entries: ReadonlyArray<{ commit: Commit; facts: CommitFacts }>, optionsKey: string) => {
    for (const { commit, facts } of entries) saveOne(repoId, commit, facts, optionsKey);
  });

  const indexEntries = db.transaction((repoId: number, entries: readonly SearchEntry[]) => {
    for (const entry of latestEntries(entries)) {
      const columns = toEntryColumns(entry);
      const row = statements.upsertEntry.get({ ...columns, repoId, bot: toFlag(columns.bot), breaking: toFlag(columns.breaking), affects: toFlag(columns.affects) }) as { id: number } | undefined;
      // An entry equal to the one held is not written again (a warm re-run indexes nothing):
      // no row comes back, and its terms, churn and FTS row stand.
      if (row === undefined) continue;
      const { id } = row;
      // The entry's row is updated in place (its FTS row follows, by trigger); its facts and churn are written again.
      statements.deleteTerms.run(id);
      statements.deleteChurn.run(id);
      for (const term of toTermRows(entry)) statements.insertTerm.run(id, term.kind, term.name);
      for (const churn of toChurnRows(entry)) statements.insertChurn.run(id, churn.module, churn.lines);
    }
  });

  // Search builds its SQL from the query's filters: a few dozen shapes, each prepared once.
  const prepared = new Map<string, Database.Statement>();
  const all = <T>(sql: string, params: unknown): T[] => {
    let statement = prepared.get(sql);
    if (statement === undefined) {
      if (prepared.size >= 200) prepared.clear();
      statement = db.prepare(sql);
      prepared.set(sql, statement);
    }
    return statement.all(params as Record<string, unknown>) as T[];
  };
  // One snapshot for the three statements of trends (WAL: a writer meanwhile is not seen).
  const readTrends = db.transaction((query: Parameters<SyncStore["trends"]>[0]): Trends => {
    const { dialect, values } = sqliteDialect();
    const sql = prepareTrends(query, dialect);
    const params = values();
    return toTrends(all(sql.days, params), all(sql.modules, params), all(sql.authors, params));
  });
  // One read transaction: the path names and the search see one snapshot.
  const search = db.transaction((query: SearchQuery): { total: number; hits: SearchHit[] } => {
    let paths: ResolvedPaths | undefined;
    if (hasPath(query)) {
      const { dialect, values } = sqliteDialect();
      const names = preparePathNames(query.path, dialect);
      paths = resolvePathNames(all<{ name: string }>(names.sql, values()), names.filter);
    }
    const { dialect, values } = sqliteDialect();
    const plan = prepareSearch(query, dialect, (terms) => sqliteText(terms, dialect.param), paths);
    return finishSearch(all<HitRow & { total: number }>(plan.sql, values()), plan.terms);
  });

  // A read transaction so the commit and its files come from one snapshot.
  const readCommit = db.transaction((repoId: number, sha: string, optionsKey: string) => {
    const row = statements.selectCommit.get({ repoId, sha, factsVersion, optionsKey }) as CommitRow | undefined;
    if (row === undefined) return undefined;
    const files = statements.selectFiles.all(row.id) as FileRow[];
    return { commit: toCommit(row, files.map((file) => toFileChange(file, file.patch))), facts: JSON.parse(row.facts_json) as CommitFacts };
  });

  return {
    upsertRepository(location: string, name: string): StoredRepository {
      return statements.upsertRepository.get({ location, name }) as StoredRepository;
    },

    knownCommits(repoId: number, shas: readonly string[], optionsKey = ""): Set<string> {
      if (shas.length === 0) return new Set();
      // One JSON array parameter instead of an IN list: no bound-variable limit, one prepared statement.
      const rows = statements.selectKnownShas.all({ repoId, factsVersion, optionsKey, shas: JSON.stringify(shas) }) as Array<{
        sha: string;
      }>;
      return new Set(rows.map((row) => row.sha));
    },

    saveCommit(repoId: number, commit: Commit, facts: CommitFacts, optionsKey = ""): void {
      saveCommitTransaction.immediate(repoId, commit, facts, optionsKey);
    },

    saveCommits(repoId: number, entries: ReadonlyArray<{ commit: Commit; facts: CommitFacts }>, optionsKey = ""): void {
      if (entries.length > 0) saveCommitsTransaction.immediate(repoId, entries, optionsKey);
    },

    getCommit(repoId: number, sha: string, optionsKey = ""): { commit: Commit; facts: CommitFacts } | undefined {
      return readCommit(repoId, sha, optionsKey);
    },

    getAnalysis(repoId: number, key: AnalysisKey): CommitAnalysis | undefined {
      const row = statements.selectAnalysis.get(toAnalysisKeyParams(repoId, key)) as { json: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(row.json) as CommitAnalysis);
    },

    latestAnalysis(repoId: number, sha: string, lang: Lang): CommitAnalysis | undefined {
      const row = statements.selectLatestAnalysis.get({ repoId, sha, lang }) as { json: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(row.json) as CommitAnalysis);
    },

    saveAnalysis(repoId: number, key: AnalysisKey, analysis: CommitAnalysis): void {
      assertAnalysisMatchesKey(key, analysis);
      const result = statements.upsertAnalysis.run({
        ...toAnalysisKeyParams(repoId, key),
        json: JSON.stringify(analysis),
        createdAt: now().toISOString(),
      });
      if (result.changes === 0) {
        throw new InternalError(`analysis of ${key.sha} saved before the commit itself (repository ${repoId})`);
      }
    },

    // Callers must not pass secrets in params; dropping secret-looking keys is only a safety net.
    startRun(command: string, params: Record<string, unknown>, startedAt: Date): number {
      const owner = (options.owner ?? currentProcessOwner)();
      const result = statements.insertRun.run({
        startedAt: startedAt.toISOString(),
        command,
        params: JSON.stringify(dropSecretKeys(params)),
        pid: owner.pid,
        host: owner.host,
        bootId: owner.bootId ?? null,
        processStart: owner.processStart ?? null,
      });
      return Number(result.lastInsertRowid);
    },

    finishRun(runId: number, status: Exclude<RunStatus, "running">, finishedAt: Date, error?: string, stats?: Record<string, unknown>): void {
      const result = statements.finishRun.run({
        runId,
        status,
        finishedAt: finishedAt.toISOString(),
        error: error ?? null,
        stats: stats === undefined ? null : JSON.stringify(dropSecretKeys(stats)),
      });
      if (result.changes === 0) throw new InternalError(`run ${runId} does not exist`);
    },

    getRun(runId: number): RunRecord | undefined {
      const row = statements.selectRun.get(runId) as RunRow | undefined;
      return row === undefined ? undefined : toRunRecord(row);
    },

    interruptAbandonedRuns(isGone: (owner: ProcessOwner) => boolean, at: Date): RunRecord[] {
      // A plain read first: every command opens the store, and nearly always nothing is left running.
      const gone = (statements.selectRunningRuns.all() as RunRow[]).map(toRunRecord).filter((run) => run.owner !== undefined && isGone(run.owner));
      return gone.filter((run) => {
        const error = `interrupted: its process (${describeOwner(run.owner!)}) ended without finishing the run`;
        // Still 'running' in the condition: a run that finished meanwhile keeps its own outcome.
        return statements.interruptRun.run({ runId: run.id, finishedAt: at.toISOString(), error }).changes === 1;
      });
    },

    getCached<T>(namespace: string, key: string): { value: T; etag?: string } | undefined {
      const row = statements.selectCached.get({ namespace, key }) as { json: string; etag: string | null } | undefined;
      if (row === undefined) return undefined;
      return { value: JSON.parse(row.json) as T, ...(row.etag === null ? {} : { etag: row.etag }) };
    },

    putCached(namespace: string, key: string, value: unknown, etag?: string): void {
      statements.upsertCached.run({
        namespace,
        key,
        json: JSON.stringify(dropSecretKeys(value)),
        etag: etag ?? null,
        updatedAt: now().toISOString(),
      });
    },

    recordDelivery(delivery: Omit<DeliveryRecord, "id">): number {
      const result = statements.insertDelivery.run({ ...delivery, target: delivery.target ?? null, error: delivery.error ?? null });
      return Number(result.lastInsertRowid);
    },

    claimDelivery(key, delivery): number | undefined {
      const result = statements.claimDelivery.run({ ...delivery, key, target: delivery.target ?? null, error: delivery.error ?? null });
      return result.changes === 0 ? undefined : Number(result.lastInsertRowid);
    },

    updateDelivery(id, update): void {
      statements.updateDelivery.run({ id, ...update, target: update.target ?? null, error: update.error ?? null });
    },

    listFailedDeliveries(): DeliveryRecord[] {
      return (statements.selectFailedDeliveries.all({ staleBefore: staleSendingBefore() }) as DeliveryRow[]).map(toDeliveryRecord);
    },

    listDeliveries(runId: number): DeliveryRecord[] {
      return (statements.selectDeliveriesOfRun.all(runId) as DeliveryRow[]).map(toDeliveryRecord);
    },

    lastCompletedDay(): string | undefined {
      const row = statements.selectLastDay.get() as { day: string } | undefined;
      return row?.day;
    },

    isDayCompleted(day: string): boolean {
      return statements.selectDay.get(day) !== undefined;
    },

    markDayCompleted(day: string, at: Date): void {
      statements.insertDay.run({ day, completedAt: at.toISOString(), outcome: "completed" });
    },

    markDayAbandoned(day: string, at: Date): void {
      statements.insertDay.run({ day, completedAt: at.toISOString(), outcome: "abandoned" });
    },

    recordDayFailure(day: string, at: Date, reason: string, counted: boolean): number {
      const row = statements.upsertDayAttempt.get({ day, updatedAt: at.toISOString(), lastError: reason, add: counted ? 1 : 0 }) as { attempts: number };
      return row.attempts;
    },

    firstPendingDay(): string | undefined {
      return (statements.selectFirstPendingDay.get() as { day: string | null }).day ?? undefined;
    },

    recordReport(report: ReportRecord): void {
      statements.insertReport.run({
        runId: report.runId,
        format: report.format,
        path: report.path,
        periodLabel: report.periodLabel,
        repos: JSON.stringify(report.repos),
        createdAt: report.createdAt,
      });
    },

    listReports(runId?: number): ReportRecord[] {
      const rows = (
        runId === undefined ? statements.selectAllReports.all() : statements.selectReportsOfRun.all(runId)
      ) as ReportRow[];
      return rows.map(toReportRecord);
    },

    saveReportModel(report: StoredReport, json: string): void {
      statements.upsertReportModel.run({
        name: report.name,
        periodLabel: report.periodLabel,
        lang: report.lang,
        digest: toFlag(report.digest),
        repos: JSON.stringify(report.repos),
        since: report.since,
        until: report.until,
        untilMs: readReportTime(report),
        createdAt: report.createdAt,
        json,
      });
    },

    listReportModels(options: { repo?: string; limit: number; offset: number }): { total: number; reports: StoredReport[] } {
      checkPage(options.limit, options.offset);
      const params = { repo: options.repo ?? null, limit: options.limit, offset: options.offset };
      const { total } = statements.countReportModels.get(params) as { total: number };
      return { total, reports: (statements.selectReportModels.all(params) as ReportModelRow[]).map(toStoredReport) };
    },

    getReportModel(name: string): { report: StoredReport; json: string } | undefined {
      const row = statements.selectReportModel.get(name) as (ReportModelRow & { json: string }) | undefined;
      return row === undefined ? undefined : { report: toStoredReport(row), json: row.json };
    },

    listRepositories(): StoredRepository[] {
      return statements.selectRepositories.all() as StoredRepository[];
    },

    indexCommits(repoId: number, entries: readonly SearchEntry[]): void {
      if (entries.length === 0) return;
      try {
        indexEntries.immediate(repoId, entries);
      } catch (error) {
        if ((error as { code?: unknown }).code === "SQLITE_CONSTRAINT_FOREIGNKEY") {
          throw new InternalError(`commits indexed for repository ${repoId}, which the store does not hold`, { cause: error });
        }
        throw error;
      }
    },

    searchCommits(query: SearchQuery): { total: number; hits: SearchHit[] } {
      return search(query);
    },

    getIndexedCommit(repo: string, sha: string, lang): (SearchEntry & { repo: string }) | undefined {
      const range = shaRange(sha);
      if (range === undefined) return undefined;
      const rows = statements.selectIndexedCommit.all({ repo, lang, ...range }) as SearchEntryRow[];
      if (rows.length > 1 && rows[0]!.sha !== rows[1]!.sha) throw ambiguousSha(repo, sha);
      return rows[0] === undefined ? undefined : toSearchEntry(rows[0]);
    },

    trends(query): Trends {
      return readTrends(query);
    },

    close(): void {
      db.close();
    },
  };
}

/** SQLite's side of the shared search SQL (src/store/search.ts): JSON arrays for lists, 0/1 flags. */
function sqliteDialect(): { dialect: Dialect; values: () => unknown } {
  const params = createParams("sqlite");
  const dialect: Dialect = {
    param: params.param,
    oneOf: (column, values) => `${column} IN (SELECT value FROM json_each(${params.param(JSON.stringify(values))}))`,
    contains: (haystack, needle) => `instr(${haystack}, ${needle}) > 0`,
    flag: toFlag,
    anyFlag: (column) => `max(${column})`,
  };
  return { dialect, values: params.values };
}

/**
 * Terms of three characters or more through the FTS5 trigram index, ranked by bm25 with the
 * columns' weights; shorter ones (the trigram index cannot find `调度`, two characters) by a
 * LIKE scan over the same columns, ranked by a title match when no longer term is there.
 * LIKE ignores the case of ASCII letters only; the trigram index, of every letter.
 */
function sqliteText(terms: readonly string[], param: (value: unknown) => string): TextMatch {
  const long = terms.filter((term) => termLength(term) >= 3);
  const where: string[] = [];
  const inTitles: string[] = [];
  // A phrase in double quotes (quotes inside doubled) is matched as a substring; phrases joined by AND.
  if (long.length > 0) where.push(`search_text MATCH ${param(long.map((term) => `"${term.replaceAll('"', '""')}"`).join(" AND "))}`);
  for (const term of terms.filter((each) => termLength(each) < 3)) {
    const pattern = param(`%${escapeLike(term)}%`);
    const like = (column: string) => `e.${column} LIKE ${pattern} ESCAPE '\\'`;
    where.push(`(${TEXT_COLUMNS.map(({ column }) => like(column)).join(" OR ")})`);
    inTitles.push(`(${like("title")} OR ${like("pr_title")})`);
  }
  if (long.length === 0) return { where, rank: titleRank(inTitles) };
  return {
    // `+` keeps the rowid from the FTS5 table's own plan, so that its MATCH runs once, as the
    // outer loop: offered `rowid = e.id`, SQLite may loop over the entries a filter leaves
    // (a period, say) and run the MATCH again for each one (5 s for 2,000 of 10,000 entries,
    // against 7 ms). https://sqlite.org/optoverview.html#disqualifying_where_clause_terms_using_unary_
    join: "JOIN search_text ON +search_text.rowid = e.id",
    where,
    // bm25 is lower for better matches; its arguments weigh the FTS columns in their order.
    rank: `-bm25(search_text, ${TEXT_COLUMNS.map(({ weight }) => weight.toFixed(1)).join(", ")})`,
  };
}

/** A report's period end, by which reports are listed. */
function readReportTime(report: StoredReport): number {
  const millis = Date.parse(report.until);
  if (Number.isNaN(millis)) throw new InternalError(`report ${report.name} has an unreadable period end: ${report.until}`);
  return millis;
}

function prepareStatements(db: Database.Database) {
  return {
    upsertRepository: db.prepare(`
      INSERT INTO repositories (location, name) VALUES (@location, @name)
      ON CONFLICT (location) DO UPDATE SET name = excluded.name
      RETURNING id, location, name`),
    selectKnownShas: db.prepare(`
      SELECT c.sha FROM commits c JOIN facts f ON f.commit_id = c.id
      WHERE c.repo_id = @repoId AND f.facts_version = @factsVersion AND f.options_key = @optionsKey
        AND c.sha IN (SELECT value FROM json_each(@shas))`),
    upsertCommit: db.prepare(`
      INSERT INTO commits (repo_id, sha, parents, author_name, author_email, author_date,
        committer_name, committer_email, committer_date, subject, body, message_lossy,
        patch_bytes_omitted, committed_at)
      VALUES (@repoId, @sha, @parents, @authorName, @authorEmail, @authorDate,
        @committerName, @committerEmail, @committerDate, @subject, @body, @messageLossy,
        @patchBytesOmitted, @committedAt)
      ON CONFLICT (repo_id, sha) DO UPDATE SET
        parents = excluded.parents, author_name = excluded.author_name,
        author_email = excluded.author_email, author_date = excluded.author_date,
        committer_name = excluded.committer_name, committer_email = excluded.committer_email,
        committer_date = excluded.committer_date, subject = excluded.subject, body = excluded.body,
        message_lossy = excluded.message_lossy, patch_bytes_omitted = excluded.patch_bytes_omitted,
        committed_at = excluded.committed_at
      RETURNING id`),
    deleteFiles: db.prepare("DELETE FROM files WHERE commit_id = ?"),
    insertFile: db.prepare(`
      INSERT INTO files (commit_id, position, path, old_path, status, similarity, old_mode, new_mode,
        binary, submodule, additions, deletions, patch, patch_truncated, path_lossy, old_blob, new_blob)
      VALUES (@commitId, @position, @path, @oldPath, @status, @similarity, @oldMode, @newMode,
        @binary, @submodule, @additions, @deletions, @patch, @patchTruncated, @pathLossy, @oldBlob, @newBlob)`),
    selectFactsJson: db.prepare("SELECT json FROM facts WHERE commit_id = ?"),
    upsertFacts: db.prepare(`
      INSERT INTO facts (commit_id, facts_version, options_key, json) VALUES (@commitId, @factsVersion, @optionsKey, @json)
      ON CONFLICT (commit_id) DO UPDATE SET facts_version = excluded.facts_version, options_key = excluded.options_key, json = excluded.json`),
    deleteAnalyses: db.prepare("DELETE FROM analyses WHERE commit_id = ?"),
    selectCommit: db.prepare(`
      SELECT c.*, f.json AS facts_json FROM commits c JOIN facts f ON f.commit_id = c.id
      WHERE c.repo_id = @repoId AND c.sha = @sha AND f.facts_version = @factsVersion AND f.options_key = @optionsKey`),
    selectFiles: db.prepare("SELECT * FROM files WHERE commit_id = ? ORDER BY position"),
    selectLatestAnalysis: db.prepare(`
      SELECT a.json FROM analyses a JOIN commits c ON c.id = a.commit_id
      WHERE c.repo_id = @repoId AND c.sha = @sha AND a.lang = @lang
      ORDER BY a.created_at DESC, a.id DESC LIMIT 1`),
    selectAnalysis: db.prepare(`
      SELECT a.json FROM analyses a JOIN commits c ON c.id = a.commit_id
      WHERE c.repo_id = @repoId AND c.sha = @sha AND a.analyzer_name = @analyzerName
        AND a.analyzer_version = @analyzerVersion AND a.lang = @lang AND a.options_key = @optionsKey`),
    // Selecting the commit row inside the INSERT makes a missing commit visible as zero changes.
    upsertAnalysis: db.prepare(`
      INSERT INTO analyses (commit_id, analyzer_name, analyzer_version, lang, options_key, json, created_at)
      SELECT id, @analyzerName, @analyzerVersion, @lang, @optionsKey, @json, @createdAt
      FROM commits WHERE repo_id = @repoId AND sha = @sha
      ON CONFLICT (commit_id, analyzer_name, analyzer_version, lang, options_key)
      DO UPDATE SET json = excluded.json, created_at = excluded.created_at`),
    insertRun: db.prepare(`
      INSERT INTO runs (started_at, status, command, params, pid, host, boot_id, process_start)
      VALUES (@startedAt, 'running', @command, @params, @pid, @host, @bootId, @processStart)`),
    selectRunningRuns: db.prepare("SELECT * FROM runs WHERE status = 'running' ORDER BY id"),
    interruptRun: db.prepare(`
      UPDATE runs SET status = 'interrupted', finished_at = @finishedAt, error = @error WHERE id = @runId AND status = 'running'`),
    finishRun: db.prepare(`
      UPDATE runs SET status = @status, finished_at = @finishedAt, error = @error, stats = @stats WHERE id = @runId`),
    selectRun: db.prepare("SELECT * FROM runs WHERE id = ?"),
    insertDelivery: db.prepare(`
      INSERT INTO deliveries (run_id, channel, period_label, status, attempts, target, error, report_json, report_name, updated_at)
      VALUES (@runId, @channel, @periodLabel, @status, @attempts, @target, @error, @reportJson, @reportName, @updatedAt)`),
    claimDelivery: db.prepare(`
      INSERT INTO deliveries (run_id, channel, period_label, status, attempts, target, error, report_json, report_name, updated_at, delivery_key)
      VALUES (@runId, @channel, @periodLabel, 'sending', 0, @target, @error, @reportJson, @reportName, @updatedAt, @key)
      ON CONFLICT (delivery_key) DO NOTHING`),
    updateDelivery: db.prepare(`
      UPDATE deliveries SET status = @status, attempts = @attempts, target = COALESCE(@target, target), error = @error, updated_at = @updatedAt
      WHERE id = @id`),
    selectFailedDeliveries: db.prepare("SELECT * FROM deliveries WHERE status = 'failed' OR (status = 'sending' AND updated_at < @staleBefore) ORDER BY id"),
    selectDeliveriesOfRun: db.prepare("SELECT * FROM deliveries WHERE run_id = ? ORDER BY id"),
    selectLastDay: db.prepare("SELECT day FROM daemon_days ORDER BY day DESC LIMIT 1"),
    selectDay: db.prepare("SELECT day FROM daemon_days WHERE day = ?"),
    insertDay: db.prepare("INSERT OR IGNORE INTO daemon_days (day, completed_at, outcome) VALUES (@day, @completedAt, @outcome)"),
    upsertDayAttempt: db.prepare(`
      INSERT INTO daemon_attempts (day, attempts, last_error, updated_at) VALUES (@day, @add, @lastError, @updatedAt)
      ON CONFLICT (day) DO UPDATE SET attempts = attempts + @add, last_error = excluded.last_error, updated_at = excluded.updated_at
      RETURNING attempts`),
    selectFirstPendingDay: db.prepare(`
      SELECT MIN(a.day) AS day FROM daemon_attempts a WHERE NOT EXISTS (SELECT 1 FROM daemon_days d WHERE d.day = a.day)`),
    selectCached: db.prepare("SELECT json, etag FROM cache WHERE namespace = @namespace AND key = @key"),
    upsertCached: db.prepare(`
      INSERT INTO cache (namespace, key, json, etag, updated_at) VALUES (@namespace, @key, @json, @etag, @updatedAt)
      ON CONFLICT (namespace, key) DO UPDATE SET json = excluded.json, etag = excluded.etag, updated_at = excluded.updated_at`),
    insertReport: db.prepare(`
      INSERT INTO reports (run_id, format, path, period_label, repos, created_at)
      VALUES (@runId, @format, @path, @periodLabel, @repos, @createdAt)`),
    selectAllReports: db.prepare("SELECT * FROM reports ORDER BY id"),
    selectReportsOfRun: db.prepare("SELECT * FROM reports WHERE run_id = ? ORDER BY id"),
    upsertReportModel: db.prepare(`
      INSERT INTO report_models (name, period_label, lang, digest, repos, since, until, until_ms, created_at, json)
      VALUES (@name, @periodLabel, @lang, @digest, @repos, @since, @until, @untilMs, @createdAt, @json)
      ON CONFLICT (name) DO UPDATE SET period_label = excluded.period_label, lang = excluded.lang, digest = excluded.digest,
        repos = excluded.repos, since = excluded.since, until = excluded.until, until_ms = excluded.until_ms,
        created_at = excluded.created_at, json = excluded.json`),
    countReportModels: db.prepare(`
      SELECT count(*) AS total FROM report_models m
      WHERE @repo IS NULL OR EXISTS (SELECT 1 FROM json_each(m.repos) WHERE value = @repo)`),
    selectReportModels: db.prepare(`
      SELECT name, period_label, lang, digest, repos, since, until, created_at FROM report_models m
      WHERE @repo IS NULL OR EXISTS (SELECT 1 FROM json_each(m.repos) WHERE value = @repo)
      ORDER BY until_ms DESC, name LIMIT @limit OFFSET @offset`),
    selectReportModel: db.prepare("SELECT * FROM report_models WHERE name = ?"),
    selectRepositories: db.prepare("SELECT id, location, name FROM repositories ORDER BY name, id"),
    upsertEntry: db.prepare(`
      INSERT INTO search_entries (${ENTRY_COLUMNS.join(", ")})
      VALUES (${ENTRY_COLUMNS.map((column) => `@${column === "repo_id" ? "repoId" : column}`).join(", ")})
      ON CONFLICT (repo_id, sha, lang) DO UPDATE SET
        ${UPDATED_COLUMNS.map((column) => `${column} = excluded.${column}`).join(", ")}
      WHERE (${UPDATED_COLUMNS.join(", ")}) IS NOT (${UPDATED_COLUMNS.map((column) => `excluded.${column}`).join(", ")})
      RETURNING id`),
    deleteTerms: db.prepare("DELETE FROM search_terms WHERE entry_id = ?"),
    deleteChurn: db.prepare("DELETE FROM search_churn WHERE entry_id = ?"),
    insertTerm: db.prepare("INSERT INTO search_terms (entry_id, kind, name) VALUES (?, ?, ?)"),
    insertChurn: db.prepare("INSERT INTO search_churn (entry_id, module, lines) VALUES (?, ?, ?)"),
    // Two rows at most: a second of another SHA makes a short SHA ambiguous.
    selectIndexedCommit: db.prepare(`
      SELECT r.name AS repo, e.* FROM search_entries e JOIN repositories r ON r.id = e.repo_id
      WHERE r.name = @repo AND e.lang = @lang AND e.sha >= @from AND e.sha < @to
      ORDER BY e.sha, r.id LIMIT 2`),
  };
}

/** search_entries' columns as indexCommits writes them (see toEntryColumns). */
const ENTRY_COLUMNS = [
  "repo_id", "sha", "lang", "committed_at", "committed_ms", "day", "author", "author_key", "bot", "title", "body",
  "pr_number", "pr_title", "pr_body", "importance", "importance_rank", "change_type", "analysis_text",
  "api_added", "api_removed", "breaking", "dependency_count", "lists", "affects",
] as const satisfies ReadonlyArray<keyof EntryColumns | "repo_id">;
/** What an upsert of a held entry may change; everything but its key. */
const UPDATED_COLUMNS = ENTRY_COLUMNS.filter((column) => !["repo_id", "sha", "lang"].includes(column));

function toCommitParams(repoId: number, commit: Commit) {
  return {
    repoId,
    sha: commit.sha,
    parents: JSON.stringify(commit.parents),
    authorName: commit.author.name,
    authorEmail: commit.author.email,
    authorDate: commit.author.date,
    committerName: commit.committer.name,
    committerEmail: commit.committer.email,
    committerDate: commit.committer.date,
    subject: commit.subject,
    body: commit.body,
    messageLossy: toOptionalFlag(commit.messageLossy),
    patchBytesOmitted: commit.patchBytesOmitted,
    committedAt: toUnixSeconds(commit.committer.date, commit.sha),
  };
}

function toFileParams(commitId: number, position: number, file: FileChange) {
  return {
    commitId,
    position,
    path: file.path,
    oldPath: file.oldPath ?? null,
    status: file.status,
    similarity: file.similarity ?? null,
    oldMode: file.oldMode,
    newMode: file.newMode,
    binary: toFlag(file.binary),
    submodule: toFlag(file.submodule),
    additions: file.additions,
    deletions: file.deletions,
    patch: file.patch,
    patchTruncated: toFlag(file.patchTruncated),
    pathLossy: toOptionalFlag(file.pathLossy),
    oldBlob: file.oldBlob ?? null,
    newBlob: file.newBlob ?? null,
  };
}

function toAnalysisKeyParams(repoId: number, key: AnalysisKey) {
  return {
    repoId,
    sha: key.sha,
    analyzerName: key.analyzer.name,
    analyzerVersion: key.analyzer.version,
    lang: key.lang,
    optionsKey: key.optionsKey,
  };
}

/** SQLite cannot bind booleans. */
function toFlag(value: boolean): number {
  return value ? 1 : 0;
}

function toOptionalFlag(value: boolean | undefined): number | null {
  return value === undefined ? null : toFlag(value);
}
