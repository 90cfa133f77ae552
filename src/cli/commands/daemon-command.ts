import { Command } from "commander";
import { AnalysisFailuresError, DeliveryFailuresError } from "../../errors.js";
import { runDaemon, type DaemonEvent } from "../../daemon/run-daemon.js";
import { assertSchedule } from "../../daemon/schedule-days.js";
import { createConfiguredChannels, fullReportUrl } from "../../delivery/registry.js";
import { retryFailedDeliveries } from "../../pipeline/deliver-channels.js";
import { systemTimezone } from "../../time/period.js";
import { createContext, type CliContext } from "../context.js";
import { executeReport } from "./report-command.js";

/**
 * `repo-digest daemon`: the daily job, on the config's schedule. Each day is the same as
 * `repo-digest report --date <day>`; a report that was written counts as done even when a
 * channel failed (it is sent again at the next tick) or the LLM fell back.
 */
export function daemonCommand(): Command {
  return new Command("daemon")
    .description("report the previous day at the time the config's `schedule` says, catching up missed days; deliver; resend failures")
    .option("--once", "catch up and resend now, then exit (for a crontab line or a CI job)")
    .action(async (options: { once?: boolean }, command: Command) => {
      const context = createContext(command);
      const { config } = context.loaded;
      const timezone = config.schedule.timezone ?? config.timezone ?? systemTimezone();
      assertSchedule(config.schedule.cron, timezone);
      const store = context.openStore();
      try {
        await runDaemon({
          cron: config.schedule.cron,
          timezone,
          catchUpDays: config.schedule.catchUpDays,
          dataDir: context.dataDir,
          ledger: store,
          logger: context.logger,
          ...(options.once ? { once: true } : {}),
          runDay: (day) => reportDay(context, day, timezone),
          retryDeliveries: async () => {
            const channels = createConfiguredChannels(config.delivery, { dir: config.output.dir, env: process.env });
            if (channels.length === 0) return;
            await retryFailedDeliveries(channels, { store, logger: context.logger, now: () => new Date(), fullReportUrl: (name) => fullReportUrl(config.delivery, name) });
          },
          onEvent: (event) => say(context, event),
        });
      } finally {
        store.close();
      }
    });
}

async function reportDay(context: CliContext, day: string, timezone: string): Promise<void> {
  try {
    await executeReport(context, { repo: [], date: day, tz: timezone, analyzer: "auto", fetch: true, deliver: true, period: "day" });
  } catch (error) {
    // Written, with a banner or a delivery left for later: the day is done.
    if (error instanceof AnalysisFailuresError || error instanceof DeliveryFailuresError) {
      context.logger.warn({ day, reason: error.message }, "the report was written with failures");
      return;
    }
    throw error;
  }
}

function say(context: CliContext, event: DaemonEvent): void {
  if (context.options.quiet) return;
  const line =
    event.kind === "waiting"
      ? `next report at ${event.until.toISOString()}`
      : event.kind === "day-started"
        ? `reporting ${event.day}`
        : event.kind === "day-finished"
          ? `${event.day} done`
          : event.kind === "day-failed"
            ? `${event.day} failed (${event.reason}); the next tick tries again`
            : event.kind === "days-skipped"
              ? `skipped ${event.days.length} missed day(s) older than schedule.catchUpDays: ${event.days[0]} … ${event.days.at(-1)}`
              : "stopping after the current step";
  process.stderr.write(`repo-digest daemon: ${line}\n`);
}
