/** `/repos/:name`: a repository's reports (paged) and its recent commits. */
import { html } from "../html.js";
import { renderPage, renderPager } from "../layout.js";
import { ARCHIVE_PAGE_SIZE, type Paging } from "../params.js";
import type { RepoData } from "../read.js";
import { repoPath, type Site } from "../site.js";
import { renderHits } from "./hits.js";
import { reportsTable } from "./parts.js";

export function renderRepoPage(site: Site, data: RepoData, paging: Paging): string {
  const t = site.labels.repo;
  const otherLanguage = data.commits.lang !== site.lang ? html`<p class="banner" role="note">${site.labels.search.otherLanguageNote}</p>` : "";
  const body = html`<p><a href="${site.url("/trends", [["repo", data.name]])}">${t.trendsLink}</a></p>
<section id="reports">
<h2>${t.reportsHeading}</h2>
${data.reports.reports.length === 0 ? html`<p>${t.noReports}</p>` : reportsTable(site, data.reports.reports)}
${renderPager(site, repoPath(data.name), [], paging, data.reports.total, ARCHIVE_PAGE_SIZE)}
</section>
<section id="commits">
<h2>${t.commitsHeading}</h2>
${otherLanguage}
${data.commits.hits.length === 0 ? html`<p>${t.noCommits}</p>` : renderHits(site, data.commits.hits)}
${data.commits.total > data.commits.hits.length ? html`<p><a href="${site.url("/search", [["repo", data.name]])}">${t.moreCommits(data.commits.total)}</a></p>` : ""}
</section>`;
  return renderPage(site, { title: data.name, body, crumbs: html`<a href="${site.url("/")}">${site.labels.nav.home}</a> / ${t.title(data.name)}` });
}
