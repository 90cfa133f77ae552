/**
 * `subscriptions:` in repo-digest.yaml: saved filters, each with a channel of its own. The
 * daily job sends each subscription only the commits its filter matches (README:
 * Delivery → Subscriptions). A channel block is the same as under `delivery:`, checked by
 * the same schema (src/delivery/registry.ts), so that a subscription's Slack is configured
 * exactly as the team's Slack is, and two subscriptions may use two Slack webhooks.
 */
import * as z from "zod";
import { CHANGE_TYPES, IMPORTANCE_ORDER, type ChangeType, type Importance } from "../analysis/types.js";
import { CONFIGURED_CHANNELS, type ConfiguredChannelId } from "../delivery/registry.js";

const CHANNEL_IDS = Object.keys(CONFIGURED_CHANNELS) as ConfiguredChannelId[];

const text = z.string().trim().min(1);
/** A list in a filter means "any of these"; an empty one would match nothing, which is never meant. */
const anyOf = <T extends z.ZodType>(item: T) => z.array(item).min(1).optional();

export const subscriptionFilterSchema = z.strictObject({
  /** Repository names (`owner/name`) or picomatch globs on them (`ai-dynamo/*`). Default: every repository of the report. */
  repos: anyOf(text),
  /** picomatch globs (`lib/runtime/**`): a commit matches when one of its changed paths (old paths of renames too) does. */
  paths: anyOf(text),
  /** picomatch globs of paths that do not count: a commit whose every changed path is excluded is left out. */
  excludePaths: anyOf(text),
  /** The lowest importance sent: `high` (only high), `medium` (high and medium), `low` (all). */
  minImportance: z.enum(IMPORTANCE_ORDER as readonly [Importance, ...Importance[]]).optional(),
  /** Change types (feature, bugfix, dependency, …), any of them. */
  types: anyOf(z.enum(CHANGE_TYPES as readonly [ChangeType, ...ChangeType[]])),
  /** Labels of the pull request behind the commit, any of them, case-insensitive (needs GitHub's PR context). */
  labels: anyOf(text),
  /** Words or phrases, any of them, case-insensitive, in the title, the body, the PR title or the analysis. */
  keywords: anyOf(text),
  /** The author's name, e-mail or the PR author's login, case-insensitive; picomatch globs (`*@example.com`) allowed. */
  authors: anyOf(text),
  /** true: bots' commits (dependabot, renovate, github-actions…) count too. Default false: left out. */
  bots: z.boolean().default(false),
  /** true: only breaking changes (declared, or public API, flags or settings removed). With `dependencies`: either. */
  breaking: z.boolean().default(false),
  /** true: only commits that change third-party dependencies. With `breaking`: either. */
  dependencies: z.boolean().default(false),
  /**
   * Only commits that can break the user's own code (a repository's `usedBy:`): `true` for any
   * used-by folder, or the folders' labels (`../my-service`, as `usedBy` names them), any of them;
   * `false` is no condition.
   */
  affects: z.union([z.boolean(), z.array(text).min(1)]).optional(),
});

export type SubscriptionFilter = z.output<typeof subscriptionFilterSchema>;
export type SubscriptionFilterInput = z.input<typeof subscriptionFilterSchema>;

const channelShape = Object.fromEntries(CHANNEL_IDS.map((id) => [id, CONFIGURED_CHANNELS[id].schema.optional()])) as {
  [K in ConfiguredChannelId]: z.ZodOptional<(typeof CONFIGURED_CHANNELS)[K]["schema"]>;
};

/** One channel type with its block, as under `delivery:`: `{ slack: { urlEnv: RELEASE_HOOK } }`. */
export const subscriptionChannelSchema = z.strictObject(channelShape).refine((channel) => Object.values(channel).filter((block) => block !== undefined).length === 1, {
  message: `exactly one channel type, one of ${CHANNEL_IDS.join(", ")} (for two channels, write two subscriptions)`,
});

export type SubscriptionChannelConfig = z.output<typeof subscriptionChannelSchema>;

export const subscriptionSchema = z.strictObject({
  /** Unique; the channel's deliveries are recorded as `subscription:<name>` (`deliver --retry` finds them by it). */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: "a name of letters, digits, '.', '_' and '-' (at most 64), such as release-manager" }),
  /** Default: every commit but bots'. */
  filter: subscriptionFilterSchema.default({ bots: false, breaking: false, dependencies: false }),
  channel: subscriptionChannelSchema,
});

export type Subscription = z.output<typeof subscriptionSchema>;

export const subscriptionsConfigSchema = z
  .array(subscriptionSchema)
  .superRefine((subscriptions, context) => {
    const seen = new Map<string, number>();
    for (const [index, subscription] of subscriptions.entries()) {
      const first = seen.get(subscription.name);
      if (first === undefined) seen.set(subscription.name, index);
      else context.addIssue({ code: "custom", path: [index, "name"], message: `a name no other subscription has (subscriptions[${first}] is also ${JSON.stringify(subscription.name)})` });
    }
  })
  .default([]);

/** The channel type of a subscription's (checked) channel block. */
export function channelTypeOf(subscription: Pick<Subscription, "channel">): ConfiguredChannelId {
  const type = CHANNEL_IDS.find((id) => subscription.channel[id] !== undefined);
  // The schema's refinement makes this unreachable for a parsed config.
  if (type === undefined) throw new Error("a subscription without a channel");
  return type;
}
