/**
 * The repository's activity of the period, where GitHub was asked: releases with their
 * first points, new tags, pull requests opened, merged and closed, issues opened and
 * closed, and the threads with the most new comments. Lists that are empty are left
 * out; what was cut to keep the section short is counted at its end.
 */
import { formatInstant } from "../markdown/format.js";
import type { ActivityItem, ActivityRelease, RepoActivity } from "../types.js";
import { codeHtml, escapeHtml, externalLink } from "./escape-html.js";
import { renderChips, renderList, type HtmlContext } from "./html-blocks.js";

export function renderActivity(context: HtmlContext, activity: RepoActivity): string[] {
  const labels = context.html.activity;
  const body = [
    ...renderReleases(context, activity.releases),
    ...renderTags(context, activity.tags),
    ...renderItemGroup(context, labels.pullRequests, [
      [labels.opened, activity.pullRequests.opened],
      [labels.merged, activity.pullRequests.merged],
      [labels.closedUnmerged, activity.pullRequests.closed],
    ]),
    ...renderItemGroup(context, labels.issues, [
      [labels.opened, activity.issues.opened],
      [labels.closed, activity.issues.closed],
    ]),
    ...renderDiscussed(context, activity.discussed),
  ];
  if (body.length === 0 && activity.omitted === 0) return [];
  if (activity.omitted > 0) body.push(`<p class="muted">${escapeHtml(labels.omitted(activity.omitted))}</p>`);
  return [
    '<section class="activity">',
    '<details class="block" open>',
    `<summary><h3>${escapeHtml(labels.heading)}</h3></summary>`,
    ...body,
    "</details>",
    "</section>",
  ];
}

function renderReleases(context: HtmlContext, releases: readonly ActivityRelease[]): string[] {
  if (releases.length === 0) return [];
  const labels = context.html.activity;
  const items = releases.map((release) => {
    const name = release.name.trim() === "" || release.name === release.tag ? "" : ` ${escapeHtml(release.name)}`;
    const head = [
      `${externalLink(codeHtml(release.tag), release.url)}${name}`,
      ...(release.prerelease ? [renderChips([labels.prerelease])] : []),
    ].join(" ");
    const published = escapeHtml(labels.published(formatInstant(release.publishedAt, context.report.period.timezone, "minute")));
    const highlights = release.highlights.length > 0 ? `\n${renderList(release.highlights.map(escapeHtml), "ul", "release-highlights")}` : "";
    return `${head} · <span class="muted">${published}</span>${highlights}`;
  });
  return [`<h4>${escapeHtml(labels.releases)}</h4>`, renderList(items, "ul", "activity-list")];
}

function renderTags(context: HtmlContext, tags: RepoActivity["tags"]): string[] {
  if (tags.length === 0) return [];
  const names = tags.map((tag) => externalLink(codeHtml(tag.name), tag.url));
  return [`<h4>${escapeHtml(context.html.activity.tags)}</h4>`, `<p>${names.join(" ")}</p>`];
}

function renderItemGroup(context: HtmlContext, heading: string, lists: ReadonlyArray<readonly [string, readonly ActivityItem[]]>): string[] {
  const parts: string[] = [];
  for (const [label, items] of lists) {
    if (items.length === 0) continue;
    parts.push(`<h5>${escapeHtml(label)} (${items.length})</h5>`, renderList(items.map((item) => renderItem(context, item)), "ul", "activity-list"));
  }
  return parts.length === 0 ? [] : [`<h4>${escapeHtml(heading)}</h4>`, ...parts];
}

function renderItem(context: HtmlContext, item: ActivityItem, extra: readonly string[] = []): string {
  const labels = context.html.activity;
  const parts = [externalLink(`#${item.number} ${escapeHtml(item.title)}`, item.url)];
  if (item.author) parts.push(escapeHtml(labels.by(item.author)));
  parts.push(...extra);
  parts.push(`<span class="muted">${formatInstant(item.at, context.report.period.timezone, "minute")}</span>`);
  const chips = item.labels.length > 0 ? ` ${renderChips(item.labels)}` : "";
  return `${parts.join(" · ")}${chips}`;
}

function renderDiscussed(context: HtmlContext, discussed: RepoActivity["discussed"]): string[] {
  if (discussed.length === 0) return [];
  const labels = context.html.activity;
  const items = discussed.map(
    (item) =>
      `${renderChips([item.kind === "pull" ? labels.pull : labels.issue])} ${renderItem(context, item, [`<strong>${escapeHtml(labels.newComments(item.newComments))}</strong>`])}`,
  );
  return [`<h4>${escapeHtml(labels.discussed)}</h4>`, renderList(items, "ul", "activity-list")];
}
