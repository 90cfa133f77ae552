/**
 * What every store does, whatever its database: the same tests against SQLite (a file of its
 * own per test) and PostgreSQL (a database of its own per test, on the real server of
 * scripts/services.sh). Two stores opened on one place stand for two workers: two connections
 * to one SQLite file, two pools on one PostgreSQL database.
 *
 * SQLite's own matters (damaged files, WAL, old files' migrations) are in src/store/*.test.ts;
 * PostgreSQL's (unreachable servers, logins, its migrations, a full disk) at the end here.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EnvironmentError, InputError, InternalError, isKnownError } from "../src/errors.js";
import { currentProcessOwner, isProcessGone, type ProcessOwner } from "../src/process-owner.js";
import { FACTS_VERSION } from "../src/store/facts-version.js";
import { openStore } from "../src/store/open-store.js";
import { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA_VERSION, migratePostgres } from "../src/store/postgres/migrations.js";
import { openPostgresStore } from "../src/store/postgres/postgres-store.js";
import { MIGRATIONS, migrateDatabase } from "../src/store/migrations.js";
import { SNIPPET_CHARS } from "../src/store/search.js";
import type { AnalysisKey, SearchQuery, Store, StoredReport } from "../src/store/types.js";
import { STALE_SENDING_MS } from "../src/store/types.js";
import { mountTmpfs } from "./helpers/tmpfs.js";
import { freshDatabase, testServices } from "./support/services.js";
import { makeAnalysis, makeCommit, makeFacts, makeFile, makeSearchEntry, makeSha, makeTempDir } from "./support/store/fixtures.js";

interface OpenOptions {
  now?: () => Date;
  factsVersion?: number;
  owner?: () => ProcessOwner;
  /** The web app's open: SQLite's `readonly`, PostgreSQL's `readOnly`. */
  readOnly?: boolean;
}

/** Where one store lives; each `open()` is another connection to it, as another worker's. */
interface Place {
  open(options?: OpenOptions): Promise<Store>;
  /** Rows straight from the database, past the store. */
  rows<T>(sql: string): Promise<T[]>;
  /** Gives a place nothing was opened on yet the schema of the previous version of repo-digest. */
  migrateToPrevious(): Promise<void>;
  drop(): Promise<void>;
}

interface Backend {
  name: "sqlite" | "postgres";
  create(): Promise<Place>;
}

const sqlite: Backend = {
  name: "sqlite",
  async create() {
    const dir = makeTempDir();
    const file = path.join(dir, "repo-digest.sqlite");
    return {
      open: async ({ readOnly, ...options } = {}) => openStore(file, { ...options, readonly: readOnly ?? false }),
      async migrateToPrevious() {
        const db = new Database(file);
        try {
          migrateDatabase(db, file, MIGRATIONS.slice(0, -1));
        } finally {
          db.close();
        }
      },
      async rows<T>(sql: string) {
        const db = new Database(file, { readonly: true });
        try {
          return db.prepare(sql).all() as T[];
        } finally {
          db.close();
        }
      },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  },
};

const postgres: Backend = {
  name: "postgres",
  async create() {
    const database = await freshDatabase();
    return {
      open: (options) => openPostgresStore(database.url, options),
      migrateToPrevious: () => withClient(database.url, (client) => migratePostgres(client, "test", POSTGRES_MIGRATIONS.slice(0, -1))),
      rows: <T>(sql: string) => withClient(database.url, async (client) => (await client.query(sql)).rows as T[]),
      drop: () => database.drop(),
    };
  },
};

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const CLOCK = () => new Date("2026-01-18T00:00:00Z");

const makeEntry = makeSearchEntry;

/** The pid of a process that has ended. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
}

describe.each([sqlite, postgres])("the $name store", (backend) => {
  let place: Place;
  let store: Store;
  /** Stores a test opens besides `store`: closed after it, whatever happened. */
  let others: Store[];
  let repoId: number;

  const openAnother = async (options?: OpenOptions): Promise<Store> => {
    const another = await place.open(options);
    others.push(another);
    return another;
  };
  const count = async (table: string): Promise<number> =>
    (await place.rows<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM ${table}`))[0]!.n;
  /** Closes `store` and opens it again, as the next command would. */
  const reopen = async (options?: OpenOptions): Promise<void> => {
    await store.close();
    store = await place.open(options);
  };

  beforeEach(async () => {
    place = await backend.create();
    store = await place.open({ now: CLOCK });
    others = [];
    repoId = (await store.upsertRepository("/src/app", "acme/app")).id;
  });

  afterEach(async () => {
    await Promise.allSettled([store, ...others].map((opened) => opened.close()));
    await place.drop();
  });

  it("says which database it is", () => {
    expect(store.kind).toBe(backend.name);
  });

  describe("repositories", () => {
    it("returns the same row for the same location and follows a new name", async () => {
      const renamed = await store.upsertRepository("/src/app", "acme/app-renamed");
      expect(renamed).toEqual({ id: repoId, location: "/src/app", name: "acme/app-renamed" });
      expect((await store.upsertRepository("https://example.com/other.git", "other")).id).not.toBe(repoId);
    });
  });

  describe("commits", () => {
    it("round-trips a commit with a rename, a binary file and a non-ASCII path", async () => {
      const commit = makeCommit({
        messageLossy: true,
        patchBytesOmitted: 2048,
        body: "正文：修复了重试。\n\nSigned-off-by: Ada <ada@example.com>",
        files: [
          makeFile({ path: "src/新模块/入口.ts", pathLossy: false, oldBlob: "a".repeat(40), newBlob: "b".repeat(40) }),
          makeFile({
            path: "lib/renamed.ts",
            oldPath: "lib/original.ts",
            status: "renamed",
            similarity: 100,
            additions: 0,
            deletions: 0,
            patch: "",
          }),
          makeFile({ path: "assets/logo.png", status: "added", binary: true, additions: 0, deletions: 0, patch: "" }),
          makeFile({ path: "vendor/lib", newMode: "160000", oldMode: "160000", submodule: true, patchTruncated: true }),
          makeFile({ path: "bin/run\uFFFD.sh", oldMode: "100644", newMode: "100755", pathLossy: true, patch: "" }),
        ],
      });
      const facts = makeFacts(commit.sha, { modules: ["src", "lib"] });
      await store.saveCommit(repoId, commit, facts);
      expect(await store.getCommit(repoId, commit.sha)).toStrictEqual({ commit, facts });
    });

    it("keeps a patch with a NUL byte, a merge's parents and a date past the year 9999", async () => {
      // git prints a NUL inside a patch when a file has one past the 8,000 bytes it checks for binary.
      const commit = makeCommit({
        parents: [makeSha(10), makeSha(11)],
        committer: { name: "Grace Hopper", email: "grace@example.com", date: "+010000-01-01T00:00:00Z" },
        files: [makeFile({ patch: "@@ -1 +1 @@\n-a\u0000b\n+a\u0000c\n" })],
      });
      await store.saveCommit(repoId, commit, makeFacts(commit.sha));
      expect((await store.getCommit(repoId, commit.sha))?.commit).toStrictEqual(commit);
    });

    it("keeps optional fields absent when they were absent", async () => {
      const commit = makeCommit();
      await store.saveCommit(repoId, commit, makeFacts(commit.sha));
      const stored = (await store.getCommit(repoId, commit.sha))?.commit;
      expect(stored).toStrictEqual(commit);
      expect(stored !== undefined && "messageLossy" in stored).toBe(false);
      expect(stored?.files[0] !== undefined && "oldPath" in stored.files[0]).toBe(false);
    });

    it("round-trips an empty commit with no files and no parents", async () => {
      const commit = makeCommit({ sha: makeSha(7), parents: [], files: [], body: "" });
      const facts = makeFacts(commit.sha, { files: [], modules: [], symbols: [] });
      await store.saveCommit(repoId, commit, facts);
      expect(await store.getCommit(repoId, commit.sha)).toStrictEqual({ commit, facts });
    });

    it("is idempotent: saving again replaces the files instead of adding to them", async () => {
      const commit = makeCommit({ files: [makeFile({ path: "a.ts" }), makeFile({ path: "b.ts" })] });
      await store.saveCommit(repoId, commit, makeFacts(commit.sha));
      const recapped = { ...commit, files: [makeFile({ path: "a.ts", patch: "", patchTruncated: true })] };
      await store.saveCommit(repoId, recapped, makeFacts(commit.sha));
      await store.saveCommits(repoId, [{ commit: recapped, facts: makeFacts(commit.sha) }]);
      expect((await store.getCommit(repoId, commit.sha))?.commit).toStrictEqual(recapped);
      expect(await count("files")).toBe(1);
    });

    it("saves a history of 1,200 commits in one call, and a commit given twice as its last version", async () => {
      const entries = Array.from({ length: 1200 }, (_, index) => {
        const commit = makeCommit({ sha: makeSha(1000 + index), files: [makeFile({ path: `f${index}.ts` }), makeFile({ path: "README.md" })] });
        return { commit, facts: makeFacts(commit.sha) };
      });
      const again = makeCommit({ sha: makeSha(1000), subject: "fix: the second version", files: [] });
      await store.saveCommits(repoId, [...entries, { commit: again, facts: makeFacts(again.sha, { modules: [] }) }], "k1");

      const known = await store.knownCommits(repoId, entries.map((entry) => entry.commit.sha), "k1");
      expect(known.size).toBe(1200);
      expect(await store.getCommit(repoId, makeSha(1000 + 617), "k1")).toStrictEqual({ ...entries[617]!, facts: entries[617]!.facts });
      expect(await store.getCommit(repoId, makeSha(1000), "k1")).toStrictEqual({ commit: again, facts: makeFacts(again.sha, { modules: [] }) });
      expect(await count("commits")).toBe(1200);
      expect(await count("files")).toBe(1199 * 2);
    });

    it("saves a batch of 20 MB of patches whole", async () => {
      // Random text (no NUL) in 160 files of 128 KiB, the parser's cap per file: more than one statement's worth.
      const entries = Array.from({ length: 40 }, (_, index) => {
        const files = Array.from({ length: 4 }, (_, file) => makeFile({ path: `f${file}`, patch: randomBytes(96 * 1024).toString("base64") }));
        const commit = makeCommit({ sha: makeSha(index), files });
        return { commit, facts: makeFacts(commit.sha) };
      });
      await store.saveCommits(repoId, entries);
      for (const index of [0, 21, 39]) expect(await store.getCommit(repoId, makeSha(index))).toStrictEqual(entries[index]);
      expect(await count("files")).toBe(160);
    });

    it("saves nothing of a batch when one entry's facts belong to another commit", async () => {
      const good = makeCommit({ sha: makeSha(2) });
      const bad = makeCommit({ sha: makeSha(3) });
      await expect(
        store.saveCommits(repoId, [
          { commit: good, facts: makeFacts(good.sha) },
          { commit: bad, facts: makeFacts(makeSha(99)) },
        ]),
      ).rejects.toThrow(InternalError);
      expect(await store.knownCommits(repoId, [good.sha, bad.sha])).toEqual(new Set());
      expect(await count("commits")).toBe(0);
    });

    it("saves nothing and says nothing for an empty batch", async () => {
      await store.saveCommits(repoId, []);
      expect(await count("commits")).toBe(0);
    });

    it("keeps repositories apart", async () => {
      const commit = makeCommit();
      await store.saveCommit(repoId, commit, makeFacts(commit.sha));
      const otherId = (await store.upsertRepository("/src/other", "other")).id;
      expect(await store.getCommit(otherId, commit.sha)).toBeUndefined();
      expect(await store.knownCommits(otherId, [commit.sha])).toEqual(new Set());
    });

    it("refuses facts of another commit", async () => {
      await expect(store.saveCommit(repoId, makeCommit(), makeFacts(makeSha(99)))).rejects.toThrow(InternalError);
    });

    it("refuses a commit whose committer date cannot be read", async () => {
      const commit = makeCommit({ committer: { name: "G", email: "g@example.com", date: "yesterday" } });
      await expect(store.saveCommit(repoId, commit, makeFacts(commit.sha))).rejects.toThrow(InternalError);
    });

    it("returns undefined for a commit it does not hold", async () => {
      expect(await store.getCommit(repoId, makeSha(42))).toBeUndefined();
    });
  });

  describe("knownCommits", () => {
    it("finds which of 2,500 SHAs are stored", async () => {
      const stored = Array.from({ length: 1300 }, (_, index) => makeSha(index * 2));
      await store.saveCommits(
        repoId,
        stored.map((sha) => ({ commit: makeCommit({ sha, files: [] }), facts: makeFacts(sha) })),
      );
      const asked = Array.from({ length: 2500 }, (_, index) => makeSha(index));

      const known = await store.knownCommits(repoId, asked);
      expect(known.size).toBe(1250);
      expect(known.has(makeSha(0))).toBe(true);
      expect(known.has(makeSha(2498))).toBe(true);
      expect(known.has(makeSha(1))).toBe(false);
    });

    it("answers an empty question with an empty set", async () => {
      expect(await store.knownCommits(repoId, [])).toEqual(new Set());
    });

    it("treats commits whose facts are of an older version as unknown until saved again", async () => {
      const commit = makeCommit();
      await store.saveCommit(repoId, commit, makeFacts(commit.sha));
      await reopen({ factsVersion: FACTS_VERSION + 1 });
      expect(await store.knownCommits(repoId, [commit.sha])).toEqual(new Set());
      expect(await store.getCommit(repoId, commit.sha)).toBeUndefined();

      const newer = makeFacts(commit.sha, { modules: ["src", "test"] });
      await store.saveCommit(repoId, commit, newer);
      expect(await store.knownCommits(repoId, [commit.sha])).toEqual(new Set([commit.sha]));
      expect((await store.getCommit(repoId, commit.sha))?.facts).toStrictEqual(newer);
    });

    it("treats commits whose facts were extracted under other options as unknown", async () => {
      const commit = makeCommit();
      await store.saveCommit(repoId, commit, makeFacts(commit.sha), "ignore-a");
      expect(await store.knownCommits(repoId, [commit.sha], "ignore-a")).toEqual(new Set([commit.sha]));
      expect(await store.knownCommits(repoId, [commit.sha], "ignore-b")).toEqual(new Set());
      expect(await store.getCommit(repoId, commit.sha, "ignore-b")).toBeUndefined();
      expect(await store.getCommit(repoId, commit.sha)).toBeUndefined();
    });
  });

  describe("analyses", () => {
    const sha = makeSha(1);
    const key: AnalysisKey = { sha, analyzer: { name: "rules", version: "1.0.0" }, lang: "en", optionsKey: "w1" };

    beforeEach(async () => {
      await store.saveCommit(repoId, makeCommit({ sha }), makeFacts(sha));
    });

    it("returns the analysis saved under the same key", async () => {
      const analysis = makeAnalysis(sha);
      await store.saveAnalysis(repoId, key, analysis);
      expect(await store.getAnalysis(repoId, key)).toStrictEqual(analysis);
    });

    it("misses when any part of the key differs", async () => {
      await store.saveAnalysis(repoId, key, makeAnalysis(sha));
      expect(await store.getAnalysis(repoId, { ...key, optionsKey: "w2" })).toBeUndefined();
      expect(await store.getAnalysis(repoId, { ...key, lang: "zh-CN" })).toBeUndefined();
      expect(await store.getAnalysis(repoId, { ...key, analyzer: { name: "rules", version: "1.0.1" } })).toBeUndefined();
      expect(await store.getAnalysis(repoId, { ...key, analyzer: { name: "llm", version: "1.0.0" } })).toBeUndefined();
      expect(await store.getAnalysis(repoId, { ...key, sha: makeSha(2) })).toBeUndefined();
      const otherRepo = (await store.upsertRepository("/src/other", "other")).id;
      expect(await store.getAnalysis(otherRepo, key)).toBeUndefined();
    });

    it("keeps one analysis per key, the latest", async () => {
      await store.saveAnalysis(repoId, key, makeAnalysis(sha, { importance: "low" }));
      await store.saveAnalysis(repoId, key, makeAnalysis(sha, { importance: "high" }));
      expect((await store.getAnalysis(repoId, key))?.importance).toBe("high");
      expect(await count("analyses")).toBe(1);
    });

    it("gives the newest analysis of a commit in a language, whatever analyzer wrote it", async () => {
      let time = Date.parse("2026-01-18T00:00:00Z");
      await reopen({ now: () => new Date((time += 1000)) });
      const llm = makeAnalysis(sha, { analyzer: { name: "llm", version: "2.0.0" }, importance: "high" });
      await store.saveAnalysis(repoId, key, makeAnalysis(sha, { importance: "low" }));
      await store.saveAnalysis(repoId, { ...key, analyzer: llm.analyzer }, llm);
      expect(await store.latestAnalysis(repoId, sha, "en")).toStrictEqual(llm);
      // Saved again later, the rules' analysis is the newest.
      await store.saveAnalysis(repoId, key, makeAnalysis(sha, { importance: "medium" }));
      expect((await store.latestAnalysis(repoId, sha, "en"))?.importance).toBe("medium");
      expect(await store.latestAnalysis(repoId, sha, "zh-CN")).toBeUndefined();
      expect(await store.latestAnalysis(repoId, makeSha(2), "en")).toBeUndefined();
    });

    it("keeps analyses when the commit is saved again with the same facts, drops them when the facts change", async () => {
      await store.saveAnalysis(repoId, key, makeAnalysis(sha));
      await store.saveCommit(repoId, makeCommit({ sha }), makeFacts(sha));
      expect(await store.getAnalysis(repoId, key)).toBeDefined();

      await store.saveCommits(repoId, [{ commit: makeCommit({ sha }), facts: makeFacts(sha, { modules: ["changed"] }) }]);
      expect(await store.getAnalysis(repoId, key)).toBeUndefined();
    });

    it("refuses an analysis of a commit it does not hold", async () => {
      const missing = makeSha(404);
      await expect(store.saveAnalysis(repoId, { ...key, sha: missing }, makeAnalysis(missing))).rejects.toThrow(InternalError);
    });

    it("refuses an analysis filed under another key", async () => {
      await expect(store.saveAnalysis(repoId, { ...key, lang: "zh-CN" }, makeAnalysis(sha))).rejects.toThrow(InternalError);
    });
  });

  describe("runs", () => {
    it("records a run from start to a successful finish, with its figures", async () => {
      const id = await store.startRun("run", { since: "2026-01-17", repos: ["acme/app"] }, new Date("2026-01-18T08:00:00Z"));
      expect(await store.getRun(id)).toStrictEqual({
        id,
        startedAt: "2026-01-18T08:00:00.000Z",
        status: "running",
        command: "run",
        params: { since: "2026-01-17", repos: ["acme/app"] },
        owner: currentProcessOwner(),
      });
      await store.finishRun(id, "succeeded", new Date("2026-01-18T08:01:00Z"), undefined, { commits: 3, llm: { calls: 2 } });
      expect(await store.getRun(id)).toMatchObject({
        status: "succeeded",
        finishedAt: "2026-01-18T08:01:00.000Z",
        stats: { commits: 3, llm: { calls: 2 } },
      });
      expect(await store.getRun(id)).not.toHaveProperty("error");
    });

    it("records a failed run with its error", async () => {
      const id = await store.startRun("run", {}, new Date("2026-01-18T08:00:00Z"));
      await store.finishRun(id, "failed", new Date("2026-01-18T08:00:05Z"), "git: fetch failed");
      expect(await store.getRun(id)).toMatchObject({ status: "failed", error: "git: fetch failed" });
    });

    it("never stores parameters or figures whose names look like secrets", async () => {
      const id = await store.startRun(
        "run",
        {
          lang: "zh-CN",
          token: "ghp_secret1",
          llm: { model: "m", apiKey: "sk-secret2", headers: [{ Authorization: "x", CLIENT_SECRET: "secret3" }] },
          dbPassword: "secret4",
        },
        new Date("2026-01-18T08:00:00Z"),
      );
      await store.finishRun(id, "succeeded", new Date(), undefined, { commits: 1, apiToken: "secret5" });
      expect((await store.getRun(id))?.params).toStrictEqual({ lang: "zh-CN", llm: { model: "m", headers: [{ Authorization: "x" }] } });
      expect((await store.getRun(id))?.stats).toStrictEqual({ commits: 1 });
      const raw = JSON.stringify(await place.rows("SELECT params, stats FROM runs"));
      expect(raw).not.toMatch(/ghp_secret1|sk-secret2|secret3|secret4|secret5/);
    });

    it("returns undefined for an unknown run and refuses to finish one", async () => {
      expect(await store.getRun(123)).toBeUndefined();
      await expect(store.finishRun(123, "failed", new Date())).rejects.toThrow(InternalError);
    });

    it("marks interrupted only the runs whose process is gone", async () => {
      const here = currentProcessOwner();
      const gone: ProcessOwner = { ...here, pid: deadPid() };
      const owners = [gone, here, { ...here, host: "another-host", pid: deadPid() }];
      let next = 0;
      const runs = await openAnother({ owner: () => owners[next++]! });
      const killed = await runs.startRun("report", {}, new Date("2026-01-18T01:00:00Z"));
      const alive = await runs.startRun("report", {}, new Date("2026-01-18T01:00:00Z"));
      const elsewhere = await runs.startRun("report", {}, new Date("2026-01-18T01:00:00Z"));
      expect((await runs.getRun(killed))!.owner).toEqual(gone);

      const marked = await store.interruptAbandonedRuns((owner) => isProcessGone(owner), new Date("2026-01-18T02:00:00Z"));
      expect(marked.map((run) => run.id)).toEqual([killed]);
      expect(await store.getRun(killed)).toMatchObject({
        status: "interrupted",
        finishedAt: "2026-01-18T02:00:00.000Z",
        error: `interrupted: its process (pid ${gone.pid} on host ${here.host}) ended without finishing the run`,
      });
      // This process is alive; another host's process cannot be checked from here: both left alone.
      expect((await store.getRun(alive))!.status).toBe("running");
      expect((await store.getRun(elsewhere))!.status).toBe("running");
      // A run finished meanwhile keeps its outcome.
      await store.finishRun(alive, "succeeded", new Date());
      expect((await store.interruptAbandonedRuns(() => true, new Date())).map((run) => run.id)).toEqual([elsewhere]);
      expect((await store.getRun(alive))!.status).toBe("succeeded");
    });
  });

  describe("reports", () => {
    it("lists recorded reports, all or of one run", async () => {
      const first = await store.startRun("run", {}, new Date("2026-01-18T08:00:00Z"));
      const second = await store.startRun("report", {}, new Date("2026-01-19T08:00:00Z"));
      const markdown = {
        runId: first,
        format: "markdown",
        path: "reports/2026-01-17.md",
        periodLabel: "2026-01-17",
        repos: ["acme/app", "acme/lib"],
        createdAt: "2026-01-18T08:00:10.000Z",
      };
      const json = { ...markdown, format: "json", path: "reports/2026-01-17.json" };
      const later = { ...markdown, runId: second, periodLabel: "2026-01-18", repos: [] };
      await store.recordReport(markdown);
      await store.recordReport(json);
      await store.recordReport(later);

      expect(await store.listReports()).toStrictEqual([markdown, json, later]);
      expect(await store.listReports(first)).toStrictEqual([markdown, json]);
      expect(await store.listReports(999)).toStrictEqual([]);
    });
  });

  describe("cache", () => {
    it("keeps an answer per namespace and key, with its ETag, across connections, and replaces it", async () => {
      await store.putCached("overview", "k1", { themes: ["a"] });
      await store.putCached("http", "k1", { items: [1] }, 'W/"abc"');
      expect(await store.getCached("overview", "k1")).toStrictEqual({ value: { themes: ["a"] } });
      expect(await store.getCached("http", "k1")).toStrictEqual({ value: { items: [1] }, etag: 'W/"abc"' });
      expect(await store.getCached("overview", "k2")).toBeUndefined();
      await store.putCached("overview", "k1", { themes: ["b"] });
      await store.putCached("http", "k1", { items: [2] });
      await reopen();
      expect(await store.getCached("overview", "k1")).toStrictEqual({ value: { themes: ["b"] } });
      expect(await store.getCached("http", "k1")).toStrictEqual({ value: { items: [2] } });
    });

    it("keeps any JSON value, a NUL in a string included", async () => {
      await store.putCached("github-pr", "2", { body: "before\u0000after", n: 1.5, list: [null, true, "x"] });
      await store.putCached("http", "plain", "just text");
      expect((await store.getCached("github-pr", "2"))!.value).toStrictEqual({ body: "before\u0000after", n: 1.5, list: [null, true, "x"] });
      expect((await store.getCached("http", "plain"))!.value).toBe("just text");
    });

    it("never keeps properties whose names look like secrets", async () => {
      await store.putCached("github-pr", "1", { title: "Fix", token: "ghp_x", nested: { apiKey: "k", body: "b" } });
      expect((await store.getCached("github-pr", "1"))!.value).toStrictEqual({ title: "Fix", nested: { body: "b" } });
    });
  });

  describe("deliveries", () => {
    let runId: number;
    let base: { runId: number; periodLabel: string; reportJson: string; reportName: string; updatedAt: string };

    beforeEach(async () => {
      runId = await store.startRun("report", {}, new Date("2026-01-18T08:00:00Z"));
      base = { runId, periodLabel: "2026-01-17", reportJson: '{"repos":[]}', reportName: "2026-01-17--acme-app", updatedAt: "2026-01-18T08:00:05.000Z" };
    });

    it("records each channel's outcome and lists the failed ones until a retry succeeds", async () => {
      await store.recordDelivery({ ...base, channel: "slack", status: "sent", attempts: 1, target: "slack:hooks.slack.com" });
      const failed = await store.recordDelivery({ ...base, channel: "email", status: "failed", attempts: 3, error: "smtp: 421 try later" });
      expect((await store.listFailedDeliveries()).map((d) => [d.channel, d.attempts, d.error])).toEqual([["email", 3, "smtp: 421 try later"]]);
      expect((await store.listFailedDeliveries())[0]!.reportJson).toBe('{"repos":[]}');

      await store.updateDelivery(failed, { status: "sent", attempts: 4, target: "smtp://127.0.0.1:2525", updatedAt: "2026-01-18T09:00:00.000Z" });
      expect(await store.listFailedDeliveries()).toEqual([]);
      const all = await store.listDeliveries(runId);
      expect(all.map((d) => [d.channel, d.status, d.attempts, d.target])).toEqual([
        ["slack", "sent", 1, "slack:hooks.slack.com"],
        ["email", "sent", 4, "smtp://127.0.0.1:2525"],
      ]);
      expect(all[1]!.error).toBeUndefined();
      expect(all[1]!.updatedAt).toBe("2026-01-18T09:00:00.000Z");
      expect(await store.listDeliveries(runId + 1)).toEqual([]);
    });

    it("lists a claim left 'sending' past the stale bound (its process died mid-send) to be sent again; a fresh one not", async () => {
      const stale = await store.claimDelivery("job-9:slack", { ...base, channel: "slack", updatedAt: new Date(Date.now() - STALE_SENDING_MS - 60_000).toISOString() });
      await store.claimDelivery("job-9:email", { ...base, channel: "email", updatedAt: new Date().toISOString() });
      expect((await store.listFailedDeliveries()).map((d) => [d.id, d.status])).toEqual([[stale, "sending"]]);
      await store.updateDelivery(stale!, { status: "sent", attempts: 1, updatedAt: new Date().toISOString() });
      expect(await store.listFailedDeliveries()).toEqual([]);
    });

    it("keeps the target when an update names none", async () => {
      const id = await store.recordDelivery({ ...base, channel: "feed", status: "failed", attempts: 1, target: "/srv/feed.xml", error: "EACCES" });
      await store.updateDelivery(id, { status: "sent", attempts: 2, updatedAt: "2026-01-18T10:00:00.000Z" });
      expect((await store.listDeliveries(runId))[0]).toMatchObject({ status: "sent", target: "/srv/feed.xml" });
    });

    it("claims a key once: 'sending' with no attempt, then taken whatever becomes of it", async () => {
      const id = await store.claimDelivery("job-1:slack", { ...base, channel: "slack" });
      expect(id).toBeTypeOf("number");
      expect(await store.listDeliveries(runId)).toStrictEqual([{ ...base, id, channel: "slack", status: "sending", attempts: 0 }]);
      expect(await store.claimDelivery("job-1:slack", { ...base, channel: "slack" })).toBeUndefined();

      await store.updateDelivery(id!, { status: "failed", attempts: 1, error: "503", updatedAt: "2026-01-18T08:01:00.000Z" });
      expect((await store.listFailedDeliveries()).map((d) => d.id)).toEqual([id]);
      expect(await store.claimDelivery("job-1:slack", { ...base, channel: "slack" })).toBeUndefined();
      // Another channel of the same job, and deliveries recorded without a key, are apart.
      expect(await store.claimDelivery("job-1:email", { ...base, channel: "email" })).toBeTypeOf("number");
      await store.recordDelivery({ ...base, channel: "slack", status: "sent", attempts: 1 });
      await store.recordDelivery({ ...base, channel: "slack", status: "sent", attempts: 1 });
      expect(await store.listDeliveries(runId)).toHaveLength(4);
    });
  });

  describe("the daemon's days", () => {
    it("remembers settled days across connections, once each", async () => {
      expect(await store.lastCompletedDay()).toBeUndefined();
      await store.markDayCompleted("2026-01-16", new Date("2026-01-17T00:00:00Z"));
      await store.markDayCompleted("2026-01-17", new Date("2026-01-18T00:00:00Z"));
      await store.markDayCompleted("2026-01-17", new Date("2026-01-18T01:00:00Z"));
      await store.markDayAbandoned("2026-01-14", new Date("2026-01-18T02:00:00Z"));
      await reopen();
      expect(await store.lastCompletedDay()).toBe("2026-01-17");
      expect(await store.isDayCompleted("2026-01-16")).toBe(true);
      expect(await store.isDayCompleted("2026-01-14")).toBe(true);
      expect(await store.isDayCompleted("2026-01-15")).toBe(false);
      expect(await count("daemon_days")).toBe(3);
    });

    it("counts failed attempts, and resumes at the oldest day not settled since", async () => {
      expect(await store.firstPendingDay()).toBeUndefined();
      expect(await store.recordDayFailure("2026-01-16", new Date("2026-01-17T01:00:00Z"), "llm: 429", true)).toBe(1);
      expect(await store.recordDayFailure("2026-01-16", new Date("2026-01-17T02:00:00Z"), "interrupted", false)).toBe(1);
      expect(await store.recordDayFailure("2026-01-16", new Date("2026-01-17T03:00:00Z"), "llm: 429", true)).toBe(2);
      expect(await store.recordDayFailure("2026-01-15", new Date("2026-01-17T03:00:00Z"), "git: fetch failed", true)).toBe(1);
      expect(await store.firstPendingDay()).toBe("2026-01-15");
      await store.markDayAbandoned("2026-01-15", new Date("2026-01-17T04:00:00Z"));
      expect(await store.firstPendingDay()).toBe("2026-01-16");
      await store.markDayCompleted("2026-01-16", new Date("2026-01-17T05:00:00Z"));
      expect(await store.firstPendingDay()).toBeUndefined();
    });
  });

  describe("what the web app reads: published reports, search and trends", () => {
    const report = (name: string, until: string, repos: string[], overrides: Partial<StoredReport> = {}): StoredReport => ({
      name,
      periodLabel: until.slice(0, 10),
      lang: "en",
      digest: false,
      repos,
      since: new Date(Date.parse(until) - 86_400_000).toISOString(),
      until,
      createdAt: "2026-01-18T08:00:00.000Z",
      ...overrides,
    });
    const query = (overrides: Partial<SearchQuery> = {}): SearchQuery => ({ lang: "en", limit: 20, offset: 0, ...overrides });
    const shas = async (overrides: Partial<SearchQuery> = {}): Promise<string[]> => (await store.searchCommits(query(overrides))).hits.map((hit) => hit.sha);

    describe("published reports", () => {
      it("keeps a report's model as saved, replacing one of the same name", async () => {
        const first = report("2026-01-17--acme-app", "2026-01-18T00:00:00.000Z", ["acme/app"]);
        await store.saveReportModel(first, '{"version":1,"body":"正文"}');
        const again = { ...first, digest: true, repos: ["acme/app", "acme/lib"], createdAt: "2026-01-18T09:00:00.000Z" };
        await store.saveReportModel(again, '{"version":2}');
        expect(await store.getReportModel(first.name)).toStrictEqual({ report: again, json: '{"version":2}' });
        expect(await store.getReportModel("no-such-report")).toBeUndefined();
        expect(await count("report_models")).toBe(1);
      });

      it("lists the newest period first (then by name), of one repository, a page at a time", async () => {
        const reports = [
          report("b-day", "2026-01-18T00:00:00.000Z", ["acme/app"]),
          report("a-day", "2026-01-18T00:00:00.000Z", ["acme/lib", "acme/app"]),
          // An earlier instant written with a later-looking offset: ordered by the instant, not the text.
          report("week", "2026-01-18T07:00:00+08:00", ["acme/lib"], { periodLabel: "2026-W03", digest: true }),
          report("older", "2026-01-10T00:00:00.000Z", ["acme/app"]),
        ];
        for (const each of reports) await store.saveReportModel(each, "{}");
        const names = (listed: { reports: StoredReport[] }) => listed.reports.map((each) => each.name);

        const all = await store.listReportModels({ limit: 10, offset: 0 });
        expect(all.total).toBe(4);
        expect(names(all)).toEqual(["a-day", "b-day", "week", "older"]);
        expect(all.reports[2]).toStrictEqual(reports[2]);
        expect(names(await store.listReportModels({ repo: "acme/app", limit: 10, offset: 0 }))).toEqual(["a-day", "b-day", "older"]);
        const page = await store.listReportModels({ repo: "acme/app", limit: 2, offset: 2 });
        expect({ total: page.total, names: names(page) }).toEqual({ total: 3, names: ["older"] });
        // A name is matched whole: no report is of "acme".
        expect(await store.listReportModels({ repo: "acme", limit: 10, offset: 0 })).toStrictEqual({ total: 0, reports: [] });
      });
    });

    it("lists every repository it knows, by name", async () => {
      const lib = await store.upsertRepository("https://example.com/acme/lib.git", "acme/lib");
      const aardvark = await store.upsertRepository("/src/aardvark", "aardvark");
      expect(await store.listRepositories()).toStrictEqual([aardvark, { id: repoId, location: "/src/app", name: "acme/app" }, lib]);
    });

    describe("indexing", () => {
      it("gives an indexed commit back as indexed, by full or short SHA, in its language only", async () => {
        const entry = makeEntry(0xabcdef, {
          prNumber: 42,
          prTitle: "Retry scheduler",
          prBody: "Closes #12",
          labels: ["bug", "调度"],
          symbols: ["Scheduler.retry"],
          churn: [{ module: "src/sched", lines: 12 }],
        });
        const plain = makeEntry(0xabc000);
        await store.indexCommits(repoId, [entry, plain, { ...entry, lang: "zh-CN", title: "修复调度器" }]);

        expect(await store.getIndexedCommit("acme/app", entry.sha, "en")).toStrictEqual({ ...entry, repo: "acme/app" });
        expect(await store.getIndexedCommit("acme/app", entry.sha.toUpperCase(), "en")).toStrictEqual({ ...entry, repo: "acme/app" });
        // 0…0abcd is this commit's alone (0…0abc is the other's too); the end of a SHA is no SHA.
        expect(await store.getIndexedCommit("acme/app", entry.sha.slice(0, 38), "en")).toStrictEqual({ ...entry, repo: "acme/app" });
        expect(await store.getIndexedCommit("acme/app", entry.sha.slice(-8), "en")).toBeUndefined();
        expect((await store.getIndexedCommit("acme/app", entry.sha, "zh-CN"))?.title).toBe("修复调度器");
        // Absent optional fields stay absent.
        const stored = await store.getIndexedCommit("acme/app", plain.sha, "en");
        expect(stored).toStrictEqual({ ...plain, repo: "acme/app" });
        expect(stored !== undefined && ("prNumber" in stored || "prTitle" in stored || "prBody" in stored)).toBe(false);
        // Another repository, an unknown SHA, or text that is no SHA: none.
        expect(await store.getIndexedCommit("acme/lib", entry.sha, "en")).toBeUndefined();
        expect(await store.getIndexedCommit("acme/app", makeSha(7), "en")).toBeUndefined();
        expect(await store.getIndexedCommit("acme/app", "'; DROP TABLE x", "en")).toBeUndefined();
      });

      it("refuses a short SHA that names two commits, in one line", async () => {
        await store.indexCommits(repoId, [makeEntry(0x1230), makeEntry(0x1231)]);
        const prefix = makeSha(0x1230).slice(0, 39);
        const error = await store.getIndexedCommit("acme/app", prefix, "en").catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).message).toBe(`the short SHA ${prefix} names more than one commit of acme/app`);
        expect((error as InputError).hint).toBe("give more of its characters");
      });

      it("replaces an entry of the same sha and language with its facts, idempotently; the last of a batch wins", async () => {
        const first = makeEntry(1, { title: "feat: parser", modules: ["src/parser"], symbols: ["Parser.parse"], churn: [{ module: "src/parser", lines: 5 }] });
        await store.indexCommits(repoId, [first]);
        const second = { ...first, title: "feat: lexer", modules: ["src/lexer"], symbols: ["Lexer.next"], churn: [{ module: "src/lexer", lines: 9 }] };
        const third = { ...second, title: "feat: lexer, second edition" };
        await store.indexCommits(repoId, [second, third]);
        await store.indexCommits(repoId, [third]);

        expect(await store.getIndexedCommit("acme/app", first.sha, "en")).toStrictEqual({ ...third, repo: "acme/app" });
        expect(await shas({ module: "src/parser" })).toEqual([]);
        expect(await shas({ symbol: "parse" })).toEqual([]);
        expect(await shas({ module: "src/lexer" })).toEqual([first.sha]);
        // The full text follows the new text, the old one is gone.
        expect(await shas({ text: "parser" })).toEqual([]);
        expect(await shas({ text: "edition" })).toEqual([first.sha]);
        expect(await count("search_entries")).toBe(1);
        // path README.md, module, symbol and its last segment.
        expect(await count("search_terms")).toBe(4);
        expect(await count("search_churn")).toBe(1);
        expect((await store.trends({ since: "2026-01-01T00:00:00Z", until: "2026-02-01T00:00:00Z", lang: "en" })).modules).toEqual([
          { module: "src/lexer", commits: 1, lines: 9 },
        ]);
      });

      it("writes nothing again for an entry equal to the one held (a warm re-run), and rewrites a changed one", async () => {
        // What a write leaves behind: SQLite's FTS segments, PostgreSQL's row versions.
        const probe =
          backend.name === "sqlite"
            ? "SELECT id || ':' || hex(block) AS v FROM search_text_data ORDER BY id"
            : "SELECT ctid::text AS v FROM search_entries UNION ALL SELECT ctid::text FROM search_terms ORDER BY 1";
        const versions = async () => (await place.rows<{ v: unknown }>(probe)).map((row) => String(row.v));
        const one = makeEntry(1, { modules: ["src/parser"], symbols: ["Parser.parse"] });
        const two = makeEntry(2, { modules: ["src/lexer"] });
        await store.indexCommits(repoId, [one, two]);
        const before = await versions();
        await store.indexCommits(repoId, [one, two]);
        expect(await versions()).toEqual(before);
        await store.indexCommits(repoId, [{ ...one, title: "feat: parser, again" }]);
        expect(await versions()).not.toEqual(before);
        expect(await shas({ text: "again" })).toEqual([one.sha]);
      });

      it("keeps which commits affect the user's code, and finds only those with affects", async () => {
        const marked = makeEntry(1, { affects: ["../svc"] });
        await store.indexCommits(repoId, [marked, makeEntry(2)]);
        expect(await shas({ affects: true })).toEqual([marked.sha]);
        expect(await shas()).toHaveLength(2);
        expect(await store.getIndexedCommit("acme/app", marked.sha, "en")).toStrictEqual({ ...marked, repo: "acme/app" });
        // No longer affecting (the user's code moved on): the next report's entry says so.
        await store.indexCommits(repoId, [makeEntry(1)]);
        expect(await shas({ affects: true })).toEqual([]);
      });

      it("indexes nothing of a batch when one entry cannot be indexed", async () => {
        const good = makeEntry(1, { title: "feat: good" });
        const bad = makeEntry(2, { committedAt: "yesterday" });
        await expect(store.indexCommits(repoId, [good, bad])).rejects.toThrow(InternalError);
        expect(await count("search_entries")).toBe(0);
        await store.indexCommits(repoId, []);
        expect(await count("search_entries")).toBe(0);
      });

      it("indexes a NUL as U+FFFD, in both stores alike", async () => {
        const entry = makeEntry(1, { prBody: "before\u0000after", analysisText: "a\u0000b" });
        await store.indexCommits(repoId, [entry]);
        expect(await store.getIndexedCommit("acme/app", entry.sha, "en")).toMatchObject({ prBody: "before\uFFFDafter", analysisText: "a\uFFFDb" });
        expect(await shas({ text: "after" })).toEqual([entry.sha]);
      });
    });

    describe("full text", () => {
      it("finds English words in any case, every word of the query, best match first, then newest", async () => {
        await store.indexCommits(repoId, [
          makeEntry(1, { title: "fix: Retry the scheduler", committedAt: "2026-01-10T00:00:00Z" }),
          makeEntry(2, { title: "docs: readme", analysisText: "Mentions the scheduler once.", committedAt: "2026-01-12T00:00:00Z" }),
          makeEntry(3, { title: "feat: retry budget", body: "The SCHEDULER retries; the scheduler waits.", committedAt: "2026-01-16T00:00:00Z" }),
          makeEntry(4, { title: "chore: nothing here", committedAt: "2026-01-17T00:00:00Z" }),
        ]);
        const found = await store.searchCommits(query({ text: "Scheduler" }));
        expect(found.total).toBe(3);
        // A match in the title first, in both stores (SQLite's bm25 also ranks 3, twice in its body, above 2).
        expect(found.hits.map((hit) => hit.sha)).toEqual([makeSha(1), makeSha(3), makeSha(2)]);
        expect(found.hits[0]).toStrictEqual({
          repo: "acme/app",
          sha: makeSha(1),
          title: "fix: Retry the scheduler",
          committedAt: "2026-01-10T00:00:00Z",
          author: "Ada Lovelace",
          importance: "low",
          changeType: "chore",
          snippet: "fix: Retry the scheduler",
        });
        expect(await shas({ text: "retry scheduler" })).toEqual([makeSha(1), makeSha(3)]);
        expect(await shas({ text: '"retry the scheduler"' })).toEqual([makeSha(1)]);
        expect(await shas({ text: "scheduler nowhere" })).toEqual([]);
        // Without text: newest first.
        expect(await shas()).toEqual([makeSha(4), makeSha(3), makeSha(2), makeSha(1)]);
      });

      it("finds Chinese words of three characters or more through the index, and of two by a scan", async () => {
        await store.indexCommits(repoId, [
          makeEntry(1, { lang: "zh-CN", title: "修复调度器的重试逻辑", committedAt: "2026-01-10T00:00:00Z" }),
          makeEntry(2, { lang: "zh-CN", title: "文档：说明", analysisText: "影响任务调度，需要关注。", committedAt: "2026-01-12T00:00:00Z" }),
          makeEntry(3, { lang: "zh-CN", title: "重构：度量模块", body: "调 度 分开写", committedAt: "2026-01-14T00:00:00Z" }),
          makeEntry(4, { lang: "zh-CN", title: "chore: 调度 retry", committedAt: "2026-01-15T00:00:00Z" }),
        ]);
        const zh = (overrides: Partial<SearchQuery>) => shas({ lang: "zh-CN", ...overrides });
        expect(await zh({ text: "调度器" })).toEqual([makeSha(1)]);
        expect(await zh({ text: "重试逻辑" })).toEqual([makeSha(1)]);
        // Two characters: the trigram index cannot find them; the LIKE scan over the same columns does.
        expect(await zh({ text: "调度" })).toEqual([makeSha(4), makeSha(1), makeSha(2)]);
        expect((await store.searchCommits(query({ lang: "zh-CN", text: "调度" }))).total).toBe(3);
        // In a title first (1, 3 and 4, newest first), then elsewhere.
        expect(await zh({ text: "度" })).toEqual([makeSha(4), makeSha(3), makeSha(1), makeSha(2)]);
        // A short and a long word together: both must be there.
        expect(await zh({ text: "调度 retry" })).toEqual([makeSha(4)]);
        expect(await zh({ text: "调度 重试" })).toEqual([makeSha(1)]);
        // Another language's entries are not searched.
        expect(await shas({ text: "调度" })).toEqual([]);
      });

      it("takes %, _ and quotes in the text literally", async () => {
        await store.indexCommits(repoId, [
          makeEntry(1, { title: "fix: 100% CPU in foo_bar" }),
          makeEntry(2, { title: "fix: 100 CPUs in fooXbar" }),
          makeEntry(3, { title: 'docs: say "hello"' }),
        ]);
        expect(await shas({ text: "100%" })).toEqual([makeSha(1)]);
        expect(await shas({ text: "o_b" })).toEqual([makeSha(1)]);
        expect(await shas({ text: "foo_bar" })).toEqual([makeSha(1)]);
        expect(await shas({ text: '"hello"' })).toEqual([makeSha(3)]);
        expect(await shas({ text: 'say "hello' })).toEqual([makeSha(3)]);
      });

      it("cuts a snippet of plain text around the first match, at most 160 characters", async () => {
        const filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(6);
        const body = `${filler}\n\nThe  scheduler\tnow retries.\n${filler}`;
        const chinese = `${"前言很长的一段文字。".repeat(20)}这里修复了调度器。${"后记也很长的一段文字。".repeat(20)}`;
        await store.indexCommits(repoId, [
          makeEntry(1, { title: "fix: retry", body, committedAt: "2026-01-10T00:00:00Z" }),
          makeEntry(2, { title: "修复", lang: "zh-CN", analysisText: chinese }),
          makeEntry(3, { title: "chore: short", analysisText: "Routine maintenance of the scheduler." }),
        ]);
        const hits = (await store.searchCommits(query({ text: "scheduler" }))).hits;
        const long = hits.find((hit) => hit.sha === makeSha(1));
        const short = hits.find((hit) => hit.sha === makeSha(3));
        expect(long!.snippet).toMatch(/^….*The scheduler now retries\..*…$/);
        expect([...long!.snippet].length).toBeLessThanOrEqual(SNIPPET_CHARS);
        expect(long!.snippet).not.toMatch(/\s{2}|\n|\t/);
        expect(short!.snippet).toBe("Routine maintenance of the scheduler.");
        const zh = (await store.searchCommits(query({ lang: "zh-CN", text: "调度器" }))).hits[0]!;
        expect(zh.snippet).toMatch(/^…[^…]*这里修复了调度器。后记[^…]*…$/);
        expect([...zh.snippet].length).toBe(SNIPPET_CHARS);
        // Without text: the start of the analysis.
        expect((await store.searchCommits(query({ text: undefined, limit: 1 }))).hits[0]!.snippet).toBe("Routine maintenance of the scheduler.");
      });
    });

    describe("filters", () => {
      beforeEach(async () => {
        const lib = (await store.upsertRepository("/src/lib", "acme/lib")).id;
        await store.indexCommits(repoId, [
          makeEntry(1, {
            committedAt: "2026-01-16T23:59:59Z",
            author: "Ada Lovelace",
            importance: "high",
            changeType: "feature",
            paths: ["src/sched/retry.ts", "src/sched/queue.ts"],
            modules: ["src/sched"],
            symbols: ["EngineArgs.max_retries", "Scheduler"],
            envVars: ["RETRY_MAX"],
            flags: ["--max-retries"],
          }),
          makeEntry(2, {
            committedAt: "2026-01-17T00:00:00Z",
            author: "dependabot[bot]",
            bot: true,
            importance: "medium",
            changeType: "dependency",
            paths: ["package.json", ".github/workflows/ci.yml"],
            modules: ["(root)"],
            dependencies: ["left-pad", "@types/node"],
          }),
          makeEntry(3, {
            committedAt: "2026-01-17T12:00:00+08:00",
            author: "Grace Hopper",
            importance: "low",
            changeType: "docs",
            paths: ["docs/sched.md", "tools/gen.py", "src/schedule.ts"],
            modules: ["docs"],
            symbols: ["max_retries"],
          }),
        ]);
        await store.indexCommits(lib, [makeEntry(4, { committedAt: "2026-01-18T00:00:00Z", author: "ada", paths: ["lib/x.py"], modules: ["lib"] })]);
      });

      it("by repository, period [since, until), importance, change type, author and bots", async () => {
        expect(await shas()).toEqual([makeSha(4), makeSha(3), makeSha(2), makeSha(1)]);
        expect(await shas({ repos: ["acme/lib"] })).toEqual([makeSha(4)]);
        expect(await shas({ repos: ["acme/app", "acme/lib"] })).toHaveLength(4);
        expect(await shas({ repos: ["acme"] })).toEqual([]);
        // 12:00+08:00 is 04:00Z.
        expect(await shas({ since: "2026-01-17T00:00:00Z", until: "2026-01-17T04:00:00Z" })).toEqual([makeSha(2)]);
        expect(await shas({ since: "2026-01-17T00:00:00Z", until: "2026-01-17T04:00:01Z" })).toEqual([makeSha(3), makeSha(2)]);
        expect(await shas({ minImportance: "high" })).toEqual([makeSha(1)]);
        expect(await shas({ minImportance: "medium" })).toEqual([makeSha(2), makeSha(1)]);
        expect(await shas({ minImportance: "low" })).toHaveLength(4);
        expect(await shas({ changeTypes: ["docs", "feature"] })).toEqual([makeSha(3), makeSha(1)]);
        // Author: a substring, in any case.
        expect(await shas({ author: "ADA" })).toEqual([makeSha(4), makeSha(1)]);
        expect(await shas({ author: "hopper" })).toEqual([makeSha(3)]);
        expect(await shas({ bots: true })).toEqual([makeSha(2)]);
        expect(await shas({ bots: false })).toEqual([makeSha(4), makeSha(3), makeSha(1)]);
      });

      it("by facts: exact names; a symbol by its last dotted segment too", async () => {
        expect(await shas({ module: "src/sched" })).toEqual([makeSha(1)]);
        expect(await shas({ module: "src" })).toEqual([]);
        expect(await shas({ symbol: "EngineArgs.max_retries" })).toEqual([makeSha(1)]);
        expect(await shas({ symbol: "max_retries" })).toEqual([makeSha(3), makeSha(1)]);
        expect(await shas({ symbol: "EngineArgs" })).toEqual([]);
        expect(await shas({ symbol: "Scheduler" })).toEqual([makeSha(1)]);
        expect(await shas({ envVar: "RETRY_MAX" })).toEqual([makeSha(1)]);
        expect(await shas({ envVar: "RETRY" })).toEqual([]);
        expect(await shas({ flag: "--max-retries" })).toEqual([makeSha(1)]);
        expect(await shas({ dependency: "@types/node" })).toEqual([makeSha(2)]);
        expect(await shas({ dependency: "left" })).toEqual([]);
        expect(await shas({ module: "src/sched", envVar: "RETRY_MAX", author: "ada" })).toEqual([makeSha(1)]);
        expect(await shas({ module: "src/sched", bots: true })).toEqual([]);
      });

      it("by a path glob: literal heads, wildcards only, braces, negation, dot files", async () => {
        expect(await shas({ path: "src/sched/**" })).toEqual([makeSha(1)]);
        expect(await shas({ path: "src/sched/retry.ts" })).toEqual([makeSha(1)]);
        expect(await shas({ path: "./src/sched/*.ts" })).toEqual([makeSha(1)]);
        // src/schedule.ts shares the head's text, not its folder.
        expect(await shas({ path: "src/sched*" })).toEqual([makeSha(3)]);
        expect(await shas({ path: "src/**" })).toEqual([makeSha(3), makeSha(1)]);
        expect(await shas({ path: "**/*.py" })).toEqual([makeSha(4), makeSha(3)]);
        expect(await shas({ path: "*.json" })).toEqual([makeSha(2)]);
        expect(await shas({ path: "**/*.yml" })).toEqual([makeSha(2)]);
        expect(await shas({ path: "{docs,lib}/**" })).toEqual([makeSha(4), makeSha(3)]);
        expect(await shas({ path: "src/sched/[qr]*.ts" })).toEqual([makeSha(1)]);
        // One path that is not under src/ is enough.
        expect(await shas({ path: "!src/**" })).toEqual([makeSha(4), makeSha(3), makeSha(2)]);
        expect(await shas({ path: "SRC/**" })).toEqual([]);
        // With other filters, counted whole and paged.
        expect(await shas({ path: "**/*.py", repos: ["acme/app"] })).toEqual([makeSha(3)]);
        const page = await store.searchCommits(query({ path: "**", limit: 2, offset: 1 }));
        expect({ total: page.total, shas: page.hits.map((hit) => hit.sha) }).toEqual({ total: 4, shas: [makeSha(3), makeSha(2)] });
      });

      it("counts every match and pages through them without overlap", async () => {
        const entries = Array.from({ length: 45 }, (_, index) =>
          // Pairs of commits at the same second: the SHA orders them.
          makeEntry(100 + index, { committedAt: new Date(Date.parse("2026-01-01T00:00:00Z") + Math.floor(index / 2) * 1000).toISOString(), title: `feat: widget ${index}` }),
        );
        await store.indexCommits(repoId, entries);
        const seen: string[] = [];
        for (let offset = 0; offset < 50; offset += 20) {
          const page = await store.searchCommits(query({ text: "widget", limit: 20, offset }));
          expect(page.total).toBe(45);
          seen.push(...page.hits.map((hit) => hit.sha));
        }
        expect(seen).toHaveLength(45);
        expect(new Set(seen).size).toBe(45);
        expect(await store.searchCommits(query({ text: "widget", offset: 100 }))).toStrictEqual({ total: 45, hits: [] });
      });

      it("refuses a bad query in one line naming the value", async () => {
        const refused = async (overrides: Partial<SearchQuery>) => {
          const error = await store.searchCommits(query(overrides)).catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(InputError);
          expect((error as InputError).message).not.toContain("\n");
          return (error as InputError).message;
        };
        expect(await refused({ limit: 0 })).toBe("search: limit 0 is not allowed; expected a whole number from 1 to 500");
        expect(await refused({ offset: -1 })).toMatch(/^search: offset -1 is not allowed/);
        expect(await refused({ since: "last week" })).toBe('search: since "last week" is not allowed; expected an ISO instant such as 2026-01-17T00:00:00Z');
        expect(await refused({ text: Array.from({ length: 17 }, (_, index) => `w${index}`).join(" ") })).toBe("search: 17 words in the text, at most 16 are allowed");
        expect(await refused({ minImportance: "urgent" as never })).toMatch(/^search: minImportance "urgent" is not allowed; expected high, medium, low$/);
        expect(await refused({ path: "a".repeat(70_000) })).toMatch(/^search: the path glob "a+" cannot be read: /);
      });
    });

    describe("trends", () => {
      it("counts per UTC day, hotspots, API, dependencies and authors, of one language, period and repositories", async () => {
        const lib = (await store.upsertRepository("/src/lib", "acme/lib")).id;
        await store.indexCommits(repoId, [
          // 23:30 in New York is the next day in UTC.
          makeEntry(1, { committedAt: "2026-01-16T23:30:00-05:00", importance: "high", apiAdded: 3, apiRemoved: 1, breaking: true, churn: [{ module: "src/a", lines: 10 }] }),
          makeEntry(2, { committedAt: "2026-01-17T10:00:00Z", importance: "low", dependencies: ["left-pad"], churn: [{ module: "src/a", lines: 5 }, { module: "src/b", lines: 40 }] }),
          makeEntry(3, { committedAt: "2026-01-18T00:00:00Z", importance: "medium", author: "renovate[bot]", bot: true, dependencies: ["x", "y"], apiAdded: 2 }),
          makeEntry(4, { committedAt: "2026-01-18T05:00:00Z", importance: "medium", churn: [{ module: "src/c", lines: 1 }, { module: "src/c", lines: 2 }] }),
          // Outside: before since, at until, another language.
          makeEntry(5, { committedAt: "2026-01-15T23:59:59Z", importance: "high" }),
          makeEntry(6, { committedAt: "2026-01-19T00:00:00Z", importance: "high" }),
          makeEntry(7, { committedAt: "2026-01-17T10:00:00Z", importance: "high", lang: "zh-CN" }),
        ]);
        await store.indexCommits(lib, [makeEntry(8, { committedAt: "2026-01-18T06:00:00Z", importance: "high", author: "Grace", churn: [{ module: "lib", lines: 100 }] })]);
        const period = { since: "2026-01-16T00:00:00Z", until: "2026-01-19T00:00:00Z", lang: "en" as const };

        expect(await store.trends(period)).toStrictEqual({
          perDay: [
            { day: "2026-01-17", high: 1, medium: 0, low: 1 },
            { day: "2026-01-18", high: 1, medium: 2, low: 0 },
          ],
          modules: [
            { module: "lib", commits: 1, lines: 100 },
            { module: "src/b", commits: 1, lines: 40 },
            { module: "src/a", commits: 2, lines: 15 },
            { module: "src/c", commits: 1, lines: 3 },
          ],
          api: [
            { day: "2026-01-17", added: 3, removed: 1, breaking: 1 },
            { day: "2026-01-18", added: 2, removed: 0, breaking: 0 },
          ],
          dependencies: [
            { day: "2026-01-17", commits: 1 },
            { day: "2026-01-18", commits: 1 },
          ],
          authors: [
            { author: "Ada Lovelace", bot: false, commits: 3 },
            { author: "Grace", bot: false, commits: 1 },
            { author: "renovate[bot]", bot: true, commits: 1 },
          ],
        });
        const app = await store.trends({ ...period, repos: ["acme/app"] });
        expect(app.perDay).toEqual([
          { day: "2026-01-17", high: 1, medium: 0, low: 1 },
          { day: "2026-01-18", high: 0, medium: 2, low: 0 },
        ]);
        expect(app.modules.map((row) => row.module)).toEqual(["src/b", "src/a", "src/c"]);
        expect(await store.trends({ ...period, lang: "zh-CN" })).toMatchObject({ perDay: [{ day: "2026-01-17", high: 1, medium: 0, low: 0 }], modules: [] });
        expect(await store.trends({ ...period, since: "2026-02-01T00:00:00Z", until: "2026-03-01T00:00:00Z" })).toStrictEqual({
          perDay: [],
          modules: [],
          api: [],
          dependencies: [],
          authors: [],
        });
      });

      it("lists 20 hotspots and 20 authors at most, most first", async () => {
        await store.indexCommits(
          repoId,
          Array.from({ length: 30 }, (_, index) =>
            makeEntry(index + 1, { author: `author-${String(index).padStart(2, "0")}`, churn: [{ module: `m${String(index).padStart(2, "0")}`, lines: index + 1 }] }),
          ),
        );
        const trends = await store.trends({ since: "2026-01-01T00:00:00Z", until: "2026-02-01T00:00:00Z", lang: "en" });
        expect(trends.modules).toHaveLength(20);
        expect(trends.modules[0]).toEqual({ module: "m29", commits: 1, lines: 30 });
        expect(trends.modules[19]).toEqual({ module: "m10", commits: 1, lines: 11 });
        expect(trends.authors).toHaveLength(20);
        // A tie is broken by name.
        expect(trends.authors[0]).toEqual({ author: "author-00", bot: false, commits: 1 });
      });
    });

    describe("read-only, as the web app opens it", () => {
      it("reads what a writer indexed, and refuses any write in one line", async () => {
        await store.indexCommits(repoId, [makeEntry(1, { title: "feat: scheduler" })]);
        await store.saveReportModel(report("day", "2026-01-18T00:00:00.000Z", ["acme/app"]), "{}");
        const reader = await openAnother({ readOnly: true });
        expect(reader.kind).toBe(backend.name);
        expect((await reader.searchCommits(query({ text: "scheduler" }))).total).toBe(1);
        expect((await reader.listReportModels({ limit: 5, offset: 0 })).total).toBe(1);
        // What the writer adds later, the reader sees.
        await store.indexCommits(repoId, [makeEntry(2, { title: "feat: scheduler again" })]);
        expect((await reader.searchCommits(query({ text: "scheduler" }))).total).toBe(2);

        for (const write of [() => reader.upsertRepository("/src/new", "new"), () => reader.indexCommits(repoId, [makeEntry(3)])]) {
          const error = await write().catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(InternalError);
          expect((error as Error).message).toMatch(/^writing to the store: the store .* was opened read-only$/);
          expect((error as InternalError).hint).toMatch(/repo-digest serve only reads/);
        }
        expect(await count("repositories")).toBe(1);
        expect(await count("search_entries")).toBe(2);
      });

      it("refuses a store older than this code, without migrating it", async () => {
        const older = await backend.create();
        try {
          await older.migrateToPrevious();
          const error = await older.open({ readOnly: true }).then(
            async (opened) => {
              await opened.close();
              return undefined;
            },
            (caught: unknown) => caught,
          );
          expect(error).toBeInstanceOf(InputError);
          expect((error as InputError).message).toMatch(/: the store's schema is version \d+, older than this repo-digest's \(\d+\)$/);
          expect((error as InputError).hint).toMatch(/run `repo-digest report` once/);
          // Still the older schema (the newest migration adds search_entries.affects): nothing was migrated.
          expect(await older.rows("SELECT affects FROM search_entries").catch(() => "no such column")).toBe("no such column");
        } finally {
          await older.drop();
        }
      });

      it("refuses a place with no store at all", async () => {
        const empty = await backend.create();
        try {
          const error = await empty.open({ readOnly: true }).catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(InputError);
          expect((error as InputError).message).toMatch(/no (repo-digest )?store (in this database|at .*) yet$/);
          expect((error as InputError).hint).toMatch(/run `repo-digest report` once/);
        } finally {
          await empty.drop();
        }
      });
    });

    it("two workers indexing the same commits at once leave each entry once, with its facts once", async () => {
      const other = await openAnother();
      const entries = Array.from({ length: 200 }, (_, index) => makeEntry(index + 1, { modules: [`m${index % 7}`], symbols: ["A.b"], churn: [{ module: `m${index % 7}`, lines: 1 }] }));
      const reversed = [...entries].reverse();
      await Promise.all([
        store.indexCommits(repoId, entries.slice(0, 150)),
        other.indexCommits(repoId, reversed.slice(0, 150)),
        store.indexCommits(repoId, entries.slice(50)),
        other.indexCommits(repoId, reversed.slice(50)),
      ]);
      expect(await count("search_entries")).toBe(200);
      // README.md, the module, A.b and b.
      expect(await count("search_terms")).toBe(800);
      expect(await count("search_churn")).toBe(200);
    });
  });

  describe("two workers on one store", () => {
    it("each sees what the other committed", async () => {
      const other = await openAnother();
      const commit = makeCommit();
      await store.saveCommit(repoId, commit, makeFacts(commit.sha));
      expect(await other.knownCommits(repoId, [commit.sha])).toEqual(new Set([commit.sha]));
      expect((await other.getCommit(repoId, commit.sha))?.commit).toStrictEqual(commit);

      const runId = await other.startRun("run", {}, new Date("2026-01-18T08:00:00Z"));
      await other.finishRun(runId, "succeeded", new Date("2026-01-18T08:00:01Z"));
      expect((await store.getRun(runId))?.status).toBe("succeeded");
    });

    it("saving the same analysis at once stores one row, and both succeed", async () => {
      const other = await openAnother();
      const sha = makeSha(1);
      const key: AnalysisKey = { sha, analyzer: { name: "llm", version: "1.0.0" }, lang: "en", optionsKey: "m" };
      await store.saveCommit(repoId, makeCommit({ sha }), makeFacts(sha));
      const saves = Array.from({ length: 8 }, (_, index) =>
        (index % 2 === 0 ? store : other).saveAnalysis(repoId, key, makeAnalysis(sha, { analyzer: key.analyzer, score: index })),
      );
      await expect(Promise.all(saves)).resolves.toHaveLength(8);
      expect(await count("analyses")).toBe(1);
      expect((await store.getAnalysis(repoId, key))?.score).toBeTypeOf("number");
    });

    it("saving the same history at once stores each commit once, with its files once", async () => {
      const other = await openAnother();
      const history = Array.from({ length: 300 }, (_, index) => {
        const commit = makeCommit({ sha: makeSha(500 + index), files: [makeFile({ path: "a.ts" }), makeFile({ path: "b.ts" })] });
        return { commit, facts: makeFacts(commit.sha) };
      });
      // The second worker meets the same commits in another order (and in overlapping batches).
      const reversed = [...history].reverse();
      await Promise.all([
        store.saveCommits(repoId, history.slice(0, 200)),
        other.saveCommits(repoId, reversed.slice(0, 200)),
        store.saveCommits(repoId, history.slice(100)),
        other.saveCommits(repoId, reversed.slice(100)),
      ]);
      expect(await count("commits")).toBe(300);
      expect(await count("files")).toBe(600);
      expect(await count("facts")).toBe(300);
      expect((await other.knownCommits(repoId, history.map((entry) => entry.commit.sha))).size).toBe(300);
    });

    it("claiming one delivery at once gives exactly one of them the id", async () => {
      const other = await openAnother();
      const runId = await store.startRun("publish", {}, new Date("2026-01-18T08:00:00Z"));
      const delivery = { runId, channel: "slack", periodLabel: "2026-01-17", reportJson: "{}", reportName: "r", updatedAt: "2026-01-18T08:00:00.000Z" };
      for (const key of ["job-7:slack", "job-8:slack", "job-9:slack"]) {
        const claims = await Promise.all([store.claimDelivery(key, delivery), other.claimDelivery(key, delivery), other.claimDelivery(key, delivery)]);
        expect(claims.filter((id) => id !== undefined)).toHaveLength(1);
      }
      expect(await count("deliveries")).toBe(3);
    });

    it("failing the same day at once counts every attempt", async () => {
      const other = await openAnother();
      const at = new Date("2026-01-18T03:00:00Z");
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? store : other).recordDayFailure("2026-01-17", at, `attempt ${index}`, true)),
      );
      expect([...answers].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(await store.recordDayFailure("2026-01-17", at, "last", false)).toBe(10);
    });

    it("opening a new store from several workers at once migrates it once, and all of them work", async () => {
      const fresh = await backend.create();
      try {
        const opened = await Promise.all([fresh.open(), fresh.open(), fresh.open(), fresh.open()]);
        try {
          const ids = await Promise.all(opened.map((each) => each.upsertRepository("/src/app", "app")));
          expect(new Set(ids.map((repo) => repo.id)).size).toBe(1);
        } finally {
          await Promise.all(opened.map((each) => each.close()));
        }
      } finally {
        await fresh.drop();
      }
    });
  });
});

describe("the PostgreSQL store's own matters", () => {
  const PASSWORD = "s3cret-Pa55word";

  /** The error's message, hint and causes as one text: none of it may name the password. */
  function everythingSaid(error: unknown): string {
    const parts: string[] = [];
    for (let current: unknown = error; current instanceof Error; current = current.cause) {
      parts.push(current.message, String((current as { hint?: unknown }).hint ?? ""), current.stack ?? "");
    }
    return parts.join("\n");
  }

  async function openingFails(url: string, options: { connectTimeoutMs?: number } = {}): Promise<Error> {
    try {
      const store = await openPostgresStore(url, options);
      await store.close();
    } catch (error) {
      return error as Error;
    }
    throw new Error(`opening ${url.replace(PASSWORD, "***")} succeeded`);
  }

  function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
      server.on("error", reject);
    });
  }

  it("a port where nothing listens is the environment's failure, in one line without the password", async () => {
    const port = await freePort();
    const error = await openingFails(`postgres://digest:${PASSWORD}@127.0.0.1:${port}/digest`);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.message).toBe(`opening the store: cannot reach the PostgreSQL store at 127.0.0.1:${port} (connection refused)`);
    expect((error as EnvironmentError).hint).toMatch(/`store:`.*REPO_DIGEST_DATABASE_URL/);
    expect(everythingSaid(error)).not.toContain(PASSWORD);
  });

  it("an unknown host, and a server that never answers, say so", async () => {
    const unknown = await openingFails(`postgres://digest:${PASSWORD}@no-such-host.invalid:5432/digest`);
    expect(unknown).toBeInstanceOf(EnvironmentError);
    expect(unknown.message).toBe("opening the store: cannot reach the PostgreSQL store at no-such-host.invalid:5432 (unknown host)");

    // Accepts the connection and says nothing, as a stuck server or a black-holing proxy would.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const error = await openingFails(`postgres://digest:${PASSWORD}@127.0.0.1:${port}/digest`, { connectTimeoutMs: 1000 });
      expect(error).toBeInstanceOf(EnvironmentError);
      expect(error.message).toBe(`opening the store: cannot reach the PostgreSQL store at 127.0.0.1:${port} (no answer within 1 s)`);
      expect(everythingSaid(error)).not.toContain(PASSWORD);
    } finally {
      silent.close();
    }
  });

  describe("logins", () => {
    let database: Awaited<ReturnType<typeof freshDatabase>>;
    let adminUrl: string;
    const role = `rd_login_${process.pid}`;
    let hbaFile: string;
    let hba: string;

    /**
     * The test server trusts loopback (scripts/services.sh); for this one role it must ask for
     * a password. The superuser rewrites pg_hba.conf through the server (COPY TO runs there),
     * one line for this role in front, and reloads; afterEach puts the file back.
     */
    beforeEach(async () => {
      database = await freshDatabase();
      adminUrl = (await testServices()).databaseUrl;
      await withClient(adminUrl, async (client) => {
        await client.query(`DROP ROLE IF EXISTS ${role}`);
        await client.query(`CREATE ROLE ${role} LOGIN PASSWORD ${client.escapeLiteral(PASSWORD)}`);
        // Its owner: since PostgreSQL 15 only the owner may create tables in the public schema.
        await client.query(`ALTER DATABASE ${pg.escapeIdentifier(new URL(database.url).pathname.slice(1))} OWNER TO ${role}`);
        hbaFile = (await client.query<{ hba_file: string }>("SHOW hba_file")).rows[0]!.hba_file;
        hba = (await client.query<{ text: string }>("SELECT pg_read_file($1) AS text", [hbaFile])).rows[0]!.text;
        await writeHba(client, `host all ${role} 127.0.0.1/32 scram-sha-256\n${hba}`);
      });
      // The postmaster reloads on a signal, a moment later: wait until it asks this role for a password.
      for (let tries = 0; ; tries++) {
        const refused = await withClient(urlAs(role, "not-the-password"), async () => false).catch(() => true);
        if (refused) break;
        if (tries === 100) throw new Error(`the test server still lets ${role} in without its password after ${hbaFile} was rewritten`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });

    afterEach(async () => {
      await withClient(adminUrl, (client) => writeHba(client, hba));
      await database.drop();
      await withClient(adminUrl, (client) => client.query(`DROP ROLE IF EXISTS ${role}`));
    });

    async function writeHba(client: pg.Client, text: string): Promise<void> {
      // One row per line (COPY's text format would escape the newlines of one value), and
      // literals, not parameters: COPY takes none.
      const lines = text.replace(/\n$/, "").split("\n");
      if (lines.some((line) => /[\\\t]/.test(line))) throw new Error(`${hbaFile} has a tab or a backslash: this test cannot rewrite it`);
      const values = lines.map((line, n) => `(${n}, ${client.escapeLiteral(line)})`).join(", ");
      await client.query(`COPY (SELECT line FROM (VALUES ${values}) AS l(n, line) ORDER BY n) TO ${client.escapeLiteral(hbaFile)}`);
      await client.query("SELECT pg_reload_conf()");
    }

    function urlAs(user: string, password: string | undefined): string {
      const url = new URL(database.url);
      url.username = user;
      url.password = password ?? "";
      return url.toString();
    }

    it("the right password opens the store", async () => {
      const store = await openPostgresStore(urlAs(role, PASSWORD)).catch((error: unknown) => {
        throw new Error(`the role could not log in: ${String(error)}`);
      });
      expect((await store.upsertRepository("/a", "a")).id).toBeTypeOf("number");
      await store.close();
    });

    it("a wrong password is the setting's failure, naming the user and no password", async () => {
      const wrong = `${PASSWORD}-wrong`;
      const error = await openingFails(urlAs(role, wrong));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(`password authentication failed for user "${role}"`);
      expect(error.message).not.toContain("\n");
      expect((error as InputError).hint).toMatch(/user and password.*`store:`.*REPO_DIGEST_DATABASE_URL/);
      expect(everythingSaid(error)).not.toContain(PASSWORD);
    });

    it("no password where the server asks for one says so, and leaves no connection open", async () => {
      const sockets = () => process.getActiveResourcesInfo().filter((resource) => resource === "TCPSocketWrap").length;
      const before = sockets();
      const error = await openingFails(urlAs(role, undefined));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/asks for a password and none was given/);
      // pg fails this login on its own side and keeps the socket: the process could not exit
      // until the server gave up on the login (authentication_timeout, 60 s). A destroyed socket
      // leaves the list when libuv has closed its handle, which under a loaded CI can take more
      // than one turn of the loop: waited for up to 5 s, far below the 60 s this guards against.
      for (let waited = 0; sockets() > before && waited < 5_000; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(sockets()).toBe(before);
    });
  });

  it("a database that does not exist is named, in one line", async () => {
    const url = new URL((await testServices()).databaseUrl);
    url.pathname = "/rd_no_such_database";
    url.password = PASSWORD;
    const error = await openingFails(url.toString());
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/no such database at the PostgreSQL store 127\.0\.0\.1:\d+\/rd_no_such_database: database "rd_no_such_database" does not exist$/);
    expect(everythingSaid(error)).not.toContain(PASSWORD);
  });

  it("a URL that cannot be read is refused without being echoed", async () => {
    const error = await openingFails(`postgres://digest:${PASSWORD}@127.0.0.1:notaport/db`);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe("the PostgreSQL store's URL cannot be read (postgres://…)");
    expect(everythingSaid(error)).not.toContain(PASSWORD);
  });

  describe("migrations", () => {
    let database: Awaited<ReturnType<typeof freshDatabase>>;
    beforeEach(async () => {
      database = await freshDatabase();
    });
    afterEach(async () => {
      await database.drop();
    });

    it("records each migration once, and refuses a database written by a newer version", async () => {
      await (await openPostgresStore(database.url)).close();
      await (await openPostgresStore(database.url)).close();
      const versions = await withClient(database.url, async (client) => (await client.query("SELECT version FROM schema_migrations ORDER BY version")).rows);
      expect(versions).toEqual(POSTGRES_MIGRATIONS.map((_, index) => ({ version: index + 1 })));

      await withClient(database.url, (client) => client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [POSTGRES_SCHEMA_VERSION + 1]));
      const error = await openingFails(database.url);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(new RegExp(`^127\\.0\\.0\\.1:\\d+/rd_test_\\w+: database schema version ${POSTGRES_SCHEMA_VERSION + 1} is newer than this repo-digest knows \\(${POSTGRES_SCHEMA_VERSION}\\)$`));
      expect((error as InputError).hint).toMatch(/upgrade repo-digest/i);
    });

    it("applies only the migrations a database lacks, and rolls a failing one back, version included", async () => {
      await withClient(database.url, async (client) => {
        await migratePostgres(client, "test", POSTGRES_MIGRATIONS);
        await migratePostgres(client, "test", [...POSTGRES_MIGRATIONS, "CREATE TABLE extra (id integer PRIMARY KEY)"]);
        expect((await client.query("SELECT count(*)::int AS n FROM extra")).rows).toEqual([{ n: 0 }]);

        const broken = [...POSTGRES_MIGRATIONS, "CREATE TABLE extra (id integer PRIMARY KEY)", "CREATE TABLE half (id integer); INSERT INTO missing VALUES (1);"];
        await expect(migratePostgres(client, "test", broken)).rejects.toThrow(/missing/);
        expect((await client.query("SELECT max(version)::int AS v FROM schema_migrations")).rows).toEqual([{ v: POSTGRES_SCHEMA_VERSION + 1 }]);
        expect((await client.query("SELECT to_regclass('half') AS t")).rows).toEqual([{ t: null }]);
      });
    });
  });

  describe("search and the web app's reads", () => {
    let database: Awaited<ReturnType<typeof freshDatabase>>;
    beforeEach(async () => {
      database = await freshDatabase();
    });
    afterEach(async () => {
      await database.drop();
    });

    /**
     * A TCP relay to the test server that counts the statements the store sends: frontend
     * messages Query ('Q', simple protocol) and Parse ('P', one per parameterised query), read
     * from the bytes going to the server (https://www.postgresql.org/docs/current/protocol-message-formats.html).
     */
    async function countingRelay(): Promise<{ url: string; statements(): number; close(): Promise<void> }> {
      const upstream = new URL(database.url);
      let statements = 0;
      const sockets = new Set<net.Socket>();
      const server = net.createServer((client) => {
        const server = net.connect(Number(upstream.port), upstream.hostname);
        sockets.add(client).add(server);
        let pending = Buffer.alloc(0);
        let startup = true;
        client.on("data", (chunk: Buffer) => {
          server.write(chunk);
          pending = Buffer.concat([pending, chunk]);
          for (;;) {
            // The startup message has no type byte: its length first.
            const header = startup ? 0 : 1;
            if (pending.length < header + 4) break;
            const length = pending.readInt32BE(header);
            if (pending.length < header + length) break;
            if (!startup && (pending[0] === 0x51 || pending[0] === 0x50)) statements++;
            pending = pending.subarray(header + length);
            startup = false;
          }
        });
        server.pipe(client);
        for (const socket of [client, server]) socket.on("error", () => undefined).on("close", () => (client.destroy(), server.destroy()));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const url = new URL(database.url);
      url.port = String((server.address() as net.AddressInfo).port);
      return {
        url: url.toString(),
        statements: () => statements,
        close: async () => {
          for (const socket of sockets) socket.destroy();
          await new Promise((resolve) => server.close(resolve));
        },
      };
    }

    it("indexes a day of 200 commits in as many statements as a day of 20, and answers a search in one", async () => {
      const relay = await countingRelay();
      const store = await openPostgresStore(relay.url);
      try {
        const repo = await store.upsertRepository("/src/app", "acme/app");
        const day = (from: number, length: number) =>
          Array.from({ length }, (_, index) =>
            makeEntry(from + index, { modules: ["src/a", "src/b"], paths: ["src/a/x.ts", "src/b/y.ts"], symbols: ["A.b"], churn: [{ module: "src/a", lines: 3 }] }),
          );
        const statementsOf = async (work: () => Promise<unknown>): Promise<number> => {
          const before = relay.statements();
          await work();
          return relay.statements() - before;
        };
        const small = await statementsOf(() => store.indexCommits(repo.id, day(1, 20)));
        const large = await statementsOf(() => store.indexCommits(repo.id, day(100, 200)));
        // BEGIN, the entries, their old facts and churn deleted, the new ones inserted, COMMIT.
        expect({ small, large }).toEqual({ small: 5, large: 5 });
        expect(await statementsOf(() => store.searchCommits({ text: "housekeeping", module: "src/a", lang: "en", limit: 20, offset: 0 }))).toBe(1);
        // BEGIN, the glob's path names, the search, COMMIT: one snapshot.
        expect(await statementsOf(() => store.searchCommits({ path: "src/a/*.ts", lang: "en", limit: 20, offset: 0 }))).toBe(4);
        expect(await statementsOf(() => store.trends({ since: "2026-01-01T00:00:00Z", until: "2026-02-01T00:00:00Z", lang: "en" }))).toBe(1);
      } finally {
        await store.close();
        await relay.close();
      }
    });

    it("can search the documents' text through the pg_trgm index", async () => {
      await (await openPostgresStore(database.url)).close();
      // With sequential scans off, the planner takes the index if it can serve a LIKE.
      const plan = await withClient(database.url, async (client) => {
        await client.query("SET enable_seqscan = off");
        const result = await client.query<{ "QUERY PLAN": string }>("EXPLAIN SELECT 1 FROM search_documents d WHERE d.document LIKE '%scheduler%'");
        return result.rows.map((row) => row["QUERY PLAN"]).join("\n");
      });
      expect(plan).toContain("Bitmap Index Scan on search_documents_text");
    });

    it("makes every session of a read-only store read-only, and creates pg_trgm as the database's owner", async () => {
      // Not a superuser: pg_trgm is a trusted extension, which the database's owner may create.
      const role = `rd_owner_${process.pid}`;
      const admin = (await testServices()).databaseUrl;
      await withClient(admin, async (client) => {
        await client.query(`DROP ROLE IF EXISTS ${role}`);
        await client.query(`CREATE ROLE ${role} LOGIN`);
        await client.query(`ALTER DATABASE ${pg.escapeIdentifier(new URL(database.url).pathname.slice(1))} OWNER TO ${role}`);
      });
      const asOwner = new URL(database.url);
      asOwner.username = role;
      try {
        await (await openPostgresStore(asOwner.toString())).close();
        expect(await withClient(database.url, async (client) => (await client.query("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")).rows)).toEqual([{ extname: "pg_trgm" }]);

        const reader = await openPostgresStore(asOwner.toString(), { readOnly: true, maxConnections: 3 });
        try {
          // Nine writes at once on three connections: each its own session (pg drops a connection whose query failed).
          const writes = await Promise.allSettled(Array.from({ length: 9 }, (_, index) => reader.upsertRepository(`/src/${index}`, `r${index}`)));
          expect(writes.map((write) => write.status === "rejected" && write.reason instanceof InternalError)).toEqual(Array(9).fill(true));
          expect(await withClient(database.url, async (client) => (await client.query("SELECT count(*)::int AS n FROM repositories")).rows)).toEqual([{ n: 0 }]);
        } finally {
          await reader.close();
        }
      } finally {
        await database.drop();
        database = await freshDatabase();
        await withClient(admin, (client) => client.query(`DROP ROLE IF EXISTS ${role}`));
      }
    });
  });

  it("a full disk on the server is the environment's failure, in one line", async () => {
    const adminUrl = (await testServices()).databaseUrl;
    const dataDirectory = await withClient(adminUrl, async (client) => (await client.query<{ data_directory: string }>("SHOW data_directory")).rows[0]!.data_directory);
    if (!fs.existsSync(dataDirectory)) throw new Error(`this test needs the PostgreSQL server on this machine (its data directory ${dataDirectory} is not here)`);
    // A tablespace on a small real tmpfs: the database's files fill it, its WAL stays on the server's own disk.
    const tmpfs = mountTmpfs(24 * 1024);
    const name = `rd_full_${process.pid}`;
    let store: Store | undefined;
    try {
      const { uid, gid } = fs.statSync(dataDirectory);
      fs.chownSync(tmpfs.dir, uid, gid);
      await withClient(adminUrl, async (client) => {
        await client.query(`CREATE TABLESPACE ${name} LOCATION ${client.escapeLiteral(tmpfs.dir)}`);
        await client.query(`CREATE DATABASE ${name} TABLESPACE ${name}`);
      });
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      store = await openPostgresStore(url.toString());
      const repo = await store.upsertRepository("/src/full", "full");
      let caught: unknown;
      for (let batch = 0; batch < 60 && caught === undefined; batch++) {
        const entries = Array.from({ length: 4 }, (_, index) => {
          const sha = makeSha(batch * 10 + index);
          // Random text, 1 MB a patch: TOAST cannot compress it.
          const patch = randomBytes(768 * 1024).toString("base64");
          return { commit: makeCommit({ sha, files: [makeFile({ patch })] }), facts: makeFacts(sha) };
        });
        await store.saveCommits(repo.id, entries).catch((error: unknown) => {
          caught = error;
        });
      }
      expect(caught).toBeInstanceOf(EnvironmentError);
      const error = caught as EnvironmentError;
      expect(isKnownError(error)).toBe(true);
      expect(error.message).toMatch(/^writing to the store: the database server's disk is full at the PostgreSQL store 127\.0\.0\.1:\d+\/rd_full_\d+: could not extend file/);
      expect(error.message).not.toContain("\n");
      expect(error.hint).toBe("free space on the database server");
    } finally {
      await store?.close();
      await withClient(adminUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.query(`DROP TABLESPACE IF EXISTS ${name}`);
      });
      tmpfs.unmount();
    }
  }, 120_000);
});
