import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { EnvironmentError, InputError, InternalError } from "../errors.js";
import { fromOsError, withOsErrorsSync, type OsErrorContext } from "../os-errors.js";
import { SCHEMA_VERSION, migrateDatabase, readUserVersion } from "./migrations.js";
import { createSqliteStore, type SqliteStoreOptions } from "./sqlite-store.js";
import type { Store, SyncStore } from "./types.js";

/**
 * How long a connection waits for another process's write lock before failing:
 * two runs on one data directory queue up instead of crashing. Each write
 * transaction is one commit, so real waits are short; this bounds a stuck peer.
 */
export const BUSY_TIMEOUT_MS = 10_000;

export interface OpenStoreOptions extends SqliteStoreOptions {
  /**
   * For the web app: better-sqlite3's read-only connection (SQLite refuses every write), on a
   * store a report has made: a missing file or a schema older than this code's is refused,
   * as no migration is run.
   */
  readonly?: boolean;
}

/** Opens (creating if needed) the store in a SQLite file; `":memory:"` for a throwaway one. */
export function openStore(file: string, options: OpenStoreOptions = {}): Store {
  const db = options.readonly ? openDatabaseForReading(file) : openDatabase(file);
  try {
    // Preparing the statements reads the schema: a damaged schema page shows here.
    return guardStore(withOsErrorsSync(opening(file), () => createSqliteStore(db, options)), file, options.readonly ?? false);
  } catch (error) {
    db.close();
    throw error;
  }
}

const RUN_A_REPORT = "run `repo-digest report` once with this data directory: it creates or upgrades the store";

/**
 * The store's file opened read-only, as it is: no folder created, no journal mode set (the
 * writer set WAL; a reader cannot), no migration. SQLite itself refuses any write on it.
 */
function openDatabaseForReading(file: string): Database.Database {
  if (file === ":memory:") throw new InternalError("a read-only store needs a file: an in-memory one would be empty");
  if (!fs.existsSync(file)) throw new InputError(`opening the store: no store at ${file} yet`, { hint: RUN_A_REPORT });
  checkStoreFile(file);
  const db = withOsErrorsSync(opening(file), () => new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS }));
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const version = readUserVersion(db);
    if (version > SCHEMA_VERSION) {
      throw new InputError(`${file}: database schema version ${version} is newer than this repo-digest knows (${SCHEMA_VERSION})`, {
        hint: "Upgrade repo-digest, or point it at another data directory.",
      });
    }
    if (version < SCHEMA_VERSION) {
      throw new InputError(`${file}: the store's schema is version ${version}, older than this repo-digest's (${SCHEMA_VERSION})`, { hint: RUN_A_REPORT });
    }
    return db;
  } catch (error) {
    db.close();
    throw fromOsError(error, opening(file)) ?? error;
  }
}

/**
 * Opens the SQLite file with the settings the store relies on and brings its
 * schema up to date. Exported for tests and maintenance commands.
 *
 * A damaged file is refused before anything is written to it, never repaired or replaced:
 * the user is told to move it aside. A file cut short is found here (see checkStoreFile); a
 * page damaged in the middle of the file only when it is read, by {@link guardStore}.
 * `PRAGMA quick_check` at open would find that too, but it reads every page: 1.4 s on a
 * 1.4 GB store (337,367 pages) on this machine, against 1 ms for the rest of the open.
 */
export function openDatabase(file: string): Database.Database {
  const inMemory = file === ":memory:";
  if (!inMemory) {
    createParentFolder(file);
    checkStoreFile(file);
  }
  const db = withOsErrorsSync(opening(file), () => new Database(file, { timeout: BUSY_TIMEOUT_MS }));
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
    // SQLITE_NOTADB (not a database), SQLITE_CORRUPT (the header's page count is larger
    // than the file), SQLITE_FULL (a new store on a full disk): one line naming the file.
    throw fromOsError(error, opening(file)) ?? error;
  }
}

function opening(file: string): OsErrorContext {
  return { doing: "opening the store", path: file };
}

function createParentFolder(file: string): void {
  const folder = path.dirname(path.resolve(file));
  // The data dir holds the store and the mirrors (remote URLs, fetched code): the owner's alone.
  withOsErrorsSync({ doing: "creating the data directory", path: folder }, () => fs.mkdirSync(folder, { recursive: true, mode: 0o700 }));
}

/** https://www.sqlite.org/fileformat.html#the_database_header */
const SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "latin1");
const HEADER_BYTES = 100;

/**
 * What SQLite would open without a word. A file cut short by whole pages SQLite refuses
 * itself (the header's page count exceeds the file: SQLITE_CORRUPT), but one that ends inside
 * a page it opens, reading the missing bytes as zeros: rows lost, and the next write built on
 * them. A database file is always a whole number of pages, so that costs one 100-byte read.
 * A folder where the file belongs would be SQLite's vague "unable to open database file".
 */
function checkStoreFile(file: string): void {
  const stats = withOsErrorsSync(opening(file), () => fs.statSync(file, { throwIfNoEntry: false }));
  if (stats === undefined) return;
  if (stats.isDirectory()) {
    throw new EnvironmentError(`opening the store: ${file} is a directory, not a database file`, { hint: MOVE_ASIDE });
  }
  // An empty file is an empty database to SQLite (one a run on a full disk may have left).
  if (!stats.isFile() || stats.size < HEADER_BYTES) return;
  const header = Buffer.alloc(HEADER_BYTES);
  withOsErrorsSync(opening(file), () => {
    const fd = fs.openSync(file, "r");
    try {
      fs.readSync(fd, header, 0, HEADER_BYTES, 0);
    } finally {
      fs.closeSync(fd);
    }
  });
  // Anything else is SQLITE_NOTADB, which SQLite reports itself at the first read.
  if (!header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) return;
  const stored = header.readUInt16BE(16);
  const pageSize = stored === 1 ? 65_536 : stored;
  if (pageSize >= 512 && stats.size % pageSize !== 0) {
    throw new EnvironmentError(
      `opening the store: the database file is damaged, cut short inside a page (${file}: ${stats.size} bytes, pages of ${pageSize})`,
      { hint: MOVE_ASIDE },
    );
  }
}

const MOVE_ASIDE = "move it aside and run again to start a new store";

/** Reads by their names; anything else writes (or may, like `close`, which checkpoints the WAL). */
const READS = /^(get|list|known|latest|is|last|first|search)[A-Z]|^trends$/;

/**
 * The SQLite store as a {@link Store}: every call answers with a promise, as PostgreSQL's do,
 * and turns an SQLite or OS error into the one line naming the store file and the fix: a
 * damaged page surfaces at the first read of it (SQLITE_CORRUPT), a full disk at any write
 * (SQLITE_FULL), wherever in the run that happens.
 */
function guardStore(store: SyncStore, file: string, readonly: boolean): Store {
  const guarded = new Proxy(store, {
    get(target, key, receiver) {
      if (key === "kind") return "sqlite";
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      const doing = typeof key === "string" && READS.test(key) ? "reading the store" : "writing to the store";
      return (...args: unknown[]) => {
        try {
          return Promise.resolve(withOsErrorsSync({ doing, path: file }, () => value.apply(target, args)));
        } catch (error) {
          // SQLITE_READONLY from a read-only connection is the caller's mistake, not the file's mode.
          const cause = (error as { cause?: { code?: unknown } }).cause;
          if (readonly && typeof cause?.code === "string" && cause.code.startsWith("SQLITE_READONLY")) {
            return Promise.reject(
              new InternalError(`${doing}: the store ${file} was opened read-only`, { hint: "open it without readonly to write (repo-digest serve only reads)", cause }),
            );
          }
          return Promise.reject(error);
        }
      };
    },
  });
  return guarded as unknown as Store;
}
