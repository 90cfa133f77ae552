/**
 * One Redis connection for the queue. A worker waits out a Redis restart (ioredis retries,
 * as BullMQ asks of workers: maxRetriesPerRequest null); a command that enqueues fails at
 * once, in one line, when Redis cannot be reached: cron must hear of it.
 */
import { Redis } from "ioredis";
import { ExternalServiceError } from "../errors.js";
import { describeQueueUrl, type QueueSettings } from "./queue-settings.js";

const CONNECT_TIMEOUT_MS = 5_000;

export async function connectRedis(settings: QueueSettings, options: { worker: boolean }): Promise<Redis> {
  const redis = new Redis(settings.url, {
    maxRetriesPerRequest: null,
    connectTimeout: CONNECT_TIMEOUT_MS,
    lazyConnect: true,
    // A command gives up on the first failure; a worker keeps trying, a little slower each time.
    retryStrategy: options.worker ? (times) => Math.min(times * 500, 5_000) : () => null,
  });
  // ioredis reports every failed reconnect as an 'error' event; without a listener Node would crash.
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    const reason = error instanceof Error ? error.message : String(error);
    throw new ExternalServiceError(`the queue (${describeQueueUrl(settings.url)})`, `cannot connect: ${reason}`, {
      hint: "start Redis, or fix `queue:` in the config / REPO_DIGEST_QUEUE_URL",
      cause: error,
    });
  }
  return redis;
}
