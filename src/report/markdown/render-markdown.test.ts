import { describe, expect, it } from "vitest";
import type { Importance } from "../../analysis/types.js";
import { makeRepo, makeReport, SAMPLE_PERIOD, sampleReport, type CommitSpec } from "../../../test/support/report/fixtures.js";
import type { Report } from "../types.js";
import { renderMarkdown } from "./render-markdown.js";

/** Every `](#id)` link target, in order. */
function linkTargets(markdown: string): string[] {
  return Array.from(markdown.matchAll(/\]\(#([^)\s]+)\)/g), (match) => match[1]!);
}

/** Every element id, in order. */
function elementIds(markdown: string): string[] {
  return Array.from(markdown.matchAll(/\bid="([^"]+)"/g), (match) => match[1]!);
}

function expectLinksResolve(markdown: string): void {
  const ids = elementIds(markdown);
  const targets = linkTargets(markdown);
  expect(targets.length).toBeGreaterThan(0);
  for (const target of targets) {
    expect(ids.filter((id) => id === target), `anchor #${target}`).toHaveLength(1);
  }
  expect(new Set(ids).size).toBe(ids.length);
}

/** The lines of the section that starts with `heading` and ends at the next heading of the same or higher level. */
function section(markdown: string, heading: string): string[] {
  const lines = markdown.split("\n");
  const start = lines.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const level = heading.match(/^#+/)![0].length;
  const end = lines.findIndex(
    (line, index) => index > start && /^#+ /.test(line) && line.match(/^#+/)![0].length <= level,
  );
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

const commit = (sha: string, importance: Importance, extra: Partial<CommitSpec> = {}): CommitSpec => ({
  sha,
  subject: `change ${sha}`,
  date: "2026-01-17T03:00:00+08:00",
  importance,
  narrative: { summary: `Summary of ${sha}.`, impact: [`\`src/${sha}.ts\``] },
  lang: "en",
  ...extra,
});

describe("renderMarkdown: anchors", () => {
  it.each(["zh-CN", "en"] as const)("resolves every link of the sample report (%s) exactly once", (lang) => {
    expectLinksResolve(renderMarkdown(sampleReport(lang)));
  });

  it("gives distinct anchors to the same commit in two repositories and to names that slug alike", () => {
    const shared = commit("abcdef1", "high", { score: 9 });
    const report = makeReport(
      [
        makeRepo("acme/api", [shared], { webUrl: "https://github.com/acme/api" }),
        makeRepo("acme-api", [shared]),
        makeRepo("acme/api-stats", [commit("abcdef2", "low")]),
        makeRepo("acme/api", [commit("1234567", "medium")]),
      ],
      { lang: "en" },
    );
    const markdown = renderMarkdown(report);
    expectLinksResolve(markdown);
    expect(elementIds(markdown)).toEqual(expect.arrayContaining(["c-abcdef1", "c-abcdef1-2"]));
    // Each repository's highlight points at its own copy of the commit.
    const highlights = section(markdown, "## 📈 Overview").filter((line) => line.startsWith("- [change abcdef1]"));
    expect(highlights.map((line) => linkTargets(line)[0])).toEqual(["c-abcdef1", "c-abcdef1-2"]);
  });

  it("puts each anchor on the line before the heading it names", () => {
    const lines = renderMarkdown(sampleReport("en")).split("\n");
    lines.forEach((line, index) => {
      if (line.startsWith("<a id=")) expect(lines[index + 1]).toMatch(/^#{2,4} /);
    });
  });
});

describe("renderMarkdown: counts and groups", () => {
  const report = makeReport(
    [
      makeRepo("acme/api", [
        commit("aaaaaa1", "low"),
        commit("aaaaaa2", "high"),
        commit("aaaaaa3", "low"),
        commit("aaaaaa4", "high"),
        commit("aaaaaa5", "low"),
      ]),
    ],
    { lang: "en" },
  );
  const markdown = renderMarkdown(report);

  it("adds up the statistics line, the TOC and the group headings to the total", () => {
    const stats = section(markdown, "### 📊 Statistics").join("\n");
    const [, total, high, medium, low] = stats.match(/(\d+) commits today \| 🔴 high (\d+) \| 🟡 medium (\d+) \| 🟢 low (\d+)/)!.map(Number);
    expect(total).toBe(5);
    expect(high! + medium! + low!).toBe(total);

    const toc = section(markdown, "### 📋 Contents");
    const tocGroups = toc.filter((line) => line.startsWith("- [") && /importance \(\d+\)/.test(line));
    const tocCounts = tocGroups.map((line) => Number(line.match(/\((\d+)\)\]/)![1]));
    expect(tocCounts.reduce((a, b) => a + b, 0)).toBe(total);
    expect(toc.filter((line) => line.startsWith("  - ["))).toHaveLength(total!);

    const headings = markdown.split("\n").filter((line) => /^### .* importance \(\d+\)$/.test(line));
    const headingCounts = headings.map((line) => Number(line.match(/\((\d+)\)$/)![1]));
    expect(headingCounts).toEqual(tocCounts);
    for (const heading of headings) {
      const commits = section(markdown, heading).filter((line) => line.startsWith("#### "));
      expect(commits).toHaveLength(Number(heading.match(/\((\d+)\)$/)![1]));
    }
  });

  it("orders groups high before low and leaves out empty groups", () => {
    const headings = markdown.split("\n").filter((line) => /^### .* importance/.test(line));
    expect(headings).toEqual(["### 🔴 High importance (2)", "### 🟢 Low importance (3)"]);
  });
});

describe("renderMarkdown: commit messages from outside", () => {
  const nasty = "fix: a | b <script>alert(1)</script> *bold* _it_ [x](http://evil) `tick`\nsecond line";
  const report = makeReport(
    [makeRepo("acme/api", [commit("bad0001", "high", { subject: nasty, author: "Eve | <b>Mallory</b>" })], { branch: "fix|it" })],
    { lang: "en" },
  );
  const markdown = renderMarkdown(report);

  it("keeps the commit table whole", () => {
    const rows = markdown.split("\n").filter((line) => line.startsWith("| ") && line.includes("bad0001"));
    expect(rows).toHaveLength(1);
    const cells = rows[0]!.split(/(?<!\\)\|/).slice(1, -1);
    expect(cells).toHaveLength(5);
    expect(cells[2]).toContain("Eve \\| &lt;b&gt;Mallory&lt;/b&gt;");
    const overviewRow = markdown.split("\n").find((line) => line.startsWith("| [acme/api]"))!;
    expect(overviewRow.split(/(?<!\\)\|/).slice(1, -1)).toHaveLength(6);
  });

  it("keeps HTML as text and stops formatting, in the table, the heading, the TOC and the highlights", () => {
    expect(markdown).not.toMatch(/<script|<b>|<\/b>/);
    const escaped = "fix: a \\| b &lt;script&gt;alert(1)&lt;/script&gt; \\*bold\\* \\_it\\_ \\[x\\](http://evil) \\`tick\\` second line";
    expect(markdown).toContain(`#### ${escaped}`);
    expect(markdown).toContain(`| ${escaped} |`);
    expect(markdown).toContain(`- [${escaped}](#c-bad0001)`);
    // The brackets are escaped, so nothing forms a link to the message's URL.
    expect(markdown).not.toMatch(/(?<!\\)\]\(http:\/\/evil\)/);
  });

  it("keeps the analysis's own Markdown, without raw HTML", () => {
    const own = makeReport(
      [makeRepo("acme/api", [commit("ok00001", "low", { narrative: { summary: "Adds `Vec<T>` and <img src=x>.", impact: [] } })])],
      { lang: "en" },
    );
    expect(renderMarkdown(own)).toContain("**📋 Summary**: Adds `Vec<T>` and &lt;img src=x>.");
  });
});

describe("renderMarkdown: table of contents", () => {
  it("shortens long titles on a character boundary and nowhere else", () => {
    const title = "功能：支持多模态请求 👨‍👩‍👧‍👦 与 🇨🇳 标记，并在编码器中一次提交全部图片与视频输入，避免逐个请求";
    const report = makeReport([makeRepo("acme/api", [commit("cafe001", "high", { subject: title })])]);
    const markdown = renderMarkdown(report);
    const entry = section(markdown, "### 📋 目录").find((line) => line.includes("(#c-cafe001)"))!;
    const shown = entry.match(/^ {2}- \[(.*)\]\(#c-cafe001\)$/)![1]!;
    expect(shown.endsWith("…")).toBe(true);
    const kept = shown.slice(0, -1);
    const segments = (text: string): string[] =>
      Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text), (part) => part.segment);
    expect(segments(title).slice(0, segments(kept).length).join("")).toBe(kept);
    // The heading, the table and the highlights keep the whole title.
    expect(markdown).toContain(`#### ${title}`);
    expect(markdown).toContain(`| ${title} |`);
    expect(markdown).toContain(`- [${title}](#c-cafe001)`);
  });
});

describe("renderMarkdown: commit layout", () => {
  it("renders only the sections a commit has, in one fixed order and shape", () => {
    const markdown = renderMarkdown(sampleReport("zh-CN"));
    const order = ["**🎯 变更类型**", "**⚡ 重要程度**", "**📋 变更摘要**", "**🧭 影响范围**", "**🔍 技术洞察**", "**⚠️ 潜在风险**", "**💡 关注建议**"];
    const commits = markdown.split("\n#### ").slice(1);
    expect(commits).toHaveLength(6);
    for (const text of commits) {
      const present = order.filter((label) => text.includes(label));
      const positions = present.map((label) => text.indexOf(label));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(text).not.toMatch(/^\|/m);
    }
    const low = commits.find((text) => text.startsWith("chore: type ZmqMessage"))!;
    expect(order.filter((label) => low.includes(label))).toEqual(order.slice(0, 4));
    const high = commits.find((text) => text.startsWith("feat: add span event logging"))!;
    expect(order.filter((label) => high.includes(label))).toEqual(order);
  });

  it("puts notes and what was not seen in one line under the commit", () => {
    const report = makeReport(
      [
        makeRepo("acme/api", [
          commit("note001", "medium", {
            notes: ["The LLM answer failed validation; the rules wrote this entry."],
            omittedPatchBytes: 3 * 1024 * 1024,
            structureFallback: [{ file: "src/broken.ts", reason: "parse-failed" }],
            files: [
              { path: "src/big.ts", additions: 5000, deletions: 10, patchTruncated: true },
              ...["a", "b", "c", "d", "e"].map((name) => ({ path: `vendor/${name}.js`, additions: 1, deletions: 0, ignored: true })),
            ],
          }),
        ]),
      ],
      { lang: "en" },
    );
    const footnotes = renderMarkdown(report)
      .split("\n")
      .filter((line) => line.startsWith("> 📝"));
    expect(footnotes).toEqual([
      "> 📝 The LLM answer failed validation; the rules wrote this entry. · Not seen in full: 1 file read in part (`src/big.ts`); " +
        "3.0 MiB of patch over the limit not read; 5 files ignored by config (`vendor/a.js`, `vendor/b.js`, `vendor/c.js` and 2 more); " +
        "1 file not parsed, symbols from the patch text only (`src/broken.ts`)",
    ]);
  });

  it("links the commit and its PR where known, and names the PR without a link otherwise", () => {
    const report = makeReport(
      [
        makeRepo("acme/api", [
          commit("link001", "low", { prNumber: 7, links: { commit: "https://github.com/acme/api/commit/link001", pullRequest: "https://github.com/acme/api/pull/7" } }),
          commit("link002", "low", { prNumber: 8 }),
        ]),
      ],
      { lang: "en" },
    );
    const markdown = renderMarkdown(report);
    expect(markdown).toContain(
      "`link001` · [View commit](https://github.com/acme/api/commit/link001) · [PR #7](https://github.com/acme/api/pull/7) · Ada Lovelace · 2026-01-17 03:00:00 · +3/−1 in 1 file",
    );
    expect(markdown).toContain("`link002` · PR #8 · Ada Lovelace · 2026-01-17 03:00:00 · +3/−1 in 1 file");
  });
});

describe("renderMarkdown: days without commits", () => {
  const empty: Report = makeReport([makeRepo("acme/api", []), makeRepo("acme/web", [])], { lang: "en" });
  const markdown = renderMarkdown(empty);

  it("says so in the overview and per repository, and still renders a complete report", () => {
    expect(markdown).toContain("No repository has new commits today.");
    expect(markdown.match(/^No new commits today\.$/gm)).toHaveLength(2);
    expect(markdown.match(/^0 commits today \| 🔴 high 0 \| 🟡 medium 0 \| 🟢 low 0$/gm)).toHaveLength(2);
    expect(markdown).toMatch(/^# Daily update report \(2026-01-17\)$/m);
    expect(markdown).toMatch(/^\*Generated by repo-digest 0\.1\.0 at 2026-01-18 07:30:00 \(Asia\/Shanghai\)\*\n$/m);
    expect(markdown).not.toContain("Contents");
    expectLinksResolve(markdown);
  });

  it("says when a day has commits but none of high importance", () => {
    const quiet = renderMarkdown(makeReport([makeRepo("acme/api", [commit("low0001", "low")])], { lang: "zh-CN" }));
    expect(quiet).toContain("本日没有高重要度变更。");
  });
});

describe("renderMarkdown: languages and periods", () => {
  it("writes every fixed string in English for an English report", () => {
    const markdown = renderMarkdown(sampleReport("en"));
    expect(markdown.startsWith("# Daily update report (2026-01-17)\n")).toBe(true);
    expect(markdown).not.toMatch(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/);
  });

  it("writes the fixed strings in Chinese for a zh-CN report", () => {
    const markdown = renderMarkdown(sampleReport("zh-CN"));
    expect(markdown.startsWith("# 每日更新报告（2026-01-17）\n")).toBe(true);
    for (const label of ["## 📈 总览", "### 📊 统计摘要", "### 📋 目录", "### 🔴 高重要度变更（2）", "本日共 6 个提交 | 🔴高 2 | 🟡中 2 | 🟢低 2"]) {
      expect(markdown).toContain(label);
    }
  });

  it("titles a range with both ends and speaks of the period", () => {
    const period = { ...SAMPLE_PERIOD, label: "2026-01-17..2026-01-23", until: "2026-01-23T16:00:00.000Z" };
    const zh = renderMarkdown(makeReport([makeRepo("acme/api", [])], { period }));
    expect(zh.startsWith("# 每日更新报告（2026-01-17 至 2026-01-23）\n")).toBe(true);
    expect(zh).toContain("本期没有新提交。");
    const en = renderMarkdown(makeReport([makeRepo("acme/api", [])], { period, lang: "en" }));
    expect(en.startsWith("# Daily update report (2026-01-17 to 2026-01-23)\n")).toBe(true);
    expect(en).toContain("- Period: 2026-01-17 00:00 to 2026-01-24 00:00 (Asia/Shanghai)");
  });
});

describe("renderMarkdown: whole report", () => {
  it.each(["zh-CN", "en"] as const)("matches the reviewed sample report (%s)", async (lang) => {
    await expect(renderMarkdown(sampleReport(lang))).toMatchFileSnapshot(`./__snapshots__/sample-report.${lang}.md`);
  });
});
