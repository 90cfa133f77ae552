import { setTimeout as wait } from "node:timers/promises";
import { ExternalServiceError } from "./errors.js";

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  /** Longest wait between attempts. A Retry-After longer than this ends the retries. */
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1); tests pass a constant. */
  random?: () => number;
}

/**
 * Runs `fn`, and again after a wait when it fails with a retryable ExternalServiceError
 * (429, 5xx, time-outs, network errors). Waits grow exponentially with "equal jitter":
 * at least half the exponential step, so a struggling service gets its pause, plus a
 * random half, so that concurrent callers hit by the same outage do not come back
 * together (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/). A
 * Retry-After from the service is honoured as the least wait; one longer than
 * `maxDelayMs` (a quota exhausted for the day) is not waited out: the error is thrown.
 */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => wait(ms));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= options.retries || !(error instanceof ExternalServiceError) || !error.retryable) throw error;
      const delay = computeRetryDelay(attempt, error.details.retryAfterMs, options);
      if (delay === undefined) throw error;
      await sleep(delay);
    }
  }
}

/** The wait before retry number `attempt + 1`, or undefined when the service asks for more than we wait. */
export function computeRetryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  options: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs" | "random">,
): number | undefined {
  const random = options.random ?? Math.random;
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > options.maxDelayMs) return undefined;
    // A little spread after the stated time, so that callers told the same instant do not return together.
    const spread = Math.min(options.baseDelayMs, options.maxDelayMs - retryAfterMs);
    return Math.round(retryAfterMs + random() * spread);
  }
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
