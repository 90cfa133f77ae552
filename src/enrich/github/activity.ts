import * as z from "zod";
import { ExternalServiceError } from "../../errors.js";
import type { ActivityItem, ActivityRelease, RepoActivity } from "../../report/types.js";
import { SERVICE } from "../../github/map-error.js";
import { extractReleaseHighlights } from "./release-highlights.js";
import type { EtagCache, GitHubClient } from "../../github/types.js";

export interface ActivityPeriod {
  since: Date;
  /** Exclusive. */
  until: Date;
}

export interface FetchActivityOptions {
  etagCache: EtagCache;
  /** Items per list (default 10); the rest are counted in `omitted`. */
  maxItemsPerList?: number;
}

const DEFAULT_MAX_ITEMS = 10;
const MAX_DISCUSSED = 5;
const PER_PAGE = 100;
const MAX_RELEASE_PAGES = 5;
const MAX_SEARCH_PAGES = 3;
const MAX_COMMENT_PAGES = 10;
/** Issue look-ups for "most discussed" candidates, most of which are usually still open. */
const MAX_DISCUSSED_LOOKUPS = 10;

const userSchema = z.object({ login: z.string(), type: z.string().optional() }).nullish();
const labelSchema = z.union([z.string(), z.object({ name: z.string().nullish() })]);

// https://docs.github.com/en/rest/releases/releases#list-releases
const releaseSchema = z.object({
  tag_name: z.string(),
  name: z.string().nullish(),
  body: z.string().nullish(),
  html_url: z.string(),
  draft: z.boolean(),
  prerelease: z.boolean(),
  created_at: z.string().nullish(),
  published_at: z.string().nullish(),
});

// https://docs.github.com/en/rest/search/search#search-issues-and-pull-requests
const issueSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  html_url: z.string(),
  user: userSchema,
  labels: z.array(labelSchema).default([]),
  state: z.string(),
  comments: z.number().int().default(0),
  created_at: z.string(),
  closed_at: z.string().nullish(),
  pull_request: z.object({ merged_at: z.string().nullish() }).nullish(),
});
type Issue = z.infer<typeof issueSchema>;
const searchSchema = z.object({ total_count: z.number().int(), items: z.array(issueSchema) });

// https://docs.github.com/en/rest/issues/comments#list-issue-comments-for-a-repository
const commentSchema = z.object({
  user: userSchema,
  created_at: z.string(),
  issue_url: z.string(),
});

interface Candidate {
  item: ActivityItem;
  comments: number;
}

/**
 * What happened on GitHub around the code in the period: releases, pull requests and issues opened,
 * merged and closed, and the open threads with the most new comments. Every list request is
 * conditional, so a daily run that finds nothing new costs 304s, which GitHub does not count
 * against the rate limit when authenticated.
 */
export async function fetchActivity(
  client: GitHubClient,
  owner: string,
  repo: string,
  period: ActivityPeriod,
  options: FetchActivityOptions,
): Promise<RepoActivity> {
  const max = options.maxItemsPerList ?? DEFAULT_MAX_ITEMS;
  const reader: Reader = { client, owner, repo, cache: options.etagCache };
  const inPeriod = (iso: string | null | undefined): iso is string => isWithin(iso, period);

  const releases = await fetchReleases(reader, period);
  const created = await searchIssues(reader, `repo:${owner}/${repo} created:${formatRange(period)}`);
  const closed = await searchIssues(reader, `repo:${owner}/${repo} closed:${formatRange(period)}`);

  const lists = {
    pullsOpened: [] as Candidate[],
    pullsMerged: [] as Candidate[],
    pullsClosed: [] as Candidate[],
    issuesOpened: [] as Candidate[],
    issuesClosed: [] as Candidate[],
  };
  for (const issue of created.items) {
    if (!inPeriod(issue.created_at)) continue;
    const target = issue.pull_request ? lists.pullsOpened : lists.issuesOpened;
    target.push(toCandidate(issue, issue.created_at));
  }
  for (const issue of closed.items) {
    const mergedAt = issue.pull_request?.merged_at;
    if (issue.pull_request && mergedAt) {
      if (inPeriod(mergedAt)) lists.pullsMerged.push(toCandidate(issue, mergedAt));
    } else if (inPeriod(issue.closed_at)) {
      (issue.pull_request ? lists.pullsClosed : lists.issuesClosed).push(toCandidate(issue, issue.closed_at));
    }
  }

  let omitted = created.unfetched + closed.unfetched;
  const take = <T>(items: T[]): T[] => {
    omitted += Math.max(0, items.length - max);
    return items.slice(0, max);
  };
  const sorted = (candidates: Candidate[]): ActivityItem[] => take(sortByImportance(candidates).map((entry) => entry.item));

  const known = new Map<number, Issue>();
  for (const issue of [...created.items, ...closed.items]) known.set(issue.number, issue);
  const discussed = await findMostDiscussed(reader, period, known, Math.min(MAX_DISCUSSED, max));

  return {
    releases: take(releases),
    tags: [],
    pullRequests: {
      opened: sorted(lists.pullsOpened),
      merged: sorted(lists.pullsMerged),
      closed: sorted(lists.pullsClosed),
    },
    issues: { opened: sorted(lists.issuesOpened), closed: sorted(lists.issuesClosed) },
    discussed,
    omitted,
  };
}

interface Reader {
  client: GitHubClient;
  owner: string;
  repo: string;
  cache: EtagCache;
}

async function readJson<T>(reader: Reader, route: string, params: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> {
  const body = await reader.client.getJsonConditional<unknown>(
    route,
    { owner: reader.owner, repo: reader.repo, ...params },
    reader.cache,
  );
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ExternalServiceError(
      SERVICE,
      `unexpected answer to ${route} for ${reader.owner}/${reader.repo}: ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`.trim(),
    );
  }
  return parsed.data;
}

/**
 * Releases are listed newest first, but by the date of their commit, not of publication; we read
 * pages until one holds nothing published since the start of the period.
 */
async function fetchReleases(reader: Reader, period: ActivityPeriod): Promise<ActivityRelease[]> {
  const found: ActivityRelease[] = [];
  for (let page = 1; page <= MAX_RELEASE_PAGES; page += 1) {
    const releases = await readJson(
      reader,
      "GET /repos/{owner}/{repo}/releases",
      { per_page: PER_PAGE, page },
      z.array(releaseSchema),
    );
    for (const release of releases) {
      if (release.draft || !isWithin(release.published_at, period)) continue;
      found.push({
        tag: release.tag_name,
        name: release.name?.trim() || release.tag_name,
        url: release.html_url,
        publishedAt: release.published_at,
        prerelease: release.prerelease,
        highlights: extractReleaseHighlights(release.body),
      });
    }
    const sinceMs = period.since.getTime();
    const anyRecent = releases.some((release) => Date.parse(release.published_at ?? release.created_at ?? "") >= sinceMs);
    if (releases.length < PER_PAGE || !anyRecent) break;
  }
  return found.sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt));
}

/** Search results, with how many matched beyond the pages we read. */
async function searchIssues(reader: Reader, q: string): Promise<{ items: Issue[]; unfetched: number }> {
  const items: Issue[] = [];
  let total = 0;
  for (let page = 1; page <= MAX_SEARCH_PAGES; page += 1) {
    // The search route has no {owner}/{repo}; the extra parameters would otherwise go into the query string.
    const body = await reader.client.getJsonConditional<unknown>(
      "GET /search/issues",
      { q, sort: "created", order: "desc", per_page: PER_PAGE, page },
      reader.cache,
    );
    const parsed = searchSchema.safeParse(body);
    if (!parsed.success) {
      throw new ExternalServiceError(SERVICE, `unexpected answer to GET /search/issues for ${reader.owner}/${reader.repo}`);
    }
    total = parsed.data.total_count;
    items.push(...parsed.data.items);
    if (parsed.data.items.length < PER_PAGE || items.length >= total) break;
  }
  // Search serves at most 1000 results; what lies beyond cannot be read at all.
  return { items, unfetched: Math.max(0, Math.min(total, 1000) - items.length) };
}

/**
 * Counts comments created in the period per issue or PR (bots' comments left out: CI and coverage
 * bots would otherwise fill the list) and returns the open ones with the most, up to `limit`.
 */
async function findMostDiscussed(
  reader: Reader,
  period: ActivityPeriod,
  known: Map<number, Issue>,
  limit: number,
): Promise<RepoActivity["discussed"]> {
  const counts = new Map<number, { count: number; last: string }>();
  for (let page = 1; page <= MAX_COMMENT_PAGES; page += 1) {
    const comments = await readJson(
      reader,
      "GET /repos/{owner}/{repo}/issues/comments",
      { since: period.since.toISOString(), per_page: PER_PAGE, page },
      z.array(commentSchema),
    );
    for (const comment of comments) {
      if (!isWithin(comment.created_at, period) || comment.user?.type === "Bot") continue;
      const number = Number(/\/issues\/(\d+)$/.exec(comment.issue_url)?.[1]);
      if (!Number.isSafeInteger(number) || number <= 0) continue;
      const entry = counts.get(number) ?? { count: 0, last: comment.created_at };
      entry.count += 1;
      if (Date.parse(comment.created_at) > Date.parse(entry.last)) entry.last = comment.created_at;
      counts.set(number, entry);
    }
    if (comments.length < PER_PAGE) break;
  }

  const ranked = [...counts.entries()].sort(
    ([numberA, a], [numberB, b]) => b.count - a.count || Date.parse(b.last) - Date.parse(a.last) || numberA - numberB,
  );
  const discussed: RepoActivity["discussed"] = [];
  let lookups = 0;
  for (const [number, { count, last }] of ranked) {
    if (discussed.length >= limit) break;
    let issue = known.get(number);
    if (issue === undefined) {
      if (lookups >= MAX_DISCUSSED_LOOKUPS) break;
      lookups += 1;
      issue = await readJson(reader, "GET /repos/{owner}/{repo}/issues/{issue_number}", { issue_number: number }, issueSchema);
    }
    if (issue.state !== "open") continue;
    discussed.push({
      ...toCandidate(issue, last).item,
      kind: issue.pull_request ? "pull" : "issue",
      newComments: count,
    });
  }
  return discussed;
}

function toCandidate(issue: Issue, at: string): Candidate {
  const author = issue.user?.login;
  return {
    item: {
      number: issue.number,
      title: issue.title,
      url: issue.html_url,
      ...(author === undefined ? {} : { author }),
      labels: issue.labels.flatMap((label) => {
        const name = typeof label === "string" ? label : label.name;
        return name ? [name] : [];
      }),
      at,
    },
    comments: issue.comments,
  };
}

/** Lower is more important: breaking changes, then security, bugs and releases. */
export function rankLabels(labels: string[]): number {
  const ranks = labels.map((label) => {
    const name = label.toLowerCase();
    if (/breaking/.test(name)) return 0;
    if (/security|vulnerab|\bcve\b/.test(name)) return 1;
    if (/\bbug\b|bugfix|regression/.test(name)) return 2;
    if (/release/.test(name)) return 3;
    return 4;
  });
  return Math.min(4, ...ranks);
}

function sortByImportance(candidates: Candidate[]): Candidate[] {
  return [...candidates].sort(
    (a, b) =>
      rankLabels(a.item.labels) - rankLabels(b.item.labels) ||
      b.comments - a.comments ||
      Date.parse(b.item.at) - Date.parse(a.item.at) ||
      a.item.number - b.item.number,
  );
}

function isWithin(iso: string | null | undefined, period: ActivityPeriod): iso is string {
  if (!iso) return false;
  const time = Date.parse(iso);
  return time >= period.since.getTime() && time < period.until.getTime();
}

/** Search ranges are inclusive at both ends; the period's end is exclusive, so stop a second before. */
function formatRange(period: ActivityPeriod): string {
  const format = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");
  return `${format(period.since)}..${format(new Date(period.until.getTime() - 1000))}`;
}
