/**
 * Every fixed string of the Markdown report, in each language, in one place, so that
 * the two languages cannot drift apart in shape.
 */
import type { Audience, ChangeType, Importance, InsightDimension } from "../../analysis/types.js";
import type { Lang, Localized } from "../../i18n/lang.js";

export interface Labels {
  title(period: string): string;
  /** The weekly digest's title, its per-day table and the line for what it leaves out. */
  digest: {
    title(period: string): string;
    daysHeading: string;
    day: string;
    total: string;
    rest(medium: number, low: number): string;
  };
  /** Joins the two ends of a range label. */
  rangeSeparator: string;
  noticeHeading: string;
  overviewHeading: string;
  periodLine(from: string, to: string, timezone: string): string;
  overviewCounts(repos: number, commits: number): string;
  repoTable: { repo: string; branch: string; commits: string };
  highlightsHeading(isRange: boolean): string;
  noHighlights(isRange: boolean): string;
  noCommitsAnywhere(isRange: boolean): string;
  branch: string;
  /** The LLM's overview of one repository's period. */
  dayOverview: { heading: string; themes: string; readFirst: string; writtenBy(model: string): string };
  commitTable: { time: string; importance: string; author: string; message: string; sha: string };
  noCommits(isRange: boolean): string;
  statsHeading: string;
  statsTotal(total: number, isRange: boolean): string;
  tocHeading: string;
  group(importance: Importance, count: number): string;
  importance: Record<Importance, string>;
  /** Importance with its score, e.g. "🔴 高（评分 9）". */
  /** The tier with its emoji; the score stays in the JSON (the README explains the scale). */
  importanceTier(importance: Importance): string;
  /** When the model and the rules disagree by a tier: both opinions, in one line after the shown tier. */
  opinions(model: Importance, rules: Importance): string;
  /** One reason behind the importance, with its signed weight. */
  reason(text: string): string;
  changeType: Record<ChangeType, string>;
  dimension: Record<InsightDimension, string>;
  audience: Record<Audience, string>;
  section: {
    changeType: string;
    importance: string;
    summary: string;
    impact: string;
    insights: string;
    risks: string;
    recommendations: string;
  };
  /** Separator between a bold label and its value. */
  colon: string;
  viewCommit: string;
  pullRequest(prNumber: number): string;
  diffSize(additions: number, deletions: number, files: number): string;
  unseen: string;
  /** Files whose contents are missing from the clone: no patch, nothing read. */
  unreadableFiles(count: number, names: string): string;
  truncatedFiles(count: number, names: string): string;
  omittedBytes(size: string): string;
  ignoredFiles(count: number, names: string): string;
  /** Files the structural pass could not read: their symbols come from the patch text alone. */
  structureFallback(count: number, names: string): string;
  /** Appended to a name list that shows only the first few of `total`. */
  moreNames(shown: string, rest: number): string;
  listSeparator: string;
  clauseSeparator: string;
  footer(version: string, time: string, timezone: string): string;
}

const EMOJI: Record<Importance, string> = { high: "🔴", medium: "🟡", low: "🟢" };

export function importanceEmoji(importance: Importance): string {
  return EMOJI[importance];
}

const ZH_IMPORTANCE: Record<Importance, string> = { high: "高", medium: "中", low: "低" };
const EN_IMPORTANCE: Record<Importance, string> = { high: "high", medium: "medium", low: "low" };
const EN_GROUP: Record<Importance, string> = { high: "High", medium: "Medium", low: "Low" };

const zh: Labels = {
  title: (period) => `每日更新报告（${period}）`,
  digest: {
    title: (period) => `每周摘要（${period}）`,
    daysHeading: "📅 每日提交",
    day: "日期",
    total: "合计",
    rest: (medium, low) => `本周另有 ${medium} 个中重要度、${low} 个低重要度的提交未在摘要中展开，详见每日报告。`,
  },
  rangeSeparator: " 至 ",
  noticeHeading: "⚠️ 注意",
  overviewHeading: "📈 总览",
  dayOverview: {
    heading: "🧭 今日要点",
    themes: "主题",
    readFirst: "优先阅读",
    writtenBy: (model) => `由 ${model} 根据各提交的分析撰写。`,
  },
  periodLine: (from, to, timezone) => `统计区间：${from} 至 ${to}（${timezone}）`,
  overviewCounts: (repos, commits) => `${repos} 个仓库，共 ${commits} 个提交`,
  repoTable: { repo: "仓库", branch: "分支", commits: "提交" },
  highlightsHeading: (isRange) => `🔴 ${isRange ? "本期" : "本日"}高重要度变更`,
  noHighlights: (isRange) => `${isRange ? "本期" : "本日"}没有高重要度变更。`,
  noCommitsAnywhere: (isRange) => `${isRange ? "本期" : "本日"}所有仓库均无新提交。`,
  branch: "分支",
  commitTable: { time: "提交时间", importance: "重要程度", author: "作者", message: "提交信息", sha: "SHA" },
  noCommits: (isRange) => `${isRange ? "本期" : "本日"}没有新提交。`,
  statsHeading: "📊 统计摘要",
  statsTotal: (total, isRange) => `${isRange ? "本期" : "本日"}共 ${total} 个提交`,
  tocHeading: "📋 目录",
  group: (importance, count) => `${EMOJI[importance]} ${ZH_IMPORTANCE[importance]}重要度变更（${count}）`,
  importance: { high: "🔴高", medium: "🟡中", low: "🟢低" },
  importanceTier: (importance) => `${EMOJI[importance]} ${ZH_IMPORTANCE[importance]}`,
  opinions: (model, rules) => `（模型：${EMOJI[model]} ${ZH_IMPORTANCE[model]}；规则：${EMOJI[rules]} ${ZH_IMPORTANCE[rules]}）`,
  reason: (text) => text,
  changeType: {
    feature: "功能增强",
    bugfix: "Bug 修复",
    docs: "文档更新",
    refactor: "代码重构",
    performance: "性能优化",
    test: "测试修改",
    build: "构建调整",
    ci: "CI 调整",
    config: "配置调整",
    dependency: "依赖更新",
    release: "版本发布",
    revert: "回滚",
    style: "代码风格",
    chore: "日常维护",
  },
  dimension: {
    architecture: "架构影响",
    performance: "性能影响",
    security: "安全考虑",
    maintainability: "可维护性",
    compatibility: "兼容性",
  },
  audience: { maintainers: "维护者", users: "使用者", ci: "CI" },
  section: {
    changeType: "🎯 变更类型",
    importance: "⚡ 重要程度",
    summary: "📋 变更摘要",
    impact: "🧭 影响范围",
    insights: "🔍 技术洞察",
    risks: "⚠️ 潜在风险",
    recommendations: "💡 关注建议",
  },
  colon: "：",
  viewCommit: "查看提交",
  pullRequest: (prNumber) => `PR #${prNumber}`,
  diffSize: (additions, deletions, files) => `+${additions}/−${deletions}，${files} 个文件`,
  unseen: "未完整查看",
  unreadableFiles: (count, names) => `${count} 个文件的内容无法从仓库读取，未作分析（${names}）`,
  truncatedFiles: (count, names) => `${count} 个文件的补丁只读取了一部分（${names}）`,
  omittedBytes: (size) => `另有 ${size} 补丁超出上限未读取`,
  ignoredFiles: (count, names) => `${count} 个文件按配置忽略（${names}）`,
  structureFallback: (count, names) => `${count} 个文件未能做结构分析，其符号只依据补丁文本（${names}）`,
  moreNames: (shown, rest) => `${shown} 等，另有 ${rest} 个`,
  listSeparator: "、",
  clauseSeparator: "；",
  footer: (version, time, timezone) => `由 repo-digest ${version} 生成于 ${time}（${timezone}）`,
};

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

const en: Labels = {
  title: (period) => `Daily update report (${period})`,
  digest: {
    title: (period) => `Weekly digest (${period})`,
    daysHeading: "📅 Commits per day",
    day: "Day",
    total: "Total",
    rest: (medium, low) => `${medium} medium- and ${low} low-importance commits of the week are not expanded here; see the daily reports.`,
  },
  rangeSeparator: " to ",
  noticeHeading: "⚠️ Notice",
  overviewHeading: "📈 Overview",
  dayOverview: {
    heading: "🧭 At a glance",
    themes: "Themes",
    readFirst: "Read first",
    writtenBy: (model) => `Written by ${model} from the commits' analyses.`,
  },
  periodLine: (from, to, timezone) => `Period: ${from} to ${to} (${timezone})`,
  overviewCounts: (repos, commits) => `${plural(repos, "repository", "repositories")}, ${plural(commits, "commit", "commits")}`,
  repoTable: { repo: "Repository", branch: "Branch", commits: "Commits" },
  highlightsHeading: (isRange) => `🔴 High-importance changes ${isRange ? "in this period" : "today"}`,
  noHighlights: (isRange) => `No high-importance changes ${isRange ? "in this period" : "today"}.`,
  noCommitsAnywhere: (isRange) => `No repository has new commits ${isRange ? "in this period" : "today"}.`,
  branch: "Branch",
  commitTable: { time: "Committed", importance: "Importance", author: "Author", message: "Message", sha: "SHA" },
  noCommits: (isRange) => `No new commits ${isRange ? "in this period" : "today"}.`,
  statsHeading: "📊 Statistics",
  statsTotal: (total, isRange) => `${plural(total, "commit", "commits")} ${isRange ? "in this period" : "today"}`,
  tocHeading: "📋 Contents",
  group: (importance, count) => `${EMOJI[importance]} ${EN_GROUP[importance]} importance (${count})`,
  importance: { high: "🔴 high", medium: "🟡 medium", low: "🟢 low" },
  importanceTier: (importance) => `${EMOJI[importance]} ${EN_IMPORTANCE[importance]}`,
  opinions: (model, rules) => ` (model: ${EMOJI[model]} ${EN_IMPORTANCE[model]}; rules: ${EMOJI[rules]} ${EN_IMPORTANCE[rules]})`,
  reason: (text) => text,
  changeType: {
    feature: "Feature",
    bugfix: "Bug fix",
    docs: "Documentation",
    refactor: "Refactoring",
    performance: "Performance",
    test: "Tests",
    build: "Build",
    ci: "CI",
    config: "Configuration",
    dependency: "Dependencies",
    release: "Release",
    revert: "Revert",
    style: "Style",
    chore: "Chore",
  },
  dimension: {
    architecture: "Architecture",
    performance: "Performance",
    security: "Security",
    maintainability: "Maintainability",
    compatibility: "Compatibility",
  },
  audience: { maintainers: "Maintainers", users: "Users", ci: "CI" },
  section: {
    changeType: "🎯 Change type",
    importance: "⚡ Importance",
    summary: "📋 Summary",
    impact: "🧭 Impact",
    insights: "🔍 Technical insights",
    risks: "⚠️ Risks",
    recommendations: "💡 Recommendations",
  },
  colon: ": ",
  viewCommit: "View commit",
  pullRequest: (prNumber) => `PR #${prNumber}`,
  diffSize: (additions, deletions, files) => `+${additions}/−${deletions} in ${plural(files, "file", "files")}`,
  unseen: "Not seen in full",
  unreadableFiles: (count, names) => `${plural(count, "file", "files")} could not be read from the repository, not analysed (${names})`,
  truncatedFiles: (count, names) => `${plural(count, "file", "files")} read in part (${names})`,
  omittedBytes: (size) => `${size} of patch over the limit not read`,
  ignoredFiles: (count, names) => `${plural(count, "file", "files")} ignored by config (${names})`,
  structureFallback: (count, names) => `${plural(count, "file", "files")} not parsed, symbols from the patch text only (${names})`,
  moreNames: (shown, rest) => `${shown} and ${rest} more`,
  listSeparator: ", ",
  clauseSeparator: "; ",
  footer: (version, time, timezone) => `Generated by repo-digest ${version} at ${time} (${timezone})`,
};

const LABELS: Localized<Labels> = { "zh-CN": zh, en };

export function labelsFor(lang: Lang): Labels {
  return LABELS[lang];
}
