/**
 * `/repos/:name/commits/:sha`: one commit as the index holds it: what it is (importance,
 * type, the analysis), what it names (files, modules, symbols, variables, flags, settings,
 * dependencies: each a search for the other commits naming it), its PR and its links.
 */
import { externalLink, renderOwnText } from "../../report/html/escape-html.js";
import { html, trusted, type SafeHtml } from "../html.js";
import { renderPage } from "../layout.js";
import type { CommitData } from "../read.js";
import { repoPath, type Site } from "../site.js";
import { changeTypeChip, formatTime, importanceBadge, reportLink } from "./parts.js";

/** Names shown per kind before "and N more": a commit of a thousand files stays one page. */
const NAMES_SHOWN = 200;

/** A path as a glob matching itself alone (picomatch's backslash escapes). */
function literalGlob(path: string): string {
  return path.replace(/[\\*?[\]{}()!+@,]/g, "\\$&");
}

export function renderCommitPage(site: Site, data: CommitData): string {
  const t = site.labels.commit;
  const { entry } = data;
  const search = (key: string, value: string) => site.url("/search", [[key, value], ["repo", entry.repo]]);
  const names = (label: string, key: string, values: readonly string[], toQuery: (value: string) => string = (value) => value): SafeHtml | "" => {
    if (values.length === 0) return "";
    const shown = values.slice(0, NAMES_SHOWN);
    const rest = values.length - shown.length;
    return html`<dt>${label}</dt><dd data-facet="${key}">${shown.map((value) => html`<a href="${search(key, toQuery(value))}"><code>${value}</code></a> `)}${rest > 0 ? html`<span class="muted">+${rest}</span>` : ""}</dd>`;
  };
  const pr =
    entry.prNumber !== undefined
      ? html`<dt>${t.pr}</dt><dd>#${entry.prNumber}${entry.prTitle ? html` ${entry.prTitle}` : ""}</dd>`
      : "";
  const links: SafeHtml[] = [];
  // Only http(s) addresses become links (the report's rule); anything else is not shown.
  if (data.links.commit) links.push(html`<li>${trusted(externalLink(html`${t.onHost}`.value, data.links.commit))}</li>`);
  if (data.links.pullRequest && entry.prNumber !== undefined) links.push(html`<li>${trusted(externalLink(html`${t.prOnHost(entry.prNumber)}`.value, data.links.pullRequest))}</li>`);
  for (const report of data.reports) links.push(html`<li>${t.inReport}${reportLink(site, report)} <span class="chip">${report.lang}</span></li>`);
  const body = html`${data.lang !== site.lang ? html`<p class="banner" role="note">${t.otherLanguage}</p>` : ""}
<article class="commit imp-${entry.importance}">
<dl class="kv">
<dt>${t.repo}</dt><dd><a href="${site.url(repoPath(entry.repo))}">${entry.repo}</a></dd>
<dt>SHA</dt><dd><code>${entry.sha}</code></dd>
<dt>${t.author}</dt><dd><a href="${site.url("/search", [["author", entry.author]])}">${entry.author}</a>${entry.bot ? html` <span class="chip">${t.bot}</span>` : ""}</dd>
<dt>${t.committed}</dt><dd>${formatTime(entry.committedAt)}</dd>
<dt>${t.importance}</dt><dd>${importanceBadge(site, entry.importance)}</dd>
<dt>${t.changeType}</dt><dd>${changeTypeChip(site, entry.changeType)}</dd>
${pr}
${entry.labels.length > 0 ? html`<dt>${t.labels}</dt><dd>${entry.labels.map((label) => html`<span class="chip">${label}</span> `)}</dd>` : ""}
</dl>
<h2>${t.analysis}</h2>
<div class="analysis">${entry.analysisText.split(/\n+/).filter((line) => line.trim() !== "").map((line) => html`<p>${trusted(renderOwnText(line))}</p>`)}</div>
${entry.body.trim() !== "" ? html`<h2>${t.message}</h2><pre class="message-body">${entry.body}</pre>` : ""}
${entry.prBody && entry.prBody.trim() !== "" ? html`<h2>${t.pr}</h2><pre class="pr-body">${entry.prBody}</pre>` : ""}
<h2>${t.facts}</h2>
<p>${t.api(entry.apiAdded, entry.apiRemoved)}${entry.breaking ? html` · <span class="badge imp-high">${t.breaking}</span>` : ""}</p>
<dl class="kv facts">
${names(t.paths, "path", entry.paths, literalGlob)}
${names(t.modules, "module", entry.modules)}
${names(t.symbols, "symbol", entry.symbols)}
${names(t.envVars, "env", entry.envVars)}
${names(t.flags, "flag", entry.flags)}
${names(t.configKeys, "q", entry.configKeys)}
${names(t.dependencies, "dependency", entry.dependencies)}
</dl>
${links.length > 0 ? html`<h2>${t.links}</h2><ul>${links}</ul>` : ""}
</article>`;
  return renderPage(site, {
    title: entry.title,
    body,
    crumbs: html`<a href="${site.url(repoPath(entry.repo))}">${entry.repo}</a> / ${t.title(entry.sha.slice(0, 10))}`,
  });
}
