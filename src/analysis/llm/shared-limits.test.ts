/**
 * Which keys the shared limits use, and two LLM analyzers on one Redis (two workers of
 * one run) against a local model server: the spend cap one reaches stops the other.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerFromSchema, schemaOf } from "../../../test/helpers/answer-from-schema.js";
import { fileChange } from "../../../test/helpers/file-change.js";
import { startLlmServer, type LlmServer } from "../../../test/helpers/llm-server.js";
import { freshRedisPrefix, type RedisNamespace } from "../../../test/support/services.js";
import { extractFacts } from "../../facts/extract-facts.js";
import { silentLogger } from "../../logger.js";
import type { Commit } from "../../sources/types.js";
import { createRulesAnalyzer } from "../rules/rules-analyzer.js";
import { DEFAULT_SCORING } from "../rules/weights.js";
import { createLlmAnalyzer } from "./llm-analyzer.js";
import { createLanguageModel } from "./providers.js";
import { createSharedLlmLimits, rateLimitKey } from "./shared-limits.js";
import { createTokenCounter } from "./tokenizer.js";
import type { LlmSettings } from "./types.js";

const clients: Redis[] = [];
function connect(): Redis {
  const client = new Redis(redisSpace.redisUrl, { maxRetriesPerRequest: 1 });
  clients.push(client);
  return client;
}

let redisSpace: RedisNamespace;
let server: LlmServer;
beforeAll(async () => {
  redisSpace = await freshRedisPrefix();
  server = await startLlmServer((request) => ({
    json: answerFromSchema(schemaOf(request)!, { summary: "新增服务器入口 `handle_request`。" }),
    usage: { input: 100, output: 50 },
  }));
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
  await redisSpace?.clear();
  await server?.close();
});

function settingsOf(overrides: Partial<LlmSettings> = {}): LlmSettings {
  return {
    provider: "openai-compatible",
    model: "test-model",
    baseUrl: `${server.url}/v1`,
    apiKeyEnv: "TEST_KEY",
    temperature: 0,
    maxOutputTokens: 1000,
    concurrency: 2,
    promptBudgetTokens: 8000,
    failureThreshold: 0.2,
    timeoutMs: 2000,
    ...overrides,
  };
}

describe("shared LLM limits: keys", () => {
  it("gives every run on one endpoint and model one rate-limit key, and each run its own budget key", async () => {
    const redis = connect();
    const namespace = `${redisSpace.prefix}:${randomUUID()}`;
    const settings = settingsOf({ tokensPerMinute: 100_000, spendCap: { tokens: 10 } });
    const first = createSharedLlmLimits(redis, settings, { namespace, runKey: "run-1" });
    // Another run, the endpoint written with a trailing slash: the same provider, the same limits.
    const second = createSharedLlmLimits(redis, { ...settings, baseUrl: `${server.url}/v1/` }, { namespace, runKey: "run-2" });
    await first.limiter.acquire(1);
    await second.limiter.acquire(1);
    await first.budget.add({ input: 10, output: 0 });
    expect(await first.budget.exhausted()).toBe(true);
    expect(await second.budget.exhausted()).toBe(false);

    const rate = rateLimitKey(namespace, settings);
    expect(rate).toMatch(new RegExp(`^${namespace}:rate:\\{[0-9a-f]{32}\\}$`));
    expect(await redis.zcard(`${rate}:sent`)).toBe(2);
    const keys = (await redis.keys(`${namespace}:*`)).sort();
    expect(keys).toEqual([`${namespace}:budget:run-1`, `${rate}:sent`, `${rate}:weights`].sort());
    // Neither the endpoint nor the model is spelled out in a key.
    for (const key of keys) expect(key).not.toMatch(/127\.0\.0\.1|test-model/);
  });

  it("keeps other models, endpoints and providers apart", () => {
    const settings = settingsOf();
    const keys = new Set([
      rateLimitKey("ns", settings),
      rateLimitKey("ns", { ...settings, model: "other-model" }),
      rateLimitKey("ns", { ...settings, baseUrl: "https://api.example.com/v1" }),
      rateLimitKey("ns", { ...settings, provider: "openai" }),
      rateLimitKey("other-ns", settings),
    ]);
    expect(keys.size).toBe(5);
  });
});

describe("shared LLM limits: two analyzers of one run", () => {
  const person = { name: "Ada", email: "ada@example.com", date: "2026-01-17T08:00:00+08:00" };
  const commit = (sha: string): Commit => ({
    sha: sha.repeat(40),
    parents: ["b".repeat(40)],
    author: person,
    committer: person,
    subject: "feat(server): add a token-checked server",
    body: "",
    files: [fileChange("src/server.py", ["@@ -0,0 +1,2 @@", "+def handle_request(req):", "+    return check_token(req)"], "added")],
    patchBytesOmitted: 0,
  });

  function worker(namespace: string, settings: LlmSettings) {
    const { limiter, budget } = createSharedLlmLimits(connect(), settings, { namespace, runKey: "run-1" });
    const runtime = { settings, model: createLanguageModel(settings, { TEST_KEY: "k-123" }), limiter, counter: createTokenCounter() };
    const rules = createRulesAnalyzer({ scoring: DEFAULT_SCORING, criticalPaths: [] });
    return { analyzer: createLlmAnalyzer({ runtime, rules, budget, logger: silentLogger }), budget };
  }
  const analyse = (analyzer: ReturnType<typeof worker>["analyzer"], input: Commit) =>
    analyzer.analyze({ commit: input, facts: extractFacts(input, { criticalPaths: [], ignorePaths: [] }), lang: "en" });

  it("stops the second worker once the first reached the run's cap: the rules analysis, no call to the model", async () => {
    const namespace = `${redisSpace.prefix}:${randomUUID()}`;
    const settings = settingsOf({ spendCap: { tokens: 150 }, tokensPerMinute: 100_000 });
    const one = worker(namespace, settings);
    const two = worker(namespace, settings);

    const first = await analyse(one.analyzer, commit("1"));
    expect(first.llm?.fallback).toBeUndefined();
    const before = server.requests.length;
    const second = await analyse(two.analyzer, commit("2"));
    expect(second.llm?.fallback?.reason).toBe("spend-cap");
    expect(server.requests.length).toBe(before);

    expect(one.budget.used).toEqual({ input: 100, output: 50 });
    expect(two.budget.used).toEqual({ input: 0, output: 0 });
    expect(await two.budget.total()).toEqual({ input: 100, output: 50 });
  });

  it("fails the commit, not the run, when the shared budget cannot be read", async () => {
    const unreachable = new Redis("redis://127.0.0.1:1", { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    unreachable.on("error", () => undefined);
    const settings = settingsOf({ spendCap: { tokens: 150 } });
    const { limiter, budget } = createSharedLlmLimits(unreachable, settings, { namespace: "test:unreachable", runKey: "run-1" });
    const runtime = { settings, model: createLanguageModel(settings, { TEST_KEY: "k-123" }), limiter, counter: createTokenCounter() };
    const analyzer = createLlmAnalyzer({ runtime, rules: createRulesAnalyzer({ scoring: DEFAULT_SCORING, criticalPaths: [] }), budget, logger: silentLogger });
    const analysis = await analyse(analyzer, commit("3"));
    expect(analysis.llm?.fallback?.reason).toBe("failed");
    expect(analysis.llm?.fallback?.detail).toMatch(/^redis: could not read the run's spend/);
    unreachable.disconnect();
  });
});
