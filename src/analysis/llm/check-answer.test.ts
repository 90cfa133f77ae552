import { describe, expect, it } from "vitest";
import { fileChange } from "../../../test/helpers/file-change.js";
import { extractFacts } from "../../facts/extract-facts.js";
import type { LlmAnswer } from "../../llm/types.js";
import type { Commit } from "../../sources/types.js";
import { checkAnswer } from "./check-answer.js";

const person = { name: "Ada", email: "ada@example.com", date: "2026-01-17T08:00:00+08:00" };
const commit: Commit = {
  sha: "c".repeat(40),
  parents: [],
  author: person,
  committer: person,
  subject: "feat(server): read SERVER_PORT, add --workers, bump to 2.3.1",
  body: "",
  files: [
    fileChange("src/server/mod0.py", ["@@ -0,0 +1,3 @@", '+PORT = os.environ["SERVER_PORT"]', "+def handler_0(req): return req", '+VERSION = "2.3.1"'], "added"),
  ],
  patchBytesOmitted: 0,
};
const facts = extractFacts(commit, { criticalPaths: [], ignorePaths: [] });
const context = { facts, diffText: commit.files.map((f) => f.patch).join("\n"), message: commit.subject, lang: "zh-CN" as const };

function answer(overrides: Partial<LlmAnswer>): LlmAnswer {
  return { summary: "", changeType: "feature", importance: "medium", importanceReasons: [], impact: [], insights: [], risks: [], recommendations: [], ...overrides };
}

describe("checkAnswer", () => {
  it("keeps names the commit holds: full paths, file names, code spans, variables, flags, versions", () => {
    const { answer: checked, report } = checkAnswer(
      answer({
        risks: ["`src/server/mod0.py` 读取 `SERVER_PORT`。", "mod0.py 中 `handler_0()` 直接返回。", "新增 --workers 参数，版本 2.3.1。"],
      }),
      context,
    );
    expect(checked.risks).toHaveLength(3);
    expect(report.ungrounded).toEqual([]);
  });

  it("removes what names a path, variable, flag, version or number the commit does not hold, and counts it", () => {
    const { answer: checked, report } = checkAnswer(
      answer({
        summary: "新增服务入口。吞吐提升 2.5 倍。",
        impact: ["`src/client/api.py` 受影响。", "`src/server/mod0.py`"],
        risks: ["需要设置 `AUTH_TOKEN`。", "旧的 --threads 参数不再生效。", "要求 v3.0 以上。"],
        recommendations: [{ audience: "users", text: "升级到 4.1.0。" }, { audience: "maintainers", text: "检查 `handler_0`。" }],
      }),
      context,
    );
    expect(checked.summary).toBe("新增服务入口。");
    expect(checked.impact).toEqual(["`src/server/mod0.py`"]);
    expect(checked.risks).toEqual([]);
    expect(checked.recommendations).toEqual([{ audience: "maintainers", text: "检查 `handler_0`。" }]);
    expect(report.ungrounded).toEqual(expect.arrayContaining(["2.5", "src/client/api.py", "AUTH_TOKEN", "--threads", "v3.0", "4.1.0"]));
    expect(report.droppedSentences).toBe(6);
  });

  it("drops only the offending sentence of an English summary", () => {
    const { answer: checked } = checkAnswer(answer({ summary: "Adds a server entry point. It is 3.5x faster. Reads SERVER_PORT." }), { ...context, lang: "en" });
    expect(checked.summary).toBe("Adds a server entry point. Reads SERVER_PORT.");
  });

  it("brings zh-CN text to Simplified Chinese, outside code spans only, and counts the characters", () => {
    const { answer: checked, report } = checkAnswer(answer({ summary: "這個變更會影響記憶體設定，見 `handler_0`。" }), context);
    expect(checked.summary).toBe("这个变更会影响记忆体设定，见 `handler_0`。");
    expect(report.traditionalFixed).toBe(10);
    const english = checkAnswer(answer({ summary: "這個 change." }), { ...context, lang: "en" });
    expect(english.answer.summary).toBe("這個 change.");
  });

  it("removes reasoning left inside a field", () => {
    const { answer: checked, report } = checkAnswer(answer({ summary: "<think>the diff adds a port</think>新增服务入口。" }), context);
    expect(checked.summary).toBe("新增服务入口。");
    expect(report.reasoningRemoved).toBe(true);
  });
});
