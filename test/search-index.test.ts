/**
 * The search index, end to end: `repo-digest report` (a real process) on a real git
 * repository indexes the period's commits and keeps the report's model; the store then
 * finds each commit by what it changed (an environment variable, a CLI flag, a public
 * function, a dependency) and by its words, Chinese or English, with the right commit
 * first. In-process on SQLite, and on queued workers over PostgreSQL and Redis.
 */
import type { ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Lang } from "../src/i18n/lang.js";
import { openConfiguredStore } from "../src/store/open-configured-store.js";
import { openStore } from "../src/store/open-store.js";
import type { SearchQuery, Store } from "../src/store/types.js";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";
import { runCli } from "./helpers/run-cli.js";
import { freshDatabase, freshRedisPrefix } from "./support/services.js";

const DAY = "2026-01-17";
const NAME = "acme/tally";

let repo: TestRepo;
/** The commits of the day, by what each one is about. */
const sha: Record<"envVar" | "flag" | "symbol" | "dependency" | "chinese" | "english", string> = {} as never;
let before: string;
const workers: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];

const PYPROJECT = (deps: string[]) =>
  `[project]\nname = "tally"\nversion = "1.0.0"\ndependencies = [\n${deps.map((dep) => `  "${dep}",`).join("\n")}\n]\n\n[tool.setuptools.packages.find]\nwhere = ["src"]\n`;
const CLI = (flags: string[]) =>
  `import argparse\n\n\ndef main():\n    parser = argparse.ArgumentParser(prog="tally")\n${flags.map((flag) => `    parser.add_argument("${flag}", action="store_true")\n`).join("")}    return parser.parse_args()\n`;

beforeAll(() => {
  repo = makeRepo();
  repo.write("pyproject.toml", PYPROJECT(["requests>=2.31"]));
  repo.write("src/tally/__init__.py", "");
  repo.write("src/tally/cli.py", CLI(["--verbose"]));
  repo.write("src/tally/store.py", "def load_index(path):\n    with open(path) as handle:\n        return handle.read()\n");
  repo.write("README.md", "# tally\n");
  // The day before: not in the period, so never indexed by this report.
  before = repo.commit({ message: "feat: first version", date: "2026-01-16T12:00:00Z" });

  repo.write(
    "src/tally/cache.py",
    'import os\n\n\ndef cache_folder():\n    return os.environ.get("TALLY_CACHE_DIR", "/tmp/tally")\n',
  );
  sha.envVar = repo.commit({ message: "feat(cache): read the cache folder from the environment", date: `${DAY}T01:00:00Z` });

  repo.write("src/tally/cli.py", CLI(["--verbose", "--dry-run"]));
  sha.flag = repo.commit({ message: "feat(cli): preview a sync without writing", date: `${DAY}T02:00:00Z` });

  repo.write(
    "src/tally/session.py",
    "def _pool(size):\n    return [None] * size\n\n\ndef open_session(url, size=4):\n    return {'url': url, 'pool': _pool(size)}\n",
  );
  repo.write("tests/test_session.py", "from tally.session import open_session\n\n\ndef test_open_session():\n    assert open_session('u')['url'] == 'u'\n");
  sha.symbol = repo.commit({ message: "feat(api): sessions for callers", date: `${DAY}T03:00:00Z` });

  repo.write("pyproject.toml", PYPROJECT(["requests>=2.31", "httpx>=0.27"]));
  sha.dependency = repo.commit({
    message: "build(deps): add httpx",
    date: `${DAY}T04:00:00Z`,
    author: { name: "dependabot[bot]", email: "49699333+dependabot[bot]@users.noreply.github.com" },
  });

  repo.write("src/tally/download.py", "def fetch(url, offset=0):\n    return url, offset\n");
  sha.chinese = repo.commit({ message: "feat: 支持断点续传下载\n\n下载中断后从已写入的位置继续。", date: `${DAY}T05:00:00Z` });

  repo.write("src/tally/upload.py", "def send(data, attempts=5):\n    delay = 1\n    for _ in range(attempts):\n        delay *= 2\n    return data, delay\n");
  sha.english = repo.commit({ message: "fix: retry flaky uploads with exponential backoff", date: `${DAY}T06:00:00Z` });
});

afterEach(async () => {
  for (const worker of workers.splice(0)) worker.kill("SIGKILL");
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

afterAll(() => repo.cleanup());

function query(lang: Lang, fields: Partial<SearchQuery>): SearchQuery {
  return { lang, limit: 10, offset: 0, ...fields };
}

/** What a search finds: every SHA, best first. */
async function find(store: Store, lang: Lang, fields: Partial<SearchQuery>): Promise<string[]> {
  const { total, hits } = await store.searchCommits(query(lang, fields));
  expect(hits.length).toBe(Math.min(total, 10));
  return hits.map((hit) => hit.sha);
}

/** Each commit found by what it changed, and by nothing it did not. */
async function expectFoundByFacts(store: Store, lang: Lang): Promise<void> {
  expect(await find(store, lang, { envVar: "TALLY_CACHE_DIR" })).toEqual([sha.envVar]);
  expect(await find(store, lang, { flag: "--dry-run" })).toEqual([sha.flag]);
  expect(await find(store, lang, { symbol: "open_session" })).toEqual([sha.symbol]);
  expect(await find(store, lang, { dependency: "httpx" })).toEqual([sha.dependency]);
  // A private helper and a test are no public API; a flag that stayed is no change.
  expect(await find(store, lang, { symbol: "_pool" })).toEqual([]);
  expect(await find(store, lang, { symbol: "test_open_session" })).toEqual([]);
  expect(await find(store, lang, { flag: "--verbose" })).toEqual([]);
  // The day before is not this report's: its load_index() is not indexed.
  expect(await find(store, lang, { symbol: "load_index" })).toEqual([]);
  // The bump is dependabot's.
  expect(await find(store, lang, { dependency: "httpx", bots: false })).toEqual([]);
  expect(await find(store, lang, { bots: true })).toEqual([sha.dependency]);
}

describe("the search index of a report", () => {
  it("finds each commit of the period by env var, flag, public symbol, dependency and text, on SQLite", { timeout: 120_000 }, async () => {
    const cwd = makeTempDir();
    const dataDir = makeTempDir();
    const base = ["report", "--repo", repo.dir, "--name", NAME, "--date", DAY, "--tz", "UTC", "-f", "json", "--out", join(cwd, "reports")];
    for (const lang of ["zh-CN", "en"] as const) {
      const run = await runCli([...base, "--lang", lang], { cwd, dataDir });
      expect(run.status, run.stderr).toBe(0);
    }
    const store = openStore(join(dataDir, "repo-digest.sqlite"));
    try {
      for (const lang of ["zh-CN", "en"] as const) {
        await expectFoundByFacts(store, lang);
        // The period's six commits, each once, in this language.
        const all = await store.searchCommits(query(lang, { repos: [NAME] }));
        expect(all.total).toBe(6);
        expect(new Set(all.hits.map((hit) => hit.sha))).toEqual(new Set(Object.values(sha)));
        expect(all.hits.map((hit) => hit.sha)).not.toContain(before);
      }
      // Words, in either language, find their commit first.
      expect((await find(store, "zh-CN", { text: "断点续传" }))[0]).toBe(sha.chinese);
      expect((await find(store, "en", { text: "断点续传" }))[0]).toBe(sha.chinese);
      expect((await find(store, "en", { text: "exponential backoff" }))[0]).toBe(sha.english);
      expect((await find(store, "zh-CN", { text: "flaky uploads" }))[0]).toBe(sha.english);

      const indexed = await store.getIndexedCommit(NAME, sha.symbol.slice(0, 10), "en");
      expect(indexed).toMatchObject({
        repo: NAME,
        sha: sha.symbol,
        lang: "en",
        symbols: ["open_session"],
        apiAdded: 1,
        apiRemoved: 0,
        paths: expect.arrayContaining(["src/tally/session.py", "tests/test_session.py"]),
        committedAt: `${DAY}T03:00:00.000Z`,
        bot: false,
      });
      expect(indexed!.churn.map((item) => item.lines)).toEqual([6]);

      // Each report's model is kept under its name, in its language.
      const { total, reports } = await store.listReportModels({ repo: NAME, limit: 10, offset: 0 });
      expect(total).toBe(2);
      expect(reports.map((report) => report.name).sort()).toEqual([`${DAY}--acme-tally`, `${DAY}--acme-tally.en`]);
      const kept = await store.getReportModel(`${DAY}--acme-tally.en`);
      expect(kept!.report).toMatchObject({ periodLabel: DAY, lang: "en", digest: false, repos: [NAME], since: `${DAY}T00:00:00.000Z`, until: "2026-01-18T00:00:00.000Z" });
      const model = JSON.parse(kept!.json) as { lang: string; repos: Array<{ name: string; commits: Array<{ sha: string }> }> };
      expect(model.lang).toBe("en");
      expect(model.repos[0]!.commits.map((commit) => commit.sha).sort()).toEqual(Object.values(sha).sort());
    } finally {
      await store.close();
    }
  });

  it("is written by queued workers too, on PostgreSQL", { timeout: 180_000 }, async () => {
    const database = await freshDatabase();
    const redis = await freshRedisPrefix();
    cleanups.push(async () => {
      await database.drop();
      await redis.clear();
    });
    const cwd = makeTempDir();
    writeFileSync(
      join(cwd, "repo-digest.yaml"),
      [
        "timezone: UTC",
        "language: en",
        "output: { dir: reports, formats: [json] }",
        "github: { enabled: false }",
        `store: ${database.url}`,
        `queue: { url: "${redis.redisUrl}", prefix: "${redis.prefix}" }`,
        "repos:",
        `  - { name: ${NAME}, path: ${repo.dir} }`,
        "",
      ].join("\n"),
    );
    await startWorker(cwd);
    const run = await runCli(["report", "--queue", "--date", DAY], { cwd, dataDir: makeTempDir() });
    expect(run.status, run.stderr).toBe(0);
    const store = await openConfiguredStore({ url: database.url, sqliteFile: "" });
    try {
      await expectFoundByFacts(store, "en");
      expect((await find(store, "en", { text: "exponential backoff" }))[0]).toBe(sha.english);
      expect((await store.getReportModel(`${DAY}--acme-tally.en`))?.report.repos).toEqual([NAME]);
    } finally {
      await store.close();
    }
  });
});

/** A worker process, resolved once it says it takes jobs. */
function startWorker(cwd: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    void runCli(["worker", "--concurrency", "2"], {
      cwd,
      dataDir: makeTempDir(),
      onChild: (child) => {
        workers.push(child);
        child.stderr!.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          if (stderr.includes("taking jobs")) resolve(child);
        });
      },
    }).then((result) => reject(new Error(`worker ended early (${result.status}): ${result.stderr}`)));
  });
}
