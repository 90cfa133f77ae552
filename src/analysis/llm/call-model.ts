import {
  APICallError,
  generateText,
  Output,
  type LanguageModel,
  type OutputInterface,
} from "ai";
import * as z from "zod";
import type { ZodType } from "zod";
import { ExternalServiceError } from "../../errors.js";
import { redactSecrets } from "./redact-secrets.js";
import type { TokenUsage } from "./types.js";

export interface ModelRequest {
  system: string;
  prompt: string;
  /** The answer's shape: sent to the provider as its structured-output format, then checked. */
  schema: ZodType;
  maxOutputTokens: number;
  temperature: number;
  timeoutMs: number;
  /** Cancels the call (the run is stopping); a cancelled call is not retried. */
  signal?: AbortSignal;
}

export interface ModelAnswer {
  /** The answer, validated by the schema; undefined when the answer was cut (finishReason "length"). */
  output: unknown;
  /** The answer's text with any reasoning removed. */
  text: string;
  /** The AI SDK's unified reason: "stop", "length", ... */
  finishReason: string;
  usage: TokenUsage;
  /** True when `<think>` blocks or a reasoning field came with the answer and were dropped. */
  reasoningRemoved: boolean;
}

export type MalformedKind = "empty" | "not-json" | "schema-mismatch";

/**
 * The model answered, but not with JSON of the asked shape. Asking again often helps,
 * so the caller may re-ask; retrying the same request on a timer would not.
 */
export class MalformedAnswerError extends ExternalServiceError {
  constructor(
    readonly kind: MalformedKind,
    detail: string,
    /** The answer's text, reasoning removed, for a log at debug level. */
    readonly text: string,
    /** Tokens the malformed answer still cost. */
    readonly usage: TokenUsage,
  ) {
    super("llm", `the answer is not usable JSON (${kind}): ${detail}`, {
      status: kind,
      retryable: false,
      hint: "a smaller or older model may not follow JSON schemas well; try another llm.model",
    });
  }
}

const SERVICE = "llm";

/**
 * One structured-output call. The AI SDK's own retries are off (the caller's
 * `withRetries` owns backoff and Retry-After); every failure leaves as an
 * ExternalServiceError saying whether a retry may help.
 */
export async function callModel(model: LanguageModel, request: ModelRequest): Promise<ModelAnswer> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const abortSignal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  let result: Awaited<ReturnType<typeof generateText>>;
  try {
    result = await generateText({
      model,
      system: request.system,
      prompt: request.prompt,
      output: answerFormat(request.schema),
      maxOutputTokens: request.maxOutputTokens,
      temperature: request.temperature,
      maxRetries: 0,
      abortSignal,
    });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    throw toServiceError(error, timeout.aborted ? request.timeoutMs : undefined);
  }

  const usage = { input: result.usage.inputTokens ?? 0, output: result.usage.outputTokens ?? 0 };
  const cleaned = stripReasoning(result.text);
  const reasoningRemoved = cleaned.removed || result.reasoning.length > 0;
  const base = { text: cleaned.text, finishReason: result.finishReason, usage, reasoningRemoved };
  // A cut answer is never used as it is; the caller decides to ask with more room.
  if (result.finishReason === "length") return { ...base, output: undefined };
  if (result.finishReason === "content-filter") {
    throw new ExternalServiceError(SERVICE, "the provider's content filter withheld the answer", {
      status: "content-filter",
      retryable: false,
    });
  }
  return { ...base, output: parseAnswer(cleaned.text, request.schema, usage) };
}

/**
 * The schema goes to the provider as its structured-output format (json_schema,
 * output_config.format or a forced tool), but the text comes back unparsed: parsing is
 * ours, so that reasoning is removed first and a cut answer is not an error.
 */
function answerFormat(schema: ZodType): OutputInterface<string, string, never> {
  const format = Output.object({ schema, name: "answer" });
  return {
    name: "answer-text",
    responseFormat: format.responseFormat,
    parseCompleteOutput: async ({ text }) => text,
    parsePartialOutput: async ({ text }) => ({ partial: text }),
    createElementStreamTransform: () => undefined,
  };
}

/**
 * Reasoning models served raw put their thoughts in `<think>` blocks before the answer
 * (DeepSeek-R1, QwQ, Qwen3); some templates open the block in the prompt, so the answer
 * holds only the closing tag. A block never closed means the answer is all reasoning.
 */
export function stripReasoning(text: string): { text: string; removed: boolean } {
  let out = text.replace(/<(think|thinking)>[\s\S]*?<\/\1>/gi, "");
  const strayClose = /^[\s\S]*?<\/(think|thinking)>/i;
  if (!/<(think|thinking)>/i.test(out) && strayClose.test(out)) out = out.replace(strayClose, "");
  out = out.replace(/<(think|thinking)>[\s\S]*$/i, "");
  return { text: out.trim(), removed: out.length !== text.length };
}

function parseAnswer(text: string, schema: ZodType, usage: TokenUsage): unknown {
  if (text === "") throw new MalformedAnswerError("empty", "the answer holds no text", text, usage);
  const value = parseJsonLoosely(text);
  if (value === undefined) {
    throw new MalformedAnswerError("not-json", `starts with ${JSON.stringify(text.slice(0, 40))}`, text, usage);
  }
  const checked = schema.safeParse(value);
  if (!checked.success) {
    const detail = z.prettifyError(checked.error).split("\n").slice(0, 6).join("; ");
    throw new MalformedAnswerError("schema-mismatch", detail, text, usage);
  }
  return checked.data;
}

/** JSON, or JSON in a Markdown fence, or the outermost object in a sentence around it. */
function parseJsonLoosely(text: string): unknown {
  const fenced = /^```[a-zA-Z]*\s*\n([\s\S]*?)\n?```$/.exec(text.trim());
  const candidates = [fenced?.[1] ?? text];
  const first = text.indexOf("{");
  const last = text.lastIndexOf("}");
  if (first >= 0 && last > first) candidates.push(text.slice(first, last + 1));
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // try the next reading
    }
  }
  return undefined;
}

function toServiceError(error: unknown, timedOutAfterMs: number | undefined): ExternalServiceError {
  if (error instanceof ExternalServiceError) return error;
  if (timedOutAfterMs !== undefined) {
    return new ExternalServiceError(SERVICE, `no answer within ${Math.round(timedOutAfterMs / 1000)} s`, {
      status: "timeout",
      retryable: true,
      hint: "a slow or busy endpoint: raise llm.timeoutMs or lower llm.concurrency",
    });
  }
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const detail = providerMessage(error);
    if (status === undefined) {
      return new ExternalServiceError(SERVICE, `cannot reach ${originOf(error.url)}: ${detail}`, {
        status: "network",
        retryable: true,
        hint: "check llm.baseUrl and that the server is running and reachable",
      });
    }
    const retryAfterMs = parseRetryAfter(error.responseHeaders);
    return new ExternalServiceError(SERVICE, `HTTP ${status} from ${originOf(error.url)}: ${detail}`, {
      status,
      retryable: isRetryableStatus(status),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      hint: hintForStatus(status),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ExternalServiceError(SERVICE, redactSecrets(message).text, {
    status: error instanceof Error ? error.name : "error",
    retryable: false,
    hint: "the endpoint did not answer as the provider's API does; check llm.provider and llm.baseUrl",
  });
}

/** 408 and 409 are the provider's way of saying "try again"; 429 and 5xx are load. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

function hintForStatus(status: number): string | undefined {
  switch (status) {
    case 401:
      return "the key was refused: check that the environment variable named by llm.apiKeyEnv holds a valid key for this provider";
    case 403:
      return "the key has no access to this model or endpoint: check the account's permissions and llm.model";
    case 404:
      return "no such model or path: check llm.model and llm.baseUrl";
    case 400:
    case 422:
      return "the endpoint rejected the request: check llm.model and that it supports JSON output";
    case 429:
      return "rate-limited: lower llm.concurrency or set llm.requestsPerMinute";
    default:
      return status >= 500 ? "the provider failed; retried with backoff" : undefined;
  }
}

/** The provider's own message: short, and with any credential it echoed removed. */
function providerMessage(error: APICallError): string {
  const message = error.message.replace(/\s+/g, " ").trim();
  const redacted = redactSecrets(message).text;
  return redacted.length > 300 ? `${redacted.slice(0, 297)}...` : redacted;
}

function originOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "the endpoint";
  }
}

/**
 * `retry-after-ms` (OpenAI) or `retry-after` in seconds or as an HTTP date.
 * https://httpwg.org/specs/rfc9110.html#field.retry-after
 */
export function parseRetryAfter(headers: Record<string, string> | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers["retry-after-ms"]?.trim();
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = headers["retry-after"]?.trim();
  if (value === undefined || value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
