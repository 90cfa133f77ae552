import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { buildReport } from "./build-report.js";
import { makeRepo, makeReport, SAMPLE_GENERATED_AT, SAMPLE_PERIOD } from "../../test/support/report/fixtures.js";

describe("buildReport", () => {
  const repo = makeRepo("acme/api", [
    { sha: "aaaaaaa1", subject: "old", date: "2026-01-17T01:00:00+08:00", importance: "low", score: 1 },
    { sha: "bbbbbbb2", subject: "newest", date: "2026-01-16T22:30:00Z", importance: "high", score: 8 },
    { sha: "ccccccc3", subject: "middle", date: "2026-01-17T05:00:00+08:00", importance: "high", score: 9 },
    { sha: "ddddddd4", subject: "medium", date: "2026-01-17T02:00:00+08:00", importance: "medium", prNumber: 42 },
  ]);

  it("orders commits newest first by committer date, across offsets", () => {
    const report = makeReport([repo]);
    expect(report.repos[0]?.commits.map((commit) => commit.title)).toEqual(["newest", "middle", "medium", "old"]);
  });

  it("writes commit times in the report's time zone with its offset", () => {
    const report = makeReport([repo], { period: { ...SAMPLE_PERIOD, timezone: "America/New_York" } });
    expect(report.repos[0]?.commits[0]?.committedAt).toBe("2026-01-16T17:30:00-05:00");
    const shanghai = makeReport([repo]);
    expect(shanghai.repos[0]?.commits[0]?.committedAt).toBe("2026-01-17T06:30:00+08:00");
  });

  it("counts by importance per repository and overall", () => {
    const other = makeRepo("acme/web", [{ sha: "eeeeeee5", subject: "x", date: "2026-01-17T03:00:00+08:00", importance: "low" }]);
    const report = makeReport([repo, other]);
    expect(report.repos[0]?.counts).toEqual({ high: 2, medium: 1, low: 1, total: 4 });
    expect(report.repos[1]?.counts).toEqual({ high: 0, medium: 0, low: 1, total: 1 });
    expect(report.overview).toMatchObject({ repos: 2, commits: 5, counts: { high: 2, medium: 1, low: 2 } });
  });

  it("lists the high-importance commits across repositories by score", () => {
    const other = makeRepo("acme/web", [
      { sha: "fffffff6", subject: "web high", date: "2026-01-17T03:00:00+08:00", importance: "high", score: 8.5 },
    ]);
    const report = makeReport([repo, other]);
    expect(report.overview.highlights).toEqual([
      { repo: "acme/api", sha: "ccccccc3".padEnd(40, "0"), shortSha: "ccccccc", title: "middle" },
      { repo: "acme/web", sha: "fffffff6".padEnd(40, "0"), shortSha: "fffffff", title: "web high" },
      { repo: "acme/api", sha: "bbbbbbb2".padEnd(40, "0"), shortSha: "bbbbbbb", title: "newest" },
    ]);
  });

  it("carries the commit's own numbers, PR number and links", () => {
    const withLinks = makeRepo("acme/api", [
      {
        sha: "1234567",
        subject: "feat: x (#42)",
        body: "Details.",
        date: "2026-01-17T02:00:00+08:00",
        prNumber: 42,
        files: [
          { path: "src/a.ts", additions: 10, deletions: 2 },
          { path: "README.md", additions: 3, deletions: 0, kind: "docs" },
          { path: "dist/bundle.js", additions: 900, deletions: 800, kind: "generated", ignored: true },
        ],
        links: { commit: "https://example.org/c/1", pullRequest: "https://example.org/p/42" },
      },
    ]);
    const commit = makeReport([withLinks]).repos[0]?.commits[0];
    expect(commit).toMatchObject({
      shortSha: "1234567",
      title: "feat: x (#42)",
      body: "Details.",
      prNumber: 42,
      links: { commit: "https://example.org/c/1", pullRequest: "https://example.org/p/42" },
      stats: { files: 3, additions: 913, deletions: 802, byKind: { source: 1, docs: 1, generated: 1 } },
    });
  });

  it("keeps a repository without commits, with zero counts", () => {
    const report = makeReport([makeRepo("acme/quiet", [], { notices: ["fetch failed"] })]);
    expect(report.repos[0]).toMatchObject({ commits: [], counts: { high: 0, medium: 0, low: 0, total: 0 }, notices: ["fetch failed"] });
    expect(report.overview).toMatchObject({ repos: 1, commits: 0, highlights: [] });
  });

  it("stamps the schema version, generator and generation time", () => {
    const report = makeReport([repo]);
    expect(report).toMatchObject({
      schemaVersion: 2,
      generatedAt: SAMPLE_GENERATED_AT.toISOString(),
      generator: { name: "repo-digest", version: "0.1.0" },
    });
  });

  it("rejects an unknown time zone", () => {
    expect(() =>
      buildReport({
        lang: "en",
        period: { ...SAMPLE_PERIOD, timezone: "Mars/Olympus" },
        generatedAt: SAMPLE_GENERATED_AT,
        version: "0.1.0",
        repos: [],
        notices: [],
      }),
    ).toThrow(ConfigError);
  });
});
