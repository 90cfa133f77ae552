import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InternalError } from "../errors.js";
import { currentProcessOwner } from "../process-owner.js";
import { FACTS_VERSION } from "./facts-version.js";
import { openStore } from "./open-store.js";
import { makeAnalysis, makeCommit, makeFacts, makeFile, makeSha, makeTempDir } from "../../test/support/store/fixtures.js";
import type { AnalysisKey, Store } from "./types.js";

let dir: string;
let file: string;
let store: Store;
let repoId: number;

beforeEach(() => {
  dir = makeTempDir();
  file = path.join(dir, "repo-digest.sqlite");
  store = openStore(file, { now: () => new Date("2026-01-18T00:00:00Z") });
  repoId = store.upsertRepository("/src/app", "acme/app").id;
});

afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("repositories", () => {
  it("returns the same row for the same location and follows a new name", () => {
    const renamed = store.upsertRepository("/src/app", "acme/app-renamed");
    expect(renamed).toEqual({ id: repoId, location: "/src/app", name: "acme/app-renamed" });
    expect(store.upsertRepository("https://example.com/other.git", "other").id).not.toBe(repoId);
  });
});

describe("commits", () => {
  it("round-trips a commit with a rename, a binary file and a non-ASCII path", () => {
    const commit = makeCommit({
      messageLossy: true,
      patchBytesOmitted: 2048,
      body: "正文：修复了重试。\n\nSigned-off-by: Ada <ada@example.com>",
      files: [
        makeFile({ path: "src/新模块/入口.ts", pathLossy: false }),
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
    store.saveCommit(repoId, commit, facts);

    const stored = store.getCommit(repoId, commit.sha);
    expect(stored).toStrictEqual({ commit, facts });
  });

  it("keeps optional fields absent when they were absent", () => {
    const commit = makeCommit();
    store.saveCommit(repoId, commit, makeFacts(commit.sha));
    const stored = store.getCommit(repoId, commit.sha)?.commit;
    expect(stored).toStrictEqual(commit);
    expect(stored !== undefined && "messageLossy" in stored).toBe(false);
    expect(stored?.files[0] !== undefined && "oldPath" in stored.files[0]).toBe(false);
  });

  it("round-trips an empty commit with no files and no parents", () => {
    const commit = makeCommit({ sha: makeSha(7), parents: [], files: [], body: "" });
    const facts = makeFacts(commit.sha, { files: [], modules: [], symbols: [] });
    store.saveCommit(repoId, commit, facts);
    expect(store.getCommit(repoId, commit.sha)).toStrictEqual({ commit, facts });
  });

  it("is idempotent: saving again replaces the files instead of adding to them", () => {
    const commit = makeCommit({ files: [makeFile({ path: "a.ts" }), makeFile({ path: "b.ts" })] });
    store.saveCommit(repoId, commit, makeFacts(commit.sha));
    const recapped = { ...commit, files: [makeFile({ path: "a.ts", patch: "", patchTruncated: true })] };
    store.saveCommit(repoId, recapped, makeFacts(commit.sha));
    store.saveCommit(repoId, recapped, makeFacts(commit.sha));
    expect(store.getCommit(repoId, commit.sha)?.commit).toStrictEqual(recapped);
  });

  it("keeps repositories apart", () => {
    const commit = makeCommit();
    store.saveCommit(repoId, commit, makeFacts(commit.sha));
    const otherId = store.upsertRepository("/src/other", "other").id;
    expect(store.getCommit(otherId, commit.sha)).toBeUndefined();
    expect(store.knownCommits(otherId, [commit.sha])).toEqual(new Set());
  });

  it("refuses facts of another commit", () => {
    expect(() => store.saveCommit(repoId, makeCommit(), makeFacts(makeSha(99)))).toThrow(InternalError);
  });

  it("returns undefined for a commit it does not hold", () => {
    expect(store.getCommit(repoId, makeSha(42))).toBeUndefined();
  });
});

describe("knownCommits", () => {
  it("finds which of 2,500 SHAs are stored", () => {
    const stored = Array.from({ length: 1300 }, (_, index) => makeSha(index * 2));
    for (const sha of stored) store.saveCommit(repoId, makeCommit({ sha, files: [] }), makeFacts(sha));
    const asked = Array.from({ length: 2500 }, (_, index) => makeSha(index));

    const known = store.knownCommits(repoId, asked);
    expect(known.size).toBe(1250);
    expect(known.has(makeSha(0))).toBe(true);
    expect(known.has(makeSha(2498))).toBe(true);
    expect(known.has(makeSha(1))).toBe(false);
  });

  it("answers an empty question with an empty set", () => {
    expect(store.knownCommits(repoId, [])).toEqual(new Set());
  });

  it("treats commits whose facts are of an older version as unknown until saved again", () => {
    const commit = makeCommit();
    store.saveCommit(repoId, commit, makeFacts(commit.sha));
    store.close();

    store = openStore(file, { factsVersion: FACTS_VERSION + 1 });
    expect(store.knownCommits(repoId, [commit.sha])).toEqual(new Set());
    expect(store.getCommit(repoId, commit.sha)).toBeUndefined();

    const newer = makeFacts(commit.sha, { modules: ["src", "test"] });
    store.saveCommit(repoId, commit, newer);
    expect(store.knownCommits(repoId, [commit.sha])).toEqual(new Set([commit.sha]));
    expect(store.getCommit(repoId, commit.sha)?.facts).toStrictEqual(newer);
  });
});

describe("analyses", () => {
  const sha = makeSha(1);
  const key: AnalysisKey = { sha, analyzer: { name: "rules", version: "1.0.0" }, lang: "en", optionsKey: "w1" };

  beforeEach(() => {
    store.saveCommit(repoId, makeCommit({ sha }), makeFacts(sha));
  });

  it("returns the analysis saved under the same key", () => {
    const analysis = makeAnalysis(sha);
    store.saveAnalysis(repoId, key, analysis);
    expect(store.getAnalysis(repoId, key)).toStrictEqual(analysis);
  });

  it("misses when any part of the key differs", () => {
    store.saveAnalysis(repoId, key, makeAnalysis(sha));
    expect(store.getAnalysis(repoId, { ...key, optionsKey: "w2" })).toBeUndefined();
    expect(store.getAnalysis(repoId, { ...key, lang: "zh-CN" })).toBeUndefined();
    expect(store.getAnalysis(repoId, { ...key, analyzer: { name: "rules", version: "1.0.1" } })).toBeUndefined();
    expect(store.getAnalysis(repoId, { ...key, analyzer: { name: "llm", version: "1.0.0" } })).toBeUndefined();
    expect(store.getAnalysis(repoId, { ...key, sha: makeSha(2) })).toBeUndefined();
    const otherRepo = store.upsertRepository("/src/other", "other").id;
    expect(store.getAnalysis(otherRepo, key)).toBeUndefined();
  });

  it("keeps one analysis per key, the latest", () => {
    store.saveAnalysis(repoId, key, makeAnalysis(sha, { importance: "low" }));
    store.saveAnalysis(repoId, key, makeAnalysis(sha, { importance: "high" }));
    expect(store.getAnalysis(repoId, key)?.importance).toBe("high");
  });

  it("keeps analyses when the commit is saved again with the same facts, drops them when the facts change", () => {
    store.saveAnalysis(repoId, key, makeAnalysis(sha));
    store.saveCommit(repoId, makeCommit({ sha }), makeFacts(sha));
    expect(store.getAnalysis(repoId, key)).toBeDefined();

    store.saveCommit(repoId, makeCommit({ sha }), makeFacts(sha, { modules: ["changed"] }));
    expect(store.getAnalysis(repoId, key)).toBeUndefined();
  });

  it("refuses an analysis of a commit it does not hold", () => {
    const missing = makeSha(404);
    expect(() => store.saveAnalysis(repoId, { ...key, sha: missing }, makeAnalysis(missing))).toThrow(InternalError);
  });

  it("refuses an analysis filed under another key", () => {
    expect(() => store.saveAnalysis(repoId, { ...key, lang: "zh-CN" }, makeAnalysis(sha))).toThrow(InternalError);
  });
});

describe("runs", () => {
  it("records a run from start to a successful finish", () => {
    const id = store.startRun("run", { since: "2026-01-17", repos: ["acme/app"] }, new Date("2026-01-18T08:00:00Z"));
    expect(store.getRun(id)).toStrictEqual({
      id,
      startedAt: "2026-01-18T08:00:00.000Z",
      status: "running",
      command: "run",
      params: { since: "2026-01-17", repos: ["acme/app"] },
      owner: currentProcessOwner(),
    });
    store.finishRun(id, "succeeded", new Date("2026-01-18T08:01:00Z"));
    expect(store.getRun(id)).toMatchObject({ status: "succeeded", finishedAt: "2026-01-18T08:01:00.000Z" });
    expect(store.getRun(id)).not.toHaveProperty("error");
  });

  it("records a failed run with its error", () => {
    const id = store.startRun("run", {}, new Date("2026-01-18T08:00:00Z"));
    store.finishRun(id, "failed", new Date("2026-01-18T08:00:05Z"), "git: fetch failed");
    expect(store.getRun(id)).toMatchObject({ status: "failed", error: "git: fetch failed" });
  });

  it("never stores parameters whose names look like secrets", () => {
    const id = store.startRun(
      "run",
      {
        lang: "zh-CN",
        token: "ghp_secret1",
        llm: { model: "m", apiKey: "sk-secret2", headers: [{ Authorization: "x", CLIENT_SECRET: "secret3" }] },
        dbPassword: "secret4",
      },
      new Date("2026-01-18T08:00:00Z"),
    );
    expect(store.getRun(id)?.params).toStrictEqual({ lang: "zh-CN", llm: { model: "m", headers: [{ Authorization: "x" }] } });
    store.close();
    const bytes = fs.readFileSync(file, "latin1") + readIfExists(`${file}-wal`);
    expect(bytes).not.toMatch(/ghp_secret1|sk-secret2|secret3|secret4/);
    store = openStore(file);
  });

  it("returns undefined for an unknown run and refuses to finish one", () => {
    expect(store.getRun(123)).toBeUndefined();
    expect(() => store.finishRun(123, "failed", new Date())).toThrow(InternalError);
  });
});

describe("reports", () => {
  it("lists recorded reports, all or of one run", () => {
    const first = store.startRun("run", {}, new Date("2026-01-18T08:00:00Z"));
    const second = store.startRun("report", {}, new Date("2026-01-19T08:00:00Z"));
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
    store.recordReport(markdown);
    store.recordReport(json);
    store.recordReport(later);

    expect(store.listReports()).toStrictEqual([markdown, json, later]);
    expect(store.listReports(first)).toStrictEqual([markdown, json]);
    expect(store.listReports(999)).toStrictEqual([]);
  });
});

describe("cache", () => {
  it("keeps an answer per namespace and key, with its ETag, across connections, and replaces it", () => {
    store.putCached("overview", "k1", { themes: ["a"] });
    store.putCached("http", "k1", { items: [1] }, 'W/"abc"');
    expect(store.getCached("overview", "k1")).toStrictEqual({ value: { themes: ["a"] } });
    expect(store.getCached("http", "k1")).toStrictEqual({ value: { items: [1] }, etag: 'W/"abc"' });
    expect(store.getCached("overview", "k2")).toBeUndefined();
    store.putCached("overview", "k1", { themes: ["b"] });
    store.close();
    store = openStore(file);
    expect(store.getCached("overview", "k1")).toStrictEqual({ value: { themes: ["b"] } });
  });

  it("never keeps properties whose names look like secrets", () => {
    store.putCached("github-pr", "1", { title: "Fix", token: "ghp_x", nested: { apiKey: "k", body: "b" } });
    expect(store.getCached("github-pr", "1")!.value).toStrictEqual({ title: "Fix", nested: { body: "b" } });
  });
});

describe("deliveries", () => {
  it("records each channel's outcome and lists the failed ones until a retry succeeds", () => {
    const runId = store.startRun("report", {}, new Date("2026-01-18T08:00:00Z"));
    const base = { runId, periodLabel: "2026-01-17", reportJson: '{"repos":[]}', reportName: "2026-01-17--acme-app", updatedAt: "2026-01-18T08:00:05.000Z" };
    store.recordDelivery({ ...base, channel: "slack", status: "sent", attempts: 1, target: "slack:hooks.slack.com" });
    const failed = store.recordDelivery({ ...base, channel: "email", status: "failed", attempts: 3, error: "smtp: 421 try later" });
    expect(store.listFailedDeliveries().map((d) => [d.channel, d.attempts, d.error])).toEqual([["email", 3, "smtp: 421 try later"]]);
    expect(store.listFailedDeliveries()[0]!.reportJson).toBe('{"repos":[]}');

    store.updateDelivery(failed, { status: "sent", attempts: 4, target: "smtp://127.0.0.1:2525", updatedAt: "2026-01-18T09:00:00.000Z" });
    expect(store.listFailedDeliveries()).toEqual([]);
    const all = store.listDeliveries(runId);
    expect(all.map((d) => [d.channel, d.status, d.attempts])).toEqual([["slack", "sent", 1], ["email", "sent", 4]]);
    expect(all[1]!.error).toBeUndefined();
  });
});

describe("the daemon's days", () => {
  it("remembers finished days across connections, once each", () => {
    expect(store.lastCompletedDay()).toBeUndefined();
    store.markDayCompleted("2026-01-16", new Date("2026-01-17T00:00:00Z"));
    store.markDayCompleted("2026-01-17", new Date("2026-01-18T00:00:00Z"));
    store.markDayCompleted("2026-01-17", new Date("2026-01-18T01:00:00Z"));
    store.close();
    store = openStore(file);
    expect(store.lastCompletedDay()).toBe("2026-01-17");
    expect(store.isDayCompleted("2026-01-16")).toBe(true);
    expect(store.isDayCompleted("2026-01-15")).toBe(false);
  });
});

describe("two connections to one file", () => {
  it("each sees what the other committed", () => {
    const other = openStore(file);
    try {
      const commit = makeCommit();
      store.saveCommit(repoId, commit, makeFacts(commit.sha));
      expect(other.knownCommits(repoId, [commit.sha])).toEqual(new Set([commit.sha]));
      expect(other.getCommit(repoId, commit.sha)?.commit).toStrictEqual(commit);

      const runId = other.startRun("run", {}, new Date("2026-01-18T08:00:00Z"));
      other.finishRun(runId, "succeeded", new Date("2026-01-18T08:00:01Z"));
      expect(store.getRun(runId)?.status).toBe("succeeded");
    } finally {
      other.close();
    }
  });
});

function readIfExists(target: string): string {
  return fs.existsSync(target) ? fs.readFileSync(target, "latin1") : "";
}
