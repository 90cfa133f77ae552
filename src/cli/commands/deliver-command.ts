import { existsSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { DeliveryFailuresError, ExitCode } from "../../errors.js";
import { createConfiguredChannels, fullReportUrl } from "../../delivery/registry.js";
import { describeChannelTargets, planRetries, retryFailedDeliveries, type ChannelOutcome, type PlannedRetry } from "../../pipeline/deliver-channels.js";
import { openConfiguredStore } from "../../store/open-configured-store.js";
import type { DeliveryRecord } from "../../store/types.js";
import { createSubscriptionChannels, describeSubscriptionTargets } from "../../subscriptions/subscription-channels.js";
import { createContext, type CliContext } from "../context.js";
import { deliverDocument, printJson, type DeliveryEntry } from "../json-output.js";
import { reportChannelOutcomes } from "../report-channel-outcomes.js";

interface DeliverOptions {
  retry?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** `repo-digest deliver`: lists deliveries that failed; `--retry` sends them again; `--dry-run` says what it would send where. */
export function deliverCommand(): Command {
  return new Command("deliver")
    .description("list the deliveries that failed; with --retry, send them again to their channels")
    .option("--retry", "send every failed delivery again, with the report as it was written")
    .option("--dry-run", "print what --retry would send, and to where; send nothing, change nothing")
    .option("--json", "print one JSON document on stdout (README: JSON output); the exit code is unchanged")
    .action(async (options: DeliverOptions, command: Command) => {
      const context = createContext(command);
      if (options.dryRun) return await planDeliveries(context, options);
      const { config } = context.loaded;
      const store = await context.openStore();
      try {
        if (!options.retry) {
          const failed = await store.listFailedDeliveries();
          if (options.json) {
            printJson(deliverDocument, { schemaVersion: 1, dryRun: false, deliveries: failed.map(listedEntry), exitCode: ExitCode.ok });
          } else {
            for (const record of failed) {
              process.stdout.write(`${record.periodLabel}\t${record.channel}\t${record.attempts} attempt(s)\t${record.error ?? ""}\n`);
            }
          }
          if (!context.options.quiet) process.stderr.write(`repo-digest: ${failed.length} failed deliveries${failed.length ? " (send them again with --retry)" : ""}\n`);
          return;
        }
        const channelContext = { dir: config.output.dir, env: process.env };
        const channels = [...createConfiguredChannels(config.delivery, channelContext), ...createSubscriptionChannels(config, channelContext)];
        const outcomes = await retryFailedDeliveries(channels, {
          store,
          logger: context.logger,
          now: () => new Date(),
          fullReportUrl: (name) => fullReportUrl(config.delivery, name),
        });
        reportChannelOutcomes(outcomes, context);
        if (!context.options.quiet) process.stderr.write(`repo-digest: ${outcomes.filter((o) => o.status === "sent").length} of ${outcomes.length} sent\n`);
        const failed = outcomes.filter((outcome) => outcome.status === "failed");
        // Printed before the failure is thrown: a script reads what happened and gets exit 5 too.
        if (options.json) {
          const exitCode = failed.length > 0 ? ExitCode.deliveryFailures : ExitCode.ok;
          printJson(deliverDocument, { schemaVersion: 1, dryRun: false, deliveries: outcomes.map(outcomeEntry), exitCode });
        }
        if (failed.length > 0) {
          throw new DeliveryFailuresError(`${failed.length} deliveries failed again`, { hint: "fix the channel and run `repo-digest deliver --retry` again" });
        }
      } finally {
        await store.close();
      }
    });
}

/**
 * `deliver --dry-run` (with or without --retry): the plan of `--retry`. The channels are
 * created, so a missing secret fails here as it would there (exit 2); the store is only
 * read: never created, and no run is marked interrupted.
 */
async function planDeliveries(context: CliContext, options: DeliverOptions): Promise<void> {
  const { config } = context.loaded;
  const channelContext = { dir: config.output.dir, env: process.env };
  createConfiguredChannels(config.delivery, channelContext);
  createSubscriptionChannels(config, channelContext);
  const targets = new Map([...describeChannelTargets(config.delivery, channelContext), ...describeSubscriptionTargets(config.subscriptions, channelContext)]);
  const plan = planRetries(targets, await readFailedDeliveries(context));
  if (options.json) {
    printJson(deliverDocument, { schemaVersion: 1, dryRun: true, deliveries: plan.map(plannedEntry), exitCode: ExitCode.ok });
  } else {
    for (const item of plan) {
      process.stdout.write(`${item.report.period}\t${item.channel}\t${item.target ? `would send ${item.report.name} to ${item.target}` : `would not send: ${item.error}`}\n`);
    }
  }
  if (!context.options.quiet) process.stderr.write(`repo-digest: dry run: ${plan.filter((item) => item.target).length} of ${plan.length} failed deliveries would be sent again; nothing was sent\n`);
}

/** The failed deliveries in the store, read without creating it where there is none yet. */
export async function readFailedDeliveries(context: CliContext): Promise<DeliveryRecord[]> {
  const file = join(context.dataDir, "repo-digest.sqlite");
  if (context.storeUrl === undefined && !existsSync(file)) return [];
  const store = await openConfiguredStore({ sqliteFile: file, ...(context.storeUrl ? { url: context.storeUrl } : {}) });
  try {
    return await store.listFailedDeliveries();
  } finally {
    await store.close();
  }
}

function listedEntry(record: DeliveryRecord): DeliveryEntry {
  return {
    channel: record.channel,
    report: record.reportName,
    period: record.periodLabel,
    status: "failed",
    attempts: record.attempts,
    ...(record.error ? { error: record.error } : {}),
  };
}

export function outcomeEntry(outcome: ChannelOutcome): DeliveryEntry {
  return {
    channel: outcome.channel,
    report: outcome.report?.name ?? "",
    period: outcome.report?.period ?? "",
    status: outcome.status === "sent" ? "delivered" : "failed",
    ...(outcome.target ? { target: outcome.target } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
  };
}

export function plannedEntry(item: PlannedRetry): DeliveryEntry {
  return {
    channel: item.channel,
    report: item.report.name,
    period: item.report.period,
    status: item.target ? "planned" : "skipped",
    ...(item.target ? { target: item.target } : {}),
    ...(item.error ? { error: item.error } : {}),
  };
}
