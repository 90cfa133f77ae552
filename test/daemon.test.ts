/**
 * `repo-digest daemon --once` as a crontab line runs it: the previous day is reported once,
 * a second run reports nothing again, and failed deliveries are sent again.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";
import { runCli } from "./helpers/run-cli.js";
import { startReceiver, type TestReceiver } from "./support/delivery/chat/receiver.js";

function cli(args: string[], cwd: string, dataDir: string) {
  return runCli(args, { cwd, dataDir, env: { SLACK_URL: slack.url("/hook") } });
}

let slack: TestReceiver;

let repo: TestRepo;
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  // The first post is refused (a 400 fails at once); every later one is accepted.
  slack = await startReceiver([{ status: 400, body: "invalid_payload" }]);
  repo = makeRepo();
  repo.write("src/app.py", "def main():\n    return 1\n");
  repo.commit({ message: "feat: add the app", date: `${yesterday}T12:00:00Z` });
});
afterAll(async () => {
  await slack.close();
  repo.cleanup();
});

describe("repo-digest daemon --once", () => {
  it("reports and delivers the previous day once; the next run resends only what failed", async () => {
    const cwd = makeTempDir();
    const dataDir = makeTempDir();
    writeFileSync(
      join(cwd, "repo-digest.yaml"),
      `timezone: UTC\nschedule: { cron: "0 6 * * *" }\noutput: { dir: reports, formats: [md] }\ndelivery: { slack: { urlEnv: SLACK_URL } }\nrepos:\n  - { name: demo/app, path: ${repo.dir} }\n`,
    );
    const first = await cli(["daemon", "--once"], cwd, dataDir);
    // Exit 5: the report is written, a channel did not get it.
    expect(first.status, first.stderr).toBe(5);
    expect(first.stderr).toContain(`reporting ${yesterday}`);
    expect(readdirSync(join(cwd, "reports"))).toEqual([`${yesterday}--demo-app.md`]);
    // The day is done even though Slack refused it: the report is written, the post kept.
    expect(first.stderr).toContain(`${yesterday} done, but a channel did not get it (delivery failed for slack); the next run sends it again`);
    expect(slack.requests).toHaveLength(1);

    const second = await cli(["daemon", "--once"], cwd, dataDir);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).not.toContain("reporting");
    expect(slack.requests).toHaveLength(2);
    expect(JSON.stringify(slack.requests[1]!.json)).toContain("feat: add the app");

    const third = await cli(["daemon", "--once"], cwd, dataDir);
    expect(third.status, third.stderr).toBe(0);
    expect(slack.requests).toHaveLength(2);
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
