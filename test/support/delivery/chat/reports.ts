/** Reports for the chat channel tests, built with the report fixtures. */
import type { Lang } from "../../../../src/i18n/lang.js";
import { makeRepo, makeReport } from "../../report/fixtures.js";
import type { Report } from "../../../../src/report/types.js";

export const FULL_REPORT_URL = "https://reports.example.com/2026-01-17--acme-engine.html";

/** One repository with `count` high-importance commits, each with a long summary, and a few medium ones. */
export function manyHighReport(count: number, lang: Lang = "zh-CN"): Report {
  const summary =
    lang === "zh-CN"
      ? "调度器改为按优先级分批提交请求，批大小由 `MAX_BATCH` 控制；失败的批次整体重试，并在日志中记录每个请求的等待时间与重试次数，便于排查尾延迟。"
      : "The scheduler now submits requests in priority batches sized by `MAX_BATCH`; a failed batch is retried as a whole, and the log records each request's wait time and retry count to help chase tail latency.";
  const commits = Array.from({ length: count + 5 }, (_, index) => {
    const sha = `${(index + 1).toString(16).padStart(4, "0")}abc`;
    return {
      sha,
      subject: `feat(scheduler): batch submission step ${index + 1} <T> *fast* [x]`,
      date: `2026-01-17T${String(10 + Math.floor(index / 60)).padStart(2, "0")}:${String(index % 60).padStart(2, "0")}:00+08:00`,
      importance: index < count ? ("high" as const) : ("medium" as const),
      narrative: { summary: `${summary}（${index + 1}）` },
      lang,
      links: { commit: `https://github.com/acme/engine/commit/${sha.padEnd(40, "0")}` },
    };
  });
  return makeReport([makeRepo("acme/engine", commits, { webUrl: "https://github.com/acme/engine" })], {
    lang,
    notices: [lang === "zh-CN" ? "未配置 LLM：分析由内置规则生成。" : "No LLM configured: the analysis comes from the built-in rules."],
  });
}
