import { describe, expect, it } from "vitest";
import { fileChange } from "../../../test/helpers/file-change.js";
import { extractFacts } from "../../facts/extract-facts.js";
import type { Lang } from "../../i18n/lang.js";
import type { LlmAnswer } from "./types.js";
import type { Commit, FileChange } from "../../sources/types.js";
import { checkAnswer, simplifyOutsideCode, type CheckContext } from "./check-answer.js";

const person = { name: "Ada", email: "ada@example.com", date: "2026-01-17T08:00:00+08:00" };

function commitOf(subject: string, files: FileChange[]): Commit {
  return { sha: "c".repeat(40), parents: ["d".repeat(40)], author: person, committer: person, subject, body: "", files, patchBytesOmitted: 0 };
}

function contextOf(commit: Commit, lang: Lang = "zh-CN"): CheckContext {
  return {
    facts: extractFacts(commit, { criticalPaths: [], ignorePaths: [] }),
    diffText: commit.files.map((file) => file.patch).join("\n"),
    message: commit.body ? `${commit.subject}\n\n${commit.body}` : commit.subject,
    lang,
  };
}

/** The names the answers below use live in the diff only, not in the message. */
const SERVER = commitOf("feat(server): add a request handler", [
  fileChange(
    "src/mod0.py",
    [
      "@@ -0,0 +1,7 @@",
      '+PORT = int(os.environ.get("SERVER_PORT", "8080"))',
      '+parser.add_argument("--workers", type=int)',
      '+VERSION = "2.3.1"',
      '+MIN_CLIENT = "v1.4"',
      "+def handler_0(req):",
      "+    return req",
      '+LABEL = "記憶體設定"',
    ],
    "added",
  ),
  fileChange("tests/test_mod0.py", ["@@ -0,0 +1,2 @@", "+def test_handler_0():", "+    assert handler_0(1) == 1"], "added"),
]);
/** A commit that holds none of those names. */
const DOCS = commitOf("docs: fix a typo", [fileChange("docs/guide.md", ["@@ -1,1 +1,1 @@", "-teh guide", "+the guide"])]);

const zh = contextOf(SERVER);
const en = contextOf(SERVER, "en");

function answer(overrides: Partial<LlmAnswer>): LlmAnswer {
  return { summary: "", changeType: "feature", importance: "medium", importanceReasons: [], impact: [], insights: [], risks: [], recommendations: [], ...overrides };
}

describe("checkAnswer: names must come from the commit", () => {
  it("keeps a risk naming a file of the commit, by full path or by file name", () => {
    const risks = ["src/mod0.py 不再校验请求。", "`src/mod0.py` 读取端口。", "mod0.py 中的默认端口变了。", "`test_mod0.py` 覆盖了新入口。"];
    const { answer: checked, report } = checkAnswer(answer({ risks }), zh);
    expect(checked.risks).toEqual(risks);
    expect(report.ungrounded).toEqual([]);
    expect(report.droppedSentences).toBe(0);
  });

  it("removes a risk naming a file the commit does not touch, and lists the path", () => {
    const { answer: checked, report } = checkAnswer(
      answer({ risks: ["src/client/api.py 的调用方会失败。", "`lib/router.ts` 需要同步修改。", "mod0.py 不再校验请求。"] }),
      zh,
    );
    expect(checked.risks).toEqual(["mod0.py 不再校验请求。"]);
    expect(report.ungrounded).toEqual(expect.arrayContaining(["src/client/api.py", "lib/router.ts"]));
    expect(report.droppedSentences).toBe(2);
  });

  const NAMED = [
    ["an environment variable", "部署时需要设置 SERVER_PORT。", "SERVER_PORT"],
    ["an environment variable in backticks", "部署时需要设置 `SERVER_PORT`。", "SERVER_PORT"],
    ["a command-line flag", "新增 --workers 参数。", "--workers"],
    ["a version", "版本号升到 2.3.1。", "2.3.1"],
    ["a v-prefixed version", "客户端至少需要 v1.4。", "v1.4"],
  ] as const;

  it.each(NAMED)("keeps %s the diff holds", (_, risk) => {
    const { answer: checked, report } = checkAnswer(answer({ risks: [risk] }), zh);
    expect(checked.risks).toEqual([risk]);
    expect(report.ungrounded).toEqual([]);
  });

  it.each(NAMED)("removes %s the diff does not hold, and lists it", (_, risk, name) => {
    const { answer: checked, report } = checkAnswer(answer({ risks: [risk] }), contextOf(DOCS));
    expect(checked.risks).toEqual([]);
    expect(report.ungrounded).toEqual([name]);
    expect(report.droppedSentences).toBe(1);
  });

  it("removes names the commit does not hold even where similar ones are in it", () => {
    const { answer: checked, report } = checkAnswer(
      answer({ risks: ["需要设置 `AUTH_TOKEN`。", "设置 SERVER_HOST 后生效。", "旧的 --threads 参数不再生效。", "要求 v3.0 以上。", "升级到 4.1.0。"] }),
      zh,
    );
    expect(checked.risks).toEqual([]);
    expect([...report.ungrounded].sort()).toEqual(["--threads", "4.1.0", "AUTH_TOKEN", "SERVER_HOST", "v3.0"].sort());
    expect(report.droppedSentences).toBe(5);
  });

  it("removes a speed-up number the diff does not hold", () => {
    const zhChecked = checkAnswer(answer({ impact: ["吞吐提升 2.5 倍。"], importanceReasons: ["新增请求入口。"] }), zh);
    expect(zhChecked.answer.impact).toEqual([]);
    expect(zhChecked.answer.importanceReasons).toEqual(["新增请求入口。"]);
    expect(zhChecked.report.ungrounded).toEqual(["2.5"]);

    const enChecked = checkAnswer(answer({ impact: ["Requests are 2.5x faster."] }), en);
    expect(enChecked.answer.impact).toEqual([]);
    expect(enChecked.report.ungrounded).toEqual(["2.5"]);
  });

  it("grounds a code span by the name it calls, and removes one the diff does not hold", () => {
    const { answer: checked, report } = checkAnswer(answer({ impact: ["`handler_0()` 直接返回请求。", "`handler_9()` 被删除。"] }), zh);
    expect(checked.impact).toEqual(["`handler_0()` 直接返回请求。"]);
    expect(report.ungrounded).toEqual(["handler_9()"]);
  });

  it("drops recommendations that name what the commit does not hold, and keeps the others", () => {
    const { answer: checked, report } = checkAnswer(
      answer({
        recommendations: [
          { audience: "users", text: "升级到 4.1.0。" },
          { audience: "ci", text: "在 CI 中设置 `CI_SERVER_TOKEN`。" },
          { audience: "maintainers", text: "检查 `handler_0`。" },
        ],
      }),
      zh,
    );
    expect(checked.recommendations).toEqual([{ audience: "maintainers", text: "检查 `handler_0`。" }]);
    expect(report.ungrounded).toEqual(expect.arrayContaining(["4.1.0", "CI_SERVER_TOKEN"]));
  });

  it("drops insight points that name what the commit does not hold, and an insight left with none", () => {
    const { answer: checked } = checkAnswer(
      answer({
        insights: [
          { dimension: "performance", points: ["延迟降低 1.7 倍。"] },
          { dimension: "compatibility", points: ["新增 --workers 参数。", "删除了 --threads 参数。"] },
        ],
      }),
      zh,
    );
    expect(checked.insights).toEqual([{ dimension: "compatibility", points: ["新增 --workers 参数。"] }]);
  });
});

describe("checkAnswer: a summary loses only the sentence that names what the commit does not hold", () => {
  it("in Chinese", () => {
    const { answer: checked, report } = checkAnswer(answer({ summary: "新增请求入口。吞吐提升 2.5 倍。端口由 `SERVER_PORT` 决定。" }), zh);
    expect(checked.summary).toBe("新增请求入口。端口由 `SERVER_PORT` 决定。");
    expect(report.ungrounded).toEqual(["2.5"]);
    expect(report.droppedSentences).toBe(1);
  });

  it("in Chinese with ！ and ？ marks", () => {
    const { answer: checked } = checkAnswer(answer({ summary: "新增请求入口！会不会需要 v9.0？端口可配置。" }), zh);
    expect(checked.summary).toBe("新增请求入口！端口可配置。");
  });

  it("in English", () => {
    const { answer: checked, report } = checkAnswer(answer({ summary: "Adds a request handler. It is 3.5x faster. Reads SERVER_PORT." }), en);
    expect(checked.summary).toBe("Adds a request handler. Reads SERVER_PORT.");
    expect(report.ungrounded).toEqual(["3.5"]);
  });

  it("keeps a version's dots inside its sentence", () => {
    const { answer: checked } = checkAnswer(answer({ summary: "Bumps the version to 2.3.1. Needs Redis 7.2 now." }), en);
    expect(checked.summary).toBe("Bumps the version to 2.3.1.");
  });
});

describe("checkAnswer: zh-CN script", () => {
  it("brings Traditional characters to Simplified and counts the characters changed", () => {
    const { answer: checked, report } = checkAnswer(answer({ summary: "這個變更會影響記憶體設定" }), zh);
    expect(checked.summary).toBe("这个变更会影响记忆体设定");
    expect(report.traditionalFixed).toBe(9);
  });

  it("converts every text field, not only the summary", () => {
    const { answer: checked, report } = checkAnswer(
      answer({ risks: ["舊設定會失效。"], recommendations: [{ audience: "users", text: "請檢查設定。" }] }),
      zh,
    );
    expect(checked.risks).toEqual(["旧设定会失效。"]);
    expect(checked.recommendations).toEqual([{ audience: "users", text: "请检查设定。" }]);
    expect(report.traditionalFixed).toBe(6);
  });

  it("leaves code spans as written", () => {
    const { answer: checked, report } = checkAnswer(answer({ summary: "標籤 `記憶體設定` 會顯示。" }), zh);
    expect(checked.summary).toBe("标签 `記憶體設定` 会显示。");
    expect(report.traditionalFixed).toBe(4);
    expect(simplifyOutsideCode("設定 `設定` 設定")).toEqual({ text: "设定 `設定` 设定", changed: 2 });
  });

  it("leaves an English answer as written", () => {
    const { answer: checked, report } = checkAnswer(answer({ summary: "Shows the label 記憶體設定." }), en);
    expect(checked.summary).toBe("Shows the label 記憶體設定.");
    expect(report.traditionalFixed).toBe(0);
  });

  it("leaves Simplified text untouched", () => {
    expect(simplifyOutsideCode("这个变更会影响内存设置")).toEqual({ text: "这个变更会影响内存设置", changed: 0 });
  });
});

describe("checkAnswer: reasoning", () => {
  it("removes a <think> block inside a field and says so", () => {
    const { answer: checked, report } = checkAnswer(
      answer({ summary: "<think>the diff adds a port</think>新增请求入口。", risks: ["<think>maybe 9.9x?</think>端口可配置。"] }),
      zh,
    );
    expect(checked.summary).toBe("新增请求入口。");
    expect(checked.risks).toEqual(["端口可配置。"]);
    expect(report.reasoningRemoved).toBe(true);
    expect(report.ungrounded).toEqual([]);
  });

  it("reports nothing removed when there was no reasoning", () => {
    const { report } = checkAnswer(answer({ summary: "新增请求入口。" }), zh);
    expect(report).toEqual({ ungrounded: [], droppedSentences: 0, traditionalFixed: 0, reasoningRemoved: false });
  });
});

/*
 * Known gaps: each test below asserts the behaviour the module promises ("every name the
 * answer uses must appear in the commit") and fails against the current code.
 */
describe("checkAnswer: names are grounded whole", () => {
  it("holds a path in backticks to the same rule as a path in prose", () => {
    // `tests/mod0.py` is not a file of the commit; its parts "tests" and "mod0.py" are.
    const { answer: checked, report } = checkAnswer(answer({ risks: ["`tests/mod0.py` 被删除。", "tests/mod0.py 被删除。"] }), zh);
    expect(checked.risks).toEqual([]);
    expect(report.ungrounded).toEqual(["tests/mod0.py"]);
  });

  it("does not ground a number by part of a longer version", () => {
    // The diff holds 2.3.1, not 3.1.
    const { answer: checked, report } = checkAnswer(answer({ risks: ["吞吐提升 3.1 倍。"] }), zh);
    expect(checked.risks).toEqual([]);
    expect(report.ungrounded).toEqual(["3.1"]);
  });

  it("does not ground an environment variable or flag by part of a longer name", () => {
    // The diff holds SERVER_PORT and --workers, not SERVER_POR or --work.
    const { answer: checked, report } = checkAnswer(answer({ risks: ["需要设置 SERVER_POR。", "新增 --work 参数。"] }), zh);
    expect(checked.risks).toEqual([]);
    expect(report.ungrounded).toEqual(["SERVER_POR", "--work"]);
  });
});
