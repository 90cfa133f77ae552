import { pick, type Lang } from "../i18n/lang.js";

/** One-line notices the pipeline puts under a repository's heading, in the report's language. */
export function fetchFailedNotice(lang: Lang, reason: string): string {
  return pick(lang, {
    "zh-CN": `拉取远程仓库失败，本报告基于上次拉取到的历史（${reason}）`,
    en: `Fetching the remote failed; this report uses the history fetched last time (${reason})`,
  });
}
