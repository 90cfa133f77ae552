/**
 * What every format says of the user's own code (`usedBy:`, README "What affects you"), as
 * "own text" (code spans in backticks) that each renderer escapes its way: the Markdown and
 * HTML reports, chat and e-mail summaries say it alike.
 */
import type { Lang } from "../i18n/lang.js";
import { isLifted, siteLabel } from "../usage/match-usage.js";
import type { AffectedUse, UsageSummary, UseKind } from "../usage/types.js";
import type { RepoReport, ReportCommit } from "./types.js";

/** A code span that survives any name: a backtick inside would end it early. */
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

interface UsageWords {
  heading: (count: number) => string;
  commitHeading: string;
  /** Under a commit that only touches what the user uses (nothing breaking). */
  touchesHeading: string;
  none: string;
  mentioned: (count: number) => string;
  kinds: Record<UseKind, string>;
  languages: Record<UsageSummary["languages"][number], string>;
  indexed: (summary: UsageSummary, kinds: string, languages: string) => string;
  usedAt: (site: string, more: number) => string;
  chat: (count: number) => string;
  notMatched: string;
}

const WORDS: Record<Lang, UsageWords> = {
  en: {
    heading: (count) => `⚠️ Affects your code (${count})`,
    commitHeading: "Affects your code",
    touchesHeading: "Touches what your code uses",
    none: "Nothing in this period changes what your code uses.",
    mentioned: (count) => `${count} more ${count === 1 ? "commit touches" : "commits touch"} what your code uses without breaking it (marked below).`,
    kinds: { symbol: "code names", "env-var": "environment variables", "cli-flag": "command-line flags", "config-key": "config keys" },
    languages: { python: "Python", typescript: "TypeScript", javascript: "JavaScript", rust: "Rust", go: "Go", c: "C", cpp: "C++" },
    indexed: (summary, kinds, languages) =>
      `Your code ${code(summary.label)}${summary.head ? ` at ${code(summary.head.slice(0, 7))}` : ""}: ${summary.files.toLocaleString("en")} files read` +
      `${languages ? ` (code in ${languages})` : ""}; looked for ${kinds}; ${summary.uses.toLocaleString("en")} uses found` +
      `${summary.dynamic > 0 ? `; ${summary.dynamic} dynamic ${summary.dynamic === 1 ? "use" : "uses"} (getattr, string imports) not claimed` : ""}.`,
    usedAt: (site, more) => `used at ${site}${more > 0 ? ` and ${more} more` : ""}`,
    chat: (count) => `⚠️ ${count} ${count === 1 ? "commit affects" : "commits affect"} your code`,
    notMatched: "(not matched: no usage index)",
  },
  "zh-CN": {
    heading: (count) => `⚠️ 影响你的代码（${count}）`,
    commitHeading: "影响你的代码",
    touchesHeading: "涉及你的代码所用的内容",
    none: "本期没有变更触及你的代码所用的内容。",
    mentioned: (count) => `另有 ${count} 个提交触及你的代码所用的内容，但不会破坏它（见下文标注）。`,
    kinds: { symbol: "代码名称", "env-var": "环境变量", "cli-flag": "命令行参数", "config-key": "配置键" },
    languages: { python: "Python", typescript: "TypeScript", javascript: "JavaScript", rust: "Rust", go: "Go", c: "C", cpp: "C++" },
    indexed: (summary, kinds, languages) =>
      `你的代码 ${code(summary.label)}${summary.head ? `（${code(summary.head.slice(0, 7))}）` : ""}：读取 ${summary.files} 个文件` +
      `${languages ? `（代码语言：${languages}）` : ""}；查找${kinds}；找到 ${summary.uses} 处用法` +
      `${summary.dynamic > 0 ? `；${summary.dynamic} 处动态用法（getattr、字符串导入）未计入` : ""}。`,
    usedAt: (site, more) => `用于 ${site}${more > 0 ? ` 等 ${more + 1} 处` : ""}`,
    chat: (count) => `⚠️ ${count} 个提交影响你的代码`,
    notMatched: "（未匹配：没有用法索引）",
  },
};

export function usageWords(lang: Lang): UsageWords {
  return WORDS[lang];
}

/** `name` — what changed — used at `../svc/app.py:12` (`the line`) and 2 more. */
export function affectedLine(item: AffectedUse, lang: Lang): string {
  const words = WORDS[lang];
  const first = item.uses[0];
  const [open, close, colon] = lang === "zh-CN" ? ["（", "）", "："] : [" (", ")", ": "];
  const where = first ? ` — ${words.usedAt(`${code(siteLabel(first.label, first.site))}${first.site.text ? `${open}${code(first.site.text)}${close}` : ""}`, item.totalUses - 1)}` : "";
  return `${code(item.name)}${colon}${item.detail}${where}`;
}

/** What was indexed, one sentence per used-by folder: the honest limits of the marks. */
export function indexedLines(summaries: readonly UsageSummary[], lang: Lang): string[] {
  const words = WORDS[lang];
  const join = lang === "en" ? ", " : "、";
  return summaries.map((summary) =>
    words.indexed(summary, summary.kinds.map((kind) => words.kinds[kind]).join(join), summary.languages.map((language) => words.languages[language]).join(join)),
  );
}

/** The heading over a commit's entries: "affects" when one can break the user's code, else "touches". */
export function commitUsageHeading(affects: readonly AffectedUse[], lang: Lang): string {
  return isLifted(affects) ? `⚠️ ${WORDS[lang].commitHeading}` : `ℹ️ ${WORDS[lang].touchesHeading}`;
}

/** The commits of a section that affect the user's code, in the section's order. */
export function liftedCommits(repo: RepoReport): ReportCommit[] {
  return repo.commits.filter((commit) => isLifted(commit.affects));
}

/** Commits that touch what the user uses without breaking it. */
export function mentionedCommits(repo: RepoReport): ReportCommit[] {
  return repo.commits.filter((commit) => commit.affects !== undefined && !isLifted(commit.affects));
}
