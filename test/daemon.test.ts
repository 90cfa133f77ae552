/**
 * `repo-digest daemon --once` as a crontab line runs it: the previous day is reported once,
 * a second run reports nothing again, and failed deliveries are sent again.
 */
import { spawn } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";

const MAIN = join(import.meta.dirname, "..", "src", "cli", "main.ts");
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

function cli(args: string[], cwd: string, dataDir: string) {
  return new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", TSX_LOADER, MAIN, ...args], { cwd, env: { ...process.env, REPO_DIGEST_DATA_DIR: dataDir, NO_COLOR: "1" } });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => resolve({ status, stderr }));
  });
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
