import type { LanguageModel } from "ai";
import type { ZodType } from "zod";
import { ExternalServiceError } from "../../errors.js";
import { callModel, MalformedAnswerError, type ModelAnswer } from "./call-model.js";
import type { RateLimiter } from "./rate-limiter.js";
import { redactSecrets } from "./redact-secrets.js";
import type { LlmSettings, TokenCounter, TokenUsage } from "./types.js";
import { withRetries } from "../../with-retries.js";

/** What every call of a run shares: the model, its settings, the rate limits, the token counter. */
export interface ModelRuntime {
  settings: LlmSettings;
  model: LanguageModel;
  limiter: RateLimiter;
  counter: TokenCounter;
  /** Waits between retries; tests pass a recorder. */
  sleep?: (ms: number) => Promise<void>;
}

export interface StructuredRequest {
  system: string;
  prompt: string;
  schema: ZodType;
  /** Called with the tokens of every answer, usable or not, so that the spend cap counts them all; awaited (a shared budget counts over the network). */
  onUsage(usage: TokenUsage): void | Promise<void>;
}

export interface StructuredAnswer {
  output: unknown;
  reasoningRemoved: boolean;
}

/**
 * One structured answer, whatever it takes within reason: transient failures (429, 5xx,
 * time-outs) are retried with backoff, honouring Retry-After; malformed JSON is asked
 * once more; an answer cut at the output limit is asked once more with twice the room.
 * Nothing leaves the machine before one last secret scan over all that is sent.
 */
export async function askStructured(runtime: ModelRuntime, request: StructuredRequest): Promise<StructuredAnswer> {
  const { settings } = runtime;
  const system = redactSecrets(request.system).text;
  const prompt = redactSecrets(request.prompt).text;
  // Counting a 30 KB prompt costs milliseconds; only a tokens-per-minute limit needs the figure.
  const promptTokens = settings.tokensPerMinute === undefined ? 0 : runtime.counter.count(system) + runtime.counter.count(prompt);
  let room = settings.maxOutputTokens;
  let malformedAgain = true;
  let longerAgain = true;
  for (;;) {
    let answer: ModelAnswer;
    try {
      answer = await withRetries(
        async () => {
          const slot = await runtime.limiter.acquire(promptTokens + room);
          try {
            const result = await callModel(runtime.model, {
              system,
              prompt,
              schema: request.schema,
              maxOutputTokens: room,
              temperature: settings.temperature,
              timeoutMs: settings.timeoutMs,
            });
            slot.settle(result.usage.input + result.usage.output);
            return result;
          } catch (error) {
            if (error instanceof MalformedAnswerError) slot.settle(error.usage.input + error.usage.output);
            throw error;
          }
        },
        { retries: 3, baseDelayMs: 1_000, maxDelayMs: 60_000, ...(runtime.sleep ? { sleep: runtime.sleep } : {}) },
      );
    } catch (error) {
      if (error instanceof MalformedAnswerError) {
        await request.onUsage(error.usage);
        if (malformedAgain) {
          malformedAgain = false;
          continue;
        }
      }
      throw error;
    }
    await request.onUsage(answer.usage);
    if (answer.finishReason !== "length") return { output: answer.output, reasoningRemoved: answer.reasoningRemoved };
    if (!longerAgain) break;
    longerAgain = false;
    room *= 2;
  }
  throw new ExternalServiceError("llm", `the answer was cut at the output limit twice (${room} tokens)`, {
    status: "length",
    retryable: false,
    hint: "raise llm.maxOutputTokens",
  });
}
