import { createHash } from "node:crypto";
import { dirname, join, relative, sep } from "node:path";
import type { Lang, Localized } from "../../i18n/lang.js";
import { labelsFor } from "../../report/markdown/labels.js";
import { renderMarkdown } from "../../report/markdown/render-markdown.js";
import type { Report } from "../../report/types.js";
import type { Delivery, RenderedReport } from "../types.js";
import { escapeXml } from "./escape-xml.js";
import type { FeedEntry } from "./feed-state.js";

/** High-importance titles named in an entry's summary; the content has them all. */
const SUMMARY_TITLES = 10;

export interface EntryContext {
  feedId: string;
  /** The feed's start day, YYYY-MM-DD. */
  created: string;
  feedPath: string;
  /** Folder the report files are written to. */
  reportDir: string;
  baseUrl?: string;
}

export function buildFeedEntry(delivery: Delivery, context: EntryContext): FeedEntry {
  const { report } = delivery;
  const repos = report.repos.map((repo) => repo.name).sort();
  const labels = labelsFor(report.lang);
  const link = delivery.fullReportUrl ?? linkToReport(delivery.rendered, context);
  return {
    key: JSON.stringify([report.period.label, repos]),
    id: entryId(context, report.period.label, repos),
    title: labels.title(report.period.label.split("..").join(labels.rangeSeparator)),
    ...(link === undefined ? {} : { link }),
    published: report.generatedAt,
    updated: report.generatedAt,
    periodUntil: report.period.until,
    summary: summarize(report, repos),
    contentHtml: contentOf(delivery),
  };
}

/**
 * A tag: URI (RFC 4151): `tag:<authority>,<feed start day>:<feed>/<period>/<repos>`. The
 * feed part (a hash of the feed id) keeps two feeds from sharing entry ids; period and
 * repositories make the same report, run again, the same entry.
 */
function entryId(context: EntryContext, period: string, repos: readonly string[]): string {
  const authority = hostOf(context.feedId) ?? (context.baseUrl === undefined ? undefined : hostOf(context.baseUrl)) ?? "repo-digest";
  const feed = createHash("sha256").update(context.feedId).digest("hex").slice(0, 12);
  return `tag:${authority},${context.created}:${feed}/${encodeURIComponent(period)}/${repos.map(encodeURIComponent).join(",")}`;
}

function hostOf(value: string): string | undefined {
  try {
    const host = new URL(value).hostname;
    // tag: takes a DNS name (RFC 4151 §2.1), not an IP literal.
    return /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(host) && !/^[\d.]+$/.test(host) ? host.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** The HTML report if there is one, else the Markdown; under the base URL, or relative to the feed. */
function linkToReport(rendered: readonly RenderedReport[], context: EntryContext): string | undefined {
  const file = rendered.find((item) => item.format === "html") ?? rendered.find((item) => item.format === "md");
  if (!file) return undefined;
  const fileName = `${file.name}.${file.extension}`;
  if (context.baseUrl !== undefined) return new URL(encodeURIComponent(fileName), withSlash(context.baseUrl)).href;
  // A relative reference resolves against the feed's own address (RFC 4287 §2, xml:base).
  const path = relative(dirname(context.feedPath), join(context.reportDir, fileName));
  return path.split(sep).map(encodeURIComponent).join("/");
}

export function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

const SUMMARY: Localized<(counts: Report["overview"]["counts"], commits: number, repos: string) => string> = {
  "zh-CN": (counts, commits, repos) => `${repos}：共 ${commits} 个提交（高 ${counts.high}、中 ${counts.medium}、低 ${counts.low}）。`,
  en: (counts, commits, repos) => `${repos}: ${commits} ${commits === 1 ? "commit" : "commits"} (high ${counts.high}, medium ${counts.medium}, low ${counts.low}).`,
};
const HIGHLIGHTS: Localized<(titles: string, rest: number) => string> = {
  "zh-CN": (titles, rest) => `高重要度：${titles}${rest > 0 ? `；另有 ${rest} 个` : ""}。`,
  en: (titles, rest) => `High importance: ${titles}${rest > 0 ? `; ${rest} more` : ""}.`,
};
const SEPARATOR: Localized = { "zh-CN": "；", en: "; " };
const SENTENCE_GAP: Localized = { "zh-CN": "", en: " " };

function summarize(report: Report, repos: readonly string[]): string {
  const lang: Lang = report.lang;
  const counts = SUMMARY[lang](report.overview.counts, report.overview.commits, repos.join(lang === "zh-CN" ? "、" : ", "));
  const highlights = report.overview.highlights;
  if (highlights.length === 0) return counts;
  const titles = highlights.slice(0, SUMMARY_TITLES).map((highlight) => (repos.length > 1 ? `${highlight.repo}: ${highlight.title}` : highlight.title));
  return `${counts}${SENTENCE_GAP[lang]}${HIGHLIGHTS[lang](titles.join(SEPARATOR[lang]), highlights.length - titles.length)}`;
}

/** The rendered HTML report's body, or the Markdown as preformatted text. */
function contentOf({ report, rendered }: Delivery): string {
  const html = rendered.find((item) => item.format === "html")?.content;
  if (html !== undefined) return /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1]?.trim() ?? html;
  const markdown = rendered.find((item) => item.format === "md")?.content ?? renderMarkdown(report);
  return `<pre>${escapeXml(markdown)}</pre>`;
}
