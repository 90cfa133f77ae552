/**
 * Strings only the HTML report uses: its navigation. The pull request and activity
 * labels are shared with Markdown (src/report/github-labels.ts), the rest comes from the
 * Markdown report's labels, so that both formats say the same thing in the same words.
 */
import type { Lang, Localized } from "../../i18n/lang.js";
import { githubLabelsFor, type GitHubLabels } from "../github-labels.js";

export interface HtmlLabels extends GitHubLabels {
  commitsHeading: string;
  commitMessage: string;
  backToContents: string;
}

const zh: Omit<HtmlLabels, keyof GitHubLabels> = {
  commitsHeading: "🧾 提交列表",
  commitMessage: "提交说明",
  backToContents: "↑ 返回目录",
};

const en: Omit<HtmlLabels, keyof GitHubLabels> = {
  commitsHeading: "🧾 Commits",
  commitMessage: "Commit message",
  backToContents: "↑ Back to contents",
};

const LABELS: Localized<Omit<HtmlLabels, keyof GitHubLabels>> = { "zh-CN": zh, en };

export function htmlLabelsFor(lang: Lang): HtmlLabels {
  return { ...LABELS[lang], ...githubLabelsFor(lang) };
}
