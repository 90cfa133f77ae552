/**
 * Does a commit of the report belong to a subscription? Every condition of the filter must
 * hold (a list holds when any of its items does); each is read from what the report already
 * states about the commit, its facts and its analysis, never guessed from words alone.
 */
import picomatch from "picomatch";
import { classifyPublicApi, listApiBreaks, listDependencies, listFlagBreaks, listSettings } from "../analysis/rules/fact-queries.js";
import { IMPORTANCE_ORDER } from "../analysis/types.js";
import { isBotAuthor } from "../facts/parse-message.js";
import type { ReportCommit } from "../report/types.js";
import type { SubscriptionFilterInput } from "./subscription-config.js";

/**
 * The rules' reasons that say a commit breaks callers (src/analysis/rules/weights.ts): the
 * author declared it (`!`, `BREAKING CHANGE:`, a `breaking` PR label or PR-body line), or public
 * API, a flag or a setting users relied on was removed. The LLM analyzer keeps these reasons.
 */
const BREAKING_REASONS: ReadonlySet<string> = new Set(["breaking-change", "api-break", "cli-break", "setting-removed"]);

export type CommitPredicate = (commit: ReportCommit, repoName: string) => boolean;

/** True when the commit of `repoName` matches every condition of the filter. */
export function matchCommit(filter: SubscriptionFilterInput, commit: ReportCommit, repoName: string): boolean {
  return compileFilter(filter)(commit, repoName);
}

/** The repository condition alone: is `repoName` one the filter covers? */
export function matchRepo(filter: Pick<SubscriptionFilterInput, "repos">, repoName: string): boolean {
  return filter.repos === undefined || picomatch.isMatch(repoName, filter.repos, { nocase: true, dot: true });
}

/** The filter as one predicate, its globs compiled once (a report has many commits). */
export function compileFilter(filter: SubscriptionFilterInput): CommitPredicate {
  const conditions: CommitPredicate[] = [];
  if (filter.repos) {
    const repo = picomatch(filter.repos, { nocase: true, dot: true });
    conditions.push((_commit, repoName) => repo(repoName));
  }
  if (filter.paths || filter.excludePaths) {
    // Paths are case-sensitive, as git's are.
    const included = filter.paths ? picomatch(filter.paths, { dot: true }) : () => true;
    const excluded = filter.excludePaths ? picomatch(filter.excludePaths, { dot: true }) : () => false;
    conditions.push((commit) => changedPaths(commit).some((path) => !excluded(path) && included(path)));
  }
  if (filter.minImportance) {
    const lowest = IMPORTANCE_ORDER.indexOf(filter.minImportance);
    conditions.push((commit) => IMPORTANCE_ORDER.indexOf(commit.importance) <= lowest);
  }
  if (filter.types) {
    const types = new Set<string>(filter.types);
    conditions.push((commit) => types.has(commit.changeType));
  }
  if (filter.labels) {
    const labels = new Set(filter.labels.map((label) => label.toLowerCase()));
    conditions.push((commit) => (commit.pullRequest?.labels ?? []).some((label) => labels.has(label.toLowerCase())));
  }
  if (filter.keywords) {
    const keywords = filter.keywords.map((keyword) => keyword.toLowerCase());
    conditions.push((commit) => {
      const haystack = searchableText(commit).toLowerCase();
      return keywords.some((keyword) => haystack.includes(keyword));
    });
  }
  if (filter.authors) {
    const patterns = filter.authors.map((author) => author.toLowerCase());
    const glob = picomatch(patterns, { nocase: true, dot: true });
    conditions.push((commit) => authorsOf(commit).some((who) => patterns.includes(who.toLowerCase()) || glob(who)));
  }
  if (!filter.bots) conditions.push((commit) => !isBot(commit));
  // "Breaking changes and dependency bumps": the two kinds together select either.
  const kinds: CommitPredicate[] = [];
  if (filter.breaking) kinds.push(isBreaking);
  if (filter.dependencies) kinds.push(changesDependencies);
  if (kinds.length > 0) conditions.push((commit, repoName) => kinds.some((kind) => kind(commit, repoName)));
  if (filter.affects) {
    const labels = filter.affects === true ? undefined : new Set(filter.affects.map(normaliseLabel));
    conditions.push((commit) =>
      (commit.affects ?? []).some((item) => item.breaking && (labels === undefined || item.uses.some((use) => labels.has(normaliseLabel(use.label))))),
    );
  }
  return (commit, repoName) => conditions.every((condition) => condition(commit, repoName));
}

/** `../svc/` and `../svc` name one folder. */
function normaliseLabel(label: string): string {
  return label.replace(/\/+$/, "");
}

/** Every path the commit changes, and the old path of each rename or copy. */
function changedPaths(commit: ReportCommit): string[] {
  return commit.facts.files.flatMap((file) => (file.oldPath !== undefined && file.oldPath !== file.path ? [file.path, file.oldPath] : [file.path]));
}

function searchableText(commit: ReportCommit): string {
  const { narrative, reasons, notes } = commit.analysis;
  return [
    commit.title,
    commit.body,
    commit.pullRequest?.title ?? "",
    narrative.summary,
    ...narrative.impact,
    ...narrative.insights.flatMap((insight) => insight.points),
    ...narrative.risks,
    ...narrative.recommendations.map((recommendation) => recommendation.text),
    ...reasons.map((reason) => reason.text),
    ...notes,
  ].join("\n");
}

function authorsOf(commit: ReportCommit): string[] {
  return [commit.author.name, commit.author.email, ...(commit.pullRequest?.author ? [commit.pullRequest.author] : [])].filter((who) => who !== "");
}

/** The facts' verdict on the author, and a PR opened by a bot account (`renovate[bot]`) merged by a person. */
function isBot(commit: ReportCommit): boolean {
  const prAuthor = commit.pullRequest?.author;
  return commit.facts.message.isBot || (prAuthor !== undefined && isBotAuthor({ name: prAuthor, email: "" }));
}

/**
 * Breaking by the analysis's reasons, or by the facts themselves (a rule switched off with a
 * weight of 0 gives no reason, yet the API still broke).
 */
export function isBreaking(commit: ReportCommit): boolean {
  const { facts } = commit;
  return (
    commit.analysis.reasons.some((reason) => BREAKING_REASONS.has(reason.code)) ||
    facts.message.breaking ||
    (commit.pullRequest?.labels ?? []).some((label) => /breaking/i.test(label)) ||
    listApiBreaks(classifyPublicApi(facts)).length > 0 ||
    listFlagBreaks(facts).length > 0 ||
    listSettings(facts, "removed").length > 0
  );
}

/** A third-party dependency added, removed or moved (the project's own packages' version pins are a release, not a bump). */
export function changesDependencies(commit: ReportCommit): boolean {
  return listDependencies(commit.facts).some((dependency) => !dependency.internal);
}
