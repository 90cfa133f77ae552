import { usageWords } from "../../report/usage-text.js";
import type { Lang, Localized } from "../../i18n/lang.js";
import { labelsFor } from "../../report/markdown/labels.js";
import { renderMarkdown } from "../../report/markdown/render-markdown.js";
import type { Report } from "../../report/types.js";
import type { Delivery } from "../types.js";
import type { EmailConfig } from "./email-config.js";
import { renderFallbackHtml } from "./fallback-html.js";

const DEFAULT_SUBJECT: Localized = {
  "zh-CN": "repo-digest 日报 {period}",
  en: "repo-digest daily report {period}",
};
const DEFAULT_DIGEST_SUBJECT: Localized = {
  "zh-CN": "repo-digest 周报 {period}",
  en: "repo-digest weekly digest {period}",
};

/** Repository names shown in a subject before the rest are counted. */
const SUBJECT_REPOS = 3;

export interface EmailMessage {
  from: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html: string;
  attachments: Array<{ filename: string; content: string; contentType: string }>;
}

/**
 * One message per report: the HTML report as the body (or a short one built from the
 * model), the Markdown as its plain-text alternative and as an attachment, so that a
 * reader without HTML mail still gets the whole report.
 */
export function composeEmail(delivery: Delivery, config: Pick<EmailConfig, "from" | "to" | "cc" | "subject">): EmailMessage {
  const { report, rendered } = delivery;
  const markdown = rendered.find((file) => file.format === "md")?.content ?? renderMarkdown(report);
  const html = rendered.find((file) => file.format === "html")?.content ?? renderFallbackHtml(report);
  const name = rendered[0]?.name ?? `${report.period.label}--repo-digest`;
  return {
    from: config.from,
    to: config.to,
    ...(config.cc === undefined ? {} : { cc: config.cc }),
    subject: affectsPrefix(report) + formatSubject(config.subject ?? (report.kind === "digest" ? DEFAULT_DIGEST_SUBJECT : DEFAULT_SUBJECT)[report.lang], report),
    text: markdown,
    html,
    attachments: [{ filename: `${name}.md`, content: markdown, contentType: "text/markdown; charset=utf-8" }],
  };
}

/** "⚠️ 2 commits affect your code · " first, when some do (`usedBy:`): the count a reader sees in the inbox. */
function affectsPrefix(report: Pick<Report, "lang" | "overview">): string {
  const count = report.overview.affectsYou?.length ?? 0;
  return count > 0 ? `${usageWords(report.lang).chat(count)} · ` : "";
}

export function formatSubject(template: string, report: Pick<Report, "lang" | "period" | "repos">): string {
  const values: Record<string, string> = {
    period: report.period.label.split("..").join(labelsFor(report.lang).rangeSeparator),
    repos: formatRepoList(report.repos.map((repo) => repo.name), report.lang),
  };
  // A line break in a header would end it; names and labels come from config and git.
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole).replace(/\s*[\r\n]+\s*/g, " ");
}

function formatRepoList(names: readonly string[], lang: Lang): string {
  const separator = lang === "zh-CN" ? "、" : ", ";
  if (names.length <= SUBJECT_REPOS) return names.join(separator);
  const rest = names.length - SUBJECT_REPOS;
  const more = lang === "zh-CN" ? ` 等 ${names.length} 个仓库` : ` +${rest} more`;
  return `${names.slice(0, SUBJECT_REPOS).join(separator)}${more}`;
}
