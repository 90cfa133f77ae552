/**
 * Subscriptions end to end, through the real CLI and a real git repository: two webhook
 * subscriptions on local HTTP servers, with different filters, each get exactly their
 * commits and the count left out, while `delivery:`'s own webhook gets the whole report; a
 * subscription whose server refuses the post fails the run with exit 5 and `deliver --retry`
 * (and the daemon) send it its filtered report again. `subscriptions list` says what each gets and where.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscriptionsListDocument } from "../src/cli/json-output.js";
import type { WebhookPayload } from "../src/delivery/webhook/webhook-payload.js";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";
import { runCli } from "./helpers/run-cli.js";
import { startReceiver, type TestReceiver } from "./support/delivery/chat/receiver.js";
import { freshDatabase, freshRedisPrefix } from "./support/services.js";

const DAY = "2026-01-17";
const at = (hour: number) => `${DAY}T${String(hour).padStart(2, "0")}:00:00+00:00`;

let repo: TestRepo;
let team: TestReceiver;
let runtime: TestReceiver;
let release: TestReceiver;
/** While set, the release manager's endpoint refuses the day's report (HTTP 400: a 4xx fails at once). */
let refuseRelease = true;

beforeAll(async () => {
  repo = makeRepo();
  repo.write("lib/runtime/sched.py", "def plan():\n    return []\n").write("src/api.py", "def v1():\n    return 1\n").write("requirements.txt", "requests==2.31.0\n");
  repo.commit({ message: "chore: start", date: "2026-01-10T09:00:00+00:00" });
  repo.write("lib/runtime/sched.py", "def plan():\n    return []\n\n\ndef replan(queue):\n    return sorted(queue)\n");
  repo.commit({ message: "feat: replan the queue", date: at(9), author: { name: "Grace Hopper", email: "grace@example.com" } });
  repo.write("docs/lease.md", "# Leases\n\nHow leases renew.\n");
  repo.commit({ message: "docs: explain leases", date: at(10) });
  repo.write("src/api.py", "def v2():\n    return 2\n");
  repo.commit({ message: "feat!: drop the v1 endpoint\n\nBREAKING CHANGE: v1() is gone; call v2().", date: at(11) });
  repo.write("requirements.txt", "requests==2.32.3\n");
  repo.commit({ message: "build: bump requests to 2.32.3", date: at(12) });
  team = await startReceiver();
  runtime = await startReceiver();
  release = await startReceiver([], { status: 200, body: "ok" }, (request) =>
    refuseRelease && (request.json as WebhookPayload).period.label === DAY ? "this endpoint refuses the day" : undefined,
  );
});

afterAll(async () => {
  await Promise.all([team?.close(), runtime?.close(), release?.close()]);
  repo?.cleanup();
});

function writeConfig(dir: string, extra: string[] = []): void {
  writeFileSync(
    join(dir, "repo-digest.yaml"),
    [
      ...extra,
      "timezone: UTC",
      "language: en",
      "output: { dir: reports, formats: [md] }",
      "delivery:",
      "  webhook: { urlEnv: TEAM_HOOK, includeReport: true }",
      "subscriptions:",
      "  - name: runtime-owner",
      "    filter: { paths: ['lib/runtime/**'] }",
      "    channel: { webhook: { urlEnv: RUNTIME_HOOK, includeReport: true } }",
      "  - name: release-manager",
      "    filter: { breaking: true, dependencies: true }",
      "    channel: { webhook: { urlEnv: RELEASE_HOOK, includeReport: true } }",
      "repos:",
      `  - { name: demo/app, path: ${repo.dir} }`,
      "",
    ].join("\n"),
  );
}

const env = () => ({
  TEAM_HOOK: team.url("/team/SECRETteamTOKEN"),
  RUNTIME_HOOK: runtime.url("/runtime/SECRETruntimeTOKEN"),
  RELEASE_HOOK: release.url("/release/SECRETreleaseTOKEN"),
});

const titlesOf = (payload: unknown) => (payload as WebhookPayload).report!.repos.flatMap((section) => section.commits.map((commit) => commit.title));

describe("subscriptions", () => {
  it("send each subscription only its commits and the count left out; a failed one exits 5 and deliver --retry resends it", async () => {
    const cwd = makeTempDir();
    const dataDir = makeTempDir();
    writeConfig(cwd);
    const cli = (args: string[]) => runCli(args, { cwd, dataDir, env: env() });

    const run = await cli(["report", "--date", DAY]);
    expect(run.status, run.stderr).toBe(5);
    expect(existsSync(join(cwd, "reports", `${DAY}--demo-app.en.md`))).toBe(true);
    expect(run.stderr).toMatch(/^repo-digest: webhook: delivered to webhook:127\.0\.0\.1/m);
    expect(run.stderr).toMatch(/^repo-digest: subscription:runtime-owner: delivered to webhook:127\.0\.0\.1/m);
    expect(run.stderr).toMatch(/^repo-digest: subscription:release-manager: not delivered: .*400/m);
    expect(run.stderr).toMatch(/delivery failed for subscription:release-manager \(the report was written; `repo-digest deliver --retry` sends it again\)/);
    expect(run.stderr).not.toMatch(/SECRET\w+TOKEN/);

    // delivery: gets the whole day.
    expect(team.requests).toHaveLength(1);
    expect(titlesOf(team.requests[0]!.json)).toEqual(["build: bump requests to 2.32.3", "feat!: drop the v1 endpoint", "docs: explain leases", "feat: replan the queue"]);
    expect((team.requests[0]!.json as WebhookPayload).notices).toEqual([]);

    // The module owner: the one commit under lib/runtime/, three left out, counted again.
    expect(runtime.requests).toHaveLength(1);
    const owner = runtime.requests[0]!.json as WebhookPayload;
    expect(titlesOf(owner)).toEqual(["feat: replan the queue"]);
    expect(owner.notices).toEqual(["3 commit(s) left out by this subscription's filter (runtime-owner)."]);
    expect(owner.repos[0]!.counts.total).toBe(1);
    expect(owner.report!.overview.commits).toBe(1);

    // The release manager: the breaking change and the dependency bump (refused this time).
    expect(release.requests).toHaveLength(1);
    const refused = release.requests[0]!.json as WebhookPayload;
    expect(titlesOf(refused)).toEqual(["build: bump requests to 2.32.3", "feat!: drop the v1 endpoint"]);
    expect(refused.notices).toEqual(["2 commit(s) left out by this subscription's filter (release-manager)."]);

    const listed = await cli(["deliver"]);
    expect(listed.stdout).toMatch(new RegExp(`^${DAY}\tsubscription:release-manager\t1 attempt\\(s\\)\t.*400[^\n]*\n$`));

    const plan = await cli(["deliver", "--dry-run"]);
    expect(plan.status, plan.stderr).toBe(0);
    expect(plan.stdout).toBe(`${DAY}\tsubscription:release-manager\twould send ${DAY}--demo-app.en to webhook:127.0.0.1:${new URL(release.url()).port}\n`);

    // The daemon resends it too, at each tick, to the subscription's channel: refused again.
    const port = new URL(release.url()).port;
    const daemonPlan = await cli(["daemon", "--dry-run"]);
    expect(daemonPlan.status, daemonPlan.stderr).toBe(0);
    expect(daemonPlan.stdout).toContain(`would resend ${DAY}--demo-app.en to webhook:127.0.0.1:${port}\n`);
    const daemon = await cli(["daemon", "--once"]);
    expect(daemon.status, daemon.stderr).toBe(5);
    expect(daemon.stderr).toMatch(/1 earlier delivery failed again \(subscription:release-manager\)/);
    const ofTheDay = () => release.requests.filter((request) => (request.json as WebhookPayload).period.label === DAY);
    expect(ofTheDay()).toHaveLength(2);
    expect(ofTheDay()[1]!.json).toEqual(ofTheDay()[0]!.json);

    refuseRelease = false;
    const retry = await cli(["deliver", "--retry"]);
    expect(retry.status, retry.stderr).toBe(0);
    expect(retry.stderr).toMatch(/subscription:release-manager: delivered/);
    expect(retry.stderr).toMatch(/1 of 1 sent/);
    // Exactly what it missed: its filtered report, as it was; nobody else is posted to again.
    expect(ofTheDay()).toHaveLength(3);
    expect(ofTheDay()[2]!.json).toEqual(ofTheDay()[0]!.json);
    const postsOfTheDay = (receiver: TestReceiver) => receiver.requests.filter((request) => (request.json as WebhookPayload).period.label === DAY);
    expect(postsOfTheDay(runtime)).toHaveLength(1);
    expect(postsOfTheDay(team)).toHaveLength(1);
    expect((await cli(["deliver"])).stdout).toBe("");
  }, 180_000);

  it("a subscription's variable not set stops the run before any work (exit 2), naming its key", async () => {
    const cwd = makeTempDir();
    const dataDir = makeTempDir();
    writeConfig(cwd);
    const { RELEASE_HOOK: _unset, ...partial } = env();
    const run = await runCli(["report", "--date", DAY], { cwd, dataDir, env: { ...partial, RELEASE_HOOK: "" } });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^repo-digest: subscriptions\[1\]\.channel\.webhook\.urlEnv: "RELEASE_HOOK" is not allowed; expected the name of a set environment variable/m);
    expect(existsSync(join(cwd, "reports"))).toBe(false);
  }, 60_000);

  it("subscriptions list: each one's filter in words and its target without secrets; --json as documented", async () => {
    const cwd = makeTempDir();
    const dataDir = makeTempDir();
    writeConfig(cwd);
    const { RELEASE_HOOK: _unset, ...partial } = env();
    const run = await runCli(["subscriptions", "list"], { cwd, dataDir, env: { ...partial, RELEASE_HOOK: "" } });
    expect(run.status, run.stderr).toBe(0);
    const port = new URL(runtime.url()).port;
    expect(run.stdout).toBe(
      [
        `runtime-owner\twebhook:127.0.0.1:${port}\tchanging lib/runtime/**; bots left out`,
        "release-manager\twebhook (RELEASE_HOOK is not set)\tonly breaking changes or dependency changes; bots left out",
        "",
      ].join("\n"),
    );
    expect(run.stdout).not.toMatch(/SECRET/);

    const json = await runCli(["subscriptions", "list", "--json"], { cwd, dataDir, env: env() });
    expect(json.status, json.stderr).toBe(0);
    const document = subscriptionsListDocument.parse(JSON.parse(json.stdout));
    expect(document.config).toBe(join(cwd, "repo-digest.yaml"));
    expect(document.subscriptions.map(({ name, deliveryChannel, channel, filter }) => ({ name, deliveryChannel, channel, filter }))).toEqual([
      { name: "runtime-owner", deliveryChannel: "subscription:runtime-owner", channel: "webhook", filter: { paths: ["lib/runtime/**"], bots: false, breaking: false, dependencies: false } },
      { name: "release-manager", deliveryChannel: "subscription:release-manager", channel: "webhook", filter: { bots: false, breaking: true, dependencies: true } },
    ]);
    expect(document.subscriptions[1]!.target).toBe(`webhook:127.0.0.1:${new URL(release.url()).port}`);
    expect(json.stdout).not.toMatch(/SECRET/);
  }, 60_000);

  it("on queued workers too: each subscription gets its filtered report, once", async () => {
    const cwd = makeTempDir();
    const database = await freshDatabase();
    const redis = await freshRedisPrefix();
    const workers: ChildProcess[] = [];
    try {
      writeConfig(cwd, [`store: ${database.url}`, `queue: { url: "${redis.redisUrl}", prefix: "${redis.prefix}" }`]);
      const where = { cwd, dataDir: makeTempDir(), env: env() };
      await new Promise<void>((resolve, reject) => {
        let stderr = "";
        void runCli(["worker", "--concurrency", "2"], { ...where, dataDir: makeTempDir(), onChild: (child) => {
          workers.push(child);
          child.stderr!.on("data", (chunk: Buffer) => {
            stderr += chunk.toString();
            if (stderr.includes("taking jobs")) resolve();
          });
        } }).then((run) => reject(new Error(`worker ended early (${run.status}): ${run.stderr}`)));
      });
      const before = runtime.requests.length;
      refuseRelease = false;
      const run = await runCli(["report", "--queue", "--date", DAY], where);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/subscription:runtime-owner: delivered/);
      expect(run.stderr).toMatch(/subscription:release-manager: delivered/);
      const posted = runtime.requests.slice(before);
      expect(posted).toHaveLength(1);
      expect(titlesOf(posted[0]!.json)).toEqual(["feat: replan the queue"]);
      expect((posted[0]!.json as WebhookPayload).notices).toEqual(["3 commit(s) left out by this subscription's filter (runtime-owner)."]);
    } finally {
      for (const worker of workers) worker.kill("SIGKILL");
      await database.drop();
      await redis.clear();
    }
  }, 120_000);
});
