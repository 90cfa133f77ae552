/**
 * One thread of the search pool (search-pool.ts): its own read-only connection to the SQLite
 * store, answering one search at a time. A search is synchronous better-sqlite3 work (FTS5
 * match, bm25 over every match, the sort: 10–20 ms on 10,000 commits); here it blocks this
 * thread, not the server's.
 */
import { parentPort, workerData } from "node:worker_threads";
import { isKnownError } from "../errors.js";
import { openStore } from "../store/open-store.js";
import type { SearchHit, SearchQuery } from "../store/types.js";

export interface SearchWorkerData {
  file: string;
}

export interface SearchRequest {
  id: number;
  query: SearchQuery;
}

/** A known error as data (exit code, line and hint): the pool raises it again as a RemoteError. */
export type SearchReply =
  | { id: number; result: { total: number; hits: SearchHit[] } }
  | { id: number; error: { exitCode: number; message: string; hint?: string } | { internal: string } };

if (parentPort) {
  const port = parentPort;
  const { file } = workerData as SearchWorkerData;
  const store = openStore(file, { readonly: true });
  // The pool ends a thread with terminate(): a read-only connection has nothing to write back.
  port.on("message", (request: SearchRequest) => {
    store.searchCommits(request.query).then(
      (result) => port.postMessage({ id: request.id, result } satisfies SearchReply),
      (error: unknown) => {
        const reply: SearchReply = isKnownError(error)
          ? { id: request.id, error: { exitCode: error.exitCode, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) } }
          : { id: request.id, error: { internal: error instanceof Error ? (error.stack ?? error.message) : String(error) } };
        port.postMessage(reply);
      },
    );
  });
  // Listening now: the pool sends searches from here on.
  port.postMessage("ready");
}
