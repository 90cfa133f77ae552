/**
 * Webhook messages with one embed each
 * (https://discord.com/developers/docs/resources/webhook#execute-webhook,
 * limits: https://discord.com/developers/docs/resources/message#embed-object-embed-limits):
 * embed title ≤ 256, description ≤ 4,096, ≤ 6,000 characters per message.
 */
import { fitDigest } from "../chat/build-digest.js";
import { DISCORD_MARKUP } from "../chat/markup.js";
import { partTitle } from "../chat/part-title.js";
import type { Delivery } from "../types.js";

export const DISCORD_DESCRIPTION_LIMIT = 4_096;
export const DISCORD_TITLE_LIMIT = 256;
export const DISCORD_MESSAGE_LIMIT = 6_000;
const BLUE = 0x2f6feb;
const ORANGE = 0xd97706;

export interface DiscordEmbed {
  title: string;
  description: string;
  color: number;
  footer: { text: string };
}

export interface DiscordMessage {
  username?: string;
  embeds: DiscordEmbed[];
  /** No commit title may ping @everyone or a role. */
  allowed_mentions: { parse: [] };
}

export function buildDiscordMessages(delivery: Delivery, options: { maxMessages: number; username?: string }): DiscordMessage[] {
  const { report } = delivery;
  const digest = fitDigest(report, {
    markup: DISCORD_MARKUP,
    ...(delivery.fullReportUrl === undefined ? {} : { fullReportUrl: delivery.fullReportUrl }),
    limit: { limit: DISCORD_DESCRIPTION_LIMIT, unit: "chars" },
    maxChunks: options.maxMessages,
  });
  return digest.chunks.map((description, index) => ({
    ...(options.username === undefined ? {} : { username: options.username }),
    embeds: [
      {
        title: partTitle(digest.title, report.lang, index, digest.chunks.length, DISCORD_TITLE_LIMIT),
        description,
        color: digest.reduced ? ORANGE : BLUE,
        footer: { text: `repo-digest ${report.generator.version}` },
      },
    ],
    allowed_mentions: { parse: [] },
  }));
}
