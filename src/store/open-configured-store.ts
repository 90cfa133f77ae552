import { ConfigError } from "../errors.js";
import { openStore } from "./open-store.js";
import type { Store } from "./types.js";

/** What `store:` (or REPO_DIGEST_DATABASE_URL) may hold, for the error that refuses anything else. */
export const ACCEPTED_STORE_URLS = "postgres://user:password@host:port/database (or postgresql://…), or nothing for the SQLite file in the data directory";

/**
 * The store the configuration names: a PostgreSQL database for a `postgres://` or
 * `postgresql://` URL, else the SQLite file in the data directory. `pg` is imported only
 * for the former, so that a SQLite user's start never loads it.
 */
export async function openConfiguredStore(options: { url?: string; sqliteFile: string; readOnly?: boolean }): Promise<Store> {
  const { url, sqliteFile } = options;
  // Read-only (the web app): no migration, no file or schema created; each database refuses writes.
  const readOnly = options.readOnly ?? false;
  if (url === undefined) return openStore(sqliteFile, { readonly: readOnly });
  if (/^postgres(?:ql)?:\/\//i.test(url)) {
    const { openPostgresStore } = await import("./postgres/postgres-store.js");
    return openPostgresStore(url, { readOnly });
  }
  throw new ConfigError("store", describeRefused(url), ACCEPTED_STORE_URLS, {
    // The value may come from either; REPO_DIGEST_DATABASE_URL wins (src/cli/context.ts).
    hint: "correct `store:` in the config or REPO_DIGEST_DATABASE_URL, or unset both to use SQLite",
  });
}

/**
 * The refused value as a message may show it: whatever stands before its last "@" may be a
 * user and password (even one with a "/" that a URL pattern would stop at), so it goes.
 */
function describeRefused(url: string): string {
  const at = url.lastIndexOf("@");
  if (at < 0) return url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? "";
  return `${scheme}***@${url.slice(at + 1)}`;
}
