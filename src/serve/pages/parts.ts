/** Small pieces several pages show the same way: importance, change type, times, report links. */
import type { ChangeType, Importance } from "../../analysis/types.js";
import type { StoredReport } from "../../store/types.js";
import { html, type SafeHtml } from "../html.js";
import { reportPath, type Site } from "../site.js";

export function importanceBadge(site: Site, importance: Importance): SafeHtml {
  return html`<span class="badge imp-${importance}">${site.labels.importance[importance]}</span>`;
}

export function changeTypeChip(site: Site, type: ChangeType): SafeHtml {
  return html`<span class="chip">${site.labels.changeType[type] ?? type}</span>`;
}

/** An ISO time as the store holds it, to the minute, with its offset (`2026-01-17 10:00 +08:00`, or UTC). */
export function formatTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(iso);
  if (!match) return iso;
  const zone = match[3] === undefined || match[3] === "Z" ? "UTC" : match[3];
  return `${match[1]} ${match[2]} ${zone}`;
}

export function periodText(report: Pick<StoredReport, "periodLabel">): string {
  return report.periodLabel.split("..").join(" – ");
}

export function reportLink(site: Site, report: StoredReport): SafeHtml {
  return html`<a href="${site.url(reportPath(report.name))}">${periodText(report)}</a>`;
}

/** One table row per report: period (linked), repositories, language, kind. */
export function reportsTable(site: Site, reports: readonly StoredReport[]): SafeHtml {
  const t = site.labels.reports;
  return html`<div class="table-wrap"><table>
<thead><tr><th>${t.table.period}</th><th>${t.table.repos}</th><th>${t.table.lang}</th><th>${t.table.kind}</th></tr></thead>
<tbody>
${reports.map(
  (report) =>
    html`<tr><td class="nowrap">${reportLink(site, report)}</td><td>${report.repos.join(", ")}</td><td><span class="chip">${report.lang}</span></td><td>${report.digest ? t.digest : t.daily}</td></tr>`,
)}
</tbody>
</table></div>`;
}
