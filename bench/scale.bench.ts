/**
 * npm run bench:scale [-- --repos N --commits M --workers 1,2,4,8 --concurrency C --latency MS
 *                        --rpm R --kill-in W --lock-ms MS --cli dist|tsx|<main.js> --keep --verbose --cpu-prof]
 *
 * A report of N repositories × M commits (one day) on BullMQ workers, against the same
 * report in one process. Real git repositories (a few Python and TypeScript files changed
 * per commit, functions added and changed), a real PostgreSQL and Redis (scripts/services.sh
 * in a state folder of its own, or the ones REPO_DIGEST_TEST_DATABASE_URL and
 * REPO_DIGEST_TEST_REDIS_URL name), the real CLI processes, and a local model server that
 * answers after a fixed latency and enforces its own requests-per-minute limit (a 60 s sliding
 * window over the requests it accepted, as they arrived; over it: 429, counted).
 * `llm.requestsPerMinute` is the same limit, so our limiter should never meet a 429.
 *
 * Each mode gets a fresh PostgreSQL database, Redis prefix, output folder and provider window:
 *   in-process        `repo-digest report --date D`
 *   N workers         `repo-digest worker --concurrency C` × N, started (their "taking jobs" line
 *                     seen) before the clock starts; then `repo-digest report --queue --date D`,
 *                     timed from its start to its exit.
 *   W workers, 1 killed   the same, with one worker killed (SIGKILL) once half the commits have
 *                     been answered. A run of its own: its wall time includes the lock the killed
 *                     worker's jobs wait out, which is no rate. The run must finish; the store must
 *                     then hold exactly one LLM analysis of every commit (read from the tables), the
 *                     report every commit, and a second in-process `report --no-fetch` no model call.
 *
 * Printed: per mode the commits analysed, the model calls (the repositories' overviews too: the
 * provider meters them), wall seconds, commits/s, calls/s, the ideal rate min(limit/60,
 * workers × concurrency / latency), the calls' ratio to it, the best rate a 60 s sliding window
 * allows for this many calls (above the ideal while calls < 2 × limit: the first minute's burst),
 * the 429s, the mean calls in flight at the server, the seconds to the first call and the last
 * answer; where the CPU went (each process, PostgreSQL, Redis, the rest of the machine) and when
 * event loops were late (a probe loaded into every CLI process); whether each report equals the
 * in-process one (generatedAt apart); the checks after the kill. Targets: ≥ 0.8 of the ideal while
 * the workers bind, ≥ 0.9 once the provider's limit binds, no 429. Exit 1 when one is missed or a
 * check fails.
 *
 * The CLI is the bundle of scripts/build.mjs, built from the tree into the temporary folder
 * (dist/ is shared and may be older than the queue); --cli tsx runs the sources as the tests do.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import { answerFromSchema, schemaOf } from "../test/helpers/answer-from-schema.js";
import { startLlmServer, type RecordedRequest } from "../test/helpers/llm-server.js";

const { values } = parseArgs({
  options: {
    repos: { type: "string", default: "200" },
    commits: { type: "string", default: "20" },
    workers: { type: "string", default: "1,2,4,8" },
    concurrency: { type: "string", default: "4" },
    latency: { type: "string", default: "300" },
    rpm: { type: "string", default: "2400" },
    /** The model server's window (default 60 s, the limiter's); shorter shows how much margin the limiter needs. */
    "provider-window-ms": { type: "string", default: "60000" },
    "kill-in": { type: "string", default: "4" },
    "lock-ms": { type: "string", default: "30000" },
    /** Keep the temporary folder (repositories, configs, every process's log) and print where. */
    keep: { type: "boolean", default: false },
    /** The workers and the report command log step by step (-v) into their logs. */
    verbose: { type: "boolean", default: false },
    /** V8 CPU profiles of every CLI process (node --cpu-prof), in each mode's folder; implies --keep. */
    "cpu-prof": { type: "boolean", default: false },
    /**
     * dist: the published bundle, built from the tree into the temporary folder; tsx: the sources,
     * as the tests run them; or the path of a main.js built before (the tree may be mid-change).
     */
    cli: { type: "string", default: "dist" },
  },
});
const REPOS = positiveInt("repos", values.repos);
const COMMITS = positiveInt("commits", values.commits);
const WORKER_COUNTS = values.workers.split(",").filter((item) => item !== "").map((item) => positiveInt("workers", item));
const CONCURRENCY = positiveInt("concurrency", values.concurrency);
const LATENCY_MS = positiveInt("latency", values.latency);
const RPM = positiveInt("rpm", values.rpm);
const PROVIDER_WINDOW_MS = positiveInt("provider-window-ms", values["provider-window-ms"]);
const KILL_IN = Number(values["kill-in"]);
// The default lock (queue.lockDurationMs); shorter, a killed worker's jobs are taken over sooner, and a busy worker's lost sooner.
const LOCK_MS = positiveInt("lock-ms", values["lock-ms"]);
if (!Number.isInteger(KILL_IN) || KILL_IN < 0 || KILL_IN === 1) fail(`--kill-in ${values["kill-in"]}: the number of workers of the run with one killed, 2 or more (0: none)`);

const DAY = "2026-01-17";
const ROOT = resolve(import.meta.dirname, "..");
if (values.cli !== "dist" && values.cli !== "tsx" && !existsSync(values.cli)) fail(`--cli ${values.cli}: dist, tsx or the path of a built main.js`);
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const KEY_ENV = "SCALE_BENCH_LLM_KEY";
/**
 * Loaded into every CLI process (--import): it tells where a process waits. Every 250 ms it
 * checks how late its timer fired; a gap over 1 s is logged with the CPU time the process used
 * meanwhile: about the gap, its own code held the event loop (BullMQ cannot renew its locks
 * then); far less, the machine did not run it. At exit: the event loop's delay percentiles.
 */
const PROBE = `data:text/javascript,${encodeURIComponent(`
import { monitorEventLoopDelay } from "node:perf_hooks";
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
let last = performance.now();
let cpu = process.cpuUsage();
const timer = setInterval(() => {
  const now = performance.now();
  const gap = now - last - 250;
  const used = process.cpuUsage(cpu);
  if (gap > 1000) process.stderr.write("scale-probe: late " + Math.round(gap) + " ms, cpu " + Math.round((used.user + used.system) / 1000) + " ms, at " + new Date().toISOString() + "\\n");
  last = now;
  cpu = process.cpuUsage();
}, 250);
timer.unref();
process.on("exit", () => {
  process.stderr.write("scale-probe: delay p50 " + (histogram.percentile(50) / 1e6).toFixed(0) + " ms p99 " + (histogram.percentile(99) / 1e6).toFixed(0) + " ms max " + (histogram.max / 1e6).toFixed(0) + " ms\\n");
});
`)}`;
const TICKS_PER_SECOND = 100;

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} ${value}: give a whole number of 1 or more`);
  return n;
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

function note(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

// Everything started is stopped, whatever happens: a list run backwards at the end (or on Ctrl-C).
const cleanups: Array<() => Promise<void> | void> = [];
async function cleanUp(): Promise<void> {
  for (const step of cleanups.splice(0).reverse()) {
    try {
      await step();
    } catch (error) {
      note(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    note(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------
// Repositories: real git history, written with `git fast-import` (one process per repository
// rather than three per commit; the objects are the same).

interface Fn {
  name: string;
  params: string[];
  body: string[];
}

interface SourceFile {
  path: string;
  language: "python" | "typescript";
  fns: Fn[];
}

function render(file: SourceFile, repo: number): string {
  if (file.language === "python") {
    const header = [`"""${file.path}: request handling of service ${repo}."""`, "", "import logging", "", "LOG = logging.getLogger(__name__)", ""];
    return [...header, ...file.fns.flatMap((fn) => ["", `def ${fn.name}(${fn.params.join(", ")}):`, ...fn.body.map((line) => `    ${line}`), ""])].join("\n");
  }
  const header = [`// ${file.path}: views of service ${repo}.`, "", `export const SERVICE = ${repo};`, ""];
  return [
    ...header,
    ...file.fns.flatMap((fn) => ["", `export function ${fn.name}(${fn.params.map((param) => `${param}: number`).join(", ")}): number {`, ...fn.body.map((line) => `  ${line}`), "}"]),
    "",
  ].join("\n");
}

function pythonBody(seed: number, params: string[]): string[] {
  return [
    `total = ${seed}`,
    `for item in range(${params[0] ?? "1"}):`,
    `    total += item * ${(seed % 7) + 2}`,
    `if total > ${seed * 10 + 100}:`,
    `    LOG.warning("total %s over ${seed * 10 + 100}", total)`,
    `return total`,
  ];
}

function tsBody(seed: number, params: string[]): string[] {
  return [`let total = ${seed};`, `for (let i = 0; i < ${params[0] ?? "1"}; i++) total += i * ${(seed % 5) + 2};`, `return total > ${seed * 3} ? total : ${seed};`];
}

interface BenchRepo {
  dir: string;
  name: string;
  /** The day's commits, oldest first. */
  shas: string[];
}

function makeRepository(root: string, repo: number): BenchRepo {
  const dir = join(root, `repo-${String(repo).padStart(3, "0")}`);
  mkdirSync(dir, { recursive: true });
  const files: SourceFile[] = [
    ...Array.from({ length: 4 }, (_, m): SourceFile => ({
      path: `service/mod_${m}.py`,
      language: "python",
      fns: Array.from({ length: 6 }, (_, f) => ({ name: `step_${m}_${f}`, params: ["count", "limit=10"], body: pythonBody(repo + m * 10 + f, ["count"]) })),
    })),
    ...Array.from({ length: 2 }, (_, v): SourceFile => ({
      path: `web/src/view_${v}.ts`,
      language: "typescript",
      fns: Array.from({ length: 5 }, (_, f) => ({ name: `view${v}_${f}`, params: ["count"], body: tsBody(repo + v * 10 + f, ["count"]) })),
    })),
  ];
  const chunks: Buffer[] = [];
  const data = (text: string) => {
    const bytes = Buffer.from(text, "utf8");
    chunks.push(Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from("\n"));
  };
  const commit = (mark: number, epochSeconds: number, message: string, changed: Array<{ path: string; content: string }>) => {
    chunks.push(Buffer.from(`commit refs/heads/main\nmark :${mark}\n`));
    chunks.push(Buffer.from(`author Bench Author <bench@example.com> ${epochSeconds} +0000\ncommitter Bench Author <bench@example.com> ${epochSeconds} +0000\n`));
    data(message);
    for (const change of changed) {
      chunks.push(Buffer.from(`M 100644 inline ${change.path}\n`));
      data(change.content);
    }
    chunks.push(Buffer.from("\n"));
  };
  const dayStart = Date.parse(`${DAY}T00:00:00Z`) / 1000;
  commit(1, dayStart - 12 * 3600, `chore: start service ${repo}\n`, [
    { path: "README.md", content: `# service ${repo}\n` },
    ...files.map((file) => ({ path: file.path, content: render(file, repo) })),
  ]);
  const step = Math.floor((23 * 3600) / COMMITS);
  for (let k = 1; k <= COMMITS; k++) {
    const added = files[k % 4]!;
    const changed = files[(k + 1) % 4]!;
    const view = files[4 + (k % 2)]!;
    added.fns.push({ name: `handle_${k}`, params: ["count", `timeout=${k}`], body: [`LOG.info("handle ${k}")`, ...pythonBody(repo * 100 + k, ["count"])] });
    const target = changed.fns[k % changed.fns.length]!;
    target.body = pythonBody(repo * 100 + k + 50, ["count"]);
    if (k % 3 === 0) target.params = [...target.params, `retries_${k}=3`];
    if (k % 2 === 0) view.fns.push({ name: `render${k}`, params: ["count", "width"], body: tsBody(repo + k, ["count"]) });
    else view.fns[k % view.fns.length]!.body = tsBody(repo * 7 + k, ["count"]);
    const kinds = ["feat", "fix", "refactor", "perf"] as const;
    const message =
      `${kinds[k % 4]}(service): add handle_${k} to ${added.path.split("/").pop()} and rework ${target.name}\n\n` +
      `The handler counts up to the limit; ${target.name} warns past a new bound.\n`;
    commit(k + 1, dayStart + 1800 + (k - 1) * step, message, [added, changed, view].map((file) => ({ path: file.path, content: render(file, repo) })));
  }
  const git = (args: string[], input?: Buffer) => execFileSync("git", args, { cwd: dir, input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
  git(["init", "-q", "-b", "main"]);
  git(["config", "gc.auto", "0"]);
  git(["fast-import", "--quiet"], Buffer.concat(chunks));
  git(["reset", "-q", "--hard", "main"]);
  const shas = git(["rev-list", "--reverse", "main"]).trim().split("\n").slice(1);
  return { dir, name: `scale/repo-${String(repo).padStart(3, "0")}`, shas };
}

// ---------------------------------------------------------------------------------------
// Services: reused when the environment names them, else started here and stopped at the end.

async function openServices(): Promise<{ databaseUrl: string; redisUrl: string }> {
  const givenDb = process.env.REPO_DIGEST_TEST_DATABASE_URL;
  const givenRedis = process.env.REPO_DIGEST_TEST_REDIS_URL;
  if (givenDb && givenRedis) {
    note("using the services of REPO_DIGEST_TEST_DATABASE_URL and REPO_DIGEST_TEST_REDIS_URL");
    return { databaseUrl: givenDb, redisUrl: givenRedis };
  }
  const script = join(ROOT, "scripts", "services.sh");
  // Its own state folder, so that services of tests or other checkouts are neither reused nor stopped.
  const dir = mkdtempSync(join(tmpdir(), "repo-digest-scale-services-"));
  const env = { ...process.env, REPO_DIGEST_SERVICES_DIR: dir };
  cleanups.push(() => {
    execFileSync("bash", [script, "stop"], { env, stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  });
  note(`starting PostgreSQL and Redis in ${dir}`);
  const lines = execFileSync("bash", [script, "start"], { env, encoding: "utf8" });
  const read = (name: string) => new RegExp(`^${name}=(.+)$`, "m").exec(lines)?.[1] ?? fail(`services.sh start printed no ${name}`);
  return { databaseUrl: read("REPO_DIGEST_TEST_DATABASE_URL"), redisUrl: read("REPO_DIGEST_TEST_REDIS_URL") };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    // The rate limiter's keys carry a hash tag: {prefix:rate:…}:sent
    cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `{${prefix}*`, "COUNT", 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

// ---------------------------------------------------------------------------------------
// The model server: a fixed latency, its own limit, and the counts a mode reads.

const counts = {
  commitAnswers: 0,
  overviewAnswers: 0,
  rejected: 0,
  inFlight: 0,
  onAnswer: (): void => undefined,
  clockStart: 0,
  firstCallAt: undefined as number | undefined,
  lastAnswerAt: undefined as number | undefined,
  /** With --keep: what the server did and what the shared limiter held, written to the mode's model-server.jsonl. */
  trace: undefined as Array<Record<string, unknown>> | undefined,
};
const accepted: number[] = [];
function resetCounts(): void {
  // A mode is a new account: the previous mode's calls must not count against it (its limiter starts empty too).
  accepted.length = 0;
  counts.commitAnswers = 0;
  counts.overviewAnswers = 0;
  counts.rejected = 0;
  counts.onAnswer = () => undefined;
  counts.firstCallAt = undefined;
  counts.lastAnswerAt = undefined;
}

function isOverviewRequest(request: RecordedRequest): boolean {
  return JSON.stringify(schemaOf(request) ?? {}).includes('"themes"');
}

const server = await startLlmServer(async (request) => {
  // The provider's view of the limit: what it accepted in the last 60 s, by its own clock and
  // as the requests arrived (not as our limiter admitted them).
  const now = performance.now();
  while (accepted.length > 0 && accepted[0]! <= now - PROVIDER_WINDOW_MS) accepted.shift();
  if (accepted.length >= RPM) {
    counts.rejected++;
    counts.trace?.push({ t: Math.round(now - counts.clockStart), event: "rejected", inWindow: accepted.length });
    return { status: 429, retryAfterSeconds: 1 };
  }
  accepted.push(now);
  counts.trace?.push({ t: Math.round(now - counts.clockStart), event: "accepted", inWindow: accepted.length });
  counts.firstCallAt ??= now;
  counts.inFlight++;
  await sleep(LATENCY_MS);
  counts.inFlight--;
  counts.lastAnswerAt = performance.now();
  const overview = isOverviewRequest(request);
  if (overview) counts.overviewAnswers++;
  else counts.commitAnswers++;
  counts.onAnswer();
  return {
    json: answerFromSchema(schemaOf(request)!, overview ? {} : { summary: "Adds a request handler and reworks a step of the service." }),
    usage: { input: 1500, output: 300 },
  };
});
cleanups.push(() => server.close());

// ---------------------------------------------------------------------------------------
// CLI processes.

interface Spawned {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderrTail(): string;
  /** The probe's lines (see PROBE). */
  probe: string[];
}

/**
 * The program as users run it: the bundle of scripts/build.mjs, built from this tree into the
 * temporary folder (dist/ is shared and may be older), beside links to package.json (its
 * version) and node_modules (the packages left outside the bundle).
 */
function buildCli(work: string): string[] {
  if (values.cli === "tsx") return ["--import", TSX, join(ROOT, "src", "cli", "main.ts")];
  if (values.cli !== "dist") return [resolve(values.cli)];
  const root = join(work, "cli");
  mkdirSync(root);
  symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"));
  symlinkSync(join(ROOT, "package.json"), join(root, "package.json"));
  try {
    execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs"), "--outdir", join(root, "dist")], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    throw new Error(`the build failed (${String((error as { stderr?: Buffer }).stderr ?? error).trim().split("\n")[0]}); run with --cli tsx to use the sources`);
  }
  return [join(root, "dist", "main.js")];
}
let cliArgs: string[] = [];

function spawnCli(args: string[], cwd: string, logFile: string, onStderr?: (text: string) => void): Spawned {
  const profile = values["cpu-prof"] ? ["--cpu-prof", "--cpu-prof-dir", join(cwd, "cpu-prof")] : [];
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", [KEY_ENV]: "scale-bench-key" };
  // The config says where the store and the queue are; an engineer's own settings must not override it.
  delete env.REPO_DIGEST_DATABASE_URL;
  delete env.REPO_DIGEST_QUEUE_URL;
  delete env.REPO_DIGEST_CONFIG;
  const child = spawn(process.execPath, [...profile, "--import", PROBE, ...cliArgs, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(logFile);
  let tail = "";
  let partial = "";
  const probe: string[] = [];
  child.stdout!.pipe(log, { end: false });
  child.stderr!.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    log.write(text);
    tail = (tail + text).slice(-4000);
    const lines = (partial + text).split("\n");
    partial = lines.pop()!;
    probe.push(...lines.filter((line) => line.startsWith("scale-probe:")));
    onStderr?.(text);
  });
  const exited = new Promise<number | null>((done) => child.on("close", (code, signal) => (log.end(), done(code ?? (signal ? 128 : null)))));
  return { child, exited, stderrTail: () => tail.trim(), probe };
}

/** What the probe saw of some processes: how often and how long their event loops were late, and why. */
function summariseProbe(processes: Spawned[]): string {
  const lates = processes.flatMap((spawned) =>
    spawned.probe.map((line) => /late (\d+) ms, cpu (\d+) ms/.exec(line)).filter((match) => match !== null).map((match) => ({ gap: Number(match[1]), cpu: Number(match[2]) })),
  );
  const p99 = processes.map((spawned) => /p99 (\d+) ms max (\d+) ms/.exec(spawned.probe.find((line) => line.includes("p99")) ?? "")).filter((match) => match !== null);
  const longest = lates.reduce((best, late) => (late.gap > best.gap ? late : best), { gap: 0, cpu: 0 });
  const busy = lates.filter((late) => late.cpu >= late.gap * 0.5).length;
  return (
    `event loop late > 1 s ${lates.length} times (${busy} of them busy in its own code, ${lates.length - busy} not run by the machine)` +
    (lates.length > 0 ? `, longest ${(longest.gap / 1000).toFixed(1)} s (cpu ${(longest.cpu / 1000).toFixed(1)} s)` : "") +
    (p99.length > 0 ? `; delay p99 ${Math.max(...p99.map((match) => Number(match[1])))} ms, max ${Math.max(...p99.map((match) => Number(match[2])))} ms` : "")
  );
}

/** CPU seconds of a live process and of its children that ended (the git it ran); undefined once it is gone. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The pid of what listens on a URL's port on this machine (ss), if it can be told. */
function listenerPid(url: string): number | undefined {
  try {
    const out = execFileSync("ss", ["-ltnpH", `sport = :${new URL(url).port}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const pid = /pid=(\d+)/.exec(out)?.[1];
    return pid === undefined ? undefined : Number(pid);
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of a server and its children: PostgreSQL runs a process per connection; those
 * that ended are in the parent's cutime/cstime, the live ones are read one by one.
 */
function treeCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const fieldsOf = (of: string) => {
    const stat = readFileSync(`/proc/${of}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  };
  try {
    const own = fieldsOf(String(pid));
    let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry) || entry === String(pid)) continue;
      try {
        const fields = fieldsOf(entry);
        if (Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // Gone meanwhile.
      }
    }
    return ticks / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The machine's busy and total CPU time so far (ticks, every core). */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!.split(/\s+/).slice(1).map(Number);
  const total = line.reduce((sum, value) => sum + (Number.isFinite(value) ? value : 0), 0);
  const idle = (line[3] ?? 0) + (line[4] ?? 0);
  return { busy: total - idle, total };
}

// ---------------------------------------------------------------------------------------
// One mode.

interface ModeResult {
  mode: string;
  workers: number;
  ok: boolean;
  error?: string;
  commits: number;
  analysed: number;
  calls: number;
  wallS: number;
  rejected: number;
  meanInFlight: number;
  cpuBusyPct: number;
  workerCpuS: number[];
  commandCpuS: number;
  /** The machine's 1-minute load average when the mode started: other work on it slows every figure. */
  loadAverage: number;
  probeWorkers: string;
  probeCommand: string;
  /** CPU seconds during the run of PostgreSQL, Redis and this process (the model server). */
  postgresCpuS?: number;
  redisCpuS?: number;
  benchCpuS: number;
  machineCpuS: number;
  /** Seconds from the clock's start to the first model call and to the last answer. */
  firstCallS?: number;
  lastAnswerS?: number;
  report?: unknown;
  killCheck?: { ok: boolean; lines: string[] };
}

async function runMode(label: string, workerCount: number, kill: boolean, env: { databaseUrl: string; redisUrl: string; work: string; repos: BenchRepo[] }): Promise<ModeResult> {
  const slug = label.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
  const dir = join(env.work, slug);
  const out = join(dir, "out");
  mkdirSync(out, { recursive: true });
  const database = `rd_scale_${process.pid}_${slug.replace(/-/g, "_")}`;
  await adminQuery(env.databaseUrl, `CREATE DATABASE ${database}`);
  cleanups.push(() => adminQuery(env.databaseUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).then(() => undefined));
  const storeUrl = withDatabase(env.databaseUrl, database);
  const prefix = `rd-scale-${process.pid}-${slug}`;
  cleanups.push(() => deleteRedisKeys(env.redisUrl, prefix));
  const config = join(dir, "repo-digest.yaml");
  writeFileSync(
    config,
    [
      "timezone: UTC",
      "language: en",
      `output: { dir: ${JSON.stringify(out)}, formats: [md, json] }`,
      "github: { enabled: false }",
      `store: ${JSON.stringify(storeUrl)}`,
      `queue: { url: ${JSON.stringify(env.redisUrl)}, prefix: ${JSON.stringify(prefix)}, lockDurationMs: ${LOCK_MS} }`,
      "llm:",
      "  provider: openai-compatible",
      "  model: scale-bench-model",
      `  baseUrl: ${JSON.stringify(`${server.url}/v1`)}`,
      `  apiKeyEnv: ${KEY_ENV}`,
      `  concurrency: ${CONCURRENCY}`,
      `  requestsPerMinute: ${RPM}`,
      "  timeoutMs: 30000",
      "repos:",
      ...env.repos.map((repo) => `  - { name: ${JSON.stringify(repo.name)}, path: ${JSON.stringify(repo.dir)} }`),
      "",
    ].join("\n"),
  );
  const common = ["--config", config, "--data-dir", join(dir, "data")];
  const workers: Spawned[] = [];
  let command: Spawned | undefined;
  const stopWorkers = async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGTERM");
    await Promise.race([Promise.all(workers.map((worker) => worker.exited)), sleep(15_000)]);
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGKILL");
    await Promise.all(workers.map((worker) => worker.exited));
  };
  cleanups.push(stopWorkers);
  const result: ModeResult = { mode: label, workers: workerCount, ok: false, commits: 0, analysed: 0, calls: 0, wallS: 0, rejected: 0, meanInFlight: 0, cpuBusyPct: 0, workerCpuS: [], commandCpuS: 0, loadAverage: 0, probeWorkers: "", probeCommand: "", benchCpuS: 0, machineCpuS: 0 };
  try {
    // Workers first, each ready (its "taking jobs" line) before the clock starts.
    for (let index = 0; index < workerCount; index++) {
      let ready!: () => void;
      const isReady = new Promise<void>((done) => (ready = done));
      let seen = "";
      const worker = spawnCli([...common, ...(values.verbose ? ["-v"] : []), "worker", "--concurrency", String(CONCURRENCY)], dir, join(dir, `worker-${index}.log`), (text) => {
        seen += text;
        if (seen.includes("taking jobs")) ready();
      });
      workers.push(worker);
      const started = await Promise.race([isReady.then(() => "ready" as const), worker.exited.then(() => "exited" as const), sleep(60_000).then(() => "slow" as const)]);
      if (started !== "ready") throw new Error(`worker ${index} ${started === "exited" ? "exited" : "was not ready in 60 s"}: ${worker.stderrTail()}`);
    }
    resetCounts();
    let killed = false;
    if (kill) {
      const half = Math.ceil((env.repos.length * COMMITS) / 2);
      counts.onAnswer = () => {
        if (killed || counts.commitAnswers < half) return;
        killed = true;
        const victim = workers[workers.length - 1]!;
        note(`${label}: ${counts.commitAnswers} commits answered; kill -9 of worker pid ${victim.child.pid}`);
        victim.child.kill("SIGKILL");
      };
    }
    const args = [...common, ...(values.verbose ? ["-v"] : []), "report", "--date", DAY, ...(workerCount > 0 ? ["--queue"] : [])];
    let inFlightSum = 0;
    let samples = 0;
    let commandCpu = 0;
    result.loadAverage = loadavg()[0]!;
    const workerCpuBefore = workers.map((worker) => cpuSeconds(worker.child.pid) ?? 0);
    const pgPid = listenerPid(env.databaseUrl);
    const redisPid = listenerPid(env.redisUrl);
    const pgBefore = treeCpuSeconds(pgPid);
    const redisBefore = treeCpuSeconds(redisPid);
    const benchBefore = process.cpuUsage();
    const ticksBefore = machineTicks();
    const started = performance.now();
    counts.clockStart = started;
    if (values.keep) counts.trace = [];
    // The shared limiter's window as Redis holds it, beside the server's. Its key (a sorted set
    // under `<prefix>:rate:`, src/analysis/llm/shared-limits.ts) is looked up, not rebuilt here.
    const redis = values.keep && workerCount > 0 ? new Redis(env.redisUrl) : undefined;
    let limiterKey: string | undefined;
    const limiterSampler = redis
      ? setInterval(() => {
          void (async () => {
            if (limiterKey === undefined) {
              const [, keys] = await redis.scan("0", "MATCH", `*${prefix}:rate:*`, "COUNT", 10_000);
              for (const key of keys) if ((await redis.type(key)) === "zset") limiterKey = key;
            }
            const [seconds, micros] = await redis.time();
            const redisNow = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
            const inWindow = limiterKey === undefined ? 0 : await redis.zcount(limiterKey, `(${redisNow - 60_000}`, "+inf");
            counts.trace?.push({ t: Math.round(performance.now() - started), event: "limiter", inWindow, server: accepted.length });
          })().catch(() => undefined);
        }, 1000)
      : undefined;
    command = spawnCli(args, dir, join(dir, "report.log"));
    const sampler = setInterval(() => {
      inFlightSum += counts.inFlight;
      samples++;
      commandCpu = cpuSeconds(command!.child.pid) ?? commandCpu;
    }, 100);
    const code = await command.exited;
    result.wallS = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (limiterSampler) clearInterval(limiterSampler);
    redis?.disconnect();
    if (counts.trace) writeFileSync(join(dir, "model-server.jsonl"), counts.trace.map((item) => JSON.stringify(item)).join("\n"));
    counts.trace = undefined;
    const ticksAfter = machineTicks();
    const benchUsed = process.cpuUsage(benchBefore);
    result.benchCpuS = (benchUsed.user + benchUsed.system) / 1e6;
    result.machineCpuS = (ticksAfter.busy - ticksBefore.busy) / TICKS_PER_SECOND;
    const pgAfter = treeCpuSeconds(pgPid);
    const redisAfter = treeCpuSeconds(redisPid);
    if (pgBefore !== undefined && pgAfter !== undefined) result.postgresCpuS = pgAfter - pgBefore;
    if (redisBefore !== undefined && redisAfter !== undefined) result.redisCpuS = redisAfter - redisBefore;
    if (counts.firstCallAt !== undefined) result.firstCallS = (counts.firstCallAt - started) / 1000;
    if (counts.lastAnswerAt !== undefined) result.lastAnswerS = (counts.lastAnswerAt - started) / 1000;
    result.cpuBusyPct = (100 * (ticksAfter.busy - ticksBefore.busy)) / Math.max(1, ticksAfter.total - ticksBefore.total);
    result.meanInFlight = samples > 0 ? inFlightSum / samples : 0;
    result.commandCpuS = commandCpu;
    // From the clock's start: the workers' own start (loading the CLI) is not the run's.
    result.workerCpuS = workers.map((worker, index) => (cpuSeconds(worker.child.pid) ?? Number.NaN) - workerCpuBefore[index]!);
    result.calls = counts.commitAnswers + counts.overviewAnswers;
    result.rejected = counts.rejected;
    const summary = /(\d+) commit\(s\) in (\d+) repo\(s\); (\d+) read from git, (\d+) analysed/.exec(command.stderrTail());
    result.commits = Number(summary?.[1] ?? 0);
    result.analysed = Number(summary?.[4] ?? 0);
    if (code !== 0) throw new Error(`report exited ${code}: ${command.stderrTail().split("\n").slice(-3).join(" | ")}`);
    if (kill && !killed) throw new Error("the run ended before half the commits were answered: no worker was killed");
    const jsonFile = readdirSync(out).find((file) => file.endsWith(".json"));
    if (!jsonFile) throw new Error(`no JSON report in ${out}`);
    result.report = JSON.parse(readFileSync(join(out, jsonFile), "utf8"));
    await stopWorkers();
    if (kill) result.killCheck = await checkAfterKill(storeUrl, result.report, env.repos, [...common, "report", "--date", DAY, "--no-fetch", "--out", join(dir, "again")], dir);
    result.ok = true;
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    await stopWorkers();
    result.probeWorkers = summariseProbe(workers);
    if (command) result.probeCommand = summariseProbe([command]);
  }
  return result;
}

/** After the kill: one LLM analysis of every commit in the store, every commit in the report, and no model call on a re-run. */
async function checkAfterKill(storeUrl: string, report: unknown, repos: BenchRepo[], againArgs: string[], cwd: string): Promise<{ ok: boolean; lines: string[] }> {
  const problems: string[] = [];
  const rows = await adminQuery<{ location: string; sha: string; llm: number; total: number }>(
    storeUrl,
    `SELECT r.location, c.sha, count(a.id) FILTER (WHERE a.analyzer_name = 'llm')::int AS llm, count(a.id)::int AS total
       FROM commits c JOIN repositories r ON r.id = c.repo_id LEFT JOIN analyses a ON a.commit_id = c.id
      GROUP BY r.location, c.sha`,
  );
  const stored = new Map(rows.map((row) => [`${row.location}\0${row.sha}`, row]));
  let missing = 0;
  let notOne = 0;
  for (const repo of repos) {
    for (const sha of repo.shas) {
      const row = stored.get(`${repo.dir}\0${sha}`);
      if (!row) missing++;
      else if (row.llm !== 1 || row.total !== 1) notOne++;
    }
  }
  const expected = repos.length * COMMITS;
  if (rows.length !== expected) problems.push(`the store holds ${rows.length} commits, not ${expected}`);
  if (missing > 0) problems.push(`${missing} commits missing from the store`);
  if (notOne > 0) problems.push(`${notOne} commits without exactly one (LLM) analysis`);
  const inReport = new Set(shasOf(report));
  const absent = repos.flatMap((repo) => repo.shas).filter((sha) => !inReport.has(sha)).length;
  if (absent > 0) problems.push(`${absent} commits missing from the report`);
  const before = counts.commitAnswers + counts.overviewAnswers + counts.rejected;
  const again = spawnCli(againArgs, cwd, join(cwd, "report-again.log"));
  const code = await again.exited;
  const calls = counts.commitAnswers + counts.overviewAnswers + counts.rejected - before;
  if (code !== 0) problems.push(`report --no-fetch again exited ${code}: ${again.stderrTail().split("\n").slice(-2).join(" | ")}`);
  if (calls > 0) problems.push(`report --no-fetch again made ${calls} model calls`);
  return problems.length > 0
    ? { ok: false, lines: problems }
    : { ok: true, lines: [`${expected} commits each with exactly one LLM analysis in the store; all ${expected} in the report; a re-run made 0 model calls`] };
}

/** Every commit SHA the report names in its repositories' sections. */
function shasOf(report: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (typeof record.sha === "string" && /^[0-9a-f]{40}$/.test(record.sha)) found.push(record.sha);
      Object.values(record).forEach(walk);
    }
  };
  walk((report as { repos?: unknown }).repos);
  return found;
}

/** Paths where two reports differ, generatedAt apart; empty when they are equal. */
function differences(a: unknown, b: unknown, path = "", out: string[] = []): string[] {
  if (out.length >= 5) return out;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: ${a.length} vs ${b.length} items`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) differences(a[i], b[i], `${path}[${i}]`, out);
  } else if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      if (key === "generatedAt") continue;
      differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path ? `${path}.${key}` : key, out);
    }
  } else if (a !== b) {
    out.push(`${path}: ${JSON.stringify(a)?.slice(0, 60)} vs ${JSON.stringify(b)?.slice(0, 60)}`);
  }
  return out;
}

/**
 * The shortest time `calls` calls can take at `capacity` calls/s with at most `rpm` sent in
 * any 60 s: each leaves at the later of its turn and 60 s after the one `rpm` before it.
 */
function windowBoundSeconds(calls: number, capacity: number, rpm: number, latencyS: number): number {
  const sent: number[] = [];
  for (let i = 0; i < calls; i++) sent.push(Math.max(i / capacity, i >= rpm ? sent[i - rpm]! + 60 : 0));
  return (sent[calls - 1] ?? 0) + latencyS;
}

// ---------------------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), "repo-digest-scale-"));
cleanups.push(() => (values.keep || values["cpu-prof"] ? note(`kept ${work}`) : rmSync(work, { recursive: true, force: true })));
let exitCode = 0;
const print = (text = "") => process.stdout.write(`${text}\n`);
try {
  const services = await openServices();
  cliArgs = buildCli(work);
  const madeAt = performance.now();
  const repos = Array.from({ length: REPOS }, (_, index) => makeRepository(join(work, "repos"), index));
  note(`${REPOS} repositories × ${COMMITS} commits made in ${((performance.now() - madeAt) / 1000).toFixed(1)} s`);
  const plural = (workers: number) => `${workers} worker${workers > 1 ? "s" : ""}`;
  // The kill is a run of its own: its wall time includes the lock the killed worker's jobs wait out, not a rate.
  const modes: Array<{ label: string; workers: number; kill: boolean }> = [
    { label: "in-process", workers: 0, kill: false },
    ...WORKER_COUNTS.map((workers) => ({ label: plural(workers), workers, kill: false })),
    ...(KILL_IN > 0 ? [{ label: `${plural(KILL_IN)}, 1 killed`, workers: KILL_IN, kill: true }] : []),
  ];
  const results: ModeResult[] = [];
  for (const mode of modes) {
    note(`${mode.label}: running`);
    const result = await runMode(mode.label, mode.workers, mode.kill, { ...services, work, repos });
    note(`${mode.label}: ${result.ok ? `${result.wallS.toFixed(1)} s` : `FAILED: ${result.error}`}`);
    results.push(result);
  }

  const rows = results.map((result) => {
    const capacity = (Math.max(1, result.workers) * CONCURRENCY) / (LATENCY_MS / 1000);
    const ideal = Math.min(RPM / 60, capacity);
    const callsPerS = result.calls / result.wallS;
    const bound = result.calls / windowBoundSeconds(result.calls, capacity, RPM, LATENCY_MS / 1000);
    const limitBinds = capacity > RPM / 60;
    const ratio = callsPerS / ideal;
    const target = limitBinds ? 0.9 : 0.8;
    const kill = result.killCheck !== undefined || modes.find((mode) => mode.label === result.mode)?.kill === true;
    const met = result.ok && result.rejected === 0 && (kill || ratio >= target);
    return { result, ideal, callsPerS, bound, ratio, target, met, limitBinds, kill };
  });
  const header = ["mode", "commits", "analysed", "calls", "wall s", "commits/s", "calls/s", "ideal/s", "ratio", "bound/s", "÷bound", "429s", "in flight", "1st call s", "last s", "target"];
  const table = rows.map(({ result, ideal, callsPerS, bound, ratio, target, met, limitBinds, kill }) =>
    result.wallS > 0
      ? [
          result.mode,
          String(result.commits),
          String(result.analysed),
          String(result.calls),
          result.wallS.toFixed(1),
          (result.analysed / result.wallS).toFixed(1),
          callsPerS.toFixed(1),
          ideal.toFixed(1),
          ratio.toFixed(2),
          bound.toFixed(1),
          (callsPerS / bound).toFixed(2),
          String(result.rejected),
          result.meanInFlight.toFixed(1),
          result.firstCallS?.toFixed(1) ?? "-",
          result.lastAnswerS?.toFixed(1) ?? "-",
          !result.ok ? "FAILED" : kill ? (met ? "- (correctness run)" : "MISSED (429s)") : `${met ? "met" : "MISSED"} (≥ ${target} of ${limitBinds ? "the limit" : "linear"})`,
        ]
      : [result.mode, ...Array.from({ length: header.length - 3 }, () => "-"), ideal.toFixed(1), "FAILED"].slice(0, header.length),
  );
  const widths = header.map((title, column) => Math.max(title.length, ...table.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ");
  print(
    `\n${REPOS} repositories × ${COMMITS} commits on ${DAY}; model latency ${LATENCY_MS} ms, limit ${RPM}/min (llm.requestsPerMinute ${RPM}), ` +
      `concurrency ${CONCURRENCY} per process, lock ${LOCK_MS} ms; ${availableParallelism()} CPUs`,
  );
  print(line(header));
  for (const row of table) print(line(row));
  print("calls: the model's answers, the repositories' overviews included (the provider meters them too); analysed: commits the report says were analysed");
  print("ratio: calls/s over the ideal min(limit/60, workers × concurrency / latency); bound: the best a 60 s sliding window allows for this many calls");
  print("in flight: mean calls the server held; 1st call / last: seconds from the clock's start to the first call and to the last answer");

  print("\nwhere the CPU went during each run (seconds; the machine's total counts every core and every user):");
  for (const { result } of rows) {
    if (result.wallS === 0) continue;
    const workersCpu = result.workerCpuS.map((value) => (Number.isNaN(value) ? "killed" : value.toFixed(1)));
    const ours = result.commandCpuS + result.workerCpuS.filter((value) => !Number.isNaN(value)).reduce((sum, value) => sum + value, 0) + (result.postgresCpuS ?? 0) + (result.redisCpuS ?? 0) + result.benchCpuS;
    print(
      `  ${result.mode}: machine ${result.machineCpuS.toFixed(1)} of ${(result.wallS * availableParallelism()).toFixed(1)} (load average ${result.loadAverage.toFixed(1)} at the start); ` +
        `report command ${result.commandCpuS.toFixed(1)}${workersCpu.length > 0 ? `, workers ${workersCpu.join(" + ")}` : ""}, ` +
        `PostgreSQL ${result.postgresCpuS?.toFixed(1) ?? "n/a"}, Redis ${result.redisCpuS?.toFixed(1) ?? "n/a"}, model server ${result.benchCpuS.toFixed(1)}; ` +
        `others on the machine ${Math.max(0, result.machineCpuS - ours).toFixed(1)}`,
    );
    print(`    report command: ${result.probeCommand}`);
    if (result.workers > 0) print(`    workers: ${result.probeWorkers}`);
  }

  const reference = results[0]!.ok ? results[0]!.report : undefined;
  print("\nreport JSON against the in-process one (generatedAt apart):");
  for (const result of results.slice(1)) {
    if (!result.ok || reference === undefined) {
      print(`  ${result.mode}: not compared (${result.ok ? "the in-process run failed" : result.error})`);
      exitCode = 1;
      continue;
    }
    const diff = differences(reference, result.report);
    // Calls asked again (a killed worker's, or a job taken over) are spent tokens: the report counts them.
    const onlyUsage = diff.length > 0 && diff.every((item) => item.startsWith("llmUsage."));
    const extra = result.calls - results[0]!.calls;
    if (diff.length === 0) print(`  ${result.mode}: equal`);
    else if (onlyUsage && extra > 0) print(`  ${result.mode}: equal but for llmUsage (${extra} calls asked again, counted as spent): ${diff.join("; ")}`);
    else {
      print(`  ${result.mode}: DIFFERENT at ${diff.join("; ")}`);
      exitCode = 1;
    }
  }
  const expectedShas = repos.flatMap((repo) => repo.shas);
  for (const result of results) {
    if (!result.ok) continue;
    const inReport = new Set(shasOf(result.report));
    const absent = expectedShas.filter((sha) => !inReport.has(sha)).length;
    if (absent > 0) {
      print(`  ${result.mode}: ${absent} of ${expectedShas.length} commits missing from the report`);
      exitCode = 1;
    }
  }
  const killedRow = rows.find((row) => row.kill);
  if (killedRow) {
    const killed = killedRow.result;
    print(`\nafter kill -9 of one of ${killed.workers} workers once half the commits were answered:`);
    if (!killed.ok) {
      print(`  FAILED: ${killed.error}`);
      exitCode = 1;
    } else {
      for (const item of killed.killCheck?.lines ?? []) print(`  ${item}`);
      print(`  the run finished ${killed.wallS.toFixed(1)} s after its start; ${killed.calls - results[0]!.calls} calls were asked again`);
      if (!killed.killCheck?.ok) exitCode = 1;
    }
  }
  for (const result of results) if (!result.ok) exitCode = 1;
  if (rows.some((row) => !row.met)) {
    note("a mode missed its target (see the table)");
    exitCode = 1;
  }
} catch (error) {
  note(error instanceof Error ? (error.stack ?? error.message) : String(error));
  exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);
