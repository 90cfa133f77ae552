/**
 * npm run bench:serve [-- --seconds 30 --connections 200 --commits 10000 --phases baseline,search,pages,uncached,mixed]
 *
 * `repo-digest serve` under load. The store: 10,000 commits over 10 repositories and 100 days,
 * written straight through the Store's `indexCommits` (the search index, as the pipeline's
 * publish stage writes it) with synthetic entries, for speed: running `report` over 10,000
 * real commits would take the bench's time in git and facts, which is not what it measures;
 * plus 200 published reports (the sample report model) for the report pages. The server is
 * a real process (the CLI, store opened read-only, on loopback); autocannon's clients on
 * loopback, 200 at once:
 *   1. search only: full text, filters (importance, type, path glob, variable, author, repo,
 *      days) and pages, for --seconds;
 *   2. pages: search, commit pages, repository pages, trends, home, report pages and the API,
 *      for --seconds;
 *   3. uncached search: every request a search no one made before, so that the server's
 *      kept answers (src/serve/response-cache.ts) do not help: what the store itself costs;
 *   4. mixed: half the clients uncached searches, half pages that are not searches (commit,
 *      repository, report pages, home, trends): whether a page waits behind searches (they
 *      run in worker threads, src/serve/search-pool.ts).
 * And first, for scale, the same load on a bare node:http server answering 20 KB (about a
 * search page) from memory: what this machine and autocannon allow at all.
 * Printed: requests, p50/p95/p99 latency, errors and non-2xx (503s of a full search queue
 * among them), the load average before each phase (the machine may be shared), the server's
 * resident memory at start and at the end of each phase. --phases runs some of them only.
 */
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import type { ChangeType, Importance } from "../src/analysis/types.js";
import { openStore } from "../src/store/open-store.js";
import type { SearchEntry } from "../src/store/types.js";
import { sampleReport } from "../test/support/report/fixtures.js";
import { makeTempDir } from "../test/support/store/fixtures.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "30" },
    connections: { type: "string", default: "200" },
    commits: { type: "string", default: "10000" },
    phases: { type: "string", default: "baseline,search,pages,uncached,mixed" },
  },
});
const PHASES = new Set(values.phases.split(","));
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const COMMITS = Number(values.commits);
const REPOS = 10;
const DAYS = 100;
const FIRST_DAY = Date.parse("2025-10-01T00:00:00Z");

const MAIN = join(import.meta.dirname, "..", "src", "cli", "main.ts");
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** A small deterministic generator, so that every run builds the same store. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
const next = random(42);
const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;

const MODULES = ["lib/runtime", "lib/llm", "lib/kv-router", "components/frontend", "components/planner", "deploy/helm", "docs", "tests", "benchmarks", "container"];
const VERBS = ["add", "fix", "remove", "rework", "speed up", "document", "test", "rename", "guard", "retry"];
const NOUNS = ["scheduler", "tokenizer", "kv cache", "router", "metrics", "health check", "config loader", "worker pool", "transport", "planner"];
const TYPES: ChangeType[] = ["feature", "bugfix", "docs", "refactor", "performance", "test", "build", "ci", "config", "dependency", "chore"];
const AUTHORS = [...Array.from({ length: 30 }, (_, index) => `Developer ${index}`), "dependabot[bot]", "renovate[bot]"];

function entryOf(index: number): SearchEntry {
  const module = pick(MODULES);
  const type = pick(TYPES);
  const roll = next();
  const importance: Importance = roll < 0.1 ? "high" : roll < 0.5 ? "medium" : "low";
  const author = pick(AUTHORS);
  const day = Math.floor((index / COMMITS) * DAYS);
  const committedAt = new Date(FIRST_DAY + day * 86_400_000 + Math.floor(next() * 86_000) * 1000).toISOString();
  const title = `${type}(${module.split("/").pop()}): ${pick(VERBS)} the ${pick(NOUNS)} #${index}`;
  const paths = Array.from({ length: 1 + Math.floor(next() * 4) }, (_, file) => `${module}/src/file_${index % 97}_${file}.rs`);
  const env = index % 50 === 0 ? [`BENCH_ENV_${index % 500}`] : [];
  const dependencies = type === "dependency" ? [pick(["tokio", "serde", "pyo3", "numpy", "torch"])] : [];
  return {
    sha: (0x10000000 + index).toString(16).padEnd(40, "0"),
    committedAt,
    author,
    bot: author.endsWith("[bot]"),
    title,
    body: `This change ${pick(VERBS)}s the ${pick(NOUNS)} in ${module}. It keeps the ${pick(NOUNS)} working under load.`,
    ...(index % 3 === 0 ? { prNumber: 1000 + index, prTitle: title, prBody: `Closes #${index}. Part of the ${pick(NOUNS)} work.` } : {}),
    labels: index % 7 === 0 ? ["enhancement"] : [],
    lang: "zh-CN",
    importance,
    changeType: type,
    analysisText: `“${title}”。修改了 ${module} 中的 ${pick(NOUNS)}。Impact: \`${paths[0]}\`.`,
    paths,
    modules: [module],
    symbols: [`${pick(NOUNS).replace(/\W+/g, "_")}_${index % 200}`],
    envVars: env,
    flags: index % 80 === 0 ? [`--bench-flag-${index % 40}`] : [],
    configKeys: [],
    dependencies,
    apiAdded: importance === "high" ? 1 : 0,
    apiRemoved: importance === "high" && index % 2 === 0 ? 1 : 0,
    breaking: importance === "high" && index % 4 === 0,
    churn: [{ module, lines: 5 + Math.floor(next() * 400) }],
  };
}

async function buildStore(dataDir: string): Promise<{ repos: string[]; shas: Array<[string, string]>; reports: string[] }> {
  const started = performance.now();
  const store = openStore(join(dataDir, "repo-digest.sqlite"));
  const repos: string[] = [];
  const shas: Array<[string, string]> = [];
  const reports: string[] = [];
  const perRepo = Math.ceil(COMMITS / REPOS);
  const model = JSON.stringify(sampleReport("zh-CN"));
  for (let r = 0; r < REPOS; r++) {
    const name = `bench/repo-${r}`;
    repos.push(name);
    const { id } = await store.upsertRepository(`https://github.com/bench/repo-${r}.git`, name);
    const entries = Array.from({ length: perRepo }, (_, index) => entryOf(r * perRepo + index)).filter((_, index) => r * perRepo + index < COMMITS);
    for (let at = 0; at < entries.length; at += 500) await store.indexCommits(id, entries.slice(at, at + 500));
    for (const entry of entries.filter((_, index) => index % 50 === 0)) shas.push([name, entry.sha]);
    for (let day = DAYS - 20; day < DAYS; day++) {
      const since = new Date(FIRST_DAY + day * 86_400_000).toISOString();
      const label = since.slice(0, 10);
      const reportName = `${label}--bench-repo-${r}`;
      reports.push(reportName);
      await store.saveReportModel(
        { name: reportName, periodLabel: label, lang: "zh-CN", digest: false, repos: [name], since, until: new Date(Date.parse(since) + 86_400_000).toISOString(), createdAt: new Date().toISOString() },
        model,
      );
    }
  }
  await store.close();
  process.stderr.write(`bench: store of ${COMMITS} indexed commits, ${reports.length} reports, built in ${Math.round(performance.now() - started)} ms\n`);
  return { repos, shas, reports };
}

function searchPaths(repos: readonly string[]): string[] {
  const words = ["scheduler", "tokenizer", "router", "metrics", "transport", "planner", "cache", "retry", "kv", "worker"];
  const paths: string[] = [];
  for (const word of words) paths.push(`/search?q=${encodeURIComponent(word)}`, `/api/v1/search?q=${encodeURIComponent(word)}&importance=medium`);
  for (const importance of ["high", "medium"]) paths.push(`/search?importance=${importance}`, `/search?importance=${importance}&page=3`);
  for (const type of ["feature", "bugfix", "dependency"]) paths.push(`/search?type=${type}`);
  for (const module of ["lib/runtime", "deploy/helm"]) paths.push(`/search?path=${encodeURIComponent(`${module}/**`)}`, `/search?path=${encodeURIComponent(`${module}/**`)}&importance=high`);
  for (let index = 0; index < 10; index++) paths.push(`/search?env=BENCH_ENV_${index * 50}`);
  for (const repo of repos.slice(0, 5)) paths.push(`/search?repo=${encodeURIComponent(repo)}`, `/search?repo=${encodeURIComponent(repo)}&q=router&bots=exclude`);
  paths.push("/search?author=Developer%207", "/search?since=2025-11-01&until=2025-11-07", "/search?q=health%20check&since=2025-12-01", "/search.atom?importance=high", "/search?page=20");
  return paths;
}

function pagePaths(repos: readonly string[], shas: ReadonlyArray<readonly [string, string]>, reports: readonly string[]): string[] {
  const paths = [...searchPaths(repos)];
  for (const [repo, sha] of shas.slice(0, 100)) paths.push(`/repos/${repo}/commits/${sha}`, `/api/v1/repos/${repo}/commits/${sha.slice(0, 12)}`);
  for (const repo of repos) paths.push(`/repos/${repo}`, `/repos/${repo}?page=2`, `/trends?repo=${encodeURIComponent(repo)}`);
  for (const report of reports.slice(0, 20)) paths.push(`/reports/${report}`);
  paths.push("/", "/reports", "/trends", "/api/v1/repos", "/api/v1/trends", "/api/v1/calendar");
  return paths;
}

interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function startServer(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, MAIN, "serve", "--port", "0"], {
    env: { ...process.env, REPO_DIGEST_DATA_DIR: dataDir, NO_COLOR: "1", REPO_DIGEST_SERVE_TOKEN: "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /^(http:\/\/\S+\/)$/m.exec(out)?.[1];
      if (url) resolve({ url, pid: child.pid!, stop: () => new Promise((done) => (child.once("exit", () => done()), child.kill("SIGINT"))) });
    });
    child.once("exit", (code) => reject(new Error(`serve exited ${code}`)));
  });
}

/** The server's resident memory now and at its peak, in MiB (Linux /proc). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rss: Math.round(kib("VmRSS") / 1024), peak: Math.round(kib("VmHWM") / 1024) };
}

interface Figures {
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

const load1 = () => loadavg()[0]!.toFixed(2);

/** `paths` walked in turn by every client for --seconds; latencies taken from each response, percentiles exact. */
async function load(url: string, paths: (index: number) => string, title: string, connections = CONNECTIONS, pid?: number): Promise<Figures> {
  const loadBefore = load1();
  // The server's resident memory every 5 s of the phase: flat or growing is read off the series.
  const samples: number[] = [];
  const sampler = pid === undefined ? undefined : setInterval(() => samples.push(memoryOf(pid).rss), 5000);
  let index = 0;
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url, connections, duration: SECONDS, requests: [{ setupRequest: (request) => ({ ...request, path: paths(index++) }) }] },
      (error: unknown, done: autocannon.Result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  clearInterval(sampler);
  times.sort((a, b) => a - b);
  const at = (p: number) => Math.round((times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN) * 10) / 10;
  const figures: Figures = {
    requests: times.length,
    perSecond: Math.round(times.length / SECONDS),
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max: Math.round((times.at(-1) ?? NaN) * 10) / 10,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
  process.stdout.write(
    `${title}: ${figures.requests} responses (${figures.perSecond}/s), latency p50 ${figures.p50} ms, p95 ${figures.p95} ms, p99 ${figures.p99} ms, max ${figures.max} ms; errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}; load average ${loadBefore} before, ${load1()} after\n`,
  );
  if (samples.length >= 2) {
    // The second half against the first: a server that keeps growing shows it there, past its warm-up.
    const half = (part: number[]) => Math.round(part.reduce((sum, value) => sum + value, 0) / part.length);
    const middle = Math.floor(samples.length / 2);
    process.stdout.write(
      `  server memory every 5 s (MiB): ${samples.join(" ")}; mean of the first half ${half(samples.slice(0, middle))}, of the second ${half(samples.slice(middle))}\n`,
    );
  }
  return figures;
}

/** A bare node:http server in its own process: 20 KB from memory, nothing else. */
function startBaseline(): Promise<Server> {
  const source = `const body = Buffer.alloc(20000, 97);
    const server = require("node:http").createServer((req, res) => { res.writeHead(200, { "content-type": "text/html; charset=utf-8" }); res.end(body); });
    server.listen(0, "127.0.0.1", () => console.log("http://127.0.0.1:" + server.address().port + "/"));
    process.on("SIGINT", () => process.exit(0));`;
  const child = spawn(process.execPath, ["-e", source], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout.once("data", (chunk: Buffer) => resolve({ url: chunk.toString().trim(), pid: child.pid!, stop: () => new Promise((done) => (child.once("exit", () => done()), child.kill("SIGINT"))) }));
    child.once("error", reject);
  });
}

async function main(): Promise<void> {
  if (PHASES.has("baseline")) {
    const baseline = await startBaseline();
    try {
      await load(baseline.url, () => "/", `baseline (bare node:http, 20 KB), ${CONNECTIONS} clients, ${SECONDS} s`);
    } finally {
      await baseline.stop();
    }
  }
  const dataDir = makeTempDir();
  try {
    const { repos, shas, reports } = await buildStore(dataDir);
    const server = await startServer(dataDir);
    try {
      // Warm: each path once, so that prepared statements and the first renders are not measured.
      for (const path of pagePaths(repos, shas, reports)) await (await fetch(new URL(path, server.url))).arrayBuffer();
      const start = memoryOf(server.pid);
      process.stdout.write(`server memory at start: ${start.rss} MiB resident\n`);
      const after = (phase: string) => {
        const memory = memoryOf(server.pid);
        process.stdout.write(`server memory after ${phase}: ${memory.rss} MiB resident (peak ${memory.peak} MiB)\n`);
      };
      if (PHASES.has("search")) {
        const search = searchPaths(repos);
        await load(server.url, (index) => search[index % search.length]!, `search, ${CONNECTIONS} clients, ${SECONDS} s`, CONNECTIONS, server.pid);
        after("search");
      }
      if (PHASES.has("pages")) {
        const pages = pagePaths(repos, shas, reports);
        await load(server.url, (index) => pages[index % pages.length]!, `pages, ${CONNECTIONS} clients, ${SECONDS} s`, CONNECTIONS, server.pid);
        after("pages");
      }
      // Every search new (a word and a page no one asked before): no answer kept helps, the store answers each.
      const words = ["scheduler", "tokenizer", "router", "metrics", "transport", "planner", "cache", "retry"];
      const uncached = (round: string) => (index: number) => `/search?q=${words[index % words.length]}&page=${1 + Math.floor(index / words.length)}&limit=${1 + (index % 20)}${round}`;
      if (PHASES.has("uncached")) {
        await load(server.url, uncached(""), `uncached search, ${CONNECTIONS} clients, ${SECONDS} s`, CONNECTIONS, server.pid);
        after("uncached search");
      }
      if (PHASES.has("mixed")) {
        // Pages that are no search, kept or not: do they wait behind the searches?
        const pages = pagePaths(repos, shas, reports).filter((path) => !path.includes("search"));
        const half = Math.max(1, Math.floor(CONNECTIONS / 2));
        await Promise.all([
          load(server.url, uncached("&lang=zh-CN"), `mixed: uncached search, ${half} clients, ${SECONDS} s`, half, server.pid),
          load(server.url, (index) => pages[index % pages.length]!, `mixed: pages (no search) beside them, ${CONNECTIONS - half} clients, ${SECONDS} s`, CONNECTIONS - half),
        ]);
        after("mixed");
      }
      const end = memoryOf(server.pid);
      process.stdout.write(`server memory at end: ${end.rss} MiB resident (peak ${end.peak} MiB)\n`);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
