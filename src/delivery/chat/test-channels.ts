/**
 * Every chat channel, created against a test receiver, for the behaviour they share
 * (secrets, retries, errors) and for each platform's own tests.
 */
import type { RetryOptions } from "../../llm/with-retries.js";
import { createDingtalkChannel } from "../dingtalk/dingtalk-channel.js";
import { dingtalkConfigSchema } from "../dingtalk/dingtalk-config.js";
import { createDiscordChannel } from "../discord/discord-channel.js";
import { discordConfigSchema } from "../discord/discord-config.js";
import { createFeishuChannel } from "../feishu/feishu-channel.js";
import { feishuConfigSchema } from "../feishu/feishu-config.js";
import { createSlackChannel } from "../slack/slack-channel.js";
import { slackConfigSchema } from "../slack/slack-config.js";
import type { Channel } from "../types.js";
import { createWebhookChannel } from "../webhook/webhook-channel.js";
import { webhookConfigSchema } from "../webhook/webhook-config.js";
import { createWecomChannel } from "../wecom/wecom-channel.js";
import { wecomConfigSchema } from "../wecom/wecom-config.js";
import type { Reply } from "./test-receiver.js";

/** A path shaped like a webhook token, to look for in error messages. */
export const TOKEN_PATH = "/hook/T01SECRET/B02SECRET/xyzSECRETtoken42";
export const SIGNING_SECRET = "SECsigning0123456789abcdef";
export const HEADER_TOKEN = "Bearer hdrSECRETvalue";

export interface ChannelSpec {
  id: string;
  /** The platform's "accepted" answer. */
  ok: Reply;
  /** The environment variables the config names. */
  variables: string[];
  create(url: string, extra: { timeoutMs?: number; maxMessages?: number }, env: NodeJS.ProcessEnv | undefined, retry: RetryOptions): Channel;
}

function envFor(url: string): NodeJS.ProcessEnv {
  return { HOOK_URL: url, HOOK_SECRET: SIGNING_SECRET, HOOK_TOKEN: HEADER_TOKEN };
}

export const CHANNEL_SPECS: ChannelSpec[] = [
  {
    id: "slack",
    ok: { status: 200, body: "ok" },
    variables: ["HOOK_URL"],
    create: (url, extra, env, retry) => createSlackChannel(slackConfigSchema.parse({ urlEnv: "HOOK_URL", ...extra }), env ?? envFor(url), { retry }),
  },
  {
    id: "discord",
    ok: { status: 204, body: "" },
    variables: ["HOOK_URL"],
    create: (url, extra, env, retry) => createDiscordChannel(discordConfigSchema.parse({ urlEnv: "HOOK_URL", ...extra }), env ?? envFor(url), { retry }),
  },
  {
    id: "feishu",
    ok: { status: 200, body: { code: 0, msg: "success", data: {} } },
    variables: ["HOOK_URL", "HOOK_SECRET"],
    create: (url, extra, env, retry) =>
      createFeishuChannel(feishuConfigSchema.parse({ urlEnv: "HOOK_URL", secretEnv: "HOOK_SECRET", ...extra }), env ?? envFor(url), { retry }),
  },
  {
    id: "dingtalk",
    ok: { status: 200, body: { errcode: 0, errmsg: "ok" } },
    variables: ["HOOK_URL", "HOOK_SECRET"],
    create: (url, extra, env, retry) =>
      createDingtalkChannel(dingtalkConfigSchema.parse({ urlEnv: "HOOK_URL", secretEnv: "HOOK_SECRET", ...extra }), env ?? envFor(url), { retry }),
  },
  {
    id: "wecom",
    ok: { status: 200, body: { errcode: 0, errmsg: "ok" } },
    variables: ["HOOK_URL"],
    create: (url, extra, env, retry) => createWecomChannel(wecomConfigSchema.parse({ urlEnv: "HOOK_URL", ...extra }), env ?? envFor(url), { retry }),
  },
  {
    id: "webhook",
    ok: { status: 202, body: { accepted: true } },
    variables: ["HOOK_URL", "HOOK_TOKEN"],
    create: (url, extra, env, retry) =>
      createWebhookChannel(
        webhookConfigSchema.parse({ urlEnv: "HOOK_URL", headers: { Authorization: { env: "HOOK_TOKEN" } }, ...(extra.timeoutMs === undefined ? {} : { timeoutMs: extra.timeoutMs }) }),
        env ?? envFor(url),
        { retry },
      ),
  },
];
