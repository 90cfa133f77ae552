/**
 * How every report format names the pull request behind a commit and the repository's
 * activity on GitHub, in each language: Markdown and HTML say it in the same words.
 */
import type { Lang, Localized } from "../i18n/lang.js";

export interface GitHubLabels {
  /** The pull request behind a commit, where GitHub was asked. */
  pullRequest: {
    heading: string;
    labels: string;
    reviewers: string;
    linkedIssues: string;
    mergedAt(time: string): string;
  };
  activity: {
    heading: string;
    releases: string;
    prerelease: string;
    published(time: string): string;
    tags: string;
    pullRequests: string;
    issues: string;
    opened: string;
    merged: string;
    closedUnmerged: string;
    closed: string;
    discussed: string;
    issue: string;
    pull: string;
    newComments(count: number): string;
    by(author: string): string;
    omitted(count: number): string;
  };
}

const zh: GitHubLabels = {
  pullRequest: {
    heading: "🔀 关联 PR",
    labels: "标签",
    reviewers: "评审人",
    linkedIssues: "关联 Issue",
    mergedAt: (time) => `合并于 ${time}`,
  },
  activity: {
    heading: "🗂️ 仓库动态",
    releases: "🚀 发布",
    prerelease: "预发布",
    published: (time) => `发布于 ${time}`,
    tags: "🏷️ 新标签",
    pullRequests: "🔀 Pull Request",
    issues: "📌 Issue",
    opened: "新开",
    merged: "已合并",
    closedUnmerged: "关闭（未合并）",
    closed: "已关闭",
    discussed: "💬 讨论最多",
    issue: "Issue",
    pull: "PR",
    newComments: (count) => `${count} 条新评论`,
    by: (author) => `@${author}`,
    omitted: (count) => `另有 ${count} 项未列出。`,
  },
};

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

const en: GitHubLabels = {
  pullRequest: {
    heading: "🔀 Pull request",
    labels: "Labels",
    reviewers: "Reviewers",
    linkedIssues: "Linked issues",
    mergedAt: (time) => `merged ${time}`,
  },
  activity: {
    heading: "🗂️ Activity",
    releases: "🚀 Releases",
    prerelease: "pre-release",
    published: (time) => `published ${time}`,
    tags: "🏷️ New tags",
    pullRequests: "🔀 Pull requests",
    issues: "📌 Issues",
    opened: "Opened",
    merged: "Merged",
    closedUnmerged: "Closed without merging",
    closed: "Closed",
    discussed: "💬 Most discussed",
    issue: "Issue",
    pull: "PR",
    newComments: (count) => plural(count, "new comment", "new comments"),
    by: (author) => `@${author}`,
    omitted: (count) => `${count} more not shown.`,
  },
};

const LABELS: Localized<GitHubLabels> = { "zh-CN": zh, en };

export function githubLabelsFor(lang: Lang): GitHubLabels {
  return LABELS[lang];
}
