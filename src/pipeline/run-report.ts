import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import pLimit from "p-limit";
import { createAnalyzer, type AnalyzerOptions } from "../analysis/registry.js";
import type { Analyzer, ScoringConfig } from "../analysis/types.js";
import type { NamedChannel } from "../delivery/registry.js";
import type { Channel, DeliveryResult } from "../delivery/types.js";
import type { GitHubAccess } from "../enrich/github/github-context.js";
import { createContextProviders } from "../enrich/registry.js";
import type { ContextProvider, Enrichment } from "../enrich/types.js";
import { ConfigError, InputError, isKnownError } from "../errors.js";
import type { GitHubRepoRef } from "../github/parse-repo.js";
import type { Lang } from "../i18n/lang.js";
import type { Logger } from "../logger.js";
import type { RepoInput } from "../report/build-report.js";
import type { Report, ReportFormat } from "../report/types.js";
import { createSource } from "../sources/registry.js";
import type { Source } from "../sources/types.js";
import type { Store } from "../store/types.js";
import type { SubscriptionChannel } from "../subscriptions/subscription-channels.js";
import { daysEnding, type Period } from "../time/period.js";
import type { ChannelOutcome } from "./deliver-channels.js";
import { fetchFailedNotice, llmFailureBanner, spendCapNotice } from "./notices.js";
import type { Progress } from "./progress.js";
import type { ResolvedRepo } from "./resolve-repos.js";
import { addTally, analyseCommit, emptyTally, overviewOf, type AnalysisTally } from "./stages/analyse.js";
import { buildRepoSection, buildRunReport } from "./stages/build.js";
import { collect, factOptionsOf, hasGaps, type Collected } from "./stages/collect.js";
import { hashOptions } from "./stages/keys.js";
import { publish } from "./stages/publish.js";
import { searchEntriesOf } from "./stages/search-entry.js";
import { matchEntries, prepareUsage } from "./stages/usage.js";

export { hashOptions } from "./stages/keys.js";

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
  /** The config's subscriptions, each sent the report filtered (src/subscriptions/). */
  subscriptions?: readonly SubscriptionChannel[];
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

export function failureShareExceeded(stats: RunStats, threshold: number | undefined): boolean {
  const { attempted, failed } = stats.llm;
  return threshold !== undefined && attempted > 0 && failed / attempted > threshold;
}

/** The most common reason of the run's LLM failures: the one to fix first (a 403 on every call, say). */
export function commonestReason(stats: RunStats): string {
  const counts = new Map<string, number>();
  for (const reason of stats.llm.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
}

export function runNotices(lang: Lang, stats: RunStats, threshold: number | undefined): string[] {
  const notices: string[] = [];
  if (failureShareExceeded(stats, threshold)) {
    notices.push(llmFailureBanner(lang, stats.llm.failed, stats.llm.attempted, commonestReason(stats)));
  }
  if (stats.llm.spendCapped > 0) notices.push(spendCapNotice(lang, stats.llm.spendCapped));
  return notices;
}

export interface RunStats extends AnalysisTally {
  commits: number;
  readFromGit: number;
  /** Commits in the report with files that could not be read (objects missing from the clone), and where. */
  unreadable: { commits: number; files: number; repos: string[] };
}


/**
 * The whole flow of `repo-digest report`, as stages: open and fetch each source, then per
 * repository (side by side) **collect** (commits and facts, stored) → **enrich** (PR
 * context, activity) → **analyse** (one commit → one analysis; the overview) → one
 * report **built** from the sections → **published** (rendered once, written, delivered).
 * Each stage takes what it needs and returns what it made; nothing is shared but the
 * store, where each commit and analysis is saved as soon as it exists, so a run killed
 * halfway redoes nothing it finished. The queued mode (src/queue/) runs the same stages as jobs.
 */
export async function runReport(job: ReportJob, deps: PipelineDeps): Promise<ReportOutcome> {
  const runId = await deps.store.startRun("report", describeJob(job), job.now);
  try {
    // Open every source first: a bad path or branch fails the run before anything is written.
    const sources = await Promise.all(job.repos.map((repo) => openSource(repo, deps)));
    const limit = pLimit(REPO_CONCURRENCY);
    const fetchNotices = await settleAll(job.repos.map((repo, index) => limit(() => fetchSource(repo, sources[index]!, job, deps))));
    // Known only now that every mirror is up to date.
    if (job.latest) job = { ...job, period: await latestPeriod(job, sources) };
    const providers = createContextProviders({ store: deps.store, logger: deps.logger, progress: deps.progress, ...(deps.github ? { github: deps.github } : {}) });
    // In the order of the job, whatever order they finish in.
    const sections = await settleAll(
      job.repos.map((repo, index) => limit(() => reportRepo(repo, sources[index]!, job, deps, providers, fetchNotices[index]!))),
    );
    const stats = sumStats(sections.map((section) => section.stats));
    const threshold = deps.llm?.runtime.settings.failureThreshold;
    const report = buildRunReport({
      lang: job.lang,
      period: job.period,
      generatedAt: job.now,
      version: deps.version,
      repos: sections.map((section) => section.input),
      notices: runNotices(job.lang, stats, threshold),
      ...(job.digest ? { digest: true } : {}),
      ...(deps.llm ? { llm: { settings: deps.llm.runtime.settings, used: deps.llm.budget.used } } : {}),
    });
    const name = reportName(job);
    const url = deps.fullReportUrl?.(name);
    const { deliveries, channelOutcomes } = await publish(
      { report, name, formats: job.formats, runId, repos: job.repos.map((repo) => repo.name), ...(url ? { fullReportUrl: url } : {}) },
      { store: deps.store, logger: deps.logger, progress: deps.progress, output: deps.channel, channels: deps.channels ?? [], subscriptions: deps.subscriptions ?? [] },
    );
    const llmFailure = failureShareExceeded(stats, threshold);
    const runStats = { ...stats, llm: { ...stats.llm, ...(report.llmUsage ? { input: report.llmUsage.input, output: report.llmUsage.output } : {}) } };
    await deps.store.finishRun(runId, llmFailure ? "failed" : "succeeded", new Date(), llmFailure ? report.notices[0] : undefined, {
      ...runStats,
      channels: channelOutcomes.map(({ channel, status }) => ({ channel, status })),
    });
    return { report, deliveries, stats, channelOutcomes, ...(llmFailure ? { llmFailure: report.notices[0]! } : {}) };
  } catch (error) {
    await deps.store.finishRun(runId, "failed", new Date(), isKnownError(error) ? error.message : String(error));
    throw error;
  } finally {
    deps.progress.stop();
  }
}

/** One repository's section of the report and what it cost. */
interface RepoSection {
  input: RepoInput;
  stats: RunStats;
}

/** collect → enrich → analyse → the section, for one repository. */
async function reportRepo(
  repo: ResolvedRepo,
  source: Source,
  job: ReportJob,
  deps: PipelineDeps,
  providers: readonly ContextProvider[],
  fetchNotices: readonly string[],
): Promise<RepoSection> {
  const { store, logger, progress } = deps;
  const collected = await collect({ repo, source, period: job.period, withTags: repo.activity }, { store, logger, progress });
  // The user's code is read (or its index fetched from the store) while the commits are analysed.
  const usage = prepareUsage(repo, source, { store, logger, lang: job.lang });
  usage.catch(() => undefined);
  const enrichment = await enrich(repo, collected, job, providers);
  const { analyzer, optionsKey } = await analyzerFor(repo, job, deps.llm);
  // All at once: the analyzer bounds its own concurrency (the LLM's), and each analysis
  // is stored the moment it is done.
  let finished = 0;
  const analysed = await Promise.all(
    collected.entries.map(async (entry) => {
      const pullRequest = enrichment.pullRequests.get(entry.commit.sha);
      const result = await analyseCommit(
        { repoId: collected.repoId, entry, analyzer, lang: job.lang, optionsKey, ...(pullRequest ? { pullRequest } : {}), ...(job.digest ? { digest: true } : {}) },
        { store, logger },
      );
      progress.count(`${repo.name}: analysing`, ++finished, collected.entries.length);
      return result;
    }),
  );
  const analyses = analysed.map((item) => item.analysis);
  logger.debug({ repo: repo.name, commits: analyses.length, fromGit: collected.readFromGit }, "repository collected");
  const overview = await overviewOf(
    { analyzer, repo: repo.name, lang: job.lang, optionsKey, commits: collected.entries.map((entry, index) => ({ commit: entry.commit, analysis: analyses[index]! })) },
    { store, onStart: () => progress.update(`${repo.name}: writing the overview`) },
  );
  const prepared = await usage;
  const matched = prepared ? matchEntries(collected.entries, prepared, job.lang) : undefined;
  // Search and trends (`repo-digest serve`) read the period's commits in the report's language.
  await store.indexCommits(
    collected.repoId,
    searchEntriesOf({ entries: collected.entries, analyses, pullRequests: enrichment.pullRequests, lang: job.lang, ...(matched ? { affects: matched.affects } : {}) }),
  );
  const input = buildRepoSection({
    repo,
    branch: collected.branch,
    entries: collected.entries,
    analyses,
    enrichment,
    tags: collected.tags,
    notices: fetchNotices,
    ...(overview ? { overview } : {}),
    ...(matched ? { usage: matched } : {}),
  });
  return { input, stats: repoStats(repo, collected, analysed.map((item) => item.tally)) };
}

/** The enrich stage: the first provider that serves the repository, or none. */
export async function enrich(repo: ResolvedRepo, collected: Collected, job: Pick<ReportJob, "period" | "lang" | "fetch">, providers: readonly ContextProvider[]): Promise<Enrichment> {
  const provider = providers.find((candidate) => candidate.serves(repo));
  if (!provider) return { pullRequests: new Map(), notices: [] };
  const commits = collected.entries.map(({ commit, facts }) => ({
    sha: commit.sha,
    ...(facts.message.prNumber === undefined ? {} : { prNumber: facts.message.prNumber }),
  }));
  return provider.enrich({ repo, commits, period: job.period, lang: job.lang, offline: !job.fetch });
}

/**
 * The repository's analyzer and the key of what changes its answers. Code of a repository
 * marked `llm: false` never leaves the machine; a digest asks no model.
 */
export async function analyzerFor(
  repo: ResolvedRepo,
  job: Pick<ReportJob, "analyzer" | "digest" | "scoring" | "llmOptionsKey">,
  llm: PipelineDeps["llm"],
): Promise<{ analyzer: Analyzer; optionsKey: string }> {
  const analyzerId = repo.llm && !job.digest ? job.analyzer : "rules";
  const analyzer = await createAnalyzer(analyzerId, { scoring: job.scoring, criticalPaths: repo.criticalPaths, ...(llm ? { llm } : {}) });
  const optionsKey = hashOptions({ scoring: job.scoring, factOptions: factOptionsOf(repo), ...(analyzerId === "llm" ? { llm: job.llmOptionsKey } : {}) });
  return { analyzer, optionsKey };
}

export function repoStats(repo: Pick<ResolvedRepo, "name">, collected: Pick<Collected, "entries" | "readFromGit">, tallies: readonly AnalysisTally[]): RunStats {
  const tally = tallies.reduce(addTally, emptyTally());
  const gaps = collected.entries.filter(hasGaps);
  return {
    ...tally,
    commits: collected.entries.length,
    readFromGit: collected.readFromGit,
    unreadable: {
      commits: gaps.length,
      files: gaps.reduce((sum, entry) => sum + (entry.facts.unseen.unreadableFiles?.length ?? 0), 0),
      repos: gaps.length > 0 ? [repo.name] : [],
    },
  };
}

export function sumStats(all: readonly RunStats[]): RunStats {
  const sum: RunStats = { ...emptyTally(), commits: 0, readFromGit: 0, unreadable: { commits: 0, files: 0, repos: [] } };
  for (const stats of all) {
    addTally(sum, stats);
    sum.commits += stats.commits;
    sum.readFromGit += stats.readFromGit;
    sum.unreadable.commits += stats.unreadable.commits;
    sum.unreadable.files += stats.unreadable.files;
    sum.unreadable.repos.push(...stats.unreadable.repos);
  }
  return sum;
}

export async function openSource(repo: ResolvedRepo, deps: PipelineDeps): Promise<Source> {
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
export async function fetchSource(repo: ResolvedRepo, source: Source, job: ReportJob, deps: PipelineDeps): Promise<string[]> {
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

