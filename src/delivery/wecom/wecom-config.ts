import * as z from "zod";
import { envName, maxMessages, timeoutMs } from "../chat/config-fields.js";

/** `delivery.wecom`: a digest posted by a WeCom (企业微信) group robot. */
export const wecomConfigSchema = z.strictObject({
  /** The NAME of the variable holding the robot's webhook URL (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…). */
  urlEnv: envName,
  timeoutMs,
  maxMessages,
});

export type WecomConfig = z.infer<typeof wecomConfigSchema>;
export type WecomConfigInput = z.input<typeof wecomConfigSchema>;
