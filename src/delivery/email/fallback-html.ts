import type { Report, ReportCommit, RepoReport } from "../../report/types.js";
import { labelsFor, type Labels } from "../../report/markdown/labels.js";

/**
 * A small HTML body built from the model, for when the HTML renderer was not among the
 * configured formats: the headline numbers and one line per commit, linked to the
 * commit. Everything is escaped; the full report travels as the Markdown attachment.
 */
export function renderFallbackHtml(report: Report): string {
  const labels = labelsFor(report.lang);
  const isRange = report.period.label.includes("..");
  const title = labels.title(report.period.label.split("..").join(labels.rangeSeparator));
  const parts = [
    `<h1>${escapeHtml(title)}</h1>`,
    ...report.notices.map((notice) => `<p>⚠️ ${escapeHtml(notice)}</p>`),
    `<p>${escapeHtml(labels.overviewCounts(report.overview.repos, report.overview.commits))}</p>`,
    ...report.repos.flatMap((repo) => renderRepo(repo, labels, isRange)),
  ];
  return [
    "<!DOCTYPE html>",
    `<html lang="${escapeHtml(report.lang)}">`,
    `<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    `<body>\n${parts.join("\n")}\n</body>`,
    "</html>",
    "",
  ].join("\n");
}

function renderRepo(repo: RepoReport, labels: Labels, isRange: boolean): string[] {
  const heading = `<h2>${linkTo(repo.webUrl, escapeHtml(repo.name))}</h2>`;
  const notices = repo.notices.map((notice) => `<p>⚠️ ${escapeHtml(notice)}</p>`);
  if (repo.commits.length === 0) return [heading, ...notices, `<p>${escapeHtml(labels.noCommits(isRange))}</p>`];
  return [heading, ...notices, `<ul>\n${repo.commits.map((commit) => renderCommit(commit, labels)).join("\n")}\n</ul>`];
}

function renderCommit(commit: ReportCommit, labels: Labels): string {
  const sha = linkTo(commit.links.commit, `<code>${escapeHtml(commit.shortSha)}</code>`);
  const summary = commit.analysis.narrative.summary;
  return `<li>${escapeHtml(labels.importance[commit.importance])} ${sha} ${escapeHtml(commit.title)}${summary ? `<br>${escapeHtml(summary)}` : ""}</li>`;
}

/** Only web links become anchors: a `javascript:` URL from a misconfigured template stays text. */
function linkTo(url: string | undefined, html: string): string {
  return url !== undefined && /^https?:\/\//i.test(url) ? `<a href="${escapeHtml(url)}">${html}</a>` : html;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.codePointAt(0)};`);
}
