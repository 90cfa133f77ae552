/**
 * `repos add --org <login>` through the real CLI against the local GitHub server
 * (test/helpers/github-server.ts, which pages with real Link headers): every page is read,
 * --include / --exclude globs, archived repositories and forks left out unless asked, the
 * fallback to a user's repositories, 404 → exit 2 and 401 → exit 3 in one line each, names
 * already tracked skipped and said, --dry-run writing nothing, --json parsed by its schema.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reposAddOrgDocument, reposListDocument } from "../src/cli/json-output.js";
import { startGitHubServer, type FixtureRepo, type GitHubServer } from "./helpers/github-server.js";
import { makeTempDir } from "./helpers/make-repo.js";
import { runCli, type CliRun } from "./helpers/run-cli.js";

const TOKEN = "t0kenSECRETvalue";
const ORG = "ai-dynamo";
/** More than one page of 100 (GitHub's maximum per_page, which the client asks for). */
const SERVICES = Array.from({ length: 101 }, (_, index) => `svc-${String(index).padStart(3, "0")}`);
const ORG_REPOS: FixtureRepo[] = [
  ...SERVICES.map((name) => ({ owner: ORG, name })),
  { owner: ORG, name: "dynamo" },
  { owner: ORG, name: "nixl" },
  { owner: ORG, name: "nixl-bench" },
  { owner: ORG, name: "nixl-archive", archived: true },
  { owner: ORG, name: "old-tool", archived: true },
  { owner: ORG, name: "vllm", fork: true },
];
/** What is added with no flag: everything but the two archived repositories and the fork, in GitHub's order (by name). */
const DEFAULT_ADDED = ORG_REPOS.filter((repo) => !repo.archived && !repo.fork)
  .map((repo) => repo.name)
  .sort((a, b) => a.localeCompare(b))
  .map((name) => `${ORG}/${name}`);

let server: GitHubServer;

beforeAll(async () => {
  server = await startGitHubServer({
    tokens: [TOKEN],
    organizations: [ORG, "empty-org"],
    repos: [...ORG_REPOS, { owner: "octo-user", name: "dotfiles" }, { owner: "octo-user", name: "toolbox" }],
  });
});
afterAll(async () => {
  await server?.close();
});

function setup(repos = "repos: []\n"): { cwd: string; dataDir: string; file: string } {
  const cwd = makeTempDir();
  const file = join(cwd, "repo-digest.yaml");
  writeFileSync(file, `timezone: UTC\n# my repositories\ngithub: { apiUrl: "${server.url}", tokenEnv: TEST_GH_TOKEN }\n${repos}`);
  return { cwd, dataDir: makeTempDir(), file };
}

function cli(args: string[], where: { cwd: string; dataDir: string }, token = TOKEN): Promise<CliRun> {
  return runCli(args, { cwd: where.cwd, dataDir: where.dataDir, env: { GITHUB_TOKEN: "", GH_TOKEN: "", TEST_GH_TOKEN: token } });
}

/** The repositories the config tracks now, as `repos list --json` reads them. */
async function tracked(where: { cwd: string; dataDir: string }): Promise<Array<{ name: string; url?: string; source: string }>> {
  const run = await cli(["repos", "list", "--json"], where);
  expect(run.status, run.stderr).toBe(0);
  return reposListDocument.parse(JSON.parse(run.stdout)).repos;
}

/** The one line on stderr, with the exit code. */
function oneLine(run: CliRun, exitCode: number): string {
  expect(run.status, run.stderr).toBe(exitCode);
  const lines = run.stderr.split("\n").filter(Boolean);
  expect(lines, run.stderr).toHaveLength(1);
  expect(run.stderr).not.toMatch(/internal error|^\s+at /m);
  return lines[0]!;
}

describe("repos add --org", () => {
  it("reads every page, leaves out archived repositories and forks, adds the rest in one write with clone URLs", async () => {
    const where = setup();
    const before = server.requests.length;
    const run = await cli(["repos", "add", "--org", ORG], where);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.slice(0, -1)).toEqual(DEFAULT_ADDED.map((name) => `tracking ${name}`));
    expect(lines.at(-1)).toBe(`added ${DEFAULT_ADDED.length} repositories of ${ORG} (3 skipped: archived 2, forks 1)`);

    // Two pages, the second reached through the first's Link header.
    const asked = server.requests.slice(before).map((request) => request.path);
    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatch(new RegExp(`^/orgs/${ORG}/repos\\?`));
    expect(asked[0]).toMatch(/per_page=100/);
    expect(asked[0]).toMatch(/type=all/);
    expect(asked[1]).toMatch(/[?&]page=2\b/);

    const repos = await tracked(where);
    expect(repos.map((repo) => repo.name)).toEqual(DEFAULT_ADDED);
    expect(repos[0]).toEqual({ name: `${ORG}/dynamo`, url: `https://github.com/${ORG}/dynamo.git`, source: "git" });
    // The user's comment survives the edit.
    expect(readFileSync(where.file, "utf8")).toMatch(/# my repositories/);
  });

  it("--include and --exclude globs (repeatable) pick by name; --archived and --forks take those too", async () => {
    const where = setup();
    const run = await cli(["repos", "add", "--org", ORG, "--include", "nixl*", "--include", "vllm", "--exclude", "*-archive"], where);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      [`tracking ${ORG}/nixl`, `tracking ${ORG}/nixl-bench`, `added 2 repositories of ${ORG} (105 skipped: forks 1, excluded 104)`, ""].join("\n"),
    );

    const all = setup();
    const withFlags = await cli(["repos", "add", "--org", ORG, "--include", "nixl*", "--include", "old-*", "--include", "vllm", "--archived", "--forks"], all);
    expect(withFlags.status, withFlags.stderr).toBe(0);
    expect((await tracked(all)).map((repo) => repo.name)).toEqual([`${ORG}/nixl`, `${ORG}/nixl-archive`, `${ORG}/nixl-bench`, `${ORG}/old-tool`, `${ORG}/vllm`]);
    expect(withFlags.stdout.trimEnd().split("\n").at(-1)).toBe(`added 5 repositories of ${ORG} (102 skipped: excluded 102)`);
  });

  it("a login that is a user, not an organisation: its repositories, after the organisation's 404", async () => {
    const where = setup();
    const before = server.requests.length;
    const run = await cli(["repos", "add", "--org", "octo-user", "--api"], where);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(["tracking octo-user/dotfiles", "tracking octo-user/toolbox", "added 2 repositories of octo-user", ""].join("\n"));
    const asked = server.requests.slice(before);
    expect(asked.map((request) => [request.path.split("?")[0], request.status])).toEqual([
      ["/orgs/octo-user/repos", 404],
      ["/users/octo-user/repos", 200],
    ]);
    // --api: read through the API, as `repos add <url> --api` does.
    expect(await tracked(where)).toEqual([
      { name: "octo-user/dotfiles", url: "https://github.com/octo-user/dotfiles.git", source: "github-api" },
      { name: "octo-user/toolbox", url: "https://github.com/octo-user/toolbox.git", source: "github-api" },
    ]);
  });

  it("no such organisation or user: exit 2 in one line; a rejected token: exit 3 naming its variable; the config untouched", async () => {
    const where = setup();
    const original = readFileSync(where.file);
    const missing = oneLine(await cli(["repos", "add", "--org", "nobody-here"], where), 2);
    expect(missing).toMatch(/^repo-digest: no GitHub organisation or user nobody-here \(check the spelling/);

    const rejected = oneLine(await cli(["repos", "add", "--org", ORG], where, "wrong-token-value"), 3);
    expect(rejected).toMatch(/^repo-digest: GitHub: bad credentials \(401\) for GET \/orgs\/ai-dynamo\/repos: the token in TEST_GH_TOKEN was rejected/);
    expect(rejected).not.toContain("wrong-token-value");
    expect(readFileSync(where.file).equals(original)).toBe(true);
  });

  it("names already tracked are skipped and said, by name or by the name their URL gives", async () => {
    const where = setup(`repos:\n  - { name: ${ORG}/nixl, url: "https://github.com/${ORG}/nixl.git" }\n  - url: https://github.com/${ORG}/NIXL-bench.git\n`);
    const run = await cli(["repos", "add", "--org", ORG, "--include", "nixl*", "--include", "dynamo"], where);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      [
        `already tracked: ${ORG}/nixl`,
        `already tracked: ${ORG}/nixl-bench`,
        `tracking ${ORG}/dynamo`,
        `added 1 repository of ${ORG} (106 skipped: archived 1, excluded 103, already tracked 2)`,
        "",
      ].join("\n"),
    );
    expect((await tracked(where)).map((repo) => repo.name)).toEqual([`${ORG}/nixl`, `${ORG}/NIXL-bench`, `${ORG}/dynamo`]);
  });

  it("--dry-run lists what would be added and writes nothing", async () => {
    const where = setup();
    const original = readFileSync(where.file);
    const run = await cli(["repos", "add", "--org", ORG, "--include", "nixl*", "--dry-run"], where);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe([`would track ${ORG}/nixl`, `would track ${ORG}/nixl-bench`, `would add 2 repositories of ${ORG} (105 skipped: archived 1, excluded 104)`, ""].join("\n"));
    expect(readFileSync(where.file).equals(original)).toBe(true);
  });

  it("--json prints one document its schema parses, with and without --dry-run", async () => {
    const dry = setup();
    const original = readFileSync(dry.file);
    const planned = await cli(["repos", "add", "--org", ORG, "--include", "nixl*", "--include", "vllm", "--dry-run", "--json"], dry);
    expect(planned.status, planned.stderr).toBe(0);
    expect(reposAddOrgDocument.parse(JSON.parse(planned.stdout))).toEqual({
      schemaVersion: 1,
      config: dry.file,
      owner: ORG,
      ownerKind: "organisation",
      dryRun: true,
      added: [
        { name: `${ORG}/nixl`, url: `https://github.com/${ORG}/nixl.git`, source: "git" },
        { name: `${ORG}/nixl-bench`, url: `https://github.com/${ORG}/nixl-bench.git`, source: "git" },
      ],
      skipped: expect.arrayContaining([
        { name: `${ORG}/nixl-archive`, reason: "archived" },
        { name: `${ORG}/vllm`, reason: "fork" },
        { name: `${ORG}/dynamo`, reason: "excluded" },
      ]) as unknown,
    });
    expect(readFileSync(dry.file).equals(original)).toBe(true);

    const where = setup();
    const run = await cli(["repos", "add", "--org", "octo-user", "--json"], where);
    expect(run.status, run.stderr).toBe(0);
    const document = reposAddOrgDocument.parse(JSON.parse(run.stdout));
    expect(document).toMatchObject({ ownerKind: "user", dryRun: false, skipped: [] });
    expect(document.added.map((repo) => repo.name)).toEqual(["octo-user/dotfiles", "octo-user/toolbox"]);
    expect((await tracked(where)).map((repo) => repo.name)).toEqual(["octo-user/dotfiles", "octo-user/toolbox"]);
  });

  it("an organisation with nothing to add: says so, exit 0, the config untouched", async () => {
    const where = setup();
    const original = readFileSync(where.file);
    const run = await cli(["repos", "add", "--org", "empty-org"], where);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe("added 0 repositories of empty-org\n");
    expect(readFileSync(where.file).equals(original)).toBe(true);
  });

  it("a rate limit on the second page: waits, says so, and goes on", async () => {
    const limited = await startGitHubServer({ tokens: [TOKEN], organizations: [ORG], repos: ORG_REPOS }, [
      { kind: "rate-limit", match: /page=2/, resetInSeconds: 1 },
    ]);
    try {
      const where = setup();
      writeFileSync(where.file, readFileSync(where.file, "utf8").replace(server.url, limited.url));
      const run = await cli(["repos", "add", "--org", ORG, "--dry-run"], where);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/rate limit reached: waiting until/);
      expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(`would add ${DEFAULT_ADDED.length} repositories of ${ORG} (3 skipped: archived 2, forks 1)`);
    } finally {
      await limited.close();
    }
  });

  it("misuse is one line, exit 2, before GitHub is asked", async () => {
    const where = setup();
    const before = server.requests.length;
    expect(oneLine(await cli(["repos", "add"], where), 2)).toMatch(/missing required argument 'path-or-url' \(or --org <login>\)/);
    expect(oneLine(await cli(["repos", "add", ".", "--org", ORG], where), 2)).toMatch(/give a path or URL, or --org ai-dynamo, not both/);
    expect(oneLine(await cli(["repos", "add", ".", "--include", "x*"], where), 2)).toMatch(/--include applies to --org only/);
    expect(oneLine(await cli(["repos", "add", "--org", ORG, "--name", "x"], where), 2)).toMatch(/--name names one repository and cannot go with --org/);
    expect(oneLine(await cli(["repos", "add", "--org", "https://github.com/ai-dynamo"], where), 2)).toMatch(/is not a GitHub login/);
    const nowhere = { cwd: makeTempDir(), dataDir: makeTempDir() };
    expect(oneLine(await cli(["repos", "add", "--org", ORG], nowhere), 2)).toMatch(/config file .* does not exist \(create one with `repo-digest init`\)/);
    expect(server.requests.length).toBe(before);
  });
});
