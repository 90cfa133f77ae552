import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { startLlmServer, type LlmServer, type ScriptedReply } from "../test/helpers/llm-server.js";
import { ExternalServiceError } from "./errors.js";
import { callModel, MalformedAnswerError } from "./analysis/llm/call-model.js";
import { createLanguageModel } from "./analysis/llm/providers.js";
import type { LlmSettings } from "./analysis/llm/types.js";
import { computeRetryDelay, withRetries } from "./with-retries.js";

const ANSWER = { summary: "为 CLI 增加 --since 选项。" };
const request = {
  system: "Analyse the commit.",
  prompt: "feat(cli): add --since",
  schema: z.object({ summary: z.string() }),
  maxOutputTokens: 300,
  temperature: 0,
  timeoutMs: 5_000,
};
const RETRY = { retries: 3, baseDelayMs: 1_000, maxDelayMs: 60_000 };

let server: LlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server answering with `replies` in turn, and a model pointed at it. */
async function serveInTurn(replies: ScriptedReply[], provider: LlmSettings["provider"] = "openai") {
  let next = 0;
  server = await startLlmServer(() => replies[Math.min(next++, replies.length - 1)]!);
  const settings: LlmSettings = {
    provider,
    model: provider === "anthropic" ? "claude-sonnet-4-5" : "test-model",
    baseUrl: `${server.url}/v1`,
    apiKeyEnv: "KEY",
    temperature: 0,
    maxOutputTokens: 300,
    concurrency: 1,
    promptBudgetTokens: 8_000,
    failureThreshold: 0.2,
    timeoutMs: 5_000,
  };
  return { llm: server, model: createLanguageModel(settings, { KEY: "test-key" }) };
}

function recordSleeps() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

describe("withRetries against the model server", () => {
  it.each(["openai", "anthropic"] as const)("waits out a 429's Retry-After, then succeeds (%s)", async (provider) => {
    const { llm, model } = await serveInTurn([{ status: 429, retryAfterSeconds: 2 }, { json: ANSWER }], provider);
    const { delays, sleep } = recordSleeps();

    const answer = await withRetries(() => callModel(model, request), { ...RETRY, sleep });

    expect(answer.output).toEqual(ANSWER);
    expect(llm.requests).toHaveLength(2);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(2_000);
    expect(delays[0]).toBeLessThanOrEqual(2_000 + RETRY.baseDelayMs);
  });

  it("retries a 500 with backoff, then succeeds", async () => {
    const { llm, model } = await serveInTurn([{ status: 500 }, { status: 503 }, { json: ANSWER }]);
    const { delays, sleep } = recordSleeps();

    const answer = await withRetries(() => callModel(model, request), { ...RETRY, sleep, random: () => 0.5 });

    expect(answer.output).toEqual(ANSWER);
    expect(llm.requests).toHaveLength(3);
    expect(delays).toEqual([750, 1_500]);
  });

  it("does not retry a 401", async () => {
    const { llm, model } = await serveInTurn([{ status: 401 }, { json: ANSWER }]);
    const { delays, sleep } = recordSleeps();

    const error = await withRetries(() => callModel(model, request), { ...RETRY, sleep }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ExternalServiceError);
    expect((error as ExternalServiceError).details.status).toBe(401);
    expect(llm.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("retries after a time-out", async () => {
    const { llm, model } = await serveInTurn([{ hang: true }, { json: ANSWER }]);
    const { delays, sleep } = recordSleeps();

    const answer = await withRetries(() => callModel(model, { ...request, timeoutMs: 200 }), { ...RETRY, sleep });

    expect(answer.output).toEqual(ANSWER);
    expect(llm.requests).toHaveLength(2);
    expect(delays).toHaveLength(1);
  });

  it("leaves malformed JSON to the caller instead of retrying on a timer", async () => {
    const { llm, model } = await serveInTurn([{ text: "{ not json" }, { json: ANSWER }]);
    const { sleep } = recordSleeps();

    const error = await withRetries(() => callModel(model, request), { ...RETRY, sleep }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MalformedAnswerError);
    expect(llm.requests).toHaveLength(1);
  });

  it("gives up after the last retry with the last error", async () => {
    const { llm, model } = await serveInTurn([{ status: 503 }]);
    const { delays, sleep } = recordSleeps();

    const error = await withRetries(() => callModel(model, request), { ...RETRY, retries: 2, sleep }).catch((e: unknown) => e);

    expect((error as ExternalServiceError).details.status).toBe(503);
    expect(llm.requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it("does not wait out a Retry-After longer than the longest wait", async () => {
    const { llm, model } = await serveInTurn([{ status: 429, retryAfterSeconds: 3_600 }, { json: ANSWER }]);
    const { delays, sleep } = recordSleeps();

    const error = await withRetries(() => callModel(model, request), { ...RETRY, sleep }).catch((e: unknown) => e);

    expect((error as ExternalServiceError).details.status).toBe(429);
    expect(llm.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });
});

describe("withRetries", () => {
  it("does not retry errors that are not ExternalServiceErrors", async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new TypeError("a bug");
    };
    await expect(withRetries(failing, { ...RETRY, sleep: async () => {} })).rejects.toThrow("a bug");
    expect(calls).toBe(1);
  });

  it("passes the attempt number", async () => {
    const seen: number[] = [];
    const result = await withRetries(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 2) throw new ExternalServiceError("llm", "busy", { status: 503, retryable: true });
        return "done";
      },
      { ...RETRY, sleep: async () => {} },
    );
    expect(result).toBe("done");
    expect(seen).toEqual([0, 1, 2]);
  });
});

describe("computeRetryDelay", () => {
  const options = { baseDelayMs: 1_000, maxDelayMs: 8_000 };

  it("doubles the step each attempt, with half of it random, up to the longest wait", () => {
    const low = { ...options, random: () => 0 };
    const high = { ...options, random: () => 0.999_999 };
    expect([0, 1, 2, 3, 4].map((attempt) => computeRetryDelay(attempt, undefined, low))).toEqual([500, 1_000, 2_000, 4_000, 4_000]);
    expect([0, 1, 2, 3, 4].map((attempt) => computeRetryDelay(attempt, undefined, high))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
  });

  it("waits at least the Retry-After, and refuses one beyond the longest wait", () => {
    expect(computeRetryDelay(0, 5_000, { ...options, random: () => 0 })).toBe(5_000);
    expect(computeRetryDelay(0, 7_500, { ...options, random: () => 0.999_999 })).toBe(8_000);
    expect(computeRetryDelay(0, 9_000, options)).toBeUndefined();
  });
});
