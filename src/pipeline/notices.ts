import { pick, type Lang } from "../i18n/lang.js";

/** One-line notices the pipeline puts under a repository's heading, in the report's language. */
export function fetchFailedNotice(lang: Lang, reason: string): string {
  return pick(lang, {
    "zh-CN": `拉取远程仓库失败，本报告基于上次拉取到的历史（${reason}）`,
    en: `Fetching the remote failed; this report uses the history fetched last time (${reason})`,
  });
}

/** The banner at the top of a report whose LLM analyses failed more than allowed. */
export function llmFailureBanner(lang: Lang, failed: number, attempted: number, reason: string): string {
  return pick(lang, {
    "zh-CN": `LLM 分析失败 ${failed}/${attempted} 条（${reason}）；这些提交使用了规则分析。请检查模型配置与密钥。`,
    en: `LLM analysis failed for ${failed} of ${attempted} commits (${reason}); they use the rules analysis. Check the model settings and the key.`,
  });
}

export function spendCapNotice(lang: Lang, count: number): string {
  return pick(lang, {
    "zh-CN": `本次运行达到花费上限，${count} 个提交使用了规则分析。`,
    en: `The run reached its spend cap; ${count} commit(s) use the rules analysis.`,
  });
}

export function pullRequestsFailedNotice(lang: Lang, reason: string): string {
  return pick(lang, {
    "zh-CN": `未能从 GitHub 读取拉取请求，本节不含 PR 背景（${reason}）`,
    en: `Pull requests could not be read from GitHub; this section has no PR context (${reason})`,
  });
}

export function activityFailedNotice(lang: Lang, reason: string): string {
  return pick(lang, {
    "zh-CN": `未能从 GitHub 读取当日动态（${reason}）`,
    en: `The day's activity could not be read from GitHub (${reason})`,
  });
}

export function noGitHubTokenNotice(lang: Lang): string {
  return pick(lang, {
    "zh-CN": "未设置 GitHub 令牌（GITHUB_TOKEN）：本节没有 PR 背景；提交与当日动态照常读取。",
    en: "No GitHub token (GITHUB_TOKEN): this section has no PR context; commits and the day's activity are read as usual.",
  });
}
