import { Command } from "commander";
import { DeliveryFailuresError, ExitCode } from "../../errors.js";
import { runDaemon, type DaemonEvent } from "../../daemon/run-daemon.js";
import { assertSchedule } from "../../daemon/schedule-days.js";
import { createConfiguredChannels, fullReportUrl } from "../../delivery/registry.js";
import { retryFailedDeliveries } from "../../pipeline/deliver-channels.js";
import { describeOwner } from "../../process-owner.js";
import { systemTimezone } from "../../time/period.js";
import { createContext, type CliContext } from "../context.js";
import { executeReport } from "./report-command.js";

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
    .action(async (options: { once?: boolean }, command: Command) => {
      const context = createContext(command);
      const { config } = context.loaded;
      const timezone = config.schedule.timezone ?? config.timezone ?? systemTimezone();
      assertSchedule(config.schedule.cron, timezone);
      const once = Boolean(options.once);
      const store = context.openStore();
      try {
        const outcome = await runDaemon({
          cron: config.schedule.cron,
          timezone,
          catchUpDays: config.schedule.catchUpDays,
          dataDir: context.dataDir,
          ledger: store,
          logger: context.logger,
          ...(once ? { once: true } : {}),
          runDay: (day, abort) => {
            // A second Ctrl-C or SIGTERM: stop now, as kill would. Nothing is half-written (the store
            // commits per commit, files are renamed whole); the day stays open and the run's row is
            // marked interrupted on the next start.
            const onAbort = () => {
              process.stderr.write(`repo-digest daemon: stopped during ${day}; the day is reported again on the next run\n`);
              process.exit(ExitCode.interrupted);
            };
            abort.addEventListener("abort", onAbort, { once: true });
            return executeReport(context, { repo: [], date: day, tz: timezone, analyzer: "auto", fetch: true, deliver: true, period: "day" }).finally(() =>
              abort.removeEventListener("abort", onAbort),
            );
          },
          retryDeliveries: async () => {
            const channels = createConfiguredChannels(config.delivery, { dir: config.output.dir, env: process.env });
            if (channels.length === 0) return;
            const outcomes = await retryFailedDeliveries(channels, { store, logger: context.logger, now: () => new Date(), fullReportUrl: (name) => fullReportUrl(config.delivery, name) });
            const failed = outcomes.filter((item) => item.status === "failed");
            if (failed.length > 0) {
              throw new DeliveryFailuresError(`${failed.length} earlier deliver${failed.length === 1 ? "y" : "ies"} failed again (${[...new Set(failed.map((item) => item.channel))].join(", ")})`, {
                hint: "fix the channel; the next run sends it again, as does `repo-digest deliver --retry`",
              });
            }
          },
          onEvent: (event) => say(context, event, once),
        });
        // The worst failure's own line and exit code, as `repo-digest report` would end with it.
        if (once && outcome.exitCode !== ExitCode.ok) throw outcome.error;
      } finally {
        store.close();
      }
    });
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
