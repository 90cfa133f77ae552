/**
 * Markdown messages for a group robot
 * (https://open.dingtalk.com/document/orgapp/robot-message-types-and-data-format): the
 * text stays within 18,000 UTF-8 bytes, under the 20,000 a request may carry.
 */
import { fitDigest } from "../chat/build-digest.js";
import { ROBOT_MARKUP } from "../chat/markup.js";
import { partTitle } from "../chat/part-title.js";
import type { Delivery } from "../types.js";

export const DINGTALK_TEXT_LIMIT = 18_000;
const TITLE_LIMIT = 64;

export interface DingtalkMessage {
  msgtype: "markdown";
  markdown: { title: string; text: string };
}

export function buildDingtalkMessages(delivery: Delivery, maxMessages: number): DingtalkMessage[] {
  const { report } = delivery;
  const digest = fitDigest(report, {
    markup: ROBOT_MARKUP,
    ...(delivery.fullReportUrl === undefined ? {} : { fullReportUrl: delivery.fullReportUrl }),
    // The title field is only the notification preview; the text carries its own heading.
    heading: (title) => `### ${title}`,
    // DingTalk's Markdown joins lines split by a single newline into one paragraph.
    lineBreak: "\n\n",
    limit: { limit: DINGTALK_TEXT_LIMIT, unit: "bytes" },
    maxChunks: maxMessages,
  });
  return digest.chunks.map((text, index) => ({
    msgtype: "markdown",
    markdown: { title: partTitle(digest.title, report.lang, index, digest.chunks.length, TITLE_LIMIT), text },
  }));
}
