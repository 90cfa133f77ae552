/**
 * When the store last changed, as a string that changes with it, for the response cache.
 * SQLite: a writer (a `report` run) appends to the -wal file, and a checkpoint rewrites the
 * database file: their sizes and modification times change with every commit of a write.
 * PostgreSQL gives no such mark to a reader outside the database; there a version is a
 * period of `fallbackMs`, so an answer is at most that old.
 * Looked at most once per `checkMs`: a page is then at most that much behind a report.
 */
import { statSync } from "node:fs";

export type StoreVersion = () => string;

export function createStoreVersion(options: { sqliteFile?: string; checkMs?: number; fallbackMs?: number; now?: () => number }): StoreVersion {
  const now = options.now ?? Date.now;
  const checkMs = options.checkMs ?? 1000;
  const fallbackMs = options.fallbackMs ?? 30_000;
  const { sqliteFile } = options;
  if (sqliteFile === undefined) return () => `period-${Math.floor(now() / fallbackMs)}`;
  const mark = (file: string): string => {
    try {
      const stat = statSync(file, { bigint: true });
      return `${stat.size}:${stat.mtimeNs}`;
    } catch {
      return "none";
    }
  };
  let checkedAt = -Infinity;
  let version = "";
  return () => {
    const at = now();
    if (at - checkedAt >= checkMs) {
      checkedAt = at;
      version = `${mark(sqliteFile)}|${mark(`${sqliteFile}-wal`)}`;
    }
    return version;
  };
}
