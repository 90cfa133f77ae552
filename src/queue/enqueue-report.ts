/**
 * The command's side of the queue: a report enqueued as a flow (report-flow.ts), then
 * waited for, so that `report --queue` and the daemon end with the same lines and exit code
 * as in-process. A report already in the queue is not enqueued again: its flow is waited
 * for (or its result read back); one that failed is enqueued afresh.
 */
import { FlowProducer, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { ExternalServiceError, RemoteError, type ExitCode } from "../errors.js";
import type { Logger } from "../logger.js";
import { repoJobId, reportJobId, type RepoJobData, type ReportJobData, type ReportRequest, type ReportSummary } from "./report-flow.js";
import { childJobOptions } from "./report-worker.js";
import { QUEUE_NAME, type QueueSettings } from "./queue-settings.js";

const REPO_JOB_PRIORITY = 10;

export interface Enqueued {
  id: string;
  /** False when the same report was in the queue already. */
  added: boolean;
}

export async function enqueueReport(request: ReportRequest, settings: QueueSettings, connection: Redis, logger: Logger): Promise<Enqueued> {
  const id = reportJobId(request);
  const queue = new Queue(QUEUE_NAME, { connection, prefix: settings.prefix });
  try {
    const existing = await queue.getJob(id);
    if (existing) {
      const state = await existing.getState();
      if (state !== "failed") {
        logger.info({ job: id, state }, "this report is in the queue already; waiting for it");
        return { id, added: false };
      }
      // A failed flow is the day to do again: its children go with it.
      await existing.remove({ removeChildren: true });
    }
    const flows = new FlowProducer({ connection, prefix: settings.prefix });
    try {
      await flows.add({
        name: "report",
        queueName: QUEUE_NAME,
        data: { request } satisfies ReportJobData,
        opts: { ...childJobOptions(), jobId: id },
        children: request.repos.map((_repo, index) => ({
          name: "repo",
          queueName: QUEUE_NAME,
          data: { request, index, reportId: id, step: "collect" } satisfies RepoJobData,
          // Jobs without a priority go first in BullMQ: the commits a repository job has
          // queued are analysed while the other repositories are still being collected.
          opts: { ...childJobOptions(), jobId: repoJobId(id, index), priority: REPO_JOB_PRIORITY },
        })),
      });
    } finally {
      await flows.close();
    }
    logger.info({ job: id, repos: request.repos.length }, "report enqueued");
    return { id, added: true };
  } finally {
    await queue.close();
  }
}

/** Waits for the report job to finish; its failure comes back as the error the worker met. */
export async function waitForReport(id: string, settings: QueueSettings, connection: Redis): Promise<ReportSummary> {
  const events = new QueueEvents(QUEUE_NAME, { connection: connection.duplicate(), prefix: settings.prefix });
  const queue = new Queue(QUEUE_NAME, { connection, prefix: settings.prefix });
  try {
    await events.waitUntilReady();
    const job = await queue.getJob(id);
    if (!job) throw new ExternalServiceError("the queue", `the report job ${id} is gone from the queue`, { hint: "enqueue it again" });
    try {
      return (await job.waitUntilFinished(events)) as ReportSummary;
    } catch (error) {
      throw decodeFailure(await rootFailure(queue, error instanceof Error ? error.message : String(error)));
    }
  } finally {
    await events.close();
    await queue.close();
  }
}

/**
 * A parent fails with "child <prefix>:<queue>:<id> failed" when one of its jobs did: the
 * reason worth telling is that job's own (a repository's, or its commit's), two levels down
 * at most.
 */
async function rootFailure(queue: Queue, reason: string): Promise<string> {
  for (let depth = 0; depth < 3; depth++) {
    const child = /^child (?:.*):([^:]+) failed$/.exec(reason)?.[1];
    if (child === undefined) break;
    const failed = await queue.getJob(child);
    if (!failed?.failedReason) break;
    reason = failed.failedReason;
  }
  return reason;
}

/** A worker's known error back with its exit code; anything else is a failed job (exit 3). */
export function decodeFailure(reason: string): Error {
  try {
    const parsed = JSON.parse(reason) as { repoDigest?: number; exitCode: ExitCode; message: string; hint?: string };
    if (parsed.repoDigest === 1) return new RemoteError(parsed.exitCode, parsed.message, parsed.hint ? { hint: parsed.hint } : {});
  } catch {
    // Not one of ours: a bug or a lost worker, told as it is.
  }
  return new ExternalServiceError("a queued job", reason, { hint: "see the workers' logs (`repo-digest worker -v`)" });
}
