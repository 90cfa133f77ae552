/**
 * Reports on BullMQ workers, end to end: real worker processes (`repo-digest worker`) on a
 * real Redis and PostgreSQL (started by test/support/global-setup.ts), a real git
 * repository, a local model server and a local webhook. The queued report must equal the
 * in-process one; a worker killed with SIGKILL mid-job loses nothing and posts nothing twice;
 * a failure on a worker ends the waiting command with the same exit code as in-process.
 */
import type { ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { answerFromSchema, schemaOf } from "./helpers/answer-from-schema.js";
import { startLlmServer, type LlmServer, type RecordedRequest, type ScriptedReply } from "./helpers/llm-server.js";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";
import { runCli, type CliRun } from "./helpers/run-cli.js";
import { freshDatabase, freshRedisPrefix, type FreshDatabase, type RedisNamespace } from "./support/services.js";

const DAY = "2026-01-17";
const COMMITS = 6;

let repo: TestRepo;
let llm: LlmServer;
let reply: (request: RecordedRequest) => ScriptedReply;
let hook: { server: Server; url: string; posts: number };
const workers: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  repo = makeRepo();
  repo.write("README.md", "# demo\n");
  repo.commit({ message: "chore: start", date: "2026-01-16T12:00:00Z" });
  for (let index = 0; index < COMMITS; index++) {
    repo.write(`src/mod${index}.py`, `def handler_${index}(request, limit=${index}):\n    return request[:limit]\n`);
    repo.commit({ message: `feat: handler ${index}`, date: `${DAY}T0${index + 1}:00:00Z` });
  }
  llm = await startLlmServer((request) => reply(request));
  hook = await startHook();
});

afterEach(async () => {
  for (const worker of workers.splice(0)) worker.kill("SIGKILL");
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

afterAll(async () => {
  await llm.close();
  await new Promise((resolve) => hook.server.close(resolve));
  repo.cleanup();
});

async function startHook(): Promise<{ server: Server; url: string; posts: number }> {
  const state = { posts: 0 } as { server: Server; url: string; posts: number };
  state.server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      state.posts += 1;
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, "127.0.0.1", resolve));
  const address = state.server.address() as { port: number };
  state.url = `http://127.0.0.1:${address.port}/hook`;
  return state;
}

interface Deployment {
  cwd: string;
  dataDir: string;
  database?: FreshDatabase;
  redis?: RedisNamespace;
}

/** A config (in the folder it is run from) for in-process, or for workers on PostgreSQL and Redis. */
async function deployment(options: { queued: boolean; llm?: boolean; webhook?: boolean; lockMs?: number; requestsPerMinute?: number }): Promise<Deployment> {
  const cwd = makeTempDir();
  const lines = ["timezone: UTC", "output: { dir: reports, formats: [md, json] }", "github: { enabled: false }"];
  let database: FreshDatabase | undefined;
  let redis: RedisNamespace | undefined;
  if (options.queued) {
    database = await freshDatabase();
    redis = await freshRedisPrefix();
    const { url, drop } = database;
    const { clear } = redis;
    cleanups.push(async () => {
      await drop();
      await clear();
    });
    lines.push(`store: ${url}`, `queue: { url: "${redis.redisUrl}", prefix: "${redis.prefix}", lockDurationMs: ${options.lockMs ?? 30_000} }`);
  }
  if (options.llm) {
    lines.push(
      "llm:",
      "  provider: openai-compatible",
      "  model: test-model",
      `  baseUrl: ${llm.url}/v1`,
      "  apiKeyEnv: TEST_LLM_KEY",
      "  concurrency: 2",
      "  timeoutMs: 5000",
      ...(options.requestsPerMinute ? [`  requestsPerMinute: ${options.requestsPerMinute}`] : []),
    );
  }
  if (options.webhook) lines.push("delivery:", "  webhook: { urlEnv: TEST_HOOK_URL }");
  lines.push("repos:", `  - name: demo/repo`, `    path: ${repo.dir}`);
  writeFileSync(join(cwd, "repo-digest.yaml"), `${lines.join("\n")}\n`);
  return { cwd, dataDir: makeTempDir(), ...(database ? { database } : {}), ...(redis ? { redis } : {}) };
}

const ENV = () => ({ TEST_LLM_KEY: "test-key", TEST_HOOK_URL: hook.url });

function cli(args: string[], where: Deployment, onChild?: (child: ChildProcess) => void): Promise<CliRun> {
  return runCli(args, { cwd: where.cwd, dataDir: where.dataDir, env: ENV(), ...(onChild ? { onChild } : {}) });
}

/** A worker process, resolved once it says it takes jobs. */
function startWorker(where: Deployment, concurrency = 2): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    void cli(["worker", "--concurrency", String(concurrency)], { ...where, dataDir: makeTempDir() }, (child) => {
      workers.push(child);
      child.stderr!.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes("taking jobs")) resolve(child);
      });
    }).then((run) => reject(new Error(`worker ended early (${run.status}): ${run.stderr}`)));
  });
}

function readReports(where: Deployment): { md: string; json: Record<string, unknown> } {
  const dir = join(where.cwd, "reports");
  const files = readdirSync(dir);
  const md = readFileSync(join(dir, files.find((file) => file.endsWith(".md"))!), "utf8");
  const json = JSON.parse(readFileSync(join(dir, files.find((file) => file.endsWith(".json"))!), "utf8")) as Record<string, unknown>;
  return { md: md.replace(/^\*.*(生成于|Generated).*$/m, ""), json: { ...json, generatedAt: undefined } };
}

function modelAnswer(request: RecordedRequest, delayMs = 0): ScriptedReply {
  const schema = schemaOf(request)!;
  if (JSON.stringify(schema).includes('"themes"')) return { json: { themes: ["新增处理函数。"], readFirst: [] }, usage: { input: 100, output: 20 } };
  const index = /handler (\d)/.exec(request.text)?.[1] ?? "?";
  return { json: answerFromSchema(schema, { summary: `模型摘要 ${index}：新增 \`handler_${index}\`。` }), delayMs, usage: { input: 500, output: 100 } };
}

describe("reports on queued workers", () => {
  it("writes the same report as in-process, on PostgreSQL and Redis, and runs a report enqueued twice once", async () => {
    const local = await deployment({ queued: false });
    const inProcess = await cli(["report", "--date", DAY], local);
    expect(inProcess.status, inProcess.stderr).toBe(0);

    const queued = await deployment({ queued: true });
    await Promise.all([startWorker(queued), startWorker(queued)]);
    const run = await cli(["report", "--queue", "--date", DAY, "-v"], queued);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain("report enqueued");
    expect(run.stderr).toContain(`${DAY}: ${COMMITS} commit(s) in 1 repo(s)`);
    expect(readReports(queued)).toEqual(readReports(local));

    // The same report again: found in the queue, not run again.
    const again = await cli(["report", "--queue", "--date", DAY, "-v"], queued);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain("in the queue already");
    expect(again.stderr).not.toContain("report enqueued");
  }, 90_000);

  it("loses nothing and posts once when a worker is killed with SIGKILL in the middle of its jobs", async () => {
    let answered = 0;
    let killFirst: () => void = () => undefined;
    reply = (request) => {
      if (++answered === 2) killFirst();
      return modelAnswer(request, 700);
    };
    const where = await deployment({ queued: true, llm: true, webhook: true, lockMs: 2_000 });
    const [first] = await Promise.all([startWorker(where), startWorker(where)]);
    killFirst = () => first!.kill("SIGKILL");
    const postsBefore = hook.posts;
    const requestsBefore = llm.requests.length;
    const run = await cli(["report", "--queue", "--date", DAY], where);
    expect(run.status, run.stderr).toBe(0);
    expect(first!.signalCode).toBe("SIGKILL");

    const { json } = readReports(where);
    const commits = (json.repos as Array<{ commits: Array<{ analysis: { analyzer: { name: string } } }> }>)[0]!.commits;
    expect(commits).toHaveLength(COMMITS);
    expect(commits.every((commit) => commit.analysis.analyzer.name === "llm")).toBe(true);
    expect(hook.posts - postsBefore).toBe(1);
    // Each commit's analysis stored once, whichever worker made it; at most the killed worker's calls were asked twice.
    const client = new pg.Client({ connectionString: where.database!.url });
    await client.connect();
    try {
      const rows = await client.query<{ n: string }>("SELECT count(*) AS n FROM analyses GROUP BY commit_id");
      expect(rows.rows).toHaveLength(COMMITS);
      expect(rows.rows.every((row) => Number(row.n) === 1)).toBe(true);
      const deliveries = await client.query<{ status: string }>("SELECT status FROM deliveries");
      expect(deliveries.rows).toEqual([{ status: "sent" }]);
    } finally {
      await client.end();
    }
    const calls = llm.requests.length - requestsBefore;
    expect(calls).toBeGreaterThanOrEqual(COMMITS + 1);
    expect(calls).toBeLessThanOrEqual(COMMITS + 1 + 2);
  }, 90_000);

  it("holds llm.requestsPerMinute across workers: two workers never send more than the limit in any minute", async () => {
    const arrivals: number[] = [];
    reply = (request) => {
      arrivals.push(Date.now());
      return modelAnswer(request);
    };
    const where = await deployment({ queued: true, llm: true, requestsPerMinute: 5 });
    await Promise.all([startWorker(where), startWorker(where)]);
    const run = await cli(["report", "--queue", "--date", DAY], where);
    expect(run.status, run.stderr).toBe(0);
    // Six commits and the overview: seven calls, of which five fit the first minute.
    expect(arrivals).toHaveLength(COMMITS + 1);
    for (let index = 5; index < arrivals.length; index++) expect(arrivals[index]! - arrivals[index - 5]!).toBeGreaterThanOrEqual(59_000);
  }, 120_000);

  it("ends the waiting command with the workers' exit code: analyses failed (4), bad input (2)", async () => {
    reply = () => ({ status: 500, body: "model down" });
    const where = await deployment({ queued: true, llm: true });
    await startWorker(where);
    const run = await cli(["report", "--queue", "--date", DAY], where);
    expect(run.status, run.stderr).toBe(4);
    expect(run.stderr).toMatch(/LLM 分析失败 6\/6 条/);
    expect(existsReport(where)).toBe(true);

    const latest = await cli(["report", "--queue", "--latest"], where);
    expect(latest.status).toBe(2);
    expect(latest.stderr.trim().split("\n")).toHaveLength(1);
  }, 60_000);

  it("ends with a repository's own failure on a worker, retried first, as in-process: a remote that cannot be cloned (3)", async () => {
    const where = await deployment({ queued: true });
    const config = readFileSync(join(where.cwd, "repo-digest.yaml"), "utf8");
    writeFileSync(join(where.cwd, "repo-digest.yaml"), config.replace(`    path: ${repo.dir}`, `    url: file://${makeTempDir()}/gone.git`));
    await startWorker(where);
    const run = await cli(["report", "--queue", "--date", DAY], where);
    expect(run.status, run.stderr).toBe(3);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/gone\.git/);
    expect(run.stderr).not.toMatch(/child .* failed/);
  }, 60_000);

  it("runs the daemon's days on the workers when a queue is configured", async () => {
    const where = await deployment({ queued: true });
    await startWorker(where);
    const run = await cli(["daemon", "--once", "--json"], where);
    expect(run.status, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout) as { days: Array<{ day: string; outcome: string; reports: string[] }> };
    expect(document.days.length).toBeGreaterThan(0);
    expect(document.days.every((day) => day.outcome === "done")).toBe(true);
    // Written by the worker, into the folder the daemon's config names, and recorded in the shared store.
    expect(readdirSync(join(where.cwd, "reports")).filter((file) => file.endsWith(".md"))).toHaveLength(document.days.length);
    expect(document.days.every((day) => day.reports.length === 2)).toBe(true);
  }, 60_000);

  it("refuses --queue without a queue, and says in one line when Redis cannot be reached", { timeout: 60_000 }, async () => {
    const local = await deployment({ queued: false });
    const none = await cli(["report", "--queue", "--date", DAY], local);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/queue/);
    writeFileSync(join(local.cwd, "repo-digest.yaml"), `${readFileSync(join(local.cwd, "repo-digest.yaml"), "utf8")}queue: redis://127.0.0.1:9\n`);
    const down = await cli(["report", "--queue", "--date", DAY], local);
    expect(down.status).toBe(3);
    expect(down.stderr.trim().split("\n")).toHaveLength(1);
    expect(down.stderr).toMatch(/the queue \(redis:\/\/127\.0\.0\.1:9\): cannot connect/);
  });
});

function existsReport(where: Deployment): boolean {
  return readdirSync(join(where.cwd, "reports")).some((file) => file.endsWith(".md"));
}
