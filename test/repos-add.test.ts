/**
 * `repos add` and `repos import` check what they are given, through the real CLI: a path
 * must be a git repository (exit 2), a URL must answer `git ls-remote` (exit 3, git's own
 * words) — against a real smart-HTTP git server behind Basic auth and file:// URLs — and
 * credentials in a URL reach git as a header, never its argv (GIT_TRACE shows git's argv)
 * nor the output. An import adds all of its lines or none.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reposListDocument } from "../src/cli/json-output.js";
import { startGitHttpServer, type GitHttpServer } from "./faults/git-http-server.js";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";
import { runCli, type CliRun } from "./helpers/run-cli.js";

const PASSWORD = "pw0SECRETvalue";
const CONFIG = "timezone: UTC\n# my repositories\nrepos: []\n";

let repo: TestRepo;
let server: GitHttpServer;
let root: string;

beforeAll(async () => {
  repo = makeRepo();
  repo.write("README.md", "hello\n");
  repo.commit("docs: hello");
  root = makeTempDir();
  execFileSync("git", ["clone", "-q", "--bare", repo.dir, join(root, "app.git")]);
  server = await startGitHttpServer(root, { user: "bot", password: PASSWORD });
});
afterAll(async () => {
  await server?.close();
  repo?.cleanup();
});

function withCredentials(path: string, password = PASSWORD): string {
  return `${server.url.replace("http://", `http://bot:${password}@`)}${path}`;
}

function setup(): { cwd: string; dataDir: string; file: string } {
  const cwd = makeTempDir();
  const file = join(cwd, "repo-digest.yaml");
  writeFileSync(file, CONFIG);
  return { cwd, dataDir: makeTempDir(), file };
}

/** The one line on stderr, with the exit code. */
function oneLine(run: CliRun, exitCode: number): string {
  expect(run.status, run.stderr).toBe(exitCode);
  const lines = run.stderr.split("\n").filter(Boolean);
  expect(lines, run.stderr).toHaveLength(1);
  expect(run.stderr).not.toMatch(/internal error|^\s+at /m);
  return lines[0]!;
}

describe("repos add checks its argument", () => {
  it("a path that does not exist, or is no git repository: exit 2 naming the path and the fix; the config untouched", async () => {
    const where = setup();
    const missing = join(where.cwd, "nowhere");
    expect(oneLine(await runCli(["repos", "add", missing], where), 2)).toBe(
      `repo-digest: ${missing} does not exist (give the folder of a git clone or a clone URL, or add it anyway with --no-check)`,
    );
    const folder = join(where.cwd, "plain");
    mkdirSync(folder);
    expect(oneLine(await runCli(["repos", "add", "plain"], where), 2)).toMatch(new RegExp(`^repo-digest: ${folder} is not a git repository \\(git rev-parse fails there\\) \\(.*--no-check\\)$`));
    expect(readFileSync(where.file, "utf8")).toBe(CONFIG);

    const added = await runCli(["repos", "add", repo.dir, "--name", "demo/app"], where);
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).toBe("tracking demo/app\n");
  }, 60_000);

  it("--no-check adds what cannot be checked now (offline setup)", async () => {
    const where = setup();
    const run = await runCli(["repos", "add", join(where.cwd, "later"), "--no-check", "--name", "me/later"], where);
    expect(run.status, run.stderr).toBe(0);
    const url = await runCli(["repos", "add", "file:///nonexistent/remote.git", "--no-check", "--name", "me/remote"], where);
    expect(url.status, url.stderr).toBe(0);
    const list = reposListDocument.parse(JSON.parse((await runCli(["repos", "list", "--json"], where)).stdout));
    expect(list.repos.map((entry) => entry.name)).toEqual(["me/later", "me/remote"]);
  }, 60_000);

  it("a URL must answer git ls-remote: exit 3 with git's words; credentials go as a header, never in argv or output", async () => {
    const where = setup();
    const missing = `file://${join(root, "missing.git")}`;
    expect(oneLine(await runCli(["repos", "add", missing], where), 3)).toMatch(
      new RegExp(`^repo-digest: git: cannot read ${missing}: '${join(root, "missing.git")}' does not appear to be a git repository \\(.*--no-check\\)$`),
    );
    // No credentials: the server answers 401, and git may not ask for a password.
    const bare = `${server.url}/app.git`;
    expect(oneLine(await runCli(["repos", "add", bare], where), 3)).toMatch(/^repo-digest: git: cannot read http:\/\/127\.0\.0\.1:\d+\/app\.git: could not read Username .*terminal prompts disabled/);
    // Wrong credentials: refused too, and the password is not repeated.
    const wrong = await runCli(["repos", "add", withCredentials("/app.git", "wrongPASSWORD")], where);
    expect(oneLine(wrong, 3)).not.toContain("wrongPASSWORD");
    expect(readFileSync(where.file, "utf8")).toBe(CONFIG);

    const trace = join(makeTempDir(), "trace");
    const seen = server.authorizations.length;
    const good = await runCli(["repos", "add", withCredentials("/app.git"), "--name", "acme/app"], { ...where, env: { GIT_TRACE: trace } });
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout + good.stderr).not.toContain(PASSWORD);
    expect(server.authorizations.slice(seen)).toContain(`Basic ${Buffer.from(`bot:${PASSWORD}`).toString("base64")}`);
    const argv = readFileSync(trace, "utf8");
    expect(argv).toMatch(/trace: built-in: git ls-remote --heads -- http:\/\/127\.0\.0\.1:\d+\/app\.git/);
    expect(argv).not.toContain(PASSWORD);
  }, 90_000);

  it("a URL that never answers: exit 3 after 20 s, not a hang", async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const where = setup();
      const started = Date.now();
      const run = await runCli(["repos", "add", `http://127.0.0.1:${port}/app.git`], where);
      expect(oneLine(run, 3)).toMatch(new RegExp(`^repo-digest: git: http://127\\.0\\.0\\.1:${port}/app\\.git did not answer \`git ls-remote\` within 20 s \\(.*--no-check\\)$`));
      expect(Date.now() - started).toBeLessThan(50_000);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  }, 90_000);
});

describe("repos import", () => {
  it("adds every line in one write: comments and blank lines skipped, names after whitespace, paths from the list's folder", async () => {
    const where = setup();
    const other = makeRepo();
    try {
      other.commit({ message: "init", allowEmpty: true });
      const listDir = makeTempDir();
      execFileSync("git", ["clone", "-q", repo.dir, join(listDir, "local-clone")]);
      const list = join(listDir, "repos.txt");
      writeFileSync(list, ["# team repositories", "", `${withCredentials("/app.git")}   acme/app  # over HTTP`, "local-clone", `  ${other.dir} me/other`, ""].join("\n"));
      const run = await runCli(["repos", "import", list], where);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toBe("tracking acme/app\ntracking local-clone\ntracking me/other\n");
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
      const listed = reposListDocument.parse(JSON.parse((await runCli(["repos", "list", "--json"], where)).stdout));
      expect(listed.repos).toEqual([
        { name: "acme/app", source: "git", url: expect.stringMatching(/^http:\/\/\*\*\*@127\.0\.0\.1:\d+\/app\.git$/) },
        { name: "local-clone", source: "git", path: join(listDir, "local-clone") },
        { name: "me/other", source: "git", path: other.dir },
      ]);
      // The user's comment survives the edit.
      expect(readFileSync(where.file, "utf8")).toContain("# my repositories");
    } finally {
      other.cleanup();
    }
  }, 90_000);

  it("all or nothing: each failing line named as <file>:<line>, exit 2, the config byte for byte as it was", async () => {
    const where = setup();
    const list = join(where.cwd, "repos.txt");
    writeFileSync(
      list,
      [
        `${repo.dir} demo/app`,
        "# a comment",
        join(where.cwd, "nowhere"),
        `file://${join(root, "missing.git")}`,
        "a b c",
        `${repo.dir} demo/app`,
        "",
      ].join("\n"),
    );
    const run = await runCli(["repos", "import", list], where);
    expect(run.status, run.stderr).toBe(2);
    const lines = run.stderr.split("\n").filter(Boolean);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(`repo-digest: ${list}:3: ${join(where.cwd, "nowhere")} does not exist (give the folder of a git clone or a clone URL, or add it anyway with --no-check)`);
    expect(lines[1]).toMatch(new RegExp(`^repo-digest: ${list}:4: git: cannot read file://.*missing\\.git: .*does not appear to be a git repository`));
    expect(lines[2]).toMatch(new RegExp(`^repo-digest: ${list}:5: expected \`<path-or-url> \\[name\\]\`, found 3 fields`));
    expect(lines[3]).toBe(`repo-digest: ${list}:6: a repository named "demo/app" is also on line 1 (give this line another name after the location)`);
    expect(lines[4]).toMatch(new RegExp(`^repo-digest: 4 of 5 line\\(s\\) of ${list} failed; nothing was added`));
    expect(readFileSync(where.file, "utf8")).toBe(CONFIG);
  }, 90_000);

  it("only remote checks failed: exit 3; a name already in the config is named too; --no-check imports them", async () => {
    const where = setup();
    const list = join(where.cwd, "repos.txt");
    writeFileSync(list, `${repo.dir} demo/app\n${server.url}/app.git acme/app\n`);
    const run = await runCli(["repos", "import", list], where);
    expect(run.status, run.stderr).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`^repo-digest: ${list}:2: git: cannot read http://127\\.0\\.0\\.1:\\d+/app\\.git: could not read Username`, "m"));
    expect(run.stderr).not.toMatch(new RegExp(`${list}:1:`));
    expect(readFileSync(where.file, "utf8")).toBe(CONFIG);

    const unchecked = await runCli(["repos", "import", list, "--no-check"], where);
    expect(unchecked.status, unchecked.stderr).toBe(0);
    const again = await runCli(["repos", "import", list, "--no-check"], where);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(`${list}:1: a repository named "demo/app" is already in ${where.file}`);
  }, 90_000);
});
