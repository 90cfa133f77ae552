/**
 * Separate OS processes on one Redis, as BullMQ workers on several machines would be: each
 * runs shared-limits-worker.ts through tsx; all start together once every one is connected.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { WorkerReport, WorkerTask } from "./shared-limits-worker.js";

export type { WorkerReport, WorkerTask } from "./shared-limits-worker.js";

const WORKER = join(import.meta.dirname, "shared-limits-worker.ts");
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** Runs one process per task, all started at once; resolves with their reports in task order. */
export async function runWorkers(tasks: WorkerTask[], timeoutMs = 25_000): Promise<WorkerReport[]> {
  const workers = tasks.map((task) => {
    const child = spawn(process.execPath, ["--import", TSX_LOADER, WORKER, JSON.stringify(task)], { stdio: ["pipe", "pipe", "pipe"] });
    const worker = { child, stdout: "", stderr: "", exited: new Promise<number | null>((resolve) => child.on("close", resolve)) };
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (worker.stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (worker.stderr += chunk));
    return worker;
  });
  const stopAll = () => {
    for (const { child } of workers) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  const timer = setTimeout(stopAll, timeoutMs);
  try {
    const ready = (worker: (typeof workers)[number]) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (worker.stdout.startsWith("ready\n")) resolve();
        };
        worker.child.stdout.on("data", check);
        check();
        void worker.exited.then((code) => reject(new Error(`a worker exited (${code}) before it was ready: ${worker.stderr}`)));
      });
    await Promise.all(workers.map(ready));
    for (const { child } of workers) child.stdin.end("go\n");
    return await Promise.all(
      workers.map(async (worker) => {
        const code = await worker.exited;
        if (code !== 0) throw new Error(`a worker exited with ${code}: ${worker.stderr}`);
        return JSON.parse(worker.stdout.trim().split("\n").at(-1)!) as WorkerReport;
      }),
    );
  } finally {
    clearTimeout(timer);
    stopAll();
  }
}

/** The most entries of `times` that fall in any span of `spanMs` (half-open). */
export function mostInSpan(times: readonly number[], spanMs: number, weigh: (index: number) => number = () => 1): number {
  const order = times.map((at, index) => ({ at, index })).sort((a, b) => a.at - b.at);
  let most = 0;
  let sum = 0;
  let first = 0;
  for (let last = 0; last < order.length; last++) {
    sum += weigh(order[last]!.index);
    while (order[last]!.at - order[first]!.at >= spanMs) sum -= weigh(order[first++]!.index);
    most = Math.max(most, sum);
  }
  return most;
}
