/**
 * `--json` and `--dry-run` through the real CLI: stdout holds one document that the
 * schemas of src/cli/json-output.ts accept (and nothing else), the exit code is the one
 * without --json, and a dry run sends nothing to real loopback receivers, writes no report
 * and leaves the store's deliveries and days as they were.
 */
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daemonDocument, deliverDocument, reposListDocument } from "../src/cli/json-output.js";
import { startReceiver, type TestReceiver } from "./support/delivery/chat/receiver.js";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";
import { runCli } from "./helpers/run-cli.js";

/** A path shaped like a webhook token: it must never show in a plan. */
const TOKEN_PATH = "/services/T0SECRETtoken/B0SECRET";
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

let repo: TestRepo;
/** For the cases that never post. */
let slack: TestReceiver;

beforeAll(async () => {
  slack = await startReceiver();
  repo = makeRepo();
  repo.write("src/app.py", "def main():\n    return 1\n");
  repo.commit({ message: "feat: add the app", date: `${yesterday}T12:00:00Z` });
});
afterAll(async () => {
  await slack.close();
  repo.cleanup();
});

function setup(extra = ""): { cwd: string; dataDir: string } {
  const cwd = makeTempDir();
  writeFileSync(
    join(cwd, "repo-digest.yaml"),
    `timezone: UTC\nschedule: { cron: "0 6 * * *" }\noutput: { dir: reports, formats: [md, json] }\ndelivery: { slack: { urlEnv: SLACK_URL } }\nrepos:\n  - { name: demo/app, path: ${repo.dir} }\n${extra}`,
  );
  return { cwd, dataDir: makeTempDir() };
}

function cli(args: string[], where: { cwd: string; dataDir: string }, receiver = slack) {
  return runCli(args, { ...where, env: { SLACK_URL: receiver.url(TOKEN_PATH) } });
}

/** The store's deliveries and settled days, to compare before and after a dry run. */
function storeState(dataDir: string): unknown {
  const db = new Database(join(dataDir, "repo-digest.sqlite"), { readonly: true });
  try {
    return {
      deliveries: db.prepare("SELECT * FROM deliveries ORDER BY id").all(),
      days: db.prepare("SELECT * FROM daemon_days").all(),
      runs: db.prepare("SELECT id, status FROM runs ORDER BY id").all(),
    };
  } finally {
    db.close();
  }
}

describe("repos list --json", () => {
  it("prints the config file and every repository, paths absolute, URL credentials hidden", async () => {
    const where = setup("  - { name: acme/lib, url: 'https://bot:s3cretTOKEN@git.example.com/acme/lib.git', branch: dev }\n");
    const run = await cli(["repos", "list", "--json"], where);
    expect(run.status, run.stderr).toBe(0);
    const document = reposListDocument.parse(JSON.parse(run.stdout));
    expect(document).toEqual({
      schemaVersion: 1,
      config: join(where.cwd, "repo-digest.yaml"),
      repos: [
        { name: "demo/app", source: "git", path: repo.dir },
        { name: "acme/lib", source: "git", url: "https://***@git.example.com/acme/lib.git", branch: "dev" },
      ],
    });
    expect(run.stdout).not.toContain("s3cretTOKEN");
    // Pretty-printed, one document, a final newline.
    expect(run.stdout.startsWith('{\n  "schemaVersion": 1,\n')).toBe(true);
    expect(run.stdout.endsWith("}\n")).toBe(true);
  }, 30_000);
});

describe("deliver --json and --dry-run", () => {
  it("lists, plans and resends failed deliveries; the plan sends nothing and changes nothing", async () => {
    // The first post is refused: the report is written, the delivery kept as failed (exit 5).
    const receiver = await startReceiver([{ status: 400, body: "invalid_payload" }, { status: 400, body: "invalid_payload" }]);
    try {
      const where = setup();
      const report = await cli(["report", "--date", yesterday], where, receiver);
      expect(report.status, report.stderr).toBe(5);
      expect(receiver.requests).toHaveLength(1);

      const listed = await cli(["deliver", "--json"], where, receiver);
      expect(listed.status, listed.stderr).toBe(0);
      const list = deliverDocument.parse(JSON.parse(listed.stdout));
      expect(list.dryRun).toBe(false);
      expect(list.deliveries).toEqual([
        { channel: "slack", report: `${yesterday}--demo-app`, period: yesterday, status: "failed", attempts: 1, error: expect.stringMatching(/400/) },
      ]);

      const before = storeState(where.dataDir);
      for (const args of [["deliver", "--dry-run", "--json"], ["deliver", "--retry", "--dry-run", "--json"]]) {
        const plan = await cli(args, where, receiver);
        expect(plan.status, plan.stderr).toBe(0);
        const document = deliverDocument.parse(JSON.parse(plan.stdout));
        expect(document).toEqual({
          schemaVersion: 1,
          dryRun: true,
          deliveries: [{ channel: "slack", report: `${yesterday}--demo-app`, period: yesterday, status: "planned", target: `slack:${new URL(receiver.url()).host}` }],
          exitCode: 0,
        });
      }
      const human = await cli(["deliver", "--retry", "--dry-run"], where, receiver);
      expect(human.status, human.stderr).toBe(0);
      expect(human.stdout).toBe(`${yesterday}\tslack\twould send ${yesterday}--demo-app to slack:${new URL(receiver.url()).host}\n`);
      expect(human.stderr).toMatch(/dry run: 1 of 1 failed deliveries would be sent again; nothing was sent/);
      expect(human.stdout + human.stderr).not.toContain("SECRET");
      // Nothing reached the receiver, and the store is as it was.
      expect(receiver.requests).toHaveLength(1);
      expect(storeState(where.dataDir)).toEqual(before);

      // Refused again: exit 5 as without --json, and the document still printed.
      const failed = await cli(["deliver", "--retry", "--json"], where, receiver);
      expect(failed.status, failed.stderr).toBe(5);
      const failedDocument = deliverDocument.parse(JSON.parse(failed.stdout));
      expect(failedDocument.exitCode).toBe(5);
      expect(failedDocument.deliveries).toEqual([
        { channel: "slack", report: `${yesterday}--demo-app`, period: yesterday, status: "failed", error: expect.stringMatching(/400/) },
      ]);
      expect(failed.stderr).toMatch(/slack: not delivered/);

      const sent = await cli(["deliver", "--retry", "--json"], where, receiver);
      expect(sent.status, sent.stderr).toBe(0);
      expect(deliverDocument.parse(JSON.parse(sent.stdout)).deliveries).toEqual([
        { channel: "slack", report: `${yesterday}--demo-app`, period: yesterday, status: "delivered", target: `slack:${new URL(receiver.url()).host}` },
      ]);
      expect(receiver.requests).toHaveLength(3);
    } finally {
      await receiver.close();
    }
  }, 90_000);

  it("a dry run checks the channels' secrets as a real run would: exit 2, nothing sent", async () => {
    const where = setup();
    const run = await runCli(["deliver", "--dry-run", "--json"], { ...where, env: { SLACK_URL: "" } });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/slack\.urlEnv/);
  }, 30_000);
});

describe("daemon --json and --dry-run", () => {
  it("plans the first run without running it: no store, no report, no request", async () => {
    const receiver = await startReceiver();
    try {
      const where = setup();
      const target = `slack:${new URL(receiver.url()).host}`;
      for (const args of [["daemon", "--once", "--dry-run", "--json"], ["daemon", "--dry-run", "--json"]]) {
        const run = await cli(args, where, receiver);
        expect(run.status, run.stderr).toBe(0);
        const document = daemonDocument.parse(JSON.parse(run.stdout));
        expect(document).toEqual({
          schemaVersion: 1,
          dryRun: true,
          days: [{ day: yesterday, outcome: "planned", reports: ["md", "json"].map((ext) => join(where.cwd, "reports", `${yesterday}--demo-app.${ext}`)) }],
          skippedDays: [],
          deliveries: [{ channel: "slack", report: `${yesterday}--demo-app`, period: yesterday, status: "planned", target }],
          exitCode: 0,
          nextTick: expect.stringMatching(/T06:00:00\.000Z$/),
        });
      }
      // The resident daemon's plan is its first tick's, then it exits.
      const human = await cli(["daemon", "--dry-run"], where, receiver);
      expect(human.status, human.stderr).toBe(0);
      expect(human.stdout).toContain(`would report ${yesterday}: ${join(where.cwd, "reports", `${yesterday}--demo-app.md`)}`);
      expect(human.stdout).toContain(`would send ${yesterday}--demo-app to ${target}`);
      expect(human.stdout).toMatch(/^next scheduled run at .*T06:00:00\.000Z$/m);
      expect(human.stdout + human.stderr).not.toContain("SECRET");
      expect(receiver.requests).toHaveLength(0);
      expect(existsSync(join(where.cwd, "reports"))).toBe(false);
      expect(existsSync(join(where.dataDir, "repo-digest.sqlite"))).toBe(false);
      expect(readdirSync(where.dataDir)).toEqual([]);
    } finally {
      await receiver.close();
    }
  }, 60_000);

  it("--once --json: the days, their reports and deliveries, exit 5 kept; then a dry run plans the resend alone", async () => {
    const receiver = await startReceiver([{ status: 400, body: "invalid_payload" }]);
    try {
      const where = setup();
      const run = await cli(["daemon", "--once", "--json"], where, receiver);
      expect(run.status, run.stderr).toBe(5);
      // stdout is the document alone; the report's paths went to stderr with the other human lines.
      const document = daemonDocument.parse(JSON.parse(run.stdout));
      const reports = ["md", "json"].map((ext) => join(where.cwd, "reports", `${yesterday}--demo-app.${ext}`));
      expect(document).toEqual({
        schemaVersion: 1,
        dryRun: false,
        days: [{ day: yesterday, outcome: "done", exitCode: 5, reason: "delivery failed for slack", reports }],
        skippedDays: [],
        deliveries: [{ channel: "slack", report: `${yesterday}--demo-app`, period: yesterday, status: "failed", error: expect.stringMatching(/400/) }],
        exitCode: 5,
      });
      expect(run.stderr).toContain(`${reports[0]}\n`);
      expect(run.stderr).toContain(`${yesterday} done, but a channel did not get it`);
      expect(receiver.requests).toHaveLength(1);

      const before = storeState(where.dataDir);
      const plan = await cli(["daemon", "--once", "--dry-run", "--json"], where, receiver);
      expect(plan.status, plan.stderr).toBe(0);
      const planned = daemonDocument.parse(JSON.parse(plan.stdout));
      expect(planned.days).toEqual([]);
      expect(planned.deliveries).toEqual([
        { channel: "slack", report: `${yesterday}--demo-app`, period: yesterday, status: "planned", target: `slack:${new URL(receiver.url()).host}` },
      ]);
      expect(receiver.requests).toHaveLength(1);
      expect(storeState(where.dataDir)).toEqual(before);

      // The resend, for real: delivered, nothing to report, exit 0.
      const again = await cli(["daemon", "--once", "--json"], where, receiver);
      expect(again.status, again.stderr).toBe(0);
      const resent = daemonDocument.parse(JSON.parse(again.stdout));
      expect(resent).toMatchObject({ days: [], exitCode: 0, deliveries: [{ channel: "slack", status: "delivered", report: `${yesterday}--demo-app` }] });
      expect(receiver.requests).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  }, 90_000);

  it("--json without --once is refused: the resident daemon never ends to print it", async () => {
    const run = await cli(["daemon", "--json"], setup());
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/--json needs --once/);
  }, 30_000);
});
