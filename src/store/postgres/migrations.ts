import type pg from "pg";
import { InputError } from "../../errors.js";

/**
 * The PostgreSQL schema's migrations, oldest first; migration N (1-based) is recorded as
 * version N in `schema_migrations`. Never edit one that has shipped: append a new one.
 *
 * Migration 1 is SQLite's schema at its version 6 (src/store/migrations.ts), with PostgreSQL's
 * types where they keep a value exactly:
 * - JSON documents (facts, analyses, run params and stats, cached answers, report models) are
 *   `text`, not `jsonb`: nothing queries inside them; `jsonb` would refuse a `\u0000` that a
 *   PR body or an HTTP answer may hold; `text` keeps the bytes, so "did the facts change" is the
 *   same byte comparison as SQLite's; and it costs no parse on every write of a long history.
 * - Patches are `bytea`: `text` cannot hold a NUL byte, which git prints inside a patch when a
 *   file has one past its first 8,000 bytes (SQLite's TEXT keeps it).
 * - Times the store takes from a `Date` are `timestamptz`; strings the caller hands over as
 *   strings (commit dates with their offsets, a report's `createdAt`, a delivery's `updatedAt`,
 *   days as YYYY-MM-DD) stay `text`, so they come back exactly as given.
 * - Ids are `bigint` identities (an upsert spends an id even when it updates), read back as
 *   numbers; flags are `boolean`; parents and a report's repositories are `text[]`.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE repositories (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    location text NOT NULL UNIQUE,
    name text NOT NULL
  );

  CREATE TABLE commits (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    repo_id bigint NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    sha text NOT NULL,
    parents text[] NOT NULL,
    author_name text NOT NULL,
    author_email text NOT NULL,
    author_date text NOT NULL,
    committer_name text NOT NULL,
    committer_email text NOT NULL,
    committer_date text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    message_lossy boolean,
    patch_bytes_omitted bigint NOT NULL,
    committed_at timestamptz NOT NULL,
    UNIQUE (repo_id, sha)
  );

  CREATE TABLE files (
    commit_id bigint NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
    position integer NOT NULL,
    path text NOT NULL,
    old_path text,
    status text NOT NULL,
    similarity integer,
    old_mode text NOT NULL,
    new_mode text NOT NULL,
    is_binary boolean NOT NULL,
    is_submodule boolean NOT NULL,
    additions integer NOT NULL,
    deletions integer NOT NULL,
    patch bytea NOT NULL,
    patch_truncated boolean NOT NULL,
    path_lossy boolean,
    old_blob text,
    new_blob text,
    PRIMARY KEY (commit_id, position)
  );

  CREATE TABLE facts (
    commit_id bigint PRIMARY KEY REFERENCES commits(id) ON DELETE CASCADE,
    facts_version integer NOT NULL,
    options_key text NOT NULL,
    json text NOT NULL
  );

  CREATE TABLE analyses (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    commit_id bigint NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
    analyzer_name text NOT NULL,
    analyzer_version text NOT NULL,
    lang text NOT NULL,
    options_key text NOT NULL,
    json text NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (commit_id, analyzer_name, analyzer_version, lang, options_key)
  );

  CREATE TABLE runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at timestamptz NOT NULL,
    finished_at timestamptz,
    status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
    command text NOT NULL,
    params text NOT NULL,
    error text,
    stats text,
    pid integer,
    host text,
    boot_id text,
    process_start text
  );
  CREATE INDEX runs_running ON runs (status) WHERE status = 'running';

  CREATE TABLE reports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    format text NOT NULL,
    path text NOT NULL,
    period_label text NOT NULL,
    repos text[] NOT NULL,
    created_at text NOT NULL
  );
  CREATE INDEX reports_run ON reports (run_id);

  CREATE TABLE cache (
    namespace text NOT NULL,
    key text NOT NULL,
    json text NOT NULL,
    etag text,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (namespace, key)
  );

  CREATE TABLE deliveries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    channel text NOT NULL,
    period_label text NOT NULL,
    status text NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
    attempts integer NOT NULL,
    target text,
    error text,
    report_json text NOT NULL,
    report_name text NOT NULL,
    updated_at text NOT NULL,
    delivery_key text UNIQUE
  );
  CREATE INDEX deliveries_status ON deliveries (status);
  CREATE INDEX deliveries_run ON deliveries (run_id);

  CREATE TABLE daemon_days (
    day text PRIMARY KEY,
    completed_at timestamptz NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('completed', 'abandoned'))
  );

  CREATE TABLE daemon_attempts (
    day text PRIMARY KEY,
    attempts integer NOT NULL,
    last_error text NOT NULL,
    updated_at timestamptz NOT NULL
  );
  `,
  // 2: SQLite's migration 7: published reports with their models, and commits indexed for
  // search and trends (src/store/search.ts). The full text is a LIKE of lower-cased terms over
  // search_documents (the five texts lower-cased by repo-digest, in a narrow table of its own:
  // a scan reads short rows, not the entries' wide and compressed ones), indexed by pg_trgm (a
  // trusted extension: the database's owner may create it). Not a tsvector: its parsers split
  // on spaces and punctuation, so a Chinese sentence is one lexeme and a word inside it cannot
  // be found; LIKE finds any substring, as SQLite's trigram index does. pg_trgm takes its
  // trigrams from the letters and digits of the database's locale: in a C-locale database
  // Chinese has none, and those terms scan instead (same answers, no index). Fact names and
  // SHAs are COLLATE "C": bytewise, as SQLite's BINARY, so that a range on them is a prefix (a
  // glob's literal head, a short SHA).
  `
  CREATE EXTENSION IF NOT EXISTS pg_trgm;

  CREATE TABLE report_models (
    name text PRIMARY KEY,
    period_label text NOT NULL,
    lang text NOT NULL,
    digest boolean NOT NULL,
    repos text[] NOT NULL,
    since text NOT NULL,
    until text NOT NULL,
    until_ms bigint NOT NULL,
    created_at text NOT NULL,
    json text NOT NULL
  );
  CREATE INDEX report_models_period ON report_models (until_ms DESC, name);

  CREATE TABLE search_entries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    repo_id bigint NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    sha text COLLATE "C" NOT NULL,
    lang text NOT NULL,
    committed_ms bigint NOT NULL,
    day text NOT NULL,
    importance_rank smallint NOT NULL,
    change_type text NOT NULL,
    bot boolean NOT NULL,
    api_added integer NOT NULL,
    api_removed integer NOT NULL,
    breaking boolean NOT NULL,
    dependency_count integer NOT NULL,
    pr_number integer,
    importance text NOT NULL,
    committed_at text NOT NULL,
    author text NOT NULL,
    author_key text NOT NULL,
    title text NOT NULL,
    pr_title text,
    body text NOT NULL,
    pr_body text,
    analysis_text text NOT NULL,
    lists text NOT NULL,
    UNIQUE (repo_id, sha, lang)
  );
  -- Newest first, and covering what browsing filters and trends read (index-only scans).
  CREATE INDEX search_entries_time ON search_entries (lang, committed_ms, sha)
    INCLUDE (repo_id, importance_rank, change_type, bot, day, api_added, api_removed, breaking, dependency_count, author_key, author);

  CREATE TABLE search_documents (
    entry_id bigint PRIMARY KEY REFERENCES search_entries(id) ON DELETE CASCADE,
    document text NOT NULL,
    titles text NOT NULL
  );
  CREATE INDEX search_documents_text ON search_documents USING gin (document gin_trgm_ops);

  CREATE TABLE search_terms (
    entry_id bigint NOT NULL REFERENCES search_entries(id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('path', 'module', 'symbol', 'env', 'flag', 'config', 'dependency')),
    name text COLLATE "C" NOT NULL,
    PRIMARY KEY (kind, name, entry_id)
  );
  CREATE INDEX search_terms_entry ON search_terms (entry_id);

  CREATE TABLE search_churn (
    entry_id bigint NOT NULL REFERENCES search_entries(id) ON DELETE CASCADE,
    module text NOT NULL,
    lines integer NOT NULL,
    PRIMARY KEY (entry_id, module)
  );
  `,
  // 3: which commits can break the user's code (`usedBy:`), for the web app's "affects my code".
  `
  ALTER TABLE search_entries ADD COLUMN affects boolean NOT NULL DEFAULT false;
  `,
];

export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;

/**
 * Any number will do as long as every repo-digest uses the same one: `hashtext` of a fixed
 * name keeps it readable. Advisory locks are per database, so two stores in two databases of
 * one server migrate independently.
 */
const MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(hashtext('repo-digest schema migrations'))";

/**
 * Brings the database up to the newest migration. An up-to-date database is only read (no
 * lock: opening never waits for another worker). Otherwise the version is read again inside a
 * transaction holding an advisory lock, so that two workers starting on a new database at once
 * cannot both apply a migration: the second waits, then finds nothing left to do. PostgreSQL's
 * DDL is transactional, so a failing migration leaves neither its tables nor its version.
 */
export async function migratePostgres(
  client: pg.ClientBase,
  where: string,
  migrations: readonly string[] = POSTGRES_MIGRATIONS,
): Promise<void> {
  if ((await readVersion(client, where, migrations.length)) === migrations.length) return;
  await client.query("BEGIN");
  try {
    await client.query(MIGRATION_LOCK);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const current = await readVersion(client, where, migrations.length);
    for (const [index, sql] of migrations.slice(current).entries()) {
      await client.query(sql);
      await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [current + index + 1]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/** The schema's version (0 for a database repo-digest never touched); newer than known is refused. */
export async function readVersion(client: pg.ClientBase, where: string, known: number): Promise<number> {
  // to_regclass follows search_path, as the store's unqualified table names do.
  const table = await client.query<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  if (!table.rows[0]!.present) return 0;
  const row = await client.query<{ version: number | null }>("SELECT max(version) AS version FROM schema_migrations");
  const current = row.rows[0]!.version ?? 0;
  if (current > known) {
    throw new InputError(`${where}: database schema version ${current} is newer than this repo-digest knows (${known})`, {
      hint: "Upgrade repo-digest, or point it at another database.",
    });
  }
  return current;
}
