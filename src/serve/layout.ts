/** The frame of every page of the app: head, navigation, main, footer; the report's look. */
import { html, type HtmlValue, type SafeHtml } from "./html.js";
import { PAGE_SIZE } from "./params.js";
import type { Site } from "./site.js";

export interface PageContent {
  title: string;
  /** Breadcrumbs above the heading, HTML. */
  crumbs?: SafeHtml;
  body: HtmlValue;
  /** Extra elements of <head> (a feed's <link>). */
  head?: SafeHtml;
}

export function renderPage(site: Site, page: PageContent): string {
  const { labels } = site;
  return html`<!DOCTYPE html>
<html lang="${site.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${page.title} · ${labels.appName}</title>
<link rel="stylesheet" href="${site.stylesheet}">
${page.head}
</head>
<body>
<a class="skip" href="#main">${labels.skipToContent}</a>
<div class="page">
<header>
<nav class="app-nav" aria-label="${labels.nav.mainNavigation}">
<a class="brand" href="${site.url("/")}">${labels.appName}</a>
<a href="${site.url("/reports")}">${labels.nav.reports}</a>
<a href="${site.url("/search")}">${labels.nav.search}</a>
<a href="${site.url("/trends")}">${labels.nav.trends}</a>
<a class="lang" href="${site.otherLanguageUrl}" lang="${site.lang === "en" ? "zh-CN" : "en"}">${labels.nav.otherLanguage}</a>
</nav>
</header>
<main id="main" tabindex="-1">
${page.crumbs ? html`<p class="crumbs">${page.crumbs}</p>` : ""}
<h1>${page.title}</h1>
${page.body}
</main>
<footer>${labels.footer(site.version)}</footer>
</div>
</body>
</html>
`.value;
}

/** Links to the previous and next pages of a list of `total` items, keeping the other parameters. */
export function renderPager(site: Site, path: string, params: ReadonlyArray<readonly [string, string]>, paging: { limit: number; offset: number }, total: number, defaultSize = PAGE_SIZE): SafeHtml {
  const pages = Math.max(1, Math.ceil(total / paging.limit));
  const page = Math.floor(paging.offset / paging.limit) + 1;
  if (pages <= 1 && page <= 1) return html``;
  // `limit` stays (the page size the reader chose); `offset` gives way to `page`.
  const size = paging.limit === defaultSize ? [] : [["limit", String(paging.limit)] as const];
  const link = (to: number) => site.url(path, [...params.filter(([key]) => key !== "page" && key !== "offset" && key !== "limit"), ...size, ...(to > 1 ? [["page", String(to)] as const] : [])]);
  return html`<nav class="pager" aria-label="${site.labels.pager.label}">
${page > 1 ? html`<a rel="prev" href="${link(Math.min(page - 1, pages))}">${site.labels.pager.previous}</a>` : ""}
<span>${site.labels.pager.page(page, pages)}</span>
${page < pages ? html`<a rel="next" href="${link(page + 1)}">${site.labels.pager.next}</a>` : ""}
</nav>`;
}
