import type { Channel, Delivery, DeliveryResult } from "../types.js";
import { postJson } from "../chat/post-json.js";
import { resolveRetryPolicy, type ChatChannelOptions } from "../chat/retry-policy.js";
import { describeTarget, readSecretUrl, secretFormsOf } from "../chat/secrets.js";
import type { SlackConfig } from "./slack-config.js";
import { buildSlackMessages } from "./slack-message.js";

/**
 * Posts the digest to Slack through an incoming webhook, one message or a few in order.
 * The webhook URL is read from the variable the config names when the channel is created.
 */
export function createSlackChannel(config: SlackConfig, env: NodeJS.ProcessEnv, options: ChatChannelOptions = {}): Channel {
  const url = readSecretUrl(env, config.urlEnv, "slack.urlEnv", "the Slack incoming-webhook URL");
  const target = describeTarget("slack", url);
  const retry = resolveRetryPolicy(config.timeoutMs, options.retry);
  return {
    id: "slack",
    async deliver(delivery: Delivery): Promise<DeliveryResult[]> {
      for (const message of buildSlackMessages(delivery, config.maxMessages)) {
        await postJson(url.href, message, {
          channel: "slack",
          retry,
          fetch: options.fetch,
          secrets: secretFormsOf(url),
          hint: `check the webhook URL in $${config.urlEnv} (a removed app or channel answers 403/404)`,
        });
      }
      return [{ channel: "slack", target, format: "slack" }];
    },
  };
}
