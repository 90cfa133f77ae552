/**
 * Puts the analysed commits of every repository into the report model: ordered,
 * counted, with times in the report's zone. Renderers only lay this out.
 */
import { DateTime } from "luxon";
import type { CommitAnalysis } from "../analysis/types.js";
import { ConfigError, InternalError } from "../errors.js";
import type { CommitFacts, FileKind } from "../facts/types.js";
import type { Lang } from "../i18n/lang.js";
import type { Commit } from "../sources/types.js";
import type { PullRequestContext, RepoActivity, RepoOverview, RepoReport, Report, ReportCommit, ReportPeriod } from "./types.js";
import { REPORT_SCHEMA_VERSION } from "./types.js";
import { isLifted } from "../usage/match-usage.js";
import type { AffectedUse, UsageSummary } from "../usage/types.js";

export const SHORT_SHA_LENGTH = 7;

export interface AnalysedCommit {
  commit: Commit;
  facts: CommitFacts;
  analysis: CommitAnalysis;
  links: { commit?: string; pullRequest?: string };
  pullRequest?: PullRequestContext;
  /** What it changes of the user's uses (match-usage.ts); absent or empty when nothing. */
  affects?: AffectedUse[];
}

export interface RepoInput {
  name: string;
  webUrl?: string;
  branch: string;
  notices: string[];
  commits: AnalysedCommit[];
  overview?: RepoOverview;
  activity?: RepoActivity;
  usage?: UsageSummary[];
}

export interface BuildReportInput {
  lang: Lang;
  period: ReportPeriod;
  generatedAt: Date;
  version: string;
  repos: RepoInput[];
  notices: string[];
  /** The weekly digest: per-day counts for each repository. */
  digest?: boolean;
  llmUsage?: Report["llmUsage"];
}

export function buildReport(input: BuildReportInput): Report {
  assertTimeZone(input.period.timezone);
  const repos = input.repos.map((repo) => {
    const built = buildRepoReport({ ...repo, commits: pairReverts(repo.commits, input.lang) }, input.period.timezone);
    return input.digest ? { ...built, days: countByDay(built.commits, input.period) } : built;
  });
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    lang: input.lang,
    period: { ...input.period },
    generatedAt: input.generatedAt.toISOString(),
    generator: { name: "repo-digest", version: input.version },
    repos,
    overview: overviewOf(repos),
    notices: [...input.notices],
    ...(input.llmUsage ? { llmUsage: input.llmUsage } : {}),
    ...(input.digest ? { kind: "digest" as const } : {}),
  };
}

/** The overview across repositories: what they hold, counted (a subscription's filtered report recounts with it too). */
export function overviewOf(repos: readonly RepoReport[]): Report["overview"] {
  const counts = countByImportance(repos.flatMap((repo) => repo.commits));
  return {
    repos: repos.length,
    commits: repos.reduce((sum, repo) => sum + repo.commits.length, 0),
    counts: { high: counts.high, medium: counts.medium, low: counts.low },
    highlights: selectHighlights(repos),
    ...affectsYouOf(repos),
  };
}

/** Commits that can break the user's code, newest first; absent when no repository has a used-by index. */
function affectsYouOf(repos: readonly RepoReport[]): Pick<Report["overview"], "affectsYou"> {
  if (!repos.some((repo) => repo.usage !== undefined)) return {};
  const lifted = repos.flatMap((repo) => repo.commits.filter((commit) => isLifted(commit.affects)).map((commit) => ({ repo: repo.name, commit })));
  lifted.sort((a, b) => Date.parse(b.commit.committedAt) - Date.parse(a.commit.committedAt));
  return {
    affectsYou: lifted.map(({ repo, commit }) => ({
      repo,
      sha: commit.sha,
      shortSha: commit.shortSha,
      title: commit.title,
      names: [...new Set(commit.affects!.filter((item) => item.breaking).map((item) => item.name))],
    })),
  };
}

const REVERT_NOTES = {
  "zh-CN": {
    reverted: (sha: string) => `本期的 ${sha} 撤销了这个提交：两者相互抵消。`,
    reverts: (sha: string) => `撤销本期的 ${sha}：两者相互抵消。`,
    reason: (sha: string) => `与同期的 \`${sha}\` 相互抵消，定为低`,
  },
  en: {
    reverted: (sha: string) => `Reverted by ${sha} in this period: together they change nothing.`,
    reverts: (sha: string) => `Reverts ${sha} of this period: together they change nothing.`,
    reason: (sha: string) => `Cancelled out by \`${sha}\` in the same period: low`,
  },
} as const;

/**
 * A commit and its revert in one report are shown as a pair: each says so, and both are
 * low, since together they change nothing (a reader still sees both, and why).
 */
export function pairReverts(commits: readonly AnalysedCommit[], lang: Lang): AnalysedCommit[] {
  const bySha = (prefix: string) => commits.find((item) => item.commit.sha.startsWith(prefix));
  const bySubject = (subject: string) => commits.find((item) => item.commit.subject.trim() === subject);
  const partner = new Map<string, { other: AnalysedCommit; reverts: boolean }>();
  for (const item of commits) {
    const message = item.facts.message;
    if (!message.isRevert) continue;
    const quoted = /^Revert\s+"(.+)"/.exec(item.commit.subject.trim())?.[1];
    const target = (message.revertedSha ? bySha(message.revertedSha) : undefined) ?? (quoted ? bySubject(quoted) : undefined);
    if (!target || target === item || partner.has(target.commit.sha) || partner.has(item.commit.sha)) continue;
    partner.set(item.commit.sha, { other: target, reverts: true });
    partner.set(target.commit.sha, { other: item, reverts: false });
  }
  if (partner.size === 0) return [...commits];
  const notes = REVERT_NOTES[lang];
  return commits.map((item) => {
    const pair = partner.get(item.commit.sha);
    if (!pair) return item;
    const sha = pair.other.commit.sha.slice(0, SHORT_SHA_LENGTH);
    const analysis: CommitAnalysis = {
      ...item.analysis,
      importance: "low",
      reasons: [...item.analysis.reasons, { code: "reverted-in-period", weight: 0, params: { sha }, text: notes.reason(sha) }],
      notes: [...item.analysis.notes, pair.reverts ? notes.reverts(sha) : notes.reverted(sha)],
    };
    return { ...item, analysis };
  });
}

/** Every day of the period, oldest first, with its commits by importance (empty days too). */
export function countByDay(commits: readonly ReportCommit[], period: ReportPeriod): NonNullable<RepoReport["days"]> {
  const zone = period.timezone;
  const end = DateTime.fromISO(period.until, { zone });
  const days: NonNullable<RepoReport["days"]> = [];
  for (let day = DateTime.fromISO(period.since, { zone }).startOf("day"); day < end; day = day.plus({ days: 1 })) {
    const label = day.toISODate()!;
    days.push({ day: label, counts: countByImportance(commits.filter((commit) => commit.committedAt.startsWith(label))) });
  }
  return days;
}

function buildRepoReport(repo: RepoInput, timezone: string): RepoReport {
  const commits = repo.commits
    .map((item) => ({ instant: parseInstant(item.commit.committer.date, item.commit.sha), item }))
    // Array.prototype.sort is stable: commits with the same second keep the source's order.
    .sort((a, b) => b.instant.toMillis() - a.instant.toMillis())
    .map(({ instant, item }) => buildReportCommit(item, instant, timezone));
  return {
    name: repo.name,
    ...(repo.webUrl === undefined ? {} : { webUrl: repo.webUrl }),
    branch: repo.branch,
    commits,
    counts: countByImportance(commits),
    notices: [...repo.notices],
    ...(repo.overview ? { overview: repo.overview } : {}),
    ...(repo.activity ? { activity: repo.activity } : {}),
    ...(repo.usage ? { usage: repo.usage } : {}),
  };
}

function buildReportCommit(item: AnalysedCommit, committed: DateTime, timezone: string): ReportCommit {
  const { commit, facts, analysis } = item;
  const links: ReportCommit["links"] = {};
  if (item.links.commit) links.commit = item.links.commit;
  if (item.links.pullRequest) links.pullRequest = item.links.pullRequest;
  return {
    sha: commit.sha,
    shortSha: commit.sha.slice(0, SHORT_SHA_LENGTH),
    title: commit.subject,
    body: commit.body,
    author: { name: commit.author.name, email: commit.author.email },
    committedAt: formatInZone(committed, timezone),
    links,
    ...(facts.message.prNumber === undefined ? {} : { prNumber: facts.message.prNumber }),
    ...(item.pullRequest ? { pullRequest: item.pullRequest, prNumber: item.pullRequest.number } : {}),
    changeType: analysis.changeType,
    importance: analysis.importance,
    analysis,
    facts,
    ...(item.affects && item.affects.length > 0 ? { affects: item.affects } : {}),
    stats: {
      // Counted from the commit itself: the header line states what git reported, ignored files included.
      files: commit.files.length,
      additions: commit.files.reduce((sum, file) => sum + file.additions, 0),
      deletions: commit.files.reduce((sum, file) => sum + file.deletions, 0),
      byKind: countFilesByKind(facts),
    },
  };
}

function countFilesByKind(facts: CommitFacts): Partial<Record<FileKind, number>> {
  const byKind: Partial<Record<FileKind, number>> = {};
  for (const file of facts.files) byKind[file.kind] = (byKind[file.kind] ?? 0) + 1;
  return byKind;
}

export function countByImportance(commits: readonly ReportCommit[]): RepoReport["counts"] {
  const counts = { high: 0, medium: 0, low: 0, total: commits.length };
  for (const commit of commits) counts[commit.importance] += 1;
  return counts;
}

function selectHighlights(repos: readonly RepoReport[]): Report["overview"]["highlights"] {
  const highs = repos.flatMap((repo) =>
    repo.commits.filter((commit) => commit.importance === "high").map((commit) => ({ repo: repo.name, commit })),
  );
  // By score, then newest first; the sort is stable, so equal ones keep repository order.
  highs.sort(
    (a, b) =>
      b.commit.analysis.score - a.commit.analysis.score ||
      Date.parse(b.commit.committedAt) - Date.parse(a.commit.committedAt),
  );
  return highs.map(({ repo, commit }) => ({ repo, sha: commit.sha, shortSha: commit.shortSha, title: commit.title }));
}

function parseInstant(iso: string, sha: string): DateTime {
  const parsed = DateTime.fromISO(iso, { setZone: true });
  if (!parsed.isValid) throw new InternalError(`commit ${sha} has an unreadable committer date: ${iso}`);
  return parsed;
}

function formatInZone(instant: DateTime, timezone: string): string {
  const text = instant.setZone(timezone).toISO({ suppressMilliseconds: true });
  if (text === null) throw new InternalError(`cannot express ${instant.toString()} in time zone ${timezone}`);
  return text;
}

function assertTimeZone(timezone: string): void {
  if (!DateTime.now().setZone(timezone).isValid) {
    throw new ConfigError("timezone", timezone, "an IANA time zone name such as Asia/Shanghai or UTC");
  }
}
