import type { RetryOptions } from "../../with-retries.js";

/** How a chat channel sends one request: how often, how patiently, how long each try may take. */
export interface RetryPolicy {
  /** Tries in all, the first one included. */
  attempts: number;
  /** The first backoff step; each further step doubles, with jitter. */
  baseMs: number;
  /** The longest wait between tries; a Retry-After beyond it is not waited out. */
  maxMs: number;
  /** How long one request may take before it is abandoned (and tried again). */
  timeoutMs: number;
  /** Tests pass a recorder instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1); tests pass a constant. */
  random?: () => number;
}

/**
 * Four tries over about a minute at most: enough to ride out a platform's brief outage
 * or a rate-limit window, short enough that a scheduled run does not hang on one channel.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 4, baseMs: 1_000, maxMs: 60_000, timeoutMs: 10_000 };

/** What every chat channel factory takes besides its config and the environment. */
export interface ChatChannelOptions {
  /** The HTTP client; global fetch unless a test or a proxy-aware caller passes its own. */
  fetch?: typeof fetch;
  /** Overrides of the default policy; the config's `timeoutMs` applies unless this sets one. */
  retry?: Partial<RetryPolicy>;
}

/** The channel's policy: the defaults, the config's time-out, then what the caller passed. */
export function resolveRetryPolicy(configTimeoutMs: number, override: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, timeoutMs: configTimeoutMs, ...override };
}

export function toRetryOptions(policy: RetryPolicy): RetryOptions {
  return {
    retries: Math.max(0, policy.attempts - 1),
    baseDelayMs: policy.baseMs,
    maxDelayMs: policy.maxMs,
    ...(policy.sleep === undefined ? {} : { sleep: policy.sleep }),
    ...(policy.random === undefined ? {} : { random: policy.random }),
  };
}
