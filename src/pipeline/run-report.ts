import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import pLimit from "p-limit";
import { createAnalyzer, type AnalyzerOptions } from "../analysis/registry.js";
import type { Analyzer, Overview, ScoringConfig } from "../analysis/types.js";
import type { NamedChannel } from "../delivery/registry.js";
import type { Channel, DeliveryResult, RenderedReport } from "../delivery/types.js";
import { deliverToChannels, type ChannelOutcome } from "./deliver-channels.js";
import { estimateCost } from "../analysis/llm/run-budget.js";
import { ConfigError, InputError, isKnownError } from "../errors.js";
import { FactReader } from "../facts/fact-reader.js";
import type { FactOptions } from "../facts/types.js";
import type { Lang } from "../i18n/lang.js";
import type { Logger } from "../logger.js";
import { buildReport, SHORT_SHA_LENGTH, type AnalysedCommit, type RepoInput } from "../report/build-report.js";
import { buildLinks } from "../report/links.js";
import { getRenderer } from "../report/registry.js";
import type { RepoActivity, Report, ReportFormat } from "../report/types.js";
import { redactUrlCredentials } from "../sources/git/run-git.js";
import { createSource } from "../sources/registry.js";
import { countByRule, redactCommit, redactDeep } from "../secrets/index.js";
import type { Source } from "../sources/types.js";
import type { Store, StoredRepository } from "../store/types.js";
import { daysEnding, type Period } from "../time/period.js";
import { activityFailedNotice, fetchFailedNotice, llmFailureBanner, noGitHubTokenNotice, pullRequestsFailedNotice, spendCapNotice } from "./notices.js";
import { loadActivity, loadPullRequests, type GitHubAccess } from "./github-context.js";
import type { GitHubRepoRef } from "../github/parse-repo.js";
import { toPullRequestContext } from "../github/pull-requests.js";
import type { PullRequestInfo } from "../github/types.js";
import type { Progress } from "./progress.js";
import type { ResolvedRepo } from "./resolve-repos.js";

/** Commits saved per database transaction while a history is read. */
const SAVE_BATCH = 200;
/** Commits whose facts are being read at once: enough to keep the structure worker busy. */
const READ_AHEAD = 32;
/** From how many commits to read the structural pass runs in a worker thread. */
const WORKER_MIN_COMMITS = 40;

export interface ReportJob {
  repos: ResolvedRepo[];
  period: Period;
  lang: Lang;
  formats: ReportFormat[];
  /** "rules" or "llm"; a repository with `llm: false` always gets "rules". */
  analyzer: string;
  scoring: ScoringConfig;
  /** What of the LLM settings changes an answer (never the key): part of the cache key. */
  llmOptionsKey?: unknown;
  /**
   * The weekly digest: each commit keeps the analysis the store already holds (from the
   * daily runs, LLM or rules); a commit never analysed gets the rules', offline. No model call.
   */
  digest?: boolean;
  /** Fetch remotes before reading (a failed fetch falls back to the last mirror state). */
  fetch: boolean;
  /**
   * Instead of `period`: the `days` days ending on the newest commit's day, in `period`'s
   * zone (`report --latest`). The outcome's `period` is the one reported.
   */
  latest?: { days: number };
  now: Date;
}

export interface PipelineDeps {
  store: Store;
  channel: Channel;
  logger: Logger;
  progress: Progress;
  mirrorsDir: string;
  version: string;
  /** GitHub, where the config allows it: PR context, activity, the API-only source. */
  github?: GitHubAccess;
  /** The channels of `delivery:` in the config (feed, e-mail, chat), after the report is written. */
  channels?: readonly NamedChannel[];
  /** For links from reduced chat messages to the full report. */
  fullReportUrl?: (reportName: string) => string | undefined;
  /** The run's model, settings and spend budget, when the LLM analyzer is used. */
  llm?: AnalyzerOptions["llm"];
}

export interface ReportOutcome {
  report: Report;
  deliveries: DeliveryResult[];
  stats: RunStats;
  /** One per configured channel: sent, or failed (kept for `deliver --retry`). */
  channelOutcomes: ChannelOutcome[];
  /** Set when more LLM analyses failed than the configured share: the banner's text. */
  llmFailure?: string;
}

function failureShareExceeded(stats: RunStats, threshold: number | undefined): boolean {
  const { attempted, failed } = stats.llm;
  return threshold !== undefined && attempted > 0 && failed / attempted > threshold;
}

/** The most common reason of the run's LLM failures: the one to fix first (a 403 on every call, say). */
export function commonestReason(stats: RunStats): string {
  const counts = new Map<string, number>();
  for (const reason of stats.llm.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
}

function runNotices(lang: Lang, stats: RunStats, threshold: number | undefined): string[] {
  const notices: string[] = [];
  if (failureShareExceeded(stats, threshold)) {
    notices.push(llmFailureBanner(lang, stats.llm.failed, stats.llm.attempted, commonestReason(stats)));
  }
  if (stats.llm.spendCapped > 0) notices.push(spendCapNotice(lang, stats.llm.spendCapped));
  return notices;
}

export interface RunStats {
  commits: number;
  readFromGit: number;
  analysed: number;
  /** Commits the LLM was meant to analyse this run, and how many fell back to the rules. */
  llm: { attempted: number; failed: number; spendCapped: number; input: number; output: number; reasons: string[] };
  /** Commits in the report with files that could not be read (objects missing from the clone), and where. */
  unreadable: { commits: number; files: number; repos: string[] };
}

/**
 * The whole flow of `repo-digest report`: for each repository, read what the store
 * does not hold yet (one git process), extract facts, analyse what has no analysis
 * yet; then build one report, render every format, deliver. Each commit and each
 * analysis is stored as soon as it exists, so a run killed halfway redoes nothing
 * it finished.
 */
export async function runReport(job: ReportJob, deps: PipelineDeps): Promise<ReportOutcome> {
  const runId = deps.store.startRun("report", describeJob(job), job.now);
  try {
    // Open every source first: a bad path or branch fails the run before anything is written.
    const sources = await Promise.all(job.repos.map((repo) => openSource(repo, deps)));
    const limit = pLimit(REPO_CONCURRENCY);
    const fetchNotices = await settleAll(job.repos.map((repo, index) => limit(() => fetchSource(repo, sources[index]!, job, deps))));
    // Known only now that every mirror is up to date.
    if (job.latest) job = { ...job, period: await latestPeriod(job, sources) };
    const stats: RunStats = {
      commits: 0,
      readFromGit: 0,
      analysed: 0,
      llm: { attempted: 0, failed: 0, spendCapped: 0, input: 0, output: 0, reasons: [] },
      unreadable: { commits: 0, files: 0, repos: [] },
    };
    // In the order of the job, whatever order they finish in.
    const repoInputs: RepoInput[] = await settleAll(
      job.repos.map((repo, index) => limit(() => collectRepo(repo, sources[index]!, job, deps, stats, fetchNotices[index]!))),
    );
    const report = buildReport({
      lang: job.lang,
      period: {
        label: job.period.label,
        since: job.period.since.toISOString(),
        until: job.period.until.toISOString(),
        timezone: job.period.timezone,
      },
      generatedAt: job.now,
      version: deps.version,
      repos: repoInputs,
      notices: runNotices(job.lang, stats, deps.llm?.runtime.settings.failureThreshold),
      ...(job.digest ? { digest: true } : {}),
      ...(deps.llm ? { llmUsage: llmUsageOf(deps.llm) } : {}),
    });
    const name = reportName(job);
    const rendered = renderReport(report, job.formats, name);
    deps.progress.update("writing the report");
    const deliveries = await deps.channel.deliver({ report, rendered });
    for (const delivery of deliveries) {
      deps.store.recordReport({
        runId,
        format: delivery.format,
        path: delivery.target,
        periodLabel: job.period.label,
        repos: job.repos.map((repo) => repo.name),
        createdAt: job.now.toISOString(),
      });
    }
    // The report is on disk before any channel is tried: a failed channel never loses it.
    if (deps.channels?.length) deps.progress.update("delivering");
    const url = deps.fullReportUrl?.(name);
    const channelOutcomes = await deliverToChannels(
      { report, reportName: name, runId, ...(url ? { fullReportUrl: url } : {}) },
      deps.channels ?? [],
      { store: deps.store, logger: deps.logger, now: () => new Date() },
    );
    const llmFailure = failureShareExceeded(stats, deps.llm?.runtime.settings.failureThreshold);
    const runStats = { ...stats, llm: { ...stats.llm, ...(report.llmUsage ? { input: report.llmUsage.input, output: report.llmUsage.output } : {}) } };
    deps.store.finishRun(runId, llmFailure ? "failed" : "succeeded", new Date(), llmFailure ? report.notices[0] : undefined, { ...runStats, channels: channelOutcomes.map(({ channel, status }) => ({ channel, status })) });
    return { report, deliveries, stats, channelOutcomes, ...(llmFailure ? { llmFailure: report.notices[0]! } : {}) };
  } catch (error) {
    deps.store.finishRun(runId, "failed", new Date(), isKnownError(error) ? error.message : String(error));
    throw error;
  } finally {
    deps.progress.stop();
  }
}

async function openSource(repo: ResolvedRepo, deps: PipelineDeps): Promise<Source> {
  const access = deps.github;
  if (repo.source === "github-api" && !access) {
    throw new ConfigError("github.enabled", "false", `true for ${repo.name}, whose source is github-api`);
  }
  const source = createSource(repo.source, repo, {
    mirrorsDir: deps.mirrorsDir,
    logger: deps.logger,
    ...(access ? { githubClient: (ref: GitHubRepoRef) => access.client(ref) } : {}),
    ...(repo.github ? { github: repo.github } : {}),
  });
  deps.progress.update(`${repo.name}: opening`);
  await source.prepare();
  await source.resolveBranch();
  return source;
}

/**
 * Repositories read side by side: one's git process and structural pass overlap another's
 * network wait and analysis. Bounded, for each holds a git process, a blob reader and
 * perhaps a worker thread.
 */
const REPO_CONCURRENCY = Math.max(2, Math.min(4, availableParallelism()));

/**
 * Every task's result in order, or the first failure, but only once all have ended: none
 * is left writing to a store the caller is about to close.
 */
async function settleAll<T>(tasks: ReadonlyArray<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(tasks);
  const failed = settled.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<T>).value);
}

/** Brings a remote's mirror up to date; a failed fetch is a notice, not a failure. */
async function fetchSource(repo: ResolvedRepo, source: Source, job: ReportJob, deps: PipelineDeps): Promise<string[]> {
  if (!job.fetch || !source.remote) return [];
  deps.progress.update(`${repo.name}: fetching`);
  try {
    await source.update();
    return [];
  } catch (error) {
    // Offline is a normal state: report from what the mirror already has, and say so.
    const reason = isKnownError(error) ? error.message : String(error);
    deps.logger.warn({ repo: repo.name, reason }, "fetch failed; using the last fetched history");
    deps.progress.note(`${repo.name}: fetch failed, using the last fetched history (${reason})`);
    return [fetchFailedNotice(job.lang, reason)];
  }
}

/**
 * `--latest`: the `days` days ending on the day (in the period's zone) of the newest
 * first-parent commit of any of the repositories, so that a report of a quiet or old
 * repository still shows its last activity.
 */
async function latestPeriod(job: ReportJob, sources: readonly Source[]): Promise<Period> {
  let newest: Date | undefined;
  for (const source of sources) {
    const at = await newestCommitAt(source);
    if (at && (!newest || at > newest)) newest = at;
  }
  if (!newest) {
    throw new InputError(`no commits on the followed branch of ${job.repos.map((repo) => repo.name).join(", ")}`, {
      hint: "commit something, or set the repository's `branch` to one with commits",
    });
  }
  return daysEnding(job.latest!.days, { timezone: job.period.timezone, now: job.now, at: newest });
}

async function newestCommitAt(source: Source): Promise<Date | undefined> {
  if (source.newestCommitAt) return source.newestCommitAt();
  for await (const commit of source.readCommits([await source.resolveBranch()])) return new Date(commit.committer.date);
  return undefined;
}

async function collectRepo(
  repo: ResolvedRepo,
  source: Source,
  job: ReportJob,
  deps: PipelineDeps,
  stats: RunStats,
  fetchNotices: readonly string[],
): Promise<RepoInput> {
  const { store, logger, progress } = deps;
  // The fetch's notice, if it failed, comes first.
  const notices: string[] = [...fetchNotices];
  // A clone URL may carry a token (https://user:token@host/…): the store keeps it without.
  const stored = store.upsertRepository(redactUrlCredentials(repo.location), repo.name);
  const branch = await source.branchName();
  const headers = await source.listCommits(job.period);
  const shas = headers.map((header) => header.sha);
  const factOptions: FactOptions = { criticalPaths: repo.criticalPaths, ignorePaths: repo.ignorePaths };

  // Facts depend on the extractor's version (checked by the store) and on the ignore patterns.
  const factsKey = hashOptions({ ignorePaths: repo.ignorePaths });
  const known = store.knownCommits(stored.id, shas, factsKey);
  const missing = shas.filter((sha) => !known.has(sha));
  logger.debug({ repo: repo.name, branch, inRange: shas.length, stored: known.size }, "listed commits");
  const fresh = new Map<string, { commit: AnalysedCommit["commit"]; facts: AnalysedCommit["facts"] }>();
  if (missing.length > 0) {
    const started = Date.now();
    // A long read runs the structural pass in a worker thread, beside this one's reading and storing.
    const useWorker = missing.length >= WORKER_MIN_COMMITS && source.gitDir !== undefined;
    const reader = new FactReader(source.openBlobs?.(), useWorker ? { workerGitDir: source.gitDir! } : {});
    let batch: Array<{ commit: AnalysedCommit["commit"]; facts: AnalysedCommit["facts"] }> = [];
    // Facts of the next commits are asked for before the earlier ones are stored, in order.
    const inFlight: Array<Promise<{ commit: AnalysedCommit["commit"]; facts: AnalysedCommit["facts"] }>> = [];
    const take = async (): Promise<void> => {
      const entry = await inFlight.shift()!;
      fresh.set(entry.commit.sha, entry);
      // A commit read with gaps is not kept: once the clone is repaired, the next run reads it whole.
      if (!hasGaps(entry)) batch.push(entry);
      // A transaction per batch, not per commit: a whole history costs a few database commits.
      if (batch.length >= SAVE_BATCH) {
        store.saveCommits(stored.id, batch, factsKey);
        batch = [];
      }
      progress.count(`${repo.name}: reading commits`, fresh.size, missing.length);
    };
    try {
      for await (const yielded of source.readCommits(missing)) {
        // Secrets go at the door: the store, the facts, the report, the logs and the model see only markers.
        const { commit, findings } = redactCommit(yielded);
        if (findings.length > 0) logger.debug({ sha: commit.sha.slice(0, 12), secrets: countByRule(findings) }, "secrets redacted");
        // Facts read from whole files (signatures, defaults, versions) saw text the patch redaction did not.
        const read = reader.read(commit, factOptions).then((facts) => ({ commit, facts: redactDeep(facts) }));
        // Awaited in order by take(); a later commit's failure must not count as unhandled meanwhile.
        read.catch(() => {});
        inFlight.push(read);
        if (inFlight.length >= READ_AHEAD) await take();
      }
      while (inFlight.length > 0) await take();
      store.saveCommits(stored.id, batch, factsKey);
    } finally {
      // Settle what is still in flight (a failed read) before the reader goes.
      await Promise.allSettled(inFlight);
      await reader.close();
    }
    stats.readFromGit += fresh.size;
    logger.debug({ repo: repo.name, commits: fresh.size, ms: Date.now() - started, parses: reader.stats }, "read from git");
  }

  // Each commit is read from the store once, here; the PR lookup and the analysis share it.
  const entries = shas.map((sha) => fresh.get(sha) ?? loadStored(store, stored, sha, factsKey));
  const pullRequests = await loadPullRequestsFor(repo, entries, deps, notices, job);

  // Code of a repository marked `llm: false` never leaves the machine; a digest asks no model.
  const analyzerId = repo.llm && !job.digest ? job.analyzer : "rules";
  const analyzer = await createAnalyzer(analyzerId, {
    scoring: job.scoring,
    criticalPaths: repo.criticalPaths,
    ...(deps.llm ? { llm: deps.llm } : {}),
  });
  const optionsKey = hashOptions({ scoring: job.scoring, factOptions, ...(analyzerId === "llm" ? { llm: job.llmOptionsKey } : {}) });
  // All at once: the analyzer bounds its own concurrency (the LLM's), and each analysis
  // is stored the moment it is done.
  let finished = 0;
  const commits: AnalysedCommit[] = await Promise.all(
    entries.map(async (entry) => {
      const sha = entry.commit.sha;
      const pr = pullRequests.get(sha);
      const analysis =
        (job.digest ? store.latestAnalysis(stored.id, sha, job.lang) : undefined) ??
        (await analyse(analyzer, { ...entry, ...(pr ? { pullRequest: pr } : {}) }, job.lang, optionsKey, store, stored, stats, logger));
      progress.count(`${repo.name}: analysing`, ++finished, shas.length);
      const links = buildLinks(repo.links, sha, pr?.number ?? entry.facts.message.prNumber);
      return { ...entry, analysis, links: pr ? { ...links, pullRequest: pr.url } : links, ...(pr ? { pullRequest: toPullRequestContext(pr) } : {}) };
    }),
  );
  stats.commits += commits.length;
  const gaps = commits.filter(hasGaps);
  if (gaps.length > 0) {
    stats.unreadable.commits += gaps.length;
    stats.unreadable.files += gaps.reduce((sum, entry) => sum + (entry.facts.unseen.unreadableFiles?.length ?? 0), 0);
    stats.unreadable.repos.push(repo.name);
  }
  logger.debug({ repo: repo.name, commits: commits.length, fromGit: missing.length }, "repository collected");
  const overview = await loadOverview(analyzer, repo.name, job.lang, optionsKey, commits, store, progress);
  let activity: RepoActivity | undefined;
  if (deps.github && repo.github && repo.activity && job.fetch) {
    progress.update(`${repo.name}: reading the day's activity on GitHub`);
    const loaded = await loadActivity(deps.github, repo.github, job.period, store, logger);
    activity = loaded.activity;
    if (loaded.error) notices.push(activityFailedNotice(job.lang, loaded.error));
  }
  if (repo.activity) activity = await addTags(activity, source, job.period, repo);
  return {
    name: repo.name,
    ...(repo.webUrl ? { webUrl: repo.webUrl } : {}),
    branch,
    notices,
    commits,
    ...(overview ? { overview } : {}),
    ...(activity ? { activity } : {}),
  };
}

/** PR context where GitHub can be asked; without a token it is said once, not failed on. */
async function loadPullRequestsFor(
  repo: ResolvedRepo,
  entries: ReadonlyArray<Pick<AnalysedCommit, "commit" | "facts">>,
  deps: PipelineDeps,
  notices: string[],
  job: ReportJob,
): Promise<Map<string, PullRequestInfo>> {
  const { lang } = job;
  if (!deps.github || !repo.github || entries.length === 0) return new Map();
  // GitHub's GraphQL API (the PR lookups) takes no anonymous requests.
  if (!deps.github.hasToken && job.fetch) notices.push(noGitHubTokenNotice(lang));
  deps.progress.update(`${repo.name}: reading pull requests on GitHub`);
  const commits = entries.map(({ commit, facts }) => ({
    sha: commit.sha,
    ...(facts.message.prNumber === undefined ? {} : { prNumber: facts.message.prNumber }),
  }));
  try {
    // --no-fetch is the offline mode: what the store already knows of PRs, nothing asked.
    return await loadPullRequests(deps.github, repo.github, commits, deps.store, { offline: !job.fetch });
  } catch (error) {
    const reason = isKnownError(error) ? error.message : String(error);
    deps.logger.warn({ repo: repo.name, reason }, "pull requests unavailable");
    notices.push(pullRequestsFailedNotice(lang, reason));
    return new Map();
  }
}

/** Some files of the commit could not be read from the clone. */
function hasGaps(entry: { facts: AnalysedCommit["facts"] }): boolean {
  return (entry.facts.unseen.unreadableFiles?.length ?? 0) > 0;
}

function loadStored(store: Store, repo: StoredRepository, sha: string, factsKey: string) {
  const entry = store.getCommit(repo.id, sha, factsKey);
  if (!entry) throw new Error(`commit ${sha} of ${repo.name} is missing from the store after reading it`);
  return entry;
}

async function analyse(
  analyzer: Analyzer,
  entry: { commit: AnalysedCommit["commit"]; facts: AnalysedCommit["facts"]; pullRequest?: PullRequestInfo },
  lang: Lang,
  optionsKey: string,
  store: Store,
  repo: StoredRepository,
  stats: RunStats,
  logger: Logger,
) {
  const pr = entry.pullRequest;
  const pullRequest = pr ? { number: pr.number, title: pr.title, body: pr.body, labels: pr.labels } : undefined;
  // What the analysis read of the PR is part of its key: a PR found later means a new analysis.
  const key = { sha: entry.commit.sha, analyzer: analyzer.id, lang, optionsKey: pullRequest ? hashOptions({ optionsKey, pullRequest }) : optionsKey };
  const cached = store.getAnalysis(repo.id, key);
  if (cached) return cached;
  const analysis = await analyzer.analyze({ commit: entry.commit, facts: entry.facts, lang, ...(pullRequest ? { pullRequest } : {}) });
  const llm = analysis.llm;
  logger.debug(
    { sha: entry.commit.sha.slice(0, 12), importance: analysis.importance, score: analysis.score, ...(llm ? { tokens: llm.usage, fallback: llm.fallback?.reason } : {}) },
    "analysed",
  );
  stats.analysed += 1;
  if (llm) {
    stats.llm.input += llm.usage.input;
    stats.llm.output += llm.usage.output;
    if (llm.fallback?.reason === "spend-cap") stats.llm.spendCapped += 1;
    else stats.llm.attempted += 1;
    if (llm.fallback?.reason === "failed") {
      stats.llm.failed += 1;
      stats.llm.reasons.push(llm.fallback.detail);
    }
  }
  // A fallback is not the model's answer: left uncached, so that the next run asks again; nor
  // is an analysis of a commit read with gaps (not stored either), made from part of it.
  if (!llm?.fallback && !hasGaps(entry)) store.saveAnalysis(repo.id, key, analysis);
  return analysis;
}

function renderReport(report: Report, formats: readonly ReportFormat[], name: string): RenderedReport[] {
  return formats.map((format) => {
    const renderer = getRenderer(format);
    return { name, format, extension: renderer.extension, content: renderer.render(report) };
  });
}

/**
 * A repository's part of a report's file name, in characters (ASCII, so bytes too): with the
 * longest period label (`2026-01-10..2026-01-16`), `week-`, `.en` and `.html` the name stays
 * far below the 255 bytes a file name may have (ENAMETOOLONG).
 */
const MAX_SLUG = 100;

/**
 * `2026-01-17--ai-dynamo-dynamo`, `.en` added for English; several repos get a short hash of
 * their names; a name longer than {@link MAX_SLUG} keeps its start and ends in a hash of the
 * whole name, so that two long names that start alike still get two files.
 */
export function reportName(job: Pick<ReportJob, "period" | "repos" | "lang" | "digest">): string {
  const names = job.repos.map((repo) => repo.name).sort();
  const shortHash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 8);
  let slug = names.length === 1 ? names[0]!.replace(/[^A-Za-z0-9._-]+/g, "-") : `${names.length}-repos-${shortHash(names.join("\n"))}`;
  if (slug.length > MAX_SLUG) slug = `${slug.slice(0, MAX_SLUG - 9).replace(/[-.]+$/, "")}-${shortHash(names[0]!)}`;
  return `${job.digest ? "week-" : ""}${job.period.label}--${slug}${job.lang === "en" ? ".en" : ""}`;
}

export function hashOptions(options: unknown): string {
  return createHash("sha256").update(stableJson(options)).digest("hex").slice(0, 16);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The run's parameters as stored with it: names and dates, never secrets. */
function describeJob(job: ReportJob): Record<string, unknown> {
  return {
    repos: job.repos.map((repo) => repo.name),
    period: job.latest ? `latest ${job.latest.days} day(s)` : job.period.label,
    timezone: job.period.timezone,
    lang: job.lang,
    formats: job.formats,
    analyzer: job.analyzer,
  };
}

/**
 * The repository's overview, from the analyses only, kept in the store under a key of
 * everything it was written from: the same day asks the model once.
 */
async function loadOverview(
  analyzer: Analyzer,
  repo: string,
  lang: Lang,
  optionsKey: string,
  commits: readonly AnalysedCommit[],
  store: Store,
  progress: Progress,
): Promise<Overview | undefined> {
  if (!analyzer.overview || commits.length === 0) return undefined;
  const input = {
    repo,
    lang,
    commits: commits.map(({ commit, analysis }) => ({ sha: commit.sha, shortSha: commit.sha.slice(0, SHORT_SHA_LENGTH), title: commit.subject, analysis })),
  };
  // A commit that fell back to the rules this run makes a different overview next run.
  const key = hashOptions({ analyzer: analyzer.id, optionsKey, lang, repo, commits: input.commits.map((c) => [c.sha, c.analysis.analyzer]) });
  const cached = store.getCached<Overview>("overview", key);
  if (cached) return cached.value;
  progress.update(`${repo}: writing the overview`);
  const overview = await analyzer.overview(input);
  if (overview) store.putCached("overview", key, overview);
  return overview;
}

function llmUsageOf(llm: NonNullable<PipelineDeps["llm"]>): NonNullable<Report["llmUsage"]> {
  const { settings } = llm.runtime;
  const { input, output } = llm.budget.used;
  return {
    model: settings.model,
    input,
    output,
    ...(settings.prices ? { cost: { amount: +estimateCost({ input, output }, settings.prices).toFixed(6), currency: settings.prices.currency ?? "USD" } } : {}),
  };
}

/** Tags of the period that no release announced, from the repository itself. */
async function addTags(activity: RepoActivity | undefined, source: Source, period: Period, repo: ResolvedRepo): Promise<RepoActivity | undefined> {
  const tags = (await source.listTags?.(period)) ?? [];
  const released = new Set(activity?.releases.map((release) => release.tag) ?? []);
  const fresh = tags.filter((tag) => !released.has(tag.name));
  if (fresh.length === 0) return activity;
  const base = activity ?? { releases: [], tags: [], pullRequests: { opened: [], merged: [], closed: [] }, issues: { opened: [], closed: [] }, discussed: [], omitted: 0 };
  const url = (name: string) => (repo.webUrl && repo.github ? `${repo.webUrl}/releases/tag/${encodeURIComponent(name)}` : undefined);
  return { ...base, tags: fresh.map((tag) => ({ name: tag.name, ...(url(tag.name) ? { url: url(tag.name)! } : {}) })) };
}
