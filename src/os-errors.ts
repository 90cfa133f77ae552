/**
 * Errors of the operating system and of SQLite, as the one line a user can act on. A full
 * disk, a folder where a file belongs, a damaged database file: each is the machine's or the
 * input's state, never a bug, so none may reach the user as "internal error".
 *
 * Call sites that know what they were doing pass it (`"writing the report"`, the path); the
 * program's top-level catch uses the same mapping as a last resort.
 */
import { statfsSync } from "node:fs";
import { dirname } from "node:path";
import { EnvironmentError, InputError, isKnownError, type KnownError } from "./errors.js";

export interface OsErrorContext {
  /** What was being done, as a gerund phrase: "writing the report", "opening the store". */
  doing?: string;
  /** The file or folder concerned, when the error itself does not carry it. */
  path?: string;
}

type Mapping = { kind: "input" | "environment"; says: string; fix: string };

const ERRNO: Readonly<Record<string, Mapping>> = {
  ENOSPC: { kind: "environment", says: "no space left on the device", fix: "free space on that filesystem or choose another folder" },
  EDQUOT: { kind: "environment", says: "disk quota exceeded", fix: "free space within your quota or choose another folder" },
  EROFS: { kind: "environment", says: "the filesystem is read-only", fix: "choose a writable folder" },
  EACCES: { kind: "environment", says: "permission denied", fix: "check the owner and mode of the file and its folder" },
  EPERM: { kind: "environment", says: "operation not permitted", fix: "check the owner and mode of the file and its folder" },
  EMFILE: { kind: "environment", says: "too many open files", fix: "raise the open-file limit (ulimit -n)" },
  ENFILE: { kind: "environment", says: "too many open files on the system", fix: "close other programs or raise the system's file limit" },
  EIO: { kind: "environment", says: "input/output error", fix: "check the disk" },
  EFBIG: { kind: "environment", says: "the file is too large for the filesystem", fix: "choose a folder on another filesystem" },
  EISDIR: { kind: "input", says: "is a directory, not a file", fix: "give the path of a file" },
  ENOTDIR: { kind: "input", says: "a part of the path is not a directory", fix: "check the path" },
  ENOENT: { kind: "input", says: "no such file or directory", fix: "check the path" },
  ENAMETOOLONG: { kind: "input", says: "the file name is too long", fix: "use a shorter name or folder" },
  ELOOP: { kind: "input", says: "too many symbolic links", fix: "check the path for a link loop" },
  EEXIST: { kind: "input", says: "already exists", fix: "remove it or choose another path" },
};

/** better-sqlite3's SqliteError codes (https://www.sqlite.org/rescode.html), primary part. */
const SQLITE: Readonly<Record<string, Mapping>> = {
  SQLITE_CORRUPT: { kind: "environment", says: "the database file is damaged", fix: "move it aside and run again to start a new store" },
  SQLITE_NOTADB: { kind: "environment", says: "the file is not an SQLite database", fix: "move it aside and run again to start a new store" },
  SQLITE_FULL: { kind: "environment", says: "no space left for the database", fix: "free space on that filesystem or choose another --data-dir" },
  SQLITE_CANTOPEN: { kind: "environment", says: "the database file cannot be opened", fix: "check that its folder exists and is writable" },
  SQLITE_READONLY: { kind: "environment", says: "the database is read-only", fix: "check the owner and mode of the file and its folder" },
  SQLITE_IOERR: { kind: "environment", says: "input/output error on the database", fix: "check the disk and free space" },
  SQLITE_PERM: { kind: "environment", says: "permission denied on the database", fix: "check the owner and mode of the file and its folder" },
  // Past the busy timeout (src/store/open-store.ts): another process kept its write lock.
  SQLITE_BUSY: { kind: "environment", says: "the database is locked by another process", fix: "wait for the other repo-digest run to finish, or use another --data-dir" },
};

/**
 * The error as a KnownError when it is an OS or SQLite error (or already known);
 * undefined for anything else, which then is a bug.
 */
export function fromOsError(error: unknown, context: OsErrorContext = {}): KnownError | undefined {
  if (isKnownError(error)) return error;
  if (!(error instanceof Error)) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code !== "string") return undefined;
  const path = context.path ?? (error as NodeJS.ErrnoException).path;
  const primary = code.replace(/^(SQLITE_[A-Z]+).*$/, "$1");
  // SQLite reports some writes on a full disk (growing its -shm file, say) as a plain I/O
  // error; a filesystem with no free block left says which it was.
  const full = (primary === "SQLITE_IOERR" || code === "EIO") && path !== undefined && hasNoSpaceLeft(path);
  const mapping = full ? (primary === "SQLITE_IOERR" ? SQLITE.SQLITE_FULL : ERRNO.ENOSPC) : (ERRNO[code] ?? SQLITE[primary]);
  if (!mapping) return undefined;
  const where = path === undefined ? "" : ` (${path})`;
  const doing = context.doing === undefined ? "" : `${context.doing}: `;
  const message = `${doing}${mapping.says}${where}`;
  const options = { hint: mapping.fix, cause: error };
  return mapping.kind === "input" ? new InputError(message, options) : new EnvironmentError(message, options);
}

function hasNoSpaceLeft(path: string): boolean {
  // The file may not exist (it failed to be created): its nearest existing folder then.
  for (let current = path; ; current = dirname(current)) {
    try {
      return statfsSync(current).bavail === 0;
    } catch {
      if (dirname(current) === current) return false;
    }
  }
}

/** {@link withOsErrors} for synchronous work (the store, better-sqlite3, is synchronous). */
export function withOsErrorsSync<T>(context: OsErrorContext, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw fromOsError(error, context) ?? error;
  }
}

/** Runs `work`; an OS or SQLite error it throws becomes the one line of {@link fromOsError}. */
export async function withOsErrors<T>(context: OsErrorContext, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw fromOsError(error, context) ?? error;
  }
}
