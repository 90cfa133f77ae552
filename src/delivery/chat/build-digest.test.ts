import { describe, expect, it } from "vitest";
import { makeRepo, makeReport, sampleReport } from "../../../test/support/report/fixtures.js";
import type { Report } from "../../report/types.js";
import { clipToSentence, composeDigest, digestTitle, fitDigest } from "./build-digest.js";
import { DISCORD_MARKUP, ROBOT_MARKUP, SLACK_MARKUP } from "./markup.js";
import { measureText } from "./split-lines.js";
import { FULL_REPORT_URL, manyHighReport } from "../../../test/support/delivery/chat/reports.js";

const ALL = { high: 1_000, medium: 1_000 };

describe("the chat digest", () => {
  it("puts the run notices first, then per repository its counts and commits, and the link last", () => {
    const report = sampleReport("en");
    const lines = composeDigest(report, { markup: SLACK_MARKUP, fullReportUrl: FULL_REPORT_URL }, ALL);
    expect(lines[0]).toBe("⚠️ No LLM configured: the analysis comes from the built-in rules.");
    expect(lines).toContain("📁 *<https://github.com/ai-dynamo/dynamo|ai-dynamo/dynamo>*");
    expect(lines).toContain("6 commits: 🔴 high 2 · 🟡 medium 2 · 🟢 low 2");
    const high = lines.find((line) => line.includes("06939770"));
    expect(high).toMatch(/^🔴 <https:\/\/github\.com\/ai-dynamo\/dynamo\/commit\/06939770b300f4bf56ed99590d31d6ada3d6a1ec\|0693977> \*feat: add span event logging/);
    expect(high).toContain(" — Adds optional span event logging");
    expect(lines.filter((line) => line.startsWith("🟡"))).toHaveLength(2);
    // Low-importance commits are counted, not listed.
    expect(lines.some((line) => line.includes("382a26f0"))).toBe(false);
    expect(lines).toContain("⚠️ Fetching the remote failed; this section uses the history already on disk.");
    expect(lines.at(-1)).toBe(`🔗 <${FULL_REPORT_URL}|Full report>`);
  });

  it("says first how many commits affect the reader's code (usedBy), and which, whatever their tier", () => {
    const report = sampleReport("en");
    const low = report.repos[0]!.commits.find((commit) => commit.importance === "low")!;
    report.overview.affectsYou = [{ repo: report.repos[0]!.name, sha: low.sha, shortSha: low.shortSha, title: low.title, names: ["Engine.start"] }];
    const lines = composeDigest(report, { markup: SLACK_MARKUP }, ALL);
    const first = lines.findIndex((line) => line.includes("affects your code"));
    expect(lines[first]).toBe("*⚠️ 1 commit affects your code*");
    expect(first).toBeLessThan(lines.findIndex((line) => line.startsWith("📁")));
    expect(lines[first + 1]).toMatch(new RegExp(`^⚠️ .*${low.shortSha}.* — \`Engine\.start\`$`));
    // Nothing affects it: no line at all.
    expect(composeDigest(sampleReport("en"), { markup: SLACK_MARKUP }, ALL).some((line) => line.includes("affect"))).toBe(false);
    const zh = sampleReport("zh-CN");
    zh.overview.affectsYou = report.overview.affectsYou;
    expect(composeDigest(zh, { markup: SLACK_MARKUP }, ALL)).toContain("*⚠️ 1 个提交影响你的代码*");
  });

  it("keeps the analysis's `code` spans as code and escapes the text around them", () => {
    const report = sampleReport("en");
    report.repos[0]!.commits[0]!.title = "fix: `parse_x` for *all*";
    const line = composeDigest(report, { markup: DISCORD_MARKUP }, ALL).find((item) => item.includes("0693977")) ?? "";
    expect(line).toContain("**fix: `parse_x` for \\*all\\***");
    expect(line).toContain("switched by the environment variable `DYN_LOGGING_SPAN_EVENTS`;");
  });

  it("titles the message with the period in the report's language, and the weekly digest as such", () => {
    expect(digestTitle(sampleReport("zh-CN"))).toBe("repo-digest 每日更新（2026-01-17）");
    const weekly: Report = {
      ...sampleReport("en"),
      kind: "digest",
      period: { ...sampleReport("en").period, label: "2026-01-12..2026-01-18" },
    };
    expect(digestTitle(weekly)).toBe("repo-digest weekly digest (2026-01-12 to 2026-01-18)");
    // The weekly digest lists the high-importance commits only.
    expect(composeDigest(weekly, { markup: SLACK_MARKUP }, ALL).some((line) => line.startsWith("🟡"))).toBe(false);
  });

  it("adds the overview's themes and a one-line activity summary", () => {
    const repo = makeRepo("acme/engine", [{ sha: "abc", subject: "feat: x", date: "2026-01-17T10:00:00+08:00", importance: "high" }], {
      overview: { themes: ["Batching <fast>", "Logging"], readFirst: [], model: "m" },
      activity: {
        releases: [{ tag: "v1", name: "v1", url: "https://x/r", publishedAt: "2026-01-17T01:00:00Z", prerelease: false, highlights: [] }],
        tags: [],
        pullRequests: {
          opened: [],
          merged: [1, 2, 3].map((number) => ({ number, title: "t", url: "https://x/p", labels: [], at: "2026-01-17T01:00:00Z" })),
          closed: [],
        },
        issues: { opened: [1, 2].map((number) => ({ number, title: "t", url: "https://x/i", labels: [], at: "2026-01-17T01:00:00Z" })), closed: [] },
        discussed: [],
        omitted: 0,
      },
    });
    const lines = composeDigest(makeReport([repo], { lang: "en" }), { markup: DISCORD_MARKUP }, ALL);
    expect(lines).toContain("🧭 **Themes**: Batching \\<fast\\> · Logging");
    expect(lines).toContain("📦 1 release, 3 PRs merged, 2 issues opened");
    const zh = composeDigest(makeReport([repo], { lang: "zh-CN" }), { markup: DISCORD_MARKUP }, ALL);
    expect(zh).toContain("📦 1 个发布，合并 3 个 PR，新开 2 个 Issue");
  });

  it("shortens a long summary to its whole sentences, clipping only a first sentence that is too long", () => {
    expect(clipToSentence("Adds `x`. Removes the old path, which nobody used.", 20)).toBe("Adds `x`.");
    expect(clipToSentence("新增 `x`。删除旧路径，无人使用。", 12)).toBe("新增 `x`。");
    expect(clipToSentence("One very long first sentence without an end", 20)).toBe("One very long…");
    expect(clipToSentence("Fits. Whole.", 20)).toBe("Fits. Whole.");
  });

  it("drops medium-importance commits before high ones, saying how many it left out", () => {
    const report = manyHighReport(3, "en");
    const full = fitDigest(report, { markup: ROBOT_MARKUP, limit: { limit: 100_000, unit: "bytes" }, maxChunks: 1 });
    expect(full.chunks[0]?.match(/^🟡/gm)).toHaveLength(5);
    const highOnly = composeDigest(report, { markup: ROBOT_MARKUP }, { high: 3, medium: 0 }).join("\n");
    const limit = measureText(highOnly, "bytes") + 400;
    const fitted = fitDigest(report, { markup: ROBOT_MARKUP, limit: { limit, unit: "bytes" }, maxChunks: 1 });
    expect(fitted.reduced).toBe(false);
    expect(fitted.chunks[0]?.match(/^🔴/gm)).toHaveLength(3);
    const medium = fitted.chunks[0]?.match(/^🟡/gm)?.length ?? 0;
    expect(medium).toBeLessThan(5);
    expect(fitted.chunks[0]).toContain(`${5 - medium} more medium-importance commit`);
  });

  it("reduces to the high-importance commits that fit and the link to the full report", () => {
    const report = manyHighReport(40);
    const fitted = fitDigest(report, { markup: ROBOT_MARKUP, fullReportUrl: FULL_REPORT_URL, limit: { limit: 4_096, unit: "bytes" }, maxChunks: 2 });
    expect(fitted.reduced).toBe(true);
    expect(fitted.chunks).toHaveLength(2);
    for (const chunk of fitted.chunks) expect(measureText(chunk, "bytes")).toBeLessThanOrEqual(4_096);
    const text = fitted.chunks.join("\n");
    const shown = text.match(/^🔴/gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(0);
    expect(text).toContain(`另有 ${40 - shown} 个高重要度提交未列出，见完整报告。`);
    expect(text).toContain(`[查看完整报告](${FULL_REPORT_URL})`);
  });
});
