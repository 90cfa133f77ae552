import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { AnalysisFailuresError, ConfigError, DeliveryFailuresError, IncompleteReportError, InputError } from "../../errors.js";
import type { LlmConfig } from "../../config/schema.js";
import { estimateCost } from "../../analysis/llm/run-budget.js";
import type { LlmSettings, TokenUsage } from "../../analysis/llm/types.js";
import type { CliContext } from "../context.js";
import { resolveScoring } from "../../analysis/rules/weights.js";
import { listAnalyzerIds } from "../../analysis/registry.js";
import { createChannel, createConfiguredChannels, fullReportUrl } from "../../delivery/registry.js";
import { reportChannelOutcomes } from "../report-channel-outcomes.js";
import { LANGUAGES, type Lang } from "../../i18n/lang.js";
import { resolveRepos, type ResolvedRepo } from "../../pipeline/resolve-repos.js";
import { createGitHubAccess } from "../../enrich/github/github-context.js";
import { commonestReason, runReport, type RunStats } from "../../pipeline/run-report.js";
import type { ChannelOutcome } from "../../pipeline/deliver-channels.js";
import { resolveQueueSettings } from "../../queue/queue-settings.js";
import { createSubscriptionChannels } from "../../subscriptions/subscription-channels.js";
import type { ReportRequest } from "../../queue/report-flow.js";
import { llmOptionsKeyOf } from "../../pipeline/llm-options-key.js";
import { RENDERERS } from "../../report/registry.js";
import type { ReportFormat } from "../../report/types.js";
import { daysEnding, resolvePeriod, systemTimezone, assertTimezone, weekEnding } from "../../time/period.js";
import { createContext } from "../context.js";
import { createProgress } from "../progress.js";
import { VERSION } from "../version.js";

export interface ReportOptions {
  repo: string[];
  /** The user's own code, matched against every --repo (`usedBy:`). */
  usedBy: string[];
  date?: string;
  since?: string;
  until?: string;
  days?: string;
  latest?: boolean;
  name?: string;
  tz?: string;
  lang?: Lang;
  format?: ReportFormat[];
  out?: string;
  analyzer: string;
  fetch: boolean;
  deliver: boolean;
  period: "day" | "week";
  /** Run on the workers (`queue:` in the config) and wait for the report. */
  queue?: boolean;
}

/** --used-by adds to what the config says of each repository: paths as given, relative to the working folder. */
async function withUsedBy(repos: ResolvedRepo[], paths: readonly string[]): Promise<ResolvedRepo[]> {
  if (paths.length === 0) return repos;
  for (const path of paths) {
    if (!(await stat(resolve(path)).then((found) => found.isDirectory(), () => false))) {
      throw new InputError(`--used-by ${path} is not a folder`, { hint: "give the path of your own code" });
    }
  }
  return repos.map((repo) => {
    const known = new Set(repo.usedBy.map((entry) => entry.path));
    const added = paths.map((path) => ({ path: resolve(path), label: path })).filter((entry) => !known.has(entry.path));
    return { ...repo, usedBy: [...repo.usedBy, ...added] };
  });
}

export function reportCommand(): Command {
  return new Command("report")
    .description("write the update report of a day (default: yesterday) for the tracked repositories")
    .option("-r, --repo <path-or-url>", "a repository to report on (repeatable); default: the config's repos", collect, [])
    .option("-d, --date <day>", "the day: YYYY-MM-DD, today or yesterday (default: yesterday)")
    .option("--since <when>", "start: YYYY-MM-DD (that day included) or an ISO date-time")
    .option("--until <when>", "end: YYYY-MM-DD (that day included) or an ISO date-time (excluded)")
    .option("--days <n>", "n days ending with --date, or the newest commit's day with --latest, else today")
    .option("--latest", "the day of the newest commit (with --days: the n days ending on it), however long ago")
    .option("--name <name>", "the name a single --repo is reported under (default: from its origin URL, else its folder)")
    .option("--used-by <path>", "your own code: mark the commits that change what it uses (repeatable; with --repo; README: What affects you)", collect, [])
    .addOption(
      new Option("--period <period>", "day: the update report; week: the digest of the 7 days ending --date, from the store (no model call)")
        .choices(["day", "week"])
        .default("day"),
    )
    .option("--tz <zone>", "IANA time zone the day is counted in (default: config, then the system zone)")
    .addOption(new Option("--lang <lang>", "report language (default: config, then zh-CN)").choices(LANGUAGES))
    .addOption(
      new Option("-f, --format <format>", "output format, repeatable (default: config, then md)")
        .choices([...RENDERERS.ids])
        .argParser(collectFormat),
    )
    .option("-o, --out <dir>", "output folder, or - for stdout (default: config output.dir, then ./reports)")
    .addOption(
      new Option("--analyzer <name>", "how commits are analysed; auto: the LLM where the config has one, else rules")
        .choices([...listAnalyzerIds(), "auto"])
        .default("auto"),
    )
    .option("--no-fetch", "do not fetch remotes first; report from the mirror as it is")
    .option("--no-deliver", "write the report only; skip the channels under `delivery:` in the config")
    .option("--queue", "run it on the workers of `queue:` in the config (README: Running at scale) and wait for it")
    .action(async (options: ReportOptions, command: Command) => {
      await executeReport(createContext(command), options);
    });
}

/**
 * `repo-digest report` as a function, for the daemon too: resolve the period and the
 * repositories, run the pipeline, print what was written, and fail (after writing) when
 * too many LLM analyses or any configured channel failed.
 */
export async function executeReport(context: CliContext, options: ReportOptions, now = new Date()): Promise<void> {
  const { config } = context.loaded;
  const timezone = assertTimezone(options.tz ?? config.timezone ?? systemTimezone(), options.tz ? "--tz" : "timezone");
  const digest = options.period === "week";
  if (digest && (options.days || options.since || options.until)) {
    throw new InputError("--period week is the 7 days ending on one day: give that day with --date or --latest, not --days, --since or --until", {
      hint: "drop --period week for a free range",
    });
  }
  if (options.latest && (options.date || options.since || options.until)) {
    throw new InputError("--latest finds the day itself: give it without --date, --since or --until", { hint: "drop --latest to report a day of your choice" });
  }
  if (options.days && (options.since || options.until)) {
    throw new InputError("--days counts back from --date (or today): give it without --since or --until", { hint: "use --since and --until alone for a free range" });
  }
  if (options.name !== undefined && options.repo.length !== 1) {
    throw new InputError("--name names the one repository given with --repo", { hint: "give exactly one --repo, or set `name` for each repository in the config" });
  }
  const days = digest ? 7 : options.days ? parseDays(options.days) : 1;
  const period = digest
    ? weekEnding({ timezone, now, ...(options.date !== undefined ? { date: options.date } : {}) })
    : options.days || options.latest
    ? daysEnding(days, { timezone, now, date: options.date ?? "today" })
    : resolvePeriod({
        timezone,
        now,
        ...(options.date !== undefined ? { date: options.date } : {}),
        ...(options.since !== undefined ? { since: options.since } : {}),
        ...(options.until !== undefined ? { until: options.until } : {}),
      });
  if (options.usedBy.length > 0 && options.repo.length === 0) {
    throw new InputError("--used-by is matched against the repositories given with --repo", { hint: "give --repo too, or set `usedBy` for each repository in the config" });
  }
  const repos = await withUsedBy(await resolveRepos(options.repo, config, process.cwd(), options.name), options.usedBy);
  const toStdout = options.out === "-";
  const outDir = toStdout ? "" : options.out ? resolve(options.out) : config.output.dir;
  const analyzer = chooseAnalyzer(options.analyzer, config.llm);
  const lang = options.lang ?? config.language;
  const formats = options.format ?? config.output.formats;
  const queue = options.queue ? resolveQueueSettings(config) : undefined;
  if (options.queue && !queue) {
    throw new ConfigError("queue", undefined, "a Redis URL under `queue:` in the config, or REPO_DIGEST_QUEUE_URL, for --queue (README: Running at scale)");
  }
  if (queue) {
    if (toStdout || options.latest) {
      throw new InputError(`--queue writes the report on a worker: give it a day${toStdout ? " and an --out folder, not -" : ", not --latest"}`, {
        hint: "drop --queue to run it here",
      });
    }
    const request: ReportRequest = {
      repos,
      period: { label: period.label, since: period.since.toISOString(), until: period.until.toISOString(), timezone: period.timezone },
      lang,
      formats,
      analyzer,
      ...(digest ? { digest } : {}),
      scoring: resolveScoring(config.analysis),
      fetch: options.fetch,
      now: now.toISOString(),
      outDir,
      deliver: options.deliver,
    };
    // BullMQ and ioredis load only for a queued run.
    const { runQueuedReport } = await import("../../queue/run-queued-report.js");
    const summary = await runQueuedReport(request, queue, context.logger);
    endReport(
      { periodLabel: summary.periodLabel, files: summary.files.map((file) => file.target), stats: summary.stats, channelOutcomes: summary.channelOutcomes, ...(summary.llmFailure ? { llmFailure: summary.llmFailure } : {}) },
      { context, repos: repos.length, toStdout, ...(summary.llmUsed && config.llm ? { llm: { used: summary.llmUsed, settings: config.llm } } : {}) },
    );
    return;
  }
  const channel = createChannel(toStdout ? "stdout" : "file", { dir: outDir });
  const progress = await createProgress({ quiet: Boolean(context.options.quiet) });
  // The model stack (the AI SDK, the tokenizer's ranks) loads only for a run that asks a model.
  const llm =
    analyzer === "llm" && config.llm && !digest ? (await import("../llm-runtime.js")).createLlmRuntime(config.llm, context.logger) : undefined;
  // Channels read their secrets now, so that a missing one stops the run before any work.
  const channels = options.deliver ? createConfiguredChannels(config.delivery, { dir: config.output.dir, env: process.env }) : [];
  const subscriptions = options.deliver ? createSubscriptionChannels(config, { dir: config.output.dir, env: process.env }) : [];
  const github =
    config.github.enabled && repos.some((repo) => repo.github)
      ? await createGitHubAccess(config.github, process.env, { logger: context.logger, onWait: (message) => progress.note(message) })
      : undefined;
  const store = await context.openStore();
  try {
    const outcome = await runReport(
      {
        repos,
        period,
        lang,
        formats,
        analyzer,
        ...(digest ? { digest } : {}),
        scoring: resolveScoring(config.analysis),
        ...(llm ? { llmOptionsKey: llmOptionsKeyOf(config) } : {}),
        fetch: options.fetch,
        ...(options.latest ? { latest: { days } } : {}),
        now,
      },
      {
        store,
        channel,
        channels,
        subscriptions,
        ...(github ? { github } : {}),
        fullReportUrl: (name) => fullReportUrl(config.delivery, name),
        logger: context.logger,
        progress,
        mirrorsDir: context.mirrorsDir,
        version: VERSION,
        ...(llm ? { llm } : {}),
      },
    );
    endReport(
      {
        periodLabel: outcome.report.period.label,
        files: outcome.deliveries.map((delivery) => delivery.target),
        stats: outcome.stats,
        channelOutcomes: outcome.channelOutcomes,
        ...(outcome.llmFailure ? { llmFailure: outcome.llmFailure } : {}),
      },
      { context, repos: repos.length, toStdout, ...(llm ? { llm: { used: llm.budget.used, settings: llm.runtime.settings } } : {}) },
    );
  } finally {
    await store.close();
  }
}

/** What a run ended with, in-process or on the workers. */
interface ReportEnd {
  periodLabel: string;
  files: string[];
  stats: RunStats;
  channelOutcomes: ChannelOutcome[];
  llmFailure?: string;
}

/**
 * The end of `report`, wherever it ran: the files written, one summary line, the LLM's
 * spend, each channel's outcome; then the exit code of the worst that happened (after the
 * report was written): too many LLM failures (4), a failed channel (5), gaps (6).
 */
function endReport(end: ReportEnd, how: { context: CliContext; repos: number; toStdout: boolean; llm?: { used: TokenUsage; settings: LlmSettings } }): void {
  const { context, llm } = how;
  context.logger.info(end.stats, "report written");
  if (!how.toStdout && !context.options.quiet) {
    const { commits, readFromGit, analysed } = end.stats;
    for (const file of end.files) process.stdout.write(`${file}\n`);
    process.stderr.write(
      `repo-digest: ${end.periodLabel}: ${commits} commit(s) in ${how.repos} repo(s); ` +
        `${readFromGit} read from git, ${analysed} analysed, the rest from the store\n`,
    );
  }
  if (llm) reportLlmUsage(end.stats, llm.used, llm.settings, context, end.llmFailure !== undefined);
  reportChannelOutcomes(end.channelOutcomes, context);
  if (end.llmFailure) {
    throw new AnalysisFailuresError(end.llmFailure, {
      hint: `the report was written; more than ${Math.round((llm?.settings.failureThreshold ?? 0) * 100)}% of LLM analyses failed (llm.failureThreshold)`,
    });
  }
  const failed = end.channelOutcomes.filter((item) => item.status === "failed");
  if (failed.length > 0) {
    throw new DeliveryFailuresError(`delivery failed for ${failed.map((item) => item.channel).join(", ")}`, {
      hint: "the report was written; `repo-digest deliver --retry` sends it again",
    });
  }
  const { unreadable } = end.stats;
  if (unreadable.commits > 0) {
    throw new IncompleteReportError(
      `written with gaps: ${unreadable.files} file(s) in ${unreadable.commits} commit(s) of ${unreadable.repos.join(", ")} could not be read (objects missing from the clone); each commit names them`,
      {
        hint: `repair the clone: \`git fetch --refetch\` in it (git 2.36+; in a partial clone, first \`git config --unset remote.origin.partialclonefilter\`), or clone it again without --filter; for a URL, delete its mirror in ${context.mirrorsDir} and it is cloned again`,
      },
    );
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Repeatable; commander's own choices check is replaced by an argParser, so it is made here. */
function collectFormat(value: string, previous: ReportFormat[] | undefined): ReportFormat[] {
  const choices: string[] = [...RENDERERS.ids];
  if (!choices.includes(value)) throw new InvalidArgumentError(`Allowed choices are ${choices.join(", ")}.`);
  const next = [...(previous ?? []), value as ReportFormat];
  return [...new Set(next)];
}

function parseDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    throw new ConfigError("--days", value, "a whole number from 1 to 366");
  }
  return days;
}

/** auto: the LLM where the config has one; llm without one is a config error. */
function chooseAnalyzer(requested: string, llm: LlmConfig | undefined): string {
  if (requested === "auto") return llm ? "llm" : "rules";
  if (requested === "llm" && !llm) {
    throw new ConfigError("--analyzer", requested, "rules, or an `llm:` block in the config first (see README, LLM analysis)");
  }
  return requested;
}

/** The run's tokens: every call, the overview's and failed ones included (the budget counts them all). */
function reportLlmUsage(stats: RunStats, used: TokenUsage, settings: LlmSettings, context: CliContext, overThreshold: boolean): void {
  const { attempted, failed, spendCapped } = stats.llm;
  const { input, output } = used;
  context.logger.info({ input, output, attempted, failed, spendCapped }, "LLM tokens");
  if (context.options.quiet) return;
  // Failures under the threshold: one line for the run (over it, the run's error line says it).
  if (failed > 0 && !overThreshold) {
    process.stderr.write(
      `repo-digest: LLM analysis failed for ${failed} of ${attempted} commits, which use the rules analysis (${commonestReason(stats)}; -v shows each)\n`,
    );
  }
  const cost = settings.prices ? ` ≈ ${estimateCost({ input, output }, settings.prices).toFixed(4)} ${settings.prices.currency ?? ""}`.trimEnd() : "";
  if (context.options.verbose || settings.prices) {
    process.stderr.write(`repo-digest: LLM: ${input} tokens in, ${output} out${cost}; ${failed} of ${attempted} failed\n`);
  }
}
