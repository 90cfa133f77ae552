/**
 * The Markdown report: an overview across repositories, then per repository the
 * commit table, statistics, a table of contents and every commit grouped by
 * importance. Every commit has the same layout; sections with nothing to say are
 * left out, never reshaped.
 */
import { affectedLine, commitUsageHeading, indexedLines, liftedCommits, mentionedCommits, usageWords } from "../usage-text.js";
import type { Audience, Importance, Narrative } from "../../analysis/types.js";
import { INSIGHT_DIMENSIONS, IMPORTANCE_ORDER } from "../../analysis/types.js";
import { InternalError } from "../../errors.js";
import type { ActivityItem, RepoActivity, RepoReport, Report, ReportCommit } from "../types.js";
import { githubLabelsFor } from "../github-labels.js";
import { anchorTag, planAnchors, type AnchorPlan, type RepoAnchors } from "./anchors.js";
import { codeSpan, escapeOwnText, escapeText, link } from "./escape.js";
import { formatBytes, formatInstant, formatLocalTime } from "./format.js";
import { orderReasons } from "../order-reasons.js";
import { disagreement } from "../opinions.js";
import { labelsFor, type Labels } from "./labels.js";
import { truncateTitle } from "./truncate.js";
import { groupByImportance } from "../group-by-importance.js";

/** Columns a title may take in the table of contents before it is shortened. */
const TOC_TITLE_COLUMNS = 60;
/** File names shown before "and N more" in the line of what was not seen. */
const NAMES_SHOWN = 3;
const RULE = "---";

interface Context {
  report: Report;
  labels: Labels;
  anchors: AnchorPlan;
  isRange: boolean;
}

export function renderMarkdown(report: Report): string {
  const context: Context = {
    report,
    labels: labelsFor(report.lang),
    anchors: planAnchors(report),
    isRange: report.period.label.includes(".."),
  };
  const blocks = [
    `# ${(report.kind === "digest" ? context.labels.digest.title : context.labels.title)(escapeText(formatPeriodLabel(context)))}`,
    ...renderNotices(report.notices),
    ...renderOverview(context),
    ...report.repos.flatMap((repo, index) => renderRepo(context, repo, context.anchors.forRepo(index))),
  ];
  if (blocks.at(-1) !== RULE) blocks.push(RULE);
  blocks.push(
    `*${context.labels.footer(
      escapeText(report.generator.version),
      formatInstant(report.generatedAt, report.period.timezone),
      escapeText(report.period.timezone),
    )}*`,
  );
  return `${blocks.join("\n\n")}\n`;
}

function formatPeriodLabel({ report, labels }: Context): string {
  return report.period.label.split("..").join(labels.rangeSeparator);
}

function renderNotices(notices: readonly string[]): string[] {
  if (notices.length === 0) return [];
  return [notices.map((notice) => `> ⚠️ ${escapeOwnText(notice)}`).join("\n>\n")];
}

function renderOverview(context: Context): string[] {
  const { report, labels, anchors, isRange } = context;
  const { overview, period } = report;
  const blocks = [
    `## ${labels.overviewHeading}`,
    [
      `- ${labels.periodLine(
        formatInstant(period.since, period.timezone, "minute"),
        formatInstant(period.until, period.timezone, "minute"),
        escapeText(period.timezone),
      )}`,
      `- ${labels.overviewCounts(overview.repos, overview.commits)}${labels.colon}${formatCounts(labels, overview.counts)}`,
    ].join("\n"),
  ];
  // First: what can break the reader's own code.
  blocks.push(...renderAffectsOverview(context));
  if (report.repos.length > 0) {
    const header = [labels.repoTable.repo, labels.repoTable.branch, labels.repoTable.commits, ...IMPORTANCE_ORDER.map((i) => labels.importance[i])];
    const rows = report.repos.map((repo, index) => [
      link(escapeText(repo.name), `#${anchors.forRepo(index).section}`),
      tableCodeSpan(repo.branch),
      String(repo.counts.total),
      ...IMPORTANCE_ORDER.map((importance) => String(repo.counts[importance])),
    ]);
    blocks.push(renderTable(header, rows, ["left", "left", "right", "right", "right", "right"]));
  }
  if (overview.commits === 0) {
    blocks.push(labels.noCommitsAnywhere(isRange));
  } else if (overview.highlights.length === 0) {
    blocks.push(labels.noHighlights(isRange));
  } else {
    blocks.push(
      `**${labels.highlightsHeading(isRange)}**`,
      overview.highlights
        .map((highlight) => {
          const id = anchors.findCommit(highlight.repo, highlight.sha);
          const title = escapeText(highlight.title);
          const label = id === undefined ? title : link(title, `#${id}`);
          return `- ${label} · ${escapeText(highlight.repo)} · ${codeSpan(highlight.shortSha)}`;
        })
        .join("\n"),
    );
  }
  return blocks;
}

/** Across repositories, the commits that can break the user's code: read these first. */
function renderAffectsOverview({ report, anchors }: Context): string[] {
  const affects = report.overview.affectsYou;
  if (affects === undefined) return [];
  const words = usageWords(report.lang);
  if (affects.length === 0) return [`**${words.heading(0)}**`, escapeOwnText(words.none)];
  const items = affects.map((item) => {
    const id = anchors.findCommit(item.repo, item.sha);
    const title = escapeText(item.title);
    return `- ${id === undefined ? title : link(title, `#${id}`)} · ${escapeText(item.repo)} · ${codeSpan(item.shortSha)} · ${item.names.map(codeSpan).join(", ")}`;
  });
  return [`**${words.heading(affects.length)}**`, items.join("\n")];
}

/** The top of a section with `usedBy`: what breaks the user's code, each use with its line, and what was indexed. */
function renderAffectsRepo({ report }: Context, repo: RepoReport, anchors: RepoAnchors): string[] {
  if (repo.usage === undefined) return [];
  const words = usageWords(report.lang);
  const lifted = liftedCommits(repo);
  const blocks = [`### ${words.heading(lifted.length)}`];
  if (lifted.length === 0) blocks.push(escapeOwnText(words.none));
  else {
    blocks.push(
      lifted
        .map((commit) => {
          const uses = commit.affects!.filter((item) => item.breaking).map((item) => `  - ${escapeOwnText(affectedLine(item, report.lang))}`);
          return [`- ${link(escapeText(commit.title), `#${commitAnchor(anchors, commit)}`)} · ${codeSpan(commit.shortSha)}`, ...uses].join("\n");
        })
        .join("\n"),
    );
  }
  const mentioned = mentionedCommits(repo).length;
  if (mentioned > 0) blocks.push(escapeOwnText(words.mentioned(mentioned)));
  blocks.push(...indexedLines(repo.usage, report.lang).map((line) => `<sub>${escapeOwnText(line)}</sub>`));
  return blocks;
}

/** Under a commit: every name of the user's it touches, breaking first. */
function renderAffectsCommit({ report }: Context, commit: ReportCommit): string[] {
  if (!commit.affects) return [];
  return [`${bold(commitUsageHeading(commit.affects, report.lang))}\n${bullets(commit.affects.map((item) => escapeOwnText(affectedLine(item, report.lang))))}`];
}

function renderRepo(context: Context, repo: RepoReport, anchors: RepoAnchors): string[] {
  const { labels, isRange } = context;
  const name = escapeText(repo.name);
  const blocks = [
    `${anchorTag(anchors.section)}\n## ${repo.webUrl ? link(name, repo.webUrl) : name}`,
    `${labels.branch}${labels.colon}${codeSpan(repo.branch)}`,
    ...renderNotices(repo.notices),
    ...renderAffectsRepo(context, repo, anchors),
    ...renderRepoOverview(context, repo, anchors),
  ];
  // A week's commit table would bury the digest; its per-day table stands in.
  if (repo.commits.length === 0) blocks.push(labels.noCommits(isRange));
  else if (context.report.kind !== "digest") blocks.push(renderCommitTable(context, repo, anchors));
  blocks.push(
    `${anchorTag(anchors.stats)}\n### ${labels.statsHeading}`,
    `${labels.statsTotal(repo.counts.total, isRange)} | ${formatCounts(labels, repo.counts)}`,
  );
  if (repo.commits.length === 0) return repo.activity ? [...blocks, ...renderActivity(context, repo.activity)] : blocks;

  if (context.report.kind === "digest") return [...blocks, ...renderDigestBody(context, repo, anchors)];
  const groups = groupByImportance(repo.commits);
  blocks.push(`### ${labels.tocHeading}`, renderToc(labels, groups, anchors));
  for (const [importance, commits] of groups) {
    blocks.push(`${anchorTag(anchors.groups[importance])}\n### ${labels.group(importance, commits.length)}`);
    for (const commit of commits) blocks.push(...renderCommit(context, commit, commitAnchor(anchors, commit)), RULE);
  }
  if (repo.activity) blocks.push(...renderActivity(context, repo.activity));
  return blocks;
}

/** The period's releases, pull requests and issues on GitHub: short, each with its link. */
function renderActivity(context: Context, activity: RepoActivity): string[] {
  const labels = githubLabels(context).activity;
  const timezone = context.report.period.timezone;
  const item = (entry: ActivityItem) =>
    [
      `${link(`#${entry.number}`, entry.url)} ${escapeText(entry.title)}`,
      entry.author ? labels.by(escapeText(entry.author)) : undefined,
      entry.labels.length > 0 ? entry.labels.map(codeSpan).join(" ") : undefined,
    ]
      .filter(Boolean)
      .join(" · ");
  const groups: Array<[string, Array<[string, ActivityItem[]]>]> = [
    [labels.pullRequests, [[labels.merged, activity.pullRequests.merged], [labels.opened, activity.pullRequests.opened], [labels.closedUnmerged, activity.pullRequests.closed]]],
    [labels.issues, [[labels.opened, activity.issues.opened], [labels.closed, activity.issues.closed]]],
  ];
  const blocks: string[] = [];
  if (activity.releases.length > 0) {
    blocks.push(
      bold(labels.releases),
      activity.releases
        .map((release) =>
          [
            `- ${link(codeSpan(release.tag), release.url)}${release.name && release.name !== release.tag ? ` ${escapeText(release.name)}` : ""}${release.prerelease ? ` (${labels.prerelease})` : ""} · ${labels.published(formatInstant(release.publishedAt, timezone, "minute"))}`,
            ...release.highlights.map((point) => `  - ${escapeText(point)}`),
          ].join("\n"),
        )
        .join("\n"),
    );
  }
  if (activity.tags.length > 0) blocks.push(bold(labels.tags), activity.tags.map((tag) => (tag.url ? link(codeSpan(tag.name), tag.url) : codeSpan(tag.name))).join(" "));
  for (const [heading, lists] of groups) {
    const lines = lists.flatMap(([label, items]) => (items.length === 0 ? [] : [`- ${bold(label)}`, ...items.map((entry) => `  - ${item(entry)}`)]));
    if (lines.length > 0) blocks.push(bold(heading), lines.join("\n"));
  }
  if (activity.discussed.length > 0) {
    blocks.push(bold(labels.discussed), bullets(activity.discussed.map((entry) => `${item(entry)} · ${labels.newComments(entry.newComments)}`)));
  }
  if (blocks.length === 0) return [];
  if (activity.omitted > 0) blocks.push(`*${labels.omitted(activity.omitted)}*`);
  return [`### ${labels.heading}`, ...blocks];
}

function githubLabels(context: Context) {
  return githubLabelsFor(context.report.lang);
}

/** The weekly digest: commits per day, then only the high-importance commits in full. */
function renderDigestBody(context: Context, repo: RepoReport, anchors: RepoAnchors): string[] {
  const { labels } = context;
  const blocks: string[] = [];
  if (repo.days && repo.days.length > 0) {
    blocks.push(
      `### ${labels.digest.daysHeading}`,
      renderTable(
        [labels.digest.day, labels.importance.high, labels.importance.medium, labels.importance.low, labels.digest.total],
        repo.days.map(({ day, counts }) => [day, String(counts.high), String(counts.medium), String(counts.low), String(counts.total)]),
        ["left", "right", "right", "right", "right"],
      ),
    );
  }
  const high = repo.commits.filter((commit) => commit.importance === "high");
  if (high.length > 0) {
    blocks.push(`${anchorTag(anchors.groups.high)}\n### ${labels.group("high", high.length)}`);
    for (const commit of high) blocks.push(...renderCommit(context, commit, commitAnchor(anchors, commit)), RULE);
  }
  if (repo.counts.medium + repo.counts.low > 0) blocks.push(labels.digest.rest(repo.counts.medium, repo.counts.low));
  if (repo.activity) blocks.push(...renderActivity(context, repo.activity));
  return blocks;
}

/** The model's themes of the period and the commits to read first, linked to their entries. */
function renderRepoOverview({ labels }: Context, repo: RepoReport, anchors: RepoAnchors): string[] {
  const overview = repo.overview;
  if (!overview) return [];
  const blocks = [`### ${labels.dayOverview.heading}`];
  if (overview.themes.length > 0) blocks.push(bold(labels.dayOverview.themes), bullets(overview.themes.map(escapeOwnText)));
  const readFirst = overview.readFirst.flatMap((item) => {
    const commit = repo.commits.find((candidate) => candidate.sha === item.sha);
    if (!commit) return [];
    return [`${link(tableCodeSpan(commit.shortSha), `#${commitAnchor(anchors, commit)}`)} ${escapeText(commit.title)}${labels.colon}${escapeOwnText(item.why)}`];
  });
  if (readFirst.length > 0) blocks.push(bold(labels.dayOverview.readFirst), readFirst.map((line, i) => `${i + 1}. ${line}`).join("\n"));
  blocks.push(`*${labels.dayOverview.writtenBy(escapeText(overview.model))}*`);
  return blocks;
}

function renderCommitTable(context: Context, repo: RepoReport, anchors: RepoAnchors): string {
  const { labels } = context;
  const table = labels.commitTable;
  return renderTable(
    [table.time, table.importance, table.author, table.message, table.sha],
    repo.commits.map((commit) => [
      formatLocalTime(commit.committedAt),
      labels.importance[commit.importance],
      escapeText(commit.author.name),
      escapeText(commit.title),
      link(tableCodeSpan(commit.shortSha), `#${commitAnchor(anchors, commit)}`),
    ]),
  );
}

function renderToc(labels: Labels, groups: Map<Importance, ReportCommit[]>, anchors: RepoAnchors): string {
  const lines = [`- ${link(labels.statsHeading, `#${anchors.stats}`)}`];
  for (const [importance, commits] of groups) {
    lines.push(`- ${link(labels.group(importance, commits.length), `#${anchors.groups[importance]}`)}`);
    for (const commit of commits) {
      lines.push(`  - ${link(escapeText(truncateTitle(commit.title, TOC_TITLE_COLUMNS)), `#${commitAnchor(anchors, commit)}`)}`);
    }
  }
  return lines.join("\n");
}

function importanceLine(labels: Labels, commit: ReportCommit): string {
  const differ = disagreement(commit.analysis);
  return `${labels.importanceTier(commit.importance)}${differ ? labels.opinions(differ.model, differ.rules) : ""}`;
}

function renderCommit(context: Context, commit: ReportCommit, anchor: string): string[] {
  const { labels } = context;
  const { analysis } = commit;
  const blocks = [
    `${anchorTag(anchor)}\n#### ${escapeText(commit.title)}`,
    renderCommitMeta(labels, commit),
    ...[renderPullRequest(context, commit)].filter((line): line is string => line !== undefined),
    labelled(labels, labels.section.changeType, labels.changeType[commit.changeType]),
    labelled(labels, labels.section.importance, importanceLine(labels, commit)),
    ...renderAffectsCommit(context, commit),
  ];
  if (analysis.reasons.length > 0) {
    blocks.push(bullets(orderReasons(analysis.reasons).map((reason) => labels.reason(escapeOwnText(reason.text)))));
  }
  blocks.push(...renderNarrative(labels, analysis.narrative));
  const footnote = renderFootnote(labels, commit);
  if (footnote) blocks.push(footnote);
  return blocks;
}

/** The narrative's sections in their fixed order; a section with nothing in it is left out. */
function renderNarrative(labels: Labels, narrative: Narrative): string[] {
  const blocks: string[] = [];
  if (narrative.summary.trim() !== "") blocks.push(labelled(labels, labels.section.summary, escapeOwnText(narrative.summary)));
  if (narrative.impact.length > 0) blocks.push(bold(labels.section.impact), bullets(narrative.impact.map(escapeOwnText)));
  const insights = INSIGHT_DIMENSIONS.flatMap((dimension) => {
    const points = narrative.insights.filter((insight) => insight.dimension === dimension).flatMap((insight) => insight.points);
    return points.length === 0 ? [] : [{ dimension, points }];
  });
  if (insights.length > 0) {
    const lines = insights.flatMap(({ dimension, points }) => [
      `- ${bold(labels.dimension[dimension])}`,
      ...points.map((point) => `  - ${escapeOwnText(point)}`),
    ]);
    blocks.push(bold(labels.section.insights), lines.join("\n"));
  }
  if (narrative.risks.length > 0) blocks.push(bold(labels.section.risks), bullets(narrative.risks.map(escapeOwnText)));
  if (narrative.recommendations.length > 0) {
    const ordered = AUDIENCE_ORDER.flatMap((audience) => narrative.recommendations.filter((item) => item.audience === audience));
    blocks.push(
      bold(labels.section.recommendations),
      bullets(ordered.map((item) => labelled(labels, labels.audience[item.audience], escapeOwnText(item.text)))),
    );
  }
  return blocks;
}

const bold = (text: string): string => `**${text}**`;
const labelled = (labels: Labels, label: string, value: string): string => `${bold(label)}${labels.colon}${value}`;
const bullets = (items: readonly string[]): string => items.map((item) => `- ${item}`).join("\n");

const AUDIENCE_ORDER: readonly Audience[] = ["maintainers", "users", "ci"];

/** The pull request behind the commit: its title, labels, reviewers and the issues it closes. */
function renderPullRequest(context: Context, commit: ReportCommit): string | undefined {
  const pr = commit.pullRequest;
  if (!pr) return undefined;
  const labels = githubLabels(context).pullRequest;
  const colon = context.labels.colon;
  return [
    `${bold(labels.heading)}${colon}${link(`#${pr.number} ${escapeText(pr.title)}`, pr.url)}`,
    pr.author ? `@${escapeText(pr.author)}` : undefined,
    pr.labels.length > 0 ? `${labels.labels}${colon}${pr.labels.map(codeSpan).join(" ")}` : undefined,
    pr.reviewers.length > 0 ? `${labels.reviewers}${colon}${pr.reviewers.map((login) => `@${escapeText(login)}`).join(" ")}` : undefined,
    pr.linkedIssues.length > 0 ? `${labels.linkedIssues}${colon}${pr.linkedIssues.map((n) => `#${n}`).join(" ")}` : undefined,
  ]
    .filter(Boolean)
    .join(" · ");
}

function renderCommitMeta(labels: Labels, commit: ReportCommit): string {
  const parts = [codeSpan(commit.shortSha)];
  if (commit.links.commit) parts.push(link(labels.viewCommit, commit.links.commit));
  if (commit.prNumber !== undefined) {
    const label = labels.pullRequest(commit.prNumber);
    parts.push(commit.links.pullRequest ? link(label, commit.links.pullRequest) : label);
  }
  parts.push(
    escapeText(commit.author.name),
    formatLocalTime(commit.committedAt),
    labels.diffSize(commit.stats.additions, commit.stats.deletions, commit.stats.files),
  );
  return parts.join(" · ");
}

/** Notes and what was not seen, in one line under the commit. */
function renderFootnote(labels: Labels, commit: ReportCommit): string | undefined {
  const { unseen } = commit.facts;
  const gaps: string[] = [];
  if (unseen.unreadableFiles?.length) gaps.push(labels.unreadableFiles(unseen.unreadableFiles.length, summariseNames(labels, unseen.unreadableFiles)));
  if (unseen.truncatedFiles.length > 0) {
    gaps.push(labels.truncatedFiles(unseen.truncatedFiles.length, summariseNames(labels, unseen.truncatedFiles)));
  }
  if (unseen.omittedPatchBytes > 0) gaps.push(labels.omittedBytes(formatBytes(unseen.omittedPatchBytes)));
  if (unseen.ignoredFiles.length > 0) {
    gaps.push(labels.ignoredFiles(unseen.ignoredFiles.length, summariseNames(labels, unseen.ignoredFiles)));
  }
  if (unseen.structureFallback.length > 0) {
    const names = unseen.structureFallback.map((entry) => entry.file);
    gaps.push(labels.structureFallback(names.length, summariseNames(labels, names)));
  }
  const parts = commit.analysis.notes.map(escapeOwnText);
  if (gaps.length > 0) parts.push(`${labels.unseen}${labels.colon}${gaps.join(labels.clauseSeparator)}`);
  if (parts.length === 0) return undefined;
  return `> 📝 ${parts.join(" · ")}`;
}

function summariseNames(labels: Labels, names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).map(codeSpan).join(labels.listSeparator);
  return names.length > NAMES_SHOWN ? labels.moreNames(shown, names.length - NAMES_SHOWN) : shown;
}

function formatCounts(labels: Labels, counts: Record<Importance, number>): string {
  return IMPORTANCE_ORDER.map((importance) => `${labels.importance[importance]} ${counts[importance]}`).join(" | ");
}

function commitAnchor(anchors: RepoAnchors, commit: ReportCommit): string {
  const id = anchors.commits.get(commit.sha);
  if (id === undefined) throw new InternalError(`no anchor planned for commit ${commit.sha}`);
  return id;
}

/** GFM splits table cells at every unescaped `|`, code spans included. */
function tableCodeSpan(text: string): string {
  return codeSpan(text).replace(/\|/g, "\\|");
}

type Align = "left" | "right";

function renderTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: readonly Align[]): string {
  const rule = header.map((_, index) => (align?.[index] === "right" ? "---:" : "---"));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}
