/**
 * Every chat channel, created against a test receiver, for the behaviour they share
 * (secrets, retries, errors) and for each platform's own tests.
 */
import { createDingtalkChannel } from "../../../../src/delivery/dingtalk/dingtalk-channel.js";
import { dingtalkConfigSchema } from "../../../../src/delivery/dingtalk/dingtalk-config.js";
import { createDiscordChannel } from "../../../../src/delivery/discord/discord-channel.js";
import { discordConfigSchema } from "../../../../src/delivery/discord/discord-config.js";
import { createFeishuChannel } from "../../../../src/delivery/feishu/feishu-channel.js";
import { feishuConfigSchema } from "../../../../src/delivery/feishu/feishu-config.js";
import { createSlackChannel } from "../../../../src/delivery/slack/slack-channel.js";
import { slackConfigSchema } from "../../../../src/delivery/slack/slack-config.js";
import type { Channel } from "../../../../src/delivery/types.js";
import { createWebhookChannel } from "../../../../src/delivery/webhook/webhook-channel.js";
import { webhookConfigSchema } from "../../../../src/delivery/webhook/webhook-config.js";
import { createWecomChannel } from "../../../../src/delivery/wecom/wecom-channel.js";
import { wecomConfigSchema } from "../../../../src/delivery/wecom/wecom-config.js";
import type { ChatChannelOptions } from "../../../../src/delivery/chat/retry-policy.js";
import { checkDingtalk, checkDiscord, checkFeishu, checkSlack, checkWebhook, checkWecom, type RequestCheck } from "./payloads.js";
import type { Reply } from "./receiver.js";

/**
 * A path and query shaped like webhook tokens (Slack's path, WeCom's `key`, DingTalk's
 * `access_token`), to look for in error messages.
 */
export const TOKEN_PATH = "/hook/T01SECRET/B02SECRET/xyzSECRETtoken42?key=SECRETkey0042&access_token=SECRETaccess43";
export const SIGNING_SECRET = "SECsigning0123456789abcdef";
export const HEADER_TOKEN = "Bearer hdrSECRETvalue";

export interface ChannelSpec {
  id: string;
  /** The platform's "accepted" answer. */
  ok: Reply;
  /** The platform's checks of shape, limits and signature (with the secret below). */
  check: RequestCheck;
  /** The environment variables the config names. */
  variables: string[];
  create(url: string, env: NodeJS.ProcessEnv | undefined, options: ChatChannelOptions): Channel;
}

function envFor(url: string): NodeJS.ProcessEnv {
  return { HOOK_URL: url, HOOK_SECRET: SIGNING_SECRET, HOOK_TOKEN: HEADER_TOKEN };
}

export const CHANNEL_SPECS: ChannelSpec[] = [
  {
    id: "slack",
    check: checkSlack,
    ok: { status: 200, body: "ok" },
    variables: ["HOOK_URL"],
    create: (url, env, options) => createSlackChannel(slackConfigSchema.parse({ urlEnv: "HOOK_URL" }), env ?? envFor(url), options),
  },
  {
    id: "discord",
    check: checkDiscord,
    ok: { status: 204, body: "" },
    variables: ["HOOK_URL"],
    create: (url, env, options) => createDiscordChannel(discordConfigSchema.parse({ urlEnv: "HOOK_URL" }), env ?? envFor(url), options),
  },
  {
    id: "feishu",
    check: checkFeishu({ secret: SIGNING_SECRET }),
    ok: { status: 200, body: { code: 0, msg: "success", data: {} } },
    variables: ["HOOK_URL", "HOOK_SECRET"],
    create: (url, env, options) =>
      createFeishuChannel(feishuConfigSchema.parse({ urlEnv: "HOOK_URL", secretEnv: "HOOK_SECRET" }), env ?? envFor(url), options),
  },
  {
    id: "dingtalk",
    check: checkDingtalk({ secret: SIGNING_SECRET }),
    ok: { status: 200, body: { errcode: 0, errmsg: "ok" } },
    variables: ["HOOK_URL", "HOOK_SECRET"],
    create: (url, env, options) =>
      createDingtalkChannel(dingtalkConfigSchema.parse({ urlEnv: "HOOK_URL", secretEnv: "HOOK_SECRET" }), env ?? envFor(url), options),
  },
  {
    id: "wecom",
    check: checkWecom,
    ok: { status: 200, body: { errcode: 0, errmsg: "ok" } },
    variables: ["HOOK_URL"],
    create: (url, env, options) => createWecomChannel(wecomConfigSchema.parse({ urlEnv: "HOOK_URL" }), env ?? envFor(url), options),
  },
  {
    id: "webhook",
    check: (request) => (request.headers["authorization"] === HEADER_TOKEN ? checkWebhook(request) : "no Authorization header from $HOOK_TOKEN"),
    ok: { status: 202, body: { accepted: true } },
    variables: ["HOOK_URL", "HOOK_TOKEN"],
    create: (url, env, options) =>
      createWebhookChannel(
        webhookConfigSchema.parse({ urlEnv: "HOOK_URL", headers: { Authorization: { env: "HOOK_TOKEN" } } }),
        env ?? envFor(url),
        options,
      ),
  },
];
