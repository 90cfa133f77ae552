import type { Channel, Delivery, DeliveryResult } from "../types.js";
import { errcodeOf } from "../chat/errcode.js";
import { postJson } from "../chat/post-json.js";
import { resolveRetryPolicy, type ChatChannelOptions } from "../chat/retry-policy.js";
import { describeTarget, readSecretUrl, secretFormsOf } from "../chat/secrets.js";
import type { WecomConfig } from "./wecom-config.js";
import { buildWecomMessages } from "./wecom-message.js";

/** "API freq out of limit": the robot takes 20 messages a minute. */
const RATE_LIMITED = 45_009;

/** Posts the digest through a WeCom group robot. WeCom answers HTTP 200 with `errcode` ≠ 0 for a refused message. */
export function createWecomChannel(config: WecomConfig, env: NodeJS.ProcessEnv, options: ChatChannelOptions = {}): Channel {
  const url = readSecretUrl(env, config.urlEnv, "wecom.urlEnv", "the WeCom robot webhook URL");
  const target = describeTarget("wecom", url);
  const retry = resolveRetryPolicy(config.timeoutMs, options.retry);
  return {
    id: "wecom",
    async deliver(delivery: Delivery): Promise<DeliveryResult[]> {
      for (const message of buildWecomMessages(delivery, config.maxMessages)) {
        await postJson(url.href, message, {
          channel: "wecom",
          retry,
          fetch: options.fetch,
          secrets: secretFormsOf(url),
          hint: `check the robot key in $${config.urlEnv} (a removed robot answers errcode 93000)`,
          okWhen: (json) => errcodeOf(json) === 0,
          retryWhen: (json) => errcodeOf(json) === RATE_LIMITED,
        });
      }
      return [{ channel: "wecom", target, format: "wecom" }];
    },
  };
}
