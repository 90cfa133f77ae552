import { createChatChannel } from "../chat/create-chat-channel.js";
import { readSecret } from "../chat/secrets.js";
import { webhookConfigSchema } from "./webhook-config.js";
import { buildWebhookPayload } from "./webhook-payload.js";

/**
 * POSTs the digest as one JSON document to any URL; any 2xx is success. The URL and the
 * header values are read from the variables the config names when the channel is created.
 */
export const createWebhookChannel = createChatChannel({
  id: "webhook",
  schema: webhookConfigSchema,
  format: "json",
  url: "the webhook URL",
  readHeaders: (config, env) => {
    const headers: Record<string, string> = {};
    for (const [name, source] of Object.entries(config.headers ?? {})) {
      headers[name] = readSecret(env, source.env, `webhook.headers.${name}.env`, `the value of the ${name} header`);
    }
    return headers;
  },
  build: (delivery, config) => [buildWebhookPayload(delivery, config.includeReport)],
  hint: (config) =>
    [`check the URL in $${config.urlEnv}`, ...Object.entries(config.headers ?? {}).map(([name, source]) => `${name} in $${source.env}`)].join(
      " and the header ",
    ),
});
