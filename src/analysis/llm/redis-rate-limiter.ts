/**
 * The rate limiter of rate-limiter.ts, shared by every process that talks to one Redis:
 * workers on several machines sending to one provider account keep its requests and
 * tokens per minute together. Same rules: a sliding window over what was sent, each
 * request weighed by its estimate before the call and by its usage after (`settle`), a
 * request larger than the whole token limit alone in its window.
 *
 * One Lua script decides and records atomically, so two workers never both take the last
 * slot. It reads Redis's clock (TIME), never the callers': machines whose clocks disagree
 * still agree on the window. It answers 0 (admitted, and recorded) or the milliseconds to
 * wait; the caller sleeps and asks again.
 *
 * Order: within a process, requests leave in the order they asked (one waiter at a time,
 * as in-process). Across processes there is no queue, but a request held by the token limit
 * reserves its weight, so that smaller requests of other workers, which would fit, do not
 * overtake it for ever: they must fit beside the reservation. The reservation lapses shortly
 * after its holder was due back, should that worker die.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as wait } from "node:timers/promises";
import type { Redis } from "ioredis";
import { ExternalServiceError } from "../../errors.js";
import type { RateLimiter, RateLimiterClock, RateLimits } from "./rate-limiter.js";

export interface RedisRateLimiterOptions {
  /**
   * Prefix of the limiter's three keys (`<key>:sent`, `:weights`, `:reserved`): every limiter
   * given the same key shares one set of limits. On Redis Cluster, give it a hash tag
   * (`app:rate:{gpt-4o}`) so that the three land in one slot, as one script needs.
   */
  key: string;
  /** The limiter waits with it; the time itself is Redis's. */
  clock?: Pick<RateLimiterClock, "sleep">;
  /** Length of the sliding window; providers meter per minute. Shorter only for tests. */
  windowMs?: number;
}

export interface RedisRateLimiter extends RateLimiter {
  /** `settle` resolves once Redis holds the correction, and never rejects (see there). */
  acquire(tokens: number): Promise<{ settle(actualTokens: number): Promise<void> }>;
}

const WINDOW_MS = 60_000;
/** Keys outlive the last admission by this much; after a window nothing in them counts anyway. */
const EXPIRY_MARGIN_MS = 1_000;
/** How long past its holder's due time a reservation holds, for the holder's round trip. */
const RESERVATION_GRACE_MS = 1_000;
/** Members per HDEL/HMGET call: Lua's unpack() has a stack limit of a few thousand values. */
const CHUNK = 1_000;

/**
 * KEYS[1] sent: sorted set, member = request id, score = admission time (ms, Redis clock)
 * KEYS[2] weights: hash, request id -> tokens (the estimate, then the usage once settled)
 * KEYS[3] reserved: hash { id, weight } of a request the token limit holds
 * ARGV: id, tokens, requests per window (-1: none), tokens per window (-1: none), window ms,
 *       key expiry ms, reservation grace ms
 */
const ACQUIRE_LUA = `
local sent, weights, reserved = KEYS[1], KEYS[2], KEYS[3]
local id = ARGV[1]
local tokens = tonumber(ARGV[2])
local rpm = tonumber(ARGV[3])
local tpm = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local expiry = tonumber(ARGV[6])
local grace = tonumber(ARGV[7])
local chunk = ${CHUNK}

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

-- What left the window, and its weights.
local gone = redis.call('ZRANGEBYSCORE', sent, '-inf', now - window)
if #gone > 0 then
  for i = 1, #gone, chunk do
    redis.call('HDEL', weights, unpack(gone, i, math.min(i + chunk - 1, #gone)))
  end
  redis.call('ZREMRANGEBYSCORE', sent, '-inf', now - window)
end

local waitMs = 0
if rpm >= 0 then
  local count = redis.call('ZCARD', sent)
  if count >= rpm then
    local nth = redis.call('ZRANGE', sent, count - rpm, count - rpm, 'WITHSCORES')
    waitMs = math.max(waitMs, tonumber(nth[2]) + window - now)
  end
end

local holder = false
local tokenWait = 0
local weight = 0
if tpm >= 0 then
  -- A request larger than the whole limit would never fit: it goes alone in its window.
  weight = math.min(tokens, tpm)
  local limit = tpm
  holder = redis.call('HGET', reserved, 'id')
  if holder and holder ~= id then
    limit = tpm - tonumber(redis.call('HGET', reserved, 'weight'))
  end
  if weight > limit then
    -- Not even an empty window has room beside the reservation: come back when its
    -- holder is due, or, should the holder be late, when the reservation lapses.
    local ttl = redis.call('PTTL', reserved)
    if ttl - grace > 0 then tokenWait = ttl - grace else tokenWait = math.max(ttl, 1) end
  else
    local entries = redis.call('ZRANGE', sent, 0, -1, 'WITHSCORES')
    local n = #entries / 2
    local sizes = {}
    local total = 0
    for i = 1, n, chunk do
      local ids = {}
      for j = i, math.min(i + chunk - 1, n) do ids[#ids + 1] = entries[2 * j - 1] end
      local values = redis.call('HMGET', weights, unpack(ids))
      for k = 1, #ids do
        local size = tonumber(values[k]) or 0
        sizes[i + k - 1] = size
        total = total + size
      end
    end
    -- Oldest first: how long until enough of the window has left for this request.
    for i = 1, n do
      if total + weight <= limit then break end
      total = total - sizes[i]
      tokenWait = math.max(tokenWait, tonumber(entries[2 * i]) + window - now)
    end
  end
end

if waitMs > 0 or tokenWait > 0 then
  waitMs = math.max(waitMs, tokenWait)
  -- A holder keeps its reservation until it is admitted.
  if (tokenWait > 0 and not holder) or holder == id then
    redis.call('HSET', reserved, 'id', id, 'weight', weight)
    redis.call('PEXPIRE', reserved, waitMs + grace)
  end
  return waitMs
end

redis.call('ZADD', sent, now, id)
redis.call('HSET', weights, id, tokens)
redis.call('PEXPIRE', sent, expiry)
redis.call('PEXPIRE', weights, expiry)
if holder == id then redis.call('DEL', reserved) end
return 0
`;

/** A correction counts only while its request is in the window; past it, nothing is written. */
const SETTLE_LUA = `
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
end
return 0
`;

type Scripted = Redis & {
  repoDigestRateAcquire(sent: string, weights: string, reserved: string, ...args: Array<string | number>): Promise<number>;
  repoDigestRateSettle(sent: string, weights: string, id: string, tokens: number): Promise<number>;
};

const realSleep = (ms: number) => wait(ms).then(() => undefined);

export function createRedisRateLimiter(redis: Redis, limits: RateLimits, options: RedisRateLimiterOptions): RedisRateLimiter {
  const windowMs = options.windowMs ?? WINDOW_MS;
  const sleep = options.clock?.sleep ?? realSleep;
  for (const [name, value] of [["requestsPerMinute", limits.requestsPerMinute], ["tokensPerMinute", limits.tokensPerMinute], ["windowMs", windowMs]] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
      throw new RangeError(`shared rate limiter: ${name} must be a positive whole number, not ${value}`);
    }
  }
  if (options.key === "") throw new RangeError("shared rate limiter: the key must not be empty");
  const sent = `${options.key}:sent`;
  const weights = `${options.key}:weights`;
  const reserved = `${options.key}:reserved`;
  // defineCommand sends the script once per connection, then its SHA (EVALSHA).
  redis.defineCommand("repoDigestRateAcquire", { numberOfKeys: 3, lua: ACQUIRE_LUA });
  redis.defineCommand("repoDigestRateSettle", { numberOfKeys: 2, lua: SETTLE_LUA });
  const scripted = redis as Scripted;
  const limitArg = (limit: number | undefined) => limit ?? -1;
  // One waiter at a time, so that this process's requests leave in the order they asked.
  let queue: Promise<unknown> = Promise.resolve();

  return {
    acquire(tokens) {
      const id = randomUUID();
      const turn = queue.then(async () => {
        for (;;) {
          const delay = await redisCall("ask for a rate-limit slot", () =>
            scripted.repoDigestRateAcquire(
              sent,
              weights,
              reserved,
              id,
              tokens,
              limitArg(limits.requestsPerMinute),
              limitArg(limits.tokensPerMinute),
              windowMs,
              windowMs + EXPIRY_MARGIN_MS,
              RESERVATION_GRACE_MS,
            ),
          );
          if (delay <= 0) break;
          await sleep(delay);
        }
        return {
          // The call already happened: a lost correction must not fail it. It leaves the
          // estimate in the window, which (prompt plus the room asked for) is rarely less than the usage.
          settle: (actualTokens: number) =>
            scripted.repoDigestRateSettle(sent, weights, id, actualTokens).then(
              () => undefined,
              () => undefined,
            ),
        };
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}

/** A Redis failure as the service failure it is; retryable, as a lost connection usually is. */
export async function redisCall<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new ExternalServiceError("redis", `could not ${doing}: ${error instanceof Error ? error.message : String(error)}`, {
      retryable: true,
      hint: "check that the Redis server the workers share is running and reachable",
      cause: error,
    });
  }
}
