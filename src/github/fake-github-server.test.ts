// Checks the shared fake GitHub (test/helpers/github-server.ts) against what the commit source relies on.
import { afterEach, describe, expect, it } from "vitest";
import { startGitHubServer, type FixtureCommit, type GitHubServer } from "../../test/helpers/github-server.js";
import { createGitHubClient } from "./client.js";

const TOKEN = "ghp_fakeservertoken00000000000000000000";
const sha = (seed: number): string => seed.toString(16).padStart(40, "0");

const commits: FixtureCommit[] = Array.from({ length: 5 }, (_, index) => ({
  sha: sha(index + 1),
  message: `commit ${index + 1}`,
  author: { name: "Dev", email: "dev@example.com", date: `2026-01-1${index + 1}T12:00:00Z`, login: "dev" },
  parents: index === 0 ? [] : [sha(index)],
}));
commits.push({
  sha: sha(99),
  message: "huge",
  author: { name: "Dev", email: "dev@example.com", date: "2026-01-16T12:00:00Z" },
  parents: [sha(5)],
  files: [
    { filename: "big.lock", additions: 90000, deletions: 1 },
    ...Array.from({ length: 301 }, (_, index) => ({ filename: `src/f${index}.ts`, additions: 1, patch: "@@ -0,0 +1 @@\n+x" })),
  ],
});

let server: GitHubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("fake GitHub server", () => {
  it("lists commits newest first within since/until, paginated by Link headers", async () => {
    server = await startGitHubServer({ tokens: [TOKEN], repos: [{ owner: "o", name: "r", commits }] });
    const client = createGitHubClient({ token: TOKEN, baseUrl: server.url });
    const listed = await client.rest.paginate(client.rest.repos.listCommits, {
      owner: "o",
      repo: "r",
      sha: "main",
      since: "2026-01-12T00:00:00Z",
      until: "2026-01-16T23:59:59Z",
      per_page: 2,
    });
    expect(listed.map((commit) => commit.sha)).toEqual([sha(99), sha(5), sha(4), sha(3), sha(2)]);
    expect(server.requests).toHaveLength(3);
    expect(server.requests[1]?.path).toContain("page=2");
  });

  it("pages the files of a large commit by 300 and omits the patch of a too-large file", async () => {
    server = await startGitHubServer({ tokens: [TOKEN], repos: [{ owner: "o", name: "r", commits }] });
    const client = createGitHubClient({ token: TOKEN, baseUrl: server.url });
    const pages: Array<{ files?: Array<{ filename: string; additions: number; patch?: string }>; stats?: unknown }> = [];
    for await (const page of client.rest.paginate.iterator(client.rest.repos.getCommit, { owner: "o", repo: "r", ref: sha(99) })) {
      pages.push(page.data as (typeof pages)[number]);
    }
    expect(pages.map((page) => page.files?.length)).toEqual([300, 2]);
    expect(pages[0]?.files?.[0]).toMatchObject({ filename: "big.lock", additions: 90000 });
    expect(pages[0]?.files?.[0]?.patch).toBeUndefined();
    expect(pages[0]?.files?.[1]?.patch).toBe("@@ -0,0 +1 @@\n+x");
    expect(pages[0]?.stats).toEqual({ total: 90302, additions: 90301, deletions: 1 });
  });

  it("answers an unknown commit with 422, as GitHub does", async () => {
    server = await startGitHubServer({ repos: [{ owner: "o", name: "r", commits }] });
    const client = createGitHubClient({ baseUrl: server.url });
    await expect(client.rest.repos.getCommit({ owner: "o", repo: "r", ref: "f".repeat(40) })).rejects.toThrow(/422/);
  });
});
