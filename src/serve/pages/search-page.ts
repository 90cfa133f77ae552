/** `/search`: the form (a plain GET form, no script), the matching commits, paged, and the same search as a feed. */
import { CHANGE_TYPES, IMPORTANCE_ORDER } from "../../analysis/types.js";
import { html, type SafeHtml } from "../html.js";
import { renderPage, renderPager } from "../layout.js";
import { searchFormParams, type Paging, type SearchForm } from "../params.js";
import type { SearchData } from "../read.js";
import type { Site } from "../site.js";
import { queryWords, renderHits } from "./hits.js";

export function renderSearchPage(site: Site, form: SearchForm, paging: Paging, data: SearchData, repos: readonly string[]): string {
  const t = site.labels.search;
  const params = searchFormParams(form);
  const feed = site.url("/search.atom", params);
  const body = html`${renderForm(site, form, repos)}
<p><strong>${t.results(data.total)}</strong> · <a href="${feed}" type="application/atom+xml">${t.feed}</a></p>
${data.lang !== site.lang && data.total > 0 ? html`<p class="banner" role="note">${t.otherLanguageNote}</p>` : ""}
${data.hits.length === 0 ? html`<p>${t.none}</p>` : renderHits(site, data.hits, queryWords(form.q))}
${renderPager(site, "/search", params, paging, data.total)}`;
  return renderPage(site, { title: t.title, body, head: html`<link rel="alternate" type="application/atom+xml" title="${t.feed}" href="${feed}">` });
}

function option(value: string, label: string, selected: boolean): SafeHtml {
  return html`<option value="${value}"${selected ? html` selected` : ""}>${label}</option>`;
}

function input(name: string, label: string, value: string | undefined, type = "text", extra?: SafeHtml): SafeHtml {
  return html`<label>${label}<input type="${type}" name="${name}" value="${value ?? ""}"${extra}></label>`;
}

function renderForm(site: Site, form: SearchForm, repos: readonly string[]): SafeHtml {
  const t = site.labels.search;
  const f = t.fields;
  const more = [form.path, form.module, form.symbol, form.env, form.flag, form.dependency].some((value) => value !== undefined);
  return html`<form class="search" method="get" action="/search" role="search">
<label class="wide">${f.q}<input type="search" name="q" value="${form.q ?? ""}"></label>
${input("repo", f.repo, form.repo.join(","), "text", html` list="repo-names" autocomplete="off"`)}
<datalist id="repo-names">${repos.map((repo) => html`<option value="${repo}"></option>`)}</datalist>
<label>${f.importance}<select name="importance">${option("", t.any, form.importance === undefined)}${IMPORTANCE_ORDER.map((importance) =>
    option(importance, t.atLeast(site.labels.importance[importance]), form.importance === importance),
  )}</select></label>
<label>${f.type}<select name="type">${option("", t.any, form.type.length === 0)}${CHANGE_TYPES.map((type) => option(type, site.labels.changeType[type], form.type.length === 1 && form.type[0] === type))}</select></label>
${input("since", f.since, form.since, "date")}
${input("until", f.until, form.until, "date")}
${input("author", f.author, form.author)}
<label>${f.bots}<select name="bots">${option("all", t.bots.all, form.bots === "all")}${option("exclude", t.bots.exclude, form.bots === "exclude")}${option("only", t.bots.only, form.bots === "only")}</select></label>
<label class="check"><input type="checkbox" name="affects" value="1"${form.affects ? html` checked` : ""}> ${f.affects}</label>
<details${more ? html` open` : ""}><summary>${t.moreFilters}</summary><div>
${input("path", f.path, form.path)}
${input("module", f.module, form.module)}
${input("symbol", f.symbol, form.symbol)}
${input("env", f.env, form.env)}
${input("flag", f.flag, form.flag)}
${input("dependency", f.dependency, form.dependency)}
</div></details>
${site.lang !== site.defaultLang ? html`<input type="hidden" name="lang" value="${site.lang}">` : ""}
<div class="actions"><button type="submit">${t.submit}</button></div>
</form>`;
}
