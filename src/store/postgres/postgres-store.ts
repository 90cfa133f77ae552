/**
 * The store in a PostgreSQL database, for several workers (or machines) sharing one: the same
 * calls and answers as the SQLite store (src/store/sqlite-store.ts), over a small pool of
 * connections. Only src/store/open-configured-store.ts imports this file, on demand, so that
 * SQLite users never load `pg`.
 *
 * Where two workers may do the same thing at once, the database decides: commits, analyses,
 * cached answers and days are upserts on their unique keys (one row, no error), a delivery is
 * claimed by inserting its unique key, a day's failed attempts are counted in one statement.
 */
import net from "node:net";
import pg from "pg";
import type { CommitAnalysis } from "../../analysis/types.js";
import { InputError, InternalError } from "../../errors.js";
import type { CommitFacts } from "../../facts/types.js";
import type { Lang } from "../../i18n/lang.js";
import { currentProcessOwner, describeOwner, type ProcessOwner } from "../../process-owner.js";
import type { Commit, FileChange } from "../../sources/types.js";
import { dropSecretKeys } from "../drop-secret-keys.js";
import { FACTS_VERSION } from "../facts-version.js";
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
} from "../rows.js";
import type {
  ColumnTypes,
  CommitRow as SharedCommitRow,
  DeliveryRow,
  FileRow as SharedFileRow,
  ReportModelRow as SharedReportModelRow,
  ReportRow as SharedReportRow,
  RunRow as SharedRunRow,
  SearchEntryRow as SharedSearchEntryRow,
} from "../rows.js";
import {
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
  toChurnRows,
  toEntryColumns,
  titleRank,
  toSearchDocument,
  toTermRows,
  toTrends,
  type Dialect,
  type EntryColumns,
  type HitRow,
  type ResolvedPaths,
  type TextMatch,
} from "../search.js";
import type { AnalysisKey, DeliveryRecord, ReportRecord, RunRecord, RunStatus, SearchEntry, StoredReport, Store, StoredRepository, Trends } from "../types.js";
import { staleSendingBefore } from "../types.js";
import { POSTGRES_SCHEMA_VERSION, migratePostgres, readVersion } from "./migrations.js";
import { describePostgresUrl, fromPostgresError } from "./pg-errors.js";

export interface PostgresStoreOptions {
  /** Clock for `created_at` of analyses and cached answers; tests pass a fixed one. */
  now?: () => Date;
  /** Facts version written and required; defaults to {@link FACTS_VERSION}. Tests use it to simulate a bump. */
  factsVersion?: number;
  /** The process recorded with each run; defaults to this one. */
  owner?: () => ProcessOwner;
  /** Connections at most (default 4): a run's repositories share them; the server's limit is shared by every worker. */
  maxConnections?: number;
  /** How long to wait for the server to answer a new connection (default 10 s). */
  connectTimeoutMs?: number;
  /**
   * For the web app: every session is `default_transaction_read_only`, so the server refuses
   * any write; no migration is run, and a schema older than this code's is refused.
   */
  readOnly?: boolean;
}

const DEFAULT_MAX_CONNECTIONS = 4;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** A transaction that lost a deadlock or a serialisation race is retried this many times: its work is idempotent. */
const TRANSACTION_ATTEMPTS = 3;

/** Reads by their names, as in open-store.ts; anything else writes. */
const READS = /^(get|list|known|latest|is|last|first|search)[A-Z]|^trends$/;

/**
 * Opens the store in the database at `url` (`postgres://user:password@host:port/database`,
 * libpq's query parameters such as `sslmode` allowed) and brings its schema up to date.
 * The server is reached here, so a wrong address or password fails at once, in one line.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const target = describePostgresUrl(url);
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  // pg 8 leaves the socket open when it fails a login on its own side (no password where the
  // server asks for one): the process would then wait for the server's authentication_timeout
  // (60 s) before it could exit. The pool's sockets are kept here, to be destroyed at the end.
  const sockets = new Set<net.Socket>();
  const pool = new pg.Pool({
    connectionString: url,
    stream: () => {
      const socket = new net.Socket();
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
      return socket;
    },
    max: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: "repo-digest",
    // Ids are bigint; pg hands int8 over as strings unless told otherwise (see parseId).
    types: { getTypeParser: ((oid: number, format?: string) => (oid === pg.types.builtins.INT8 ? parseId : pg.types.getTypeParser(oid, format as "text"))) as typeof pg.types.getTypeParser },
    // A run that forgets to close must still let the process exit.
    allowExitOnIdle: true,
    // Awaited by the pool before it hands the connection out; a failure fails that checkout.
    ...(options.readOnly ? { onConnect: (client: pg.ClientBase) => client.query("SET default_transaction_read_only = on").then(() => undefined) } : {}),
  });
  // An idle connection the server drops (a restart) is reported here; without a listener it
  // would crash the process. The next query opens a new one or fails with a mapped error.
  pool.on("error", () => undefined);
  const mapError = (error: unknown, doing: string): unknown => fromPostgresError(error, target, doing, connectTimeoutMs) ?? error;
  const end = async (): Promise<void> => {
    try {
      await pool.end();
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  };
  try {
    const client = await pool.connect();
    try {
      const where = `${target.address}/${target.database}`;
      if (options.readOnly) await checkSchemaForReading(client, where);
      else await migratePostgres(client, where);
    } finally {
      client.release();
    }
  } catch (error) {
    await end().catch(() => undefined);
    throw mapError(error, "opening the store");
  }
  const where = `${target.address}/${target.database}`;
  return guardStore(createPostgresStore(pool, end, options), (error, doing) =>
    options.readOnly && (error as { code?: unknown }).code === READ_ONLY_TRANSACTION ? refusedWrite(doing, where, error) : mapError(error, doing),
  );
}

/** SQLSTATE read_only_sql_transaction: what the server answers a write in a read-only session. */
const READ_ONLY_TRANSACTION = "25006";

/** A write through a store opened read-only: a bug of the caller, said in one line. */
function refusedWrite(doing: string, where: string, cause: unknown): InternalError {
  return new InternalError(`${doing}: the store at ${where} was opened read-only`, {
    hint: "open it without readOnly to write (repo-digest serve only reads)",
    cause,
  });
}

/**
 * A read-only open runs no migration: the schema must be this code's (a newer one is refused by
 * readVersion, an older one or none here), else the web app would query tables that are not there.
 */
async function checkSchemaForReading(client: pg.ClientBase, where: string): Promise<void> {
  const version = await readVersion(client, where, POSTGRES_SCHEMA_VERSION);
  if (version < POSTGRES_SCHEMA_VERSION) {
    throw new InputError(
      version === 0
        ? `${where}: no repo-digest store in this database yet`
        : `${where}: the store's schema is version ${version}, older than this repo-digest's (${POSTGRES_SCHEMA_VERSION})`,
      { hint: "run `repo-digest report` once with this store: it creates or upgrades the schema" },
    );
  }
}

/** Every call's errors become the one line of {@link fromPostgresError}, wherever in the run they happen. */
function guardStore(store: Store, mapError: (error: unknown, doing: string) => unknown): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      const doing = typeof key === "string" && READS.test(key) ? "reading the store" : "writing to the store";
      return async (...args: unknown[]) => {
        try {
          return await (value as (...args: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (error) {
          throw mapError(error, doing);
        }
      };
    },
  });
}

type Queryable = Pick<pg.ClientBase, "query">;

function createPostgresStore(pool: pg.Pool, end: () => Promise<void>, options: PostgresStoreOptions): Store {
  const now = options.now ?? (() => new Date());
  const factsVersion = options.factsVersion ?? FACTS_VERSION;

  const saveEntries = async (repoId: number, entries: ReadonlyArray<{ commit: Commit; facts: CommitFacts }>, optionsKey: string): Promise<void> => {
    for (const { commit, facts } of entries) {
      if (facts.sha !== commit.sha) throw new InternalError(`facts of ${facts.sha} cannot be saved with commit ${commit.sha}`);
    }
    // One row per commit, the last given winning, as saving them one after another would
    // (an upsert cannot touch a row twice in one statement). In SHA order, so that two
    // workers saving overlapping histories lock the rows in one order and never deadlock.
    const bySha = new Map(entries.map((entry) => [entry.commit.sha, entry]));
    const batch = [...bySha.values()].sort((a, b) => (a.commit.sha < b.commit.sha ? -1 : a.commit.sha > b.commit.sha ? 1 : 0));
    await transaction(pool, async (client) => {
      const ids = await upsertCommits(client, repoId, batch);
      await client.query("DELETE FROM files WHERE commit_id = ANY($1::bigint[])", [ids]);
      await insertFiles(client, ids, batch);
      await saveFacts(client, ids, batch, factsVersion, optionsKey);
    });
  };

  return {
    kind: "postgres",

    async upsertRepository(location: string, name: string): Promise<StoredRepository> {
      const result = await pool.query<StoredRepository>(
        `INSERT INTO repositories (location, name) VALUES ($1, $2)
         ON CONFLICT (location) DO UPDATE SET name = EXCLUDED.name
         RETURNING id, location, name`,
        [location, name],
      );
      return { ...result.rows[0]! };
    },

    async knownCommits(repoId: number, shas: readonly string[], optionsKey = ""): Promise<Set<string>> {
      if (shas.length === 0) return new Set();
      // One array parameter instead of an IN list: no limit on parameters, one statement shape.
      const result = await pool.query<{ sha: string }>(
        `SELECT c.sha FROM commits c JOIN facts f ON f.commit_id = c.id
         WHERE c.repo_id = $1 AND f.facts_version = $2 AND f.options_key = $3 AND c.sha = ANY($4::text[])`,
        [repoId, factsVersion, optionsKey, [...shas]],
      );
      return new Set(result.rows.map((row) => row.sha));
    },

    async saveCommit(repoId: number, commit: Commit, facts: CommitFacts, optionsKey = ""): Promise<void> {
      await saveEntries(repoId, [{ commit, facts }], optionsKey);
    },

    async saveCommits(repoId: number, entries: ReadonlyArray<{ commit: Commit; facts: CommitFacts }>, optionsKey = ""): Promise<void> {
      if (entries.length > 0) await saveEntries(repoId, entries, optionsKey);
    },

    async getCommit(repoId: number, sha: string, optionsKey = ""): Promise<{ commit: Commit; facts: CommitFacts } | undefined> {
      // One statement, so the commit and its files come from one snapshot, in one round trip.
      const result = await pool.query<CommitRow>(SELECT_COMMIT, [repoId, sha, factsVersion, optionsKey]);
      const row = result.rows[0];
      if (row === undefined) return undefined;
      return { commit: toCommit(row, row.files.map(readFile)), facts: JSON.parse(row.facts_json) as CommitFacts };
    },

    async getAnalysis(repoId: number, key: AnalysisKey): Promise<CommitAnalysis | undefined> {
      const result = await pool.query<{ json: string }>(
        `SELECT a.json FROM analyses a JOIN commits c ON c.id = a.commit_id
         WHERE c.repo_id = $1 AND c.sha = $2 AND a.analyzer_name = $3 AND a.analyzer_version = $4 AND a.lang = $5 AND a.options_key = $6`,
        analysisKeyParams(repoId, key),
      );
      const row = result.rows[0];
      return row === undefined ? undefined : (JSON.parse(row.json) as CommitAnalysis);
    },

    async latestAnalysis(repoId: number, sha: string, lang: Lang): Promise<CommitAnalysis | undefined> {
      const result = await pool.query<{ json: string }>(
        `SELECT a.json FROM analyses a JOIN commits c ON c.id = a.commit_id
         WHERE c.repo_id = $1 AND c.sha = $2 AND a.lang = $3
         ORDER BY a.created_at DESC, a.id DESC LIMIT 1`,
        [repoId, sha, lang],
      );
      const row = result.rows[0];
      return row === undefined ? undefined : (JSON.parse(row.json) as CommitAnalysis);
    },

    async saveAnalysis(repoId: number, key: AnalysisKey, analysis: CommitAnalysis): Promise<void> {
      assertAnalysisMatchesKey(key, analysis);
      // Selecting the commit row inside the INSERT makes a missing commit visible as zero rows;
      // a worker saving the same key at once waits for the other's row, then updates it.
      const result = await pool.query(
        `INSERT INTO analyses (commit_id, analyzer_name, analyzer_version, lang, options_key, json, created_at)
         SELECT id, $3, $4, $5, $6, $7, $8::timestamptz FROM commits WHERE repo_id = $1 AND sha = $2
         ON CONFLICT (commit_id, analyzer_name, analyzer_version, lang, options_key)
         DO UPDATE SET json = EXCLUDED.json, created_at = EXCLUDED.created_at`,
        [...analysisKeyParams(repoId, key), JSON.stringify(analysis), now().toISOString()],
      );
      if (result.rowCount === 0) {
        throw new InternalError(`analysis of ${key.sha} saved before the commit itself (repository ${repoId})`);
      }
    },

    // Callers must not pass secrets in params; dropping secret-looking keys is only a safety net.
    async startRun(command: string, params: Record<string, unknown>, startedAt: Date): Promise<number> {
      const owner = (options.owner ?? currentProcessOwner)();
      const result = await pool.query<{ id: number }>(
        `INSERT INTO runs (started_at, status, command, params, pid, host, boot_id, process_start)
         VALUES ($1::timestamptz, 'running', $2, $3, $4, $5, $6, $7) RETURNING id`,
        [startedAt.toISOString(), command, JSON.stringify(dropSecretKeys(params)), owner.pid, owner.host, owner.bootId ?? null, owner.processStart ?? null],
      );
      return result.rows[0]!.id;
    },

    async finishRun(runId: number, status: Exclude<RunStatus, "running">, finishedAt: Date, error?: string, stats?: Record<string, unknown>): Promise<void> {
      const result = await pool.query(
        "UPDATE runs SET status = $2, finished_at = $3::timestamptz, error = $4, stats = $5 WHERE id = $1",
        [runId, status, finishedAt.toISOString(), error ?? null, stats === undefined ? null : JSON.stringify(dropSecretKeys(stats))],
      );
      if (result.rowCount === 0) throw new InternalError(`run ${runId} does not exist`);
    },

    async getRun(runId: number): Promise<RunRecord | undefined> {
      const result = await pool.query<RunRow>("SELECT * FROM runs WHERE id = $1", [runId]);
      const row = result.rows[0];
      return row === undefined ? undefined : toRunRecord(row);
    },

    async interruptAbandonedRuns(isGone: (owner: ProcessOwner) => boolean, at: Date): Promise<RunRecord[]> {
      // A plain read first: every command opens the store, and nearly always nothing is left running.
      const running = await pool.query<RunRow>("SELECT * FROM runs WHERE status = 'running' ORDER BY id");
      const gone = running.rows.map(toRunRecord).filter((run) => run.owner !== undefined && isGone(run.owner));
      const marked: RunRecord[] = [];
      for (const run of gone) {
        const error = `interrupted: its process (${describeOwner(run.owner!)}) ended without finishing the run`;
        // Still 'running' in the condition: a run that finished meanwhile keeps its own outcome.
        const result = await pool.query(
          "UPDATE runs SET status = 'interrupted', finished_at = $2::timestamptz, error = $3 WHERE id = $1 AND status = 'running'",
          [run.id, at.toISOString(), error],
        );
        if (result.rowCount === 1) marked.push(run);
      }
      return marked;
    },

    async getCached<T>(namespace: string, key: string): Promise<{ value: T; etag?: string } | undefined> {
      const result = await pool.query<{ json: string; etag: string | null }>("SELECT json, etag FROM cache WHERE namespace = $1 AND key = $2", [
        namespace,
        key,
      ]);
      const row = result.rows[0];
      if (row === undefined) return undefined;
      return { value: JSON.parse(row.json) as T, ...(row.etag === null ? {} : { etag: row.etag }) };
    },

    async putCached(namespace: string, key: string, value: unknown, etag?: string): Promise<void> {
      await pool.query(
        `INSERT INTO cache (namespace, key, json, etag, updated_at) VALUES ($1, $2, $3, $4, $5::timestamptz)
         ON CONFLICT (namespace, key) DO UPDATE SET json = EXCLUDED.json, etag = EXCLUDED.etag, updated_at = EXCLUDED.updated_at`,
        [namespace, key, JSON.stringify(dropSecretKeys(value)), etag ?? null, now().toISOString()],
      );
    },

    async recordDelivery(delivery: Omit<DeliveryRecord, "id">): Promise<number> {
      const result = await pool.query<{ id: number }>(
        `INSERT INTO deliveries (run_id, channel, period_label, status, attempts, target, error, report_json, report_name, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
          delivery.runId,
          delivery.channel,
          delivery.periodLabel,
          delivery.status,
          delivery.attempts,
          delivery.target ?? null,
          delivery.error ?? null,
          delivery.reportJson,
          delivery.reportName,
          delivery.updatedAt,
        ],
      );
      return result.rows[0]!.id;
    },

    async claimDelivery(key, delivery): Promise<number | undefined> {
      // The loser of two workers claiming one key waits for the winner's row, then inserts nothing.
      const result = await pool.query<{ id: number }>(
        `INSERT INTO deliveries (run_id, channel, period_label, status, attempts, target, error, report_json, report_name, updated_at, delivery_key)
         VALUES ($1, $2, $3, 'sending', 0, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (delivery_key) DO NOTHING RETURNING id`,
        [
          delivery.runId,
          delivery.channel,
          delivery.periodLabel,
          delivery.target ?? null,
          delivery.error ?? null,
          delivery.reportJson,
          delivery.reportName,
          delivery.updatedAt,
          key,
        ],
      );
      return result.rows[0]?.id;
    },

    async updateDelivery(id, update): Promise<void> {
      await pool.query(
        "UPDATE deliveries SET status = $2, attempts = $3, target = COALESCE($4, target), error = $5, updated_at = $6 WHERE id = $1",
        [id, update.status, update.attempts, update.target ?? null, update.error ?? null, update.updatedAt],
      );
    },

    async listFailedDeliveries(): Promise<DeliveryRecord[]> {
      const result = await pool.query<DeliveryRow>("SELECT * FROM deliveries WHERE status = 'failed' OR (status = 'sending' AND updated_at < $1) ORDER BY id", [staleSendingBefore()]);
      return result.rows.map(toDeliveryRecord);
    },

    async listDeliveries(runId: number): Promise<DeliveryRecord[]> {
      const result = await pool.query<DeliveryRow>("SELECT * FROM deliveries WHERE run_id = $1 ORDER BY id", [runId]);
      return result.rows.map(toDeliveryRecord);
    },

    async lastCompletedDay(): Promise<string | undefined> {
      const result = await pool.query<{ day: string }>("SELECT day FROM daemon_days ORDER BY day DESC LIMIT 1");
      return result.rows[0]?.day;
    },

    async isDayCompleted(day: string): Promise<boolean> {
      const result = await pool.query("SELECT 1 FROM daemon_days WHERE day = $1", [day]);
      return result.rows.length > 0;
    },

    async markDayCompleted(day: string, at: Date): Promise<void> {
      await insertDay(pool, day, at, "completed");
    },

    async markDayAbandoned(day: string, at: Date): Promise<void> {
      await insertDay(pool, day, at, "abandoned");
    },

    async recordDayFailure(day: string, at: Date, reason: string, counted: boolean): Promise<number> {
      // One statement: two workers failing the same day at once both count.
      const result = await pool.query<{ attempts: number }>(
        `INSERT INTO daemon_attempts (day, attempts, last_error, updated_at) VALUES ($1, $2, $3, $4::timestamptz)
         ON CONFLICT (day) DO UPDATE SET attempts = daemon_attempts.attempts + EXCLUDED.attempts,
           last_error = EXCLUDED.last_error, updated_at = EXCLUDED.updated_at
         RETURNING attempts`,
        [day, counted ? 1 : 0, reason, at.toISOString()],
      );
      return result.rows[0]!.attempts;
    },

    async firstPendingDay(): Promise<string | undefined> {
      const result = await pool.query<{ day: string | null }>(
        "SELECT MIN(a.day) AS day FROM daemon_attempts a WHERE NOT EXISTS (SELECT 1 FROM daemon_days d WHERE d.day = a.day)",
      );
      return result.rows[0]?.day ?? undefined;
    },

    async recordReport(report: ReportRecord): Promise<void> {
      await pool.query(
        "INSERT INTO reports (run_id, format, path, period_label, repos, created_at) VALUES ($1, $2, $3, $4, $5::text[], $6)",
        [report.runId, report.format, report.path, report.periodLabel, report.repos, report.createdAt],
      );
    },

    async listReports(runId?: number): Promise<ReportRecord[]> {
      const result =
        runId === undefined
          ? await pool.query<ReportRow>("SELECT * FROM reports ORDER BY id")
          : await pool.query<ReportRow>("SELECT * FROM reports WHERE run_id = $1 ORDER BY id", [runId]);
      return result.rows.map(toReportRecord);
    },

    async saveReportModel(report: StoredReport, json: string): Promise<void> {
      await pool.query(
        `INSERT INTO report_models (name, period_label, lang, digest, repos, since, until, until_ms, created_at, json)
         VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10)
         ON CONFLICT (name) DO UPDATE SET period_label = EXCLUDED.period_label, lang = EXCLUDED.lang, digest = EXCLUDED.digest,
           repos = EXCLUDED.repos, since = EXCLUDED.since, until = EXCLUDED.until, until_ms = EXCLUDED.until_ms,
           created_at = EXCLUDED.created_at, json = EXCLUDED.json`,
        [report.name, report.periodLabel, report.lang, report.digest, report.repos, report.since, report.until, readReportTime(report), report.createdAt, json],
      );
    },

    async listReportModels(options: { repo?: string; limit: number; offset: number }): Promise<{ total: number; reports: StoredReport[] }> {
      checkPage(options.limit, options.offset);
      const ofRepo = "$1::text IS NULL OR $1 = ANY(repos)";
      const [count, page] = await Promise.all([
        pool.query<{ total: number }>(`SELECT count(*) AS total FROM report_models WHERE ${ofRepo}`, [options.repo ?? null]),
        pool.query<ReportModelRow>(
          `SELECT name, period_label, lang, digest, repos, since, until, created_at FROM report_models
           WHERE ${ofRepo} ORDER BY until_ms DESC, name LIMIT $2 OFFSET $3`,
          [options.repo ?? null, options.limit, options.offset],
        ),
      ]);
      return { total: count.rows[0]!.total, reports: page.rows.map(toStoredReport) };
    },

    async getReportModel(name: string): Promise<{ report: StoredReport; json: string } | undefined> {
      const result = await pool.query<ReportModelRow & { json: string }>("SELECT * FROM report_models WHERE name = $1", [name]);
      const row = result.rows[0];
      return row === undefined ? undefined : { report: toStoredReport(row), json: row.json };
    },

    async listRepositories(): Promise<StoredRepository[]> {
      const result = await pool.query<StoredRepository>("SELECT id, location, name FROM repositories ORDER BY name, id");
      return result.rows.map((row) => ({ ...row }));
    },

    async indexCommits(repoId: number, entries: readonly SearchEntry[]): Promise<void> {
      if (entries.length === 0) return;
      // In (sha, lang) order, so that two workers indexing overlapping days lock rows in one order.
      const batch = latestEntries(entries)
        .map((entry) => ({ columns: toEntryColumns(entry), document: toSearchDocument(entry), terms: toTermRows(entry), churn: toChurnRows(entry) }))
        .sort((a, b) => compareKeys(a.columns, b.columns));
      try {
        await transaction(pool, async (client) => {
          const size = (entry: IndexedEntry) => Buffer.byteLength(JSON.stringify(entry.columns)) + Buffer.byteLength(entry.document.document);
          for (const chunk of chunkByBytes(batch, size)) await indexChunk(client, repoId, chunk);
        });
      } catch (error) {
        if ((error as { code?: unknown }).code === "23503") {
          throw new InternalError(`commits indexed for repository ${repoId}, which the store does not hold`, { cause: error });
        }
        throw error;
      }
    },

    async searchCommits(query) {
      const search = async (client: Queryable, paths?: ResolvedPaths) => {
        const { dialect, values } = postgresDialect();
        const plan = prepareSearch(query, dialect, (terms) => postgresText(terms, dialect.param), paths);
        return finishSearch((await client.query<HitRow & { total: number }>(plan.sql, values() as unknown[])).rows, plan.terms);
      };
      if (!hasPath(query)) return search(pool);
      // A glob: the path names it matches, then the search, in one snapshot, so that a path
      // indexed in between cannot pass the narrowing unchecked.
      return readSnapshot(pool, async (client) => {
        const { dialect, values } = postgresDialect();
        const names = preparePathNames(query.path, dialect);
        return search(client, resolvePathNames((await client.query<{ name: string }>(names.sql, values() as unknown[])).rows, names.filter));
      });
    },

    async getIndexedCommit(repo, sha, lang) {
      const range = shaRange(sha);
      if (range === undefined) return undefined;
      // Two rows at most: a second of another SHA makes a short SHA ambiguous.
      const result = await pool.query<SearchEntryRow>(
        `SELECT r.name AS repo, e.* FROM search_entries e JOIN repositories r ON r.id = e.repo_id
         WHERE r.name = $1 AND e.lang = $2 AND e.sha >= $3 AND e.sha < $4
         ORDER BY e.sha, r.id LIMIT 2`,
        [repo, lang, range.from, range.to],
      );
      const [first, second] = result.rows;
      if (first !== undefined && second !== undefined && first.sha !== second.sha) throw ambiguousSha(repo, sha);
      return first === undefined ? undefined : toSearchEntry(first);
    },

    async trends(query): Promise<Trends> {
      const { dialect, values } = postgresDialect();
      const sql = prepareTrends(query, dialect);
      // One statement: one snapshot and one round trip for the three answers.
      const result = await pool.query<{ days: DayRows; modules: ModuleRows; authors: AuthorRows }>(
        `SELECT (SELECT coalesce(json_agg(d), '[]') FROM (${sql.days}) d) AS days,
           (SELECT coalesce(json_agg(m), '[]') FROM (${sql.modules}) m) AS modules,
           (SELECT coalesce(json_agg(a), '[]') FROM (${sql.authors}) a) AS authors`,
        values() as unknown[],
      );
      const row = result.rows[0]!;
      return toTrends(row.days, row.modules, row.authors);
    },

    async close(): Promise<void> {
      await end();
    },
  };
}

type DayRows = Parameters<typeof toTrends>[0];
type ModuleRows = Parameters<typeof toTrends>[1];
type AuthorRows = Parameters<typeof toTrends>[2];


/** PostgreSQL's side of the shared search SQL (src/store/search.ts): arrays for lists, booleans. */
function postgresDialect(): { dialect: Dialect; values: () => unknown } {
  const params = createParams("postgres");
  const dialect: Dialect = {
    param: params.param,
    oneOf: (column, values) => `${column} = ANY(${params.param([...values])}::text[])`,
    contains: (haystack, needle) => `strpos(${haystack}, ${needle}) > 0`,
    flag: (value) => value,
    anyFlag: (column) => `bool_or(${column})`,
  };
  return { dialect, values: params.values };
}

/**
 * Every term, whatever its length, a LIKE of it lower-cased over the lower-cased document:
 * pg_trgm's index serves terms of three characters or more (in a C-locale database, of ASCII
 * letters and digits only), shorter ones scan. Ranked by the terms the titles hold.
 */
function postgresText(terms: readonly string[], param: (value: unknown) => string): TextMatch {
  const lowered = terms.map((term) => term.toLowerCase());
  return {
    join: "JOIN search_documents d ON d.entry_id = e.id",
    where: lowered.map((term) => `d.document LIKE ${param(`%${escapeLike(term)}%`)} ESCAPE '\\'`),
    rank: titleRank(lowered.map((term) => `strpos(d.titles, ${param(term)}) > 0`)),
  };
}

function compareKeys(a: EntryColumns, b: EntryColumns): number {
  const left = `${a.sha}\u0000${a.lang}`;
  const right = `${b.sha}\u0000${b.lang}`;
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * One chunk of entries in three statements, whatever its size: the entries upserted from one
 * JSON parameter (JSON.stringify and the server's parser are far cheaper than 22 text[] of
 * escaped values); their old facts and churn deleted; the new ones inserted. Deleting in a
 * statement of its own: when another worker indexed the same entry meanwhile, the upsert waited
 * for it, and only a statement begun after that sees (and deletes) what it wrote.
 */
interface IndexedEntry {
  columns: EntryColumns;
  document: { document: string; titles: string };
  terms: Array<{ kind: string; name: string }>;
  churn: Array<{ module: string; lines: number }>;
}

async function indexChunk(client: Queryable, repoId: number, all: readonly IndexedEntry[]): Promise<void> {
  const upserted = await client.query<{ id: number; sha: string; lang: string }>(
    `INSERT INTO search_entries (repo_id, ${ENTRY_COLUMNS.join(", ")})
     SELECT $1, ${ENTRY_COLUMNS.join(", ")}
     FROM json_to_recordset($2::json) AS g(${ENTRY_COLUMNS.map((column) => `${column} ${ENTRY_TYPES[column]}`).join(", ")})
     ON CONFLICT (repo_id, sha, lang) DO UPDATE SET
       ${UPDATED_COLUMNS.map((column) => `${column} = EXCLUDED.${column}`).join(", ")}
     WHERE (${UPDATED_COLUMNS.map((column) => `search_entries.${column}`).join(", ")}) IS DISTINCT FROM (${UPDATED_COLUMNS.map((column) => `EXCLUDED.${column}`).join(", ")})
     RETURNING id, sha, lang`,
    [repoId, JSON.stringify(all.map((entry) => entry.columns))],
  );
  // An entry equal to the one held comes back from no row: its terms, churn and document stand
  // (a warm re-run writes nothing).
  const idOf = new Map(upserted.rows.map((row) => [`${row.sha}\u0000${row.lang}`, row.id]));
  const chunk = all.filter((entry) => idOf.has(`${entry.columns.sha}\u0000${entry.columns.lang}`));
  if (chunk.length === 0) return;
  const ids = chunk.map((entry) => idOf.get(`${entry.columns.sha}\u0000${entry.columns.lang}`)!);
  await client.query(
    `WITH terms AS (DELETE FROM search_terms WHERE entry_id = ANY($1::bigint[]))
     DELETE FROM search_churn WHERE entry_id = ANY($1::bigint[])`,
    [ids],
  );
  const terms = chunk.flatMap((entry, index) => entry.terms.map((term) => ({ id: ids[index]!, ...term })));
  const churn = chunk.flatMap((entry, index) => entry.churn.map((row) => ({ id: ids[index]!, ...row })));
  await client.query(
    `WITH terms AS (
       INSERT INTO search_terms (entry_id, kind, name) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING
     ),
     churn AS (
       INSERT INTO search_churn (entry_id, module, lines) SELECT * FROM unnest($4::bigint[], $5::text[], $6::integer[]) ON CONFLICT DO NOTHING
     )
     INSERT INTO search_documents (entry_id, document, titles)
     SELECT g.entry_id, g.document, g.titles FROM json_to_recordset($7::json) AS g(entry_id bigint, document text, titles text)
     ON CONFLICT (entry_id) DO UPDATE SET document = EXCLUDED.document, titles = EXCLUDED.titles`,
    [
      terms.map((term) => term.id),
      terms.map((term) => term.kind),
      terms.map((term) => term.name),
      churn.map((row) => row.id),
      churn.map((row) => row.module),
      churn.map((row) => row.lines),
      JSON.stringify(chunk.map((entry, index) => ({ entry_id: ids[index], ...entry.document }))),
    ],
  );
}

/** search_entries' columns as indexCommits writes them (see toEntryColumns), with their types. */
const ENTRY_TYPES: Readonly<Record<keyof EntryColumns, string>> = {
  sha: "text",
  lang: "text",
  committed_at: "text",
  committed_ms: "bigint",
  day: "text",
  author: "text",
  author_key: "text",
  bot: "boolean",
  title: "text",
  body: "text",
  pr_number: "integer",
  pr_title: "text",
  pr_body: "text",
  importance: "text",
  importance_rank: "smallint",
  change_type: "text",
  analysis_text: "text",
  api_added: "integer",
  api_removed: "integer",
  breaking: "boolean",
  dependency_count: "integer",
  lists: "text",
  affects: "boolean",
};
const ENTRY_COLUMNS = Object.keys(ENTRY_TYPES) as Array<keyof EntryColumns>;

/** A report's period end, by which reports are listed. */
function readReportTime(report: StoredReport): number {
  const millis = Date.parse(report.until);
  if (Number.isNaN(millis)) throw new InternalError(`report ${report.name} has an unreadable period end: ${report.until}`);
  return millis;
}

/**
 * Runs `work` in one transaction on one connection. A deadlock or serialisation failure
 * (SQLSTATE 40P01, 40001) rolls everything back, so the work is simply done again.
 */
async function transaction<T>(pool: pg.Pool, work: (client: Queryable) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch (rollbackError) {
        // The connection itself failed: the pool must not hand it out again.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      const code = (error as { code?: unknown }).code;
      if ((code === "40P01" || code === "40001") && attempt < TRANSACTION_ATTEMPTS) continue;
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/** Runs `work` in one read-only REPEATABLE READ transaction: its statements see one snapshot. */
async function readSnapshot<T>(pool: pg.Pool, work: (client: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Inserts or updates the commits in one statement; their ids in the batch's order. */
async function upsertCommits(client: Queryable, repoId: number, batch: ReadonlyArray<{ commit: Commit }>): Promise<number[]> {
  const commits = batch.map((entry) => entry.commit);
  const result = await client.query<{ id: number; sha: string }>(
    `INSERT INTO commits (repo_id, sha, parents, author_name, author_email, author_date,
       committer_name, committer_email, committer_date, subject, body, message_lossy, patch_bytes_omitted, committed_at)
     SELECT $1, u.sha, string_to_array(u.parents, ' '), u.author_name, u.author_email, u.author_date,
       u.committer_name, u.committer_email, u.committer_date, u.subject, u.body, u.message_lossy, u.patch_bytes_omitted, to_timestamp(u.committed_at)
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
       $10::text[], $11::text[], $12::boolean[], $13::bigint[], $14::double precision[])
       WITH ORDINALITY AS u(sha, parents, author_name, author_email, author_date, committer_name, committer_email,
         committer_date, subject, body, message_lossy, patch_bytes_omitted, committed_at, ord)
     ORDER BY u.ord
     ON CONFLICT (repo_id, sha) DO UPDATE SET
       parents = EXCLUDED.parents, author_name = EXCLUDED.author_name, author_email = EXCLUDED.author_email,
       author_date = EXCLUDED.author_date, committer_name = EXCLUDED.committer_name,
       committer_email = EXCLUDED.committer_email, committer_date = EXCLUDED.committer_date,
       subject = EXCLUDED.subject, body = EXCLUDED.body, message_lossy = EXCLUDED.message_lossy,
       patch_bytes_omitted = EXCLUDED.patch_bytes_omitted, committed_at = EXCLUDED.committed_at
     RETURNING id, sha`,
    [
      repoId,
      commits.map((commit) => commit.sha),
      // SHAs hold no spaces: one string per commit, as a text[] cannot hold arrays of different lengths.
      commits.map((commit) => commit.parents.join(" ")),
      commits.map((commit) => commit.author.name),
      commits.map((commit) => commit.author.email),
      commits.map((commit) => commit.author.date),
      commits.map((commit) => commit.committer.name),
      commits.map((commit) => commit.committer.email),
      commits.map((commit) => commit.committer.date),
      commits.map((commit) => commit.subject),
      commits.map((commit) => commit.body),
      commits.map((commit) => commit.messageLossy ?? null),
      commits.map((commit) => commit.patchBytesOmitted),
      // Seconds, not toISOString(): PostgreSQL cannot read its form of years past 9999 (+010000-…).
      commits.map((commit) => toUnixSeconds(commit.committer.date, commit.sha)),
    ],
  );
  const idBySha = new Map(result.rows.map((row) => [row.sha, row.id]));
  return commits.map((commit) => idBySha.get(commit.sha)!);
}

async function insertFiles(client: Queryable, ids: readonly number[], batch: ReadonlyArray<{ commit: Commit }>): Promise<void> {
  const rows = batch.flatMap(({ commit }, index) =>
    commit.files.map((file, position) => ({ commitId: ids[index]!, position, file, patch: Buffer.from(file.patch, "utf8") })),
  );
  for (const chunk of chunkByBytes(rows, (row) => row.patch.length)) {
    const patches = packBytes(chunk.map((row) => row.patch));
    const column = <T>(pick: (file: FileChange) => T) => chunk.map((row) => pick(row.file));
    await client.query(
      `INSERT INTO files (commit_id, position, path, old_path, status, similarity, old_mode, new_mode, is_binary, is_submodule,
         additions, deletions, patch, patch_truncated, path_lossy, old_blob, new_blob)
       SELECT u.commit_id, u.position, u.path, u.old_path, u.status, u.similarity, u.old_mode, u.new_mode, u.is_binary, u.is_submodule,
         u.additions, u.deletions, substring($13::bytea FROM u.patch_start FOR u.patch_length), u.patch_truncated, u.path_lossy, u.old_blob, u.new_blob
       FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::integer[], $7::text[], $8::text[],
         $9::boolean[], $10::boolean[], $11::integer[], $12::integer[], $14::integer[], $15::integer[], $16::boolean[], $17::boolean[], $18::text[], $19::text[])
         AS u(commit_id, position, path, old_path, status, similarity, old_mode, new_mode, is_binary, is_submodule,
           additions, deletions, patch_start, patch_length, patch_truncated, path_lossy, old_blob, new_blob)`,
      [
        chunk.map((row) => row.commitId),
        chunk.map((row) => row.position),
        column((file) => file.path),
        column((file) => file.oldPath ?? null),
        column((file) => file.status),
        column((file) => file.similarity ?? null),
        column((file) => file.oldMode),
        column((file) => file.newMode),
        column((file) => file.binary),
        column((file) => file.submodule),
        column((file) => file.additions),
        column((file) => file.deletions),
        patches.bytes,
        patches.starts,
        patches.lengths,
        column((file) => file.patchTruncated),
        column((file) => file.pathLossy ?? null),
        column((file) => file.oldBlob ?? null),
        column((file) => file.newBlob ?? null),
      ],
    );
  }
}

/**
 * Saves the facts; analyses are made from facts, so where the stored facts differ from the new
 * ones, what was said about them is stale and goes. One statement: the DELETE compares with the
 * facts as they were when the statement began, before the upsert replaces them.
 */
async function saveFacts(
  client: Queryable,
  ids: readonly number[],
  batch: ReadonlyArray<{ facts: CommitFacts }>,
  factsVersion: number,
  optionsKey: string,
): Promise<void> {
  const rows = batch.map((entry, index) => ({ commitId: ids[index]!, json: Buffer.from(JSON.stringify(entry.facts), "utf8") }));
  for (const chunk of chunkByBytes(rows, (row) => row.json.length)) {
    const json = packBytes(chunk.map((row) => row.json));
    await client.query(
      `WITH given AS (
         SELECT g.commit_id, convert_from(substring($2::bytea FROM g.start FOR g.length), 'UTF8') AS json
         FROM unnest($1::bigint[], $3::integer[], $4::integer[]) AS g(commit_id, start, length)
       ),
       stale AS (
         DELETE FROM analyses a USING given g, facts f
         WHERE a.commit_id = g.commit_id AND f.commit_id = g.commit_id AND f.json <> g.json
       )
       INSERT INTO facts (commit_id, facts_version, options_key, json)
       SELECT commit_id, $5, $6, json FROM given
       ON CONFLICT (commit_id) DO UPDATE SET
         facts_version = EXCLUDED.facts_version, options_key = EXCLUDED.options_key, json = EXCLUDED.json`,
      [chunk.map((row) => row.commitId), json.bytes, json.starts, json.lengths, factsVersion, optionsKey],
    );
  }
}

/**
 * Large values (patches, facts) travel as one binary parameter with their offsets, sliced by
 * the server. pg sends a Buffer as it is; a text[] or bytea[] literal is escaped element by
 * element here and parsed again there: for 4,000 patches of 1.5 KB, 0.6 s and 0.3 s.
 */
function packBytes(values: readonly Buffer[]): { bytes: Buffer; starts: number[]; lengths: number[] } {
  const starts: number[] = [];
  let next = 1; // substring() counts from 1
  for (const value of values) {
    starts.push(next);
    next += value.length;
  }
  return { bytes: Buffer.concat(values), starts, lengths: values.map((value) => value.length) };
}

/**
 * Packed bytes per statement. A parameter holds at most 1 GB, and a batch of commits with capped
 * patches (2 MiB each) can pass that; smaller statements also bound the copy packing makes.
 */
const MAX_PACKED_BYTES = 16 * 1024 * 1024;

function chunkByBytes<T>(rows: readonly T[], size: (row: T) => number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (current.length > 0 && bytes + size(row) > MAX_PACKED_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size(row);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function insertDay(pool: pg.Pool, day: string, at: Date, outcome: "completed" | "abandoned") {
  return pool.query("INSERT INTO daemon_days (day, completed_at, outcome) VALUES ($1, $2::timestamptz, $3) ON CONFLICT (day) DO NOTHING", [
    day,
    at.toISOString(),
    outcome,
  ]);
}

/**
 * The commit, its facts and its files in one row. Patches travel as base64 inside the files'
 * JSON: JSON cannot carry bytes, and bytea's text form depends on the server's bytea_output.
 * The files' keys are SQLite's column names, so that both stores read one FileRow (rows.ts);
 * the columns here are is_binary and is_submodule, BINARY being a reserved word in PostgreSQL.
 */
const SELECT_COMMIT = `
  SELECT c.*, f.json AS facts_json,
    (SELECT coalesce(json_agg(json_build_object(
        'path', fi.path, 'old_path', fi.old_path, 'status', fi.status, 'similarity', fi.similarity,
        'old_mode', fi.old_mode, 'new_mode', fi.new_mode, 'binary', fi.is_binary, 'submodule', fi.is_submodule,
        'additions', fi.additions, 'deletions', fi.deletions, 'patch', encode(fi.patch, 'base64'),
        'patch_truncated', fi.patch_truncated, 'path_lossy', fi.path_lossy, 'old_blob', fi.old_blob, 'new_blob', fi.new_blob
      ) ORDER BY fi.position), '[]'::json)
     FROM files fi WHERE fi.commit_id = c.id) AS files
  FROM commits c JOIN facts f ON f.commit_id = c.id
  WHERE c.repo_id = $1 AND c.sha = $2 AND f.facts_version = $3 AND f.options_key = $4`;

/**
 * PostgreSQL hands back booleans, a `Date` for timestamptz (runs' times, taken from `Date`s)
 * and arrays for text[] (parents, a report's repositories).
 */
interface PostgresColumns extends ColumnTypes {
  flag: boolean;
  time: Date;
  list: string[];
}

/** The files come in the same row, as JSON (see {@link SELECT_COMMIT}). */
interface CommitRow extends SharedCommitRow<PostgresColumns> {
  files: FileRow[];
}

/** A bytea patch, sent as base64: JSON cannot carry bytes (see {@link SELECT_COMMIT}). */
interface FileRow extends SharedFileRow<PostgresColumns> {
  patch: string;
}

type RunRow = SharedRunRow<PostgresColumns>;
type ReportRow = SharedReportRow<PostgresColumns>;
type ReportModelRow = SharedReportModelRow<PostgresColumns>;
type SearchEntryRow = SharedSearchEntryRow<PostgresColumns>;

function readFile(row: FileRow): FileChange {
  return toFileChange(row, Buffer.from(row.patch, "base64").toString("utf8"));
}

function analysisKeyParams(repoId: number, key: AnalysisKey): unknown[] {
  return [repoId, key.sha, key.analyzer.name, key.analyzer.version, key.lang, key.optionsKey];
}

/** int8 as a number: ids and byte counts stay far below 2^53; past it, a wrong number would be silent. */
function parseId(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new InternalError(`the PostgreSQL store returned ${text}, beyond the integers JavaScript holds exactly`);
  return value;
}
/** What an upsert of a held entry may change; everything but its key. */
const UPDATED_COLUMNS = ENTRY_COLUMNS.filter((column) => column !== "sha" && column !== "lang");
