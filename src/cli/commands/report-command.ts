import { resolve } from "node:path";
import { Command, Option } from "commander";
import { ConfigError } from "../../errors.js";
import { resolveScoring } from "../../analysis/rules/weights.js";
import { listAnalyzerIds } from "../../analysis/registry.js";
import { createChannel } from "../../delivery/registry.js";
import { LANGUAGES, type Lang } from "../../i18n/lang.js";
import { resolveRepos } from "../../pipeline/resolve-repos.js";
import { runReport } from "../../pipeline/run-report.js";
import { renderers } from "../../report/registry.js";
import type { ReportFormat } from "../../report/types.js";
import { lastDays, resolvePeriod, systemTimezone, assertTimezone } from "../../time/period.js";
import { createContext } from "../context.js";
import { createProgress } from "../progress.js";
import { VERSION } from "../version.js";

interface ReportOptions {
  repo: string[];
  date?: string;
  since?: string;
  until?: string;
  days?: string;
  tz?: string;
  lang?: Lang;
  format?: ReportFormat[];
  out?: string;
  analyzer: string;
  fetch: boolean;
}

export function reportCommand(): Command {
  return new Command("report")
    .description("write the update report of a day (default: yesterday) for the tracked repositories")
    .option("-r, --repo <path-or-url>", "a repository to report on (repeatable); default: the config's repos", collect, [])
    .option("-d, --date <day>", "the day: YYYY-MM-DD, today or yesterday (default: yesterday)")
    .option("--since <when>", "start: YYYY-MM-DD (that day included) or an ISO date-time")
    .option("--until <when>", "end: YYYY-MM-DD (that day included) or an ISO date-time (excluded)")
    .option("--days <n>", "the last n days up to and including today")
    .option("--tz <zone>", "IANA time zone the day is counted in (default: config, then the system zone)")
    .addOption(new Option("--lang <lang>", "report language (default: config, then zh-CN)").choices(LANGUAGES))
    .addOption(
      new Option("-f, --format <format>", "output format, repeatable (default: config, then md)")
        .choices([...renderers.keys()])
        .argParser(collectFormat),
    )
    .option("-o, --out <dir>", "output folder, or - for stdout (default: config output.dir, then ./reports)")
    .addOption(new Option("--analyzer <name>", "how commits are analysed").choices(listAnalyzerIds()).default("rules"))
    .option("--no-fetch", "do not fetch remotes first; report from the mirror as it is")
    .action(async (options: ReportOptions, command: Command) => {
      const context = createContext(command);
      const { config } = context.loaded;
      const timezone = assertTimezone(options.tz ?? config.timezone ?? systemTimezone(), options.tz ? "--tz" : "timezone");
      const now = new Date();
      const period = options.days
        ? lastDays(parseDays(options.days), now, timezone)
        : resolvePeriod({
            timezone,
            now,
            ...(options.date !== undefined ? { date: options.date } : {}),
            ...(options.since !== undefined ? { since: options.since } : {}),
            ...(options.until !== undefined ? { until: options.until } : {}),
          });
      const repos = await resolveRepos(options.repo, config);
      const toStdout = options.out === "-";
      const outDir = toStdout ? "" : options.out ? resolve(options.out) : config.output.dir;
      const channel = createChannel(toStdout ? "stdout" : "file", { dir: outDir });
      const progress = createProgress({ quiet: Boolean(context.options.quiet) });
      const store = context.openStore();
      try {
        const outcome = await runReport(
          {
            repos,
            period,
            lang: options.lang ?? config.language,
            formats: options.format ?? config.output.formats,
            analyzer: options.analyzer,
            scoring: resolveScoring(config.analysis),
            fetch: options.fetch,
            now,
          },
          { store, channel, logger: context.logger, progress, mirrorsDir: context.mirrorsDir, version: VERSION },
        );
        context.logger.info(outcome.stats, "report written");
        if (!toStdout && !context.options.quiet) {
          const { commits, readFromGit, analysed } = outcome.stats;
          for (const delivery of outcome.deliveries) process.stdout.write(`${delivery.target}\n`);
          process.stderr.write(
            `repo-digest: ${period.label}: ${commits} commit(s) in ${repos.length} repo(s); ` +
              `${readFromGit} read from git, ${analysed} analysed, the rest from the store\n`,
          );
        }
      } finally {
        store.close();
      }
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function collectFormat(value: string, previous: ReportFormat[] | undefined): ReportFormat[] {
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
