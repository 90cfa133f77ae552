import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { isHttpFailure, mapGitHubError, type ErrorContext } from "./map-error.js";
import { scrubToken } from "./scrub.js";
import type { EtagCache, GitHubClient, GitHubClientOptions } from "./types.js";

export type { EtagCache, GitHubClient, GitHubClientOptions } from "./types.js";
export { parseGitHubRepo, resolveGitHubApiUrl, type GitHubRepoRef } from "./parse-repo.js";
export { resolveGitHubToken, resolveGitHubTokenSource } from "./resolve-token.js";

const DEFAULT_BASE_URL = "https://api.github.com";
const DEFAULT_RETRIES = 3;
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#handle-rate-limit-errors-appropriately
const SECONDARY_FALLBACK_SECONDS = 60;

const ThrottledOctokit = Octokit.plugin(throttling, retry);

/**
 * One Octokit for REST and GraphQL. Rate limits pause and resume instead of failing (except
 * without a token, where the hourly limit of 60 would mean waiting up to an hour: better to say
 * "set GITHUB_TOKEN"); 5xx answers are retried; every other failure becomes one
 * ExternalServiceError line with the token scrubbed out.
 */
const DEFAULT_TIMEOUT_MS = 30_000;

function withTimeout(signal: AbortSignal | null | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const token = options.token?.trim() || undefined;
  const retries = options.retries ?? DEFAULT_RETRIES;
  const scrub = (text: string): string => scrubToken(text, token);
  const logger = {
    warn: (msg: string): void => options.logger?.warn(scrub(msg)),
    debug: (msg: string): void => options.logger?.debug(scrub(msg)),
  };
  const context: ErrorContext = { token, tokenSource: options.tokenSource };

  const notifyWait = (reason: "rate-limit" | "secondary-rate-limit", waitSeconds: number, what: string): void => {
    const resumeAt = new Date(Date.now() + waitSeconds * 1000);
    logger.warn(`GitHub ${reason} on ${what}; waiting until ${resumeAt.toISOString()}`);
    options.onWait?.({ reason, resumeAt });
  };

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const octokit = new ThrottledOctokit({
    auth: token,
    // Octokit waits forever by default; offline behind a black-holing proxy, a run must not.
    request: { fetch: (url: string | URL | Request, init?: RequestInit) => fetch(url, { ...init, signal: withTimeout(init?.signal, timeoutMs) }) },
    baseUrl: (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, ""),
    userAgent: options.userAgent ?? "repo-digest",
    log: {
      debug: (message: string) => logger.debug(message),
      info: (message: string) => logger.debug(message),
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.warn(message),
    },
    // 429 belongs to the throttling plugin, which knows how long to wait; the retry plugin
    // would retry it blindly.
    retry: { retries, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
    throttle: {
      fallbackSecondaryRateRetryAfter: options.secondaryRateLimitFallbackSeconds ?? SECONDARY_FALLBACK_SECONDS,
      onRateLimit: (retryAfter, request, _octokit, retryCount) => {
        if (!token || retryCount >= retries) return false;
        notifyWait("rate-limit", retryAfter, `${request.method} ${request.url}`);
        return true;
      },
      onSecondaryRateLimit: async (retryAfter, request, _octokit, retryCount) => {
        if (retryCount >= retries) return false;
        // GitHub asks for exponentially longer waits while the secondary limit persists; the
        // plugin waits `retryAfter` after we return, so we sleep the rest of the doubling here.
        const extraSeconds = retryAfter * (2 ** retryCount - 1);
        notifyWait("secondary-rate-limit", retryAfter + extraSeconds, `${request.method} ${request.url}`);
        if (extraSeconds > 0) await sleep(extraSeconds * 1000);
        return true;
      },
    },
  });

  // Registered after the plugins, so this hook is the outermost: it sees only the failures that
  // throttling and retry gave up on. A 304 is the answer getJsonConditional hopes for, not an error.
  octokit.hook.error("request", (error) => {
    if (isHttpFailure(error) && error.status === 304) throw error;
    throw mapGitHubError(error, context);
  });
  octokit.hook.after("request", (response, request) => {
    logger.debug(`${request.method} ${request.url} -> ${response.status}`);
  });

  return {
    rest: octokit,
    graphql: octokit.graphql,
    getJsonConditional: <T>(route: string, params: Record<string, unknown>, cache: EtagCache) =>
      getJsonConditional<T>(octokit, route, params, cache),
  };
}

/**
 * Conditional GET: a 304 costs nothing against the rate limit when authenticated.
 * https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate
 */
async function getJsonConditional<T>(
  octokit: Octokit,
  route: string,
  params: Record<string, unknown>,
  cache: EtagCache,
): Promise<T> {
  // The full URL (host, path, query) is the key, so hosts and pages never share an entry.
  const key = octokit.request.endpoint(route, params).url;
  const cached = await cache.get(key);
  const extraHeaders = (params.headers ?? {}) as Record<string, string>;
  const headers = cached === undefined ? extraHeaders : { ...extraHeaders, "if-none-match": cached.etag };
  try {
    const response = await octokit.request(route, { ...params, headers });
    const etag = response.headers.etag;
    if (typeof etag === "string" && etag.length > 0) await cache.set(key, etag, response.data);
    return response.data as T;
  } catch (error) {
    if (isHttpFailure(error) && error.status === 304 && cached !== undefined) return cached.body as T;
    throw error;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
