/**
 * `repo-digest serve`, put together: the app over a store opened read-only, on a real HTTP
 * server, until Ctrl-C. The URL goes to stdout (a script reads it, port 0 included), the
 * human line to stderr: where it listens and whether a token is required.
 */
import type { Lang } from "../i18n/lang.js";
import type { Logger } from "../logger.js";
import type { LinkTemplates } from "../report/links.js";
import type { Store } from "../store/types.js";
import { createHandler } from "./create-handler.js";
import { createSearchPool, withSearchPool } from "./search-pool.js";
import { isLoopbackHost, TOKEN_ENV } from "./security.js";
import { listen, type Listening } from "./start-server.js";
import { createStoreVersion } from "./store-version.js";

export interface ServeOptions {
  store: Store;
  host: string;
  port: number;
  token?: string;
  defaultLang: Lang;
  version: string;
  configLinks: ReadonlyMap<string, LinkTemplates>;
  logger: Logger;
  quiet: boolean;
  /** The SQLite file the store is, for the cache to see when it changes; undefined for PostgreSQL. */
  sqliteFile?: string;
  /** Resolves when the server should stop (the CLI: the first SIGINT or SIGTERM). */
  stopSignal: Promise<void>;
}

export async function runServer(options: ServeOptions): Promise<void> {
  // SQLite answers synchronously: its searches run in worker threads, so that pages and kept
  // answers do not wait behind them. PostgreSQL's pool already answers asynchronously.
  const pool = options.sqliteFile === undefined ? undefined : createSearchPool({ file: options.sqliteFile });
  const handler = createHandler({
    store: pool ? withSearchPool(options.store, pool) : options.store,
    version: options.version,
    defaultLang: options.defaultLang,
    configLinks: options.configLinks,
    logger: options.logger,
    storeVersion: createStoreVersion(options.sqliteFile === undefined ? {} : { sqliteFile: options.sqliteFile }),
    ...(options.token === undefined ? {} : { token: options.token }),
  });
  let listening: Listening;
  try {
    // Threads that cannot open the store fail the start, not the first search.
    await pool?.ready();
    listening = await listen(handler, options.host, options.port);
  } catch (error) {
    await pool?.close();
    throw error;
  }
  process.stdout.write(`${listening.url}\n`);
  if (!options.quiet) {
    const access =
      options.token === undefined
        ? "loopback only, no token required"
        : `${isLoopbackHost(options.host) ? "loopback" : "reachable from other machines"}, token required (${TOKEN_ENV}: Authorization: Bearer … or ?token=)`;
    process.stderr.write(`repo-digest serve: listening on ${listening.url} (${access}); store: ${options.store.kind}, read-only; Ctrl-C stops it\n`);
  }
  await options.stopSignal;
  await listening.close();
  await pool?.close();
  if (!options.quiet) process.stderr.write("repo-digest serve: stopped\n");
}
