/** A page for a request that cannot be answered: its status, and the one line saying why and what to do. */
import { html } from "../html.js";
import { renderPage } from "../layout.js";
import type { Site } from "../site.js";

export function renderErrorPage(site: Site, title: string, line: string): string {
  return renderPage(site, { title, body: html`<p class="error-line">${line}</p><p><a href="${site.url("/")}">${site.labels.nav.home}</a></p>` });
}
