/**
 * `/search.atom`: a search as an Atom feed (RFC 4287), through the feed channel's own writer,
 * so that a reader subscribes to "commits that touch FOO_TOKEN" and sees each new one.
 */
import { renderAtom } from "../delivery/feed/render-atom.js";
import type { SearchHit } from "../store/types.js";
import { html } from "./html.js";
import { searchFormParams, type SearchForm } from "./params.js";
import type { SearchData } from "./read.js";
import { commitPath, type Site } from "./site.js";

export function renderSearchFeed(site: Site, origin: string, form: SearchForm, data: SearchData): string {
  const params = searchFormParams(form);
  const describe = params.map(([key, value]) => `${key}=${value}`).join(" ");
  const selfUrl = `${origin}${site.url("/search.atom", params)}`;
  return renderAtom(
    { id: selfUrl, title: `repo-digest: ${site.labels.search.title}${describe ? ` (${describe})` : ""}`, lang: site.lang, selfUrl, generatorVersion: site.version },
    data.hits.map((hit) => entryOf(site, origin, hit)),
  );
}

function entryOf(site: Site, origin: string, hit: SearchHit) {
  const link = `${origin}${site.url(commitPath(hit.repo, hit.sha))}`;
  const at = new Date(hit.committedAt).toISOString();
  const content = html`<p>${hit.repo} · <code>${hit.sha.slice(0, 10)}</code> · ${hit.author} · ${site.labels.importance[hit.importance]} · ${site.labels.changeType[hit.changeType]}</p>${hit.snippet ? html`<p>${hit.snippet}</p>` : ""}`;
  return {
    key: `${hit.repo}\n${hit.sha}`,
    id: link,
    title: hit.title,
    link,
    published: at,
    updated: at,
    periodUntil: at,
    summary: hit.snippet || hit.title,
    contentHtml: content.value,
  };
}
