/** A list of commits found (search results, a repository's recent commits), each linking to its commit page. */
import type { SearchHit } from "../../store/types.js";
import { html, type SafeHtml } from "../html.js";
import { commitPath, repoPath, type Site } from "../site.js";
import { changeTypeChip, formatTime, importanceBadge } from "./parts.js";

export function renderHits(site: Site, hits: readonly SearchHit[], words: readonly string[] = []): SafeHtml {
  return html`<ol class="hits">
${hits.map(
  (hit) => html`<li class="imp-${hit.importance}">
<a class="hit-title" href="${site.url(commitPath(hit.repo, hit.sha))}">${hit.title}</a>
<div class="meta"><span><a href="${site.url(repoPath(hit.repo))}">${hit.repo}</a></span><span><code>${hit.sha.slice(0, 10)}</code></span><span>${formatTime(hit.committedAt)}</span><span>${hit.author}</span><span>${importanceBadge(site, hit.importance)}</span><span>${changeTypeChip(site, hit.changeType)}</span></div>
${hit.snippet ? html`<p class="snippet">${highlight(hit.snippet, words)}</p>` : ""}
</li>`,
)}
</ol>`;
}

/** The snippet with the searched words marked; every piece escaped. */
export function highlight(text: string, words: readonly string[]): SafeHtml {
  const wanted = words.map((word) => word.toLowerCase()).filter((word) => word.length > 0);
  if (wanted.length === 0) return html`${text}`;
  const lower = text.toLowerCase();
  const parts: SafeHtml[] = [];
  let at = 0;
  while (at < text.length) {
    let next = -1;
    let length = 0;
    for (const word of wanted) {
      const found = lower.indexOf(word, at);
      if (found >= 0 && (next < 0 || found < next)) {
        next = found;
        length = word.length;
      }
    }
    if (next < 0) break;
    parts.push(html`${text.slice(at, next)}<mark>${text.slice(next, next + length)}</mark>`);
    at = next + length;
  }
  parts.push(html`${text.slice(at)}`);
  return html`${parts}`;
}

/** The words of a full-text query, without the operators a query language may use. */
export function queryWords(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/[\s"'()*]+/)
    .filter((word) => word.length > 1 && !/^(AND|OR|NOT|NEAR)$/.test(word))
    .slice(0, 10);
}
