/**
 * node --import tsx bench/llm-wall.bench.ts [--commits N] [--concurrency N] [--latency MS]
 *
 * The LLM analyzer's wall time for N commits against a local OpenAI-compatible server
 * that answers every call after a fixed latency, compared with the ideal in the same run:
 * ceil(N / concurrency) × latency, what perfectly packed concurrent calls would take.
 * The gap is everything we add: the rules prior, diff views and token counting, prompt
 * building, the rate limiter, the answer checks. Target: within 1.3x of the ideal.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { answerFromSchema, schemaOf } from "../test/helpers/answer-from-schema.js";
import { fileChange } from "../test/helpers/file-change.js";
import { startLlmServer } from "../test/helpers/llm-server.js";
import { createLlmAnalyzer } from "../src/analysis/llm/llm-analyzer.js";
import { createRunBudget } from "../src/analysis/llm/run-budget.js";
import { createRulesAnalyzer } from "../src/analysis/rules/rules-analyzer.js";
import { DEFAULT_SCORING } from "../src/analysis/rules/weights.js";
import { extractFacts } from "../src/facts/extract-facts.js";
import { silentLogger } from "../src/logger.js";
import { createLanguageModel } from "../src/analysis/llm/providers.js";
import { createRateLimiter } from "../src/analysis/llm/rate-limiter.js";
import { createTokenCounter } from "../src/analysis/llm/tokenizer.js";
import type { LlmSettings } from "../src/analysis/llm/types.js";
import type { Commit } from "../src/sources/types.js";

const { values } = parseArgs({
  options: { commits: { type: "string", default: "40" }, concurrency: { type: "string", default: "4" }, latency: { type: "string", default: "250" } },
});
const commits = Number(values.commits);
const concurrency = Number(values.concurrency);
const latencyMs = Number(values.latency);

const server = await startLlmServer((request) => ({
  json: answerFromSchema(schemaOf(request)!, { summary: "新增函数。" }),
  delayMs: latencyMs,
  usage: { input: 1500, output: 300 },
}));
const settings: LlmSettings = {
  provider: "openai-compatible",
  model: "bench-model",
  baseUrl: `${server.url}/v1`,
  temperature: 0,
  maxOutputTokens: 1500,
  concurrency,
  promptBudgetTokens: 8000,
  failureThreshold: 0.2,
  timeoutMs: 30_000,
};
const analyzer = createLlmAnalyzer({
  runtime: { settings, model: createLanguageModel(settings, {}), limiter: createRateLimiter(settings), counter: createTokenCounter() },
  rules: createRulesAnalyzer({ scoring: DEFAULT_SCORING, criticalPaths: [] }),
  budget: createRunBudget(settings),
  logger: silentLogger,
});

// Commits of a realistic size: a few source files of a few hundred changed lines each.
const person = { name: "Bench", email: "bench@example.com", date: "2026-01-17T08:00:00+08:00" };
const inputs = Array.from({ length: commits }, (_, index) => {
  const files = Array.from({ length: 4 }, (_, f) =>
    fileChange(`src/module_${f}/file_${index}.py`, ["@@ -0,0 +1,200 @@", ...Array.from({ length: 200 }, (_, n) => `+def fn_${index}_${f}_${n}(x): return x + ${n}`)], "added"),
  );
  const commit: Commit = {
    sha: index.toString(16).padStart(40, "0"),
    parents: [],
    author: person,
    committer: person,
    subject: `feat: add module functions ${index}`,
    body: "",
    files,
    patchBytesOmitted: 0,
  };
  return { commit, facts: extractFacts(commit, { criticalPaths: [], ignorePaths: [] }), lang: "zh-CN" as const };
});

// Warm up once (module loading, tokenizer ranks) outside the timing.
await analyzer.analyze(inputs[0]!);
const before = server.requests.length;
const started = performance.now();
const analyses = await Promise.all(inputs.map((input) => analyzer.analyze(input)));
const wallMs = performance.now() - started;
await server.close();

const idealMs = Math.ceil(commits / concurrency) * latencyMs;
const result = {
  commits,
  concurrency,
  latencyMs,
  calls: server.requests.length - before,
  maxConcurrent: server.maxConcurrent,
  fallbacks: analyses.filter((analysis) => analysis.llm?.fallback).length,
  idealMs,
  wallMs: Math.round(wallMs),
  ratio: +(wallMs / idealMs).toFixed(3),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
if (result.ratio > 1.3 || result.fallbacks > 0) {
  process.stderr.write(`bench: wall time ${result.ratio}x the ideal (target 1.3x), ${result.fallbacks} fallbacks\n`);
  process.exitCode = 1;
}
