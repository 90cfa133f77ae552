/**
 * The fixed strings of chat messages, in each language, in one place. Chat messages are
 * a digest, not the report: counts, the high-importance commits, a link to the rest.
 */
import type { Importance } from "../../analysis/types.js";
import type { Lang, Localized } from "../../i18n/lang.js";

export interface ActivityCounts {
  releases: number;
  pullsOpened: number;
  pullsMerged: number;
  issuesOpened: number;
  issuesClosed: number;
}

export interface ChatLabels {
  title(period: string, digest: boolean): string;
  rangeSeparator: string;
  notice: string;
  counts(counts: Record<Importance, number> & { total: number }): string;
  noCommits: string;
  themes: string;
  /** "1 release, 3 PRs merged, 2 issues opened"; empty when nothing happened. */
  activity(counts: ActivityCounts): string;
  moreMedium(count: number): string;
  moreHigh(count: number): string;
  fullReport: string;
  part(index: number, total: number): string;
}

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

const zh: ChatLabels = {
  title: (period, digest) => (digest ? `repo-digest 每周摘要（${period}）` : `repo-digest 每日更新（${period}）`),
  rangeSeparator: " 至 ",
  notice: "⚠️",
  counts: (c) => `共 ${c.total} 个提交：🔴 高 ${c.high} · 🟡 中 ${c.medium} · 🟢 低 ${c.low}`,
  noCommits: "没有新提交。",
  themes: "主题",
  activity: (a) =>
    [
      a.releases > 0 ? `${a.releases} 个发布` : "",
      a.pullsMerged > 0 ? `合并 ${a.pullsMerged} 个 PR` : "",
      a.pullsOpened > 0 ? `新开 ${a.pullsOpened} 个 PR` : "",
      a.issuesOpened > 0 ? `新开 ${a.issuesOpened} 个 Issue` : "",
      a.issuesClosed > 0 ? `关闭 ${a.issuesClosed} 个 Issue` : "",
    ]
      .filter((part) => part !== "")
      .join("，"),
  moreMedium: (count) => `另有 ${count} 个中重要度提交未列出。`,
  moreHigh: (count) => `另有 ${count} 个高重要度提交未列出，见完整报告。`,
  fullReport: "查看完整报告",
  part: (index, total) => `（${index}/${total}）`,
};

const en: ChatLabels = {
  title: (period, digest) => (digest ? `repo-digest weekly digest (${period})` : `repo-digest daily update (${period})`),
  rangeSeparator: " to ",
  notice: "⚠️",
  counts: (c) => `${plural(c.total, "commit", "commits")}: 🔴 high ${c.high} · 🟡 medium ${c.medium} · 🟢 low ${c.low}`,
  noCommits: "No new commits.",
  themes: "Themes",
  activity: (a) =>
    [
      a.releases > 0 ? plural(a.releases, "release", "releases") : "",
      a.pullsMerged > 0 ? `${plural(a.pullsMerged, "PR", "PRs")} merged` : "",
      a.pullsOpened > 0 ? `${plural(a.pullsOpened, "PR", "PRs")} opened` : "",
      a.issuesOpened > 0 ? `${plural(a.issuesOpened, "issue", "issues")} opened` : "",
      a.issuesClosed > 0 ? `${plural(a.issuesClosed, "issue", "issues")} closed` : "",
    ]
      .filter((part) => part !== "")
      .join(", "),
  moreMedium: (count) => `${plural(count, "more medium-importance commit is", "more medium-importance commits are")} not listed.`,
  moreHigh: (count) => `${plural(count, "more high-importance commit is", "more high-importance commits are")} not listed; see the full report.`,
  fullReport: "Full report",
  part: (index, total) => ` (${index}/${total})`,
};

const LABELS: Localized<ChatLabels> = { "zh-CN": zh, en };

export function chatLabelsFor(lang: Lang): ChatLabels {
  return LABELS[lang];
}
