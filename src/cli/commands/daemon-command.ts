import { existsSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { DeliveryFailuresError, ExitCode, InputError } from "../../errors.js";
import { planTick, runDaemon, type DaemonEvent, type DayLedger } from "../../daemon/run-daemon.js";
import { assertSchedule, nextTick } from "../../daemon/schedule-days.js";
import { createConfiguredChannels, fullReportUrl } from "../../delivery/registry.js";
import { describeChannelTargets, planRetries, retryFailedDeliveries, type ChannelOutcome } from "../../pipeline/deliver-channels.js";
import { resolveRepos } from "../../pipeline/resolve-repos.js";
import { reportName } from "../../pipeline/run-report.js";
import { describeOwner } from "../../process-owner.js";
import { getRenderer } from "../../report/registry.js";
import { openConfiguredStore } from "../../store/open-configured-store.js";
import { resolveQueueSettings } from "../../queue/queue-settings.js";
import type { DeliveryRecord, Store } from "../../store/types.js";
import { createSubscriptionChannels, describeSubscriptionTargets } from "../../subscriptions/subscription-channels.js";
import { resolvePeriod, systemTimezone } from "../../time/period.js";
import { createContext, type CliContext } from "../context.js";
import { daemonDocument, printJson, withStdoutOnStderr, type DaemonDay, type DaemonDocument, type DeliveryEntry } from "../json-output.js";
import { outcomeEntry, plannedEntry } from "./deliver-command.js";
import { executeReport } from "./report-command.js";

interface DaemonCommandOptions {
  once?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/**
 * `repo-digest daemon`: the daily job, on the config's schedule. Each day is the same as
 * `repo-digest report --date <day>`, and its exit code decides what becomes of the day
 * (src/daemon/run-daemon.ts). With `--once`, the run exits with the worst outcome of the
 * days it ran, ending with that failure's own line; the resident daemon prints each
 * tick's outcome and keeps running.
 */
export function daemonCommand(): Command {
  return new Command("daemon")
    .description("report the previous day at the time the config's `schedule` says, catching up missed days; deliver; resend failures")
    .option("--once", "catch up and resend now, then exit with the worst outcome (for a crontab line or a CI job)")
    .option("--dry-run", "print what the next run would report and send where, and when the schedule fires next; run nothing, send nothing, change nothing")
    .option("--json", "with --once or --dry-run: print one JSON document on stdout (README: JSON output); the exit code is unchanged")
    .action(async (options: DaemonCommandOptions, command: Command) => {
      const context = createContext(command);
      const { config } = context.loaded;
      const timezone = config.schedule.timezone ?? config.timezone ?? systemTimezone();
      assertSchedule(config.schedule.cron, timezone);
      if (options.dryRun) return planDaemon(context, timezone, Boolean(options.json));
      if (options.json && !options.once) {
        throw new InputError("daemon: --json needs --once (or --dry-run): the resident daemon never ends to print its document", {
          hint: "run `repo-digest daemon --once --json` from cron or a timer instead",
        });
      }
      const once = Boolean(options.once);
      const json = once && options.json ? collectJson() : undefined;
      const store = await context.openStore();
      try {
        const run = () => runDaemon({
          cron: config.schedule.cron,
          timezone,
          catchUpDays: config.schedule.catchUpDays,
          dataDir: context.dataDir,
          ledger: store,
          logger: context.logger,
          ...(once ? { once: true } : {}),
          runDay: async (day, abort) => {
            // A second Ctrl-C or SIGTERM: stop now, as kill would. Nothing is half-written (the store
            // commits per commit, files are renamed whole); the day stays open and the run's row is
            // marked interrupted on the next start.
            const onAbort = () => {
              process.stderr.write(`repo-digest daemon: stopped during ${day}; the day is reported again on the next run\n`);
              process.exit(ExitCode.interrupted);
            };
            abort.addEventListener("abort", onAbort, { once: true });
            const runsBefore = json ? await lastReportRun(store) : 0;
            try {
              // With `queue:`, the day runs on the workers; the daemon waits for it and ends as they did.
              const queued = resolveQueueSettings(config) !== undefined;
              return await executeReport(context, { repo: [], usedBy: [], date: day, tz: timezone, analyzer: "auto", fetch: true, deliver: true, period: "day", ...(queued ? { queue: true } : {}) });
            } finally {
              abort.removeEventListener("abort", onAbort);
              await json?.recordDay(day, store, runsBefore);
            }
          },
          retryDeliveries: async () => {
            const channelContext = { dir: config.output.dir, env: process.env };
            const channels = [...createConfiguredChannels(config.delivery, channelContext), ...createSubscriptionChannels(config, channelContext)];
            if (channels.length === 0) {
              json?.recordUnsent(await store.listFailedDeliveries());
              return;
            }
            const outcomes = await retryFailedDeliveries(channels, { store, logger: context.logger, now: () => new Date(), fullReportUrl: (name) => fullReportUrl(config.delivery, name) });
            json?.recordResent(outcomes);
            const failed = outcomes.filter((item) => item.status === "failed");
            if (failed.length > 0) {
              throw new DeliveryFailuresError(`${failed.length} earlier deliver${failed.length === 1 ? "y" : "ies"} failed again (${[...new Set(failed.map((item) => item.channel))].join(", ")})`, {
                hint: "fix the channel; the next run sends it again, as does `repo-digest deliver --retry`",
              });
            }
          },
          onEvent: (event) => {
            json?.onEvent(event);
            say(context, event, once);
          },
        });
        // Under --json, stdout holds the document alone: the paths `report` prints go to stderr.
        const outcome = json ? await withStdoutOnStderr(run) : await run();
        if (json) printJson(daemonDocument, json.document(outcome.exitCode));
        // The worst failure's own line and exit code, as `repo-digest report` would end with it.
        if (once && outcome.exitCode !== ExitCode.ok) throw outcome.error;
      } finally {
        await store.close();
      }
    });
}

/** What `daemon --once --json` prints, gathered from the daemon's events and the store. */
function collectJson() {
  const days: DaemonDay[] = [];
  const skippedDays: string[] = [];
  const resent: DeliveryEntry[] = [];
  const written = new Map<string, { reports: string[]; deliveries: DeliveryEntry[] }>();
  const reportsOf = (day: string) => written.get(day)?.reports ?? [];
  return {
    /** After a day's report ran: the files and deliveries of the runs it made, from the store. */
    async recordDay(day: string, store: Store, runsBefore: number): Promise<void> {
      const reports = (await store.listReports()).filter((report) => report.runId > runsBefore);
      const runs = [...new Set(reports.map((report) => report.runId))];
      written.set(day, {
        reports: reports.map((report) => report.path),
        deliveries: (await Promise.all(runs.map((runId) => store.listDeliveries(runId)))).flat().map(storedEntry),
      });
    },
    recordResent(outcomes: readonly ChannelOutcome[]): void {
      resent.push(...outcomes.map(outcomeEntry));
    },
    recordUnsent(records: readonly DeliveryRecord[]): void {
      resent.push(...records.map((record) => ({ ...storedEntry(record), status: "skipped" as const, error: "no channel is configured under `delivery:`" })));
    },
    onEvent(event: DaemonEvent): void {
      switch (event.kind) {
        case "day-finished":
          days.push({ day: event.day, outcome: "done", exitCode: event.exitCode, ...(event.reason ? { reason: event.reason } : {}), reports: reportsOf(event.day) });
          break;
        case "day-failed":
          days.push({
            day: event.day,
            outcome: "not-done",
            exitCode: event.exitCode,
            ...(event.attempt !== undefined ? { attempt: event.attempt, maxAttempts: event.maxAttempts } : {}),
            reason: event.reason,
            reports: reportsOf(event.day),
          });
          break;
        case "day-abandoned":
          days.push({ day: event.day, outcome: "given-up", exitCode: event.exitCode, attempt: event.attempts, reason: event.reason, reports: reportsOf(event.day) });
          break;
        case "days-skipped":
          skippedDays.push(...event.days);
          break;
        default:
          break;
      }
    },
    document(exitCode: number): DaemonDocument {
      const deliveries = [...resent, ...days.flatMap((day) => written.get(day.day)?.deliveries ?? [])];
      return { schemaVersion: 1, dryRun: false, days, skippedDays, deliveries, exitCode };
    },
  };
}

/** The newest run that wrote a report: the runs of a day are those after it. */
async function lastReportRun(store: Store): Promise<number> {
  return (await store.listReports()).reduce((last, report) => Math.max(last, report.runId), 0);
}

function storedEntry(record: DeliveryRecord): DeliveryEntry {
  return {
    channel: record.channel,
    report: record.reportName,
    period: record.periodLabel,
    status: record.status === "sent" ? "delivered" : "failed",
    ...(record.target ? { target: record.target } : {}),
    ...(record.error ? { error: record.error } : {}),
  };
}

/**
 * `daemon --dry-run`: what the next run would do, now. With --once that is the whole run;
 * the resident daemon's first tick is the same (it catches up at start), and the plan ends
 * with the time of the tick after. Reads the config, the ledger and the failed deliveries,
 * checks the channels' secrets, and runs nothing: no lock, no fetch, no report, no post.
 */
async function planDaemon(context: CliContext, timezone: string, json: boolean): Promise<void> {
  const { config } = context.loaded;
  const channelContext = { dir: config.output.dir, env: process.env };
  createConfiguredChannels(config.delivery, channelContext);
  createSubscriptionChannels(config, channelContext);
  const targets = new Map([...describeChannelTargets(config.delivery, channelContext), ...describeSubscriptionTargets(config.subscriptions, channelContext)]);
  const now = new Date();
  const { plan, failed } = await readLedger(context, (ledger) => planTick({ timezone, catchUpDays: config.schedule.catchUpDays, ledger }, now));
  const repos = plan.days.length > 0 ? await resolveRepos([], config) : [];
  const resends = planRetries(targets, failed).map(plannedEntry);
  const days: DaemonDay[] = [];
  const deliveries: DeliveryEntry[] = [...resends];
  for (const day of plan.days) {
    const period = resolvePeriod({ timezone, now, date: day });
    const name = reportName({ period, repos, lang: config.language });
    days.push({ day, outcome: "planned", reports: config.output.formats.map((format) => join(config.output.dir, `${name}.${getRenderer(format).extension}`)) });
    for (const [channel, target] of targets) deliveries.push({ channel, report: name, period: period.label, status: "planned", target });
  }
  const next = nextTick(config.schedule.cron, timezone, now).toISOString();
  if (json) {
    printJson(daemonDocument, { schemaVersion: 1, dryRun: true, days, skippedDays: plan.skipped, deliveries, exitCode: ExitCode.ok, nextTick: next });
    return;
  }
  const out = (line: string) => void process.stdout.write(`${line}\n`);
  for (const item of resends) out(item.status === "planned" ? `would resend ${item.report} to ${item.target}` : `would not resend ${item.report}: ${item.error}`);
  if (plan.skipped.length > 0) out(`would skip ${plan.skipped.length} missed day(s) older than schedule.catchUpDays: ${plan.skipped[0]} … ${plan.skipped.at(-1)}`);
  for (const day of days) out(`would report ${day.day}: ${day.reports.join(", ")}`);
  for (const item of deliveries.slice(resends.length)) out(`would send ${item.report} to ${item.target}`);
  if (days.length === 0) out("no day to report");
  out(`next scheduled run at ${next}`);
  if (!context.options.quiet) process.stderr.write("repo-digest daemon: dry run: nothing was run, sent or written\n");
}

/** The ledger and failed deliveries, from the store if there is one: a dry run never creates it, nor marks runs. */
async function readLedger<T>(
  context: CliContext,
  plan: (ledger: Pick<DayLedger, "lastCompletedDay" | "isDayCompleted" | "firstPendingDay">) => Promise<T>,
): Promise<{ plan: T; failed: DeliveryRecord[] }> {
  const file = join(context.dataDir, "repo-digest.sqlite");
  if (context.storeUrl === undefined && !existsSync(file)) {
    const empty = { lastCompletedDay: async () => undefined, isDayCompleted: async () => false, firstPendingDay: async () => undefined };
    return { plan: await plan(empty), failed: [] };
  }
  const store = await openConfiguredStore({ sqliteFile: file, ...(context.storeUrl ? { url: context.storeUrl } : {}) });
  try {
    return { plan: await plan(store), failed: await store.listFailedDeliveries() };
  } finally {
    await store.close();
  }
}

const OUTCOME_NAMES: Record<ExitCode, string> = {
  [ExitCode.ok]: "ok",
  [ExitCode.internal]: "internal error",
  [ExitCode.usage]: "bad config or input",
  [ExitCode.external]: "git, a remote or the machine failed",
  [ExitCode.analysisFailures]: "LLM analyses failed",
  [ExitCode.deliveryFailures]: "a delivery failed",
  [ExitCode.incomplete]: "report with gaps",
  [ExitCode.interrupted]: "stopped",
};

/** One line per event on stderr; failures even with --quiet, for they are errors. */
function say(context: CliContext, event: DaemonEvent, once: boolean): void {
  const next = once ? "the next run" : "the next tick";
  let line: string | undefined;
  let failure = false;
  switch (event.kind) {
    case "lock-taken-over":
      line = `took over the lock of the daemon (${describeOwner(event.from)}) that ended without releasing it`;
      break;
    case "waiting":
      line = `next report at ${event.until.toISOString()}`;
      break;
    case "day-started":
      line = `reporting ${event.day}`;
      break;
    case "day-finished":
      failure = event.exitCode !== ExitCode.ok;
      line =
        event.exitCode === ExitCode.deliveryFailures
          ? `${event.day} done, but a channel did not get it (${event.reason}); ${next} sends it again`
          : event.exitCode === ExitCode.incomplete
            ? `${event.day} done with gaps (${event.reason}); not run again, a retry would not read more: repair the repository, then \`repo-digest report --date ${event.day}\``
            : `${event.day} done`;
      break;
    case "day-failed":
      failure = true;
      line =
        `${event.day} not done (exit ${event.exitCode}, ${OUTCOME_NAMES[event.exitCode]}: ${event.reason}); ` +
        (event.attempt !== undefined
          ? `attempt ${event.attempt} of ${event.maxAttempts}, ${next} tries again${event.exitCode === ExitCode.analysisFailures ? " for the commits whose analysis failed" : ""}`
          : `${next} tries again; later days wait`);
      break;
    case "day-abandoned":
      failure = true;
      line = `${event.day} given up after ${event.attempts} attempts (exit ${event.exitCode}, ${OUTCOME_NAMES[event.exitCode]}: ${event.reason}); later days go on; \`repo-digest report --date ${event.day}\` redoes it`;
      break;
    case "deliveries-failed":
      failure = true;
      line = `resending earlier deliveries: ${event.reason}; ${next} tries again`;
      break;
    case "days-skipped":
      line = `skipped ${event.days.length} missed day(s) older than schedule.catchUpDays: ${event.days[0]} … ${event.days.at(-1)}`;
      break;
    case "tick-finished": {
      // `--once` ends with its exit code instead.
      if (once) return;
      const { exitCode, done, pending } = event.outcome;
      failure = exitCode !== ExitCode.ok;
      line = `tick finished: exit ${exitCode} (${OUTCOME_NAMES[exitCode]}); ${done.length} day(s) done${pending ? `, ${pending} left for the next tick` : ""}`;
      break;
    }
    case "stopping":
      line = "stopping after the current step";
      break;
  }
  if (context.options.quiet && !failure) return;
  process.stderr.write(`repo-digest daemon: ${line}
`);
}
