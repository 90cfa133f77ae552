import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, wrapLanguageModel, type LanguageModel, type LanguageModelMiddleware } from "ai";
import { ConfigError } from "../../errors.js";
import type { LlmSettings, ProviderId } from "./types.js";

/** A provider's model object (the AI SDK's LanguageModelV3, which `ai` does not export by name). */
type ProviderModel = Parameters<typeof wrapLanguageModel>[0]["model"];

/** One model provider: how it is reached and whether it needs a key. */
export interface ProviderAdapter {
  id: ProviderId;
  /** Cloud APIs refuse every call without a key; local servers usually take none. */
  requiresKey: boolean;
  /** The variable read when `llm.apiKeyEnv` is not set. */
  defaultKeyEnv?: string;
  create(settings: LlmSettings, apiKey: string | undefined): ProviderModel;
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434";

/**
 * Hosts whose OpenAI-compatible API takes `response_format: json_object` but not
 * `json_schema`; they get the schema in the system prompt instead. Self-hosted servers
 * (vLLM, SGLang, llama.cpp, LM Studio, Ollama) take `json_schema` and constrain decoding
 * with it.
 *   https://api-docs.deepseek.com/guides/json_mode
 *   https://platform.moonshot.cn/docs/guide/use-json-mode-feature-of-kimi-api
 *   https://docs.bigmodel.cn/cn/guide/capabilities/struct-output
 *   https://help.aliyun.com/zh/model-studio/json-mode
 */
const JSON_OBJECT_ONLY_HOSTS = [
  "api.deepseek.com",
  "api.moonshot.cn",
  "api.moonshot.ai",
  "open.bigmodel.cn",
  "dashscope.aliyuncs.com",
  "dashscope-intl.aliyuncs.com",
];

/** Every provider, by id. */
export const PROVIDERS: ReadonlyMap<ProviderId, ProviderAdapter> = new Map<ProviderId, ProviderAdapter>([
  [
    "openai",
    {
      id: "openai",
      requiresKey: true,
      defaultKeyEnv: "OPENAI_API_KEY",
      // The Chat Completions API, not Responses: it is the one every OpenAI-compatible
      // gateway in front of OpenAI also serves.
      create: (settings, apiKey) =>
        createOpenAI({ apiKey, baseURL: settings.baseUrl ?? "https://api.openai.com/v1" }).chat(settings.model),
    },
  ],
  [
    "openai-compatible",
    {
      id: "openai-compatible",
      requiresKey: false,
      create: (settings, apiKey) => {
        const baseUrl = settings.baseUrl;
        if (baseUrl === undefined) {
          throw new ConfigError("llm.baseUrl", baseUrl, "the endpoint's URL, such as https://api.deepseek.com/v1");
        }
        return createCompatibleModel(baseUrl, settings.model, apiKey, takesJsonSchema(baseUrl));
      },
    },
  ],
  [
    "anthropic",
    {
      id: "anthropic",
      requiresKey: true,
      defaultKeyEnv: "ANTHROPIC_API_KEY",
      create: (settings, apiKey) =>
        createAnthropic({ apiKey, baseURL: settings.baseUrl ?? "https://api.anthropic.com/v1" })(settings.model),
    },
  ],
  [
    "ollama",
    {
      id: "ollama",
      requiresKey: false,
      // Ollama's OpenAI-compatible /v1, not its native /api through ollama-ai-provider-v2:
      // that package (2.0.0) sends temperature and max_output_tokens as top-level fields,
      // which /api/chat ignores (it reads options.temperature and options.num_predict),
      // so the output limit would not hold. /v1 honours max_tokens, temperature and
      // response_format json_schema, and shares its code path with every other
      // OpenAI-compatible server.
      create: (settings, apiKey) =>
        createOpenAICompatible({
          name: "ollama",
          baseURL: toOllamaOpenAiUrl(settings.baseUrl ?? OLLAMA_DEFAULT_URL),
          ...(apiKey === undefined ? {} : { apiKey }),
          supportsStructuredOutputs: true,
        }).chatModel(settings.model),
    },
  ],
]);

/**
 * The model of `settings`, with its key read from `env[settings.apiKeyEnv]`. The key
 * travels in a request header only; errors name the variable, never its value.
 */
export function createLanguageModel(settings: LlmSettings, env: NodeJS.ProcessEnv): LanguageModel {
  const adapter = PROVIDERS.get(settings.provider);
  if (!adapter) throw new ConfigError("llm.provider", settings.provider, `one of ${[...PROVIDERS.keys()].join(", ")}`);
  const keyEnv = settings.apiKeyEnv ?? adapter.defaultKeyEnv;
  const apiKey = keyEnv === undefined ? undefined : nonEmpty(env[keyEnv]);
  // A variable named in the config but unset is a mistake for every provider; an unnamed
  // one only for those that need a key.
  if (apiKey === undefined && (settings.apiKeyEnv !== undefined || adapter.requiresKey)) {
    // Someone who pasted the key where its variable's name belongs must not see it echoed.
    const shown = keyEnv === undefined || VARIABLE_NAME.test(keyEnv) ? keyEnv : "(not a variable name)";
    throw new ConfigError("llm.apiKeyEnv", shown, "the name of a set environment variable holding the API key", {
      hint: shown === keyEnv && keyEnv !== undefined ? `export ${keyEnv}=<your key> before running, or set llm.apiKeyEnv to the variable that holds it` : undefined,
    });
  }
  const model = adapter.create(settings, apiKey);
  if (apiKey === undefined) return model;
  return wrapLanguageModel({ model, middleware: keepKeyOutOfErrors(apiKey) });
}

/** An OpenAI-compatible chat model; without json_schema support the schema travels in the system prompt. */
export function createCompatibleModel(
  baseUrl: string,
  modelId: string,
  apiKey: string | undefined,
  jsonSchema: boolean,
): ProviderModel {
  const model = createOpenAICompatible({
    name: nameProvider(new URL(baseUrl).hostname),
    baseURL: baseUrl,
    ...(apiKey === undefined ? {} : { apiKey }),
    supportsStructuredOutputs: jsonSchema,
  }).chatModel(modelId);
  return jsonSchema ? model : wrapLanguageModel({ model, middleware: schemaInSystemPrompt });
}

export function takesJsonSchema(baseUrl: string): boolean {
  return !JSON_OBJECT_ONLY_HOSTS.includes(new URL(baseUrl).hostname);
}

/** The AI SDK derives provider-option keys from the name up to its first dot. */
function nameProvider(host: string): string {
  if (host === "localhost" || /^[\d.]+$/.test(host) || host.startsWith("[")) return "local";
  const labels = host.replace(/^(api|www)\./, "").split(".");
  return labels[0] || "openai-compatible";
}

/** Accepts the server root, its native `/api` or its `/v1`. */
export function toOllamaOpenAiUrl(baseUrl: string): string {
  const root = baseUrl.replace(/\/+$/, "").replace(/\/(api|v1)$/, "");
  return `${root}/v1`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

/**
 * For endpoints that only take `json_object`: the schema goes into the system prompt, and
 * the request asks for plain JSON (a schema the endpoint cannot use would only be
 * dropped with a warning). DeepSeek also requires the word "json" in the prompt.
 */
const schemaInSystemPrompt: LanguageModelMiddleware = {
  specificationVersion: "v3",
  transformParams: async ({ params }) => {
    const format = params.responseFormat;
    if (format?.type !== "json" || format.schema === undefined) return params;
    const instruction = `Answer with one JSON object and nothing else. It must follow this JSON schema:\n${JSON.stringify(format.schema)}`;
    const [first, ...rest] = params.prompt;
    const prompt =
      first?.role === "system"
        ? [{ ...first, content: `${first.content}\n\n${instruction}` }, ...rest]
        : [{ role: "system" as const, content: instruction }, ...params.prompt];
    return { ...params, prompt, responseFormat: { type: "json" } };
  },
};

/**
 * Some OpenAI-compatible servers echo the key they rejected ("Invalid API key: sk-...").
 * Errors leave the provider with the key's value replaced, so that no message, log or
 * report can carry it.
 */
function keepKeyOutOfErrors(apiKey: string): LanguageModelMiddleware {
  const scrub = (text: string) => text.split(apiKey).join("[redacted]");
  const rethrowScrubbed = (error: unknown): never => {
    if (APICallError.isInstance(error)) {
      throw new APICallError({
        message: scrub(error.message),
        url: error.url,
        requestBodyValues: error.requestBodyValues,
        ...(error.statusCode === undefined ? {} : { statusCode: error.statusCode }),
        ...(error.responseHeaders === undefined ? {} : { responseHeaders: error.responseHeaders }),
        ...(error.responseBody === undefined ? {} : { responseBody: scrub(error.responseBody) }),
        isRetryable: error.isRetryable,
      });
    }
    if (error instanceof Error && error.message.includes(apiKey)) {
      const clean = new Error(scrub(error.message));
      clean.name = error.name;
      throw clean;
    }
    throw error;
  };
  return {
    specificationVersion: "v3",
    wrapGenerate: async ({ doGenerate }) => {
      try {
        return await doGenerate();
      } catch (error) {
        return rethrowScrubbed(error);
      }
    },
    wrapStream: async ({ doStream }) => {
      try {
        return await doStream();
      } catch (error) {
        return rethrowScrubbed(error);
      }
    },
  };
}
