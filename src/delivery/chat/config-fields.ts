import * as z from "zod";
import { DEFAULT_RETRY_POLICY } from "./retry-policy.js";

/** The NAME of an environment variable; secrets never sit in the config file itself. */
export const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  message: "the name of an environment variable, such as SLACK_WEBHOOK_URL (not the value itself)",
});

/** How long one HTTP request may take before it is abandoned and retried. */
export const timeoutMs = z.number().int().min(100).max(120_000).default(DEFAULT_RETRY_POLICY.timeoutMs);

/**
 * Messages one delivery may post when the digest does not fit one; beyond that the digest
 * is reduced to its high-importance part and a link to the full report.
 */
export const maxMessages = z.number().int().min(1).max(10).default(3);
