import { createChatChannel } from "../chat/create-chat-channel.js";
import { signFeishu } from "../chat/sign.js";
import { feishuConfigSchema } from "./feishu-config.js";
import { buildFeishuMessages } from "./feishu-message.js";

/**
 * Posts the digest as Feishu (Lark) cards through a custom bot, signed when a secret is
 * configured. Feishu answers HTTP 200 with `code` ≠ 0 for a refused message.
 */
export const createFeishuChannel = createChatChannel({
  id: "feishu",
  schema: feishuConfigSchema,
  url: "the Feishu bot webhook URL",
  build: (delivery, config) => buildFeishuMessages(delivery, config.maxMessages),
  hint: (config, signing) => [`check the webhook URL in $${config.urlEnv}`, signing, "and the bot's keyword and IP settings"].join(", "),
  okWhen: isSuccess,
  sign: {
    secret: "the Feishu bot signing secret",
    unsigned: "whether the bot wants a signature",
    // Feishu signs in the body, with the timestamp in seconds.
    sign: ({ url, body }, secret, nowMs) => {
      const timestamp = Math.floor(nowMs / 1_000);
      return { url, body: { timestamp: String(timestamp), sign: signFeishu(timestamp, secret), ...(body as object) } };
    },
  },
});

/** `{ code: 0 }`; older bot endpoints answer `{ StatusCode: 0 }`. */
function isSuccess(json: unknown): boolean {
  if (typeof json !== "object" || json === null) return false;
  const record = json as Record<string, unknown>;
  return record["code"] === 0 || (record["code"] === undefined && record["StatusCode"] === 0);
}
