import { createChatChannel } from "../chat/create-chat-channel.js";
import { discordConfigSchema } from "./discord-config.js";
import { buildDiscordMessages } from "./discord-message.js";

/** Posts the digest through a Discord webhook; several messages go one after another, in order. */
export const createDiscordChannel = createChatChannel({
  id: "discord",
  schema: discordConfigSchema,
  url: "the Discord webhook URL",
  build: (delivery, config) =>
    buildDiscordMessages(delivery, {
      maxMessages: config.maxMessages,
      ...(config.username === undefined ? {} : { username: config.username }),
    }),
  hint: (config) => `check the webhook URL in $${config.urlEnv} (a deleted webhook answers 401/404)`,
});
