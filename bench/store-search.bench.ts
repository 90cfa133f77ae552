/**
 * node --import tsx bench/store-search.bench.ts [--entries 10000] [--rounds 60] [--database-url postgres://…]
 *
 * searchCommits and trends on a store of 10,000 indexed commits (one language: the report's),
 * as the web app asks them: SQLite (a new file), and PostgreSQL in two new databases on the
 * server of --database-url (default REPO_DIGEST_TEST_DATABASE_URL, e.g. from
 * `bash scripts/services.sh start`): one with the server's locale (the test server's is C, where
 * pg_trgm takes no trigram from Chinese) and one with C.UTF-8 (where it does).
 *
 * The entries: 20 repositories, 200 modules, English commit messages (a PR's title and body for
 * half) and a Chinese analysis, their words drawn by Zipf's law from 3,000 English and 650
 * Chinese ones, so that a query's word is in nearly every entry, in a third, or in a few percent;
 * 2 to 6 paths, symbols, variables, flags and dependencies. Each query kind runs --rounds times
 * with its words rotating (so no answer is the same one cached), after two warm-up rounds;
 * printed: the median and p95 in ms, the matches of the first round, and the load average (the
 * machine may be shared: the figures are only as quiet as it was).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { openStore } from "../src/store/open-store.js";
import { openPostgresStore } from "../src/store/postgres/postgres-store.js";
import type { SearchEntry, SearchQuery, Store } from "../src/store/types.js";
import { makeSha, makeTempDir } from "../test/support/store/fixtures.js";

const { values } = parseArgs({
  options: { entries: { type: "string", default: "10000" }, rounds: { type: "string", default: "60" }, "database-url": { type: "string" } },
});
const ENTRIES = Number(values.entries);
const ROUNDS = Number(values.rounds);
const adminUrl = values["database-url"] ?? process.env.REPO_DIGEST_TEST_DATABASE_URL;
if (!adminUrl) throw new Error("store-search bench: pass --database-url or set REPO_DIGEST_TEST_DATABASE_URL (bash scripts/services.sh start)");

// A fixed generator: every run indexes the same entries.
let seed = 42;
/** mulberry32 (https://gist.github.com/tommyettinger/46a874533244883189143505d203312c): 32-bit integer steps, exact in JavaScript. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/**
 * Words drawn as in real text (Zipf's law, exponent 1: the n-th word n times rarer than the
 * first), so that a query's word may match most entries ("the"), some, or a few.
 */
function zipf<T>(words: readonly T[]): () => T {
  const weights = words.map((_, rank) => 1 / (rank + 1));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cumulative: number[] = [];
  weights.reduce((sum, weight) => (cumulative.push((sum + weight) / total), sum + weight), 0);
  return () => {
    const target = random();
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return words[low]!;
  };
}

const SYLLABLES = "ka lo mi ne ru sa te vi zo ba de fi gu ha jo ku le mo ni pa qu ri su ta ve wa xi yo ze bu".split(" ");
/** 3,000 English-like words; common ones first (real ones, so queries read naturally). */
const ENGLISH = [
  ..."the to of and a in for is that on with it this be as from by not when are an at we if or".split(" "),
  ..."fix add remove update test retry cache error config build scheduler parser worker router client timeout token buffer queue".split(" "),
  ...Array.from({ length: 2950 }, (_, index) => `${SYLLABLES[index % 30]}${SYLLABLES[Math.floor(index / 30) % 30]}${SYLLABLES[Math.floor(index / 900)]}`),
];
const englishWord = zipf(ENGLISH);
const ZH_COMMON = "修复 问题 模块 配置 调用 影响 升级 延迟 错误 接口 性能 内存 线程 缓存 日志 测试 文档 依赖 版本 请求 响应 数据 网络 存储 任务 调度 队列 索引 权限 安全".split(" ");
const ZH_TERMS = "调度器 解析器 分词器 线程池 配置加载 网络客户端 缓存层 存储引擎 路由表 内存分配 导出器 采样器 限流器 连接池 序列化 反序列化".split(" ");
const zhFiller = (from: number, count: number) =>
  Array.from({ length: count }, (_, index) => String.fromCodePoint(0x4e00 + (((from + index) * 37) % 20000), 0x4e00 + (((from + index) * 91 + 7) % 20000)));
// The terms after 150 other words: each in a few percent of the analyses.
const chineseWord = zipf([...ZH_COMMON, ...zhFiller(0, 150), ...ZH_TERMS, ...zhFiller(150, 500)]);
const MODULES = Array.from({ length: 200 }, (_, index) => `src/mod${index}`);
const EXTENSIONS = [".ts", ".py", ".rs", ".go", ".md"];
const VERBS = ["fix", "add", "remove", "refactor", "speed up", "document", "test", "rename", "retry", "cache", "validate", "log"];

function sentence(words: number): string {
  return Array.from({ length: words }, englishWord).join(" ");
}
function chinese(chars: number): string {
  let text = "";
  while (text.length < chars) text += random() < 0.1 ? "，" : chineseWord();
  return `${text}。`;
}

function makeEntries(count: number): Array<{ repo: number; entry: SearchEntry }> {
  const start = Date.parse("2025-10-01T00:00:00Z");
  return Array.from({ length: count }, (_, index) => {
    const modules = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(MODULES));
    const paths = Array.from({ length: 2 + Math.floor(random() * 5) }, () => `${pick(modules)}/file${Math.floor(random() * 40)}${pick(EXTENSIONS)}`);
    const noun = englishWord();
    const withPr = random() < 0.5;
    const entry: SearchEntry = {
      sha: makeSha(1_000_000 + index),
      committedAt: new Date(start + index * 15 * 60_000).toISOString(),
      author: random() < 0.1 ? "dependabot[bot]" : `dev${Math.floor(random() * 60)}`,
      bot: false,
      title: `${pick(VERBS)}: ${noun} ${sentence(5)}`,
      body: sentence(30 + Math.floor(random() * 40)),
      ...(withPr ? { prNumber: index, prTitle: `${pick(VERBS)} the ${noun}`, prBody: sentence(50) } : {}),
      labels: [],
      lang: "zh-CN",
      importance: pick(["high", "medium", "low", "low", "low"] as const),
      changeType: pick(["feature", "bugfix", "refactor", "docs", "dependency", "test"] as const),
      analysisText: chinese(150 + Math.floor(random() * 250)),
      paths,
      modules,
      symbols: [`${noun}.run${index % 50}`, `helper${index % 300}`],
      envVars: random() < 0.2 ? [`APP_${index % 30}`] : [],
      flags: random() < 0.1 ? [`--flag-${index % 20}`] : [],
      configKeys: [],
      dependencies: random() < 0.1 ? [`dep-${index % 40}`] : [],
      apiAdded: Math.floor(random() * 3),
      apiRemoved: Math.floor(random() * 2),
      breaking: random() < 0.03,
      churn: modules.map((module) => ({ module, lines: 1 + Math.floor(random() * 200) })),
    };
    entry.bot = entry.author.endsWith("[bot]");
    return { repo: index % 20, entry };
  });
}

interface Kind {
  name: string;
  query(round: number): SearchQuery | "trends";
}

const page = { lang: "zh-CN" as const, limit: 20, offset: 0 };
// Words by how many entries they are in: the first of ENGLISH is in nearly all, the 30th in
// about a third, the 400th in a few percent; ZH_COMMON in most, ZH_TERMS in a few percent.
const KINDS: Kind[] = [
  { name: "browse, newest first", query: () => ({ ...page }) },
  { name: "text: English, in ~all", query: (round) => ({ ...page, text: ENGLISH[round % 3]! }) },
  { name: "text: English, in ~1/3", query: (round) => ({ ...page, text: ENGLISH[25 + (round % 10)]! }) },
  { name: "text: English, in a few %", query: (round) => ({ ...page, text: ENGLISH[300 + round * 7]! }) },
  { name: "text: two English words", query: (round) => ({ ...page, text: `${ENGLISH[25 + (round % 10)]} ${ENGLISH[100 + round]}` }) },
  { name: "text: Chinese term, 3+ chars", query: (round) => ({ ...page, text: ZH_TERMS[round % ZH_TERMS.length]! }) },
  { name: "text: Chinese word, 2 chars", query: (round) => ({ ...page, text: ZH_COMMON[round % ZH_COMMON.length]! }) },
  { name: "text + importance + repo", query: (round) => ({ ...page, text: ENGLISH[25 + (round % 10)]!, minImportance: "high", repos: [`org/repo${round % 20}`] }) },
  // A period led SQLite to run the MATCH once per entry of it (5 s; see sqliteText's join).
  { name: "text + period (6 weeks)", query: (round) => ({ ...page, text: ENGLISH[25 + (round % 10)]!, since: "2025-12-01T00:00:00Z" }) },
  { name: "text + period + importance", query: (round) => ({ ...page, text: ENGLISH[25 + (round % 10)]!, since: "2025-11-01T00:00:00Z", until: "2025-12-01T00:00:00Z", minImportance: "medium" }) },
  { name: "fact: module", query: (round) => ({ ...page, module: MODULES[(round * 13) % MODULES.length]! }) },
  { name: "fact: symbol (last segment)", query: (round) => ({ ...page, symbol: `run${round % 50}` }) },
  { name: "fact: dependency + bots", query: (round) => ({ ...page, dependency: `dep-${round % 40}`, bots: true }) },
  { name: "path: src/modN/**", query: (round) => ({ ...page, path: `${MODULES[(round * 17) % MODULES.length]}/**` }) },
  { name: "path: **/*.py", query: () => ({ ...page, path: "**/*.py" }) },
  { name: "page 250 of browse", query: () => ({ ...page, offset: 5000 }) },
  { name: "trends, 30 days", query: () => "trends" },
];

async function measure(store: Store): Promise<Array<{ kind: string; p50: number; p95: number; total: number | string }>> {
  const results = [];
  for (const kind of KINDS) {
    const times: number[] = [];
    let total: number | string = "";
    for (let round = -2; round < ROUNDS; round++) {
      const query = kind.query(Math.max(round, 0));
      const started = performance.now();
      if (query === "trends") {
        const trends = await store.trends({ since: "2025-11-01T00:00:00Z", until: "2025-12-01T00:00:00Z", lang: "zh-CN" });
        if (round === 0) total = `${trends.perDay.length} days`;
      } else {
        const answer = await store.searchCommits(query);
        if (round === 0) total = answer.total;
      }
      if (round >= 0) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    results.push({ kind: kind.name, p50: times[Math.floor(times.length / 2)]!, p95: times[Math.ceil(times.length * 0.95) - 1]!, total });
  }
  return results;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function fill(store: Store, entries: ReturnType<typeof makeEntries>): Promise<number> {
  const repos = [];
  for (let index = 0; index < 20; index++) repos.push((await store.upsertRepository(`/src/repo${index}`, `org/repo${index}`)).id);
  const started = performance.now();
  // A day's batch at a time, as publishing does.
  for (let offset = 0; offset < entries.length; offset += 200) {
    const batch = entries.slice(offset, offset + 200);
    for (let repo = 0; repo < 20; repo++) {
      const ofRepo = batch.filter((item) => item.repo === repo).map((item) => item.entry);
      if (ofRepo.length > 0) await store.indexCommits(repos[repo]!, ofRepo);
    }
  }
  return performance.now() - started;
}

const loadBefore = os.loadavg()[0]!;
const entries = makeEntries(ENTRIES);
const columns: Array<{ name: string; results: Awaited<ReturnType<typeof measure>>; indexMs: number }> = [];

const dir = makeTempDir();
try {
  const file = path.join(dir, "bench.sqlite");
  const writer = openStore(file);
  const indexMs = await fill(writer, entries);
  await writer.close();
  // The web app's open: read-only.
  const reader = openStore(file, { readonly: true });
  columns.push({ name: "SQLite", results: await measure(reader), indexMs });
  await reader.close();
  console.log(`SQLite file: ${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

for (const locale of [undefined, "C.UTF-8"]) {
  const name = `rd_bench_search_${process.pid}_${locale === undefined ? "default" : "utf8"}`;
  await admin(`CREATE DATABASE ${name}${locale === undefined ? "" : ` TEMPLATE template0 LOCALE '${locale}'`}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const writer = await openPostgresStore(url.toString());
    const indexMs = await fill(writer, entries);
    await writer.close();
    await admin(`ANALYZE`).catch(() => undefined);
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.query("ANALYZE");
    const ctype = (await client.query<{ datctype: string }>("SELECT datctype FROM pg_database WHERE datname = current_database()")).rows[0]!.datctype;
    await client.end();
    const reader = await openPostgresStore(url.toString(), { readOnly: true });
    columns.push({ name: `PostgreSQL (${ctype})`, results: await measure(reader), indexMs });
    await reader.close();
  } finally {
    await admin(`DROP DATABASE ${name} WITH (FORCE)`);
  }
}

console.log(`\n${ENTRIES} entries, ${ROUNDS} rounds per query; ms (median / p95), matches; load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after, ${os.cpus().length} CPUs`);
console.log(`indexing, 200 a call: ${columns.map((column) => `${column.name} ${(column.indexMs / 1000).toFixed(1)} s`).join(", ")}`);
const width = Math.max(...KINDS.map((kind) => kind.name.length));
console.log(`${"".padEnd(width)}  ${columns.map((column) => column.name.padEnd(34)).join("")}`);
for (const [index, kind] of KINDS.entries()) {
  const cells = columns.map(({ results }) => {
    const result = results[index]!;
    return `${result.p50.toFixed(1).padStart(6)} / ${result.p95.toFixed(1).padStart(6)}  ${String(result.total).padEnd(10)}`.padEnd(34);
  });
  console.log(`${kind.name.padEnd(width)}  ${cells.join("")}`);
}
