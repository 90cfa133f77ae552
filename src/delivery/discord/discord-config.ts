import * as z from "zod";
import { envName, maxMessages, timeoutMs } from "../chat/config-fields.js";

/** `delivery.discord`: a digest posted through a channel webhook. */
export const discordConfigSchema = z.strictObject({
  /** The NAME of the variable holding the webhook URL (https://discord.com/api/webhooks/…). */
  urlEnv: envName,
  /** Shown as the sender instead of the webhook's own name. */
  username: z.string().min(1).max(80).optional(),
  timeoutMs,
  maxMessages,
});

export type DiscordConfig = z.infer<typeof discordConfigSchema>;
export type DiscordConfigInput = z.input<typeof discordConfigSchema>;
