/**
 * The first command a newcomer runs, `report --repo . --latest`, through the real CLI:
 * a repository whose last commit is long ago still gets a report of its last day, under
 * the project's name (from --name, or its origin's hosting URL), and the ways to name a
 * period combine as documented, or are refused with one line.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportSchema } from "../src/report/json/report-schema.js";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";
import { runCli } from "./helpers/run-cli.js";

let repo: TestRepo;

beforeAll(() => {
  repo = makeRepo();
  // Years ago, with a quiet week before the last day: no calendar makes this "the last 7 days".
  const days = ["2024-03-01", "2024-03-08", "2024-03-09", "2024-03-11"];
  days.forEach((day, index) => {
    repo.write(`src/mod${index}.py`, `def handler_${index}():\n    return ${index}\n`);
    repo.commit({ message: `feat: handler ${index}`, date: `${day}T10:00:00Z` });
  });
  repo.write("src/mod4.py", "def handler_4():\n    return 4\n");
  repo.commit({ message: "fix: the last fix of the day", date: "2024-03-11T18:00:00Z" });
});

afterAll(() => repo.cleanup());

async function report(args: string[]) {
  const out = makeTempDir();
  const run = await runCli(["report", "--repo", repo.dir, "--tz", "UTC", "--format", "json", "--lang", "en", "--out", out, ...args], {
    cwd: makeTempDir(),
    dataDir: makeTempDir(),
  });
  const file = run.status === 0 ? readdirSync(out).find((name) => name.endsWith(".json")) : undefined;
  return { run, file, json: file ? reportSchema.parse(JSON.parse(readFileSync(join(out, file), "utf8"))) : undefined };
}

describe("report --latest", () => {
  it("reports the day of the newest commit, however long ago, named by --name", async () => {
    const { run, file, json } = await report(["--latest", "--name", "acme/widgets"]);
    expect(run.status, run.stderr).toBe(0);
    expect(json!.period.label).toBe("2024-03-11");
    expect(json!.repos[0]!.name).toBe("acme/widgets");
    expect(json!.repos[0]!.commits.map((commit) => commit.title).sort()).toEqual(["feat: handler 3", "fix: the last fix of the day"]);
    expect(file).toBe("2024-03-11--acme-widgets.en.json");
    expect(run.stderr).toContain("repo-digest: 2024-03-11: 2 commit(s) in 1 repo(s)");
  });

  it("with --days, the n days ending on that day", async () => {
    const { run, json } = await report(["--latest", "--days", "3"]);
    expect(run.status, run.stderr).toBe(0);
    expect(json!.period.label).toBe("2024-03-09..2024-03-11");
    expect(json!.repos[0]!.commits).toHaveLength(3);
  });

  it("with --period week, the week ending on that day", async () => {
    const { run, json } = await report(["--latest", "--period", "week"]);
    expect(run.status, run.stderr).toBe(0);
    expect(json!.period.label).toBe("2024-03-05..2024-03-11");
    expect(json!.repos[0]!.commits).toHaveLength(4);
  });

  it("takes the name and links of an origin on a hosting site", async () => {
    const clone = makeRepo();
    try {
      clone.git(["pull", "-q", repo.dir, "main"]);
      clone.git(["remote", "add", "origin", "https://github.com/acme/widgets.git"]);
      const out = makeTempDir();
      const run = await runCli(["report", "--repo", ".", "--latest", "--tz", "UTC", "--format", "json", "--lang", "en", "--out", out, "--no-fetch"], {
        cwd: clone.dir,
        dataDir: makeTempDir(),
      });
      expect(run.status, run.stderr).toBe(0);
      const json = reportSchema.parse(JSON.parse(readFileSync(join(out, readdirSync(out)[0]!), "utf8")));
      expect(json.repos[0]!.name).toBe("acme/widgets");
      expect(json.repos[0]!.commits[0]!.links.commit).toMatch(/^https:\/\/github\.com\/acme\/widgets\/commit\/[0-9a-f]{40}$/);
    } finally {
      clone.cleanup();
    }
  });

  it("says so in one line when the branch has no commits", async () => {
    const empty = makeRepo();
    try {
      const run = await runCli(["report", "--repo", empty.dir, "--latest"], { cwd: makeTempDir(), dataDir: makeTempDir() });
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
    } finally {
      empty.cleanup();
    }
  });
});

describe("--days counts back from --date", () => {
  it("reports the n days ending on --date, not on today", async () => {
    const { run, json } = await report(["--date", "2024-03-09", "--days", "2"]);
    expect(run.status, run.stderr).toBe(0);
    expect(json!.period.label).toBe("2024-03-08..2024-03-09");
    expect(json!.repos[0]!.commits.map((commit) => commit.title).sort()).toEqual(["feat: handler 1", "feat: handler 2"]);
  });

  it.each([
    [["--latest", "--date", "2024-03-09"], /^repo-digest: --latest finds the day itself/],
    [["--days", "3", "--since", "2024-03-01"], /^repo-digest: --days counts back from --date/],
    [["--name", "x", "--repo", "."], /^repo-digest: --name names the one repository given with --repo/],
  ])("refuses %j with one line and exit 2", async (args, message) => {
    const { run } = await report(args);
    expect(run.status).toBe(2);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
