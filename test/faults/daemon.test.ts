/**
 * The daily job under real faults, through the CLI as cron or systemd runs it: a model
 * server refusing every call (403), a `report` killed with -9 or SIGTERM while a slow model
 * holds its requests, a daemon killed with -9 while it holds the lock. The exit code says
 * what happened, a day whose analyses failed is tried again (asking only for what failed),
 * a run's row never stays "running" once its process is gone, and a dead daemon's lock
 * is taken over at once.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportSchema } from "../../src/report/json/report-schema.js";
import { openStore } from "../../src/store/open-store.js";
import { answerFromSchema, schemaOf } from "../helpers/answer-from-schema.js";
import { startLlmServer, type LlmServer, type RecordedRequest, type ScriptedReply } from "../helpers/llm-server.js";
import { makeRepo, makeTempDir, type TestRepo } from "../helpers/make-repo.js";
import { runCli, type CliRun } from "../helpers/run-cli.js";

const KEY = "test-llm-key-0123456789";
// The daemon reports the day before now, in the schedule's zone (UTC here).
const YESTERDAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const SUBJECTS = ["feat: add the parser", "fix: handle empty input", "feat: add the writer", "refactor: split the reader"];

let repo: TestRepo;
let server: LlmServer;
let reply: (request: RecordedRequest) => ScriptedReply;

beforeAll(async () => {
  repo = makeRepo();
  SUBJECTS.forEach((subject, i) => {
    repo.write(`src/mod${i}.py`, `def handler_${i}(request):\n    return ${i}\n`);
    repo.commit({ message: subject, date: `${YESTERDAY}T0${i + 1}:00:00Z` });
  });
  server = await startLlmServer((request) => reply(request));
});

afterAll(async () => {
  await server?.close();
  repo?.cleanup();
});

function workspace(options: { llm?: boolean; timeoutMs?: number } = {}): { cwd: string; dataDir: string } {
  const cwd = makeTempDir();
  const llm = options.llm === false ? "" : [
    "llm:",
    "  provider: openai-compatible",
    "  model: test-model",
    `  baseUrl: ${server.url}/v1`,
    "  apiKeyEnv: TEST_LLM_KEY",
    "  concurrency: 1",
    `  timeoutMs: ${options.timeoutMs ?? 5000}`,
    "",
  ].join("\n");
  writeFileSync(
    join(cwd, "repo-digest.yaml"),
    `timezone: UTC\nschedule: { cron: "0 6 * * *" }\noutput: { dir: reports, formats: [json] }\n${llm}repos:\n  - { name: demo/app, path: ${repo.dir} }\n`,
  );
  return { cwd, dataDir: makeTempDir() };
}

function cli(args: string[], where: { cwd: string; dataDir: string }, onChild?: (child: ChildProcess) => void): Promise<CliRun> {
  return runCli(args, { ...where, env: { TEST_LLM_KEY: KEY }, ...(onChild ? { onChild } : {}) });
}

function isOverview(request: RecordedRequest): boolean {
  return JSON.stringify(schemaOf(request) ?? {}).includes('"themes"');
}

/** The subjects of the commits the model was asked about, since request number `from`. */
function commitsAsked(from: number): string[] {
  return server.requests
    .slice(from)
    .filter((request) => !isOverview(request))
    .map((request) => SUBJECTS.find((subject) => request.text.includes(subject))!)
    .sort();
}

const refuse: ScriptedReply = { status: 403, body: { error: { message: "this key may not use the model", type: "permission_error" } } };
const answer = (request: RecordedRequest): ScriptedReply => ({ json: answerFromSchema(schemaOf(request)!, { themes: ["主题。"], readFirst: [] }) });

function daemonLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.startsWith("repo-digest daemon: "));
}

/** Resolves when the child's stderr has shown `text`. */
function waitForStderr(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve) => {
    let seen = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) resolve();
    });
  });
}

describe("daemon --once with a model that refuses every call", () => {
  it("exits 4 and leaves the day for the next run, which asks only for the commits whose analysis failed", async () => {
    const where = workspace();

    reply = () => refuse;
    const refused = await cli(["daemon", "--once"], where);
    expect(refused.status, refused.stderr).toBe(4);
    // One line says the day is not done and why; the run ends with the report's own line.
    const notDone = daemonLines(refused.stderr).filter((line) => line.includes(YESTERDAY) && line.includes("not done"));
    expect(notDone).toHaveLength(1);
    expect(notDone[0]).toMatch(/not done \(exit 4, LLM analyses failed: .*4\/4.*\); attempt 1 of 3, the next run tries again for the commits whose analysis failed/);
    expect(refused.stderr).not.toContain(`${YESTERDAY} done`);
    expect(refused.stderr.trim().split("\n").at(-1)).toMatch(/^repo-digest: .*4\/4.*llm\.failureThreshold/);
    let store = openStore(join(where.dataDir, "repo-digest.sqlite"));
    expect(await store.isDayCompleted(YESTERDAY)).toBe(false);
    expect(await store.firstPendingDay()).toBe(YESTERDAY);
    await store.close();

    // The model answers for the first commit only: 3 of 4 still fail, still over the threshold.
    reply = (request) => (request.text.includes(SUBJECTS[0]!) && !isOverview(request) ? answer(request) : refuse);
    let before = server.requests.length;
    const partly = await cli(["daemon", "--once"], where);
    expect(partly.status, partly.stderr).toBe(4);
    expect(commitsAsked(before)).toEqual([...SUBJECTS].sort());
    expect(partly.stderr).toContain("attempt 2 of 3");

    // Now it answers: the day is reported, and only the three that failed are asked again.
    reply = answer;
    before = server.requests.length;
    const answered = await cli(["daemon", "--once"], where);
    expect(answered.status, answered.stderr).toBe(0);
    expect(commitsAsked(before)).toEqual(SUBJECTS.slice(1).sort());
    expect(answered.stderr).toContain(`repo-digest daemon: ${YESTERDAY} done`);
    const file = readdirSync(join(where.cwd, "reports")).find((name) => name.startsWith(YESTERDAY))!;
    const report = reportSchema.parse(JSON.parse(readFileSync(join(where.cwd, "reports", file), "utf8")));
    expect(report.repos[0]!.commits.map((commit) => commit.analysis.analyzer.name)).toEqual(["llm", "llm", "llm", "llm"]);
    store = openStore(join(where.dataDir, "repo-digest.sqlite"));
    expect(await store.isDayCompleted(YESTERDAY)).toBe(true);
    await store.close();

    // Settled: the next run reports nothing and asks nothing.
    before = server.requests.length;
    const idle = await cli(["daemon", "--once"], where);
    expect(idle.status, idle.stderr).toBe(0);
    expect(idle.stderr).not.toContain("reporting");
    expect(server.requests.length).toBe(before);
  }, 120_000);
});

describe("runs of a process that is gone", () => {
  it("marks interrupted the run of a report killed with SIGTERM or -9, and leaves a live one alone", async () => {
    const where = workspace({ timeoutMs: 60_000 });
    // The model holds every request: the report is mid-run, its row "running", until it is killed.
    let arrived: () => void = () => undefined;
    reply = () => {
      arrived();
      return { hang: true };
    };
    const runs = async () => {
      const store = openStore(join(where.dataDir, "repo-digest.sqlite"));
      try {
        return await Promise.all([1, 2].map((id) => store.getRun(id)));
      } finally {
        await store.close();
      }
    };

    for (const [index, signal] of (["SIGTERM", "SIGKILL"] as const).entries()) {
      let child!: ChildProcess;
      const inFlight = new Promise<void>((resolve) => (arrived = resolve));
      const killed = cli(["report", "--no-deliver"], where, (spawned) => (child = spawned));
      await inFlight;
      // A command started meanwhile finds the run's process alive: a concurrent run, left alone.
      const meanwhile = await cli(["deliver"], where);
      expect(meanwhile.status, meanwhile.stderr).toBe(0);
      expect(meanwhile.stderr).not.toContain("interrupted");
      expect((await runs())[index]).toMatchObject({ status: "running", owner: { pid: child.pid, host: hostname() } });

      child.kill(signal);
      expect((await killed).status).not.toBe(0);
      expect((await runs())[index]!.status).toBe("running");
      const next = await cli(["deliver"], where);
      expect(next.status, next.stderr).toBe(0);
      expect(next.stderr).toContain("an earlier run was interrupted");
      expect((await runs())[index]).toMatchObject({
        status: "interrupted",
        finishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        error: `interrupted: its process (pid ${child.pid} on host ${hostname()}) ended without finishing the run`,
      });
    }
  }, 120_000);
});

describe("stopping the daemon", () => {
  it("finishes the day at hand on the first SIGINT; a second stops it at once (exit 130), and the day is reported on the next run", async () => {
    const where = workspace({ timeoutMs: 60_000 });
    let arrived: () => void = () => undefined;
    reply = () => {
      arrived();
      return { hang: true };
    };
    let child!: ChildProcess;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    const stopped = cli(["daemon", "--once"], where, (spawned) => (child = spawned));
    await inFlight;
    child.kill("SIGINT");
    // The first only asks to stop after the day: the model holds it, so the daemon waits.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(child.exitCode).toBeNull();
    child.kill("SIGINT");
    const run = await stopped;
    expect(run.status).toBe(130);
    expect(daemonLines(run.stderr).at(-1)).toBe(`repo-digest daemon: stopped during ${YESTERDAY}; the day is reported again on the next run`);
    expect(existsSync(join(where.cwd, "reports")) ? readdirSync(join(where.cwd, "reports")) : []).toEqual([]);

    reply = (request) => ({ json: answerFromSchema(schemaOf(request)!, { summary: "模型摘要。" }) });
    const next = await cli(["daemon", "--once"], where);
    expect(next.status, next.stderr).toBe(0);
    expect(next.stderr).toContain("an earlier run was interrupted");
    const [name] = readdirSync(join(where.cwd, "reports")).filter((file) => file.endsWith(".json"));
    expect(reportSchema.parse(JSON.parse(readFileSync(join(where.cwd, "reports", name!), "utf8"))).repos[0]!.commits).toHaveLength(SUBJECTS.length);
  }, 120_000);
});

describe("the daemon lock", () => {
  it("is taken over at once from a daemon killed with -9, and refuses a second daemon while one lives, naming its pid", async () => {
    const where = workspace({ llm: false });

    let dead!: ChildProcess;
    const first = cli(["daemon"], where, (spawned) => (dead = spawned));
    await waitForStderr(dead, "next report at");
    dead.kill("SIGKILL");
    expect((await first).status).toBeNull();

    const after = await cli(["daemon", "--once"], where);
    expect(after.status, after.stderr).toBe(0);
    expect(daemonLines(after.stderr)).toContain(
      `repo-digest daemon: took over the lock of the daemon (pid ${dead.pid} on host ${hostname()}) that ended without releasing it`,
    );

    let live!: ChildProcess;
    const resident = cli(["daemon"], where, (spawned) => (live = spawned));
    await waitForStderr(live, "next report at");
    const second = await cli(["daemon", "--once"], where);
    expect(second.status).toBe(2);
    expect(second.stderr).toBe(
      `repo-digest: another repo-digest daemon (pid ${live.pid} on host ${hostname()}) is running for ${where.dataDir} ` +
        `(stop it first (kill ${live.pid}), or give this one another --data-dir)\n`,
    );

    // SIGTERM: a clean stop, the lock released; the next daemon takes over from no one.
    live.kill("SIGTERM");
    expect((await resident).status).toBe(0);
    const clean = await cli(["daemon", "--once"], where);
    expect(clean.status, clean.stderr).toBe(0);
    expect(clean.stderr).not.toContain("took over");
  }, 120_000);
});
