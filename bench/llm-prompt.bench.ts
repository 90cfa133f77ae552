/**
 * node --import tsx bench/llm-prompt.bench.ts [<repo-path>] [--budget N] [--limit N]
 *
 * Over the first-parent history of a repository (default: this one), the prompt each
 * commit would send to a model at the prompt budget (default 8,000 tokens): instructions,
 * fenced message, facts, the rules' prior and the diff view, built by the analyzer's own
 * `buildCommitPrompt`, against the raw diff (every file's patch, joined) that a naive
 * prompt would send. Prints JSON: tokens per commit (median, p95, max) of both, the share
 * of prompts within the budget (must be 1), the share of prompts that carry every fact
 * (every file path, symbol, variable, flag, dependency and test name), and the share of
 * files the views show in full, clipped, by name only, or only as a count.
 */
import { openBenchRepo } from "./bench-repo.js";
import { performance } from "node:perf_hooks";
import { buildCommitPrompt } from "../src/analysis/llm/llm-analyzer.js";
import { createRulesAnalyzer } from "../src/analysis/rules/rules-analyzer.js";
import { DEFAULT_SCORING } from "../src/analysis/rules/weights.js";
import type { CommitFacts } from "../src/facts/types.js";
import { createTokenCounter } from "../src/analysis/llm/tokenizer.js";
import { extractFacts } from "../src/facts/extract-facts.js";
import { readHistoryFromGit } from "../src/sources/git/read-log.js";

const { options, repo, gitDir, tip } = await openBenchRepo({ budget: "8000", limit: "Infinity" });
const budget = Number(options.budget);
const limit = Number(options.limit);
const counter = createTokenCounter();
counter.count("warm up: load the ranks before timing");

const viewTokens: number[] = [];
const rawTokens: number[] = [];
const viewMs: number[] = [];
const files = { full: 0, clipped: 0, nameOnly: 0, countOnly: 0 };
const redactions: Record<string, number> = {};
let withinBudget = 0;
let allFactsPresent = 0;
const rules = createRulesAnalyzer({ scoring: DEFAULT_SCORING, criticalPaths: [] });
const sizing = { counter, settings: { promptBudgetTokens: budget } };

function namesOf(facts: CommitFacts): string[] {
  return [
    ...facts.files.map((file) => file.path),
    ...facts.symbols.map((symbol) => symbol.name),
    ...facts.surface.map((surface) => surface.name),
    ...facts.dependencies.map((dependency) => dependency.name),
    ...facts.tests.map((test) => test.name),
  ];
}
let rawOverBudget = 0;
for await (const commit of readHistoryFromGit(tip, { gitDir })) {
  if (viewTokens.length >= limit) break;
  const facts = extractFacts(commit, { criticalPaths: [], ignorePaths: [] });
  const started = performance.now();
  const input = { commit, facts, lang: "zh-CN" as const };
  const { view, built } = buildCommitPrompt(input, await rules.analyze(input), sizing);
  const promptTokens = counter.count(built.system) + counter.count(built.prompt);
  viewMs.push(performance.now() - started);
  const raw = counter.count(commit.files.map((file) => file.patch).join("\n"));
  viewTokens.push(promptTokens);
  rawTokens.push(raw);
  if (promptTokens <= budget) withinBudget += 1;
  if (namesOf(facts).every((name) => built.prompt.includes(name))) allFactsPresent += 1;
  if (raw > budget) rawOverBudget += 1;
  files.full += view.coverage.full.length;
  files.clipped += view.coverage.clipped.length;
  files.nameOnly += view.coverage.nameOnly.length;
  files.countOnly += commit.files.length - view.coverage.full.length - view.coverage.clipped.length - view.coverage.nameOnly.length;
  for (const [kind, n] of Object.entries(view.redactions)) redactions[kind] = (redactions[kind] ?? 0) + n;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
const spread = (values: readonly number[], digits = 0) => ({
  median: +percentile(values, 50).toFixed(digits),
  p95: +percentile(values, 95).toFixed(digits),
  max: +percentile(values, 100).toFixed(digits),
});
const share = (n: number, of: number) => (of === 0 ? 0 : +(n / of).toFixed(4));
const totalFiles = files.full + files.clipped + files.nameOnly + files.countOnly;
const result = {
  repository: repo,
  commits: viewTokens.length,
  budgetTokens: budget,
  promptTokens: spread(viewTokens),
  rawDiffTokens: spread(rawTokens),
  promptWithinBudget: share(withinBudget, viewTokens.length),
  everyFactPresent: share(allFactsPresent, viewTokens.length),
  rawDiffOverBudget: share(rawOverBudget, rawTokens.length),
  files: totalFiles,
  fileCoverage: {
    full: share(files.full, totalFiles),
    clipped: share(files.clipped, totalFiles),
    nameOnly: share(files.nameOnly, totalFiles),
    countOnly: share(files.countOnly, totalFiles),
  },
  redactions,
  promptBuildMs: spread(viewMs, 1),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
if (withinBudget !== viewTokens.length) {
  process.stderr.write(`bench: ${viewTokens.length - withinBudget} prompts went over the budget of ${budget} tokens\n`);
  process.exitCode = 1;
}
