/**
 * A commit as search and trends see it (the store's SearchEntry), derived from what the
 * earlier stages made: the commit, its facts, its analysis and its PR. Pure. Every field
 * says only what the facts say, through the same questions the rules analyzer asks of them
 * (src/analysis/rules/fact-queries.ts), so that search, trends and the report count the same
 * things; the one place they part is a public name that only changed kind (see publicApiOf).
 */
import type { AffectedUse } from "../../usage/types.js";
import {
  classifyPublicApi,
  listApiBreaks,
  listDependencies,
  listFlagBreaks,
  listProductFiles,
  type PublicApiChanges,
} from "../../analysis/rules/fact-queries.js";
import { withPullRequest } from "../../analysis/rules/rules-analyzer.js";
import type { CommitAnalysis } from "../../analysis/types.js";
import { isBotAuthor } from "../../facts/parse-message.js";
import type { CommitFacts, SurfaceKind, SymbolChange } from "../../facts/types.js";
import type { PullRequestInfo } from "../../github/types.js";
import type { Lang } from "../../i18n/lang.js";
import type { Commit } from "../../sources/types.js";
import type { SearchEntry } from "../../store/types.js";
import { hasGaps, type CommitEntry } from "./collect.js";

export interface SearchEntryInput {
  commit: Commit;
  facts: CommitFacts;
  analysis: CommitAnalysis;
  /** The PR behind the commit, where GitHub was asked. */
  pullRequest?: Pick<PullRequestInfo, "number" | "title" | "body" | "labels">;
  lang: Lang;
}

export function toSearchEntry(input: SearchEntryInput): SearchEntry {
  const { commit, analysis, pullRequest, lang } = input;
  // Read with its PR, as the analysis reads it: a "breaking" label or a BREAKING CHANGE line there declares the break.
  const facts = withPullRequest(input.facts, pullRequest);
  const api = publicApiOf(facts);
  // A rename takes the old name away from callers and gives them a new one.
  const added = [...api.added, ...api.renamed];
  const removed = [...api.removed, ...api.renamed];
  const prNumber = pullRequest?.number ?? facts.message.prNumber;
  // Without GitHub, the PR title a merge commit's body carries is still the PR's own words.
  const prTitle = pullRequest?.title ?? facts.message.prTitle;
  return {
    sha: commit.sha,
    // UTC, so that ranges and days compare as strings whatever offset the committer had.
    committedAt: new Date(commit.committer.date).toISOString(),
    author: commit.author.name,
    bot: isBotAuthor(commit.author),
    title: commit.subject,
    body: commit.body,
    ...(prNumber === undefined ? {} : { prNumber }),
    ...(prTitle === undefined ? {} : { prTitle }),
    ...(pullRequest ? { prBody: pullRequest.body } : {}),
    labels: [...(pullRequest?.labels ?? [])],
    lang,
    importance: analysis.importance,
    changeType: analysis.changeType,
    analysisText: analysisTextOf(analysis),
    paths: unique(facts.files.flatMap((file) => (file.status === "renamed" && file.oldPath ? [file.oldPath, file.path] : [file.path]))),
    // Largest first, as the facts rank them; then those of ignored files, which the ranking leaves out.
    modules: unique([...facts.modules, ...facts.files.map((file) => file.module)]),
    symbols: publicSymbolNames(api),
    envVars: surfaceNames(facts, "env-var"),
    flags: surfaceNames(facts, "cli-flag"),
    configKeys: surfaceNames(facts, "config-key"),
    dependencies: unique(listDependencies(facts).map((dependency) => dependency.name)),
    apiAdded: added.length,
    apiRemoved: removed.length,
    breaking: facts.message.breaking || listApiBreaks(api).length > 0 || listFlagBreaks(facts).length > 0,
    churn: churnByModule(facts),
  };
}

/**
 * The facts' public API changes, with one correction: a name removed as one kind and added
 * as another in the same commit (`typedef enum {…} nixl_mem_t;` → `enum nixl_mem_t {…};`,
 * ai-dynamo/nixl 242e4ea9) still exists for callers, so it counts as changed, not as one
 * API removed and one added, and breaks nothing by itself.
 */
function publicApiOf(facts: CommitFacts): PublicApiChanges {
  const api = classifyPublicApi(facts);
  const added = new Set(api.added.map((symbol) => symbol.name));
  const kept = new Set(api.removed.filter((symbol) => added.has(symbol.name)).map((symbol) => symbol.name));
  if (kept.size === 0) return api;
  const isKept = (symbol: SymbolChange) => kept.has(symbol.name);
  return {
    ...api,
    added: api.added.filter((symbol) => !isKept(symbol)),
    removed: api.removed.filter((symbol) => !isKept(symbol)),
    modified: [...api.modified, ...api.added.filter(isKept)],
  };
}

/**
 * Public API the commit added, removed, changed (code or signature) or renamed (both
 * names: a search for the old one finds the rename). Moves are left out: the name and
 * its code stay as they were. `exported` is the facts' own verdict: declared public, in a
 * file users import, of product code (never tests, examples or private helpers).
 */
function publicSymbolNames(api: PublicApiChanges): string[] {
  const names: string[] = [];
  for (const symbol of [...api.added, ...api.removed, ...api.signature, ...api.modified]) names.push(symbol.name);
  for (const symbol of api.renamed) {
    if (symbol.from?.name) names.push(symbol.from.name);
    names.push(symbol.name);
  }
  return unique(names);
}

/**
 * Every name of this kind the facts found changed, wherever it is read or set (product,
 * tests, CI, benchmarks, a Dockerfile's ENV): each is a true "this commit changes X", and a
 * maintainer asking where UCX_TLS was changed wants the CI script too. A rename gives both names.
 */
function surfaceNames(facts: CommitFacts, kind: SurfaceKind): string[] {
  const names: string[] = [];
  for (const entry of facts.surface) {
    if (entry.kind !== kind) continue;
    if (entry.detail?.renamedFrom) names.push(entry.detail.renamedFrom);
    names.push(entry.name);
  }
  return unique(names);
}

/**
 * Lines added and deleted in product code (source, shipped config and data; not tests,
 * docs, CI, lockfiles, ignored or whitespace-only files), per module, largest first.
 */
function churnByModule(facts: CommitFacts): SearchEntry["churn"] {
  const lines = new Map<string, number>();
  for (const file of listProductFiles(facts)) lines.set(file.module, (lines.get(file.module) ?? 0) + file.additions + file.deletions);
  return [...lines]
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([module, count]) => ({ module, lines: count }));
}

/** The narrative's words a reader searches: what it does, what it touches, its risks and what to do. */
function analysisTextOf(analysis: CommitAnalysis): string {
  const { summary, impact, risks, recommendations } = analysis.narrative;
  return [summary, ...impact, ...risks, ...recommendations.map((item) => item.text)].filter((text) => text.trim() !== "").join("\n");
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value !== ""))];
}

/**
 * The period's commits of one repository as the store indexes them, in the report's
 * language. A commit read with gaps (files missing from the clone) is left out, as the
 * store leaves out its facts and its analysis: its counts of API removed or lines changed
 * would be claims about files nobody read. Once the clone is repaired, the next run reads
 * it whole and indexes it.
 */
export function searchEntriesOf(input: {
  entries: readonly CommitEntry[];
  analyses: readonly CommitAnalysis[];
  pullRequests: ReadonlyMap<string, PullRequestInfo>;
  lang: Lang;
  /** What each commit changes of the user's uses (`usedBy:`), by SHA. */
  affects?: ReadonlyMap<string, readonly AffectedUse[]>;
}): SearchEntry[] {
  const out: SearchEntry[] = [];
  for (const [index, entry] of input.entries.entries()) {
    if (hasGaps(entry)) continue;
    const pullRequest = input.pullRequests.get(entry.commit.sha);
    const indexed = toSearchEntry({ ...entry, analysis: input.analyses[index]!, lang: input.lang, ...(pullRequest ? { pullRequest } : {}) });
    // The folders whose code it can break: what "affects my code" in the web app finds.
    const labels = [...new Set((input.affects?.get(entry.commit.sha) ?? []).filter((item) => item.breaking).flatMap((item) => item.uses.map((use) => use.label)))].sort();
    out.push(labels.length > 0 ? { ...indexed, affects: labels } : indexed);
  }
  return out;
}
