import { createChatChannel } from "../chat/create-chat-channel.js";
import { judgeErrcode } from "../chat/errcode.js";
import { wecomConfigSchema } from "./wecom-config.js";
import { buildWecomMessages } from "./wecom-message.js";

/** "API freq out of limit": the robot takes 20 messages a minute. */
const RATE_LIMITED = 45_009;

/** Posts the digest through a WeCom group robot. WeCom answers HTTP 200 with `errcode` ≠ 0 for a refused message. */
export const createWecomChannel = createChatChannel({
  id: "wecom",
  schema: wecomConfigSchema,
  url: "the WeCom robot webhook URL",
  build: (delivery, config) => buildWecomMessages(delivery, config.maxMessages),
  hint: (config) => `check the robot key in $${config.urlEnv} (a removed robot answers errcode 93000)`,
  ...judgeErrcode(RATE_LIMITED),
});
