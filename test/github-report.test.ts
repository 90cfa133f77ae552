/**
 * `repo-digest report` on a GitHub repository, end to end: the real CLI against a local
 * server answering GitHub's REST and GraphQL requests in their documented shapes. The
 * API-only source reads the day's commits; PR context comes through GraphQL; the day's
 * activity follows the commits. Nothing is fetched twice, and the token never reaches a
 * log, a report or the store.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportSchema } from "../src/report/json/report-schema.js";
import { startGitHubServer, type FixtureSignature, type GitHubServer } from "./helpers/github-server.js";
import { makeTempDir } from "./helpers/make-repo.js";
import { runCli } from "./helpers/run-cli.js";

const TOKEN = "ghp_PLANTEDtoken0123456789abcdefABCDEF01";

function cli(args: string[], cwd: string, dataDir: string, env: Record<string, string> = {}) {
  return runCli(args, { cwd, dataDir, env: { GITHUB_TOKEN: "", GH_TOKEN: "", ...env } });
}

const sha = (n: number) => n.toString(16).padStart(40, "a");
const at = (date: string): FixtureSignature => ({ name: "Ada", email: "ada@example.com", date, login: "ada" });

let server: GitHubServer;

beforeAll(async () => {
  server = await startGitHubServer({
    tokens: [TOKEN],
    repos: [
      {
        owner: "acme",
        name: "widgets",
        defaultBranch: "main",
        commits: [
          { sha: sha(1), message: "chore: init", author: at("2026-01-16T10:00:00Z"), parents: [], files: [{ filename: "README.md", status: "added", additions: 1, patch: "@@ -0,0 +1 @@\n+# widgets" }] },
          {
            sha: sha(2),
            message: "feat(cache): add a widget cache (#7)",
            author: at("2026-01-17T02:00:00Z"),
            parents: [sha(1)],
            files: [{ filename: "src/cache.py", status: "added", additions: 2, patch: "@@ -0,0 +1,2 @@\n+CACHE = {}\n+def get(key): return CACHE.get(key)" }],
          },
          {
            sha: sha(3),
            message: "fix: handle empty keys",
            author: at("2026-01-17T05:00:00Z"),
            parents: [sha(2)],
            files: [{ filename: "src/cache.py", status: "modified", additions: 1, deletions: 1, patch: "@@ -1,2 +1,2 @@\n CACHE = {}\n-def get(key): return CACHE.get(key)\n+def get(key): return CACHE.get(key) if key else None" }],
          },
        ],
        pullRequests: [
          {
            number: 7,
            title: "Add a widget cache",
            body: "An LRU cache in front of the widget store. Closes #3.",
            author: "ada",
            labels: ["enhancement"],
            state: "merged",
            createdAt: "2026-01-16T09:00:00Z",
            mergedAt: "2026-01-17T02:00:00Z",
            reviewers: ["bob"],
            closingIssues: [3],
            commits: [sha(2)],
          },
          { number: 8, title: "Handle empty keys", author: "bob", labels: ["bug"], state: "merged", createdAt: "2026-01-17T04:00:00Z", mergedAt: "2026-01-17T05:00:00Z", commits: [sha(3)] },
          { number: 9, title: "Speed up the store", author: "eve", state: "open", createdAt: "2026-01-17T07:00:00Z" },
        ],
        issues: [{ number: 10, title: "Cache misses on restart", author: "zed", labels: ["bug"], state: "open", createdAt: "2026-01-17T08:00:00Z" }],
        releases: [{ tagName: "v1.2.0", name: "1.2.0", body: "## Highlights\n- A widget cache\n- Empty keys handled", createdAt: "2026-01-17T06:00:00Z", publishedAt: "2026-01-17T06:00:00Z" }],
      },
    ],
  });
});

afterAll(() => server.close());

function workspace(): { cwd: string; dataDir: string } {
  const cwd = makeTempDir();
  writeFileSync(
    join(cwd, "repo-digest.yaml"),
    [
      "timezone: UTC",
      "output: { dir: reports, formats: [md, json] }",
      `github: { apiUrl: "${server.url}", tokenEnv: TEST_GH_TOKEN }`,
      "repos:",
      "  - { url: https://github.com/acme/widgets, source: github-api }",
      "",
    ].join("\n"),
  );
  return { cwd, dataDir: makeTempDir() };
}

function readReport(cwd: string) {
  const dir = join(cwd, "reports");
  const files = readdirSync(dir);
  return {
    markdown: readFileSync(join(dir, files.find((f) => f.endsWith(".md"))!), "utf8"),
    json: reportSchema.parse(JSON.parse(readFileSync(join(dir, files.find((f) => f.endsWith(".json"))!), "utf8"))),
  };
}

describe("report on a GitHub repository through the API", () => {
  it("reads the day's commits without a clone, links each to its PR, and ends with the day's activity", async () => {
    const { cwd, dataDir } = workspace();
    const before = server.requests.length;
    const run = await cli(["report", "--date", "2026-01-17", "-v"], cwd, dataDir, { TEST_GH_TOKEN: TOKEN });
    expect(run.status, run.stderr).toBe(0);
    const { markdown, json } = readReport(cwd);
    const repo = json.repos[0]!;
    expect(repo.name).toBe("acme/widgets");
    expect(repo.commits.map((c) => c.title)).toEqual(["fix: handle empty keys", "feat(cache): add a widget cache (#7)"]);

    // PR context: by the number in the message, and by GitHub's commit → PR association.
    const [fix, feat] = repo.commits;
    expect(feat!.pullRequest).toMatchObject({ number: 7, title: "Add a widget cache", labels: ["enhancement"], reviewers: ["bob"], linkedIssues: [3] });
    expect(fix!.pullRequest).toMatchObject({ number: 8, labels: ["bug"] });
    expect(fix!.links.pullRequest).toMatch(/\/acme\/widgets\/pull\/8$/);
    expect(markdown).toContain("[#7 Add a widget cache]");

    // The day's activity: the release first, merged before opened, the new issue with its label.
    const activity = repo.activity!;
    expect(activity.releases.map((r) => [r.tag, r.highlights])).toEqual([["v1.2.0", ["Highlights", "A widget cache", "Empty keys handled"]]]);
    expect(activity.pullRequests.merged.map((p) => p.number).sort()).toEqual([7, 8]);
    expect(activity.pullRequests.opened.map((p) => p.number)).toContain(9);
    expect(activity.issues.opened.map((i) => [i.number, i.labels])).toEqual([[10, ["bug"]]]);
    expect(markdown.indexOf("v1.2.0")).toBeGreaterThan(markdown.indexOf("fix: handle empty keys"));
    expect(markdown).toMatch(/### 🗂️ 仓库动态/);

    // The token travels in a header only.
    const ours = server.requests.slice(before);
    expect(ours.every((request) => request.headers.authorization === `token ${TOKEN}` || request.headers.authorization === `bearer ${TOKEN}`)).toBe(true);
    expect(run.stderr).not.toContain(TOKEN);
    expect(JSON.stringify(json)).not.toContain(TOKEN);
    expect(readFileSync(join(dataDir, "repo-digest.sqlite")).includes(Buffer.from(TOKEN))).toBe(false);

    // A second run asks for no PR and no commit again; the polled lists are revalidated (304).
    const second = server.requests.length;
    const again = await cli(["report", "--date", "2026-01-17"], cwd, dataDir, { TEST_GH_TOKEN: TOKEN });
    expect(again.status, again.stderr).toBe(0);
    const rerun = server.requests.slice(second);
    expect(rerun.filter((request) => request.path.includes("/graphql"))).toHaveLength(0);
    expect(rerun.filter((request) => /\/commits\/[0-9a-f]{40}/.test(request.path))).toHaveLength(0);
    const lists = rerun.filter((request) => request.path.includes("/releases") || request.path.includes("/search/issues"));
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.every((request) => request.status === 304)).toBe(true);
    expect(readReport(cwd).json.repos[0]!.activity).toEqual(activity);

    // Offline (--no-fetch): git-only repositories ask GitHub nothing; PR context comes from the store.
    const local = makeTempDir();
    const clone = join(local, "widgets");
    execFileSync("git", ["init", "-q", clone]);
    execFileSync("git", ["-C", clone, "remote", "add", "origin", "https://github.com/acme/widgets.git"]);
    writeFileSync(join(clone, "a.txt"), "a\n");
    execFileSync("git", ["-C", clone, "add", "."]);
    execFileSync("git", ["-C", clone, "-c", "user.name=A", "-c", "user.email=a@b", "commit", "-q", "-m", "feat: local (#7)"], {
      env: { ...process.env, GIT_AUTHOR_DATE: "2026-01-17T03:00:00Z", GIT_COMMITTER_DATE: "2026-01-17T03:00:00Z" },
    });
    writeFileSync(join(local, "repo-digest.yaml"), `timezone: UTC\ngithub: { apiUrl: "${server.url}", tokenEnv: TEST_GH_TOKEN }\noutput: { dir: reports, formats: [json] }\nrepos:\n  - { path: ${clone} }\n`);
    const offlineStart = server.requests.length;
    const offline = await cli(["report", "--date", "2026-01-17", "--no-fetch"], local, dataDir, { TEST_GH_TOKEN: TOKEN });
    expect(offline.status, offline.stderr).toBe(0);
    expect(server.requests.length).toBe(offlineStart);
    const offlineJson = reportSchema.parse(JSON.parse(readFileSync(join(local, "reports", readdirSync(join(local, "reports"))[0]!), "utf8")));
    expect(offlineJson.repos[0]!.commits[0]!.pullRequest?.title).toBe("Add a widget cache");
    expect(offlineJson.repos[0]!.activity).toBeUndefined();
  }, 120_000);

  it("says what to do with a bad token, in one line, without the token", async () => {
    const { cwd, dataDir } = workspace();
    const run = await cli(["report", "--date", "2026-01-17"], cwd, dataDir, { TEST_GH_TOKEN: "ghp_wrongtoken000000000000000000000000000" });
    expect(run.status).toBe(3);
    expect(run.stderr.trim().split("\n").at(-1)).toMatch(/401.*TEST_GH_TOKEN/);
    expect(run.stderr).not.toContain("ghp_wrongtoken");
  }, 60_000);

  it("works without a token for a public repository: commits and activity, no PR context, and says so", async () => {
    const { cwd, dataDir } = workspace();
    const run = await cli(["report", "--date", "2026-01-17"], cwd, dataDir);
    expect(run.status, run.stderr).toBe(0);
    const { json } = readReport(cwd);
    expect(json.repos[0]!.commits).toHaveLength(2);
    expect(json.repos[0]!.commits.every((c) => c.pullRequest === undefined)).toBe(true);
    expect(json.repos[0]!.activity!.releases).toHaveLength(1);
    expect(json.repos[0]!.notices.join(" ")).toMatch(/未设置 GitHub 令牌（GITHUB_TOKEN）/);
  }, 120_000);
});
