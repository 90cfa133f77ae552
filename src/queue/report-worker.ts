/**
 * What a worker does with each job of a report's flow (report-flow.ts): the stages of
 * `runReport`, one job at a time. A worker holds its own mirrors (collect reads git), and
 * reads and writes the shared store; LLM limits and the spend cap are held in Redis across
 * every worker (src/analysis/llm/shared-limits.ts).
 */
import { Queue, UnrecoverableError, WaitingChildrenError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Config } from "../config/schema.js";
import { createChannel, createConfiguredChannels, fullReportUrl } from "../delivery/registry.js";
import type { GitHubAccess } from "../enrich/github/github-context.js";
import { createContextProviders } from "../enrich/registry.js";
import { isKnownError, ExitCode } from "../errors.js";
import type { Logger } from "../logger.js";
import { llmOptionsKeyOf } from "../pipeline/llm-options-key.js";
import { silentProgress } from "../pipeline/progress.js";
import {
  analyzerFor,
  enrich,
  failureShareExceeded,
  fetchSource,
  openSource,
  repoStats,
  reportName,
  runNotices,
  sumStats,
  type PipelineDeps,
  type ReportJob,
} from "../pipeline/run-report.js";
import { analyseCommit, overviewOf, type Analysed } from "../pipeline/stages/analyse.js";
import { buildRepoSection, buildRunReport } from "../pipeline/stages/build.js";
import { matchEntries, prepareUsage } from "../pipeline/stages/usage.js";
import { collect, hasGaps, type CommitEntry } from "../pipeline/stages/collect.js";
import { publish } from "../pipeline/stages/publish.js";
import { searchEntriesOf } from "../pipeline/stages/search-entry.js";
import type { Store } from "../store/types.js";
import { createSubscriptionChannels } from "../subscriptions/subscription-channels.js";
import {
  analyseJobId,
  type AnalyseJobData,
  type AnalyseJobResult,
  type CollectedState,
  type RepoJobData,
  type RepoJobResult,
  type ReportJobData,
  type ReportRequest,
  type ReportSummary,
} from "./report-flow.js";
import { QUEUE_NAME, type QueueSettings } from "./queue-settings.js";

export interface WorkerRuntime {
  config: Config;
  store: Store;
  logger: Logger;
  mirrorsDir: string;
  version: string;
  github?: GitHubAccess;
  /** The model of a run, its limits shared through Redis; undefined without an `llm:` block. */
  llmFor(runKey: string): Promise<PipelineDeps["llm"]> | undefined;
}

/** Retried this many times (with backoff) when the failure may pass: a remote down, a model timing out. */
export const JOB_ATTEMPTS = 3;

export function createReportWorker(settings: QueueSettings, connection: Redis, runtime: WorkerRuntime, concurrency: number): { worker: Worker; close(): Promise<void> } {
  // Where a repository's job adds its commits' jobs.
  const queue = new Queue(QUEUE_NAME, { connection, prefix: settings.prefix });
  const worker = new Worker(QUEUE_NAME, (job, token) => processJob(job, token, runtime, queue), {
    connection,
    prefix: settings.prefix,
    concurrency,
    lockDuration: settings.lockDurationMs,
    // A job whose worker died is taken over when its lock expires; two stalls and it fails.
    stalledInterval: Math.max(1_000, Math.floor(settings.lockDurationMs / 2)),
    maxStalledCount: 2,
  });
  return {
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

async function processJob(job: Job, token: string | undefined, runtime: WorkerRuntime, queue: Queue): Promise<unknown> {
  try {
    switch (job.name) {
      case "report":
        return await processReport(job as Job<ReportJobData>, runtime);
      case "repo":
        return await processRepo(job as Job<RepoJobData>, token, runtime, queue);
      case "analyse":
        return await processAnalyse(job as Job<AnalyseJobData>, runtime);
      default:
        throw new UnrecoverableError(encodeFailure(ExitCode.internal, `unknown job ${job.name}`));
    }
  } catch (error) {
    if (error instanceof WaitingChildrenError || error instanceof UnrecoverableError) throw error;
    runtime.logger.warn({ job: job.id, name: job.name, attempt: job.attemptsMade + 1, reason: isKnownError(error) ? error.message : String(error) }, "job failed");
    // Bad input and bad config fail the same way every time: no retry, the exit code kept.
    if (isKnownError(error) && error.exitCode === ExitCode.usage) {
      throw new UnrecoverableError(encodeFailure(error.exitCode, error.message, error.hint));
    }
    if (isKnownError(error)) throw new Error(encodeFailure(error.exitCode, error.message, error.hint));
    throw error;
  }
}

/** A failure as the waiting command reads it back (see decodeFailure in enqueue-report.ts). */
export function encodeFailure(exitCode: number, message: string, hint?: string): string {
  return JSON.stringify({ repoDigest: 1, exitCode, message, ...(hint ? { hint } : {}) });
}

function pipelineDeps(runtime: WorkerRuntime, llm?: PipelineDeps["llm"]): PipelineDeps {
  return {
    store: runtime.store,
    channel: createChannel("stdout", { dir: "" }),
    logger: runtime.logger,
    progress: silentProgress,
    mirrorsDir: runtime.mirrorsDir,
    version: runtime.version,
    ...(runtime.github ? { github: runtime.github } : {}),
    ...(llm ? { llm } : {}),
  };
}

/** The in-process job, rebuilt from the request (dates travel as ISO strings). */
function reportJobOf(request: ReportRequest, llmOptionsKey: unknown): ReportJob {
  const { period } = request;
  return {
    repos: request.repos,
    period: { ...period, since: new Date(period.since), until: new Date(period.until) },
    lang: request.lang,
    formats: request.formats,
    analyzer: request.analyzer,
    scoring: request.scoring,
    fetch: request.fetch,
    now: new Date(request.now),
    ...(request.digest ? { digest: true } : {}),
    ...(llmOptionsKey !== undefined ? { llmOptionsKey } : {}),
  };
}

async function llmForRequest(request: Pick<ReportRequest, "analyzer" | "digest">, reportId: string, runtime: WorkerRuntime) {
  return request.analyzer === "llm" && !request.digest ? await runtime.llmFor(reportId) : undefined;
}

/** Step 1 collects, enriches and queues one job per commit; step 2 (its commits analysed) writes the section. */
async function processRepo(job: Job<RepoJobData>, token: string | undefined, runtime: WorkerRuntime, queue: Queue): Promise<RepoJobResult | undefined> {
  const { request, index, reportId } = job.data;
  const repo = request.repos[index]!;
  const llm = await llmForRequest(request, reportId, runtime);
  const deps = pipelineDeps(runtime, llm);
  const reportJob = reportJobOf(request, llmOptionsKeyOf(runtime.config));
  const { analyzer, optionsKey } = await analyzerFor(repo, reportJob, llm);
  if (job.data.step === "assemble") {
    // Resumed: after its commits were analysed, or retried (its lock lost, its worker killed)
    // between saving the step and waiting. Commits still running are waited for first.
    if (token !== undefined && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
  } else {
    const source = await openSource(repo, deps);
    const notices = await fetchSource(repo, source, reportJob, deps);
    const collected = await collect({ repo, source, period: reportJob.period, withTags: repo.activity }, deps);
    const providers = createContextProviders({ store: deps.store, logger: deps.logger, progress: deps.progress, ...(deps.github ? { github: deps.github } : {}) });
    const enrichment = await enrich(repo, collected, reportJob, providers);
    // Matched here, where the source is open: the commits' facts are all it needs.
    const usage = await prepareUsage(repo, source, { store: deps.store, logger: deps.logger, lang: request.lang });
    const matched = usage ? matchEntries(collected.entries, usage, request.lang) : undefined;
    const inline: CollectedState["inline"] = [];
    const children: Array<{ name: string; data: AnalyseJobData; opts: { jobId: string } }> = [];
    for (const entry of collected.entries) {
      const pullRequest = enrichment.pullRequests.get(entry.commit.sha);
      if (hasGaps(entry)) {
        const analysed = await analyseCommit(
          { repoId: collected.repoId, entry, analyzer, lang: request.lang, optionsKey, ...(pullRequest ? { pullRequest } : {}), ...(request.digest ? { digest: true } : {}) },
          deps,
        );
        inline.push({ entry, analysed });
        continue;
      }
      children.push({
        name: "analyse",
        data: {
          request: { lang: request.lang, analyzer: request.analyzer, scoring: request.scoring, ...(request.digest ? { digest: true } : {}) },
          repo,
          reportId,
          repoId: collected.repoId,
          sha: entry.commit.sha,
          factsKey: collected.factsKey,
          optionsKey,
          ...(pullRequest ? { pullRequest } : {}),
        },
        opts: { jobId: analyseJobId(reportId, collected.repoId, entry.commit.sha) },
      });
    }
    const state: CollectedState = {
      repoId: collected.repoId,
      branch: collected.branch,
      factsKey: collected.factsKey,
      optionsKey,
      readFromGit: collected.readFromGit,
      shas: collected.entries.map((entry) => entry.commit.sha),
      tags: collected.tags,
      notices,
      pullRequests: [...enrichment.pullRequests],
      ...(enrichment.activity ? { activity: enrichment.activity } : {}),
      enrichNotices: enrichment.notices,
      inline,
      ...(matched ? { usage: { summaries: matched.summaries, notices: matched.notices, affects: [...matched.affects] } } : {}),
    };
    // One round trip for the repository's commits, not one per commit.
    await queue.addBulk(children.map((child) => ({ ...child, opts: { ...child.opts, ...childJobOptions(), parent: { id: job.id!, queue: job.queueQualifiedName } } })));
    // The step is saved before waiting: a retry (or another worker, after a kill) resumes here.
    await job.updateData({ ...job.data, step: "assemble", collected: state });
    if (children.length > 0 && token !== undefined && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
    job.data.collected = state;
  }
  const state = job.data.collected!;
  const values = await job.getChildrenValues<AnalyseJobResult>();
  const bySha = new Map<string, Analysed>(Object.values(values).map((value) => [value.sha, value]));
  for (const { entry, analysed } of state.inline) bySha.set(entry.commit.sha, analysed);
  const inlineEntries = new Map(state.inline.map(({ entry }) => [entry.commit.sha, entry]));
  const entries: CommitEntry[] = [];
  for (const sha of state.shas) {
    const entry = inlineEntries.get(sha) ?? (await runtime.store.getCommit(state.repoId, sha, state.factsKey));
    if (!entry) throw new Error(`commit ${sha} of ${repo.name} is missing from the store`);
    entries.push(entry);
  }
  const analysed = state.shas.map((sha) => {
    const result = bySha.get(sha);
    if (!result) throw new Error(`commit ${sha} of ${repo.name} has no analysis from its job`);
    return result;
  });
  const analyses = analysed.map((item) => item.analysis);
  const overview = await overviewOf(
    { analyzer, repo: repo.name, lang: request.lang, optionsKey, commits: entries.map((entry, at) => ({ commit: entry.commit, analysis: analyses[at]! })) },
    { store: runtime.store },
  );
  const enrichment = { pullRequests: new Map(state.pullRequests), notices: state.enrichNotices, ...(state.activity ? { activity: state.activity } : {}) };
  // As runReport does: the period's commits, searchable in the report's language.
  const usage = state.usage ? { ...state.usage, affects: new Map(state.usage.affects) } : undefined;
  await runtime.store.indexCommits(
    state.repoId,
    searchEntriesOf({ entries, analyses, pullRequests: enrichment.pullRequests, lang: request.lang, ...(usage ? { affects: usage.affects } : {}) }),
  );
  const input = buildRepoSection({
    repo,
    branch: state.branch,
    entries,
    analyses,
    enrichment,
    tags: state.tags,
    notices: state.notices,
    ...(overview ? { overview } : {}),
    ...(usage ? { usage } : {}),
  });
  return { index, input, stats: repoStats(repo, { entries, readFromGit: state.readFromGit }, analysed.map((item) => item.tally)) };
}

async function processAnalyse(job: Job<AnalyseJobData>, runtime: WorkerRuntime): Promise<AnalyseJobResult> {
  const { request, repo, reportId, repoId, sha, factsKey, optionsKey, pullRequest } = job.data;
  const entry = await runtime.store.getCommit(repoId, sha, factsKey);
  if (!entry) throw new Error(`commit ${sha} of ${repo.name} is missing from the store`);
  const llm = await llmForRequest(request, reportId, runtime);
  const { analyzer } = await analyzerFor(repo, { ...request, ...(request.analyzer === "llm" ? { llmOptionsKey: llmOptionsKeyOf(runtime.config) } : {}) }, llm);
  const analysed = await analyseCommit(
    { repoId, entry, analyzer, lang: request.lang, optionsKey, ...(pullRequest ? { pullRequest } : {}), ...(request.digest ? { digest: true } : {}) },
    runtime,
  );
  return { sha, ...analysed };
}

/** Every repository's section done: the report built, written and delivered once. */
async function processReport(job: Job<ReportJobData>, runtime: WorkerRuntime): Promise<ReportSummary> {
  const { request } = job.data;
  const { config, store, logger } = runtime;
  const reportJob = reportJobOf(request, llmOptionsKeyOf(config));
  const runId = await store.startRun("report", { repos: request.repos.map((repo) => repo.name), period: request.period.label, queued: job.id }, new Date());
  try {
    const values = await job.getChildrenValues<RepoJobResult>();
    const sections = Object.values(values).sort((a, b) => a.index - b.index);
    if (sections.length !== request.repos.length) throw new Error(`report ${job.id}: ${sections.length} of ${request.repos.length} repository sections arrived`);
    const stats = sumStats(sections.map((section) => section.stats));
    const threshold = config.llm?.failureThreshold;
    const llm = await llmForRequest(request, job.id!, runtime);
    const used = llm ? await llm.budget.total() : undefined;
    const report = buildRunReport({
      lang: request.lang,
      period: reportJob.period,
      generatedAt: reportJob.now,
      version: runtime.version,
      repos: sections.map((section) => section.input),
      notices: runNotices(request.lang, stats, llm ? threshold : undefined),
      ...(request.digest ? { digest: true } : {}),
      ...(llm && used ? { llm: { settings: llm.runtime.settings, used } } : {}),
    });
    const name = reportName(reportJob);
    const url = fullReportUrl(config.delivery, name);
    const channels = request.deliver ? createConfiguredChannels(config.delivery, { dir: config.output.dir, env: process.env }) : [];
    const subscriptions = request.deliver ? createSubscriptionChannels(config, { dir: config.output.dir, env: process.env }) : [];
    const { deliveries, channelOutcomes } = await publish(
      { report, name, formats: request.formats, runId, repos: request.repos.map((repo) => repo.name), deliveryKey: job.id!, ...(url ? { fullReportUrl: url } : {}) },
      { store, logger, progress: silentProgress, output: createChannel("file", { dir: request.outDir }), channels, subscriptions },
    );
    const llmFailure = llm ? failureShareExceeded(stats, threshold) : false;
    await store.finishRun(runId, llmFailure ? "failed" : "succeeded", new Date(), llmFailure ? report.notices[0] : undefined, {
      ...stats,
      channels: channelOutcomes.map(({ channel, status }) => ({ channel, status })),
    });
    return {
      name,
      periodLabel: report.period.label,
      files: deliveries.map((delivery) => ({ format: delivery.format, target: delivery.target })),
      stats,
      channelOutcomes,
      ...(llmFailure ? { llmFailure: report.notices[0]! } : {}),
      ...(used ? { llmUsed: { input: used.input, output: used.output } } : {}),
    };
  } catch (error) {
    await store.finishRun(runId, "failed", new Date(), isKnownError(error) ? error.message : String(error));
    throw error;
  }
}

/** Every job of a flow: retried with backoff; kept a week once done, so that enqueueing the same report again finds it. */
export function childJobOptions() {
  return {
    attempts: JOB_ATTEMPTS,
    backoff: { type: "exponential", delay: 2_000 },
    removeOnComplete: { age: 7 * 24 * 3600 },
    removeOnFail: { age: 7 * 24 * 3600 },
    failParentOnFailure: true,
  } as const;
}
