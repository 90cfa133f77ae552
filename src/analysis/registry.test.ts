import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { ANALYZERS, createAnalyzer, listAnalyzerIds } from "./registry.js";
import { silentLogger } from "../logger.js";
import { createLanguageModel } from "./llm/providers.js";
import { createRateLimiter } from "./llm/rate-limiter.js";
import { createTokenCounter } from "./llm/tokenizer.js";
import type { LlmSettings } from "./llm/types.js";
import { createRunBudget } from "./llm/run-budget.js";
import { DEFAULT_SCORING } from "./rules/weights.js";

const settings: LlmSettings = {
  provider: "ollama",
  model: "qwen3",
  baseUrl: "http://127.0.0.1:9",
  temperature: 0,
  maxOutputTokens: 1000,
  concurrency: 1,
  promptBudgetTokens: 8000,
  failureThreshold: 0.2,
  timeoutMs: 1000,
};
const llm = {
  runtime: { settings, model: createLanguageModel(settings, {}), limiter: createRateLimiter(settings), counter: createTokenCounter() },
  budget: createRunBudget(settings),
  logger: silentLogger,
};
const options = { scoring: DEFAULT_SCORING, criticalPaths: [], llm };

describe("analyzer registry", () => {
  it("creates the rules analyzer by its id", async () => {
    expect((await createAnalyzer("rules", options)).id.name).toBe("rules");
  });

  it("rejects an unknown id, listing the known ones", async () => {
    let error: unknown;
    try {
      await createAnalyzer("gpt", options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe("analysis.analyzer");
    expect((error as ConfigError).allowed).toBe(`one of: ${listAnalyzerIds().join(", ")}`);
    expect((error as ConfigError).allowed).toContain("rules");
  });

  it("lists every adapter folder under src/analysis, so none is forgotten", () => {
    const folder = fileURLToPath(new URL(".", import.meta.url));
    const adapters = readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect([...ANALYZERS.ids].sort()).toEqual(adapters);
  });

  it("refuses the llm analyzer without a model, naming the config block to add", async () => {
    await expect(createAnalyzer("llm", { scoring: DEFAULT_SCORING, criticalPaths: [] })).rejects.toThrow(ConfigError);
  });

  it("each factory builds an analyzer whose id name is its key", async () => {
    for (const [id, factory] of ANALYZERS.entries()) expect((await factory(options)).id.name).toBe(id);
  });
});
