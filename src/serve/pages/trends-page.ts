/**
 * `/trends`: commits per day by importance, hotspots, public API added and removed (and
 * breaking commits) per day, dependency changes per day, the most active authors. Each chart
 * is SVG drawn here, with its numbers in a table beside it.
 */
import { html, type SafeHtml } from "../html.js";
import { divergingDayBars, horizontalBars, stackedDayBars, type Series } from "../charts.js";
import { renderPage } from "../layout.js";
import type { TrendsData } from "../read.js";
import { repoPath, type Site } from "../site.js";

export function renderTrendsPage(site: Site, data: TrendsData, repos: readonly string[]): string {
  const t = site.labels.trends;
  const { trends } = data;
  const days = trends.perDay.map((row) => row.day);
  const total = trends.perDay.reduce((sum, row) => sum + row.high + row.medium + row.low, 0);
  const importance: Series[] = (["low", "medium", "high"] as const).map((key) => ({ key, label: site.labels.importance[key], colour: `c-${key}` }));
  const apiSeries = {
    added: { key: "added", label: t.added, colour: "c-added" },
    removed: { key: "removed", label: t.removed, colour: "c-removed" },
    breaking: { key: "breaking", label: t.breaking, colour: "c-breaking" },
  };
  const charts =
    total === 0
      ? html`<p>${t.noData}</p>`
      : html`<section id="per-day">
<h2>${t.perDay}</h2>
${stackedDayBars({ id: "chart-per-day", title: t.perDay, days, series: importance, rows: trends.perDay })}
${dataTable(t.table, [t.day, ...importance.slice().reverse().map((item) => item.label)], trends.perDay.map((row) => [row.day, row.high, row.medium, row.low]), "table-per-day")}
</section>
<section id="hotspots">
<h2>${t.hotspots}</h2>
${horizontalBars({
  id: "chart-hotspots",
  title: t.hotspots,
  rows: trends.modules.map((row) => ({ key: row.module, label: row.module, value: row.lines, valueText: `${t.countLines(row.lines)} · ${t.countCommits(row.commits)}`, colour: "c-bar" })),
})}
${dataTable(t.table, [t.module, t.lines, t.commits], trends.modules.map((row) => [row.module, row.lines, row.commits]), "table-hotspots")}
</section>
<section id="api">
<h2>${t.api}</h2>
${divergingDayBars({ id: "chart-api", title: t.api, days, rows: trends.api, series: apiSeries })}
${dataTable(t.table, [t.day, t.added, t.removed, t.breaking], trends.api.map((row) => [row.day, row.added, row.removed, row.breaking]), "table-api")}
</section>
<section id="dependencies">
<h2>${t.dependencies}</h2>
${stackedDayBars({ id: "chart-dependencies", title: t.dependencies, days, series: [{ key: "commits", label: t.commits, colour: "c-bar" }], rows: trends.dependencies })}
${dataTable(t.table, [t.day, t.commits], trends.dependencies.map((row) => [row.day, row.commits]), "table-dependencies")}
</section>
<section id="authors">
<h2>${t.authors}</h2>
${horizontalBars({
  id: "chart-authors",
  title: t.authors,
  rows: trends.authors.map((row) => ({ key: row.author, label: `${row.author}${row.bot ? t.botMark : ""}`, value: row.commits, valueText: t.countCommits(row.commits), colour: row.bot ? "c-bot" : "c-bar" })),
})}
${dataTable(t.table, [t.author, t.commits], trends.authors.map((row) => [`${row.author}${row.bot ? t.botMark : ""}`, row.commits]), "table-authors")}
</section>`;
  const body = html`${renderForm(site, data, repos)}
<p class="muted">${t.range(data.since, data.until)}${data.repos.length > 0 ? html` · ${data.repos.map((repo, index) => html`${index > 0 ? ", " : ""}<a href="${site.url(repoPath(repo))}">${repo}</a>`)}` : ""}</p>
${data.lang !== site.lang ? html`<p class="banner" role="note">${t.otherLanguageNote}</p>` : ""}
${charts}`;
  return renderPage(site, { title: t.title, body });
}

function dataTable(summary: string, header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>, id: string): SafeHtml {
  return html`<details class="data"><summary>${summary}</summary><div class="table-wrap"><table id="${id}">
<thead><tr>${header.map((cell, index) => html`<th${index > 0 ? html` class="num"` : ""}>${cell}</th>`)}</tr></thead>
<tbody>${rows.map((row) => html`<tr>${row.map((cell, index) => html`<td${index > 0 ? html` class="num"` : ""}>${cell}</td>`)}</tr>`)}</tbody>
</table></div></details>`;
}

function renderForm(site: Site, data: TrendsData, repos: readonly string[]): SafeHtml {
  const f = site.labels.search.fields;
  return html`<form class="search" method="get" action="/trends">
<label>${f.repo}<input type="text" name="repo" value="${data.repos.join(",")}" list="repo-names" autocomplete="off"></label>
<datalist id="repo-names">${repos.map((repo) => html`<option value="${repo}"></option>`)}</datalist>
<label>${f.since}<input type="date" name="since" value="${data.since}"></label>
<label>${f.until}<input type="date" name="until" value="${data.until}"></label>
${site.lang !== site.defaultLang ? html`<input type="hidden" name="lang" value="${site.lang}">` : ""}
<div class="actions"><button type="submit">${site.labels.trends.apply}</button></div>
</form>`;
}
