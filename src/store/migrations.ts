import type Database from "better-sqlite3";
import { InputError, InternalError } from "../errors.js";

/**
 * Schema migrations, oldest first. Migration N (1-based) takes a database from
 * `PRAGMA user_version = N - 1` to N. Never edit a migration that has shipped:
 * append a new one, so that every existing data directory upgrades the same way.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE repositories (
    id INTEGER PRIMARY KEY,
    location TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
  );

  CREATE TABLE commits (
    id INTEGER PRIMARY KEY,
    repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    sha TEXT NOT NULL,
    parents TEXT NOT NULL,
    author_name TEXT NOT NULL,
    author_email TEXT NOT NULL,
    author_date TEXT NOT NULL,
    committer_name TEXT NOT NULL,
    committer_email TEXT NOT NULL,
    committer_date TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    message_lossy INTEGER,
    patch_bytes_omitted INTEGER NOT NULL,
    committed_at INTEGER NOT NULL,
    UNIQUE (repo_id, sha)
  );

  CREATE TABLE files (
    commit_id INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    path TEXT NOT NULL,
    old_path TEXT,
    status TEXT NOT NULL,
    similarity INTEGER,
    old_mode TEXT NOT NULL,
    new_mode TEXT NOT NULL,
    binary INTEGER NOT NULL,
    submodule INTEGER NOT NULL,
    additions INTEGER NOT NULL,
    deletions INTEGER NOT NULL,
    patch TEXT NOT NULL,
    patch_truncated INTEGER NOT NULL,
    path_lossy INTEGER,
    PRIMARY KEY (commit_id, position)
  ) WITHOUT ROWID;

  CREATE TABLE facts (
    commit_id INTEGER PRIMARY KEY REFERENCES commits(id) ON DELETE CASCADE,
    facts_version INTEGER NOT NULL,
    json TEXT NOT NULL
  );

  CREATE TABLE analyses (
    id INTEGER PRIMARY KEY,
    commit_id INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
    analyzer_name TEXT NOT NULL,
    analyzer_version TEXT NOT NULL,
    lang TEXT NOT NULL,
    options_key TEXT NOT NULL,
    json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (commit_id, analyzer_name, analyzer_version, lang, options_key)
  );

  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    command TEXT NOT NULL,
    params TEXT NOT NULL,
    error TEXT
  );

  CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    format TEXT NOT NULL,
    path TEXT NOT NULL,
    period_label TEXT NOT NULL,
    repos TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX reports_run ON reports (run_id);
  `,
  // 2: answers worth keeping that are not analyses of one commit (a repository's overview,
  // a pull request, an HTTP body with its ETag), so that a re-run asks no one twice.
  `
  CREATE TABLE cache (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    json TEXT NOT NULL,
    etag TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (namespace, key)
  ) WITHOUT ROWID;
  `,
  // 3: where each report went, so that `deliver --retry` resends what failed; the days the
  // daemon finished, so that a restart neither skips nor repeats one; each run's figures.
  `
  CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    period_label TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    attempts INTEGER NOT NULL,
    target TEXT,
    error TEXT,
    report_json TEXT NOT NULL,
    report_name TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX deliveries_status ON deliveries (status);

  -- What a run did and spent: commits, analyses, LLM tokens in and out.
  ALTER TABLE runs ADD COLUMN stats TEXT;

  CREATE TABLE daemon_days (
    day TEXT PRIMARY KEY,
    completed_at TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 4: each file's object ids, so that a commit's two versions can be read again without
  // git log; facts keyed by the options they were extracted with (ignore patterns), so a
  // changed option re-reads exactly the commits it affects.
  `
  ALTER TABLE files ADD COLUMN old_blob TEXT;
  ALTER TABLE files ADD COLUMN new_blob TEXT;
  ALTER TABLE facts ADD COLUMN options_key TEXT NOT NULL DEFAULT '';
  `,
  // 5: the process behind each run (pid, host, boot id, start time), so that a run left
  // "running" by a killed process is marked 'interrupted' by the next command. A CHECK
  // cannot be altered, so the table is rebuilt (https://www.sqlite.org/lang_altertable.html#otheralter;
  // foreign keys are off while migrating, see migrateDatabase). The daemon: days given up
  // after too many attempts, and the attempts at days not done yet.
  `
  CREATE TABLE runs_new (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
    command TEXT NOT NULL,
    params TEXT NOT NULL,
    error TEXT,
    stats TEXT,
    pid INTEGER,
    host TEXT,
    boot_id TEXT,
    process_start TEXT
  );
  INSERT INTO runs_new (id, started_at, finished_at, status, command, params, error, stats)
    SELECT id, started_at, finished_at, status, command, params, error, stats FROM runs;
  DROP TABLE runs;
  ALTER TABLE runs_new RENAME TO runs;
  CREATE INDEX runs_running ON runs (status) WHERE status = 'running';

  ALTER TABLE daemon_days ADD COLUMN outcome TEXT NOT NULL DEFAULT 'completed' CHECK (outcome IN ('completed', 'abandoned'));
  CREATE TABLE daemon_attempts (
    day TEXT PRIMARY KEY,
    attempts INTEGER NOT NULL,
    last_error TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 6: a delivery claimed under a stable key before it is sent ('sending'), so that a queued
  // publish job run again after its worker died never posts the same report twice. The
  // CHECK cannot be altered: the table is rebuilt, as in 5.
  `
  CREATE TABLE deliveries_new (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    period_label TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL,
    target TEXT,
    error TEXT,
    report_json TEXT NOT NULL,
    report_name TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    delivery_key TEXT UNIQUE
  );
  INSERT INTO deliveries_new (id, run_id, channel, period_label, status, attempts, target, error, report_json, report_name, updated_at)
    SELECT id, run_id, channel, period_label, status, attempts, target, error, report_json, report_name, updated_at FROM deliveries;
  DROP TABLE deliveries;
  ALTER TABLE deliveries_new RENAME TO deliveries;
  CREATE INDEX deliveries_status ON deliveries (status);
  `,
  // 7: what the web app reads (repo-digest serve): published reports with their models, and
  // commits indexed for search and trends (src/store/search.ts). The full text is an FTS5
  // table with the trigram tokenizer (https://sqlite.org/fts5.html#the_trigram_tokenizer):
  // it finds any substring of three characters or more, so Chinese words without spaces
  // between them too; its content is search_entries' own columns (an external content table,
  // https://sqlite.org/fts5.html#external_content_tables), kept in step by the triggers.
  // Names of facts compare bytewise (BINARY), so a glob's literal head is a range of the key.
  `
  CREATE TABLE report_models (
    name TEXT PRIMARY KEY,
    period_label TEXT NOT NULL,
    lang TEXT NOT NULL,
    digest INTEGER NOT NULL,
    repos TEXT NOT NULL,
    since TEXT NOT NULL,
    until TEXT NOT NULL,
    until_ms INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX report_models_period ON report_models (until_ms DESC, name);

  CREATE TABLE search_entries (
    id INTEGER PRIMARY KEY,
    repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    sha TEXT NOT NULL,
    lang TEXT NOT NULL,
    -- What filters and trends read first: SQLite reads a row's columns in order, and the long
    -- texts after them may lie in overflow pages a filter then does not touch.
    committed_ms INTEGER NOT NULL,
    day TEXT NOT NULL,
    importance_rank INTEGER NOT NULL,
    change_type TEXT NOT NULL,
    bot INTEGER NOT NULL,
    api_added INTEGER NOT NULL,
    api_removed INTEGER NOT NULL,
    breaking INTEGER NOT NULL,
    dependency_count INTEGER NOT NULL,
    pr_number INTEGER,
    importance TEXT NOT NULL,
    committed_at TEXT NOT NULL,
    author TEXT NOT NULL,
    author_key TEXT NOT NULL,
    title TEXT NOT NULL,
    pr_title TEXT,
    body TEXT NOT NULL,
    pr_body TEXT,
    analysis_text TEXT NOT NULL,
    lists TEXT NOT NULL,
    UNIQUE (repo_id, sha, lang)
  );
  -- Newest first, and covering what browsing filters and trends read: neither then reads the
  -- entries' rows, only the page's (10,000 rows read cost a filtered count 25 ms).
  CREATE INDEX search_entries_time ON search_entries (lang, committed_ms, sha, repo_id, importance_rank, change_type, bot,
    day, api_added, api_removed, breaking, dependency_count, author_key, author);

  CREATE TABLE search_terms (
    entry_id INTEGER NOT NULL REFERENCES search_entries(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('path', 'module', 'symbol', 'env', 'flag', 'config', 'dependency')),
    name TEXT NOT NULL,
    PRIMARY KEY (kind, name, entry_id)
  ) WITHOUT ROWID;
  CREATE INDEX search_terms_entry ON search_terms (entry_id);

  CREATE TABLE search_churn (
    entry_id INTEGER NOT NULL REFERENCES search_entries(id) ON DELETE CASCADE,
    module TEXT NOT NULL,
    lines INTEGER NOT NULL,
    PRIMARY KEY (entry_id, module)
  ) WITHOUT ROWID;

  CREATE VIRTUAL TABLE search_text USING fts5(
    title, body, pr_title, pr_body, analysis_text,
    content = 'search_entries', content_rowid = 'id', tokenize = 'trigram'
  );
  CREATE TRIGGER search_entries_insert AFTER INSERT ON search_entries BEGIN
    INSERT INTO search_text (rowid, title, body, pr_title, pr_body, analysis_text)
      VALUES (new.id, new.title, new.body, new.pr_title, new.pr_body, new.analysis_text);
  END;
  CREATE TRIGGER search_entries_delete AFTER DELETE ON search_entries BEGIN
    INSERT INTO search_text (search_text, rowid, title, body, pr_title, pr_body, analysis_text)
      VALUES ('delete', old.id, old.title, old.body, old.pr_title, old.pr_body, old.analysis_text);
  END;
  CREATE TRIGGER search_entries_update AFTER UPDATE ON search_entries BEGIN
    INSERT INTO search_text (search_text, rowid, title, body, pr_title, pr_body, analysis_text)
      VALUES ('delete', old.id, old.title, old.body, old.pr_title, old.pr_body, old.analysis_text);
    INSERT INTO search_text (rowid, title, body, pr_title, pr_body, analysis_text)
      VALUES (new.id, new.title, new.body, new.pr_title, new.pr_body, new.analysis_text);
  END;
  `,
  // 8: which commits can break the user's code (`usedBy:`), for the web app's "affects my code".
  `
  ALTER TABLE search_entries ADD COLUMN affects INTEGER NOT NULL DEFAULT 0;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database up to {@link SCHEMA_VERSION}. An up-to-date database is only
 * read (no lock, so opening never waits for another run's writes). Otherwise the
 * version is read again inside an immediate (write-locked) transaction, so that two
 * processes opening a new data directory at once cannot both apply a migration.
 */
export function migrateDatabase(
  db: Database.Database,
  file: string,
  migrations: readonly string[] = MIGRATIONS,
): void {
  if (checkUserVersion(db, file, migrations.length) === migrations.length) return;
  const migrate = db.transaction(() => {
    const current = checkUserVersion(db, file, migrations.length);
    migrations.slice(current).forEach((sql, index) => {
      db.exec(sql);
      // user_version lives in the database header, so it commits or rolls back with the migration.
      db.pragma(`user_version = ${current + index + 1}`);
    });
    const broken = db.pragma("foreign_key_check") as unknown[];
    if (broken.length > 0) throw new InternalError(`${file}: a migration left ${broken.length} row(s) pointing at rows that are gone`);
  });
  // A migration may rebuild a table others reference (runs): with foreign keys on, dropping
  // the old table would delete its children in cascade. SQLite's documented procedure turns
  // them off meanwhile (a no-op inside a transaction, hence here) and checks before commit.
  const foreignKeys = db.pragma("foreign_keys", { simple: true }) === 1;
  if (foreignKeys) db.pragma("foreign_keys = OFF");
  try {
    migrate.immediate();
  } finally {
    if (foreignKeys) db.pragma("foreign_keys = ON");
  }
}

function checkUserVersion(db: Database.Database, file: string, known: number): number {
  const current = readUserVersion(db);
  if (current > known) {
    throw new InputError(`${file}: database schema version ${current} is newer than this repo-digest knows (${known})`, {
      hint: "Upgrade repo-digest, or point it at another data directory.",
    });
  }
  return current;
}

export function readUserVersion(db: Database.Database): number {
  const version = db.pragma("user_version", { simple: true });
  return typeof version === "number" ? version : 0;
}
