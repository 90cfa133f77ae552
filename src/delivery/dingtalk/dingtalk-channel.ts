import type { Channel, Delivery, DeliveryResult } from "../types.js";
import { errcodeOf } from "../chat/errcode.js";
import { postJson } from "../chat/post-json.js";
import { resolveRetryPolicy, type ChatChannelOptions } from "../chat/retry-policy.js";
import { describeTarget, readSecret, readSecretUrl, secretFormsOf } from "../chat/secrets.js";
import { signDingTalk } from "../chat/sign.js";
import type { DingtalkConfig } from "./dingtalk-config.js";
import { buildDingtalkMessages } from "./dingtalk-message.js";

/** "Sending too fast": the robot takes 20 messages a minute. */
const RATE_LIMITED = 130_101;

export interface DingtalkChannelOptions extends ChatChannelOptions {
  /** The clock, for the signature's timestamp; tests pass a fixed one. */
  now?: () => number;
}

/**
 * Posts the digest through a DingTalk robot, signed in the query when a secret is
 * configured. DingTalk answers HTTP 200 with `errcode` ≠ 0 for a refused message.
 */
export function createDingtalkChannel(config: DingtalkConfig, env: NodeJS.ProcessEnv, options: DingtalkChannelOptions = {}): Channel {
  const url = readSecretUrl(env, config.urlEnv, "dingtalk.urlEnv", "the DingTalk robot webhook URL");
  const secret = config.secretEnv === undefined ? undefined : readSecret(env, config.secretEnv, "dingtalk.secretEnv", "the DingTalk robot signing secret");
  const target = describeTarget("dingtalk", url);
  const retry = resolveRetryPolicy(config.timeoutMs, options.retry);
  const now = options.now ?? Date.now;
  const hint = [
    `check the access token in $${config.urlEnv}`,
    config.secretEnv === undefined ? "whether the robot signs (set dingtalk.secretEnv)" : `the signing secret in $${config.secretEnv}`,
    "and the robot's keywords and IP allow-list",
  ].join(", ");
  return {
    id: "dingtalk",
    async deliver(delivery: Delivery): Promise<DeliveryResult[]> {
      for (const message of buildDingtalkMessages(delivery, config.maxMessages)) {
        const signed = new URL(url.href);
        let sign: string | undefined;
        if (secret !== undefined) {
          // DingTalk accepts a timestamp within an hour of its clock: signed per message.
          const timestamp = now();
          sign = signDingTalk(timestamp, secret);
          signed.searchParams.set("timestamp", String(timestamp));
          signed.searchParams.set("sign", sign);
        }
        await postJson(signed.href, message, {
          channel: "dingtalk",
          retry,
          fetch: options.fetch,
          secrets: [...secretFormsOf(signed), ...(secret === undefined ? [] : [secret])],
          hint,
          okWhen: (json) => errcodeOf(json) === 0,
          retryWhen: (json) => errcodeOf(json) === RATE_LIMITED,
        });
      }
      return [{ channel: "dingtalk", target, format: "dingtalk" }];
    },
  };
}
