/** `/`: the latest report of each repository, and a calendar of the days with reports. */
import type { StoredReport } from "../../store/types.js";
import { html, type SafeHtml } from "../html.js";
import { renderPage } from "../layout.js";
import type { HomeData } from "../read.js";
import { reportPath, repoPath, type Site } from "../site.js";
import { reportLink } from "./parts.js";

/** Months shown in the calendar, newest first: half a year of reports on one screen. */
const CALENDAR_MONTHS = 6;

export function renderHomePage(site: Site, data: HomeData): string {
  const t = site.labels.home;
  const latest =
    data.repos.length === 0
      ? html`<p>${t.noReports}</p>`
      : html`<div class="table-wrap"><table>
<thead><tr><th>${t.repoTable.repo}</th><th>${t.repoTable.latest}</th><th class="num">${t.repoTable.reports}</th></tr></thead>
<tbody>
${data.repos.map(
  (repo) =>
    html`<tr><td><a href="${site.url(repoPath(repo.name))}">${repo.name}</a></td><td class="nowrap">${repo.latest ? reportLink(site, repo.latest) : "—"}</td><td class="num">${repo.reports}</td></tr>`,
)}
</tbody>
</table></div>`;
  const body = html`<section>
<h2>${t.latestHeading}</h2>
${latest}
</section>
<section>
<h2>${t.calendarHeading}</h2>
${data.days.length === 0 ? html`<p>${t.noReports}</p>` : html`<p class="muted">${t.calendarNote}</p><div class="calendars">${renderCalendar(site, data.days)}</div>`}
</section>`;
  return renderPage(site, { title: t.title, body });
}

function renderCalendar(site: Site, days: HomeData["days"]): SafeHtml[] {
  const byDay = new Map(days.map((entry) => [entry.day, entry.reports]));
  const months = [...new Set(days.map((entry) => entry.day.slice(0, 7)))].sort().reverse().slice(0, CALENDAR_MONTHS);
  return months.map((month) => renderMonth(site, month, byDay));
}

function renderMonth(site: Site, month: string, byDay: ReadonlyMap<string, StoredReport[]>): SafeHtml {
  const t = site.labels.home;
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  const first = new Date(Date.UTC(year, monthNumber - 1, 1));
  const length = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  // Weeks start on Monday (ISO 8601), as calendars do in China and in most of Europe.
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: SafeHtml[] = Array.from({ length: lead }, () => html`<td></td>`);
  for (let date = 1; date <= length; date++) {
    const day = `${month}-${String(date).padStart(2, "0")}`;
    const reports = byDay.get(day);
    if (!reports) {
      cells.push(html`<td class="none">${date}</td>`);
      continue;
    }
    const preferred = reports.filter((report) => report.lang === site.lang);
    const only = reports.length === 1 ? reports[0] : preferred.length === 1 ? preferred[0] : undefined;
    const href = only ? site.url(reportPath(only.name)) : site.url("/reports", [["day", day]]);
    cells.push(html`<td class="has"><a href="${href}" aria-label="${t.reportsOn(day, reports.length)}" title="${t.reportsOn(day, reports.length)}">${date}</a></td>`);
  }
  while (cells.length % 7 !== 0) cells.push(html`<td></td>`);
  const weeks: SafeHtml[] = [];
  for (let index = 0; index < cells.length; index += 7) weeks.push(html`<tr>${cells.slice(index, index + 7)}</tr>`);
  return html`<table class="calendar" data-month="${month}">
<caption>${t.month(year, monthNumber)}</caption>
<thead><tr>${t.weekdays.map((day) => html`<th scope="col">${day}</th>`)}</tr></thead>
<tbody>${weeks}</tbody>
</table>`;
}
