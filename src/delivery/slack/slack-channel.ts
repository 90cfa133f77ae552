import { createChatChannel } from "../chat/create-chat-channel.js";
import { slackConfigSchema } from "./slack-config.js";
import { buildSlackMessages } from "./slack-message.js";

/**
 * Posts the digest to Slack through an incoming webhook, one message or a few in order.
 * The webhook URL is read from the variable the config names when the channel is created.
 */
export const createSlackChannel = createChatChannel({
  id: "slack",
  schema: slackConfigSchema,
  url: "the Slack incoming-webhook URL",
  build: (delivery, config) => buildSlackMessages(delivery, config.maxMessages),
  hint: (config) => `check the webhook URL in $${config.urlEnv} (a removed app or channel answers 403/404)`,
});
