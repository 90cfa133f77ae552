/**
 * Requests and tokens per minute, as providers meter them: a sliding window of one
 * minute over what was sent. Hand-written because the limiters on npm count requests
 * only (p-throttle, bottleneck's reservoir); a token limit needs each request's weight,
 * known before the call (the prompt's tokens plus the room asked for the answer) and
 * corrected after it (the usage the provider reports).
 */
import { setTimeout as wait } from "node:timers/promises";

const WINDOW_MS = 60_000;

export interface RateLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

export interface RateLimiter {
  /** Waits until a request of this many tokens fits both limits; returns a handle to correct its weight. */
  acquire(tokens: number): Promise<{ settle(actualTokens: number): void }>;
}

export interface RateLimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: RateLimiterClock = { now: () => Date.now(), sleep: (ms) => wait(ms) };

export function createRateLimiter(limits: RateLimits, clock: RateLimiterClock = realClock): RateLimiter {
  const sent: Array<{ at: number; tokens: number }> = [];
  // One waiter at a time, so that requests leave in the order they asked.
  let queue: Promise<unknown> = Promise.resolve();

  const prune = (now: number) => {
    while (sent.length > 0 && sent[0]!.at <= now - WINDOW_MS) sent.shift();
  };
  /** Milliseconds until a request of `tokens` fits, 0 when it fits now. */
  const waitFor = (tokens: number, now: number): number => {
    prune(now);
    let until = 0;
    if (limits.requestsPerMinute !== undefined && sent.length >= limits.requestsPerMinute) {
      until = Math.max(until, sent[sent.length - limits.requestsPerMinute]!.at + WINDOW_MS - now);
    }
    if (limits.tokensPerMinute !== undefined) {
      // A request larger than the whole limit would never fit: it goes alone in its minute.
      const weight = Math.min(tokens, limits.tokensPerMinute);
      let total = sent.reduce((sum, entry) => sum + entry.tokens, 0);
      for (const entry of sent) {
        if (total + weight <= limits.tokensPerMinute) break;
        total -= entry.tokens;
        until = Math.max(until, entry.at + WINDOW_MS - now);
      }
    }
    return until;
  };

  return {
    acquire(tokens) {
      const turn = queue.then(async () => {
        for (let delay = waitFor(tokens, clock.now()); delay > 0; delay = waitFor(tokens, clock.now())) {
          await clock.sleep(delay);
        }
        const entry = { at: clock.now(), tokens };
        sent.push(entry);
        return {
          settle(actualTokens: number) {
            entry.tokens = actualTokens;
          },
        };
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
