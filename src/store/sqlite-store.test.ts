/**
 * What only the SQLite store does. Every store's behaviour, this one's included, is tested
 * once for both databases in test/store-contract.test.ts.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "./open-store.js";
import type { SearchEntry } from "./types.js";
import { makeSearchEntry, makeTempDir } from "../../test/support/store/fixtures.js";

let dir: string;
let file: string;

beforeEach(() => {
  dir = makeTempDir();
  file = path.join(dir, "repo-digest.sqlite");
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("runs", () => {
  it("never writes parameters whose names look like secrets to the file or its WAL", async () => {
    const store = openStore(file);
    await store.startRun(
      "run",
      {
        lang: "zh-CN",
        token: "ghp_secret1",
        llm: { model: "m", apiKey: "sk-secret2", headers: [{ Authorization: "x", CLIENT_SECRET: "secret3" }] },
        dbPassword: "secret4",
      },
      new Date("2026-01-18T08:00:00Z"),
    );
    // Read before closing, too: a checkpoint at close moves the WAL's pages into the file.
    const whileOpen = fs.readFileSync(file, "latin1") + readIfExists(`${file}-wal`);
    await store.close();
    const afterClose = fs.readFileSync(file, "latin1") + readIfExists(`${file}-wal`);
    expect(whileOpen).toContain("zh-CN");
    expect(whileOpen + afterClose).not.toMatch(/ghp_secret1|sk-secret2|secret3|secret4/);
  });
});

describe("the full-text index", () => {
  const entry = (n: number, title: string, withPr: boolean): SearchEntry =>
    makeSearchEntry(n, {
      committedAt: "2026-01-17T00:00:00Z",
      author: "Ada",
      title,
      body: `body of ${n}`,
      lang: "zh-CN",
      analysisText: "",
      paths: [],
      modules: [],
      ...(withPr ? { prTitle: `PR ${n}`, prBody: "描述" } : {}),
    });

  it("stays in step with the entries it indexes through inserts and replacements", async () => {
    const store = openStore(file);
    const repo = await store.upsertRepository("/src/app", "app");
    await store.indexCommits(repo.id, Array.from({ length: 50 }, (_, n) => entry(n, `修复调度器 ${n}`, n % 2 === 0)));
    // Half of them again, with new text and without the PR's (NULLs where there was text).
    await store.indexCommits(repo.id, Array.from({ length: 25 }, (_, n) => entry(n * 2, `重构度量 ${n}`, false)));
    await store.close();

    const db = new Database(file);
    // rank 1: compares the index with the content table too (https://sqlite.org/fts5.html#the_integrity_check_command).
    expect(() => db.prepare("INSERT INTO search_text (search_text, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
    expect(db.prepare("SELECT count(*) AS n FROM search_text WHERE search_text MATCH '\"调度器\"'").get()).toEqual({ n: 25 });
    db.close();
  });
});

function readIfExists(target: string): string {
  return fs.existsSync(target) ? fs.readFileSync(target, "latin1") : "";
}
