/**
 * Every delivery channel. Two kinds: the output the command writes to (`file`, or
 * `stdout` for `--out -`), and the channels configured under `delivery:` in
 * repo-digest.yaml (feed, e-mail, chat webhooks), each with its config schema. One
 * folder per channel under src/delivery/ (chat/ holds what the chat channels share);
 * a channel named in config is looked up here.
 */
import * as z from "zod";
import { createRegistry } from "../registry.js";
import { dingtalkConfigSchema } from "./dingtalk/dingtalk-config.js";
import { createDingtalkChannel } from "./dingtalk/dingtalk-channel.js";
import { discordConfigSchema } from "./discord/discord-config.js";
import { createDiscordChannel } from "./discord/discord-channel.js";
import { emailConfigSchema } from "./email/email-config.js";
import { createEmailChannel } from "./email/email-channel.js";
import { feedConfigSchema } from "./feed/feed-config.js";
import { createFeedChannel } from "./feed/feed-channel.js";
import { feishuConfigSchema } from "./feishu/feishu-config.js";
import { createFeishuChannel } from "./feishu/feishu-channel.js";
import { createFileChannel } from "./file/file-channel.js";
import { slackConfigSchema } from "./slack/slack-config.js";
import { createSlackChannel } from "./slack/slack-channel.js";
import { createStdoutChannel } from "./stdout/stdout-channel.js";
import type { Channel } from "./types.js";
import { webhookConfigSchema } from "./webhook/webhook-config.js";
import { createWebhookChannel } from "./webhook/webhook-channel.js";
import { wecomConfigSchema } from "./wecom/wecom-config.js";
import { createWecomChannel } from "./wecom/wecom-channel.js";

export interface ChannelOptions {
  /** Output folder, for the file channel. */
  dir: string;
}

/** The command's own output: files, or stdout. */
export const CHANNELS = createRegistry<(options: ChannelOptions) => Channel>("channel", [
  ["file", (options) => createFileChannel(options.dir)],
  ["stdout", () => createStdoutChannel()],
]);

export function createChannel(id: string, options: ChannelOptions): Channel {
  return CHANNELS.get(id)(options);
}

export interface ChannelContext {
  /** The output folder: the feed lives beside the reports. */
  dir: string;
  /** Where secrets are read from, by the names the config gives. */
  env: NodeJS.ProcessEnv;
}

interface ConfiguredChannelType {
  readonly schema: z.ZodType;
  create(config: unknown, context: ChannelContext): Channel;
}

function channelType<S extends z.ZodType>(schema: S, create: (config: z.output<S>, context: ChannelContext) => Channel): ConfiguredChannelType {
  return { schema, create: (config, context) => create(config as z.output<S>, context) };
}

/** The channels of `delivery:`, by their key there. */
export const CONFIGURED_CHANNELS = {
  feed: channelType(feedConfigSchema, (config, context) => createFeedChannel(config, { dir: context.dir })),
  email: channelType(emailConfigSchema, (config, context) => createEmailChannel(config, context.env)),
  slack: channelType(slackConfigSchema, (config, context) => createSlackChannel(config, context.env)),
  discord: channelType(discordConfigSchema, (config, context) => createDiscordChannel(config, context.env)),
  feishu: channelType(feishuConfigSchema, (config, context) => createFeishuChannel(config, context.env)),
  dingtalk: channelType(dingtalkConfigSchema, (config, context) => createDingtalkChannel(config, context.env)),
  wecom: channelType(wecomConfigSchema, (config, context) => createWecomChannel(config, context.env)),
  webhook: channelType(webhookConfigSchema, (config, context) => createWebhookChannel(config, context.env)),
} satisfies Record<string, ConfiguredChannelType>;

export type ConfiguredChannelId = keyof typeof CONFIGURED_CHANNELS;

/** The same channels in the registries' one shape (the object above types their config blocks). */
export const CONFIGURED_CHANNEL_TYPES = createRegistry<ConfiguredChannelType, ConfiguredChannelId>(
  "delivery channel",
  Object.entries(CONFIGURED_CHANNELS) as Array<[ConfiguredChannelId, ConfiguredChannelType]>,
);

const channelShape = Object.fromEntries(
  Object.entries(CONFIGURED_CHANNELS).map(([id, type]) => [id, type.schema.optional()]),
) as { [K in ConfiguredChannelId]: z.ZodOptional<(typeof CONFIGURED_CHANNELS)[K]["schema"]> };

/** `delivery:` in repo-digest.yaml. */
export const deliveryConfigSchema = z.strictObject({
  /**
   * Where readers find a report, with {name} for its base name
   * (https://reports.example.com/{name}.html): chat messages reduced to the
   * high-importance part link to it.
   */
  reportUrl: z.string().regex(/^https?:\/\/\S*\{name\}\S*$/, { message: "an http(s) URL with {name}" }).optional(),
  ...channelShape,
});

export type DeliveryConfig = z.infer<typeof deliveryConfigSchema>;

export interface NamedChannel {
  /** The key under `delivery:`, or `subscription:<name>` for a subscription's channel (src/subscriptions/): deliveries are stored under it. */
  name: string;
  channel: Channel;
}

/** The configured channels, created (their secrets read) before any work starts. */
export function createConfiguredChannels(config: DeliveryConfig | undefined, context: ChannelContext): NamedChannel[] {
  if (!config) return [];
  const channels: NamedChannel[] = [];
  for (const [name, type] of CONFIGURED_CHANNEL_TYPES.entries()) {
    const settings = config[name];
    if (settings !== undefined) channels.push({ name, channel: type.create(settings, context) });
  }
  return channels;
}

export function fullReportUrl(config: DeliveryConfig | undefined, reportName: string): string | undefined {
  return config?.reportUrl?.replaceAll("{name}", encodeURIComponent(reportName));
}
