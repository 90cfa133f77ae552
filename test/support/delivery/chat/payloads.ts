/**
 * The platforms' documented request shapes, limits and signatures, for the test
 * receivers: a receiver refuses (HTTP 400) what its platform would refuse, so every
 * delivery in the tests is checked, not only the fields a test looks at.
 */
import { createHmac } from "node:crypto";
import * as z from "zod";
import type { ReceivedRequest } from "./receiver.js";

/** A problem with a request, in one line, or undefined when the platform would take it. */
export type RequestCheck = (request: ReceivedRequest) => string | undefined;

const bytes = (text: string): number => Buffer.byteLength(text, "utf8");
const ONE_HOUR_MS = 3_600_000;

function checkBody(schema: z.ZodType, request: ReceivedRequest): string | undefined {
  if (request.method !== "POST") return `method ${request.method}, not POST`;
  if (!/^application\/json/.test(request.headers["content-type"] ?? "")) return `content-type ${request.headers["content-type"]}`;
  const result = schema.safeParse(request.json);
  return result.success ? undefined : z.prettifyError(result.error).replace(/\s*\n\s*/g, " ");
}

function queryOf(request: ReceivedRequest): URLSearchParams {
  return new URL(request.url, "http://receiver").searchParams;
}

/** Every "<" opens a link `<url|text>`, and "&" only starts &amp; &lt; &gt; (https://api.slack.com/reference/surfaces/formatting#escaping). */
function isEscapedMrkdwn(text: string): boolean {
  const outsideLinks = text.replace(/<https?:\/\/[^|<>\s]+\|[^<>]*>/g, "");
  return !/[<>]/.test(outsideLinks) && !/&(?!(amp|lt|gt);)/.test(text);
}

const mrkdwn = (max: number) => z.strictObject({ type: z.literal("mrkdwn"), text: z.string().min(1).max(max).refine(isEscapedMrkdwn, "unescaped &, < or >") });

/** Incoming webhooks with Block Kit (https://api.slack.com/reference/block-kit/blocks). */
const slackPayload = z.strictObject({
  text: z.string().min(1).max(40_000),
  blocks: z
    .array(
      z.discriminatedUnion("type", [
        z.strictObject({ type: z.literal("header"), text: z.strictObject({ type: z.literal("plain_text"), text: z.string().min(1).max(150), emoji: z.boolean().optional() }) }),
        z.strictObject({ type: z.literal("section"), text: mrkdwn(3_000) }),
        z.strictObject({ type: z.literal("context"), elements: z.array(mrkdwn(3_000)).min(1).max(10) }),
      ]),
    )
    .min(1)
    .max(50),
});

/** Execute Webhook (https://discord.com/developers/docs/resources/webhook#execute-webhook), embed limits included. */
const discordEmbed = z.strictObject({
  title: z.string().min(1).max(256).optional(),
  description: z.string().min(1).max(4_096).optional(),
  color: z.number().int().min(0).max(0xffffff).optional(),
  footer: z.strictObject({ text: z.string().min(1).max(2_048) }).optional(),
});
const discordPayload = z
  .strictObject({
    content: z.string().min(1).max(2_000).optional(),
    username: z.string().min(1).max(80).optional(),
    embeds: z.array(discordEmbed).max(10).optional(),
    allowed_mentions: z.strictObject({ parse: z.array(z.enum(["roles", "users", "everyone"])) }).optional(),
  })
  .refine((message) => message.content !== undefined || (message.embeds?.length ?? 0) > 0, "neither content nor embeds")
  .refine(
    (message) =>
      (message.embeds ?? []).reduce((sum, embed) => sum + (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0), 0) <= 6_000,
    "embeds over 6,000 characters in all",
  );

/** Custom bot, card message (https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot). */
const feishuPayload = z.strictObject({
  msg_type: z.literal("interactive"),
  card: z.strictObject({
    config: z.strictObject({ wide_screen_mode: z.boolean() }).optional(),
    header: z.strictObject({ title: z.strictObject({ tag: z.literal("plain_text"), content: z.string().min(1) }), template: z.string().optional() }),
    elements: z.array(z.strictObject({ tag: z.literal("markdown"), content: z.string().min(1) })).min(1),
  }),
  timestamp: z.string().regex(/^\d+$/).optional(),
  sign: z.string().optional(),
});

/** Group robot, markdown message (https://open.dingtalk.com/document/orgapp/custom-robots-send-group-messages). */
const dingtalkPayload = z.strictObject({
  msgtype: z.literal("markdown"),
  markdown: z.strictObject({ title: z.string().min(1), text: z.string().min(1).refine((text) => bytes(text) <= 20_000, "text over 20,000 bytes") }),
});

/** Group robot, markdown message (https://developer.work.weixin.qq.com/document/path/91770). */
const wecomPayload = z.strictObject({
  msgtype: z.literal("markdown"),
  markdown: z.strictObject({ content: z.string().min(1).refine((text) => bytes(text) <= 4_096, "content over 4,096 bytes") }),
});

const counts = z.strictObject({ high: z.number().int(), medium: z.number().int(), low: z.number().int(), total: z.number().int() });

/** repo-digest's own document, version 1 (src/delivery/webhook/webhook-payload.ts). */
const webhookPayload = z.strictObject({
  schemaVersion: z.literal(1),
  kind: z.enum(["daily", "digest"]),
  period: z.strictObject({ label: z.string(), since: z.string(), until: z.string(), timezone: z.string() }),
  lang: z.enum(["zh-CN", "en"]),
  repos: z.array(
    z.strictObject({
      name: z.string().min(1),
      counts,
      highlights: z.array(
        z.strictObject({
          sha: z.string().regex(/^[0-9a-f]{40}$/),
          title: z.string(),
          summary: z.string(),
          importance: z.enum(["high", "medium"]),
          url: z.url().nullable(),
        }),
      ),
      notices: z.array(z.string()),
    }),
  ),
  notices: z.array(z.string()),
  fullReportUrl: z.url().nullable(),
  report: z.record(z.string(), z.unknown()).optional(),
});

function withinAnHour(timestampMs: number, now: number): boolean {
  return Math.abs(timestampMs - now) <= ONE_HOUR_MS;
}

export interface SignatureCheck {
  /** The signing secret the bot was set up with; without one the request must carry no signature. */
  secret?: string;
  /** The receiver's clock; the platforms refuse a timestamp more than an hour off. */
  now?: () => number;
}

export const checkSlack: RequestCheck = (request) => checkBody(slackPayload, request);
export const checkDiscord: RequestCheck = (request) => checkBody(discordPayload, request);
export const checkWebhook: RequestCheck = (request) => checkBody(webhookPayload, request);

export const checkWecom: RequestCheck = (request) =>
  queryOf(request).get("key") ? checkBody(wecomPayload, request) : "no robot key in the query";

/** Feishu: `sign` = base64(HMAC-SHA256(key "timestamp\nsecret", empty message)), timestamp in seconds. */
export function checkFeishu({ secret, now = Date.now }: SignatureCheck = {}): RequestCheck {
  return (request) => {
    if (bytes(request.body) > 20_000) return "request body over 20 KB";
    const problem = checkBody(feishuPayload, request);
    if (problem) return problem;
    const { timestamp, sign } = request.json as { timestamp?: string; sign?: string };
    if (secret === undefined) return timestamp === undefined && sign === undefined ? undefined : "signed, but the bot has no secret";
    if (timestamp === undefined || sign === undefined) return "sign verification failed: no timestamp or sign";
    if (!withinAnHour(Number(timestamp) * 1_000, now())) return "timestamp is not within one hour from current time";
    const expected = createHmac("sha256", `${timestamp}\n${secret}`).update("").digest("base64");
    return sign === expected ? undefined : "sign match fail";
  };
}

/** DingTalk: query `sign` = base64(HMAC-SHA256(key secret, "timestamp\nsecret")), timestamp in milliseconds. */
export function checkDingtalk({ secret, now = Date.now }: SignatureCheck = {}): RequestCheck {
  return (request) => {
    const query = queryOf(request);
    if (!query.get("access_token")) return "no access_token in the query";
    const problem = checkBody(dingtalkPayload, request);
    if (problem) return problem;
    const timestamp = query.get("timestamp");
    const sign = query.get("sign");
    if (secret === undefined) return timestamp === null && sign === null ? undefined : "signed, but the robot has no secret";
    if (timestamp === null || sign === null) return "sign not match: no timestamp or sign";
    if (!withinAnHour(Number(timestamp), now())) return "timestamp is not within one hour from current time";
    const expected = createHmac("sha256", secret).update(`${timestamp}\n${secret}`).digest("base64");
    return sign === expected ? undefined : "sign not match";
  };
}
