/**
 * The CLI end to end, as a user runs it: a real process, a real git repository, a real
 * SQLite file in a temporary data dir, files on disk.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportSchema } from "../src/report/json/report-schema.js";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";

const MAIN = join(import.meta.dirname, "..", "src", "cli", "main.ts");
// Resolved here, not by node from the child's cwd: tests run the CLI from temporary folders.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { cwd?: string; dataDir: string }): Run {
  const result = spawnSync(process.execPath, ["--import", TSX_LOADER, MAIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, REPO_DIGEST_DATA_DIR: options.dataDir, NO_COLOR: "1" },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let repo: TestRepo;
let dataDir: string;

beforeAll(() => {
  repo = makeRepo();
  repo.write("README.md", "# demo\n");
  repo.commit({ message: "docs: start", date: "2026-01-16T12:00:00+08:00" });
  repo.write("src/server.py", "import os\n\nPORT = int(os.environ.get('DEMO_PORT', '8080'))\n\ndef serve():\n    return PORT\n");
  repo.commit({ message: "feat(server): add a server (#12)", date: "2026-01-17T00:00:00+08:00" });
  repo.write("src/server.py", "import os\n\nPORT = int(os.environ.get('DEMO_PORT', '8080'))\n\ndef serve():\n    return PORT + 1\n");
  repo.commit({ message: "fix: off by one | with a <script>alert(1)</script> pipe", date: "2026-01-17T23:59:59+08:00" });
  // An annotated tag of the 17th, and a light one on an older commit made on the 18th.
  repo.git(["tag", "-a", "v0.1.0", "-m", "first release"], { env: { GIT_COMMITTER_DATE: "2026-01-17T20:00:00+08:00" } });
  repo.write("docs/guide.md", "guide\n");
  repo.commit({ message: "docs: next day", date: "2026-01-18T00:00:00+08:00" });
  dataDir = makeTempDir();
});

afterAll(() => repo.cleanup());

describe("repo-digest report", () => {
  it("writes the day's report in Markdown and JSON, then re-runs from the store alone", () => {
    const out = makeTempDir();
    const args = ["report", "--repo", repo.dir, "--date", "2026-01-17", "--tz", "Asia/Shanghai", "--out", out, "-f", "md", "-f", "json"];
    const first = cli(args, { dataDir });
    expect(first.stderr).toMatch(/2 commit\(s\) in 1 repo\(s\); 2 read from git, 2 analysed/);
    expect(first.status).toBe(0);

    const files = readdirSync(out).sort();
    const base = `2026-01-17--${repo.dir.split("/").pop()}`;
    expect(files).toEqual([`${base}.json`, `${base}.md`]);
    expect(first.stdout.trim().split("\n").sort()).toEqual(files.map((f) => join(out, f)));

    const markdown = readFileSync(join(out, `${base}.md`), "utf8");
    expect(markdown).toContain("2026-01-17");
    expect(markdown).toContain("feat(server): add a server (#12)");
    expect(markdown).not.toContain("docs: next day");
    expect(markdown).not.toContain("docs: start");
    expect(markdown).not.toContain("<script>");

    const json = reportSchema.parse(JSON.parse(readFileSync(join(out, `${base}.json`), "utf8")));
    expect(json.repos[0]!.commits.map((c) => c.title)).toEqual([
      "fix: off by one | with a <script>alert(1)</script> pipe",
      "feat(server): add a server (#12)",
    ]);
    expect(json.overview.commits).toBe(2);
    // Tags of the day, read from the repository itself, in the activity section.
    expect(json.repos[0]!.activity?.tags).toEqual([{ name: "v0.1.0" }]);
    expect(markdown).toMatch(/\*\*🏷️ 新标签\*\*\n\n`v0.1.0`/);

    const again = cli(args, { dataDir });
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/0 read from git, 0 analysed/);
    // The same report, but for the time it was generated.
    const withoutGeneratedAt = (text: string) => text.replace(/^\*由 repo-digest .*$/m, "");
    expect(withoutGeneratedAt(readFileSync(join(out, `${base}.md`), "utf8"))).toBe(withoutGeneratedAt(markdown));
  });

  it("writes the weekly digest from the store: counts per day, high-importance commits in full, the rest counted", () => {
    const out = makeTempDir();
    const week = cli(["report", "--repo", repo.dir, "--period", "week", "--date", "2026-01-18", "--tz", "Asia/Shanghai", "--out", out, "-f", "md", "-f", "json"], {
      dataDir,
    });
    expect(week.status, week.stderr).toBe(0);
    const base = `week-2026-01-12..2026-01-18--${repo.dir.split("/").pop()}`;
    const json = reportSchema.parse(JSON.parse(readFileSync(join(out, `${base}.json`), "utf8")));
    expect(json.kind).toBe("digest");
    const days = json.repos[0]!.days!;
    expect(days.map((d) => d.day)).toEqual(["2026-01-12", "2026-01-13", "2026-01-14", "2026-01-15", "2026-01-16", "2026-01-17", "2026-01-18"]);
    expect(days.map((d) => d.counts.total)).toEqual([0, 0, 0, 0, 1, 2, 1]);
    const markdown = readFileSync(join(out, `${base}.md`), "utf8");
    expect(markdown).toMatch(/^# 每周摘要（2026-01-12.*2026-01-18）$/m);
    expect(markdown).toContain("| 2026-01-17 |");
    const counts = json.repos[0]!.counts;
    if (counts.medium + counts.low > 0) expect(markdown).toContain(`本周另有 ${counts.medium} 个中重要度、${counts.low} 个低重要度的提交`);
    // Only high-importance commits get an entry of their own.
    for (const commit of json.repos[0]!.commits) expect(markdown.includes(commit.shortSha)).toBe(commit.importance === "high");

    expect(cli(["report", "--repo", repo.dir, "--period", "week", "--days", "3"], { dataDir }).stderr).toMatch(/--period week is the 7 days ending on one day: give that day with --date or --latest/);
  });

  it("writes to stdout with --out -, in English on request", () => {
    const run = cli(["report", "--repo", repo.dir, "--date", "2026-01-18", "--tz", "Asia/Shanghai", "--out", "-", "--lang", "en", "-q"], { dataDir });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("docs: next day");
    expect(run.stdout).toMatch(/Daily update report/);
    expect(run.stderr).toBe("");
  });

  it("still writes a report for a day without commits, and says so", () => {
    const out = makeTempDir();
    const run = cli(["report", "--repo", repo.dir, "--date", "2026-01-10", "--tz", "UTC", "--out", out], { dataDir });
    expect(run.status).toBe(0);
    const [file] = readdirSync(out);
    const markdown = readFileSync(join(out, file!), "utf8");
    expect(markdown).toContain("本日所有仓库均无新提交。");
    expect(markdown).toContain("本日没有新提交。");
  });

  it("rejects bad input with one line naming the problem and the fix, and writes nothing", () => {
    const out = makeTempDir();
    const cases: Array<[string[], RegExp]> = [
      [["--date", "2026-13-01"], /--date: "2026-13-01" is not allowed; expected a date as YYYY-MM-DD/],
      [["--date", "today", "--tz", "Mars/Base"], /--tz: "Mars\/Base" is not allowed; expected an IANA time zone/],
      [["--date", "today", "--days", "0"], /--days: "0" is not allowed/],
      [["--date", "today", "--repo", join(out, "missing")], /does not exist \(give --repo a path to a git repository/],
    ];
    for (const [extra, message] of cases) {
      const args = ["report", "--out", out, ...(extra.includes("--repo") ? [] : ["--repo", repo.dir]), ...extra];
      const run = cli(args, { dataDir });
      expect(run.status, run.stderr).toBe(2);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    }
    expect(readdirSync(out)).toEqual([]);
  });

  it("keeps a token in a clone URL out of its messages and its store", () => {
    const secretData = makeTempDir();
    // Port 1 on loopback: nothing listens, the clone fails at once.
    const run = cli(["report", "--repo", "http://reader:s3cret-token@127.0.0.1:1/org/repo.git", "--date", "today"], { dataDir: secretData });
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/could not clone http:\/\/\*\*\*@127\.0\.0\.1:1\/org\/repo\.git/);
    expect(run.stderr + run.stdout).not.toContain("s3cret");
    for (const file of readdirSync(secretData)) {
      if (file.startsWith("repo-digest.sqlite")) expect(readFileSync(join(secretData, file)).includes("s3cret")).toBe(false);
    }
    expect(readdirSync(secretData)).toContain("repo-digest.sqlite");
  });

  it("refuses a folder that is not a git repository", () => {
    const run = cli(["report", "--repo", makeTempDir(), "--date", "today"], { dataDir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/is not a git repository/);
  });
});

describe("repo-digest init and repos", () => {
  // Ten CLI processes one after another: room for a loaded CI machine.
  it("writes a commented config, and edits its repository list keeping the comments", { timeout: 120_000 }, () => {
    const cwd = makeTempDir();
    expect(cli(["init"], { cwd, dataDir }).status).toBe(0);
    const file = join(cwd, "repo-digest.yaml");
    expect(readFileSync(file, "utf8")).toMatch(/# Time zone in which a "day" is counted/);
    expect(cli(["init"], { cwd, dataDir }).status).toBe(2);

    expect(cli(["repos", "add", repo.dir, "--name", "demo/repo"], { cwd, dataDir }).status).toBe(0);
    expect(cli(["repos", "add", "https://github.com/ai-dynamo/nixl.git", "--no-check"], { cwd, dataDir }).status).toBe(0);
    const dup = cli(["repos", "add", repo.dir, "--name", "demo/repo"], { cwd, dataDir });
    expect(dup.status).toBe(2);
    expect(dup.stderr).toMatch(/already in/);

    const list = cli(["repos", "list"], { cwd, dataDir });
    expect(list.stdout).toContain(`demo/repo\t${repo.dir}`);
    expect(list.stdout).toContain("ai-dynamo/nixl\thttps://github.com/ai-dynamo/nixl.git");
    expect(cli(["repos", "remove", "ai-dynamo/nixl"], { cwd, dataDir }).status).toBe(0);
    expect(cli(["repos", "list"], { cwd, dataDir }).stdout).not.toContain("nixl");
    expect(readFileSync(file, "utf8")).toMatch(/# Report language/);

    // The config's repositories are reported when no --repo is given.
    const out = join(cwd, "reports");
    const run = cli(["report", "--date", "2026-01-17", "--tz", "Asia/Shanghai"], { cwd, dataDir });
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(["2026-01-17--demo-repo.md"]);
  });

  it("names the key, the bad value and what is allowed for a bad config", () => {
    const cwd = makeTempDir();
    writeFileSync(join(cwd, "repo-digest.yaml"), "language: fr\nrepos: []\n");
    const run = cli(["report", "--repo", repo.dir], { cwd, dataDir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/language: "fr" is not allowed; expected one of "zh-CN", "en"/);

    writeFileSync(join(cwd, "repo-digest.yaml"), "repos:\n  - name: x\n    path: .\n    brnach: main\n");
    const typo = cli(["repos", "list"], { cwd, dataDir });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/repos\[0\]\.brnach/);
    expect(existsSync(join(cwd, "reports"))).toBe(false);
  });
});
