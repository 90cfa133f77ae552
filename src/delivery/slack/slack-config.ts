import * as z from "zod";
import { envName, maxMessages, timeoutMs } from "../chat/config-fields.js";

/** `delivery.slack`: a digest posted to a channel through an incoming webhook. */
export const slackConfigSchema = z.strictObject({
  /** The NAME of the variable holding the webhook URL (https://hooks.slack.com/services/…). */
  urlEnv: envName,
  timeoutMs,
  maxMessages,
});

export type SlackConfig = z.infer<typeof slackConfigSchema>;
export type SlackConfigInput = z.input<typeof slackConfigSchema>;
