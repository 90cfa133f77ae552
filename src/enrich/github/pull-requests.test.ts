import { afterEach, describe, expect, it } from "vitest";
import {
  startGitHubServer,
  type FixtureCommit,
  type FixturePullRequest,
  type GitHubFixture,
  type GitHubServer,
} from "../../../test/helpers/github-server.js";
import { ExternalServiceError } from "../../errors.js";
import { createGitHubClient } from "../../github/client.js";
import { fetchPullRequests, findPullRequestsForCommits, toPullRequestContext } from "./pull-requests.js";

const TOKEN = "ghp_pullrequeststoken000000000000000000";

function sha(seed: number): string {
  return seed.toString(16).padStart(40, "a");
}

function commit(seed: number): FixtureCommit {
  return {
    sha: sha(seed),
    message: `change ${seed}`,
    author: { name: "Dev", email: "dev@example.com", date: `2026-01-17T0${seed % 10}:00:00Z` },
  };
}

function pull(number: number, extra: Partial<FixturePullRequest> = {}): FixturePullRequest {
  return { number, title: `PR ${number}`, state: "merged", createdAt: "2026-01-16T10:00:00Z", mergedAt: "2026-01-17T10:00:00Z", ...extra };
}

const pulls: FixturePullRequest[] = [
  pull(7, {
    title: "Drop Node 18",
    body: "BREAKING: requires Node 20.\n\nCloses #3",
    author: "alice",
    labels: ["breaking", "deps"],
    reviewers: ["bob", "carol", "bob", "alice"],
    closingIssues: [3],
    commits: [sha(1)],
  }),
  pull(8, { state: "open", mergedAt: undefined, author: "dave", commits: [sha(2)] }),
  ...Array.from({ length: 60 }, (_, index) => pull(100 + index)),
];

const fixture: GitHubFixture = {
  tokens: [TOKEN],
  repos: [{ owner: "acme", name: "widget", pullRequests: pulls, commits: [commit(1), commit(2), commit(3)], issues: [] }],
};

let server: GitHubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(): Promise<{ server: GitHubServer; client: ReturnType<typeof createGitHubClient> }> {
  server = await startGitHubServer(fixture);
  return { server, client: createGitHubClient({ token: TOKEN, baseUrl: server.url }) };
}

describe("fetchPullRequests", () => {
  it("reads the fields of a pull request", async () => {
    const { client } = await setup();
    const result = await fetchPullRequests(client, "acme", "widget", [7]);
    expect(result.get(7)).toEqual({
      number: 7,
      title: "Drop Node 18",
      body: "BREAKING: requires Node 20.\n\nCloses #3",
      url: "https://github.com/acme/widget/pull/7",
      author: "alice",
      labels: ["breaking", "deps"],
      reviewers: ["bob", "carol"],
      linkedIssues: [3],
      mergedAt: "2026-01-17T10:00:00Z",
      state: "MERGED",
    });
    expect(toPullRequestContext(result.get(7)!)).toEqual({
      number: 7,
      title: "Drop Node 18",
      url: "https://github.com/acme/widget/pull/7",
      author: "alice",
      labels: ["breaking", "deps"],
      reviewers: ["bob", "carol"],
      linkedIssues: [3],
      mergedAt: "2026-01-17T10:00:00Z",
    });
  });

  it("asks for 60 pull requests in two GraphQL requests with batch size 50, one alias per number", async () => {
    const { client, server } = await setup();
    const numbers = Array.from({ length: 60 }, (_, index) => 100 + index);
    const result = await fetchPullRequests(client, "acme", "widget", numbers, { batchSize: 50 });
    expect(result.size).toBe(60);
    const graphql = server.requests.filter((request) => request.path === "/graphql");
    expect(graphql).toHaveLength(2);
    const firstQuery = (JSON.parse(graphql[0]?.body ?? "{}") as { query: string }).query;
    expect(firstQuery.match(/pr\d+: pullRequest\(number: \d+\)/g)).toHaveLength(50);
  });

  it("skips numbers GitHub does not know and keeps the rest of the batch", async () => {
    const { client, server } = await setup();
    const result = await fetchPullRequests(client, "acme", "widget", [7, 999, 8]);
    expect([...result.keys()].sort()).toEqual([7, 8]);
    expect(result.get(8)?.mergedAt).toBeUndefined();
    expect(result.get(8)?.state).toBe("OPEN");
    expect(server.requests).toHaveLength(1);
  });

  it("says so when the repository does not exist", async () => {
    const { client } = await setup();
    const error = await fetchPullRequests(client, "acme", "nothing", [1]).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ExternalServiceError);
    expect((error as Error).message).toContain("repository acme/nothing not found");
  });

  it("without a token says GraphQL needs one", async () => {
    server = await startGitHubServer(fixture);
    const client = createGitHubClient({ baseUrl: server.url });
    const error = await fetchPullRequests(client, "acme", "widget", [7]).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ExternalServiceError);
    expect((error as Error).message).toContain("needs a token (401): set GITHUB_TOKEN");
  });

  it("sends nothing for an empty list", async () => {
    const { client, server } = await setup();
    expect((await fetchPullRequests(client, "acme", "widget", [])).size).toBe(0);
    expect(server.requests).toHaveLength(0);
  });
});

describe("findPullRequestsForCommits", () => {
  it("finds the pull request of each commit in one request, leaving out commits without one", async () => {
    const { client, server } = await setup();
    const result = await findPullRequestsForCommits(client, "acme", "widget", [sha(1), sha(2), sha(3), sha(404)]);
    expect(result.get(sha(1))?.number).toBe(7);
    expect(result.get(sha(1))?.linkedIssues).toEqual([3]);
    expect(result.get(sha(2))?.number).toBe(8);
    expect(result.has(sha(3))).toBe(false);
    expect(result.has(sha(404))).toBe(false);
    expect(server.requests).toHaveLength(1);
    const query = (JSON.parse(server.requests[0]?.body ?? "{}") as { query: string }).query;
    expect(query).toContain(`object(oid: "${sha(1)}")`);
    expect(query).toContain("associatedPullRequests(first: 1)");
  });

  it("batches commits like pull requests", async () => {
    const { client, server } = await setup();
    await findPullRequestsForCommits(client, "acme", "widget", [sha(1), sha(2), sha(3)], { batchSize: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it("ignores strings that are not full commit ids instead of putting them into the query", async () => {
    const { client, server } = await setup();
    const result = await findPullRequestsForCommits(client, "acme", "widget", ['abc") { x }', "abc1234"]);
    expect(result.size).toBe(0);
    expect(server.requests).toHaveLength(0);
  });
});
