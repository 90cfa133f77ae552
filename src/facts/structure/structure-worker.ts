/**
 * The structural pass in a worker thread, so that parsing (the pass's cost) runs beside
 * the main thread's reading of the log, extraction of the other facts and storing: on two
 * cores a whole-history report's structural pass costs little more than nothing. The
 * worker owns its own `git cat-file --batch` process and caches; it answers requests in
 * the order they come, which keeps the newest-first chain of incremental parses intact.
 */
import { parentPort, workerData } from "node:worker_threads";
import { GitBlobReader } from "../../sources/git/blob-reader.js";
import type { Commit } from "../../sources/types.js";
import { StructureReader, type StructureReaderOptions, type StructureResult } from "./structure-reader.js";

export interface WorkerRequest {
  id: number;
  commit: Commit;
  want: number[];
}

export interface WorkerReply {
  id: number;
  results?: Array<[number, StructureResult]>;
  error?: string;
}

export interface WorkerData {
  gitDir: string;
  options: Partial<StructureReaderOptions>;
}

if (parentPort) {
  const port = parentPort;
  const { gitDir, options } = workerData as WorkerData;
  const blobs = new GitBlobReader(gitDir);
  const reader = new StructureReader(blobs, options);
  // One request at a time: each commit's old versions are parsed from its new versions' trees.
  let queue: Promise<void> = Promise.resolve();
  port.on("message", (message: WorkerRequest | "close") => {
    if (message === "close") {
      queue = queue.then(async () => {
        reader.close();
        await blobs.close();
        port.postMessage({ id: -1, stats: reader.stats });
      });
      return;
    }
    queue = queue.then(async () => {
      try {
        const results = await reader.readCommit(message.commit, message.want);
        port.postMessage({ id: message.id, results: [...results] } satisfies WorkerReply);
      } catch (error) {
        port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
      }
    });
  });
}
