/**
 * The web app over the store: HTML pages and a JSON API (`/api/v1/…`), all GET. Every
 * request passes the same gate first: GET or HEAD only (the app changes nothing), a loopback
 * Host when no token is set (DNS rebinding), the token when one is; every answer carries
 * the Content-Security-Policy and the other security headers.
 */
import { Hono, type Context } from "hono";
import { IMPORTANCE_ORDER, CHANGE_TYPES } from "../analysis/types.js";
import { ExitCode } from "../errors.js";
import { fromOsError } from "../os-errors.js";
import type { Lang } from "../i18n/lang.js";
import type { Logger } from "../logger.js";
import type { LinkTemplates } from "../report/links.js";
import type { Store } from "../store/types.js";
import { APP_CSS, REPORT_STYLE_HASH, STYLESHEET_PATH } from "./assets.js";
import { renderCommitPage } from "./pages/commit-page.js";
import { renderErrorPage } from "./pages/error-page.js";
import { renderHomePage } from "./pages/home-page.js";
import { otherLanguageName, renderReportPage } from "./pages/report-page.js";
import { renderReportsPage } from "./pages/reports-page.js";
import { renderRepoPage } from "./pages/repo-page.js";
import { renderSearchPage } from "./pages/search-page.js";
import { renderTrendsPage } from "./pages/trends-page.js";
import { ARCHIVE_PAGE_SIZE, BadRequest, parseLang, parsePaging, parseReportsForm, parseSearchForm, parseTrendsForm, toSearchQuery, type RawQuery } from "./params.js";
import { readCommit, readHome, readReport, readReports, readRepo, readSearch, readTrends, type ReadDeps } from "./read.js";
import { renderSearchFeed } from "./search-feed.js";
import { SearchBusyError } from "./search-pool.js";
import { APP_CSP, SECURITY_HEADERS, createGate, reportCsp, tokenCookie } from "./security.js";
import { createSite, type Site } from "./site.js";

/** The version of every JSON answer's shape (docs/api.md): a removed or renamed field raises it. */
export const API_SCHEMA_VERSION = 1;

export interface AppOptions {
  store: Store;
  version: string;
  /** The language of pages without `?lang=` (the config's `language`, else zh-CN). */
  defaultLang: Lang;
  /** The token every request must carry, or undefined for none (loopback only). */
  token?: string;
  /** The config's link templates by repository name. */
  configLinks?: ReadonlyMap<string, LinkTemplates>;
  logger?: Logger;
}

class NotFound extends Error {
  override readonly name = "NotFound";
}

const ALLOWED_METHODS = "GET, HEAD";

export function createApp(options: AppOptions): Hono {
  const deps: ReadDeps = { store: options.store, configLinks: options.configLinks ?? new Map() };
  const gate = createGate(options.token);
  const app = new Hono();

  const siteOf = (c: Context): Site => {
    const url = new URL(c.req.url);
    return createSite({
      lang: parseLang(c.req.queries() as RawQuery, options.defaultLang),
      defaultLang: options.defaultLang,
      version: options.version,
      stylesheet: STYLESHEET_PATH,
      path: url.pathname,
      query: [...url.searchParams.entries()],
    });
  };
  const query = (c: Context): RawQuery => (c.req.queries() ?? {}) as RawQuery;
  const isApi = (c: Context) => c.req.path === "/api/v1" || c.req.path.startsWith("/api/");

  /** An answer that is not the page asked for: JSON for the API, else a page (in the default language when `lang` itself was bad). */
  const failure = (c: Context, status: 400 | 401 | 403 | 404 | 405 | 500 | 503, line: string): Response => {
    if (isApi(c)) return c.json({ schemaVersion: API_SCHEMA_VERSION, error: { status, message: line } }, status);
    let site: Site;
    try {
      site = siteOf(c);
    } catch {
      site = createSite({ lang: options.defaultLang, defaultLang: options.defaultLang, version: options.version, stylesheet: STYLESHEET_PATH, path: "/", query: [] });
    }
    const e = site.labels.errors;
    const title = { 400: e.badRequest, 401: e.unauthorized, 403: e.misdirected, 404: e.notFound, 405: e.methodNotAllowed, 500: e.internal, 503: e.internal }[status];
    return c.html(renderErrorPage(site, title, line), status);
  };

  // Headers on every answer, the gate's refusals and errors included.
  app.use("*", async (c, next) => {
    const started = performance.now();
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
    if (!c.res.headers.has("Content-Security-Policy")) c.res.headers.set("Content-Security-Policy", APP_CSP);
    if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-cache");
    options.logger?.debug({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) }, "served");
  });

  app.use("*", async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const response = failure(c, 405, `${c.req.method} is not allowed: this server only reads (GET, HEAD)`);
      response.headers.set("Allow", ALLOWED_METHODS);
      return response;
    }
    const verdict = gate({ header: (name) => c.req.header(name), query: (name) => c.req.query(name) });
    if (!verdict.pass && verdict.status === 403) return failure(c, 403, "without a token this server answers only requests to a loopback name (127.0.0.1, localhost, [::1])");
    if (!verdict.pass) {
      const response = failure(c, 401, "this server requires its token: send `Authorization: Bearer <token>` or add `?token=<token>` (REPO_DIGEST_SERVE_TOKEN)");
      response.headers.set("WWW-Authenticate", 'Bearer realm="repo-digest"');
      return response;
    }
    await next();
    // A browser that came with ?token= keeps it for the pages' own links, which carry none.
    if (verdict.tokenFromQuery !== undefined) c.res.headers.append("Set-Cookie", tokenCookie(verdict.tokenFromQuery));
  });

  app.onError((error, c) => {
    if (error instanceof BadRequest) return failure(c, 400, error.message);
    if (error instanceof NotFound) return failure(c, 404, error.message);
    // Too many searches at once (search-pool.ts): a moment later it will answer.
    if (error instanceof SearchBusyError) {
      const response = failure(c, 503, `${error.message} (${error.hint})`);
      response.headers.set("Retry-After", String(error.retryAfterSeconds));
      return response;
    }
    const known = fromOsError(error);
    const line = known && `${known.message}${known.hint ? ` (${known.hint})` : ""}`;
    // The store refusing the query (too many words, a glob it cannot read) is the request's fault…
    if (known && known.exitCode === ExitCode.usage) return failure(c, 400, line!);
    // …a damaged, locked or unreachable store is not.
    if (known && known.exitCode !== ExitCode.internal) {
      options.logger?.warn({ path: c.req.path, reason: known.message }, "could not read the store");
      return failure(c, 503, line!);
    }
    options.logger?.error({ path: c.req.path, reason: error instanceof Error ? (error.stack ?? error.message) : String(error) }, "internal error");
    return failure(c, 500, "internal error (please report it; the server's log has the details)");
  });
  app.notFound((c) => failure(c, 404, `no page at ${c.req.path}`));

  app.get(STYLESHEET_PATH, (c) => {
    c.header("Cache-Control", "public, max-age=31536000, immutable");
    return c.body(APP_CSS, 200, { "Content-Type": "text/css; charset=utf-8" });
  });

  // Pages.
  app.get("/", async (c) => {
    const site = siteOf(c);
    return c.html(renderHomePage(site, await readHome(deps, site.lang)));
  });
  app.get("/reports", async (c) => {
    const site = siteOf(c);
    const form = parseReportsForm(query(c));
    const paging = parsePaging(query(c));
    return c.html(renderReportsPage(site, form, paging, await readReports(deps, form, paging)));
  });
  app.get("/reports/:name", async (c) => {
    const site = siteOf(c);
    const name = c.req.param("name");
    const found = await readReport(deps, name);
    if (!found) throw new NotFound(`no report named ${name}`);
    if ("unreadable" in found) return failure(c, 500, `the report ${name} cannot be shown: ${found.unreadable}`);
    const other = otherLanguageName(name);
    const hasOther = (await options.store.getReportModel(other)) !== undefined;
    c.header("Content-Security-Policy", reportCsp(REPORT_STYLE_HASH));
    return c.html(renderReportPage(site, name, found.report.createdAt, found.model, hasOther ? other : undefined));
  });
  app.get("/repos/*", async (c) => {
    const site = siteOf(c);
    const target = parseRepoPath(c.req.path.slice("/repos/".length));
    if (target.sha !== undefined) {
      const data = await readCommit(deps, target.repo, target.sha, site.lang);
      if (!data) throw new NotFound(`no indexed commit ${target.sha} in ${target.repo}`);
      return c.html(renderCommitPage(site, data));
    }
    const paging = parsePaging(query(c), ARCHIVE_PAGE_SIZE);
    const data = await readRepo(deps, target.repo, site.lang, paging);
    if (!data) throw new NotFound(`no repository named ${target.repo} in the store`);
    return c.html(renderRepoPage(site, data, paging));
  });
  app.get("/search", async (c) => {
    const site = siteOf(c);
    const form = parseSearchForm(query(c));
    const paging = parsePaging(query(c));
    const [data, repos] = await Promise.all([readSearch(deps, form, site.lang, paging), repoNames(options.store)]);
    return c.html(renderSearchPage(site, form, paging, data, repos));
  });
  app.get("/search.atom", async (c) => {
    const site = siteOf(c);
    const form = parseSearchForm(query(c));
    const data = await readSearch(deps, form, site.lang, parsePaging(query(c)));
    return c.body(renderSearchFeed(site, new URL(c.req.url).origin, form, data), 200, { "Content-Type": "application/atom+xml; charset=utf-8" });
  });
  app.get("/trends", async (c) => {
    const site = siteOf(c);
    const form = parseTrendsForm(query(c));
    const [data, repos] = await Promise.all([readTrends(deps, form, site.lang), repoNames(options.store)]);
    return c.html(renderTrendsPage(site, data, repos));
  });

  // The API: what the pages show, as JSON.
  const json = (c: Context, body: Record<string, unknown>) => c.json({ schemaVersion: API_SCHEMA_VERSION, ...body });
  app.get("/api/v1", (c) =>
    json(c, {
      endpoints: ["/api/v1/repos", "/api/v1/repos/{name}", "/api/v1/repos/{name}/commits/{sha}", "/api/v1/reports", "/api/v1/reports/{name}", "/api/v1/calendar", "/api/v1/search", "/api/v1/trends"],
      importance: IMPORTANCE_ORDER,
      changeTypes: CHANGE_TYPES,
    }),
  );
  app.get("/api/v1/repos", async (c) => {
    const home = await readHome(deps, parseLang(query(c), options.defaultLang));
    return json(c, { repos: home.repos.map((repo) => ({ name: repo.name, reports: repo.reports, latestReport: repo.latest ?? null })) });
  });
  app.get("/api/v1/calendar", async (c) => {
    const home = await readHome(deps, parseLang(query(c), options.defaultLang));
    return json(c, { days: home.days.map((day) => ({ day: day.day, reports: day.reports })) });
  });
  app.get("/api/v1/reports", async (c) => {
    const paging = parsePaging(query(c));
    const data = await readReports(deps, parseReportsForm(query(c)), paging);
    return json(c, { total: data.total, limit: paging.limit, offset: paging.offset, reports: data.reports });
  });
  app.get("/api/v1/reports/:name", async (c) => {
    const name = c.req.param("name");
    const found = await readReport(deps, name);
    if (!found) throw new NotFound(`no report named ${name}`);
    if ("unreadable" in found) return failure(c, 500, `the report ${name} cannot be read: ${found.unreadable}`);
    return json(c, { report: found.report, model: found.model });
  });
  app.get("/api/v1/repos/*", async (c) => {
    const lang = parseLang(query(c), options.defaultLang);
    const target = parseRepoPath(c.req.path.slice("/api/v1/repos/".length));
    if (target.sha !== undefined) {
      const data = await readCommit(deps, target.repo, target.sha, lang);
      if (!data) throw new NotFound(`no indexed commit ${target.sha} in ${target.repo}`);
      return json(c, { lang: data.lang, commit: data.entry, links: data.links, reports: data.reports });
    }
    const paging = parsePaging(query(c), ARCHIVE_PAGE_SIZE);
    const data = await readRepo(deps, target.repo, lang, paging);
    if (!data) throw new NotFound(`no repository named ${target.repo} in the store`);
    return json(c, {
      name: data.name,
      reports: { total: data.reports.total, limit: paging.limit, offset: paging.offset, reports: data.reports.reports },
      commits: { lang: data.commits.lang, total: data.commits.total, hits: data.commits.hits },
    });
  });
  app.get("/api/v1/search", async (c) => {
    const lang = parseLang(query(c), options.defaultLang);
    const form = parseSearchForm(query(c));
    const paging = parsePaging(query(c));
    const store = toSearchQuery(form, lang, paging);
    const data = await readSearch(deps, form, lang, paging);
    return json(c, { query: { ...store, lang: data.lang }, total: data.total, limit: paging.limit, offset: paging.offset, hits: data.hits });
  });
  app.get("/api/v1/trends", async (c) => {
    const data = await readTrends(deps, parseTrendsForm(query(c)), parseLang(query(c), options.defaultLang));
    return json(c, { repos: data.repos, since: data.since, until: data.until, lang: data.lang, trends: data.trends });
  });
  return app;
}

async function repoNames(store: Store): Promise<string[]> {
  return (await store.listRepositories()).map((repo) => repo.name).sort((a, b) => a.localeCompare(b));
}

/** `owner/name` or `owner/name/commits/<sha>`, each part percent-decoded. */
export function parseRepoPath(rest: string): { repo: string; sha?: string } {
  const trimmed = rest.replace(/\/+$/, "");
  const commit = /^(.+)\/commits\/([^/]+)$/.exec(trimmed);
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      throw new BadRequest(`the address holds a malformed percent-escape (${text}); encode the name with encodeURIComponent`);
    }
  };
  if (commit) {
    const sha = decode(commit[2]!);
    if (!/^[0-9a-f]{4,64}$/i.test(sha)) throw new BadRequest(`commit ${JSON.stringify(sha)} is not a SHA; give 4 to 40 hexadecimal digits`);
    return { repo: decode(commit[1]!), sha: sha.toLowerCase() };
  }
  if (trimmed === "") throw new NotFound("no repository named in the address");
  return { repo: decode(trimmed) };
}
