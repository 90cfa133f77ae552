import { createChatChannel } from "../chat/create-chat-channel.js";
import { judgeErrcode } from "../chat/errcode.js";
import { signDingTalk } from "../chat/sign.js";
import { dingtalkConfigSchema } from "./dingtalk-config.js";
import { buildDingtalkMessages } from "./dingtalk-message.js";

/** "Sending too fast": the robot takes 20 messages a minute. */
const RATE_LIMITED = 130_101;

/**
 * Posts the digest through a DingTalk robot, signed in the query when a secret is
 * configured. DingTalk answers HTTP 200 with `errcode` ≠ 0 for a refused message.
 */
export const createDingtalkChannel = createChatChannel({
  id: "dingtalk",
  schema: dingtalkConfigSchema,
  url: "the DingTalk robot webhook URL",
  build: (delivery, config) => buildDingtalkMessages(delivery, config.maxMessages),
  hint: (config, signing) => [`check the access token in $${config.urlEnv}`, signing, "and the robot's keywords and IP allow-list"].join(", "),
  ...judgeErrcode(RATE_LIMITED),
  sign: {
    secret: "the DingTalk robot signing secret",
    unsigned: "whether the robot signs",
    // DingTalk signs in the query, with the timestamp in milliseconds.
    sign: ({ url, body }, secret, nowMs) => {
      const signed = new URL(url.href);
      signed.searchParams.set("timestamp", String(nowMs));
      signed.searchParams.set("sign", signDingTalk(nowMs, secret));
      return { url: signed, body };
    },
  },
});
