import type { Channel, Delivery, DeliveryResult } from "../types.js";
import { postJson } from "../chat/post-json.js";
import { resolveRetryPolicy, type ChatChannelOptions } from "../chat/retry-policy.js";
import { describeTarget, readSecretUrl, secretFormsOf } from "../chat/secrets.js";
import type { DiscordConfig } from "./discord-config.js";
import { buildDiscordMessages } from "./discord-message.js";

/** Posts the digest through a Discord webhook; several messages go one after another, in order. */
export function createDiscordChannel(config: DiscordConfig, env: NodeJS.ProcessEnv, options: ChatChannelOptions = {}): Channel {
  const url = readSecretUrl(env, config.urlEnv, "discord.urlEnv", "the Discord webhook URL");
  const target = describeTarget("discord", url);
  const retry = resolveRetryPolicy(config.timeoutMs, options.retry);
  return {
    id: "discord",
    async deliver(delivery: Delivery): Promise<DeliveryResult[]> {
      const messages = buildDiscordMessages(delivery, {
        maxMessages: config.maxMessages,
        ...(config.username === undefined ? {} : { username: config.username }),
      });
      for (const message of messages) {
        await postJson(url.href, message, {
          channel: "discord",
          retry,
          fetch: options.fetch,
          secrets: secretFormsOf(url),
          hint: `check the webhook URL in $${config.urlEnv} (a deleted webhook answers 401/404)`,
        });
      }
      return [{ channel: "discord", target, format: "discord" }];
    },
  };
}
