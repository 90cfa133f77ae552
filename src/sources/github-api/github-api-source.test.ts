import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import {
  startGitHubServer,
  type FixtureCommit,
  type FixtureFile,
  type FixtureRepo,
  type GitHubFault,
  type GitHubServer,
} from "../../../test/helpers/github-server.js";
import { ExternalServiceError, InputError } from "../../errors.js";
import { extractFacts } from "../../facts/extract-facts.js";
import { createGitHubClient, type GitHubClient } from "../../github/client.js";
import { silentLogger } from "../../logger.js";
import type { Commit, RepoRef } from "../types.js";
import { GitHubApiSource } from "./github-api-source.js";

const servers: GitHubServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

function sha(label: string): string {
  return createHash("sha1").update(label).digest("hex");
}

const HOUR = 3600_000;
const BASE = Date.parse("2026-01-17T00:00:00Z");

function at(hours: number): string {
  return new Date(BASE + hours * HOUR).toISOString().replace(".000Z", "Z");
}

function commit(label: string, hours: number, parents: string[], extra: Partial<FixtureCommit> = {}): FixtureCommit {
  return {
    sha: sha(label),
    message: `feat: ${label}`,
    author: { name: "Ada Lovelace", email: "ada@example.com", date: at(hours) },
    parents: parents.map(sha),
    files: [{ filename: `src/${label}.ts`, status: "added", additions: 1, patch: `@@ -0,0 +1 @@\n+export const ${label.replace(/\W/g, "_")} = 1;` }],
    ...extra,
  };
}

/** A straight line of `count` commits, one an hour from BASE, labelled c0 (oldest) to c{count-1}. */
function linearHistory(count: number): FixtureCommit[] {
  return Array.from({ length: count }, (_, i) => commit(`c${i}`, i, i === 0 ? [] : [`c${i - 1}`]));
}

async function setupWithClient(
  repo: Omit<FixtureRepo, "owner" | "name">,
  faults: GitHubFault[] = [],
  ref: Partial<RepoRef> = {},
): Promise<{ server: GitHubServer; source: GitHubApiSource; client: GitHubClient }> {
  const server = await startGitHubServer({ repos: [{ owner: "ai-dynamo", name: "dynamo", ...repo }] }, faults);
  servers.push(server);
  const client = createGitHubClient({ baseUrl: server.url, retries: 0 });
  const source = new GitHubApiSource(
    { name: "ai-dynamo/dynamo", location: "https://github.com/ai-dynamo/dynamo", ...ref },
    { client, logger: silentLogger },
  );
  return { server, source, client };
}

async function setup(
  repo: Omit<FixtureRepo, "owner" | "name">,
  options: { ref?: Partial<RepoRef> } = {},
): Promise<{ server: GitHubServer; source: GitHubApiSource }> {
  return setupWithClient(repo, [], options.ref);
}

async function readAll(source: GitHubApiSource, shas: readonly string[]): Promise<Commit[]> {
  const commits: Commit[] = [];
  for await (const c of source.readCommits(shas)) commits.push(c);
  return commits;
}

function requestsTo(server: GitHubServer, pattern: RegExp): string[] {
  return server.requests.map((r) => r.path).filter((path) => pattern.test(path));
}

const wholeDay = { since: new Date(BASE - 24 * HOUR), until: new Date(BASE + 400 * HOUR) };

describe("GitHubApiSource: listing commits", () => {
  it("follows the list's pages: 150 commits come in two pages of 100", async () => {
    const { server, source } = await setup({ commits: linearHistory(150) });
    await source.prepare();
    const headers = await source.listCommits(wholeDay);

    expect(headers).toHaveLength(150);
    expect(headers[0]).toEqual({ sha: sha("c149"), committedAt: new Date(at(149)) });
    expect(headers.at(-1)!.sha).toBe(sha("c0"));
    const lists = requestsTo(server, /\/commits\?/);
    expect(lists).toHaveLength(2);
    expect(lists[0]).toContain("per_page=100");
    expect(lists[1]).toContain("page=2");
  });

  it("keeps only the first-parent chain: a merged branch's commits are left out", async () => {
    const commits = [
      commit("root", 1, []),
      commit("main-1", 2, ["root"]),
      commit("topic-1", 3, ["main-1"], { branches: ["topic"] }),
      commit("topic-2", 4, ["topic-1"], { branches: ["topic"] }),
      commit("merge", 5, ["main-1", "topic-2"], { message: "Merge pull request #7 from ada/topic" }),
      commit("main-2", 6, ["merge"]),
    ];
    const { source } = await setup({ commits });
    const headers = await source.listCommits(wholeDay);
    expect(headers.map((h) => h.sha)).toEqual(["main-2", "merge", "main-1", "root"].map(sha));
  });

  it("keeps the half-open range on committer time, and finds it below commits made after it", async () => {
    const commits = [
      commit("before", 1, []),
      // Authored before the range, committed inside it (a rebase): committer time decides.
      commit("start", 10, ["before"], {
        author: { name: "Ada", email: "ada@example.com", date: at(-200) },
        committer: { name: "GitHub", email: "noreply@github.com", date: at(10) },
      }),
      commit("inside", 15, ["start"]),
      // A branch commit dated inside the range but merged after it: not on the chain.
      commit("side", 18, ["inside"], { branches: ["side"] }),
      commit("end", 20, ["inside"]),
      commit("after", 30, ["end", "side"]),
    ];
    const { server, source } = await setup({ commits });
    const headers = await source.listCommits({ since: new Date(at(10)), until: new Date(at(20)) });

    expect(headers.map((h) => h.sha)).toEqual([sha("inside"), sha("start")]);
    const list = requestsTo(server, /\/commits\?/)[0]!;
    expect(list).toContain(`sha=${sha("after")}`);
    expect(decodeURIComponent(list)).toContain("since=2026-01-17T09:59:59.000Z");
    expect(list).not.toContain("until=");
  });

  it("follows the configured branch instead of the default one", async () => {
    const commits = [commit("m", 1, []), commit("r1", 2, ["m"], { branches: ["release"] })];
    const { source } = await setup({ defaultBranch: "trunk", commits: commits.map((c) => ({ ...c, branches: c.branches ?? ["trunk", "release"] })) }, { ref: { branch: "release" } });
    expect(await source.branchName()).toBe("release");
    expect(await source.resolveBranch()).toBe(sha("r1"));
    expect((await source.listCommits(wholeDay)).map((h) => h.sha)).toEqual([sha("r1"), sha("m")]);
  });

  it("names the repository's default branch when none is configured", async () => {
    const { source } = await setup({ defaultBranch: "trunk", commits: [{ ...commit("t", 1, []), branches: ["trunk"] }] });
    expect(await source.branchName()).toBe("trunk");
    expect(await source.resolveBranch()).toBe(sha("t"));
    expect(source.remote).toBe(true);
    expect(source.id).toBe("github-api");
  });
});

describe("GitHubApiSource: reading commits", () => {
  it("maps message, people, parents and files, with UTC dates as GitHub sends them", async () => {
    const c = commit("fix", 3, ["base"], {
      message: "fix(router): drop stale workers (#5492)\n\nWorkers that missed three heartbeats\nstay in the pool.\n",
      author: { name: "Grace Hopper", email: "grace@example.com", date: "2026-01-10T06:02:03Z" },
      committer: { name: "GitHub", email: "noreply@github.com", date: at(3) },
      files: [
        { filename: "lib/router/src/pool.rs", status: "modified", additions: 2, deletions: 1, patch: "@@ -10,3 +10,4 @@ impl Pool {\n     fn prune(&mut self) {\n-        self.workers.clear();\n+        self.workers.retain(|w| w.alive());\n+        self.evicted += 1;" },
      ],
    });
    const { source } = await setup({ commits: [commit("base", 1, []), c] });
    const [read] = await readAll(source, [c.sha]);

    expect(read).toMatchObject({
      sha: c.sha,
      parents: [sha("base")],
      subject: "fix(router): drop stale workers (#5492)",
      body: "Workers that missed three heartbeats\nstay in the pool.",
      author: { name: "Grace Hopper", email: "grace@example.com", date: "2026-01-10T06:02:03Z" },
      committer: { name: "GitHub", email: "noreply@github.com", date: at(3) },
      patchBytesOmitted: 0,
    });
    expect(read!.files).toEqual([
      {
        path: "lib/router/src/pool.rs",
        status: "modified",
        oldMode: "100644",
        newMode: "100644",
        binary: false,
        submodule: false,
        additions: 2,
        deletions: 1,
        patch: "@@ -10,3 +10,4 @@ impl Pool {\n     fn prune(&mut self) {\n-        self.workers.clear();\n+        self.workers.retain(|w| w.alive());\n+        self.evicted += 1;\n",
        patchTruncated: false,
      },
    ]);
  });

  it("follows the pages of a commit's files past 300, keeping their order", async () => {
    const files: FixtureFile[] = Array.from({ length: 350 }, (_, i) => ({
      filename: `docs/page-${String(i).padStart(3, "0")}.md`,
      status: "added",
      additions: 1,
      patch: `@@ -0,0 +1 @@\n+page ${i}`,
    }));
    const big = commit("big", 2, [], { files });
    const { server, source } = await setup({ commits: [big] });
    const [read] = await readAll(source, [big.sha]);

    expect(read!.files).toHaveLength(350);
    expect(read!.files.map((f) => f.path)).toEqual(files.map((f) => f.filename));
    expect(read!.files[349]!.patch).toBe("@@ -0,0 +1 @@\n+page 349\n");
    expect(requestsTo(server, new RegExp(`/commits/${big.sha}`))).toHaveLength(2);
  });

  it("marks a counted file without patch as cut, and a file without lines or patch as binary", async () => {
    const c = commit("assets", 2, [], {
      files: [
        { filename: "data/huge.json", status: "modified", additions: 40_000, deletions: 3 },
        { filename: "docs/logo.png", status: "added" },
        { filename: "src/ok.ts", status: "modified", additions: 1, deletions: 0, patch: "@@ -1 +1,2 @@\n x\n+y" },
      ],
    });
    const { source } = await setup({ commits: [c] });
    const [read] = await readAll(source, [c.sha]);
    const [huge, logo, ok] = read!.files;

    expect(huge).toMatchObject({ patch: "", patchTruncated: true, binary: false, additions: 40_000, deletions: 3 });
    expect(logo).toMatchObject({ patch: "", patchTruncated: false, binary: true, oldMode: "000000" });
    expect(ok).toMatchObject({ patchTruncated: false, binary: false });

    const facts = extractFacts(read!, { criticalPaths: [], ignorePaths: [] });
    expect(facts.unseen.truncatedFiles).toEqual(["data/huge.json"]);
    expect(facts.totals).toMatchObject({ files: 3, additions: 40_001, deletions: 3 });
  });

  it("keeps renames with their old path and maps removed files to deletions", async () => {
    const c = commit("move", 2, [], {
      files: [
        { filename: "src/new_name.py", previousFilename: "src/old_name.py", status: "renamed" },
        { filename: "src/edited.py", previousFilename: "src/before.py", status: "renamed", additions: 1, deletions: 1, patch: "@@ -1 +1 @@\n-a = 1\n+a = 2" },
        { filename: "src/gone.py", status: "removed", deletions: 2, patch: "@@ -1,2 +0,0 @@\n-def f():\n-    pass" },
      ],
    });
    const { source } = await setup({ commits: [c] });
    const [read] = await readAll(source, [c.sha]);
    const [pure, edited, gone] = read!.files;

    expect(pure).toMatchObject({ path: "src/new_name.py", oldPath: "src/old_name.py", status: "renamed", binary: false, patch: "" });
    expect(edited).toMatchObject({ path: "src/edited.py", oldPath: "src/before.py", status: "renamed", additions: 1, deletions: 1 });
    expect(gone).toMatchObject({ path: "src/gone.py", status: "deleted", oldMode: "100644", newMode: "000000", deletions: 2 });

    const facts = extractFacts(read!, { criticalPaths: [], ignorePaths: [] });
    expect(facts.files.find((f) => f.path === "src/gone.py")).toMatchObject({ status: "deleted" });
    expect(facts.files.every((f) => f.modeChange === undefined)).toBe(true);
  });

  it("yields commits in the order given, and every one goes through the facts", async () => {
    const history = linearHistory(12);
    const { source } = await setup({ commits: history });
    const order = [5, 0, 11, 3, 7, 1, 9, 2, 10, 4, 8, 6].map((i) => sha(`c${i}`));
    const commits = await readAll(source, order);

    expect(commits.map((c) => c.sha)).toEqual(order);
    for (const c of commits) {
      const facts = extractFacts(c, { criticalPaths: ["src/**"], ignorePaths: [] });
      expect(facts.sha).toBe(c.sha);
      expect(facts.message.type).toBe("feat");
      expect(facts.totals.additions).toBe(1);
    }
  });

  it("reads several commits at once, never more than four", async () => {
    const history = linearHistory(12);
    const { source, client } = await setupWithClient({ commits: history }, [{ kind: "slow", match: /\/commits\/[0-9a-f]{40}/, delayMs: 40 }]);
    let inFlight = 0;
    let most = 0;
    client.rest.hook.before("request", () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
    });
    client.rest.hook.after("request", () => {
      inFlight -= 1;
    });
    const commits = await readAll(source, history.map((c) => c.sha));
    expect(commits).toHaveLength(12);
    expect(most).toBe(4);
  });

  it("reads the whole period of a merge-heavy branch end to end", async () => {
    const commits = [
      commit("root", 1, []),
      commit("topic", 2, ["root"], { branches: ["topic"] }),
      commit("merge", 3, ["root", "topic"], { message: "Merge pull request #9 from ada/topic\n\nAdd the topic" }),
    ];
    const { source } = await setup({ commits });
    await source.prepare();
    await source.update();
    const headers = await source.listCommits(wholeDay);
    const read = await readAll(source, headers.map((h) => h.sha));
    const facts = read.map((c) => extractFacts(c, { criticalPaths: [], ignorePaths: [] }));
    expect(facts.map((f) => f.sha)).toEqual([sha("merge"), sha("root")]);
    expect(facts[0]!.message.isMerge).toBe(true);
  });

  it("stops cleanly when the consumer stops early", async () => {
    const { source } = await setup({ commits: linearHistory(10) });
    const seen: string[] = [];
    for await (const c of source.readCommits(linearHistory(10).map((c) => c.sha))) {
      seen.push(c.sha);
      break;
    }
    expect(seen).toEqual([sha("c0")]);
  });
});

describe("GitHubApiSource: failures", () => {
  it("says in one line that a repository does not exist", async () => {
    const { source } = await setup({ commits: [] }, { ref: { name: "ai-dynamo/nope", location: "ai-dynamo/nope" } });
    const error = await source.prepare().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ExternalServiceError);
    const message = (error as Error).message;
    expect(message).toContain("not found (404)");
    expect(message).toContain("/repos/ai-dynamo/nope");
    expect(message).not.toContain("\n");
  });

  it("names a configured branch that does not exist", async () => {
    const { source } = await setup({ commits: [commit("m", 1, [])] }, { ref: { branch: "no-such" } });
    await expect(source.resolveBranch()).rejects.toThrow(InputError);
    await expect(source.resolveBranch()).rejects.toThrow('has no branch "no-such"');
  });

  it("reports a commit the API cannot find as a GitHub error", async () => {
    const { source } = await setup({ commits: [commit("m", 1, [])] });
    await expect(readAll(source, [sha("missing")])).rejects.toThrow(ExternalServiceError);
  });

  it("refuses a location that names no GitHub repository", () => {
    const client = createGitHubClient({ baseUrl: "http://127.0.0.1:9", retries: 0 });
    expect(() => new GitHubApiSource({ name: "local", location: "/srv/git/local" }, { client, logger: silentLogger })).toThrow(InputError);
  });
});
