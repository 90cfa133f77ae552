/**
 * Stage 3, analyse: one commit → one analysis, idempotent by its cache key (the analyzer,
 * the language, the options that change an answer, and what the analysis read of the PR),
 * so that a re-run, or a second worker given the same commit, asks no model again. The
 * repository's overview is written from the analyses alone, and kept under a key of
 * everything it was written from.
 */
import type { Analyzer, CommitAnalysis, Overview } from "../../analysis/types.js";
import type { PullRequestInfo } from "../../github/types.js";
import type { Lang } from "../../i18n/lang.js";
import type { Logger } from "../../logger.js";
import { SHORT_SHA_LENGTH } from "../../report/build-report.js";
import type { Store } from "../../store/types.js";
import { hasGaps, type CommitEntry } from "./collect.js";
import { hashOptions } from "./keys.js";

export interface AnalyseInput {
  repoId: number;
  entry: CommitEntry;
  pullRequest?: PullRequestInfo;
  analyzer: Analyzer;
  lang: Lang;
  /** Hash of the options that change an analysis (scoring, fact options, the LLM's settings). */
  optionsKey: string;
  /** The weekly digest: the newest stored analysis of the commit, whatever wrote it, comes first. */
  digest?: boolean;
}

/** What one analysis cost and how it went: summed by the orchestrator into the run's figures. */
export interface AnalysisTally {
  /** 1 when the analyzer ran (0: the store had it). */
  analysed: number;
  llm: { attempted: number; failed: number; spendCapped: number; input: number; output: number; reasons: string[] };
}

export interface Analysed {
  analysis: CommitAnalysis;
  tally: AnalysisTally;
}

export function emptyTally(): AnalysisTally {
  return { analysed: 0, llm: { attempted: 0, failed: 0, spendCapped: 0, input: 0, output: 0, reasons: [] } };
}

export function addTally(into: AnalysisTally, tally: AnalysisTally): AnalysisTally {
  into.analysed += tally.analysed;
  const { llm } = into;
  llm.attempted += tally.llm.attempted;
  llm.failed += tally.llm.failed;
  llm.spendCapped += tally.llm.spendCapped;
  llm.input += tally.llm.input;
  llm.output += tally.llm.output;
  llm.reasons.push(...tally.llm.reasons);
  return into;
}

/** The key under which an analysis of this input is stored. */
export function analysisKey(input: Pick<AnalyseInput, "entry" | "pullRequest" | "analyzer" | "lang" | "optionsKey">) {
  const pullRequest = promptPullRequest(input.pullRequest);
  // What the analysis read of the PR is part of its key: a PR found later means a new analysis.
  return {
    sha: input.entry.commit.sha,
    analyzer: input.analyzer.id,
    lang: input.lang,
    optionsKey: pullRequest ? hashOptions({ optionsKey: input.optionsKey, pullRequest }) : input.optionsKey,
  };
}

function promptPullRequest(pr: PullRequestInfo | undefined) {
  return pr ? { number: pr.number, title: pr.title, body: pr.body, labels: pr.labels } : undefined;
}

export async function analyseCommit(input: AnalyseInput, deps: { store: Store; logger: Logger }): Promise<Analysed> {
  const { store, logger } = deps;
  const { entry, analyzer, lang } = input;
  const tally = emptyTally();
  if (input.digest) {
    const kept = await store.latestAnalysis(input.repoId, entry.commit.sha, lang);
    if (kept) return { analysis: kept, tally };
  }
  const key = analysisKey(input);
  const cached = await store.getAnalysis(input.repoId, key);
  if (cached) return { analysis: cached, tally };
  const pullRequest = promptPullRequest(input.pullRequest);
  const analysis = await analyzer.analyze({ commit: entry.commit, facts: entry.facts, lang, ...(pullRequest ? { pullRequest } : {}) });
  const llm = analysis.llm;
  logger.debug(
    { sha: entry.commit.sha.slice(0, 12), importance: analysis.importance, score: analysis.score, ...(llm ? { tokens: llm.usage, fallback: llm.fallback?.reason } : {}) },
    "analysed",
  );
  tally.analysed = 1;
  if (llm) {
    tally.llm.input = llm.usage.input;
    tally.llm.output = llm.usage.output;
    if (llm.fallback?.reason === "spend-cap") tally.llm.spendCapped = 1;
    else tally.llm.attempted = 1;
    if (llm.fallback?.reason === "failed") {
      tally.llm.failed = 1;
      tally.llm.reasons.push(llm.fallback.detail);
    }
  }
  // A fallback is not the model's answer: left uncached, so that the next run asks again; nor
  // is an analysis of a commit read with gaps (not stored either), made from part of it.
  if (!llm?.fallback && !hasGaps(entry)) await store.saveAnalysis(input.repoId, key, analysis);
  return { analysis, tally };
}

/**
 * The repository's overview, from the analyses only, kept in the store under a key of
 * everything it was written from: the same day asks the model once.
 */
export async function overviewOf(
  input: { analyzer: Analyzer; repo: string; lang: Lang; optionsKey: string; commits: ReadonlyArray<{ commit: CommitEntry["commit"]; analysis: CommitAnalysis }> },
  deps: { store: Store; onStart?: () => void },
): Promise<Overview | undefined> {
  const { analyzer, repo, lang, optionsKey, commits } = input;
  if (!analyzer.overview || commits.length === 0) return undefined;
  const request = {
    repo,
    lang,
    commits: commits.map(({ commit, analysis }) => ({ sha: commit.sha, shortSha: commit.sha.slice(0, SHORT_SHA_LENGTH), title: commit.subject, analysis })),
  };
  // A commit that fell back to the rules this run makes a different overview next run.
  const key = hashOptions({ analyzer: analyzer.id, optionsKey, lang, repo, commits: request.commits.map((c) => [c.sha, c.analysis.analyzer]) });
  const cached = await deps.store.getCached<Overview>("overview", key);
  if (cached) return cached.value;
  deps.onStart?.();
  const overview = await analyzer.overview(request);
  if (overview) await deps.store.putCached("overview", key, overview);
  return overview;
}
