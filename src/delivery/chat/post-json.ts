import { ExternalServiceError } from "../../errors.js";
import { withRetries } from "../../with-retries.js";
import { toRetryOptions, type RetryPolicy } from "./retry-policy.js";
import { scrubSecrets } from "./secrets.js";

export interface PostJsonOptions {
  retry: RetryPolicy;
  /** Global fetch unless given. */
  fetch?: typeof fetch;
  /** The channel named in errors: "slack". */
  channel: string;
  /** What to check when the platform refuses the request (names of variables, never values). */
  hint?: string;
  /** Extra request headers (their values are treated as secrets in messages). */
  headers?: Record<string, string>;
  /** Values that must never appear in an error message: the URL, its tokens, signing secrets. */
  secrets?: readonly string[];
  /** For platforms that answer HTTP 200 with an error code in the body. */
  okWhen?: (json: unknown) => boolean;
  /** A body error that is a rate limit, worth another attempt (DingTalk 130101, WeCom 45009). */
  retryWhen?: (json: unknown) => boolean;
}

/**
 * POSTs one JSON body, retrying 429, 5xx, network errors and time-outs with backoff and
 * jitter (honouring Retry-After); other 4xx and platform error codes fail at once with a
 * one-line error that names the channel and never the URL. Returns the parsed answer
 * (the text where it is not JSON).
 *
 * A request that timed out may still have been delivered; the retry can then post the
 * message twice, which is the lesser harm than losing it.
 */
export async function postJson(url: string, body: unknown, options: PostJsonOptions): Promise<unknown> {
  const target = new URL(url);
  const secrets = [...(options.secrets ?? []), url, `${target.pathname}${target.search}`, ...Object.values(options.headers ?? {})];
  const fail = (message: string, details: ConstructorParameters<typeof ExternalServiceError>[2]) =>
    new ExternalServiceError(options.channel, oneLine(scrubSecrets(message, secrets)), details);
  const payload = JSON.stringify(body);
  const send = options.fetch ?? fetch;
  const { timeoutMs } = options.retry;

  return withRetries(async () => {
    let response: Response;
    let text: string;
    try {
      response = await send(url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", ...options.headers },
        body: payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      const reason = timedOut ? `no answer from ${target.host} within ${timeoutMs} ms` : `cannot reach ${target.host} (${networkCode(error)})`;
      throw fail(reason, { retryable: true, hint: `check that ${target.host} is reachable from here` });
    }
    const json = parseJson(text);
    const status = response.status;
    if (status === 429 || status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after")) ?? retryAfterFromBody(json);
      throw fail(`HTTP ${status} from ${target.host}${snippetOf(text)}`, {
        status,
        retryable: true,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        hint: status === 429 ? "the platform limits how often a webhook may post; try again later" : "the platform failed; try again later",
      });
    }
    if (status < 200 || status >= 300) {
      const hint = options.hint ?? "check the webhook URL";
      throw fail(`HTTP ${status} from ${target.host}${snippetOf(text)}; ${hint}`, { status, retryable: false, hint });
    }
    if (options.okWhen && !options.okWhen(json)) {
      const retryable = options.retryWhen?.(json) ?? false;
      const hint = retryable ? "the platform limits how often a robot may post; try again later" : (options.hint ?? "check the webhook settings");
      throw fail(`${target.host} refused the message${platformError(json)}${retryable ? "" : `; ${hint}`}`, {
        status: platformCode(json) ?? status,
        retryable,
        hint,
      });
    }
    return json ?? text;
  }, toRetryOptions(options.retry));
}

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value.trim()) * 1_000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Discord also states the wait in the body, in seconds. */
function retryAfterFromBody(json: unknown): number | undefined {
  const value = isRecord(json) ? json["retry_after"] : undefined;
  return typeof value === "number" && value >= 0 ? Math.ceil(value * 1_000) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function platformCode(json: unknown): number | undefined {
  if (!isRecord(json)) return undefined;
  const code = json["errcode"] ?? json["code"] ?? json["StatusCode"];
  return typeof code === "number" ? code : undefined;
}

function platformError(json: unknown): string {
  if (!isRecord(json)) return "";
  const code = platformCode(json);
  const message = json["errmsg"] ?? json["msg"] ?? json["message"];
  const text = typeof message === "string" ? ` "${clipSnippet(message)}"` : "";
  return code === undefined ? text : ` (code ${code}${text})`;
}

function snippetOf(text: string): string {
  const trimmed = text.trim();
  return trimmed === "" ? "" : ` ("${clipSnippet(trimmed)}")`;
}

function clipSnippet(text: string): string {
  const line = oneLine(text);
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/**
 * What stopped the request, in the words of the layer that knows: fetch says only "fetch
 * failed" (a TypeError); its cause has the system's code (ECONNREFUSED, ENOTFOUND) or a
 * reason of its own ("bad port").
 */
function networkCode(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === "string") return cause.code;
  if (cause && typeof cause.message === "string" && cause.message !== "") return cause.message;
  return error instanceof Error && error.name !== "TypeError" ? error.name : "network error";
}
