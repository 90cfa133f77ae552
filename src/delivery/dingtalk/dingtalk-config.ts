import * as z from "zod";
import { envName, maxMessages, timeoutMs } from "../chat/config-fields.js";

/** `delivery.dingtalk`: a digest posted by a DingTalk group robot. */
export const dingtalkConfigSchema = z.strictObject({
  /** The NAME of the variable holding the robot's webhook URL (https://oapi.dingtalk.com/robot/send?access_token=…). */
  urlEnv: envName,
  /** The NAME of the variable holding the signing secret ("SEC…"), when the robot signs ("加签"). */
  secretEnv: envName.optional(),
  timeoutMs,
  maxMessages,
});

export type DingtalkConfig = z.infer<typeof dingtalkConfigSchema>;
export type DingtalkConfigInput = z.input<typeof dingtalkConfigSchema>;
