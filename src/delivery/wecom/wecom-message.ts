/**
 * Markdown messages for a group robot (https://developer.work.weixin.qq.com/document/path/91770):
 * content at most 4,096 UTF-8 bytes.
 */
import { fitDigest } from "../chat/build-digest.js";
import { ROBOT_MARKUP } from "../chat/markup.js";
import type { Delivery } from "../types.js";

export const WECOM_CONTENT_LIMIT = 4_096;

export interface WecomMessage {
  msgtype: "markdown";
  markdown: { content: string };
}

export function buildWecomMessages(delivery: Delivery, maxMessages: number): WecomMessage[] {
  const digest = fitDigest(delivery.report, {
    markup: ROBOT_MARKUP,
    ...(delivery.fullReportUrl === undefined ? {} : { fullReportUrl: delivery.fullReportUrl }),
    heading: (title) => `### ${title}`,
    limit: { limit: WECOM_CONTENT_LIMIT, unit: "bytes" },
    maxChunks: maxMessages,
  });
  return digest.chunks.map((content) => ({ msgtype: "markdown", markdown: { content } }));
}
