/**
 * Each subscription's channel, made by the same factory as the channel of that type under
 * `delivery:` (createConfiguredChannels), and the delivery of its filtered report. A
 * subscription's deliveries are recorded under the channel name `subscription:<name>`, with
 * the filtered report, so that `deliver --retry` and the daemon's next tick resend exactly
 * what that subscriber missed.
 */
import type { Config } from "../config/schema.js";
import type { FeedConfig } from "../delivery/feed/feed-config.js";
import { createConfiguredChannels, type ChannelContext, type NamedChannel } from "../delivery/registry.js";
import { ConfigError } from "../errors.js";
import type { Logger } from "../logger.js";
import { deliverToChannels, describeChannelTargets, type ChannelOutcome } from "../pipeline/deliver-channels.js";
import { renderFormats } from "../report/registry.js";
import type { Report } from "../report/types.js";
import type { Store } from "../store/types.js";
import { filterReport } from "./filter-report.js";
import { channelTypeOf, type Subscription } from "./subscription-config.js";

export interface SubscriptionChannel extends NamedChannel {
  /** `subscription:<name>`: the channel name its deliveries are stored under. */
  name: string;
  subscription: Subscription;
}

/** The name a subscription's deliveries are recorded under. */
export function subscriptionChannelName(subscription: Pick<Subscription, "name">): string {
  return `subscription:${subscription.name}`;
}

/**
 * Every subscription's channel, its secrets read now, so that a missing variable stops the
 * run before any work, as for the channels of `delivery:`; the error names the subscription's key.
 */
export function createSubscriptionChannels(config: Pick<Config, "delivery" | "subscriptions">, context: ChannelContext): SubscriptionChannel[] {
  checkFeedPaths(config, context);
  return config.subscriptions.map((subscription, index) => {
    try {
      const [created] = createConfiguredChannels(subscription.channel, context);
      return { name: subscriptionChannelName(subscription), channel: created!.channel, subscription };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const key = `subscriptions[${index}].channel.${error.key}`;
      throw new ConfigError(key, error.value, error.allowed, { ...(error.hint ? { hint: error.hint.replaceAll(error.key, key) } : {}), cause: error });
    }
  });
}

/**
 * Two feeds in one file would replace each other's entries (an entry is keyed by the
 * period and repositories, the same for every subscription): each feed needs a file of its own.
 */
function checkFeedPaths(config: Pick<Config, "delivery" | "subscriptions">, context: ChannelContext): void {
  const owners = new Map<string, string>();
  const feedOf = (channel: Parameters<typeof describeChannelTargets>[0]) => (channel?.feed === undefined ? undefined : describeChannelTargets({ feed: channel.feed }, context).get("feed"));
  const main = feedOf(config.delivery);
  if (main !== undefined) owners.set(main, "delivery.feed.path");
  for (const [index, subscription] of config.subscriptions.entries()) {
    const file = feedOf(subscription.channel);
    if (file === undefined) continue;
    const key = `subscriptions[${index}].channel.feed.path`;
    const owner = owners.get(file);
    if (owner !== undefined) {
      // The registry's shape erases each channel's config type; this is the feed schema's output.
      throw new ConfigError(key, (subscription.channel.feed as FeedConfig).path, `a feed file of its own (${file} is ${owner}'s too)`, {
        hint: `give ${key} another file name`,
      });
    }
    owners.set(file, key);
  }
}

/**
 * Where each subscription's channel sends, without secrets (`slack:hooks.slack.com`), by
 * its channel name; for dry runs and `subscriptions list`. A variable that is not set is
 * said instead of failing: the dry runs have created the channels first, which fails on it.
 */
export function describeSubscriptionTargets(subscriptions: readonly Subscription[], context: ChannelContext): Map<string, string> {
  const targets = new Map<string, string>();
  for (const subscription of subscriptions) {
    const type = channelTypeOf(subscription);
    let target: string;
    try {
      target = describeChannelTargets(subscription.channel, context).get(type) ?? type;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // "SLACK_HOOK is not set: export …" → "slack (SLACK_HOOK is not set)".
      target = `${type} (${(error.hint ?? error.message).split(/[:;]/)[0]!.trim()})`;
    }
    targets.set(subscriptionChannelName(subscription), target);
  }
  return targets;
}

/**
 * Sends each subscription its filtered report, all at once, each outcome stored like any
 * delivery's. A subscription none of whose repositories is in the report is not sent to
 * (it is another report's business); one whose filter matched nothing is: "nothing matched,
 * N left out" tells its reader that the day was read, which silence would not.
 */
export async function deliverSubscriptions(
  input: { report: Report; reportName: string; runId: number; fullReportUrl?: string; deliveryKey?: string },
  subscriptions: readonly SubscriptionChannel[],
  deps: { store: Store; logger: Logger; now: () => Date },
): Promise<ChannelOutcome[]> {
  const outcomes = await Promise.all(
    subscriptions.map(async (subscribed) => {
      const { report, left } = filterReport(input.report, subscribed.subscription);
      if (report.repos.length === 0) {
        deps.logger.warn(
          { subscription: subscribed.subscription.name, repos: subscribed.subscription.filter.repos, report: input.reportName },
          "none of the subscription's repositories is in this report; not sent",
        );
        return [];
      }
      deps.logger.debug({ subscription: subscribed.subscription.name, kept: report.overview.commits, left }, "subscription filtered");
      return deliverToChannels({ ...input, report, rendered: renderFormats(report, input.reportName) }, [subscribed], deps);
    }),
  );
  return outcomes.flat();
}
