/**
 * The structural pass behind one interface, in this thread or in a worker thread
 * (structure-worker.ts). The worker is used for long reads (a history, a busy day): its
 * start-up (a thread, the grammars loaded again) costs more than it saves on a few commits.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { BlobReader, Commit } from "../../sources/types.js";
import { StructureReader, type ReaderStats, type StructureReaderOptions, type StructureResult } from "./structure-reader.js";
import type { WorkerData, WorkerReply, WorkerRequest } from "./structure-worker.js";

export interface StructurePass {
  readCommit(commit: Commit, want: readonly number[]): Promise<Map<number, StructureResult>>;
  readonly stats: ReaderStats;
  close(): Promise<void>;
}

/** The pass in this thread, over the caller's blob reader. */
export function openLocalStructurePass(blobs: BlobReader | undefined, options: Partial<StructureReaderOptions> = {}): StructurePass {
  const reader = new StructureReader(blobs, options);
  return {
    readCommit: (commit, want) => reader.readCommit(commit, want),
    get stats() {
      return reader.stats;
    },
    close: async () => reader.close(),
  };
}

/**
 * The worker's module. From the TypeScript sources (tests, `tsx`) a worker does not inherit
 * the loader, so a two-line module registers tsx first, then imports the worker.
 */
function workerUrl(): URL {
  if (!import.meta.url.endsWith(".ts")) return new URL("./structure-worker.js", import.meta.url);
  const require = createRequire(import.meta.url);
  // The ESM entry of tsx's API (require.resolve would give the CommonJS one).
  const api = pathToFileURL(require.resolve("tsx/esm/api").replace(/index\.cjs$/, "index.mjs")).href;
  const worker = new URL("./structure-worker.ts", import.meta.url).href;
  const code = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(worker)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** The pass in a worker thread with its own `git cat-file` process on `gitDir`. */
export function openWorkerStructurePass(gitDir: string, options: Partial<StructureReaderOptions> = {}): StructurePass {
  const worker = new Worker(workerUrl(), { workerData: { gitDir, options } satisfies WorkerData });
  const waiting = new Map<number, { resolve: (value: Map<number, StructureResult>) => void; reject: (error: Error) => void }>();
  let stats: ReaderStats = { fullParses: 0, incrementalParses: 0, cachedStructures: 0, parsedBytes: 0 };
  let closed: (() => void) | undefined;
  let failure: Error | undefined;
  let next = 0;
  worker.on("message", (reply: WorkerReply & { stats?: ReaderStats }) => {
    if (reply.id === -1) {
      if (reply.stats) stats = reply.stats;
      closed?.();
      return;
    }
    const entry = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (!entry) return;
    if (reply.error !== undefined) entry.reject(new Error(reply.error));
    else entry.resolve(new Map(reply.results ?? []));
  });
  const fail = (error: Error) => {
    failure = error;
    for (const entry of waiting.values()) entry.reject(error);
    waiting.clear();
    closed?.();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => {
    if (waiting.size > 0) fail(new Error(`the structure worker exited (${code}) with ${waiting.size} commits unanswered`));
    closed?.();
  });
  worker.unref();
  return {
    readCommit(commit, want) {
      if (failure) return Promise.reject(failure);
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, commit, want: [...want] } satisfies WorkerRequest);
      });
    },
    get stats() {
      return stats;
    },
    async close() {
      if (failure) {
        await worker.terminate();
        return;
      }
      await new Promise<void>((resolve) => {
        closed = resolve;
        worker.postMessage("close");
      });
      await worker.terminate();
    },
  };
}
