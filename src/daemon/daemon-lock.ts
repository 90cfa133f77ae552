/**
 * One daemon per data dir. The lock is SQLite's own exclusive lock on a small file of its
 * own (POSIX advisory locks, https://www.sqlite.org/lockingv3.html), held for the daemon's
 * life: the kernel drops it when the process ends, however it ends, so a daemon killed
 * with -9 leaves nothing to wait out (a lock directory refreshed by mtime, as
 * proper-lockfile keeps, reads as held for its whole stale period after a crash). Beside it,
 * the holder writes who it is, so that a second daemon names the pid it collides with and
 * the next one says when it took over from a daemon that died holding the lock.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { InputError } from "../errors.js";
import { currentProcessOwner, describeOwner, isProcessGone, type ProcessOwner } from "../process-owner.js";

export interface DaemonLock {
  /** The daemon that held the lock before and died without releasing it, if one did. */
  tookOverFrom?: ProcessOwner;
  release(): void;
}

export function acquireDaemonLock(dataDir: string): DaemonLock {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, "daemon.lock.sqlite");
  const ownerPath = join(dataDir, "daemon.lock.owner.json");
  const db = new Database(lockPath, { timeout: 0 });
  try {
    // The journal in memory: the lock file stays empty and leaves no -journal file beside it.
    db.pragma("journal_mode = MEMORY");
    db.exec("BEGIN EXCLUSIVE");
  } catch (error) {
    db.close();
    if (error instanceof Database.SqliteError && (error.code === "SQLITE_BUSY" || error.code === "SQLITE_LOCKED")) {
      const holder = readOwner(ownerPath);
      // A holder that is gone is the previous daemon's record: the one holding the lock now has not written its own yet.
      const who = holder && !isProcessGone(holder) ? ` (${describeOwner(holder)})` : "";
      throw new InputError(`another repo-digest daemon${who} is running for ${dataDir}`, {
        hint: `stop it first${holder && who ? ` (kill ${holder.pid})` : ""}, or give this one another --data-dir`,
      });
    }
    throw error;
  }
  // We hold the lock: an owner recorded now is a daemon that ended without releasing it.
  const previous = readOwner(ownerPath);
  const temporary = `${ownerPath}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(currentProcessOwner())}\n`);
  renameSync(temporary, ownerPath);
  return {
    ...(previous ? { tookOverFrom: previous } : {}),
    release() {
      rmSync(ownerPath, { force: true });
      db.close();
    },
  };
}

function readOwner(path: string): ProcessOwner | undefined {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as Partial<ProcessOwner>;
    return typeof value.pid === "number" && typeof value.host === "string" ? (value as ProcessOwner) : undefined;
  } catch {
    return undefined;
  }
}
