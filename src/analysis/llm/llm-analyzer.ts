import pLimit, { type LimitFunction } from "p-limit";
import { isKnownError } from "../../errors.js";
import { pick, type Lang } from "../../i18n/lang.js";
import type { Logger } from "../../logger.js";
import { buildDiffView, groupForMapReduce } from "./diff-view.js";
import type { DiffCoverage, DiffView, LlmAnswer, TokenUsage } from "./types.js";
import type { AnalysisInput, Analyzer, AnalyzerId, CommitAnalysis, Importance, LlmDetails } from "../types.js";
import { depthFor, schemaFor, toLlmAnswer } from "./answer-schema.js";
import { askStructured, type ModelRuntime, type StructuredRequest } from "./ask-structured.js";
import { checkAnswer } from "./check-answer.js";
import { writeOverview } from "./overview.js";
import { applyImportanceFloor } from "./importance-floor.js";
import { buildPrompt, PROMPT_VERSION } from "./prompt.js";
import type { RunBudget } from "./run-budget.js";

/** The least diff a prompt gets, even when the message and facts are long. */
const MIN_DIFF_TOKENS = 500;
/** Tokens kept free of the budget: the nonce and the provider's message framing. */
const FRAMING_TOKENS = 64;
/** A commit whose view leaves this many files by name only is analysed per module group. */
const MAP_REDUCE_MIN_NAME_ONLY = 20;
/** Groups analysed one by one at most; the files of the rest stay listed by name. */
const MAX_GROUPS = 12;

export interface LlmAnalyzerOptions {
  runtime: ModelRuntime;
  /** The rules analyzer: its analysis is the model's prior and the fallback. */
  rules: Analyzer;
  budget: RunBudget;
  logger: Logger;
}

/**
 * Analyses a commit with a model: a budgeted, redacted view of the diff and the facts
 * go out as fenced data; a structured answer comes back, is validated and checked
 * against the commit, and becomes the analysis. Whatever goes wrong, the commit gets
 * the rules analysis with one line saying so, and that fallback is never cached, so
 * the next run asks again.
 */
const SLOTS = new WeakMap<object, LimitFunction>();

/** One concurrency limit per model runtime, that is per run. */
function slotsOf(runtime: LlmAnalyzerOptions["runtime"]): LimitFunction {
  let slots = SLOTS.get(runtime);
  if (!slots) SLOTS.set(runtime, (slots = pLimit(runtime.settings.concurrency)));
  return slots;
}

export function createLlmAnalyzer(options: LlmAnalyzerOptions): Analyzer {
  const { runtime, rules, budget, logger } = options;
  const { settings } = runtime;
  const id: AnalyzerId = { name: "llm", version: `${PROMPT_VERSION}+${settings.provider}:${settings.model}` };
  // Every call holds one slot, the map calls of a large commit as much as a whole small
  // commit's, so that its parts run side by side within the limit, never in one slot. The
  // slots are the run's, not this analyzer's: repositories analysed side by side (one
  // analyzer each) share `llm.concurrency`.
  const limit = slotsOf(runtime);

  async function answerFor(input: AnalysisInput, prior: CommitAnalysis, usage: TokenUsage) {
    const onUsage = (spent: TokenUsage) => {
      usage.input += spent.input;
      usage.output += spent.output;
      return budget.add(spent);
    };
    // The spend cap is read when a call's turn comes, after the calls before it were counted.
    const ask = (request: StructuredRequest) =>
      limit(async () => {
        if (await budget.exhausted()) throw new SpendCapReached();
        return askStructured(runtime, request);
      });
    const { depth, base, diffBudget, view, built: single } = buildCommitPrompt(input, prior, runtime);
    const groups =
      view.coverage.nameOnly.length >= MAP_REDUCE_MIN_NAME_ONLY
        ? groupForMapReduce(input.commit, input.facts, { budgetTokens: diffBudget, counter: runtime.counter })
        : [];
    if (groups.length < 2) {
      const { output } = await ask({ ...single, schema: schemaFor(depth), onUsage });
      return { answer: toLlmAnswer(depth, output, prior.changeType), coverage: view.coverage };
    }

    // Map: each module group on its own, within the same budget; then reduce from their answers.
    const shown = interleaveModules(groups).slice(0, MAX_GROUPS);
    const views: DiffView[] = shown.map((group) =>
      buildDiffView(input.commit, input.facts, { budgetTokens: diffBudget, counter: runtime.counter, files: group.files }),
    );
    const parts = await Promise.all(
      shown.map(async (group, index) => {
        const built = buildPrompt({
          ...base,
          depth: "short",
          diffView: views[index]!.text,
          part: { index: index + 1, count: shown.length, module: group.module },
        });
        const { output } = await ask({ ...built, schema: schemaFor("short"), onUsage });
        return describePart(group.module, group.files.length, toLlmAnswer("short", output, prior.changeType));
      }),
    );
    const groupAnalyses = parts.join("\n\n");
    const listing = buildDiffView(input.commit, input.facts, {
      budgetTokens: fitDiffBudget(buildPrompt({ ...base, depth, diffView: "", groupAnalyses }), runtime),
      counter: runtime.counter,
    });
    const built = buildPrompt({ ...base, depth, diffView: listing.text, groupAnalyses });
    const { output } = await ask({ ...built, schema: schemaFor(depth), onUsage });
    return { answer: toLlmAnswer(depth, output, prior.changeType), coverage: mergeCoverage(views, input.commit.files.map((f) => f.path)) };
  }

  async function analyzeWithModel(input: AnalysisInput, prior: CommitAnalysis): Promise<CommitAnalysis> {
    const usage = { input: 0, output: 0 };
    try {
      // Inside the try: a shared budget that cannot be read fails this commit, not the run.
      if (await budget.exhausted()) return fallback(prior, input.lang, "spend-cap", "spend cap reached", settings.model);
      const { answer, coverage } = await answerFor(input, prior, usage);
      const checked = checkAnswer(answer, {
        facts: input.facts,
        diffText: input.commit.files.map((file) => file.patch).join("\n"),
        message: input.commit.body ? `${input.commit.subject}\n\n${input.commit.body}` : input.commit.subject,
        ...(input.pullRequest ? { pullRequestText: `${input.pullRequest.title}\n${input.pullRequest.body}` } : {}),
        lang: input.lang,
      });
      if (checked.report.ungrounded.length > 0) {
        logger.debug({ sha: input.commit.sha.slice(0, 12), ungrounded: checked.report.ungrounded }, "removed ungrounded names");
      }
      return toAnalysis(input, prior, checked.answer, {
        model: settings.model,
        usage,
        coverage,
        ungrounded: checked.report.ungrounded,
        opinions: {
          rules: { importance: prior.importance, score: prior.score },
          model: { importance: answer.importance, reasons: checked.answer.importanceReasons },
        },
      });
    } catch (error) {
      if (error instanceof SpendCapReached) return fallback(prior, input.lang, "spend-cap", "spend cap reached", settings.model, usage);
      const detail = isKnownError(error) ? error.message : String(error);
      // Each failure in the verbose log; the run sums them up in one line (report-command).
      logger.debug({ sha: input.commit.sha.slice(0, 12), reason: detail }, "LLM analysis failed; using the rules analysis");
      return fallback(prior, input.lang, "failed", detail, settings.model, usage);
    }
  }

  function toAnalysis(input: AnalysisInput, prior: CommitAnalysis, answer: LlmAnswer, details: LlmDetails): CommitAnalysis {
    const coverage = coverageNote(details.coverage, input.lang);
    const floor = applyImportanceFloor(prior, answer.importance, answer.importanceReasons);
    const held = floor.heldBy.length > 0 ? floorNote(input.lang, answer.importance, prior.importance) : undefined;
    const notes = [...prior.notes, ...(coverage ? [coverage] : []), ...(held ? [held] : [])];
    return {
      sha: input.commit.sha,
      analyzer: id,
      lang: input.lang,
      changeType: answer.changeType,
      // The model proposes, with reasons; the rules' findings hold a floor (importance-floor.ts). Both opinions stay in `llm.opinions`.
      importance: floor.importance,
      score: prior.score,
      // The rules' reasons stay: they are the grounded, weighted part of the verdict.
      reasons: prior.reasons,
      narrative: {
        // A summary the checks emptied is worth less than the rules' plain one.
        summary: answer.summary || prior.narrative.summary,
        impact: answer.impact,
        insights: answer.insights,
        risks: answer.risks,
        recommendations: answer.recommendations,
      },
      notes,
      llm: details,
    };
  }

  return {
    id,
    async analyze(input: AnalysisInput): Promise<CommitAnalysis> {
      const prior = await rules.analyze(input);
      return analyzeWithModel(input, prior);
    },
    async overview(input) {
      // Written from the model's analyses; when none came through, there is nothing to write from.
      const fromModel = input.commits.some((commit) => commit.analysis.llm && !commit.analysis.llm.fallback);
      if (!fromModel) return undefined;
      try {
        if (await budget.exhausted()) return undefined;
        return await limit(() => writeOverview(runtime, input, (spent) => budget.add(spent)));
      } catch (error) {
        logger.warn({ repo: input.repo, reason: isKnownError(error) ? error.message : String(error) }, "LLM overview failed; the report goes without it");
        return undefined;
      }
    },
  };
}

/** A call's turn came after the run's spend cap was reached: the commit gets the rules analysis. */
class SpendCapReached extends Error {}

type PromptSizing = Pick<ModelRuntime, "counter"> & { settings: Pick<ModelRuntime["settings"], "promptBudgetTokens"> };

/**
 * The prompt of one commit, within the budget: the diff view gets what the message,
 * facts, prior and instructions leave. Exported for bench:llm, which measures it.
 */
export function buildCommitPrompt(input: AnalysisInput, prior: CommitAnalysis, sizing: PromptSizing) {
  const depth = depthFor(prior.importance);
  const base = {
    lang: input.lang,
    commit: input.commit,
    facts: input.facts,
    rulesAnalysis: prior,
    ...(input.pullRequest ? { pullRequest: input.pullRequest } : {}),
  };
  const diffBudget = fitDiffBudget(buildPrompt({ ...base, depth, diffView: "" }), sizing);
  const view = buildDiffView(input.commit, input.facts, { budgetTokens: diffBudget, counter: sizing.counter });
  return { depth, base, diffBudget, view, built: buildPrompt({ ...base, depth, diffView: view.text }) };
}

function fitDiffBudget(skeleton: { system: string; prompt: string }, sizing: PromptSizing): number {
  const overhead = sizing.counter.count(skeleton.system) + sizing.counter.count(skeleton.prompt) + FRAMING_TOKENS;
  return Math.max(MIN_DIFF_TOKENS, sizing.settings.promptBudgetTokens - overhead);
}

/** Groups taken module by module in turn, so that a cap on the calls leaves no module unseen. */
function interleaveModules<T extends { module: string }>(groups: readonly T[]): T[] {
  const byModule = new Map<string, T[]>();
  for (const group of groups) byModule.set(group.module, [...(byModule.get(group.module) ?? []), group]);
  const queues = [...byModule.values()];
  const out: T[] = [];
  for (let round = 0; out.length < groups.length; round++) {
    for (const queue of queues) if (queue[round]) out.push(queue[round]!);
  }
  return out;
}

function describePart(module: string, files: number, answer: LlmAnswer): string {
  return [
    `module ${module} (${files} files): ${answer.summary}`,
    ...answer.impact.map((item) => `- impact: ${item}`),
    ...answer.risks.map((item) => `- risk: ${item}`),
  ].join("\n");
}

/** What the map step's views showed, and every other file of the commit by name only. */
function mergeCoverage(views: readonly DiffView[], allPaths: readonly string[]): DiffCoverage {
  const full = new Set(views.flatMap((view) => view.coverage.full));
  const clipped = new Set(views.flatMap((view) => view.coverage.clipped).filter((path) => !full.has(path)));
  const nameOnly = allPaths.filter((path) => !full.has(path) && !clipped.has(path));
  return { full: [...full], clipped: [...clipped], nameOnly };
}

function fallback(
  prior: CommitAnalysis,
  lang: Lang,
  reason: "failed" | "spend-cap",
  detail: string,
  model: string,
  usage: TokenUsage = { input: 0, output: 0 },
): CommitAnalysis {
  const note =
    reason === "failed"
      ? pick(lang, {
          "zh-CN": `LLM 分析失败（${detail}），本条使用规则分析；下次运行会重试。`,
          en: `LLM analysis failed (${detail}); this entry uses the rules analysis, and the next run retries.`,
        })
      : pick(lang, {
          "zh-CN": "已达本次运行的花费上限，本条使用规则分析。",
          en: "The run's spend cap was reached; this entry uses the rules analysis.",
        });
  return {
    ...prior,
    notes: [...prior.notes, note],
    llm: {
      model,
      usage,
      coverage: { full: [], clipped: [], nameOnly: [] },
      ungrounded: [],
      opinions: { rules: { importance: prior.importance, score: prior.score } },
      fallback: { reason, detail },
    },
  };
}

/** One line under the commit when the model did not see everything. */
function coverageNote(coverage: DiffCoverage, lang: Lang): string | undefined {
  const clipped = coverage.clipped.length;
  const nameOnly = coverage.nameOnly.length;
  if (clipped === 0 && nameOnly === 0) return undefined;
  return pick(lang, {
    "zh-CN": `模型只看到部分差异：${clipped} 个文件被截取，${nameOnly} 个文件仅列出文件名。`,
    en: `The model saw part of the diff: ${clipped} file(s) clipped, ${nameOnly} by name only.`,
  });
}

const TIER_NAMES = { "zh-CN": { high: "高", medium: "中", low: "低" }, en: { high: "high", medium: "medium", low: "low" } } as const;

/** Why the shown tier is the rules' and not the model's. */
function floorNote(lang: Lang, model: Importance, kept: Importance): string {
  const names = TIER_NAMES[lang];
  return lang === "zh-CN"
    ? `模型评为${names[model]}，但规则发现了破坏性变更、公开接口删除或安全相关代码，且模型没有给出针对这些发现的理由，因此保持${names[kept]}。`
    : `The model rated it ${names[model]}; it stays ${names[kept]}: the rules found a breaking change, removed public API or security-sensitive code, and the model gave no reason that addresses it.`;
}
