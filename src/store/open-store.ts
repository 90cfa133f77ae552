import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { InputError } from "../errors.js";
import { migrateDatabase } from "./migrations.js";
import { createSqliteStore, type SqliteStoreOptions } from "./sqlite-store.js";
import type { Store } from "./types.js";

/**
 * How long a connection waits for another process's write lock before failing:
 * two runs on one data directory queue up instead of crashing. Each write
 * transaction is one commit, so real waits are short; this bounds a stuck peer.
 */
export const BUSY_TIMEOUT_MS = 10_000;

/** Opens (creating if needed) the store in a SQLite file; `":memory:"` for a throwaway one. */
export function openStore(file: string, options: SqliteStoreOptions = {}): Store {
  return createSqliteStore(openDatabase(file), options);
}

/**
 * Opens the SQLite file with the settings the store relies on and brings its
 * schema up to date. Exported for tests and maintenance commands.
 */
export function openDatabase(file: string): Database.Database {
  const inMemory = file === ":memory:";
  if (!inMemory) createParentFolder(file);

  let db: Database.Database;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new InputError(`${file}: cannot open the database (${describe(error)})`, {
      hint: "Check that the data directory is writable.",
      cause: error,
    });
  }

  try {
    // busy_timeout first: switching to WAL itself needs a lock another process may hold.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // WAL lets a report be read while another run writes; see https://sqlite.org/wal.html
    db.pragma("journal_mode = WAL");
    // In WAL mode NORMAL is durable across application crashes, and much faster than FULL.
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    migrateDatabase(db, file);
    return db;
  } catch (error) {
    db.close();
    if (isSqliteError(error, "SQLITE_NOTADB")) {
      throw new InputError(`${file}: not a repo-digest database`, {
        hint: "Move the file away, or point repo-digest at another data directory.",
        cause: error,
      });
    }
    throw error;
  }
}

function createParentFolder(file: string): void {
  const folder = path.dirname(path.resolve(file));
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new InputError(`${folder}: cannot create the data directory (${describe(error)})`, { cause: error });
  }
}

function isSqliteError(error: unknown, code: string): boolean {
  return error instanceof Database.SqliteError && error.code === code;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
