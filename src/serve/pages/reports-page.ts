/** `/reports`: every published report, newest first, paged; `?day=` those of one day. */
import { html } from "../html.js";
import { renderPage, renderPager } from "../layout.js";
import type { Paging } from "../params.js";
import type { ReportsData } from "../read.js";
import type { Site } from "../site.js";
import { reportsTable } from "./parts.js";

export function renderReportsPage(site: Site, form: { repo?: string; day?: string }, paging: Paging, data: ReportsData): string {
  const t = site.labels.reports;
  const params: Array<[string, string]> = [];
  if (form.repo) params.push(["repo", form.repo]);
  if (form.day) params.push(["day", form.day]);
  const body = html`${data.reports.length === 0 ? html`<p>${t.none}</p>` : reportsTable(site, data.reports)}
${renderPager(site, "/reports", params, paging, data.total)}`;
  return renderPage(site, { title: form.day ? t.onDay(form.day) : t.title, body });
}
