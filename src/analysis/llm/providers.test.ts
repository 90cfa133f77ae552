import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { startLlmServer, type LlmServer } from "../../../test/helpers/llm-server.js";
import { ConfigError } from "../../errors.js";
import { callModel } from "./call-model.js";
import { createLanguageModel, PROVIDERS, takesJsonSchema, toOllamaOpenAiUrl } from "./providers.js";
import { PROVIDER_IDS, type LlmSettings, type ProviderId } from "./types.js";

const KEY = "sk-proj-PLANTEDkey0000111122223333";
const OTHER_SECRET = "aws-PLANTED-secret-9999";

const schema = z.object({ summary: z.string() });
const request = {
  system: "Analyse the commit.",
  prompt: "fix: close the cache on shutdown",
  schema,
  maxOutputTokens: 300,
  temperature: 0,
  timeoutMs: 5_000,
};

let server: LlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function settings(provider: ProviderId, overrides: Partial<LlmSettings> = {}): LlmSettings {
  return {
    provider,
    model: provider === "anthropic" ? "claude-sonnet-4-5" : "test-model",
    temperature: 0,
    maxOutputTokens: 300,
    concurrency: 1,
    promptBudgetTokens: 8_000,
    failureThreshold: 0.2,
    timeoutMs: 5_000,
    ...overrides,
  };
}

describe("PROVIDERS", () => {
  it("has an adapter for every provider id", () => {
    expect([...PROVIDERS.keys()].sort()).toEqual([...PROVIDER_IDS].sort());
  });
});

describe("createLanguageModel keys", () => {
  it.each(["openai", "anthropic"] as const)("%s without its key variable set is a ConfigError naming the variable", (provider) => {
    const error = (() => {
      try {
        createLanguageModel(settings(provider, { apiKeyEnv: "MY_LLM_KEY" }), { OTHER: "x" });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe("llm.apiKeyEnv");
    expect((error as ConfigError).message).toContain("MY_LLM_KEY");
    expect((error as ConfigError).hint).toContain("export MY_LLM_KEY=");
  });

  it("reads the conventional variable when llm.apiKeyEnv is not set, and names it when it is missing", () => {
    expect(() => createLanguageModel(settings("anthropic"), {})).toThrow(/ANTHROPIC_API_KEY/);
    expect(() => createLanguageModel(settings("openai"), { OPENAI_API_KEY: KEY })).not.toThrow();
  });

  it("treats an empty variable as unset", () => {
    expect(() => createLanguageModel(settings("openai", { apiKeyEnv: "K" }), { K: "  " })).toThrow(ConfigError);
  });

  it("never puts a key value into a configuration error", () => {
    // The config names a variable; a user who pastes the key there gets an error that does not repeat it.
    const error = (() => {
      try {
        createLanguageModel(settings("openai", { apiKeyEnv: KEY }), { OPENAI_API_KEY: KEY });
      } catch (e) {
        return e as ConfigError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(`${error?.message} ${error?.hint}`).not.toContain(KEY.slice(8));
  });

  it("a variable named in the config but unset is an error for local endpoints too", () => {
    expect(() => createLanguageModel(settings("ollama", { apiKeyEnv: "OLLAMA_KEY" }), {})).toThrow(/OLLAMA_KEY/);
  });

  it("openai-compatible needs a base URL", () => {
    expect(() => createLanguageModel(settings("openai-compatible"), {})).toThrow(/llm\.baseUrl/);
  });
});

describe("createLanguageModel requests", () => {
  it.each([
    ["openai", "authorization", `Bearer ${KEY}`, "/v1/chat/completions"],
    ["openai-compatible", "authorization", `Bearer ${KEY}`, "/v1/chat/completions"],
    ["anthropic", "x-api-key", KEY, "/v1/messages"],
  ] as const)("%s sends the key in a header only, never in the body", async (provider, header, value, path) => {
    server = await startLlmServer(() => ({ json: { summary: "ok" } }));
    const env = { LLM_KEY: KEY, AWS_SECRET_ACCESS_KEY: OTHER_SECRET };
    const model = createLanguageModel(settings(provider, { baseUrl: `${server.url}/v1`, apiKeyEnv: "LLM_KEY" }), env);
    await callModel(model, request);

    const sent = server.requests[0]!;
    expect(sent.path).toBe(path);
    expect(sent.headers[header]).toBe(value);
    if (provider === "anthropic") expect(sent.headers["anthropic-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(sent.rawBody).not.toContain(KEY);
    expect(sent.rawBody).not.toContain("PLANTED");
    expect(sent.body.model).toBe(settings(provider).model);
  });

  it.each(["ollama", "openai-compatible"] as const)("%s works without a key and sends no Authorization header", async (provider) => {
    server = await startLlmServer(() => ({ json: { summary: "ok" } }));
    const baseUrl = provider === "ollama" ? `${server.url}/api` : `${server.url}/v1`;
    const model = createLanguageModel(settings(provider, { baseUrl }), { OPENAI_API_KEY: KEY });
    const answer = await callModel(model, request);

    expect(answer.output).toEqual({ summary: "ok" });
    const sent = server.requests[0]!;
    expect(sent.path).toBe("/v1/chat/completions");
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.rawBody).not.toContain(KEY);
  });
});

describe("toOllamaOpenAiUrl", () => {
  it("accepts the server root, its /api or its /v1", () => {
    expect(toOllamaOpenAiUrl("http://127.0.0.1:11434")).toBe("http://127.0.0.1:11434/v1");
    expect(toOllamaOpenAiUrl("http://127.0.0.1:11434/api")).toBe("http://127.0.0.1:11434/v1");
    expect(toOllamaOpenAiUrl("http://gpu-box:11434/v1/")).toBe("http://gpu-box:11434/v1");
  });
});

describe("takesJsonSchema", () => {
  it("knows the hosted APIs that only take json_object", () => {
    expect(takesJsonSchema("https://api.deepseek.com/v1")).toBe(false);
    expect(takesJsonSchema("https://dashscope.aliyuncs.com/compatible-mode/v1")).toBe(false);
    expect(takesJsonSchema("http://localhost:8000/v1")).toBe(true);
  });
});
