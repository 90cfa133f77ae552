import { afterEach, describe, expect, it } from "vitest";
import {
  startGitHubServer,
  type FixtureComment,
  type FixtureRepo,
  type GitHubServer,
} from "../../../test/helpers/github-server.js";
import { fetchActivity } from "./activity.js";
import { createGitHubClient } from "../../github/client.js";
import { createMemoryEtagCache } from "../../../test/support/github/memory-etag-cache.js";

const TOKEN = "ghp_activitytoken0000000000000000000000";
const period = { since: new Date("2026-01-17T00:00:00Z"), until: new Date("2026-01-18T00:00:00Z") };
const DAY = "2026-01-17";
const BEFORE = "2026-01-10T09:00:00Z";

function comments(issueNumber: number, count: number, extra: Partial<FixtureComment> = {}): FixtureComment[] {
  return Array.from({ length: count }, (_, index) => ({
    issueNumber,
    author: `user${index}`,
    createdAt: `${DAY}T1${index}:00:00Z`,
    ...extra,
  }));
}

const repo: FixtureRepo = {
  owner: "acme",
  name: "widget",
  releases: [
    {
      tagName: "v2.0.0",
      name: "Widget 2.0",
      createdAt: "2026-01-16T20:00:00Z",
      publishedAt: `${DAY}T12:00:00Z`,
      body: "## What's Changed\n* **Breaking:** drop Node 18 by @alice in https://github.com/acme/widget/pull/12\n* Fix crash on empty config by @bob in https://github.com/acme/widget/pull/10\n\n## New Contributors\n* @carol made their first contribution in https://github.com/acme/widget/pull/9\n\n**Full Changelog**: https://github.com/acme/widget/compare/v1.9.0...v2.0.0",
    },
    { tagName: "v2.1.0-rc.1", prerelease: true, createdAt: `${DAY}T17:00:00Z`, publishedAt: `${DAY}T18:00:00Z`, body: "First release candidate." },
    { tagName: "v1.9.0", createdAt: BEFORE, publishedAt: BEFORE },
    { tagName: "v3.0.0", draft: true, createdAt: `${DAY}T19:00:00Z` },
  ],
  pullRequests: [
    { number: 10, title: "Fix crash on empty config", author: "bob", labels: ["bug"], comments: 2, state: "merged", createdAt: BEFORE, mergedAt: `${DAY}T08:00:00Z` },
    { number: 11, title: "Refactor loader", labels: [], comments: 10, state: "merged", createdAt: BEFORE, mergedAt: `${DAY}T09:00:00Z` },
    { number: 12, title: "Drop Node 18", labels: ["breaking-change"], state: "merged", createdAt: BEFORE, mergedAt: `${DAY}T07:00:00Z` },
    { number: 13, title: "Escape HTML in titles", labels: ["security"], state: "open", createdAt: `${DAY}T05:00:00Z` },
    { number: 14, title: "Add dark mode", state: "open", createdAt: `${DAY}T06:00:00Z` },
    { number: 15, title: "Experiment", state: "closed", createdAt: BEFORE, closedAt: `${DAY}T10:00:00Z` },
    { number: 16, title: "Old merge", state: "merged", createdAt: BEFORE, mergedAt: "2026-01-16T23:59:59Z" },
  ],
  issues: [
    { number: 20, title: "Crash on start", labels: ["kind/bug"], state: "open", createdAt: `${DAY}T04:00:00Z` },
    { number: 21, title: "Docs typo", state: "closed", createdAt: BEFORE, closedAt: `${DAY}T11:00:00Z` },
    { number: 22, title: "Question about config", state: "open", createdAt: `${DAY}T03:00:00Z` },
    { number: 30, title: "Long-running discussion", state: "open", createdAt: BEFORE },
  ],
  comments: [
    ...comments(20, 3),
    ...comments(20, 4, { author: "ci-bot", authorType: "Bot" }),
    ...comments(14, 2),
    ...comments(21, 5),
    ...comments(30, 1),
    { issueNumber: 22, author: "x", createdAt: "2026-01-16T10:00:00Z", updatedAt: `${DAY}T10:00:00Z` },
  ],
};

let server: GitHubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(repos: FixtureRepo[] = [repo]): Promise<{ server: GitHubServer; client: ReturnType<typeof createGitHubClient> }> {
  server = await startGitHubServer({ tokens: [TOKEN], repos });
  return { server, client: createGitHubClient({ token: TOKEN, baseUrl: server.url }) };
}

const numbers = (items: Array<{ number: number }>): number[] => items.map((item) => item.number);

describe("fetchActivity", () => {
  it("lists the period's releases, pull requests, issues and discussions, most important first", async () => {
    const { client } = await setup();
    const activity = await fetchActivity(client, "acme", "widget", period, { etagCache: createMemoryEtagCache() });

    expect(activity.releases).toEqual([
      {
        tag: "v2.1.0-rc.1",
        name: "v2.1.0-rc.1",
        url: "https://github.com/acme/widget/releases/tag/v2.1.0-rc.1",
        publishedAt: `${DAY}T18:00:00Z`,
        prerelease: true,
        highlights: ["First release candidate."],
      },
      {
        tag: "v2.0.0",
        name: "Widget 2.0",
        url: "https://github.com/acme/widget/releases/tag/v2.0.0",
        publishedAt: `${DAY}T12:00:00Z`,
        prerelease: false,
        highlights: ["Breaking: drop Node 18 by @alice in #12", "Fix crash on empty config by @bob in #10"],
      },
    ]);
    expect(activity.tags).toEqual([]);
    // Breaking, then bug, then by comments.
    expect(numbers(activity.pullRequests.merged)).toEqual([12, 10, 11]);
    expect(activity.pullRequests.merged[1]).toEqual({
      number: 10,
      title: "Fix crash on empty config",
      url: "https://github.com/acme/widget/pull/10",
      author: "bob",
      labels: ["bug"],
      at: `${DAY}T08:00:00Z`,
    });
    expect(numbers(activity.pullRequests.opened)).toEqual([13, 14]);
    expect(numbers(activity.pullRequests.closed)).toEqual([15]);
    expect(numbers(activity.issues.opened)).toEqual([20, 22]);
    expect(numbers(activity.issues.closed)).toEqual([21]);
    expect(activity.issues.closed[0]?.at).toBe(`${DAY}T11:00:00Z`);
    // #21 is closed; bots' comments do not count; #30 is older than the period but discussed in it.
    expect(activity.discussed.map((item) => [item.number, item.kind, item.newComments])).toEqual([
      [20, "issue", 3],
      [14, "pull", 2],
      [30, "issue", 1],
    ]);
    expect(activity.omitted).toBe(0);
  });

  it("caps each list and counts what it left out", async () => {
    const { client } = await setup();
    const activity = await fetchActivity(client, "acme", "widget", period, {
      etagCache: createMemoryEtagCache(),
      maxItemsPerList: 2,
    });
    expect(numbers(activity.pullRequests.merged)).toEqual([12, 10]);
    expect(activity.releases).toHaveLength(2);
    expect(activity.discussed).toHaveLength(2);
    expect(activity.omitted).toBe(1);
  });

  it("reuses cached answers when GitHub answers 304, with the same result", async () => {
    const { client, server } = await setup();
    const etagCache = createMemoryEtagCache();
    const first = await fetchActivity(client, "acme", "widget", period, { etagCache });
    const firstCount = server.requests.length;
    const second = await fetchActivity(client, "acme", "widget", period, { etagCache });
    const again = server.requests.slice(firstCount);
    expect(second).toEqual(first);
    expect(again.length).toBe(firstCount);
    expect(again.every((request) => request.status === 304)).toBe(true);
    expect(again.every((request) => typeof request.headers["if-none-match"] === "string")).toBe(true);
  });

  it("searches only the period and reads search results page by page", async () => {
    const many: FixtureRepo = {
      owner: "acme",
      name: "busy",
      pullRequests: Array.from({ length: 130 }, (_, index) => ({
        number: 1000 + index,
        title: `PR ${index}`,
        state: "open" as const,
        createdAt: `${DAY}T12:${String(index % 60).padStart(2, "0")}:00Z`,
      })),
    };
    const { client, server } = await setup([many]);
    const activity = await fetchActivity(client, "acme", "busy", period, { etagCache: createMemoryEtagCache() });
    expect(activity.pullRequests.opened).toHaveLength(10);
    expect(activity.omitted).toBe(120);
    const searches = server.requests.filter((request) => request.path.startsWith("/search/issues"));
    const queries = searches.map((request) => new URL(request.path, "http://x").searchParams);
    expect(queries.map((query) => [query.get("q"), query.get("page")])).toEqual([
      ["repo:acme/busy created:2026-01-17T00:00:00Z..2026-01-17T23:59:59Z", "1"],
      ["repo:acme/busy created:2026-01-17T00:00:00Z..2026-01-17T23:59:59Z", "2"],
      ["repo:acme/busy closed:2026-01-17T00:00:00Z..2026-01-17T23:59:59Z", "1"],
    ]);
  });

  it("stops reading releases at a page with nothing published since the period began", async () => {
    const old: FixtureRepo = {
      owner: "acme",
      name: "old",
      releases: Array.from({ length: 250 }, (_, index) => {
        const date = new Date(Date.parse("2025-12-31T00:00:00Z") - index * 3_600_000).toISOString();
        return { tagName: `v0.${index}.0`, createdAt: date, publishedAt: date };
      }),
    };
    const { client, server } = await setup([old]);
    const activity = await fetchActivity(client, "acme", "old", period, { etagCache: createMemoryEtagCache() });
    expect(activity.releases).toEqual([]);
    expect(server.requests.filter((request) => request.path.includes("/releases"))).toHaveLength(1);
  });
});
