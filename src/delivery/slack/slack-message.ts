/**
 * Block Kit messages for an incoming webhook
 * (https://api.slack.com/messaging/webhooks, https://api.slack.com/reference/block-kit/blocks):
 * a header, mrkdwn sections of at most 3,000 characters, and a context line.
 */
import type { Delivery } from "../types.js";
import { fitDigest } from "../chat/build-digest.js";
import { SLACK_MARKUP } from "../chat/markup.js";
import { partTitle } from "../chat/part-title.js";

export const SLACK_SECTION_LIMIT = 3_000;
export const SLACK_MAX_BLOCKS = 50;
const HEADER_LIMIT = 150;
/**
 * Sections per message: far below the 48 the block limit leaves, because Slack refuses
 * messages much over 40,000 characters in all.
 */
const SECTIONS_PER_MESSAGE = 12;

export type SlackBlock =
  | { type: "header"; text: { type: "plain_text"; text: string; emoji: true } }
  | { type: "section"; text: { type: "mrkdwn"; text: string } }
  | { type: "context"; elements: Array<{ type: "mrkdwn"; text: string }> };

export interface SlackMessage {
  /** The notification text, shown where blocks are not. */
  text: string;
  blocks: SlackBlock[];
}

export function buildSlackMessages(delivery: Delivery, maxMessages: number): SlackMessage[] {
  const { report } = delivery;
  const digest = fitDigest(report, {
    markup: SLACK_MARKUP,
    ...(delivery.fullReportUrl === undefined ? {} : { fullReportUrl: delivery.fullReportUrl }),
    limit: { limit: SLACK_SECTION_LIMIT, unit: "chars" },
    maxChunks: SECTIONS_PER_MESSAGE * maxMessages,
  });
  const groups: string[][] = [];
  for (let start = 0; start < digest.chunks.length; start += SECTIONS_PER_MESSAGE) groups.push(digest.chunks.slice(start, start + SECTIONS_PER_MESSAGE));
  return groups.map((sections, index) => {
    const title = partTitle(digest.title, report.lang, index, groups.length, HEADER_LIMIT);
    return {
      text: SLACK_MARKUP.escape(title),
      blocks: [
        { type: "header", text: { type: "plain_text", text: title, emoji: true } },
        ...sections.map((text): SlackBlock => ({ type: "section", text: { type: "mrkdwn", text } })),
        { type: "context", elements: [{ type: "mrkdwn", text: SLACK_MARKUP.escape(`repo-digest ${report.generator.version}`) }] },
      ],
    };
  });
}
