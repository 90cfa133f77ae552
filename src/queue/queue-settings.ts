/**
 * Where the queue is: `queue:` in the config (a Redis URL, or { url, prefix, lockDurationMs }),
 * REPO_DIGEST_QUEUE_URL over it. No queue configured: everything runs in-process.
 */
import type { Config } from "../config/schema.js";
import { ConfigError } from "../errors.js";

export interface QueueSettings {
  url: string;
  /** Every key of this deployment starts with it (BullMQ's prefix, and the LLM limits'). */
  prefix: string;
  /** A job whose worker stopped answering this long is taken over by another. */
  lockDurationMs: number;
}

export const QUEUE_NAME = "reports";
const DEFAULT_PREFIX = "repo-digest";
const DEFAULT_LOCK_MS = 30_000;

export function resolveQueueSettings(config: Pick<Config, "queue">, env: NodeJS.ProcessEnv = process.env): QueueSettings | undefined {
  const fromEnv = env.REPO_DIGEST_QUEUE_URL;
  const configured = typeof config.queue === "string" ? { url: config.queue } : config.queue;
  const url = fromEnv !== undefined && fromEnv !== "" ? fromEnv : configured?.url;
  if (url === undefined) return undefined;
  if (!/^rediss?:\/\//.test(url)) throw new ConfigError("REPO_DIGEST_QUEUE_URL", url.replace(/\/\/[^@/]*@/, "//***@"), "a Redis URL, redis://host:6379");
  const object = typeof config.queue === "object" ? config.queue : undefined;
  return { url, prefix: object?.prefix ?? DEFAULT_PREFIX, lockDurationMs: object?.lockDurationMs ?? DEFAULT_LOCK_MS };
}

/** The URL as logs and messages may show it: no password. */
export function describeQueueUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
