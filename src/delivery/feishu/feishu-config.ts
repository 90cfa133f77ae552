import * as z from "zod";
import { envName, maxMessages, timeoutMs } from "../chat/config-fields.js";

/** `delivery.feishu`: a digest card posted by a Feishu (Lark) custom bot. */
export const feishuConfigSchema = z.strictObject({
  /** The NAME of the variable holding the bot's webhook URL (https://open.feishu.cn/open-apis/bot/v2/hook/…). */
  urlEnv: envName,
  /** The NAME of the variable holding the signing secret, when the bot has "signature verification" on. */
  secretEnv: envName.optional(),
  timeoutMs,
  maxMessages,
});

export type FeishuConfig = z.infer<typeof feishuConfigSchema>;
export type FeishuConfigInput = z.input<typeof feishuConfigSchema>;
