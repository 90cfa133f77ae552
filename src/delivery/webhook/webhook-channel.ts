import type { Channel, Delivery, DeliveryResult } from "../types.js";
import { postJson } from "../chat/post-json.js";
import { resolveRetryPolicy, type ChatChannelOptions } from "../chat/retry-policy.js";
import { describeTarget, readSecret, readSecretUrl, secretFormsOf } from "../chat/secrets.js";
import type { WebhookConfig } from "./webhook-config.js";
import { buildWebhookPayload } from "./webhook-payload.js";

/**
 * POSTs the digest as one JSON document to any URL; any 2xx is success. The URL and the
 * header values are read from the variables the config names when the channel is created.
 */
export function createWebhookChannel(config: WebhookConfig, env: NodeJS.ProcessEnv, options: ChatChannelOptions = {}): Channel {
  const url = readSecretUrl(env, config.urlEnv, "webhook.urlEnv", "the webhook URL");
  const headers: Record<string, string> = {};
  for (const [name, source] of Object.entries(config.headers ?? {})) {
    headers[name] = readSecret(env, source.env, `webhook.headers.${name}.env`, `the value of the ${name} header`);
  }
  const target = describeTarget("webhook", url);
  const retry = resolveRetryPolicy(config.timeoutMs, options.retry);
  const headerHint = Object.entries(config.headers ?? {}).map(([name, source]) => `${name} in $${source.env}`);
  return {
    id: "webhook",
    async deliver(delivery: Delivery): Promise<DeliveryResult[]> {
      await postJson(url.href, buildWebhookPayload(delivery, config.includeReport), {
        channel: "webhook",
        retry,
        fetch: options.fetch,
        headers,
        secrets: secretFormsOf(url),
        hint: [`check the URL in $${config.urlEnv}`, ...headerHint].join(" and the header "),
      });
      return [{ channel: "webhook", target, format: "json" }];
    },
  };
}
