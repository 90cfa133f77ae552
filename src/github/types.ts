/**
 * Types of the GitHub layer (issue 4): the client contract other stages import,
 * and what we read about pull requests.
 */
import type { graphql } from "@octokit/graphql";
import type { Octokit } from "@octokit/rest";
import type { PullRequestContext } from "../report/types.js";

export interface GitHubClientOptions {
  token?: string;
  /** Default https://api.github.com; GitHub Enterprise Server: https://host/api/v3. */
  baseUrl?: string;
  userAgent?: string;
  /** Called before the client sleeps on a rate limit, so the CLI can tell the user why it pauses. */
  onWait?: (info: { reason: "rate-limit" | "secondary-rate-limit"; resumeAt: Date }) => void;
  /** Time-out of one request (default 30 s); a request that hangs fails and is retried. */
  timeoutMs?: number;
  /** Retries for 5xx answers and for rate limits (default 3). */
  retries?: number;
  logger?: { warn(msg: string): void; debug(msg: string): void };
  /** Name of the environment variable the token came from, so a 401 can say which one to fix. */
  tokenSource?: string;
  /**
   * Seconds to wait on a secondary rate limit that sent no Retry-After (default 60, as GitHub
   * documents); each further hit doubles the wait. Tests pass a fraction of a second.
   */
  secondaryRateLimitFallbackSeconds?: number;
}

/** HTTP validators of the polled list endpoints, keyed by request URL. */
export interface EtagCache {
  get(key: string): Promise<{ etag: string; body: unknown } | undefined>;
  set(key: string, etag: string, body: unknown): Promise<void>;
}

export interface GitHubClient {
  /** Octokit with the throttling and retry plugins and our error mapping. */
  rest: Octokit;
  /** GraphQL through the same transport (auth, base URL, throttling, error mapping). */
  graphql: typeof graphql;
  /** GET a JSON document with If-None-Match; a 304 answer returns the cached body. */
  getJsonConditional<T>(route: string, params: Record<string, unknown>, cache: EtagCache): Promise<T>;
}

/** What the report shows of a PR, plus what the analysis reads (its body) and its state. */
export interface PullRequestInfo extends PullRequestContext {
  body: string;
  state: "OPEN" | "CLOSED" | "MERGED";
}
