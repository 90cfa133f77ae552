/**
 * The git source under real faults, through the CLI as a user runs it: history with a
 * committer date older than its parent, a first clone killed with `kill -9`, a partial
 * clone whose remote is gone, a clone URL with credentials served over real HTTP, and a
 * clone onto a full filesystem (a real tmpfs).
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { reportSchema } from "../../src/report/json/report-schema.js";
import { mirrorDirName } from "../../src/sources/git/git-source.js";
import { makeRepo, makeTempDir, type TestRepo } from "../helpers/make-repo.js";
import { runCli } from "../helpers/run-cli.js";
import { mountTmpfs } from "../helpers/tmpfs.js";
import { startGitHttpServer } from "./git-http-server.js";

const DAY = "2026-01-17";
const repos: TestRepo[] = [];
afterAll(() => {
  for (const repo of repos) repo.cleanup();
});

function repo(): TestRepo {
  const made = makeRepo();
  repos.push(made);
  return made;
}

/** The day's JSON report in `out` (one repository a run, so one file). */
function report(out: string) {
  const [name, ...more] = readdirSync(out).filter((file) => file.endsWith(".en.json"));
  if (!name || more.length > 0) throw new Error(`fault suite: expected one JSON report in ${out}, found ${readdirSync(out).join(", ")}`);
  return reportSchema.parse(JSON.parse(readFileSync(join(out, name), "utf8")));
}

function markdownReport(out: string): string {
  const name = readdirSync(out).find((file) => file.endsWith(".en.md"))!;
  return readFileSync(join(out, name), "utf8");
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

const reportArgs = (location: string, out: string) => ["report", "--repo", location, "--date", DAY, "--tz", "UTC", "--lang", "en", "-f", "json", "-f", "md", "--out", out];

describe("a committer date older than its parent", () => {
  it("drops no commit of the day: the period filters the whole first-parent line", async () => {
    const r = repo();
    const subjects = ["feat: one", "feat: two", "feat: three", "feat: four"];
    r.write("a.txt", "0\n");
    r.commit({ message: "chore: the day before", date: "2026-01-16T12:00:00Z" });
    r.write("a.txt", "1\n");
    r.commit({ message: subjects[0]!, date: `${DAY}T09:00:00Z` });
    r.write("a.txt", "2\n");
    r.commit({ message: subjects[1]!, date: `${DAY}T10:00:00Z` });
    // Rebased from an old branch: committed a week before its parent; `git log --since` stops here.
    r.write("a.txt", "skewed\n");
    r.commit({ message: "fix: from a week ago", date: "2026-01-10T10:30:00Z" });
    r.write("a.txt", "3\n");
    r.commit({ message: subjects[2]!, date: `${DAY}T11:00:00Z` });
    r.write("a.txt", "4\n");
    r.commit({ message: subjects[3]!, date: `${DAY}T12:00:00Z` });

    const out = makeTempDir();
    const run = await runCli(reportArgs(r.dir, out), { cwd: makeTempDir(), dataDir: makeTempDir() });
    expect(run.status, run.stderr).toBe(0);
    const titles = report(out).repos[0]!.commits.map((commit) => commit.title);
    expect(titles.sort()).toEqual([...subjects].sort());
  });
});

describe("a first clone killed with kill -9", () => {
  it("leaves no mirror that looks cloned: the next report clones again, and no temporary folder stays", { timeout: 120_000 }, async () => {
    const origin = repo();
    // Big enough (incompressible) that the clone takes a moment.
    for (let index = 0; index < 6; index++) origin.write(`data/blob-${index}.bin`, randomBytes(8 * 1024 * 1024));
    origin.write("src/app.py", "def main():\n    return 1\n");
    origin.commit({ message: "feat: the app and its data", date: `${DAY}T09:00:00Z` });
    const url = `file://${origin.dir}`;
    const dataDir = makeTempDir();
    const mirrors = join(dataDir, "mirrors");
    const out = makeTempDir();

    // Its own process group, so that kill -9 takes git with it, as a killed terminal or a CI timeout does.
    const child = spawn(process.execPath, ["--import", TSX_LOADER, MAIN, ...reportArgs(url, out)], {
      cwd: makeTempDir(),
      env: { ...process.env, REPO_DIGEST_DATA_DIR: dataDir, NO_COLOR: "1" },
      detached: true,
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const cloning = await waitFor(() => (existsSync(mirrors) ? readdirSync(mirrors).find((name) => name.includes(".clone-")) : undefined), 60_000);
    process.kill(-child.pid!, "SIGKILL");
    await exited;
    // Killed halfway: the temporary folder is there, the mirror is not.
    expect(readdirSync(mirrors)).toEqual([cloning]);

    const again = await runCli(reportArgs(url, out), { cwd: makeTempDir(), dataDir });
    expect(again.status, again.stderr).toBe(0);
    expect(report(out).repos[0]!.commits.map((commit) => commit.title)).toEqual(["feat: the app and its data"]);
    expect(readdirSync(mirrors)).toEqual([mirrorDirName(url)]);
  });
});

describe("a partial clone whose remote is gone", () => {
  it("writes the report with every commit, names the file it could not read, and exits 6; once repaired, reads it whole", { timeout: 120_000 }, async () => {
    const origin = repo();
    origin.git(["config", "uploadpack.allowFilter", "true"]);
    origin.write("src/app.py", "def main():\n    return 1\n");
    origin.write("src/a_table.py", `TABLE = [\n${Array.from({ length: 200 }, (_, i) => `    ${i},\n`).join("")}]\n`);
    origin.commit({ message: "feat: the app", date: `${DAY}T09:00:00Z` });
    origin.write("src/app.py", "def main():\n    return 2\n\n\ndef helper():\n    return 3\n");
    origin.write("src/a_table.py", `TABLE = [\n${Array.from({ length: 300 }, (_, i) => `    ${i},\n`).join("")}]\n`);
    origin.commit({ message: "feat: a helper and a longer table", date: `${DAY}T10:00:00Z` });

    const clones = makeTempDir();
    const part = join(clones, "part");
    origin.git(["clone", "-q", "--filter=blob:none", "--no-checkout", `file://${origin.dir}`, part]);
    // Fetched on demand while the remote was there: the app's versions. The table's never were.
    for (const rev of ["HEAD:src/app.py", "HEAD~1:src/app.py"]) origin.git(["-C", part, "cat-file", "-p", rev]);
    const away = `${origin.dir}.away`;
    renameSync(origin.dir, away);

    const dataDir = makeTempDir();
    const out = makeTempDir();
    const run = await runCli(reportArgs(part, out), { cwd: makeTempDir(), dataDir });
    expect(run.status, run.stderr).toBe(6);
    expect(run.stderr).toMatch(/written with gaps: 2 file\(s\) in 2 commit\(s\) of \S+ could not be read/);
    expect(run.stderr).toContain("git fetch --refetch");
    const json = report(out);
    const commits = json.repos[0]!.commits;
    expect(commits.map((commit) => commit.title)).toEqual(["feat: a helper and a longer table", "feat: the app"]);
    for (const commit of commits) {
      expect(commit.facts.unseen.unreadableFiles).toEqual(["src/a_table.py"]);
      // Said once: not also as a file the structural pass fell back on.
      expect(commit.facts.unseen.structureFallback).toEqual([]);
    }
    const latest = commits[0]!;
    // Every readable patch is kept, and the structural pass read both versions of the app.
    expect(latest.facts.files.find((file) => file.path === "src/app.py")).toMatchObject({ additions: 5, deletions: 1 });
    expect(latest.facts.files.find((file) => file.path === "src/a_table.py")).toMatchObject({ status: "modified", additions: 0, deletions: 0 });
    expect(latest.facts.symbols).toContainEqual(expect.objectContaining({ name: "helper", change: "added", basis: "structure" }));
    const markdown = markdownReport(out);
    expect(markdown).toContain("1 file could not be read from the repository, not analysed (`src/a_table.py`)");

    // The remote is back: git fetches what is missing, and the commits (not stored with gaps) are read whole.
    renameSync(away, origin.dir);
    const repaired = await runCli(reportArgs(part, out), { cwd: makeTempDir(), dataDir });
    expect(repaired.status, repaired.stderr).toBe(0);
    const whole = report(out).repos[0]!.commits[0]!;
    expect(whole.facts.unseen.unreadableFiles).toBeUndefined();
    expect(whole.facts.files.find((file) => file.path === "src/a_table.py")).toMatchObject({ additions: 100, deletions: 0 });
  });
});

describe("a clone URL with credentials", () => {
  const USER = "ci-bot";
  const TOKEN = "s3cr3t-T0KEN-never-on-disk";

  it("sends them to the host on clone and fetch, keeps them in no file of the data dir, and makes it 0700", { timeout: 120_000 }, async () => {
    const root = makeTempDir();
    const origin = repo();
    origin.write("src/app.py", "def main():\n    return 1\n");
    origin.commit({ message: "feat: the app", date: `${DAY}T09:00:00Z` });
    origin.git(["clone", "-q", "--bare", origin.dir, join(root, "app.git")]);
    const server = await startGitHttpServer(root, { user: USER, password: TOKEN });
    try {
      const url = `${server.url.replace("://", `://${USER}:${TOKEN}@`)}/app.git`;
      const dataDir = join(makeTempDir(), "data");
      const out = makeTempDir();
      const first = await runCli(reportArgs(url, out), { cwd: makeTempDir(), dataDir });
      expect(first.status, first.stderr).toBe(0);
      // Fetched again before the second report: the credentials go with the fetch too.
      const second = await runCli(reportArgs(url, out), { cwd: makeTempDir(), dataDir });
      expect(second.status, second.stderr).toBe(0);
      expect(report(out).repos[0]!.commits.map((commit) => commit.title)).toEqual(["feat: the app"]);
      const expected = `Basic ${Buffer.from(`${USER}:${TOKEN}`).toString("base64")}`;
      expect(server.authorizations.filter((header) => header === expected).length).toBeGreaterThanOrEqual(2);

      const mirror = join(dataDir, "mirrors", mirrorDirName(`${server.url}/app.git`));
      expect(readFileSync(join(mirror, "config"), "utf8")).toContain(`url = ${server.url}/app.git`);
      const encoded = Buffer.from(`${USER}:${TOKEN}`).toString("base64");
      for (const file of [...filesUnder(dataDir), ...filesUnder(out)]) {
        const bytes = readFileSync(file);
        expect(bytes.includes(TOKEN), file).toBe(false);
        expect(bytes.includes(encoded), file).toBe(false);
      }
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, "mirrors")).mode & 0o777).toBe(0o700);
    } finally {
      await server.close();
    }
  });

  it("rewrites a mirror an older version cloned with the credentials in its config", { timeout: 120_000 }, async () => {
    const root = makeTempDir();
    const origin = repo();
    origin.write("src/app.py", "def main():\n    return 1\n");
    origin.commit({ message: "feat: the app", date: `${DAY}T09:00:00Z` });
    origin.git(["clone", "-q", "--bare", origin.dir, join(root, "app.git")]);
    const server = await startGitHttpServer(root, { user: USER, password: TOKEN });
    try {
      const url = `${server.url.replace("://", `://${USER}:${TOKEN}@`)}/app.git`;
      const dataDir = makeTempDir();
      // What an older version did: clone with the URL as given, under a name hashed from it.
      const legacy = join(dataDir, "mirrors", mirrorDirName(url));
      // Not execFileSync: the server answering this clone runs in this process.
      await promisify(execFile)("git", ["clone", "-q", "--mirror", url, legacy], { env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } });
      expect(readFileSync(join(legacy, "config"), "utf8")).toContain(TOKEN);

      const out = makeTempDir();
      const run = await runCli(reportArgs(url, out), { cwd: makeTempDir(), dataDir });
      expect(run.status, run.stderr).toBe(0);
      expect(readdirSync(join(dataDir, "mirrors"))).toEqual([mirrorDirName(`${server.url}/app.git`)]);
      for (const file of filesUnder(join(dataDir, "mirrors"))) expect(readFileSync(file).includes(TOKEN), file).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe("a clone onto a full disk", () => {
  it("exits 3 with git's own words, and leaves no half-made mirror", { timeout: 120_000 }, async () => {
    const origin = repo();
    origin.write("data/blob.bin", randomBytes(6 * 1024 * 1024));
    origin.commit({ message: "feat: data", date: `${DAY}T09:00:00Z` });
    // Room for the store, not for the clone.
    const tmpfs = mountTmpfs(2 * 1024);
    try {
      const run = await runCli(reportArgs(`file://${origin.dir}`, makeTempDir()), { cwd: makeTempDir(), dataDir: tmpfs.dir });
      expect(run.status, run.stderr).toBe(3);
      const lines = run.stderr.split("\n").filter(Boolean);
      expect(lines.at(-1)).toMatch(/^repo-digest: could not clone file:\/\/\S+: write error: No space left on device \(free space/);
      expect(readdirSync(join(tmpfs.dir, "mirrors"))).toEqual([]);
    } finally {
      tmpfs.unmount();
    }
  });
});

const MAIN = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("fault suite: timed out waiting for the clone to start");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
