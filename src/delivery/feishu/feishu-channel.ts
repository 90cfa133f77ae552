import type { Channel, Delivery, DeliveryResult } from "../types.js";
import { postJson } from "../chat/post-json.js";
import { resolveRetryPolicy, type ChatChannelOptions } from "../chat/retry-policy.js";
import { describeTarget, readSecret, readSecretUrl, secretFormsOf } from "../chat/secrets.js";
import { signFeishu } from "../chat/sign.js";
import type { FeishuConfig } from "./feishu-config.js";
import { buildFeishuMessages } from "./feishu-message.js";

export interface FeishuChannelOptions extends ChatChannelOptions {
  /** The clock, for the signature's timestamp; tests pass a fixed one. */
  now?: () => number;
}

/**
 * Posts the digest as Feishu (Lark) cards through a custom bot, signed when a secret is
 * configured. Feishu answers HTTP 200 with `code` ≠ 0 for a refused message.
 */
export function createFeishuChannel(config: FeishuConfig, env: NodeJS.ProcessEnv, options: FeishuChannelOptions = {}): Channel {
  const url = readSecretUrl(env, config.urlEnv, "feishu.urlEnv", "the Feishu bot webhook URL");
  const secret = config.secretEnv === undefined ? undefined : readSecret(env, config.secretEnv, "feishu.secretEnv", "the Feishu bot signing secret");
  const target = describeTarget("feishu", url);
  const retry = resolveRetryPolicy(config.timeoutMs, options.retry);
  const now = options.now ?? Date.now;
  const hint = [
    `check the webhook URL in $${config.urlEnv}`,
    config.secretEnv === undefined ? "whether the bot wants a signature (set feishu.secretEnv)" : `the signing secret in $${config.secretEnv}`,
    "and the bot's keyword and IP settings",
  ].join(", ");
  return {
    id: "feishu",
    async deliver(delivery: Delivery): Promise<DeliveryResult[]> {
      for (const message of buildFeishuMessages(delivery, config.maxMessages)) {
        // Feishu accepts a timestamp within an hour of its clock: signed per message.
        const timestamp = Math.floor(now() / 1_000);
        const body = secret === undefined ? message : { timestamp: String(timestamp), sign: signFeishu(timestamp, secret), ...message };
        await postJson(url.href, body, {
          channel: "feishu",
          retry,
          fetch: options.fetch,
          secrets: [...secretFormsOf(url), ...(secret === undefined ? [] : [secret])],
          hint,
          okWhen: (json) => isSuccess(json),
        });
      }
      return [{ channel: "feishu", target, format: "feishu" }];
    },
  };
}

/** `{ code: 0 }`; older bot endpoints answer `{ StatusCode: 0 }`. */
function isSuccess(json: unknown): boolean {
  if (typeof json !== "object" || json === null) return false;
  const record = json as Record<string, unknown>;
  return record["code"] === 0 || (record["code"] === undefined && record["StatusCode"] === 0);
}
