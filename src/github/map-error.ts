import { ExternalServiceError } from "../errors.js";
import { scrubToken } from "./scrub.js";

export const SERVICE = "GitHub";

/** What the error mapping needs to know about the client; never the token itself in any output. */
export interface ErrorContext {
  token: string | undefined;
  tokenSource: string | undefined;
}

interface HttpFailure {
  status: number;
  message: string;
  request?: { method?: string; url?: string };
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

/** An error thrown by @octokit/request: it carries the HTTP status and usually the response. */
export function isHttpFailure(error: unknown): error is HttpFailure {
  return (
    error instanceof Error && typeof (error as { status?: unknown }).status === "number" && "request" in error
  );
}

/**
 * Turns an Octokit failure into one line the user can act on. REST error bodies are documented at
 * https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api
 */
export function mapGitHubError(error: unknown, context: ErrorContext): ExternalServiceError {
  if (error instanceof ExternalServiceError) return error;
  const scrub = (text: string): string => scrubToken(text, context.token);
  if (!isHttpFailure(error)) {
    const text = error instanceof Error ? error.message : String(error);
    return new ExternalServiceError(SERVICE, scrub(text), { retryable: false });
  }
  const status = error.status;
  const what = scrub(describeRequest(error.request));
  const headers = error.response?.headers ?? {};
  const serverMessage = scrub(readServerMessage(error));
  const cause = new Error(scrub(error.message));

  if (status === 401) {
    const message = context.token
      ? `bad credentials (401) for ${what}: the token in ${context.tokenSource ?? "the configured environment variable"} was rejected; create a new token and set it there`
      : `${what} needs a token (401): set GITHUB_TOKEN`;
    return new ExternalServiceError(SERVICE, message, { status, cause });
  }
  if (status === 403 || status === 429) {
    const retryAfterMs = readRetryAfterMs(headers);
    const secondary = /secondary rate limit/i.test(serverMessage) || /secondary rate/i.test(error.message);
    const primary = String(headers["x-ratelimit-remaining"]) === "0";
    if (!context.token && (primary || secondary || status === 429)) {
      return new ExternalServiceError(
        SERVICE,
        `rate limited (${status}) on ${what}: GitHub allows 60 requests per hour without a token: set GITHUB_TOKEN`,
        { status, retryable: true, retryAfterMs, cause },
      );
    }
    if (secondary || status === 429) {
      return new ExternalServiceError(
        SERVICE,
        `secondary rate limit (${status}) on ${what}: too many requests in a short time; try again in a few minutes`,
        { status, retryable: true, retryAfterMs: retryAfterMs ?? 60_000, cause },
      );
    }
    if (primary) {
      const resetAt = readResetAt(headers);
      const until = resetAt === undefined ? "" : ` until ${resetAt.toISOString()}`;
      return new ExternalServiceError(
        SERVICE,
        `rate limit of the token in ${context.tokenSource ?? "the environment"} is used up${until} (${what}); try again later`,
        {
          status,
          retryable: true,
          retryAfterMs: resetAt === undefined ? undefined : Math.max(0, resetAt.getTime() - Date.now()),
          cause,
        },
      );
    }
    return new ExternalServiceError(
      SERVICE,
      `access denied (403) to ${what}: ${serverMessage || "forbidden"}; check the token's scopes and organization SSO authorization`,
      { status, cause },
    );
  }
  if (status === 404) {
    const access = context.token
      ? "or the token cannot see it (private repositories need a token with repo scope)"
      : "or it is private (private repositories need GITHUB_TOKEN with repo scope)";
    return new ExternalServiceError(SERVICE, `not found (404): ${what}: no such repository or object, ${access}`, {
      status,
      cause,
    });
  }
  if (status >= 500 || status === 0) {
    // @octokit/request reports network failures as status 500 without a response.
    const reason = error.response === undefined ? `cannot reach GitHub (${scrub(error.message)})` : `GitHub answered ${status}`;
    return new ExternalServiceError(SERVICE, `${reason} for ${what}; try again later`, {
      status,
      retryable: true,
      cause,
    });
  }
  return new ExternalServiceError(SERVICE, `${what} failed (${status}): ${serverMessage || scrub(error.message)}`, {
    status,
    cause,
  });
}

function describeRequest(request: HttpFailure["request"]): string {
  const method = request?.method ?? "GET";
  if (request?.url === undefined) return method;
  try {
    const url = new URL(request.url);
    return `${method} ${url.pathname}`;
  } catch {
    return `${method} ${request.url.split("?")[0] ?? ""}`;
  }
}

function readServerMessage(error: HttpFailure): string {
  const data = error.response?.data;
  if (typeof data === "object" && data !== null && typeof (data as { message?: unknown }).message === "string") {
    return (data as { message: string }).message;
  }
  return "";
}

function readRetryAfterMs(headers: Record<string, string | number | undefined>): number | undefined {
  const value = Number(headers["retry-after"]);
  return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
}

function readResetAt(headers: Record<string, string | number | undefined>): Date | undefined {
  const value = Number(headers["x-ratelimit-reset"]);
  return Number.isFinite(value) && value > 0 ? new Date(value * 1000) : undefined;
}
