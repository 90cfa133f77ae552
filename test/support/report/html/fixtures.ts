/**
 * Reports for the HTML tests: the sample day with an LLM overview and GitHub activity
 * added, and a report whose every outside text tries to become markup.
 */
import type { Lang } from "../../../../src/i18n/lang.js";
import { makeAnalysedCommit, makeRepo, makeReport, sampleReport, type CommitSpec } from "../fixtures.js";
import type { RepoActivity, RepoOverview, Report } from "../../../../src/report/types.js";

export const HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1">';
export const HOSTILE_BODY = "<script>window.__pwned=1</script>";

export function sampleActivity(): RepoActivity {
  const item = (number: number, title: string, at: string, labels: string[] = [], author = "octocat") => ({
    number,
    title,
    url: `https://github.com/ai-dynamo/dynamo/pull/${number}`,
    author,
    labels,
    at,
  });
  return {
    releases: [
      {
        tag: "v0.8.1",
        name: "Dynamo 0.8.1",
        url: "https://github.com/ai-dynamo/dynamo/releases/tag/v0.8.1",
        publishedAt: "2026-01-17T02:00:00Z",
        prerelease: false,
        highlights: ["KV-aware routing for SGLang", "Span event logging behind DYN_LOGGING_SPAN_EVENTS"],
      },
      {
        tag: "v0.9.0-rc1",
        name: "",
        url: "https://github.com/ai-dynamo/dynamo/releases/tag/v0.9.0-rc1",
        publishedAt: "2026-01-17T08:00:00Z",
        prerelease: true,
        highlights: [],
      },
    ],
    tags: [{ name: "nightly-2026-01-17", url: "https://github.com/ai-dynamo/dynamo/tree/nightly-2026-01-17" }, { name: "local-only" }],
    pullRequests: {
      opened: [item(5501, "feat: planner metrics endpoint", "2026-01-17T03:10:00Z", ["enhancement"])],
      merged: [item(5400, "feat: add span event logging and fix trace context extraction", "2026-01-16T21:51:00Z", ["observability"])],
      closed: [item(5470, "wip: try a new scheduler", "2026-01-17T05:00:00Z")],
    },
    issues: {
      opened: [{ ...item(5502, "Router drops requests under load", "2026-01-17T04:00:00Z", ["bug", "router"]), url: "https://github.com/ai-dynamo/dynamo/issues/5502" }],
      closed: [{ ...item(5300, "Docs: span events", "2026-01-17T06:00:00Z"), url: "https://github.com/ai-dynamo/dynamo/issues/5300" }],
    },
    discussed: [
      { ...item(5321, "RFC: multi-tenant KV cache", "2026-01-12T01:00:00Z", ["rfc"]), url: "https://github.com/ai-dynamo/dynamo/issues/5321", kind: "issue", newComments: 14 },
    ],
    omitted: 7,
  };
}

/** The overview of the sample's first repository: its two high commits to read first. */
export function sampleOverview(report: Report): RepoOverview {
  const commits = report.repos[0]?.commits ?? [];
  const high = commits.filter((commit) => commit.importance === "high");
  return {
    themes: report.lang === "en" ? ["Observability: span events and `trace_id` in logs"] : ["可观测性：span 事件与日志中的 `trace_id`"],
    readFirst: high.map((commit) => ({ sha: commit.sha, shortSha: commit.shortSha, why: report.lang === "en" ? "Adds a new switch." : "新增开关。" })),
    model: "example-model",
  };
}

/** The sample day with an overview and activity on its first repository. */
export function richSampleReport(lang: Lang): Report {
  const report = sampleReport(lang);
  const [first, ...rest] = report.repos;
  if (!first) return report;
  return { ...report, repos: [{ ...first, overview: sampleOverview(report), activity: sampleActivity() }, ...rest] };
}

const hostileSpec = (lang: Lang): CommitSpec => ({
  sha: "bad0bad0bad0",
  subject: HOSTILE_TITLE,
  body: `${HOSTILE_BODY}\n<img src=x onerror=alert(1)>`,
  author: "<b onmouseover=alert(1)>Mallory</b>",
  date: "2026-01-17T09:00:00+08:00",
  importance: "high",
  score: 9,
  prNumber: 666,
  lang,
  files: [{ path: "src/<script>alert(1)</script>.ts", additions: 1, deletions: 0, patchTruncated: true }],
  reasons: [{ code: "x", weight: 3, text: "<script>alert(1)</script> `<img src=x onerror=alert(1)>`" }],
  narrative: {
    summary: "<script>alert(1)</script> and `<img src=x onerror=alert(1)>`",
    impact: ["<img src=x onerror=alert(1)>"],
    insights: [{ dimension: "security", points: ['"><svg onload=alert(1)>'] }],
    risks: ["' onmouseover='alert(1)"],
    recommendations: [{ audience: "users", text: "<iframe src=javascript:alert(1)>" }],
  },
  notes: ["<style>body{display:none}</style>"],
  links: { commit: "javascript:alert(1)", pullRequest: 'https://example.com/pull/666" onclick="alert(1)' },
});

/** Plain commits, enough of them that the page scrolls. */
function fillerSpecs(lang: Lang, count: number): CommitSpec[] {
  return Array.from({ length: count }, (_, index) => ({
    sha: `c0ffe${String(index).padStart(2, "0")}`,
    subject: `refactor: tidy module ${index} of the scheduler/with/a/very/long/path/that/must/wrap/on/a/phone/screen_${index}.rs`,
    date: `2026-01-17T0${index % 9}:30:00+08:00`,
    importance: index % 2 === 0 ? "medium" : "low",
    score: index % 2 === 0 ? 4 : 1,
    lang,
    narrative: {
      summary: `Moves \`scheduler::queue_${index}\` into \`lib/runtime/src/scheduler/very_long_directory_name_without_breaks_${index}/queue.rs\`.`,
      impact: [`\`lib/runtime/src/scheduler/very_long_directory_name_without_breaks_${index}/queue.rs\``],
    },
    links: { commit: `https://github.com/evil/repo/commit/c0ffee${index}` },
  }));
}

/** A report whose commit, repository and notices all try to run script or break out of their markup. */
export function hostileReport(lang: Lang = "en"): Report {
  const hostile = { ...makeAnalysedCommit(hostileSpec(lang)) };
  hostile.pullRequest = {
    number: 666,
    title: "</a><script>window.__pwned=1</script>",
    url: "data:text/html,<script>alert(1)</script>",
    author: "<i>eve</i>",
    labels: ["<b>label</b>"],
    reviewers: ["<u>rev</u>"],
    linkedIssues: [7],
  };
  const repo = makeRepo('evil/<script>repo</script>"', fillerSpecs(lang, 10), {
    webUrl: "javascript:alert(1)",
    notices: ["<img src=x onerror=alert(1)>"],
  });
  return makeReport([{ ...repo, commits: [hostile, ...repo.commits] }], { lang, notices: [`${HOSTILE_BODY} & more`] });
}
