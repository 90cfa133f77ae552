import { describe, expect, it } from "vitest";
import type { CommitFacts } from "../../facts/types.js";
import { LANGUAGES, type Lang } from "../../i18n/lang.js";
import { IMPORTANCE_ORDER, type Importance, type Narrative } from "../types.js";
import { classifyChangeType } from "./change-type.js";
import { spaceChinese } from "./messages.js";
import { buildNarrative } from "./narrative.js";
import {
  SCENARIOS,
  extractCodeNames,
  isNameInFacts,
  listNarrativeTexts,
  makeDependency,
  makeFacts,
  makeFile,
  makeInput,
  makeSignal,
  makeSurface,
  makeSymbol,
  makeTest,
} from "../../../test/support/analysis/rules/fixtures.js";

/** Characters that exist only in traditional Chinese; simplified text never has them. */
const TRADITIONAL_ONLY = [..."這個們來為於與發變檔測說據實應對開關點體後時會將從進過種務產處題還項動號設計議護審範響險賴類際參數據層級"];

/** A high commit with something to say in every dimension. */
function kitchenSink(): CommitFacts {
  return makeFacts({
    message: { type: "perf", scope: "runtime", breaking: true, description: "rework the event plane" },
    files: [
      makeFile("lib/runtime/src/transports/zmq.rs", "source", { additions: 400, deletions: 250, module: "lib/runtime" }),
      makeFile("lib/runtime/src/config.rs", "source", { additions: 20, deletions: 30, module: "lib/runtime" }),
      makeFile("lib/event-plane/Cargo.toml", "manifest", { status: "added", additions: 30, deletions: 0, module: "lib/event-plane" }),
      makeFile("lib/event-plane/src/lib.rs", "source", { status: "added", additions: 300, deletions: 0, module: "lib/event-plane" }),
      makeFile("lib/runtime/tests/zmq_old.rs", "test", { status: "deleted", additions: 0, deletions: 80, module: "lib/runtime" }),
      makeFile("Cargo.lock", "lockfile", { additions: 60, deletions: 20 }),
      makeFile(".github/workflows/rust.yml", "ci", { additions: 3, deletions: 1, module: ".github" }),
      makeFile("docs/architecture/event-plane.md", "docs", { status: "added", additions: 90, deletions: 0, module: "docs" }),
    ],
    symbols: [
      makeSymbol("ZmqSubTransport", "removed", "lib/runtime/src/transports/zmq.rs", { kind: "struct", language: "Rust" }),
      makeSymbol("EventPlane", "added", "lib/event-plane/src/lib.rs", { kind: "trait", language: "Rust" }),
      makeSymbol("publish", "modified", "lib/runtime/src/transports/zmq.rs", { language: "Rust" }),
    ],
    surface: [
      makeSurface("env-var", "DYN_ZMQ_HWM", "removed", "lib/runtime/src/config.rs"),
      makeSurface("env-var", "DYN_EVENT_PLANE", "added", "lib/runtime/src/config.rs"),
      makeSurface("cli-flag", "--event-plane", "added", "lib/runtime/src/config.rs"),
    ],
    dependencies: [
      makeDependency("zmq", "0.9.2", "0.10.0", "lib/runtime/Cargo.toml", { ecosystem: "cargo", major: true }),
      makeDependency("tmq", undefined, "0.5.0", "lib/event-plane/Cargo.toml", { ecosystem: "cargo" }),
    ],
    tests: [makeTest("test_zmq_slow_joiner", "removed", "lib/runtime/tests/zmq_old.rs")],
    signals: [
      makeSignal("timeout", "added", "lib/runtime/src/transports/zmq.rs", 45),
      makeSignal("network-listen", "added", "lib/event-plane/src/lib.rs", 12),
    ],
  });
}

const ALL_SCENARIOS: Array<[string, () => CommitFacts]> = [
  ...Object.entries(SCENARIOS).map(([name, make]): [string, () => CommitFacts] => [name, () => make(true)]),
  ["kitchenSink", kitchenSink],
];

function narrate(facts: CommitFacts, importance: Importance, lang: Lang = "zh-CN"): Narrative {
  return buildNarrative(makeInput(facts, lang), importance, classifyChangeType(facts));
}

/** The narrative's text outside code spans and quoted commit text, which are kept as written. */
function proseOf(text: string): string {
  return text.replace(/`` .+? ``|`[^`]*`/g, "").replace(/“[^”]*”/g, "");
}

describe("buildNarrative grounding", () => {
  for (const [name, make] of ALL_SCENARIOS) {
    for (const lang of LANGUAGES) {
      for (const importance of IMPORTANCE_ORDER) {
        it(`${name} (${lang}, ${importance}) names only files, modules, symbols and settings from the facts`, () => {
          const facts = make();
          const names = listNarrativeTexts(narrate(facts, importance, lang)).flatMap(extractCodeNames);
          expect(names.length).toBeGreaterThan(0);
          expect(names.filter((name_) => !isNameInFacts(name_, facts))).toEqual([]);
        });
      }
    }
  }

  it("the checker itself rejects a name the facts do not hold", () => {
    const facts = SCENARIOS.spanEventFeature();
    expect(isNameInFacts("DYN_LOGGING", facts)).toBe(false);
    expect(isNameInFacts("lib/runtime/src", facts)).toBe(true);
    expect(extractCodeNames("新增 `a`、`b` 与 `` c`d ``")).toEqual(["a", "b", "c`d"]);
  });
});

describe("buildNarrative language", () => {
  it("writes simplified Chinese only, with Chinese punctuation, in every section", () => {
    for (const [, make] of ALL_SCENARIOS) {
      for (const importance of IMPORTANCE_ORDER) {
        for (const text of listNarrativeTexts(narrate(make(), importance, "zh-CN"))) {
          expect(TRADITIONAL_ONLY.filter((char) => text.includes(char)), text).toEqual([]);
          expect(proseOf(text), text).not.toMatch(/[,;:()]/);
        }
      }
    }
  });

  it("writes English with no Chinese in it", () => {
    for (const [, make] of ALL_SCENARIOS) {
      for (const text of listNarrativeTexts(narrate(make(), "high", "en"))) {
        expect(text).not.toMatch(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/);
      }
    }
  });

  it("produces the same structure in both languages", () => {
    const facts = kitchenSink();
    const zh = narrate(facts, "high", "zh-CN");
    const en = narrate(facts, "high", "en");
    expect(zh.summary).not.toBe(en.summary);
    expect(zh.impact).toHaveLength(en.impact.length);
    expect(zh.insights.map((insight) => insight.dimension)).toEqual(en.insights.map((insight) => insight.dimension));
    expect(zh.risks).toHaveLength(en.risks.length);
    expect(zh.recommendations.map((r) => r.audience)).toEqual(en.recommendations.map((r) => r.audience));
  });

  it("spaces Chinese and Latin text as Chinese typesetting wants, and none between Chinese words", () => {
    const summary = narrate(SCENARIOS.breakingRemoval(), "high").summary;
    expect(summary).toContain("删除公开接口 `connect`");
    expect(spaceChinese("新增unsafe代码")).toBe("新增 unsafe 代码");
    expect(spaceChinese("删除`connect`函数")).toBe("删除 `connect` 函数");
    expect(spaceChinese("提交说明：“Fix 中文”。")).toBe("提交说明：“Fix 中文”。");
    expect(spaceChinese("修改 了 仓库根目录")).toBe("修改了仓库根目录");
  });
});

describe("buildNarrative summary", () => {
  it("quotes the author's points, and states the facts that matter, not the file counts the heading shows", () => {
    const facts = SCENARIOS.spanEventFeature();
    facts.message.points = ["Adds span event logging behind DYN_LOGGING_SPAN_EVENTS", "Fixes trace context extraction"];
    const zh = narrate(facts, "high").summary;
    expect(zh).toContain("作者的说明：“Adds span event logging behind DYN_LOGGING_SPAN_EVENTS”；“Fixes trace context extraction”。");
    expect(zh).toContain("新增配置 `DYN_LOGGING_SPAN_EVENTS`");
    expect(zh).not.toContain("共改动");
    const en = narrate(facts, "high", "en").summary;
    expect(en).toContain("In the author's words: “Adds span event logging behind DYN_LOGGING_SPAN_EVENTS”");
    expect(en).toContain("adds the setting `DYN_LOGGING_SPAN_EVENTS`");
  });

  it("calls a build dependency one (Cargo's build-dependencies, a base image), not a development dependency", () => {
    const facts = makeFacts({
      files: [makeFile("src/bindings/rust/Cargo.toml", "manifest"), makeFile("src/bindings/rust/build.rs", "source")],
      dependencies: [
        makeDependency("anyhow", undefined, "1", "src/bindings/rust/Cargo.toml", { ecosystem: "cargo", scope: "build", change: "added" }),
        makeDependency("tempfile", "3.19.0", "3.20.0", "src/bindings/rust/Cargo.toml", { ecosystem: "cargo", scope: "dev", change: "upgraded" }),
      ],
    });
    const en = narrate(facts, "medium", "en");
    expect(en.impact).toContainEqual(expect.stringMatching(/^Build dependencies: .*`anyhow`/));
    expect(en.impact).toContainEqual(expect.stringMatching(/^Development dependencies: .*`tempfile`/));
    expect(en.impact.find((line) => line.startsWith("Development dependencies"))).not.toContain("anyhow");
    expect(narrate(facts, "medium").impact).toContainEqual(expect.stringMatching(/^构建依赖：.*`anyhow`/));
  });

  it("calls the redactor's marker a secret-looking value to check, not code that handles secrets", () => {
    const facts = makeFacts({
      files: [makeFile("src/config.py", "source")],
      signals: [makeSignal("secret", "added", "src/config.py", 3)],
    });
    const text = JSON.stringify(narrate(facts, "high", "en"));
    expect(text).toContain("secret-looking value");
    expect(text).toContain("check that it is a placeholder, not a real credential");
    expect(text).not.toContain("secret handling");
    expect(JSON.stringify(narrate(facts, "high"))).toContain("疑似密钥的值");
  });

  it("leads with the subject when the body says nothing", () => {
    const facts = makeFacts({ message: { description: "" }, files: [makeFile("src/a.py", "source")] });
    const input = makeInput(facts, "en");
    input.commit.subject = "Tidy the parser";
    expect(buildNarrative(input, "low", "chore").summary).toBe("Tidy the parser.");
  });

  it("says that a commit is a revert and which one", () => {
    const facts = makeFacts({
      message: { isRevert: true, revertedSha: "abcdef0123456789abcdef0123456789abcdef01", description: "Revert \"feat: x\"" },
      files: [makeFile("src/a.py", "source")],
    });
    expect(narrate(facts, "low").summary).toContain("撤销提交 `abcdef0`");
  });

  it("says a commit outside product code is just that", () => {
    expect(narrate(SCENARIOS.docsOnly(), "low", "en").summary).toMatch(/docs only; product code is unchanged/i);
  });
});

describe("no template for its own sake", () => {
  it("writes no 'add tests' or 'watch CI' advice on ordinary changes; a fix without a test gets one line", () => {
    const feature = narrate(SCENARIOS.spanEventFeature(), "high", "en");
    const texts = listNarrativeTexts(feature).join("\n");
    expect(texts).not.toMatch(/Add tests|Watch the first CI|Verify that the build|rebuild/i);
    const fix = makeFacts({ message: { type: "fix", description: "race in the scheduler" }, files: [makeFile("src/sched.py", "source", { additions: 12 })] });
    const narrative = buildNarrative(makeInput(fix, "en"), "medium", "bugfix");
    expect(narrative.risks).toEqual(["The fix comes without a test; a regression would go unnoticed."]);
  });
});

describe("buildNarrative depth", () => {
  it("low: summary and impact only", () => {
    const narrative = narrate(kitchenSink(), "low");
    expect(narrative.summary).not.toBe("");
    expect(narrative.impact.length).toBeGreaterThan(0);
    expect(narrative.insights).toEqual([]);
    expect(narrative.risks).toEqual([]);
    expect(narrative.recommendations).toEqual([]);
  });

  it("medium: risks and recommendations, fewer, and no insights", () => {
    const narrative = narrate(kitchenSink(), "medium");
    expect(narrative.insights).toEqual([]);
    expect(narrative.risks.length).toBeGreaterThan(0);
    expect(narrative.risks.length).toBeLessThanOrEqual(2);
    const audiences = narrative.recommendations.map((recommendation) => recommendation.audience);
    expect(new Set(audiences).size).toBe(audiences.length);
  });

  it("high: insights in the dimensions that have facts, most serious risks first", () => {
    const narrative = narrate(kitchenSink(), "high");
    expect(narrative.insights.map((insight) => insight.dimension)).toEqual(["performance", "security", "maintainability", "compatibility"]);
    expect(narrative.risks[0]).toContain("破坏性变更");
    expect(narrative.risks.length).toBeLessThanOrEqual(5);
    expect(narrative.recommendations.map((r) => r.audience)).toEqual(expect.arrayContaining(["maintainers", "users"]));
  });

  it("omits dimensions with nothing grounded to say, and writes no filler", () => {
    const narrative = narrate(SCENARIOS.spanEventFeature(), "high");
    expect(narrative.insights.map((insight) => insight.dimension)).toEqual(["maintainability"]);
    for (const insight of narrative.insights) expect(insight.points.length).toBeGreaterThan(0);
    const all = listNarrativeTexts(narrative).join("\n");
    expect(all).not.toMatch(/无安全|没有安全|无性能|无影响|不涉及/);
    expect(narrate(SCENARIOS.spanEventFeature(), "high", "en").insights.flatMap((i) => i.points).join(" ")).not.toMatch(
      /no security|no performance|no impact/i,
    );
  });

  it("a docs-only commit at high importance still says nothing about performance or security", () => {
    const narrative = narrate(SCENARIOS.docsOnly(), "high");
    expect(narrative.insights).toEqual([]);
    expect(narrative.risks).toEqual([]);
  });

  it("says a performance change read from the subject's words is what the message says, not a declared perf type", () => {
    const facts = makeFacts({
      message: { scope: "nixl_ep", description: "Optimize low-latency NVLink path" },
      files: [makeFile("examples/device/ep/csrc/kernels/nixl_ep.cu", "source", { module: "examples" })],
    });
    const zh = narrate(facts, "high").insights.find((insight) => insight.dimension === "performance");
    const en = narrate(facts, "high", "en").insights.find((insight) => insight.dimension === "performance");
    expect(zh?.points).toEqual(["提交说明写明“Optimize”，属于性能改进"]);
    expect(en?.points).toEqual(["The message says “Optimize”: a performance change"]);
    expect(narrate(kitchenSink(), "high", "en").insights[0]?.points[0]).toBe("Declared a performance change");
  });

  it("names the files of a small module and counts those of a large one", () => {
    const impact = narrate(SCENARIOS.spanEventFeature(), "low", "en").impact;
    expect(impact[0]).toBe("`lib/runtime`: 4 files (+508/−45)");
    expect(impact[1]).toBe("`docs`: `docs/observability/logging.md` (+40/−2)");
  });
});

describe("signals in the narrative", () => {
  it("reads several signals of one kind in one file as one point, with the lines and the first line's text", () => {
    const facts = makeFacts({
      message: { type: "feat", description: "tune the client" },
      files: [makeFile("src/client.py", "source", { additions: 300, deletions: 20, module: "src" })],
      signals: [
        { kind: "timeout", change: "added", text: "CONNECT_TIMEOUT = 30", origin: { file: "src/client.py", line: 58 } },
        { kind: "timeout", change: "added", text: "READ_TIMEOUT = 60", origin: { file: "src/client.py", line: 59 } },
        { kind: "timeout", change: "added", text: "WRITE_TIMEOUT = 60", origin: { file: "src/client.py", line: 60 } },
      ],
    });
    const zh = buildNarrative(makeInput(facts, "zh-CN"), "high", "feature");
    const performance = zh.insights.find((insight) => insight.dimension === "performance")!;
    expect(performance.points).toEqual(["`src/client.py` 第 58、59、60 行新增超时设置：`CONNECT_TIMEOUT = 30`"]);
    const en = buildNarrative(makeInput(facts, "en"), "high", "feature");
    expect(en.insights.find((insight) => insight.dimension === "performance")!.points).toEqual([
      "`src/client.py` lines 58, 59, 60: timeout setting added: `CONNECT_TIMEOUT = 30`",
    ]);
  });
});

describe("new components", () => {
  it("names a new folder of product source as a component, never a namespace or the repository root", () => {
    const facts = makeFacts({
      message: { type: "feat", description: "Add 3FS backend" },
      files: [
        makeFile("package.json", "manifest", { status: "added", additions: 20, module: "." }),
        ...["a", "b", "c"].map((name) => makeFile(`src/plugins/hf3fs/${name}.cpp`, "source", { status: "added", additions: 150, module: "src/plugins" })),
      ],
      symbols: [makeSymbol("nixl", "added", "src/plugins/hf3fs/a.cpp", { kind: "class" })],
    });
    const narrative = buildNarrative(makeInput(facts, "en"), "high", "feature");
    const architecture = narrative.insights.find((insight) => insight.dimension === "architecture");
    const text = JSON.stringify(architecture ?? {});
    expect(text).toContain("New component: `src/plugins/hf3fs`");
    expect(text).not.toMatch(/repository root/);
  });
});

describe("dependencies in the narrative", () => {
  it("gives a dependency's requirement as written, and none where the manifest states none", () => {
    const facts = makeFacts({
      message: { type: "feat", description: "Add 3FS backend" },
      files: [makeFile("src/plugins/hf3fs/meson.build", "build", { additions: 3 }), makeFile("src/plugins/hf3fs/a.cpp", "source", { additions: 40 })],
      dependencies: [
        makeDependency("absl_log", undefined, "*", "src/plugins/hf3fs/meson.build", { ecosystem: "meson" }),
        makeDependency("liburing", undefined, ">=2.0", "src/plugins/hf3fs/meson.build", { ecosystem: "meson" }),
      ],
    });
    const text = listNarrativeTexts(narrate(facts, "high", "en")).join("\n");
    expect(text).toContain("`absl_log` (added)");
    expect(text).toContain("`liburing` (added, >=2.0)");
    expect(text).not.toContain("*");
  });
});
