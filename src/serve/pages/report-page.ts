/**
 * `/reports/:name`: a published report, its stored model through the same HTML renderer as
 * the file (`-f html`), so the page and the file are the same document; one line of links
 * back to the app is put at the top of its page.
 */
import { RENDERERS } from "../../report/registry.js";
import type { Report } from "../../report/types.js";
import { html } from "../html.js";
import { reportPath, type Site } from "../site.js";

/** Reports rendered lately, by name and save time: a report is rendered once, not per visit. */
const RENDERED_KEPT = 32;
const rendered = new Map<string, string>();

export function renderReportPage(site: Site, name: string, savedAt: string, model: Report, otherLanguage: string | undefined): string {
  const key = `${name}\n${savedAt}`;
  let page = rendered.get(key);
  if (page === undefined) {
    page = RENDERERS.get("html").render(model);
    rendered.set(key, page);
    if (rendered.size > RENDERED_KEPT) rendered.delete(rendered.keys().next().value!);
  } else {
    // Most recently used last: the oldest one goes first.
    rendered.delete(key);
    rendered.set(key, page);
  }
  const t = site.labels.report;
  const nav = html`<p class="muted"><a href="${site.url("/")}">${t.backHome}</a>${
    otherLanguage ? html` · <a href="${site.url(reportPath(otherLanguage))}">${t.otherLanguage}</a>` : ""
  }</p>`;
  // The renderer's own frame, before any text of the report: the first one is always its.
  const marker = '<div class="page">';
  const at = page.indexOf(marker);
  return at < 0 ? page : `${page.slice(0, at + marker.length)}\n${nav.value}${page.slice(at + marker.length)}`;
}

/** The same report's name in the other language (`.en` is the English one). */
export function otherLanguageName(name: string): string {
  return name.endsWith(".en") ? name.slice(0, -".en".length) : `${name}.en`;
}
