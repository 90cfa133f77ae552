/**
 * Interactive cards for a custom bot
 * (https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot): a header and one
 * markdown element. A request body may hold at most 20 KB, so a card's text, counted as
 * it travels (JSON-escaped UTF-8), leaves 2,000 bytes for the title, signature and frame.
 */
import { fitDigest } from "../chat/build-digest.js";
import { FEISHU_MARKUP } from "../chat/markup.js";
import { partTitle } from "../chat/part-title.js";
import type { Delivery } from "../types.js";

export const FEISHU_BODY_LIMIT = 20_000;
export const FEISHU_TEXT_LIMIT = 18_000;
const TITLE_LIMIT = 100;

export interface FeishuMessage {
  msg_type: "interactive";
  card: {
    config: { wide_screen_mode: true };
    header: { title: { tag: "plain_text"; content: string }; template: "blue" | "orange" };
    elements: Array<{ tag: "markdown"; content: string }>;
  };
}

export function buildFeishuMessages(delivery: Delivery, maxMessages: number): FeishuMessage[] {
  const { report } = delivery;
  const digest = fitDigest(report, {
    markup: FEISHU_MARKUP,
    ...(delivery.fullReportUrl === undefined ? {} : { fullReportUrl: delivery.fullReportUrl }),
    limit: { limit: FEISHU_TEXT_LIMIT, unit: "json-bytes" },
    maxChunks: maxMessages,
  });
  return digest.chunks.map((content, index) => ({
    msg_type: "interactive",
    card: {
      config: { wide_screen_mode: true },
      header: {
        title: { tag: "plain_text", content: partTitle(digest.title, report.lang, index, digest.chunks.length, TITLE_LIMIT) },
        template: digest.reduced ? "orange" : "blue",
      },
      elements: [{ tag: "markdown", content }],
    },
  }));
}
