/**
 * The HTML report: one self-contained page with the content and order of the Markdown
 * report (overview, then per repository the commit table, statistics, contents and
 * every commit grouped by importance), laid out for a browser or a phone. It makes no
 * request of any kind: the stylesheet is inline, there is no script, and a Content
 * Security Policy forbids anything else should a text ever get past the escaping.
 */
import type { Audience, Importance, Narrative } from "../../analysis/types.js";
import { INSIGHT_DIMENSIONS, IMPORTANCE_ORDER } from "../../analysis/types.js";
import { InternalError } from "../../errors.js";
import { planAnchors, type RepoAnchors } from "../markdown/anchors.js";
import { formatBytes, formatInstant, formatLocalTime } from "../markdown/format.js";
import { orderReasons } from "../order-reasons.js";
import { disagreement } from "../opinions.js";
import { labelsFor, type Labels } from "../markdown/labels.js";
import { truncateTitle } from "../markdown/truncate.js";
import type { PullRequestContext, RepoReport, Report, ReportCommit } from "../types.js";
import { anchorLink, codeHtml, escapeHtml, externalLink, fillLabel, markup, renderOwnText } from "./escape-html.js";
import { renderChips, renderList, renderTable, type HtmlContext } from "./html-blocks.js";
import { htmlLabelsFor } from "./labels.js";
import { renderActivity } from "./render-activity.js";
import { STYLES } from "./styles.js";
import { groupByImportance } from "../group-by-importance.js";
import { affectedLine, commitUsageHeading, indexedLines, liftedCommits, mentionedCommits, usageWords } from "../usage-text.js";

/** Columns a title may take in the table of contents before it is shortened. */
const TOC_TITLE_COLUMNS = 60;
/** File names shown before "and N more" in the line of what was not seen. */
const NAMES_SHOWN = 3;
// No script, no outside resource; links still navigate, which CSP does not govern.
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";
const AUDIENCE_ORDER: readonly Audience[] = ["maintainers", "users", "ci"];

export function renderHtml(report: Report): string {
  const context: HtmlContext = {
    report,
    labels: labelsFor(report.lang),
    html: htmlLabelsFor(report.lang),
    anchors: planAnchors(report),
    isRange: report.period.label.includes(".."),
  };
  const { labels } = context;
  const title = (report.kind === "digest" ? labels.digest.title : labels.title)(formatPeriodLabel(context));
  const footer = labels.footer(
    report.generator.version,
    formatInstant(report.generatedAt, report.period.timezone),
    report.period.timezone,
  );
  return [
    "<!DOCTYPE html>",
    `<html lang="${escapeHtml(report.lang)}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="referrer" content="no-referrer">',
    `<meta name="generator" content="repo-digest ${escapeHtml(report.generator.version)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLES}</style>`,
    "</head>",
    "<body>",
    '<div class="page">',
    `<header><h1 id="top">${escapeHtml(title)}</h1></header>`,
    "<main>",
    ...renderNotices(labels, report.notices),
    ...renderOverview(context),
    ...report.repos.flatMap((repo, index) => renderRepo(context, repo, context.anchors.forRepo(index))),
    "</main>",
    `<footer>${escapeHtml(footer)}</footer>`,
    "</div>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function formatPeriodLabel({ report, labels }: HtmlContext): string {
  return report.period.label.split("..").join(labels.rangeSeparator);
}

function renderNotices(labels: Labels, notices: readonly string[]): string[] {
  return notices.map(
    (notice) => `<p class="banner" role="note"><strong>${escapeHtml(labels.noticeHeading)}</strong>${escapeHtml(labels.colon)}${renderOwnText(notice)}</p>`,
  );
}

function renderOverview(context: HtmlContext): string[] {
  const { report, labels, anchors, isRange } = context;
  const { overview, period } = report;
  const parts = [
    '<section class="overview">',
    `<h2 id="overview">${escapeHtml(labels.overviewHeading)}</h2>`,
    '<ul class="overview-facts">',
    `<li>${escapeHtml(
      labels.periodLine(formatInstant(period.since, period.timezone, "minute"), formatInstant(period.until, period.timezone, "minute"), period.timezone),
    )}</li>`,
    `<li>${escapeHtml(labels.overviewCounts(overview.repos, overview.commits))}${escapeHtml(labels.colon)}${renderCounts(labels, overview.counts)}</li>`,
    "</ul>",
  ];
  // First: what can break the reader's own code.
  parts.push(...renderAffectsOverview(context));
  if (report.repos.length > 0) {
    const header = [labels.repoTable.repo, labels.repoTable.branch, labels.repoTable.commits, ...IMPORTANCE_ORDER.map((i) => labels.importance[i])];
    const rows = report.repos.map((repo, index) => [
      anchorLink(escapeHtml(repo.name), anchors.forRepo(index).section),
      codeHtml(repo.branch),
      String(repo.counts.total),
      ...IMPORTANCE_ORDER.map((importance) => String(repo.counts[importance])),
    ]);
    parts.push(renderTable(header, rows, ["", "", "num", "num", "num", "num"]));
  }
  if (overview.commits === 0) {
    parts.push(`<p>${escapeHtml(labels.noCommitsAnywhere(isRange))}</p>`);
  } else if (overview.highlights.length === 0) {
    parts.push(`<p>${escapeHtml(labels.noHighlights(isRange))}</p>`);
  } else {
    parts.push(`<h3>${escapeHtml(labels.highlightsHeading(isRange))}</h3>`, "<ul>");
    for (const highlight of overview.highlights) {
      const id = anchors.findCommit(highlight.repo, highlight.sha);
      const title = escapeHtml(highlight.title);
      const label = id === undefined ? title : anchorLink(title, id);
      parts.push(`<li>${label} · ${escapeHtml(highlight.repo)} · ${codeHtml(highlight.shortSha)}</li>`);
    }
    parts.push("</ul>");
  }
  parts.push("</section>");
  return parts;
}

const ownHtml = (text: string): string => renderOwnText(text);

/** Across repositories, the commits that can break the user's code: read these first. */
function renderAffectsOverview({ report, anchors }: HtmlContext): string[] {
  const affects = report.overview.affectsYou;
  if (affects === undefined) return [];
  const words = usageWords(report.lang);
  const parts = [`<h3 class="affects">${escapeHtml(words.heading(affects.length))}</h3>`];
  if (affects.length === 0) return [...parts, `<p>${escapeHtml(words.none)}</p>`];
  const items = affects.map((item) => {
    const id = anchors.findCommit(item.repo, item.sha);
    const title = escapeHtml(item.title);
    return `${id === undefined ? title : anchorLink(title, id)} · ${escapeHtml(item.repo)} · ${codeHtml(item.shortSha)} · ${item.names.map(codeHtml).join(", ")}`;
  });
  return [...parts, renderList(items, "ul", "affects")];
}

/** The top of a section with `usedBy`: what breaks the user's code, each use with its line, and what was indexed. */
function renderAffectsRepo({ report }: HtmlContext, repo: RepoReport, anchors: RepoAnchors): string[] {
  if (repo.usage === undefined) return [];
  const words = usageWords(report.lang);
  const lifted = liftedCommits(repo);
  const parts = ['<section class="affects">', `<h3>${escapeHtml(words.heading(lifted.length))}</h3>`];
  if (lifted.length === 0) parts.push(`<p>${escapeHtml(words.none)}</p>`);
  else {
    const items = lifted.map((commit) => {
      const uses = commit.affects!.filter((item) => item.breaking).map((item) => ownHtml(affectedLine(item, report.lang)));
      return `${anchorLink(escapeHtml(commit.title), commitAnchor(anchors, commit))} · ${codeHtml(commit.shortSha)}${renderList(uses)}`;
    });
    parts.push(renderList(items));
  }
  const mentioned = mentionedCommits(repo).length;
  if (mentioned > 0) parts.push(`<p>${escapeHtml(words.mentioned(mentioned))}</p>`);
  parts.push(...indexedLines(repo.usage, report.lang).map((line) => `<p class="muted"><small>${ownHtml(line)}</small></p>`), "</section>");
  return parts;
}

/** Under a commit: every name of the user's it touches, breaking first. */
function renderAffectsCommit({ report }: HtmlContext, commit: ReportCommit): string[] {
  if (!commit.affects) return [];
  return [`<p class="affects"><strong>${escapeHtml(commitUsageHeading(commit.affects, report.lang))}</strong></p>`, renderList(commit.affects.map((item) => ownHtml(affectedLine(item, report.lang))), "ul", "affects")];
}

function renderRepo(context: HtmlContext, repo: RepoReport, anchors: RepoAnchors): string[] {
  const { labels, isRange, report } = context;
  const parts = [
    `<section class="repo" id="${escapeHtml(anchors.section)}">`,
    `<h2>${externalLink(escapeHtml(repo.name), repo.webUrl)}</h2>`,
    `<p>${escapeHtml(labels.branch)}${escapeHtml(labels.colon)}${codeHtml(repo.branch)}</p>`,
    ...renderNotices(labels, repo.notices),
    ...renderAffectsRepo(context, repo, anchors),
    ...renderRepoOverview(context, repo, anchors),
  ];
  // A week's commit table would bury the digest; its per-day table stands in.
  if (repo.commits.length === 0) parts.push(`<p>${escapeHtml(labels.noCommits(isRange))}</p>`);
  else if (report.kind !== "digest") parts.push(...renderCommitTable(context, repo, anchors));
  parts.push(
    `<section id="${escapeHtml(anchors.stats)}">`,
    `<h3>${escapeHtml(labels.statsHeading)}</h3>`,
    `<p>${escapeHtml(labels.statsTotal(repo.counts.total, isRange))} ${renderCounts(labels, repo.counts)}</p>`,
    "</section>",
  );
  if (repo.commits.length > 0) {
    if (report.kind === "digest") {
      parts.push(...renderDigestBody(context, repo, anchors));
    } else {
      const groups = groupByImportance(repo.commits);
      parts.push(...renderToc(context, groups, anchors));
      for (const [importance, commits] of groups) parts.push(...renderGroup(context, importance, commits, anchors));
    }
  }
  if (repo.activity) parts.push(...renderActivity(context, repo.activity));
  parts.push("</section>");
  return parts;
}

/** The weekly digest: commits per day, then only the high-importance commits in full. */
function renderDigestBody(context: HtmlContext, repo: RepoReport, anchors: RepoAnchors): string[] {
  const { labels } = context;
  const parts: string[] = [];
  if (repo.days && repo.days.length > 0) {
    parts.push(
      `<h3>${escapeHtml(labels.digest.daysHeading)}</h3>`,
      renderTable(
        [labels.digest.day, labels.importance.high, labels.importance.medium, labels.importance.low, labels.digest.total],
        repo.days.map(({ day, counts }) => [escapeHtml(day), String(counts.high), String(counts.medium), String(counts.low), String(counts.total)]),
        ["nowrap", "num", "num", "num", "num"],
      ),
    );
  }
  const high = repo.commits.filter((commit) => commit.importance === "high");
  if (high.length > 0) parts.push(...renderGroup(context, "high", high, anchors));
  if (repo.counts.medium + repo.counts.low > 0) parts.push(`<p>${escapeHtml(labels.digest.rest(repo.counts.medium, repo.counts.low))}</p>`);
  return parts;
}

/** The model's themes of the period and the commits to read first, linked to their entries. */
function renderRepoOverview({ labels }: HtmlContext, repo: RepoReport, anchors: RepoAnchors): string[] {
  const overview = repo.overview;
  if (!overview) return [];
  const parts = ['<details class="block" open>', `<summary><h3>${escapeHtml(labels.dayOverview.heading)}</h3></summary>`];
  if (overview.themes.length > 0) {
    parts.push(`<h4>${escapeHtml(labels.dayOverview.themes)}</h4>`, renderList(overview.themes.map(renderOwnText)));
  }
  const readFirst = overview.readFirst.flatMap((item) => {
    const commit = repo.commits.find((candidate) => candidate.sha === item.sha);
    if (!commit) return [];
    const sha = anchorLink(codeHtml(commit.shortSha), commitAnchor(anchors, commit));
    return [`${sha} ${escapeHtml(commit.title)}${escapeHtml(labels.colon)}${renderOwnText(item.why)}`];
  });
  if (readFirst.length > 0) parts.push(`<h4>${escapeHtml(labels.dayOverview.readFirst)}</h4>`, renderList(readFirst, "ol"));
  parts.push(`<p class="byline">${escapeHtml(labels.dayOverview.writtenBy(overview.model))}</p>`, "</details>");
  return parts;
}

function renderCommitTable({ labels, html }: HtmlContext, repo: RepoReport, anchors: RepoAnchors): string[] {
  const table = labels.commitTable;
  const rows = repo.commits.map((commit) => [
    formatLocalTime(commit.committedAt),
    importanceBadge(labels.importance[commit.importance], commit.importance),
    escapeHtml(commit.author.name),
    escapeHtml(commit.title),
    anchorLink(codeHtml(commit.shortSha), commitAnchor(anchors, commit)),
  ]);
  return [
    '<details class="block" open>',
    `<summary><h3>${escapeHtml(html.commitsHeading)}</h3></summary>`,
    renderTable([table.time, table.importance, table.author, table.message, table.sha], rows, ["nowrap", "nowrap", "", "message", "nowrap"], "commit-table"),
    "</details>",
  ];
}

function renderToc({ labels }: HtmlContext, groups: Map<Importance, ReportCommit[]>, anchors: RepoAnchors): string[] {
  const parts = [
    `<nav class="toc" id="${escapeHtml(tocId(anchors))}" aria-label="${escapeHtml(stripIcon(labels.tocHeading))}">`,
    '<details class="block" open>',
    `<summary><h3>${escapeHtml(labels.tocHeading)}</h3></summary>`,
    "<ul>",
    `<li>${anchorLink(escapeHtml(labels.statsHeading), anchors.stats)}</li>`,
  ];
  for (const [importance, commits] of groups) {
    parts.push(`<li>${anchorLink(escapeHtml(labels.group(importance, commits.length)), anchors.groups[importance])}`, "<ul>");
    for (const commit of commits) {
      const title = escapeHtml(truncateTitle(commit.title, TOC_TITLE_COLUMNS));
      parts.push(`<li>${anchorLink(`${title} ${codeHtml(commit.shortSha)}`, commitAnchor(anchors, commit))}</li>`);
    }
    parts.push("</ul>", "</li>");
  }
  parts.push("</ul>", "</details>", "</nav>");
  return parts;
}

function renderGroup(context: HtmlContext, importance: Importance, commits: readonly ReportCommit[], anchors: RepoAnchors): string[] {
  return [
    `<section id="${escapeHtml(anchors.groups[importance])}">`,
    '<details class="group" open>',
    `<summary><h3>${escapeHtml(context.labels.group(importance, commits.length))}</h3></summary>`,
    ...commits.flatMap((commit) => renderCommit(context, commit, commitAnchor(anchors, commit), anchors)),
    "</details>",
    "</section>",
  ];
}

function renderCommit(context: HtmlContext, commit: ReportCommit, anchor: string, anchors: RepoAnchors): string[] {
  const { labels, html, report } = context;
  const { analysis } = commit;
  const parts = [
    `<article class="commit imp-${commit.importance}" id="${escapeHtml(anchor)}">`,
    "<details open>",
    `<summary><h4 class="commit-title">${escapeHtml(commit.title)}</h4> ${importanceBadge(labels.importance[commit.importance], commit.importance)}</summary>`,
    renderCommitMeta(labels, commit),
    '<dl class="kv">',
    `<dt>${escapeHtml(labels.section.changeType)}</dt><dd>${escapeHtml(labels.changeType[commit.changeType])}</dd>`,
    `<dt>${escapeHtml(labels.section.importance)}</dt><dd>${importanceBadge(labels.importanceTier(commit.importance), commit.importance)}${opinionsHtml(labels, commit)}</dd>`,
    "</dl>",
    ...renderAffectsCommit(context, commit),
  ];
  if (analysis.reasons.length > 0) {
    parts.push(
      renderList(
        orderReasons(analysis.reasons).map((reason) => fillLabel(labels.reason, markup(renderOwnText(reason.text)))),
        "ul",
        "reasons",
      ),
    );
  }
  if (commit.pullRequest) parts.push(...renderPullRequest(context, commit.pullRequest));
  parts.push(...renderNarrative(labels, analysis.narrative));
  const footnote = renderFootnote(labels, commit);
  if (footnote) parts.push(footnote);
  if (commit.body.trim() !== "") {
    parts.push(
      '<details class="message">',
      `<summary>${escapeHtml(html.commitMessage)}</summary>`,
      `<pre>${escapeHtml(commit.body.trim())}</pre>`,
      "</details>",
    );
  }
  // The digest has no table of contents to go back to.
  if (report.kind !== "digest") parts.push(`<p class="to-contents">${anchorLink(escapeHtml(html.backToContents), tocId(anchors))}</p>`);
  parts.push("</details>", "</article>");
  return parts;
}

function renderCommitMeta(labels: Labels, commit: ReportCommit): string {
  const items = [codeHtml(commit.shortSha)];
  if (commit.links.commit) items.push(externalLink(escapeHtml(labels.viewCommit), commit.links.commit));
  if (commit.prNumber !== undefined) {
    items.push(externalLink(escapeHtml(labels.pullRequest(commit.prNumber)), commit.links.pullRequest ?? commit.pullRequest?.url));
  }
  items.push(
    escapeHtml(commit.author.name),
    `<time datetime="${escapeHtml(commit.committedAt)}">${formatLocalTime(commit.committedAt)}</time>`,
    escapeHtml(labels.diffSize(commit.stats.additions, commit.stats.deletions, commit.stats.files)),
  );
  return `<p class="meta">${items.map((item) => `<span>${item}</span>`).join("")}</p>`;
}

/** The pull request behind the commit: its title, who wrote and reviewed it, its labels and issues. */
function renderPullRequest({ labels, html, report }: HtmlContext, pull: PullRequestContext): string[] {
  const head = [`${externalLink(escapeHtml(labels.pullRequest(pull.number)), pull.url)} ${escapeHtml(pull.title)}`];
  if (pull.author) head.push(escapeHtml(html.activity.by(pull.author)));
  if (pull.mergedAt) head.push(escapeHtml(html.pullRequest.mergedAt(formatInstant(pull.mergedAt, report.period.timezone, "minute"))));
  const details: string[] = [];
  const colon = escapeHtml(labels.colon);
  if (pull.labels.length > 0) details.push(`${escapeHtml(html.pullRequest.labels)}${colon}${renderChips(pull.labels)}`);
  if (pull.reviewers.length > 0) {
    details.push(`${escapeHtml(html.pullRequest.reviewers)}${colon}${pull.reviewers.map((name) => escapeHtml(html.activity.by(name))).join(escapeHtml(labels.listSeparator))}`);
  }
  if (pull.linkedIssues.length > 0) {
    details.push(`${escapeHtml(html.pullRequest.linkedIssues)}${colon}${pull.linkedIssues.map((number) => `#${number}`).join(escapeHtml(labels.listSeparator))}`);
  }
  return [
    '<div class="pr">',
    `<h5>${escapeHtml(html.pullRequest.heading)}</h5>`,
    `<p>${head.join(" · ")}</p>`,
    ...(details.length > 0 ? [`<p>${details.join(" · ")}</p>`] : []),
    "</div>",
  ];
}

/** The narrative's sections in their fixed order; a section with nothing in it is left out. */
function renderNarrative(labels: Labels, narrative: Narrative): string[] {
  const parts: string[] = [];
  const heading = (text: string): string => `<h5>${escapeHtml(text)}</h5>`;
  if (narrative.summary.trim() !== "") parts.push(heading(labels.section.summary), `<p>${renderOwnText(narrative.summary)}</p>`);
  if (narrative.impact.length > 0) parts.push(heading(labels.section.impact), renderList(narrative.impact.map(renderOwnText)));
  const insights = INSIGHT_DIMENSIONS.flatMap((dimension) => {
    const points = narrative.insights.filter((insight) => insight.dimension === dimension).flatMap((insight) => insight.points);
    return points.length === 0 ? [] : [{ dimension, points }];
  });
  if (insights.length > 0) {
    parts.push(
      heading(labels.section.insights),
      renderList(
        insights.map(
          ({ dimension, points }) =>
            `<span class="insight-dimension">${escapeHtml(labels.dimension[dimension])}</span>\n${renderList(points.map(renderOwnText))}`,
        ),
      ),
    );
  }
  if (narrative.risks.length > 0) parts.push(heading(labels.section.risks), renderList(narrative.risks.map(renderOwnText)));
  if (narrative.recommendations.length > 0) {
    const ordered = AUDIENCE_ORDER.flatMap((audience) => narrative.recommendations.filter((item) => item.audience === audience));
    parts.push(
      heading(labels.section.recommendations),
      renderList(ordered.map((item) => `<strong>${escapeHtml(labels.audience[item.audience])}</strong>${escapeHtml(labels.colon)}${renderOwnText(item.text)}`)),
    );
  }
  return parts;
}

/** Notes and what was not seen, in one line under the commit. */
function renderFootnote(labels: Labels, commit: ReportCommit): string | undefined {
  const { unseen } = commit.facts;
  const gaps: string[] = [];
  if (unseen.unreadableFiles?.length) {
    gaps.push(fillLabel(labels.unreadableFiles, unseen.unreadableFiles.length, markup(summariseNames(labels, unseen.unreadableFiles))));
  }
  if (unseen.truncatedFiles.length > 0) {
    gaps.push(fillLabel(labels.truncatedFiles, unseen.truncatedFiles.length, markup(summariseNames(labels, unseen.truncatedFiles))));
  }
  if (unseen.omittedPatchBytes > 0) gaps.push(escapeHtml(labels.omittedBytes(formatBytes(unseen.omittedPatchBytes))));
  if (unseen.ignoredFiles.length > 0) {
    gaps.push(fillLabel(labels.ignoredFiles, unseen.ignoredFiles.length, markup(summariseNames(labels, unseen.ignoredFiles))));
  }
  if (unseen.structureFallback.length > 0) {
    const names = unseen.structureFallback.map((entry) => entry.file);
    gaps.push(fillLabel(labels.structureFallback, names.length, markup(summariseNames(labels, names))));
  }
  const items = commit.analysis.notes.map(renderOwnText);
  if (gaps.length > 0) items.push(`${escapeHtml(labels.unseen)}${escapeHtml(labels.colon)}${gaps.join(escapeHtml(labels.clauseSeparator))}`);
  if (items.length === 0) return undefined;
  return `<aside class="footnote"><span aria-hidden="true">📝</span> ${items.join(" · ")}</aside>`;
}

function summariseNames(labels: Labels, names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).map(codeHtml).join(escapeHtml(labels.listSeparator));
  return names.length > NAMES_SHOWN ? fillLabel(labels.moreNames, markup(shown), names.length - NAMES_SHOWN) : shown;
}

function renderCounts(labels: Labels, counts: Record<Importance, number>): string {
  const badges = IMPORTANCE_ORDER.map((importance) => importanceBadge(`${labels.importance[importance]} ${counts[importance]}`, importance));
  return `<span class="counts">${badges.join("")}</span>`;
}

/** Importance as colour and as words with their icon, so that it reads without colour too. */
function importanceBadge(text: string, importance: Importance): string {
  return `<span class="badge imp-${importance}">${escapeHtml(text)}</span>`;
}

function commitAnchor(anchors: RepoAnchors, commit: ReportCommit): string {
  const id = anchors.commits.get(commit.sha);
  if (id === undefined) throw new InternalError(`no anchor planned for commit ${commit.sha}`);
  return id;
}

// Planned ids start with "r-" or "c-", so a "toc-" prefix can never take one of theirs.
function tocId(anchors: RepoAnchors): string {
  return `toc-${anchors.section}`;
}

/** A heading without its leading emoji, for an accessible name. */
function stripIcon(text: string): string {
  return text.replace(/^[^\p{L}\p{N}]+/u, "");
}

function opinionsHtml(labels: Labels, commit: ReportCommit): string {
  const differ = disagreement(commit.analysis);
  return differ ? ` <span class="opinions">${escapeHtml(labels.opinions(differ.model, differ.rules))}</span>` : "";
}
