import { describe, expect, it } from "vitest";
import { LANGUAGES } from "../../i18n/lang.js";
import { makeRepo, makeReport, sampleReport } from "../../../test/support/report/fixtures.js";
import type { Report } from "../types.js";
import { renderer } from "./renderer.js";
import { renderHtml } from "./render-html.js";
import { HOSTILE_TITLE, hostileReport, richSampleReport, sampleActivity } from "../../../test/support/report/html/fixtures.js";

const VOID_ELEMENTS = new Set(["meta", "br", "hr", "img", "link", "input", "wbr"]);

/** The document without its stylesheet, whose selectors hold `>`. */
function markupOf(html: string): string {
  return html.replace(/<style>[\s\S]*?<\/style>/, "<style></style>");
}

/** Every start and end tag, in order, as the parser would see them. */
function tagsOf(html: string): Array<{ name: string; closing: boolean; source: string }> {
  return Array.from(markupOf(html).matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g), (match) => ({
    name: match[2]!.toLowerCase(),
    closing: match[1] === "/",
    source: match[0],
  }));
}

function expectBalanced(html: string): void {
  const open: string[] = [];
  for (const tag of tagsOf(html)) {
    if (VOID_ELEMENTS.has(tag.name)) continue;
    if (!tag.closing) open.push(tag.name);
    else expect(open.pop(), `closing ${tag.source}`).toBe(tag.name);
  }
  expect(open).toEqual([]);
}

function attributeValues(html: string, attribute: string): string[] {
  return Array.from(markupOf(html).matchAll(new RegExp(`\\s${attribute}="([^"]*)"`, "g")), (match) => match[1]!);
}

const decode = (text: string): string =>
  text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The element that starts at the first match of `openTag`, through its matching end tag. */
function elementAt(html: string, openTag: RegExp): string {
  const start = html.search(openTag);
  expect(start, String(openTag)).toBeGreaterThanOrEqual(0);
  const name = /^<([a-z]+)/.exec(html.slice(start))![1]!;
  let depth = 0;
  for (const match of html.slice(start).matchAll(new RegExp(`<(/?)${name}\\b[^>]*>`, "g"))) {
    depth += match[1] === "/" ? -1 : 1;
    if (depth === 0) return html.slice(start, start + match.index + match[0].length);
  }
  throw new Error(`unclosed <${name}>`);
}

/** Every address the model holds: the only ones the page may link to. */
function modelUrls(report: Report): Set<string> {
  const urls = new Set<string>();
  for (const repo of report.repos) {
    if (repo.webUrl) urls.add(repo.webUrl);
    for (const commit of repo.commits) {
      if (commit.links.commit) urls.add(commit.links.commit);
      if (commit.links.pullRequest) urls.add(commit.links.pullRequest);
      if (commit.pullRequest) urls.add(commit.pullRequest.url);
    }
    const activity = repo.activity;
    if (activity) {
      for (const release of activity.releases) urls.add(release.url);
      for (const tag of activity.tags) if (tag.url) urls.add(tag.url);
      const items = [...Object.values(activity.pullRequests).flat(), ...Object.values(activity.issues).flat(), ...activity.discussed];
      for (const item of items) urls.add(item.url);
    }
  }
  return urls;
}

describe("renderHtml: document", () => {
  it("is the html renderer", () => {
    expect(renderer.id).toBe("html");
    expect(renderer.extension).toBe("html");
    expect(renderer.render(sampleReport("en"))).toBe(renderHtml(sampleReport("en")));
  });

  it.each(LANGUAGES)("is one balanced document with a viewport, both colour schemes and the report's language (%s)", (lang) => {
    const html = renderHtml(richSampleReport(lang));
    expect(html.startsWith("<!DOCTYPE html>\n")).toBe(true);
    expect(html).toContain(`<html lang="${lang}">`);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toMatch(/@media \(prefers-color-scheme: dark\)/);
    expectBalanced(html);
  });

  it("writes the title and the fixed words in the report's language", () => {
    const zh = renderHtml(sampleReport("zh-CN"));
    expect(zh).toContain("<title>每日更新报告（2026-01-17）</title>");
    expect(zh).toContain("📋 目录");
    expect(zh).toContain("🎯 变更类型</dt><dd>功能增强");
    expect(zh).toContain("由 repo-digest 0.1.0 生成于 2026-01-18 07:30:00（Asia/Shanghai）");
    const en = renderHtml(sampleReport("en"));
    expect(en).toContain("<title>Daily update report (2026-01-17)</title>");
    expect(en).toContain("📋 Contents");
    expect(en).toContain("🎯 Change type</dt><dd>Feature");
    expect(en).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it("makes no request: no script, no stylesheet link, no image, no url() and a policy that forbids them", () => {
    for (const lang of LANGUAGES) {
      const html = renderHtml(richSampleReport(lang));
      expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|@import|url\(/i);
      expect(attributeValues(html, "src")).toEqual([]);
      expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"`);
    }
  });

  it("links outside the page only to the report's own commit, pull request, repository and activity addresses", () => {
    for (const report of [richSampleReport("en"), richSampleReport("zh-CN"), hostileReport()]) {
      const allowed = modelUrls(report);
      const external = attributeValues(renderHtml(report), "href").filter((href) => !href.startsWith("#"));
      expect(external.length).toBeGreaterThan(0);
      for (const href of external) {
        expect(href).toMatch(/^https?:\/\//);
        // The hostile PR address arrives percent-encoded, which is how the browser reads it anyway.
        expect(allowed.has(decode(href)) || [...allowed].some((url) => new URL(url).href === decode(href)), href).toBe(true);
      }
    }
  });
});

describe("renderHtml: navigation", () => {
  it.each(LANGUAGES)("gives every commit an anchored entry, a table-of-contents link and a table row (%s)", (lang) => {
    const report = sampleReport(lang);
    const html = renderHtml(report);
    const toc = elementAt(html, /<nav class="toc"/);
    const table = elementAt(html, /<table class="commit-table">/);
    const commits = report.repos.flatMap((repo) => repo.commits);
    expect(commits).toHaveLength(6);
    for (const commit of commits) {
      const id = `c-${commit.shortSha}`;
      const entry = elementAt(html, new RegExp(`<article class="commit imp-${commit.importance}" id="${id}">`));
      expect(entry).toContain(`<h4 class="commit-title">${commit.title}</h4>`);
      expect(toc).toContain(`href="#${id}"`);
      expect(table).toContain(`href="#${id}"`);
    }
  });

  it("resolves every link within the page to exactly one element", () => {
    for (const report of [richSampleReport("en"), richSampleReport("zh-CN"), hostileReport()]) {
      const html = renderHtml(report);
      const ids = attributeValues(html, "id");
      expect(new Set(ids).size).toBe(ids.length);
      const targets = attributeValues(html, "href").filter((href) => href.startsWith("#"));
      expect(targets.length).toBeGreaterThan(10);
      for (const target of targets) expect(ids, target).toContain(target.slice(1));
    }
  });

  it("groups commits by importance, high first, each group and commit collapsible", () => {
    const html = renderHtml(sampleReport("en"));
    const order = Array.from(html.matchAll(/<section id="r-ai-dynamo-dynamo-(high|medium|low)">/g), (match) => match[1]);
    expect(order).toEqual(["high", "medium", "low"]);
    const high = elementAt(html, /<section id="r-ai-dynamo-dynamo-high">/);
    expect(high).toMatch(/^<section[^>]*>\n<details class="group" open>\n<summary><h3>🔴 High importance \(2\)<\/h3><\/summary>/);
    expect(high.match(/<article class="commit imp-high"[^>]*>\n<details open>/g)).toHaveLength(2);
  });

  it("links each commit and its pull request, and falls back to the pull request's own address", () => {
    const report = sampleReport("en");
    const html = renderHtml(report);
    for (const commit of report.repos[0]!.commits) {
      expect(html).toContain(`<a href="${commit.links.commit!}" rel="noopener noreferrer">View commit</a>`);
      if (commit.prNumber !== undefined) {
        expect(html).toContain(`<a href="${commit.links.pullRequest!}" rel="noopener noreferrer">PR #${commit.prNumber}</a>`);
      }
    }
    const withContext = makeReport([
      {
        ...makeRepo("acme/api", []),
        commits: [
          {
            ...makeRepo("acme/api", [{ sha: "abc1234", subject: "feat: x", date: "2026-01-17T03:00:00+08:00", lang: "en" }]).commits[0]!,
            pullRequest: {
              number: 42,
              title: "Add x",
              url: "https://github.com/acme/api/pull/42",
              author: "ada",
              labels: ["enhancement"],
              reviewers: ["grace"],
              linkedIssues: [7, 9],
              mergedAt: "2026-01-16T20:00:00Z",
            },
          },
        ],
      },
    ], { lang: "en" });
    const pr = elementAt(renderHtml(withContext), /<div class="pr">/);
    expect(pr).toContain('<a href="https://github.com/acme/api/pull/42" rel="noopener noreferrer">PR #42</a> Add x · @ada · merged 2026-01-17 04:00');
    expect(pr).toContain('Labels: <span class="chip">enhancement</span> · Reviewers: @grace · Linked issues: #7, #9');
    expect(renderHtml(withContext)).toContain('<span><a href="https://github.com/acme/api/pull/42" rel="noopener noreferrer">PR #42</a></span>');
  });

  it("shows importance as a coloured badge that also says it in words and an icon", () => {
    const html = renderHtml(sampleReport("zh-CN"));
    expect(html).toContain('<span class="badge imp-high">🔴 高</span>');
    expect(html).toContain('<span class="badge imp-low">🟢低 2</span>');
    expect(html).toMatch(/\.imp-high \{ --imp: var\(--high\)/);
  });
});

describe("renderHtml: escaping", () => {
  const html = renderHtml(hostileReport("en"));

  it("shows hostile commit, author, path, notice and analysis texts as text", () => {
    expect(html).not.toMatch(/<(script|img|svg|iframe|b|i|u)\b/i);
    expect(markupOf(html)).not.toMatch(/<style>[^<]/);
    expect(html).toContain('<h4 class="commit-title">&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;</h4>');
    expect(html).toContain("<pre>&lt;script&gt;window.__pwned=1&lt;/script&gt;\n&lt;img src=x onerror=alert(1)&gt;</pre>");
    expect(html).toContain("&lt;b onmouseover=alert(1)&gt;Mallory&lt;/b&gt;");
    expect(html).toContain("<code>src/&lt;script&gt;alert(1)&lt;/script&gt;.ts</code>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; and <code>&lt;img src=x onerror=alert(1)&gt;</code>");
    expect(html).toContain("&quot;&gt;&lt;svg onload=alert(1)&gt;");
    expect(html).toContain("&#39; onmouseover=&#39;alert(1)");
    expect(html).toContain("&lt;style&gt;body{display:none}&lt;/style&gt;");
    expect(html).toContain("&lt;script&gt;window.__pwned=1&lt;/script&gt; &amp; more");
    expect(html).toContain("<title>Daily update report (2026-01-17)</title>");
    expectBalanced(html);
  });

  it("never puts an attribute inside another: every tag holds only known attributes", () => {
    for (const tag of tagsOf(html)) {
      const rest = tag.source.replace(/^<\/?[a-zA-Z0-9]+/, "").replace(/>$/, "");
      expect(rest, tag.source).toMatch(/^(\s+[a-z-]+(="[^"]*")?)*$/);
      const attributes = Array.from(rest.matchAll(/\s+([a-z-]+)(?:="[^"]*")?/g), (match) => match[1]);
      for (const attribute of attributes) {
        expect(["class", "id", "href", "rel", "open", "lang", "name", "content", "charset", "http-equiv", "datetime", "role", "aria-label", "aria-hidden"], tag.source).toContain(attribute);
      }
    }
  });

  it("links nothing that is not http(s)", () => {
    expect(html).not.toMatch(/href="(?!#|https?:)/);
    expect(html).toContain(`<h2>evil/&lt;script&gt;repo&lt;/script&gt;&quot;</h2>`);
    expect(html).toContain('<a href="https://example.com/pull/666%22%20onclick=%22alert(1)" rel="noopener noreferrer">PR #666</a>');
    const entry = elementAt(html, /<article class="commit imp-high"/);
    expect(entry).toContain("<span>View commit</span>");
    expect(elementAt(entry, /<div class="pr">/)).toContain("<p>PR #666 &lt;/a&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt; · @&lt;i&gt;eve&lt;/i&gt;</p>");
  });

  it("shows the hostile title in the table of contents and the highlights as text", () => {
    const escaped = "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;";
    expect(elementAt(html, /<nav class="toc"/)).toContain(escaped);
    expect(elementAt(html, /<section class="overview">/)).toContain(escaped);
    expect(HOSTILE_TITLE).toContain("<img");
  });
});

describe("renderHtml: overview and activity", () => {
  it.each(LANGUAGES)("renders the LLM overview with its themes and commits to read first (%s)", (lang) => {
    const report = richSampleReport(lang);
    const overview = elementAt(renderHtml(report), /<details class="block" open>\n<summary><h3>🧭/);
    expect(overview).toContain(lang === "en" ? "<h4>Themes</h4>" : "<h4>主题</h4>");
    expect(overview).toContain("<code>trace_id</code>");
    expect(overview).toContain('<ol>\n<li><a href="#c-0693977"><code>0693977</code></a> feat: add span event logging');
    expect(overview).toContain('<li><a href="#c-f7ec105"><code>f7ec105</code></a>');
    expect(overview).toContain("example-model");
  });

  it("renders the activity after the commits: releases, tags, pull requests, issues, most discussed and what was left out", () => {
    const html = renderHtml(richSampleReport("en"));
    const activity = elementAt(html, /<section class="activity">/);
    expect(html.indexOf('<section class="activity">')).toBeGreaterThan(html.lastIndexOf('<article class="commit'));
    expect(activity).toContain("<h3>🗂️ Activity</h3>");
    expect(activity).toContain('<a href="https://github.com/ai-dynamo/dynamo/releases/tag/v0.8.1" rel="noopener noreferrer"><code>v0.8.1</code></a> Dynamo 0.8.1');
    expect(activity).toContain("<li>KV-aware routing for SGLang</li>");
    expect(activity).toContain('<code>v0.9.0-rc1</code></a> <span class="chip">pre-release</span> · <span class="muted">published 2026-01-17 16:00</span>');
    expect(activity).toContain('<a href="https://github.com/ai-dynamo/dynamo/tree/nightly-2026-01-17" rel="noopener noreferrer"><code>nightly-2026-01-17</code></a> <code>local-only</code>');
    expect(activity).toContain("<h5>Opened (1)</h5>");
    expect(activity).toContain("<h5>Merged (1)</h5>");
    expect(activity).toContain("<h5>Closed without merging (1)</h5>");
    expect(activity).toContain('#5502 Router drops requests under load</a> · @octocat · <span class="muted">2026-01-17 12:00</span> <span class="chip">bug</span> <span class="chip">router</span>');
    expect(activity).toContain('<span class="chip">Issue</span> <a href="https://github.com/ai-dynamo/dynamo/issues/5321" rel="noopener noreferrer">#5321 RFC: multi-tenant KV cache</a> · @octocat · <strong>14 new comments</strong>');
    expect(activity).toContain('<p class="muted">7 more not shown.</p>');
    expect(renderHtml(richSampleReport("zh-CN"))).toContain("另有 7 项未列出。");
  });

  it("leaves out the overview and activity when the model has none, and empty activity lists", () => {
    const html = renderHtml(sampleReport("en"));
    expect(html).not.toContain("🧭 At a glance");
    expect(html).not.toContain('class="activity"');
    const quiet = { ...sampleActivity(), releases: [], tags: [], discussed: [], omitted: 0, issues: { opened: [], closed: [] } };
    const report = makeReport([makeRepo("acme/api", [], { activity: { ...quiet, pullRequests: { ...quiet.pullRequests, opened: [], closed: [] } } })], { lang: "en" });
    const activity = elementAt(renderHtml(report), /<section class="activity">/);
    expect(activity).toContain("<h5>Merged (1)</h5>");
    expect(activity).not.toMatch(/Releases|Opened|Issues|Most discussed|not shown/);
    const empty = makeReport([makeRepo("acme/api", [], { activity: { ...quiet, pullRequests: { opened: [], merged: [], closed: [] } } })], { lang: "en" });
    expect(renderHtml(empty)).not.toContain('class="activity"');
  });
});

describe("renderHtml: what the page says", () => {
  it("states what was not seen and the analysis notes under the commit", () => {
    const html = renderHtml(sampleReport("en"));
    const entry = elementAt(html, /<article class="commit imp-low" id="c-4597fd9">/);
    expect(entry).toContain(
      "Not seen in full: 2 files ignored by config (<code>ATTRIBUTIONS-container-sglang-runtime.md</code>, <code>ATTRIBUTIONS-container-sglang-runtime.txt</code>)",
    );
    expect(elementAt(html, /<article class="commit imp-high" id="c-f7ec105">/)).toContain("The LLM analysis timed out; this entry comes from the rules.");
  });

  it("says which files the structural pass could not read", () => {
    const report = makeReport(
      [makeRepo("acme/api", [
          {
            sha: "fall001",
            subject: "change",
            date: "2026-01-17T03:00:00+08:00",
            importance: "medium",
            lang: "en",
            structureFallback: [{ file: "src/a<b>.ts", reason: "parse-failed" }],
          },
        ])],
      { lang: "en" },
    );
    expect(elementAt(renderHtml(report), /<article class="commit imp-medium" id="c-fall001">/)).toContain(
      "Not seen in full: 1 file not parsed, symbols from the patch text only (<code>src/a&lt;b&gt;.ts</code>)",
    );
  });

  it("shows the run's and each repository's notices as banners, and says when a repository has no commits", () => {
    const html = renderHtml(sampleReport("en"));
    expect(html).toContain('<p class="banner" role="note"><strong>⚠️ Notice</strong>: No LLM configured: the analysis comes from the built-in rules.</p>');
    const quiet = elementAt(html, /<section class="repo" id="r-acme-inference-tools">/);
    expect(quiet).toContain("Fetching the remote failed; this section uses the history already on disk.</p>");
    expect(quiet).toContain("<p>No new commits today.</p>");
    expect(quiet).not.toContain("<nav");
  });

  it("renders the weekly digest as per-day counts and the high-importance commits only", () => {
    const base = sampleReport("en");
    const days = [{ day: "2026-01-17", counts: { high: 2, medium: 2, low: 2, total: 6 } }];
    const digest: Report = { ...base, kind: "digest", period: { ...base.period, label: "2026-01-11..2026-01-17" }, repos: base.repos.map((repo) => ({ ...repo, days })) };
    const html = renderHtml(digest);
    expect(html).toContain("<h1 id=\"top\">Weekly digest (2026-01-11 to 2026-01-17)</h1>");
    expect(html).toContain("<h3>📅 Commits per day</h3>");
    expect(html).not.toContain('class="commit-table"');
    expect(html.match(/<article class="commit/g)).toHaveLength(2);
    expect(html).toContain("2 medium- and 2 low-importance commits of the week are not expanded here");
    expectBalanced(html);
  });
});
