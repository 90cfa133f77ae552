/**
 * How SQLite runs a text search with filters: the FTS5 MATCH once, as the outer loop, never
 * once per entry a filter leaves (which cost 5 s on 10,000 entries, bench/serve.bench.ts's
 * `?q=health check&since=…`). Checked on the query plan, not on time: the statements the
 * store prepares are recorded and explained.
 */
import type Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "./open-store.js";
import { createSqliteStore } from "./sqlite-store.js";
import type { SearchEntry, SearchQuery, SyncStore } from "./types.js";
import { makeSearchEntry } from "../../test/support/store/fixtures.js";

function makeEntry(n: number): SearchEntry {
  return makeSearchEntry(n, {
    committedAt: new Date(Date.parse("2026-01-01T00:00:00Z") + n * 3_600_000).toISOString(),
    author: `Developer ${n % 5}`,
    title: n % 3 === 0 ? `fix: the health check of the scheduler ${n}` : `docs: housekeeping ${n}`,
    importance: n % 2 === 0 ? "medium" : "low",
    changeType: "bugfix",
    paths: [`src/file_${n % 7}.ts`],
    modules: ["src"],
    envVars: n % 10 === 0 ? ["PLANTED_ENV"] : [],
  });
}

const opened: Database.Database[] = [];
afterEach(() => opened.splice(0).forEach((db) => db.close()));

/** A store whose statements' SQL and parameters are recorded as they run. */
async function recordingStore(): Promise<{ store: SyncStore; db: Database.Database; ran: Array<{ sql: string; params: unknown }>; preparedSql: string[] }> {
  const db = openDatabase(":memory:");
  opened.push(db);
  const ran: Array<{ sql: string; params: unknown }> = [];
  const preparedSql: string[] = [];
  const recording = new Proxy(db, {
    get(target, key) {
      if (key !== "prepare") {
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === "function" ? value.bind(target) : value;
      }
      return (sql: string) => {
        preparedSql.push(sql);
        const statement = target.prepare(sql);
        return new Proxy(statement, {
          get(inner, name) {
            const value: unknown = Reflect.get(inner, name, inner);
            if (name !== "all" || typeof value !== "function") return typeof value === "function" ? value.bind(inner) : value;
            return (params: unknown) => {
              ran.push({ sql, params });
              return value.call(inner, params);
            };
          },
        });
      };
    },
  });
  const store = createSqliteStore(recording);
  const { id } = store.upsertRepository("https://example.com/acme/widgets.git", "acme/widgets");
  store.indexCommits(id, Array.from({ length: 200 }, (_, n) => makeEntry(n)));
  return { store, db, ran, preparedSql };
}

function planOf(db: Database.Database, run: { sql: string; params: unknown }): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${run.sql}`).all(run.params as Record<string, unknown>) as Array<{ detail: string }>).map((row) => row.detail);
}

describe("a text search's query plan (SQLite)", () => {
  const queries: Array<[string, Partial<SearchQuery>]> = [
    ["a period", { since: "2026-01-05T00:00:00Z" }],
    ["a period and an importance", { since: "2026-01-03T00:00:00Z", until: "2026-01-08T00:00:00Z", minImportance: "medium" }],
    ["a repository, bots excluded", { repos: ["acme/widgets"], bots: false }],
    ["an environment variable", { envVar: "PLANTED_ENV" }],
    ["nothing else", {}],
  ];
  it.each(queries)("with %s runs the MATCH once, not once per entry", async (_, filters) => {
    const { store, db, ran } = await recordingStore();
    const result = store.searchCommits({ lang: "en", text: "health check", limit: 5, offset: 0, ...filters });
    expect(result.total).toBeGreaterThan(0);
    const search = ran.find((run) => run.sql.includes("MATCH"));
    expect(search).toBeDefined();
    const fts = planOf(db, search!).filter((line) => line.includes("search_text"));
    // `INDEX 0:M…` is a MATCH on its own; `0:=M…` a MATCH for one rowid, asked once per outer row.
    expect(fts).toEqual([expect.stringMatching(/^SCAN search_text VIRTUAL TABLE INDEX \d+:M/)]);
  });
});

describe("the statements a search prepares", () => {
  // A search thread that prepared a statement per page held each one's native memory until a
  // full collection: the serve bench's unique searches grew the server to 680 MiB in 3 minutes.
  it("are one per shape of filters, whatever the page and its size", async () => {
    const { store, preparedSql } = await recordingStore();
    const before = preparedSql.length;
    for (let page = 0; page < 30; page++) {
      const limit = 1 + (page % 7);
      for (const text of [undefined, "health check", "housekeeping"]) {
        const result = store.searchCommits({ lang: "en", ...(text === undefined ? {} : { text }), limit, offset: page * limit });
        expect(result.hits.length).toBeLessThanOrEqual(limit);
      }
    }
    // A browse and a text search: two statements, each prepared once.
    expect(preparedSql.length - before).toBe(2);
  });

  it("still cut the right page with its bounds bound", async () => {
    const { store } = await recordingStore();
    const all = store.searchCommits({ lang: "en", limit: 200, offset: 0 }).hits.map((hit) => hit.sha);
    const paged = [0, 1, 2, 3].flatMap((page) => store.searchCommits({ lang: "en", limit: 50, offset: page * 50 }).hits.map((hit) => hit.sha));
    expect(paged).toEqual(all);
    const ranked = store.searchCommits({ lang: "en", text: "health check", limit: 200, offset: 0 }).hits.map((hit) => hit.sha);
    expect(store.searchCommits({ lang: "en", text: "health check", limit: 10, offset: 20 }).hits.map((hit) => hit.sha)).toEqual(ranked.slice(20, 30));
  });
});
