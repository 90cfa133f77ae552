import { describe, expect, it } from "vitest";
import { makeRepo, makeReport, SAMPLE_GENERATED_AT, SAMPLE_PERIOD, type CommitSpec } from "../../test/support/report/fixtures.js";
import { buildReport } from "../report/build-report.js";
import { renderFormats } from "../report/registry.js";
import type { Report } from "../report/types.js";
import { describeFilter } from "./describe-filter.js";
import { filterReport } from "./filter-report.js";
import { subscriptionFilterSchema, type SubscriptionFilterInput } from "./subscription-config.js";

const at = (hour: number) => `2026-01-17T${String(hour).padStart(2, "0")}:00:00+08:00`;

const ENGINE: CommitSpec[] = [
  { sha: "e1", subject: "feat: new scheduler", date: at(9), importance: "high", score: 60, changeType: "feature", files: [{ path: "lib/runtime/sched.rs", additions: 90, deletions: 2 }] },
  { sha: "e2", subject: "fix: lease renewal", date: at(10), importance: "medium", changeType: "bugfix", files: [{ path: "lib/runtime/lease.rs", additions: 5, deletions: 1 }] },
  { sha: "e3", subject: "docs: typo", date: at(11), importance: "low", changeType: "docs", files: [{ path: "docs/index.md", additions: 1, deletions: 1, kind: "docs" }] },
];
const CLIENT: CommitSpec[] = [
  { sha: "c1", subject: "feat!: drop the v1 API", date: at(12), importance: "high", score: 70, changeType: "feature", files: [{ path: "src/api.ts", additions: 1, deletions: 40 }] },
];

function sample(lang: "en" | "zh-CN" = "en"): Report {
  return makeReport(
    [
      makeRepo("acme/engine", ENGINE, { overview: { themes: ["A scheduler, a lease fix and a typo"], readFirst: [{ sha: "e1".padEnd(40, "0"), shortSha: "e100000", why: "new" }, { sha: "e3".padEnd(40, "0"), shortSha: "e300000", why: "typo" }], model: "m" } }),
      makeRepo("acme/client", CLIENT),
    ],
    { lang, notices: ["A run notice"] },
  );
}

const subscription = (filter: SubscriptionFilterInput, name = "sub") => ({ name, filter: subscriptionFilterSchema.parse(filter) });

describe("filterReport", () => {
  it("keeps only the matching commits and counts everything again, as buildReport would", () => {
    const { report, left } = filterReport(sample(), subscription({ minImportance: "high" }, "team-lead"));
    expect(left).toBe(2);
    expect(report.repos.map((repo) => [repo.name, repo.commits.map((commit) => commit.title)])).toEqual([
      ["acme/engine", ["feat: new scheduler"]],
      ["acme/client", ["feat!: drop the v1 API"]],
    ]);
    expect(report.repos[0]!.counts).toEqual({ high: 1, medium: 0, low: 0, total: 1 });
    expect(report.overview).toEqual({
      repos: 2,
      commits: 2,
      counts: { high: 2, medium: 0, low: 0 },
      // By score, as the full report orders them.
      highlights: [
        expect.objectContaining({ repo: "acme/client", title: "feat!: drop the v1 API" }),
        expect.objectContaining({ repo: "acme/engine", title: "feat: new scheduler" }),
      ],
    });
    // The same numbers a report built from the kept commits alone has.
    const rebuilt = makeReport([makeRepo("acme/engine", [ENGINE[0]!]), makeRepo("acme/client", CLIENT)], { lang: "en" });
    expect(report.overview).toEqual(rebuilt.overview);
    expect(report.repos.map((repo) => repo.counts)).toEqual(rebuilt.repos.map((repo) => repo.counts));
  });

  it("says how many commits its filter left out, in the report's language, after the run's notices", () => {
    expect(filterReport(sample("en"), subscription({ minImportance: "high" }, "team-lead")).report.notices).toEqual([
      "A run notice",
      "2 commit(s) left out by this subscription's filter (team-lead).",
    ]);
    expect(filterReport(sample("zh-CN"), subscription({ minImportance: "high" }, "team-lead")).report.notices).toEqual([
      "A run notice",
      "此订阅的筛选条件（team-lead）筛掉了 2 个提交。",
    ]);
  });

  it("nothing left out: the report as it was, no notice", () => {
    const full = sample();
    const { report, left } = filterReport(full, subscription({}));
    expect(left).toBe(0);
    expect(report).toEqual(full);
  });

  it("nothing matched: every section says it has no commits, and the notice says so with the count", () => {
    const { report, left } = filterReport(sample(), subscription({ keywords: ["no such word"] }, "quiet"));
    expect(left).toBe(4);
    expect(report.overview.commits).toBe(0);
    expect(report.repos.map((repo) => repo.counts.total)).toEqual([0, 0]);
    expect(report.notices.at(-1)).toBe("No commit matched this subscription's filter (quiet); 4 commit(s) left out.");
    // Every renderer still renders it.
    const rendered = renderFormats(report, "2026-01-17--2-repos");
    expect(rendered.find((item) => item.format === "md")!.content).toContain("No commit matched this subscription's filter (quiet)");
  });

  it("drops the repositories outside `repos`, their commits counted as left out", () => {
    const { report, left } = filterReport(sample(), subscription({ repos: ["acme/client"] }));
    expect(report.repos.map((repo) => repo.name)).toEqual(["acme/client"]);
    expect(report.overview.repos).toBe(1);
    expect(left).toBe(3);
  });

  it("an overview's themes go when commits were left out; what to read first keeps the commits that stay", () => {
    const kept = filterReport(sample(), subscription({ paths: ["lib/**"] })).report.repos[0]!;
    expect(kept.overview).toEqual({ themes: [], readFirst: [expect.objectContaining({ shortSha: "e100000" })], model: "m" });
    const none = filterReport(sample(), subscription({ paths: ["lib/runtime/lease.rs"] })).report.repos[0]!;
    expect(none.overview).toBeUndefined();
  });

  it("a weekly digest's per-day counts are counted again", () => {
    const digest = buildReport({ lang: "en", period: SAMPLE_PERIOD, generatedAt: SAMPLE_GENERATED_AT, version: "0.1.0", repos: [makeRepo("acme/engine", ENGINE)], notices: [], digest: true });
    expect(digest.repos[0]!.days).toEqual([{ day: "2026-01-17", counts: { high: 1, medium: 1, low: 1, total: 3 } }]);
    const { report } = filterReport(digest, subscription({ minImportance: "medium" }));
    expect(report.repos[0]!.days).toEqual([{ day: "2026-01-17", counts: { high: 1, medium: 1, low: 0, total: 2 } }]);
    expect(report.kind).toBe("digest");
  });
});

describe("describeFilter", () => {
  it("says each condition in words, in the order they apply", () => {
    expect(describeFilter(subscriptionFilterSchema.parse({}))).toBe("every commit; bots left out");
    expect(describeFilter(subscriptionFilterSchema.parse({ minImportance: "high" }))).toBe("high importance only; bots left out");
    expect(
      describeFilter(
        subscriptionFilterSchema.parse({ repos: ["acme/*"], paths: ["lib/runtime/**"], excludePaths: ["**/*.md"], types: ["bugfix"], labels: ["kv"], keywords: ["lease"], authors: ["*@acme.dev"], breaking: true, dependencies: true, bots: true }),
      ),
    ).toBe('repositories acme/*; changing lib/runtime/**; changes only to **/*.md left out; types bugfix; PR labels kv; mentioning "lease"; by *@acme.dev; only breaking changes or dependency changes; bots included');
  });
});
