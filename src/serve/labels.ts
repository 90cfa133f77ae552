/**
 * Every fixed string of the web app, in each language. Importance and change types come from
 * the report's own labels, so that the app and the reports name them in the same words.
 */
import type { ChangeType, Importance } from "../analysis/types.js";
import type { Lang, Localized } from "../i18n/lang.js";
import { labelsFor } from "../report/markdown/labels.js";

export interface ServeLabels {
  appName: string;
  skipToContent: string;
  nav: { home: string; reports: string; search: string; trends: string; otherLanguage: string; mainNavigation: string };
  footer(version: string): string;
  importance: Record<Importance, string>;
  changeType: Record<ChangeType, string>;
  home: {
    title: string;
    latestHeading: string;
    noReports: string;
    calendarHeading: string;
    calendarNote: string;
    weekdays: readonly string[];
    month(year: number, month: number): string;
    reportsOn(day: string, count: number): string;
    repoTable: { repo: string; latest: string; reports: string };
  };
  reports: { title: string; onDay(day: string): string; none: string; table: { period: string; repos: string; lang: string; kind: string }; digest: string; daily: string };
  report: { backHome: string; otherLanguage: string };
  repo: { title(name: string): string; reportsHeading: string; commitsHeading: string; noReports: string; noCommits: string; moreCommits(total: number): string; trendsLink: string };
  commit: {
    title(shortSha: string): string;
    repo: string;
    author: string;
    committed: string;
    importance: string;
    changeType: string;
    bot: string;
    pr: string;
    labels: string;
    analysis: string;
    message: string;
    facts: string;
    paths: string;
    modules: string;
    symbols: string;
    envVars: string;
    flags: string;
    configKeys: string;
    dependencies: string;
    api(added: number, removed: number): string;
    breaking: string;
    links: string;
    onHost: string;
    prOnHost(number: number): string;
    inReport: string;
    otherLanguage: string;
  };
  search: {
    title: string;
    submit: string;
    fields: {
      q: string;
      repo: string;
      since: string;
      until: string;
      importance: string;
      type: string;
      author: string;
      bots: string;
      affects: string;
      path: string;
      module: string;
      symbol: string;
      env: string;
      flag: string;
      dependency: string;
    };
    any: string;
    atLeast(importance: string): string;
    bots: { all: string; exclude: string; only: string };
    results(total: number): string;
    none: string;
    feed: string;
    moreFilters: string;
    otherLanguageNote: string;
  };
  trends: {
    title: string;
    range(since: string, until: string): string;
    apply: string;
    perDay: string;
    hotspots: string;
    api: string;
    dependencies: string;
    authors: string;
    noData: string;
    table: string;
    day: string;
    module: string;
    commits: string;
    lines: string;
    added: string;
    removed: string;
    breaking: string;
    author: string;
    botMark: string;
    countLines(lines: number): string;
    countCommits(commits: number): string;
    otherLanguageNote: string;
  };
  pager: { previous: string; next: string; page(page: number, pages: number): string; label: string };
  errors: { notFound: string; badRequest: string; unauthorized: string; methodNotAllowed: string; misdirected: string; internal: string };
  colon: string;
}

function imports(lang: Lang): Pick<ServeLabels, "importance" | "changeType"> {
  const report = labelsFor(lang);
  return { importance: report.importance, changeType: report.changeType };
}

const zh: Omit<ServeLabels, "importance" | "changeType"> = {
  appName: "repo-digest",
  skipToContent: "跳到正文",
  nav: { home: "首页", reports: "报告", search: "搜索", trends: "趋势", otherLanguage: "English", mainNavigation: "主导航" },
  footer: (version) => `repo-digest ${version} · 只读浏览本地存储`,
  home: {
    title: "repo-digest 报告",
    latestHeading: "各仓库最新报告",
    noReports: "存储中还没有报告：先运行 repo-digest report。",
    calendarHeading: "有报告的日期",
    calendarNote: "区间报告（如每周摘要）记在其第一天。",
    weekdays: ["一", "二", "三", "四", "五", "六", "日"],
    month: (year, month) => `${year} 年 ${month} 月`,
    reportsOn: (day, count) => `${day}：${count} 份报告`,
    repoTable: { repo: "仓库", latest: "最新报告", reports: "报告数" },
  },
  reports: {
    title: "全部报告",
    onDay: (day) => `${day} 的报告`,
    none: "没有报告。",
    table: { period: "时段", repos: "仓库", lang: "语言", kind: "类型" },
    digest: "每周摘要",
    daily: "日报",
  },
  report: { backHome: "← 返回 repo-digest 首页", otherLanguage: "English version" },
  repo: {
    title: (name) => `仓库 ${name}`,
    reportsHeading: "报告",
    commitsHeading: "最近的提交",
    noReports: "这个仓库还没有报告。",
    noCommits: "索引中没有这个仓库的提交。",
    moreCommits: (total) => `在搜索中查看全部 ${total} 个提交`,
    trendsLink: "这个仓库的趋势",
  },
  commit: {
    title: (shortSha) => `提交 ${shortSha}`,
    repo: "仓库",
    author: "作者",
    committed: "提交时间",
    importance: "重要程度",
    changeType: "变更类型",
    bot: "机器人",
    pr: "拉取请求",
    labels: "标签",
    analysis: "分析",
    message: "提交说明",
    facts: "涉及的事实",
    paths: "文件",
    modules: "模块",
    symbols: "公开符号",
    envVars: "环境变量",
    flags: "命令行参数",
    configKeys: "配置项",
    dependencies: "依赖",
    api: (added, removed) => `公开 API：新增 ${added}，移除 ${removed}`,
    breaking: "破坏性变更",
    links: "链接",
    onHost: "在代码托管站点查看提交",
    prOnHost: (number) => `在代码托管站点查看 PR #${number}`,
    inReport: "收录于报告：",
    otherLanguage: "这个提交只有另一种语言的分析，下面显示的是它。",
  },
  search: {
    title: "搜索提交",
    submit: "搜索",
    fields: {
      q: "关键词",
      repo: "仓库",
      since: "起始日（含）",
      until: "截止日（含）",
      importance: "重要程度",
      type: "变更类型",
      author: "作者",
      bots: "机器人提交",
      affects: "只看影响我的代码的提交",
      path: "路径（glob）",
      module: "模块",
      symbol: "符号",
      env: "环境变量",
      flag: "命令行参数",
      dependency: "依赖",
    },
    any: "不限",
    atLeast: (importance) => `${importance} 及以上`,
    bots: { all: "包含", exclude: "排除", only: "只看机器人" },
    results: (total) => `共 ${total} 个结果`,
    none: "没有匹配的提交。",
    feed: "以 Atom 订阅这个搜索",
    moreFilters: "更多筛选条件",
    otherLanguageNote: "这个语言的索引里没有结果；下面是另一种语言的分析中的结果。",
  },
  trends: {
    title: "趋势",
    range: (since, until) => `${since} 至 ${until}（UTC，含两端）`,
    apply: "更新",
    perDay: "每日提交（按重要程度）",
    hotspots: "热点模块（按改动行数）",
    api: "公开 API 新增、移除与破坏性变更（每日）",
    dependencies: "依赖变更（每日提交数）",
    authors: "最活跃的作者",
    noData: "这段时间没有已索引的提交。",
    table: "数据表",
    day: "日期",
    module: "模块",
    commits: "提交",
    lines: "行数",
    added: "新增",
    removed: "移除",
    breaking: "破坏性",
    author: "作者",
    botMark: "（机器人）",
    countLines: (lines) => `${lines} 行`,
    countCommits: (commits) => `${commits} 个提交`,
    otherLanguageNote: "这个语言的索引里没有数据；下面是另一种语言的分析的数据。",
  },
  pager: { previous: "← 上一页", next: "下一页 →", page: (page, pages) => `第 ${page} / ${pages} 页`, label: "分页" },
  errors: {
    notFound: "没有这个页面",
    badRequest: "请求有误",
    unauthorized: "需要令牌",
    methodNotAllowed: "只支持 GET 和 HEAD",
    misdirected: "这个服务只接受回环地址的请求",
    internal: "服务器内部错误",
  },
  colon: "：",
};

const en: Omit<ServeLabels, "importance" | "changeType"> = {
  appName: "repo-digest",
  skipToContent: "Skip to content",
  nav: { home: "Home", reports: "Reports", search: "Search", trends: "Trends", otherLanguage: "中文", mainNavigation: "Main navigation" },
  footer: (version) => `repo-digest ${version} · read-only view of the local store`,
  home: {
    title: "repo-digest reports",
    latestHeading: "Latest report per repository",
    noReports: "The store holds no report yet: run repo-digest report first.",
    calendarHeading: "Days with reports",
    calendarNote: "A report over a range (a weekly digest) is shown on its first day.",
    weekdays: ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
    month: (year, month) => new Date(Date.UTC(year, month - 1, 1)).toLocaleString("en", { month: "long", year: "numeric", timeZone: "UTC" }),
    reportsOn: (day, count) => `${day}: ${count} report${count === 1 ? "" : "s"}`,
    repoTable: { repo: "Repository", latest: "Latest report", reports: "Reports" },
  },
  reports: {
    title: "All reports",
    onDay: (day) => `Reports of ${day}`,
    none: "No reports.",
    table: { period: "Period", repos: "Repositories", lang: "Language", kind: "Kind" },
    digest: "weekly digest",
    daily: "daily",
  },
  report: { backHome: "← repo-digest home", otherLanguage: "中文版" },
  repo: {
    title: (name) => `Repository ${name}`,
    reportsHeading: "Reports",
    commitsHeading: "Recent commits",
    noReports: "No report of this repository yet.",
    noCommits: "The index holds no commit of this repository.",
    moreCommits: (total) => `All ${total} commits in search`,
    trendsLink: "Trends of this repository",
  },
  commit: {
    title: (shortSha) => `Commit ${shortSha}`,
    repo: "Repository",
    author: "Author",
    committed: "Committed",
    importance: "Importance",
    changeType: "Change type",
    bot: "bot",
    pr: "Pull request",
    labels: "Labels",
    analysis: "Analysis",
    message: "Commit message",
    facts: "What it touches",
    paths: "Files",
    modules: "Modules",
    symbols: "Public symbols",
    envVars: "Environment variables",
    flags: "CLI flags",
    configKeys: "Config keys",
    dependencies: "Dependencies",
    api: (added, removed) => `Public API: ${added} added, ${removed} removed`,
    breaking: "Breaking change",
    links: "Links",
    onHost: "The commit on its code host",
    prOnHost: (number) => `PR #${number} on its code host`,
    inReport: "In the report: ",
    otherLanguage: "This commit was analysed in the other language only; that analysis is shown.",
  },
  search: {
    title: "Search commits",
    submit: "Search",
    fields: {
      q: "Words",
      repo: "Repository",
      since: "From (day, included)",
      until: "To (day, included)",
      importance: "Importance",
      type: "Change type",
      author: "Author",
      bots: "Bot commits",
      affects: "Only what affects my code",
      path: "Path (glob)",
      module: "Module",
      symbol: "Symbol",
      env: "Environment variable",
      flag: "CLI flag",
      dependency: "Dependency",
    },
    any: "any",
    atLeast: (importance) => `${importance} or higher`,
    bots: { all: "included", exclude: "left out", only: "only bots" },
    results: (total) => `${total} result${total === 1 ? "" : "s"}`,
    none: "No commit matches.",
    feed: "This search as an Atom feed",
    moreFilters: "More filters",
    otherLanguageNote: "Nothing in this language's index; these results are from analyses in the other language.",
  },
  trends: {
    title: "Trends",
    range: (since, until) => `${since} to ${until} (UTC, both included)`,
    apply: "Update",
    perDay: "Commits per day, by importance",
    hotspots: "Hotspots: modules by lines changed",
    api: "Public API added, removed, and breaking commits, per day",
    dependencies: "Commits that changed dependencies, per day",
    authors: "Most active authors",
    noData: "No indexed commit in this period.",
    table: "Data table",
    day: "Day",
    module: "Module",
    commits: "Commits",
    lines: "Lines",
    added: "Added",
    removed: "Removed",
    breaking: "Breaking",
    author: "Author",
    botMark: " (bot)",
    countLines: (lines) => `${lines} line${lines === 1 ? "" : "s"}`,
    countCommits: (commits) => `${commits} commit${commits === 1 ? "" : "s"}`,
    otherLanguageNote: "Nothing in this language's index; these figures are from analyses in the other language.",
  },
  pager: { previous: "← Previous", next: "Next →", page: (page, pages) => `Page ${page} of ${pages}`, label: "Pages" },
  errors: {
    notFound: "No such page",
    badRequest: "Bad request",
    unauthorized: "A token is required",
    methodNotAllowed: "Only GET and HEAD are allowed",
    misdirected: "This server answers requests to loopback addresses only",
    internal: "Internal server error",
  },
  colon: ": ",
};

const LABELS: Localized<Omit<ServeLabels, "importance" | "changeType">> = { "zh-CN": zh, en };

export function serveLabelsFor(lang: Lang): ServeLabels {
  return { ...LABELS[lang], ...imports(lang) };
}
