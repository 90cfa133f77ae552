import { describe, expect, it } from "vitest";
import { createRulesAnalyzer, findCriticalPathHits } from "./rules-analyzer.js";
import { SCENARIOS, extractCodeNames, isNameInFacts, makeFacts, makeFile, makeInput } from "../../../test/support/analysis/rules/fixtures.js";
import { DEFAULT_SCORING } from "./weights.js";

const analyzer = createRulesAnalyzer({ scoring: DEFAULT_SCORING, criticalPaths: ["lib/runtime/**"] });

describe("createRulesAnalyzer", () => {
  it("identifies itself as rules, version 4", () => {
    expect(analyzer.id).toEqual({ name: "rules", version: "6" });
  });

  it("analyses a commit into type, importance, reasons and narrative in the input's language", async () => {
    const facts = SCENARIOS.spanEventFeature();
    const zh = await analyzer.analyze(makeInput(facts, "zh-CN"));
    const en = await analyzer.analyze(makeInput(facts, "en"));

    // An additive feature, even under a critical path, is worth knowing this week: medium.
    expect(zh).toMatchObject({ sha: facts.sha, lang: "zh-CN", changeType: "feature", importance: "medium", notes: [] });
    expect(en).toMatchObject({ lang: "en", changeType: "feature", importance: "medium", score: zh.score });
    expect(zh.analyzer).toEqual(analyzer.id);
    expect(zh.reasons.map((reason) => reason.code)).toEqual(en.reasons.map((reason) => reason.code));
    expect(zh.reasons.find((reason) => reason.code === "setting-added")?.text).toBe("新增配置或命令行参数：`DYN_LOGGING_SPAN_EVENTS`");
    expect(en.reasons.find((reason) => reason.code === "setting-added")?.text).toBe("New settings or flags: `DYN_LOGGING_SPAN_EVENTS`");
    expect(zh.narrative.summary).not.toBe(en.narrative.summary);
  });

  it("reads the pull request with the commit: a breaking label or note raises it, a security label counts", async () => {
    const facts = SCENARIOS.spanEventFeature();
    const plain = await analyzer.analyze(makeInput(facts, "en"));
    const pullRequest = { number: 7, title: "Span events", body: "Adds span events.\n\nBREAKING CHANGE: DYN_LOG is renamed", labels: ["security"] };
    const withPr = await analyzer.analyze({ ...makeInput(facts, "en"), pullRequest });
    const codes = withPr.reasons.map((reason) => reason.code);
    expect(codes).toContain("breaking-change");
    expect(codes).toContain("security-fix");
    expect(withPr.importance).toBe("high");
    expect(plain.reasons.map((reason) => reason.code)).not.toContain("breaking-change");
    expect(withPr.score).toBeGreaterThan(plain.score);

    const labelled = await analyzer.analyze({ ...makeInput(facts, "en"), pullRequest: { ...pullRequest, body: "", labels: ["breaking"] } });
    expect(labelled.reasons.map((reason) => reason.code)).toContain("breaking-change");
  });

  it("raises commits under a critical path and names the files", async () => {
    const analysis = await analyzer.analyze(makeInput(SCENARIOS.spanEventFeature(), "en"));
    const reason = analysis.reasons.find((candidate) => candidate.code === "critical-path");
    expect(reason?.params.paths).toBe(
      "lib/runtime/src/logging.rs, lib/runtime/src/config.rs, lib/runtime/src/config/environment_names.rs, lib/runtime/tests/logging_span_events.rs",
    );
    expect(reason?.text).toMatch(/^Touches critical paths: `lib\/runtime\/src\/logging.rs`/);
  });

  it("keeps every name in the reason texts grounded in the facts", async () => {
    for (const make of Object.values(SCENARIOS)) {
      const facts = make(true);
      const analysis = await analyzer.analyze(makeInput(facts, "zh-CN"));
      const names = analysis.reasons.flatMap((reason) => extractCodeNames(reason.text));
      expect(names.filter((name) => !isNameInFacts(name, facts))).toEqual([]);
    }
  });

  it("quotes the subject's words in the reasons they decided, in both languages", async () => {
    const facts = makeFacts({
      message: { description: "Apply patch for security issue in Prometheus plugin dependency", prNumber: 1204 },
      files: [makeFile("subprojects/prometheus-cpp.wrap", "build"), makeFile("src/plugins/telemetry/exporter.cpp", "source")],
    });
    const zh = await analyzer.analyze(makeInput(facts, "zh-CN"));
    const en = await analyzer.analyze(makeInput(facts, "en"));
    expect(zh.changeType).toBe("bugfix");
    const text = (analysis: typeof zh, code: string) => analysis.reasons.find((reason) => reason.code === code)?.text;
    expect(text(zh, "fix")).toBe("提交说明写明“Apply patch”：产品代码的 Bug 修复");
    expect(text(en, "fix")).toBe("The message says “Apply patch”: a bug fix in product code");
    expect(text(zh, "security-fix")).toBe("提交说明提到安全问题：“security”");
    expect(text(en, "security-fix")).toBe("The message speaks of security: “security”");
    const declared = await analyzer.analyze(makeInput(makeFacts({ message: { type: "fix" }, files: facts.files }), "en"));
    expect(text(declared, "fix")).toBe("A bug fix in product code");
  });

  it("gives the same analysis for the same input", async () => {
    const input = makeInput(SCENARIOS.majorBump(), "zh-CN");
    expect(await analyzer.analyze(input)).toEqual(await analyzer.analyze(input));
  });
});

describe("findCriticalPathHits", () => {
  it("matches new and old paths of analysed files only", () => {
    const facts = makeFacts({
      files: [
        makeFile("lib/runtime/src/a.rs", "source"),
        makeFile("lib/core/src/b.rs", "source", { status: "renamed", oldPath: "lib/runtime/src/b.rs" }),
        makeFile("lib/runtime/generated.rs", "generated", { ignored: true }),
        makeFile("docs/runtime.md", "docs"),
      ],
    });
    expect(findCriticalPathHits(facts, ["lib/runtime/**"])).toEqual(["lib/runtime/src/a.rs", "lib/core/src/b.rs"]);
    expect(findCriticalPathHits(facts, [])).toEqual([]);
  });
});
