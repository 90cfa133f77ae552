/**
 * Searches of the SQLite store off the server's thread. better-sqlite3 is synchronous: a
 * search no kept answer holds costs 10–20 ms of one core (src/store/search.ts: FTS5 match,
 * bm25 over every match, the sort), and on the server's own thread every other request,
 * a kept answer or a commit page, would wait behind each one. Here each search goes to one
 * of a few worker threads (search-worker.ts), each with its own read-only connection to the
 * same file (WAL: readers do not wait for each other or for a writer).
 *
 * The queue is bounded, in length and in waiting time: a search that cannot start within
 * `maxWaitMs`, or finds `maxQueue` searches already waiting, is refused at once with
 * {@link SearchBusyError} (the app answers 503 with Retry-After) rather than left to time out.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { EnvironmentError, InternalError, RemoteError, type ExitCode } from "../errors.js";
import type { SearchHit, SearchQuery, Store } from "../store/types.js";
import type { SearchReply, SearchRequest, SearchWorkerData } from "./search-worker.js";

/** Searches waiting for a thread at most, and how long one may wait: past either, a 503. */
export const SEARCH_QUEUE = 256;
export const SEARCH_WAIT_MS = 2000;
/** What a refused search's Retry-After says, in seconds. */
export const RETRY_AFTER_SECONDS = 1;

/** The pool is full or a search waited too long: the request may be repeated shortly (503, Retry-After). */
export class SearchBusyError extends EnvironmentError {
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;
}

export interface SearchPoolOptions {
  /** The SQLite store's file; each thread opens it read-only. */
  file: string;
  /** Threads; default: the cores this process may use. */
  size?: number;
  maxQueue?: number;
  maxWaitMs?: number;
  /** The worker's module and extra workerData (tests pass one that holds each search until released). */
  worker?: { url: URL; data?: Record<string, unknown> };
}

export interface SearchPool {
  /** Resolves when every thread has opened the store; rejects when one could not. */
  ready(): Promise<void>;
  search(query: SearchQuery): Promise<{ total: number; hits: SearchHit[] }>;
  /** Searches running and waiting now. */
  readonly load: { running: number; waiting: number };
  close(): Promise<void>;
}

/**
 * A worker's module as a URL Node can start. From the TypeScript sources (tests, `tsx`) a
 * worker does not inherit the loader: a two-line module registers tsx first, then imports it
 * (as src/facts/structure/structure-client.ts does).
 */
export function workerModuleUrl(module: URL): URL {
  if (!module.pathname.endsWith(".ts")) return module;
  const require = createRequire(import.meta.url);
  const api = pathToFileURL(require.resolve("tsx/esm/api").replace(/index\.cjs$/, "index.mjs")).href;
  const code = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(module.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

function defaultWorker(): URL {
  // Built, the worker is its own entry beside the bundle (scripts/build.mjs).
  return import.meta.url.endsWith(".ts") ? new URL("./search-worker.ts", import.meta.url) : new URL("./search-worker.js", import.meta.url);
}

interface Job {
  id: number;
  query: SearchQuery;
  resolve(value: { total: number; hits: SearchHit[] }): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

interface Thread {
  worker: Worker;
  /** Whether the worker has opened the store and listens: a search sent before would be lost. */
  ready: boolean;
  job?: Job;
}

export function createSearchPool(options: SearchPoolOptions): SearchPool {
  const size = Math.max(1, options.size ?? availableParallelism());
  const maxQueue = options.maxQueue ?? SEARCH_QUEUE;
  const maxWaitMs = options.maxWaitMs ?? SEARCH_WAIT_MS;
  const url = workerModuleUrl(options.worker?.url ?? defaultWorker());
  const data: SearchWorkerData & Record<string, unknown> = { ...options.worker?.data, file: options.file };
  const waiting: Job[] = [];
  let next = 0;
  let closing = false;
  let startFailure: Error | undefined;
  const readyWaiters: Array<{ resolve(): void; reject(error: Error): void }> = [];
  const settleReady = () => {
    if (startFailure) readyWaiters.splice(0).forEach((waiter) => waiter.reject(startFailure!));
    else if (threads.every((thread) => thread.ready)) readyWaiters.splice(0).forEach((waiter) => waiter.resolve());
  };

  const start = (): Thread => {
    const thread: Thread = { worker: new Worker(url, { workerData: data }), ready: false };
    thread.worker.on("message", (reply: SearchReply | "ready") => {
      if (reply === "ready") {
        thread.ready = true;
        settleReady();
        dispatch();
        return;
      }
      const job = thread.job;
      if (job === undefined || job.id !== reply.id) return;
      thread.job = undefined;
      if ("result" in reply) job.resolve(reply.result);
      else if ("internal" in reply.error) job.reject(new InternalError(`search failed in its thread: ${reply.error.internal}`));
      else job.reject(new RemoteError(reply.error.exitCode as ExitCode, reply.error.message, reply.error.hint === undefined ? {} : { hint: reply.error.hint }));
      dispatch();
    });
    // A thread that dies (out of memory, a crash of the native module) fails its search and is replaced.
    const lost = (error: Error) => {
      if (!thread.ready) {
        // It could not open the store: another would not either.
        startFailure ??= new InternalError(`a search thread could not start: ${error.message}`, { cause: error });
        settleReady();
        for (const job of waiting.splice(0)) {
          clearTimeout(job.timer);
          job.reject(startFailure);
        }
        return;
      }
      const job = thread.job;
      thread.job = undefined;
      job?.reject(new InternalError(`the search thread stopped: ${error.message}`, { cause: error }));
      const index = threads.indexOf(thread);
      if (index !== -1 && !closing) {
        threads[index] = start();
        dispatch();
      }
    };
    thread.worker.on("error", lost);
    thread.worker.on("exit", (code) => {
      if (!closing) lost(new Error(`exit code ${code}`));
    });
    return thread;
  };
  const threads: Thread[] = Array.from({ length: size }, start);

  function dispatch(): void {
    for (const thread of threads) {
      if (thread.job !== undefined || !thread.ready) continue;
      const job = waiting.shift();
      if (job === undefined) return;
      clearTimeout(job.timer);
      thread.job = job;
      thread.worker.postMessage({ id: job.id, query: job.query } satisfies SearchRequest);
    }
  }

  return {
    ready() {
      return new Promise((resolve, reject) => {
        readyWaiters.push({ resolve, reject });
        settleReady();
      });
    },
    search(query) {
      if (startFailure) return Promise.reject(startFailure);
      if (closing) return Promise.reject(new SearchBusyError("the server is stopping", { hint: "try again when it is back" }));
      if (waiting.length >= maxQueue) {
        return Promise.reject(new SearchBusyError(`the server is busy: ${maxQueue} searches are waiting`, { hint: `try again in ${RETRY_AFTER_SECONDS} s` }));
      }
      return new Promise((resolve, reject) => {
        const job: Job = { id: next++, query, resolve, reject };
        waiting.push(job);
        dispatch();
        if (threads.some((thread) => thread.job === job)) return;
        job.timer = setTimeout(() => {
          const index = waiting.indexOf(job);
          if (index === -1) return;
          waiting.splice(index, 1);
          reject(new SearchBusyError(`the server is busy: the search waited ${maxWaitMs} ms for a free thread`, { hint: `try again in ${RETRY_AFTER_SECONDS} s` }));
        }, maxWaitMs);
      });
    },
    get load() {
      return { running: threads.filter((thread) => thread.job !== undefined).length, waiting: waiting.length };
    },
    async close() {
      closing = true;
      for (const job of waiting.splice(0)) {
        clearTimeout(job.timer);
        job.reject(new SearchBusyError("the server is stopping", { hint: "try again when it is back" }));
      }
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
    },
  };
}

/** The store, its searches through the pool; every other call as it was. */
export function withSearchPool(store: Store, pool: SearchPool): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key === "searchCommits") return (query: SearchQuery) => pool.search(query);
      return Reflect.get(target, key, receiver);
    },
  });
}
