import { Command } from "commander";
import { DeliveryFailuresError } from "../../errors.js";
import { createConfiguredChannels, fullReportUrl } from "../../delivery/registry.js";
import { retryFailedDeliveries } from "../../pipeline/deliver-channels.js";
import { createContext } from "../context.js";
import { reportChannelOutcomes } from "../report-channel-outcomes.js";

/** `repo-digest deliver`: lists deliveries that failed; `--retry` sends them again. */
export function deliverCommand(): Command {
  return new Command("deliver")
    .description("list the deliveries that failed; with --retry, send them again to their channels")
    .option("--retry", "send every failed delivery again, with the report as it was written")
    .action(async (options: { retry?: boolean }, command: Command) => {
      const context = createContext(command);
      const { config } = context.loaded;
      const store = context.openStore();
      try {
        if (!options.retry) {
          const failed = store.listFailedDeliveries();
          for (const record of failed) {
            process.stdout.write(`${record.periodLabel}\t${record.channel}\t${record.attempts} attempt(s)\t${record.error ?? ""}\n`);
          }
          if (!context.options.quiet) process.stderr.write(`repo-digest: ${failed.length} failed deliveries${failed.length ? " (send them again with --retry)" : ""}\n`);
          return;
        }
        const channels = createConfiguredChannels(config.delivery, { dir: config.output.dir, env: process.env });
        const outcomes = await retryFailedDeliveries(channels, {
          store,
          logger: context.logger,
          now: () => new Date(),
          fullReportUrl: (name) => fullReportUrl(config.delivery, name),
        });
        reportChannelOutcomes(outcomes, context);
        if (!context.options.quiet) process.stderr.write(`repo-digest: ${outcomes.filter((o) => o.status === "sent").length} of ${outcomes.length} sent\n`);
        const failed = outcomes.filter((outcome) => outcome.status === "failed");
        if (failed.length > 0) {
          throw new DeliveryFailuresError(`${failed.length} deliveries failed again`, { hint: "fix the channel and run `repo-digest deliver --retry` again" });
        }
      } finally {
        store.close();
      }
    });
}
