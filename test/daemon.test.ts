/**
 * `repo-digest daemon --once` as a crontab line runs it: the previous day is reported once,
 * a second run reports nothing again, and failed deliveries are sent again.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";
import { runCli } from "./helpers/run-cli.js";

function cli(args: string[], cwd: string, dataDir: string) {
  return runCli(args, { cwd, dataDir });
}

let repo: TestRepo;
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

beforeAll(() => {
  repo = makeRepo();
  repo.write("src/app.py", "def main():\n    return 1\n");
  repo.commit({ message: "feat: add the app", date: `${yesterday}T12:00:00Z` });
});
afterAll(() => repo.cleanup());

describe("repo-digest daemon --once", () => {
  it("reports the previous day once, and nothing again on the next run", async () => {
    const cwd = makeTempDir();
    const dataDir = makeTempDir();
    writeFileSync(
      join(cwd, "repo-digest.yaml"),
      `timezone: UTC\nschedule: { cron: "0 6 * * *" }\noutput: { dir: reports, formats: [md] }\nrepos:\n  - { name: demo/app, path: ${repo.dir} }\n`,
    );
    const first = await cli(["daemon", "--once"], cwd, dataDir);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain(`reporting ${yesterday}`);
    expect(readdirSync(join(cwd, "reports"))).toEqual([`${yesterday}--demo-app.md`]);

    const second = await cli(["daemon", "--once"], cwd, dataDir);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).not.toContain("reporting");
  }, 60_000);

  it("rejects a bad schedule with one line naming the key", async () => {
    const cwd = makeTempDir();
    writeFileSync(join(cwd, "repo-digest.yaml"), `schedule: { cron: "every morning" }\nrepos: []\n`);
    const run = await cli(["daemon", "--once"], cwd, makeTempDir());
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/schedule\.cron/);
  }, 30_000);
});
