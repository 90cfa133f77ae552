/**
 * The chat digest of a report: run notices, then per repository its counts, the
 * high-importance commits, the medium ones while room remains, its themes and activity,
 * and a link to the full report. Every line is bounded in length, so that the splitter
 * can always keep lines whole.
 */
import type { Report, RepoReport, ReportCommit } from "../../report/types.js";
import { chatLabelsFor, type ChatLabels } from "./labels.js";
import { formatInline, type ChatMarkup } from "./markup.js";
import { splitLines, type TextLimit } from "./split-lines.js";
import { usageWords } from "../../report/usage-text.js";

const MAX_TITLE = 150;
const MAX_SUMMARY = 240;
const MAX_NOTICE = 300;
const MAX_THEME = 120;
const MAX_THEMES = 5;
/** Commits that affect the reader's code listed by name; the rest counted. */
const MAX_AFFECTS = 5;

export interface DigestOptions {
  markup: ChatMarkup;
  fullReportUrl?: string;
  /** A heading line for the top of the text, for platforms whose message has no title of its own. */
  heading?: (title: string) => string;
  /** What ends a line: "\n", or "\n\n" where the platform's Markdown merges single newlines. */
  lineBreak?: string;
}

interface Selection {
  /** Medium-importance commits listed, counted across repositories in report order. */
  medium: number;
  /** High-importance commits listed; fewer than all only in a reduced digest. */
  high: number;
}

export interface FittedDigest {
  /** Plain text, for a platform's own title field. */
  title: string;
  /** The message texts, each within the limit. */
  chunks: string[];
  /** True when high-importance commits were left out for the link to the full report. */
  reduced: boolean;
}

/** The title of a report's chat message, with its period, in the report's language. */
export function digestTitle(report: Report): string {
  const labels = chatLabelsFor(report.lang);
  return labels.title(report.period.label.split("..").join(labels.rangeSeparator), report.kind === "digest");
}

/**
 * The digest in at most `maxChunks` chunks of at most `limit`: everything if it fits,
 * else fewer medium-importance commits, else (reduced) the high-importance commits that
 * fit and a pointer to the full report.
 */
export function fitDigest(report: Report, options: DigestOptions & { limit: TextLimit; maxChunks: number }): FittedDigest {
  const title = digestTitle(report);
  const highTotal = countListed(report, "high");
  const mediumTotal = report.kind === "digest" ? 0 : countListed(report, "medium");
  const attempt = (selection: Selection): string[] | undefined => {
    const chunks = splitLines(composeDigest(report, options, selection), options.limit, options.lineBreak);
    return chunks.length <= options.maxChunks ? chunks : undefined;
  };
  for (let medium = mediumTotal; medium >= 0; medium--) {
    const chunks = attempt({ medium, high: highTotal });
    if (chunks) return { title, chunks, reduced: false };
  }
  for (let high = highTotal - 1; high >= 0; high--) {
    const chunks = attempt({ medium: 0, high });
    if (chunks) return { title, chunks, reduced: true };
  }
  // Not even the notices and counts fit: send what fits, whole chunks only.
  const chunks = splitLines(composeDigest(report, options, { medium: 0, high: 0 }), options.limit, options.lineBreak).slice(0, options.maxChunks);
  return { title, chunks, reduced: true };
}

/** The digest's lines for one selection of commits; "" marks a break between sections. */
export function composeDigest(report: Report, options: DigestOptions, selection: Selection): string[] {
  const labels = chatLabelsFor(report.lang);
  const { markup } = options;
  const lines: string[] = [];
  if (options.heading) lines.push(options.heading(markup.escape(clip(digestTitle(report), MAX_TITLE))), "");
  for (const notice of report.notices) lines.push(noticeLine(notice, labels, markup));
  if (report.notices.length > 0) lines.push("");
  lines.push(...affectsLines(report, markup));

  let highLeft = selection.high;
  let mediumLeft = selection.medium;
  let highOmitted = 0;
  for (const repo of report.repos) {
    lines.push(repoLine(repo, markup));
    for (const notice of repo.notices) lines.push(noticeLine(notice, labels, markup));
    lines.push(repo.counts.total === 0 ? labels.noCommits : labels.counts(repo.counts));

    const high = repo.commits.filter((commit) => commit.importance === "high");
    const shownHigh = high.slice(0, Math.max(0, highLeft));
    highLeft -= shownHigh.length;
    highOmitted += high.length - shownHigh.length;
    for (const commit of shownHigh) lines.push(commitLine(commit, "🔴", markup));

    if (report.kind !== "digest") {
      const medium = repo.commits.filter((commit) => commit.importance === "medium");
      const shownMedium = medium.slice(0, Math.max(0, mediumLeft));
      mediumLeft -= shownMedium.length;
      for (const commit of shownMedium) lines.push(commitLine(commit, "🟡", markup));
      if (shownMedium.length < medium.length) lines.push(labels.moreMedium(medium.length - shownMedium.length));
    }

    const themes = repo.overview?.themes ?? [];
    if (themes.length > 0) {
      const listed = themes.slice(0, MAX_THEMES).map((theme) => formatInline(markup, clip(oneLine(theme), MAX_THEME)));
      lines.push(`🧭 ${markup.bold(labels.themes)}: ${listed.join(" · ")}`);
    }
    const activity = repo.activity ? summarizeActivity(repo, labels) : "";
    if (activity !== "") lines.push(`📦 ${activity}`);
    lines.push("");
  }
  if (highOmitted > 0) lines.push(labels.moreHigh(highOmitted));
  if (options.fullReportUrl !== undefined) lines.push(`🔗 ${markup.link(markup.escape(labels.fullReport), options.fullReportUrl)}`);
  return lines;
}

/** First of all: how many commits can break the reader's own code (`usedBy:`), and which, whatever their tier. */
function affectsLines(report: Report, markup: ChatMarkup): string[] {
  const affects = report.overview.affectsYou ?? [];
  if (affects.length === 0) return [];
  const words = usageWords(report.lang);
  const lines = [markup.bold(markup.escape(words.chat(affects.length)))];
  const bySha = new Map(report.repos.flatMap((repo) => repo.commits.map((commit) => [`${repo.name}\u0000${commit.sha}`, commit] as const)));
  for (const item of affects.slice(0, MAX_AFFECTS)) {
    const commit = bySha.get(`${item.repo}\u0000${item.sha}`);
    const sha = commit?.links.commit === undefined ? item.shortSha : markup.link(item.shortSha, commit.links.commit);
    const names = item.names.slice(0, 3).map((name) => markup.code(name.replace(/`/g, "'"))).join(", ");
    lines.push(`⚠️ ${sha} ${markup.bold(formatInline(markup, clip(oneLine(item.title), MAX_TITLE)))} — ${names}`);
  }
  if (affects.length > MAX_AFFECTS) lines.push(markup.escape(`… +${affects.length - MAX_AFFECTS}`));
  lines.push("");
  return lines;
}

function countListed(report: Report, importance: "high" | "medium"): number {
  return report.repos.reduce((sum, repo) => sum + repo.commits.filter((commit) => commit.importance === importance).length, 0);
}

function noticeLine(notice: string, labels: ChatLabels, markup: ChatMarkup): string {
  return `${labels.notice} ${formatInline(markup, clip(oneLine(notice), MAX_NOTICE))}`;
}

function repoLine(repo: RepoReport, markup: ChatMarkup): string {
  const name = markup.escape(repo.name);
  return `📁 ${markup.bold(repo.webUrl === undefined ? name : markup.link(name, repo.webUrl))}`;
}

function commitLine(commit: ReportCommit, marker: string, markup: ChatMarkup): string {
  const sha = commit.links.commit === undefined ? commit.shortSha : markup.link(commit.shortSha, commit.links.commit);
  const summary = oneLine(commit.analysis.narrative.summary);
  const tail = summary === "" ? "" : ` — ${formatInline(markup, clipToSentence(summary, MAX_SUMMARY))}`;
  return `${marker} ${sha} ${markup.bold(formatInline(markup, clip(oneLine(commit.title), MAX_TITLE)))}${tail}`;
}

function summarizeActivity(repo: RepoReport, labels: ChatLabels): string {
  const activity = repo.activity;
  if (!activity) return "";
  return labels.activity({
    releases: activity.releases.length,
    pullsOpened: activity.pullRequests.opened.length,
    pullsMerged: activity.pullRequests.merged.length,
    issuesOpened: activity.issues.opened.length,
    issuesClosed: activity.issues.closed.length,
  });
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/**
 * Shortens a summary to the whole sentences that fit in `max` code points; only a first
 * sentence longer than that is clipped.
 */
export function clipToSentence(text: string, max: number): string {
  if ([...text].length <= max) return text;
  let end = 0;
  for (const match of text.matchAll(/[.!?](?=\s)|[。！？；]/g)) {
    const candidate = match.index + match[0].length;
    if ([...text.slice(0, candidate)].length > max) break;
    end = candidate;
  }
  return end > 0 ? text.slice(0, end) : clip(text, max);
}

/** Shortens text written for the full report to at most `max` code points, at a space where one is near. */
export function clip(text: string, max: number): string {
  const points = [...text];
  if (points.length <= max) return text;
  const head = points.slice(0, max - 1).join("");
  const space = head.lastIndexOf(" ");
  return `${space > head.length - 20 && space > 0 ? head.slice(0, space) : head}…`;
}
