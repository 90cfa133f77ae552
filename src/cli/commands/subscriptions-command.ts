import { Command } from "commander";
import { describeFilter } from "../../subscriptions/describe-filter.js";
import { describeSubscriptionTargets, subscriptionChannelName } from "../../subscriptions/subscription-channels.js";
import { channelTypeOf } from "../../subscriptions/subscription-config.js";
import { createContext } from "../context.js";
import { printJson, subscriptionsListDocument } from "../json-output.js";

/** `repo-digest subscriptions list`: what each subscription gets, and where it goes. */
export function subscriptionsCommand(): Command {
  const subscriptions = new Command("subscriptions").description("the config's subscriptions: saved filters, each with a channel (README: Subscriptions)");
  subscriptions
    .command("list")
    .description("list each subscription: its filter in words and where it sends (no secrets); a variable not set is said, not an error")
    .option("--json", "print one JSON document on stdout (README: JSON output)")
    .action((options: { json?: boolean }, command: Command) => {
      const { loaded } = createContext(command);
      const { config } = loaded;
      const targets = describeSubscriptionTargets(config.subscriptions, { dir: config.output.dir, env: process.env });
      const listed = config.subscriptions.map((subscription) => ({
        name: subscription.name,
        deliveryChannel: subscriptionChannelName(subscription),
        channel: channelTypeOf(subscription),
        target: targets.get(subscriptionChannelName(subscription))!,
        filter: subscription.filter,
        description: describeFilter(subscription.filter),
      }));
      if (options.json) {
        printJson(subscriptionsListDocument, { schemaVersion: 1, config: loaded.file ?? null, subscriptions: listed });
        return;
      }
      for (const item of listed) process.stdout.write(`${item.name}\t${item.target}\t${item.description}\n`);
      if (listed.length === 0 && !command.optsWithGlobals<{ quiet?: boolean }>().quiet) {
        process.stderr.write("repo-digest: no subscriptions in the config (README: Subscriptions)\n");
      }
    });
  return subscriptions;
}
