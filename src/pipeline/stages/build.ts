/**
 * Stage 4, build: the report model, from what the earlier stages returned. Pure: no store,
 * no network, no clock (the time of the run comes in).
 */
import { estimateCost } from "../../analysis/llm/run-budget.js";
import type { CommitAnalysis, Overview } from "../../analysis/types.js";
import { toPullRequestContext } from "../../enrich/github/pull-requests.js";
import type { Enrichment } from "../../enrich/types.js";
import type { LlmSettings, TokenUsage } from "../../analysis/llm/types.js";
import type { Lang } from "../../i18n/lang.js";
import { buildReport, type AnalysedCommit, type RepoInput } from "../../report/build-report.js";
import { buildLinks } from "../../report/links.js";
import type { RepoActivity, Report } from "../../report/types.js";
import type { Period } from "../../time/period.js";
import type { ResolvedRepo } from "../resolve-repos.js";
import type { CommitEntry } from "./collect.js";
import type { MatchedUsage } from "./usage.js";

/** One repository's section: its commits with their analyses, links and PR context, its notices, overview and activity. */
export function buildRepoSection(input: {
  repo: ResolvedRepo;
  branch: string;
  entries: readonly CommitEntry[];
  analyses: readonly CommitAnalysis[];
  enrichment: Enrichment;
  tags: readonly string[];
  overview?: Overview;
  /** Notices from before the stages (a failed fetch), first. */
  notices: readonly string[];
  /** What the commits change of the user's uses (`usedBy:`), matched in the usage stage. */
  usage?: MatchedUsage;
}): RepoInput {
  const { repo, enrichment } = input;
  const commits: AnalysedCommit[] = input.entries.map((entry, index) => {
    const pr = enrichment.pullRequests.get(entry.commit.sha);
    const links = buildLinks(repo.links, entry.commit.sha, pr?.number ?? entry.facts.message.prNumber);
    const affects = input.usage?.affects.get(entry.commit.sha) ?? [];
    return {
      ...entry,
      analysis: input.analyses[index]!,
      ...(affects.length > 0 ? { affects } : {}),
      links: pr ? { ...links, pullRequest: pr.url } : links,
      ...(pr ? { pullRequest: toPullRequestContext(pr) } : {}),
    };
  });
  const activity = repo.activity ? withTags(enrichment.activity, input.tags, repo) : undefined;
  return {
    name: repo.name,
    ...(repo.webUrl ? { webUrl: repo.webUrl } : {}),
    branch: input.branch,
    notices: [...input.notices, ...(input.usage?.notices ?? []), ...enrichment.notices],
    ...(input.usage ? { usage: input.usage.summaries } : {}),
    commits,
    ...(input.overview ? { overview: input.overview } : {}),
    ...(activity ? { activity } : {}),
  };
}

/** Tags of the period that no release announced, from the repository itself. */
function withTags(activity: RepoActivity | undefined, tags: readonly string[], repo: ResolvedRepo): RepoActivity | undefined {
  const released = new Set(activity?.releases.map((release) => release.tag) ?? []);
  const fresh = tags.filter((tag) => !released.has(tag));
  if (fresh.length === 0) return activity;
  const base = activity ?? { releases: [], tags: [], pullRequests: { opened: [], merged: [], closed: [] }, issues: { opened: [], closed: [] }, discussed: [], omitted: 0 };
  const url = (name: string) => (repo.webUrl && repo.github ? `${repo.webUrl}/releases/tag/${encodeURIComponent(name)}` : undefined);
  return { ...base, tags: fresh.map((name) => ({ name, ...(url(name) ? { url: url(name)! } : {}) })) };
}

export function buildRunReport(input: {
  lang: Lang;
  period: Period;
  generatedAt: Date;
  version: string;
  repos: RepoInput[];
  notices: string[];
  digest?: boolean;
  /** The run's model and what it spent, when the LLM analyzer ran. */
  llm?: { settings: Pick<LlmSettings, "model" | "prices">; used: TokenUsage };
}): Report {
  const { period, llm } = input;
  return buildReport({
    lang: input.lang,
    period: { label: period.label, since: period.since.toISOString(), until: period.until.toISOString(), timezone: period.timezone },
    generatedAt: input.generatedAt,
    version: input.version,
    repos: input.repos,
    notices: input.notices,
    ...(input.digest ? { digest: true } : {}),
    ...(llm ? { llmUsage: llmUsageOf(llm.settings, llm.used) } : {}),
  });
}

function llmUsageOf(settings: Pick<LlmSettings, "model" | "prices">, used: TokenUsage): NonNullable<Report["llmUsage"]> {
  const { input, output } = used;
  return {
    model: settings.model,
    input,
    output,
    ...(settings.prices ? { cost: { amount: +estimateCost({ input, output }, settings.prices).toFixed(6), currency: settings.prices.currency ?? "USD" } } : {}),
  };
}
