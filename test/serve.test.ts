/**
 * `repo-digest serve` as a user runs it: a store made by real `report` runs over real git
 * repositories, the server a real process on a port the system chose, every route and the
 * JSON API asked over HTTP; then the refusals (a method that writes, a Host that is not
 * loopback, a missing token), the failures (no store, a port in use) and Ctrl-C.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_CSP } from "../src/serve/security.js";
import { makeRepo } from "./helpers/make-repo.js";
import { runCli } from "./helpers/run-cli.js";
import { freshDatabase } from "./support/services.js";
import { buildServeFixture, GADGETS, HOSTILE_BODY, HOSTILE_TITLE, PLANTED_ENV, PLANTED_FLAG, runServe, startServe, WIDGETS, type ServeFixture, type ServeProcess } from "./support/serve/serve-fixture.js";

let fixture: ServeFixture;
let server: ServeProcess;
let storeHash: string;

const hashStore = () => createHash("sha256").update(readFileSync(join(fixture.dataDir, "repo-digest.sqlite"))).digest("hex");

beforeAll(async () => {
  fixture = await buildServeFixture();
  storeHash = hashStore();
  server = await startServe(fixture.dataDir);
}, 240_000);

afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

async function get(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(new URL(path, server.url), { redirect: "manual", ...init });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function api<T = Record<string, unknown>>(path: string): Promise<T & { schemaVersion: number }> {
  const response = await get(path);
  expect(response.status, `${path}: ${response.text}`).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = JSON.parse(response.text) as T & { schemaVersion: number };
  expect(body.schemaVersion).toBe(1);
  return body;
}

/** The hrefs of a page's links. */
function hrefs(page: string): string[] {
  return [...page.matchAll(/<a [^>]*href="([^"]*)"/g)].map((match) => match[1]!.replaceAll("&amp;", "&"));
}

interface Hit {
  repo: string;
  sha: string;
  title: string;
  importance: string;
  changeType: string;
  committedAt: string;
  author: string;
}

async function searchApi(params: string): Promise<{ total: number; hits: Hit[] }> {
  return api<{ total: number; hits: Hit[] }>(`/api/v1/search?${params}`);
}

describe("repo-digest serve: the pages", () => {
  it("says where it listens and that no token is needed on loopback", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.stderr()).toContain(`listening on ${server.url} (loopback only, no token required)`);
  });

  it("home: the latest report of each repository, and a calendar of the days with reports", async () => {
    const { status, text } = await get("/");
    expect(status).toBe(200);
    expect(text).toContain('<html lang="zh-CN">');
    const links = hrefs(text);
    expect(links).toContain("/reports/2026-01-17--acme-widgets");
    expect(links).toContain("/reports/2026-01-17--acme-gadgets");
    expect(links).toContain(`/repos/${WIDGETS}`);
    // Six days have reports; the 16th and 17th hold three each (widgets in two languages, gadgets), so they link to the day's list.
    const days = [...text.matchAll(/<td class="has"><a href="([^"]*)"[^>]*>(\d+)<\/a>/g)].map((match) => [Number(match[2]), match[1]!.replaceAll("&amp;", "&")]);
    expect(days).toEqual([
      [12, "/reports/2026-01-12--acme-widgets"],
      [13, "/reports/2026-01-13--acme-widgets"],
      [14, "/reports/2026-01-14--acme-widgets"],
      [15, "/reports/2026-01-15--acme-widgets"],
      [16, "/reports?day=2026-01-16"],
      [17, "/reports?day=2026-01-17"],
    ]);
    // In English, a day with one report of each language links to the English one.
    const english = await get("/?lang=en");
    expect(english.text).toContain('<html lang="en">');
    expect(hrefs(english.text)).toContain("/reports/2026-01-12--acme-widgets.en?lang=en");
  });

  it("/reports: every report, newest first, and ?day= those of one day", async () => {
    const all = await get("/reports");
    const names = hrefs(all.text).filter((href) => href.startsWith("/reports/")).map((href) => decodeURIComponent(href.slice("/reports/".length)));
    expect(names.sort()).toEqual([...fixture.reports[WIDGETS]!, ...fixture.reports[GADGETS]!].sort());
    const day = await get("/reports?day=2026-01-16");
    expect(hrefs(day.text).filter((href) => href.startsWith("/reports/")).sort()).toEqual(["/reports/2026-01-16--acme-gadgets", "/reports/2026-01-16--acme-widgets", "/reports/2026-01-16--acme-widgets.en"]);
  });

  it("/reports/:name is the HTML file the CLI wrote, rendered again from the stored model, with one line of links on top", async () => {
    for (const name of ["2026-01-14--acme-widgets", "2026-01-14--acme-widgets.en"]) {
      const { status, headers, text } = await get(`/reports/${name}`);
      expect(status).toBe(200);
      const file = readFileSync(join(fixture.outDir, `${name}.html`), "utf8");
      const nav = /\n<p class="muted"><a href="\/">[^\n]*<\/p>/.exec(text)?.[0];
      expect(nav).toBeDefined();
      expect(text.replace(nav!, "")).toBe(file);
      // The renderer's one inline stylesheet, allowed by its hash and nothing else.
      const style = /<style>([\s\S]*?)<\/style>/.exec(text)![1]!;
      const hash = createHash("sha256").update(style).digest("base64");
      expect(headers.get("content-security-policy")).toBe(`default-src 'none'; style-src 'sha256-${hash}'; img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`);
    }
    const zh = await get("/reports/2026-01-14--acme-widgets");
    expect(hrefs(zh.text)).toContain("/reports/2026-01-14--acme-widgets.en");
    expect((await get("/reports/1999-01-01--nothing")).status).toBe(404);
  });

  it("/repos/:name: its reports ten a page, and its recent commits newest first", async () => {
    const first = await get(`/repos/${WIDGETS}`);
    expect(first.status).toBe(200);
    const reportLinks = (text: string) => hrefs(text).filter((href) => href.startsWith("/reports/"));
    expect(reportLinks(first.text)).toHaveLength(10);
    expect(hrefs(first.text)).toContain(`/repos/${WIDGETS}?page=2`);
    const second = await get(`/repos/${WIDGETS}?page=2`);
    expect(reportLinks(second.text)).toHaveLength(2);
    expect([...reportLinks(first.text), ...reportLinks(second.text)].map((href) => href.slice("/reports/".length)).sort()).toEqual([...fixture.reports[WIDGETS]!].sort());
    // Newest period first: the 17th on page 1, the 12th on page 2.
    expect(reportLinks(first.text)[0]).toMatch(/^\/reports\/2026-01-17--acme-widgets/);
    expect(reportLinks(second.text).every((href) => href.includes("2026-01-12"))).toBe(true);
    const commitLinks = hrefs(first.text).filter((href) => href.startsWith(`/repos/${WIDGETS}/commits/`));
    const planned = fixture.commits.filter((commit) => commit.repo === WIDGETS).reverse();
    expect(commitLinks).toEqual(planned.map((commit) => `/repos/${WIDGETS}/commits/${commit.sha}`));
    expect((await get("/repos/acme/none")).status).toBe(404);
  });

  it("/repos/:name/commits/:sha: the indexed entry: facts named, importance, type, analysis, links", async () => {
    const planted = fixture.commits.find((commit) => commit.title.includes(PLANTED_ENV))!;
    const page = await get(`/repos/${WIDGETS}/commits/${planted.sha}?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<title>${planted.title} · repo-digest</title>`);
    expect(page.text).toMatch(/<dd data-facet="env"><a href="\/search\?env=ACME_PLANTED_CACHE_DIR&amp;repo=acme%2Fwidgets&amp;lang=en"><code>ACME_PLANTED_CACHE_DIR<\/code><\/a>/);
    expect(page.text).toContain('data-facet="path"><a href="/search?path=src%2Facme%2Fserver.py');
    expect(page.text).toContain('<span class="badge imp-medium">🟡 medium</span>');
    expect(page.text).toContain('<span class="chip">Feature</span>');
    expect(page.text).toContain("Public API: 1 added, 0 removed");
    expect(page.text).toMatch(/<div class="analysis"><p>[^<]*cache/i);
    // The day's reports in both languages hold it.
    expect(hrefs(page.text)).toEqual(expect.arrayContaining(["/reports/2026-01-13--acme-widgets?lang=en", "/reports/2026-01-13--acme-widgets.en?lang=en"]));
    // A short SHA finds it too; a SHA nothing has, or not a SHA, does not.
    expect((await get(`/repos/${WIDGETS}/commits/${planted.sha.slice(0, 8)}?lang=en`)).text).toContain(planted.sha);
    expect((await get(`/repos/${WIDGETS}/commits/${"0".repeat(40)}`)).status).toBe(404);
    const bad = await get(`/repos/${WIDGETS}/commits/not-a-sha`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("is not a SHA; give 4 to 40 hexadecimal digits");

    const breaking = fixture.byTitle("refactor(api)!: remove list_widgets");
    const removed = await get(`/repos/${WIDGETS}/commits/${breaking.sha}?lang=en`);
    expect(removed.text).toContain("Public API: 0 added, 1 removed");
    expect(removed.text).toContain('<span class="badge imp-high">Breaking change</span>');
    expect(removed.text).toContain('<span class="badge imp-high">🔴 high</span>');
  });

  it("/search: each filter finds what it should, and results link to their commit pages", async () => {
    const planted = fixture.commits.find((commit) => commit.title.includes(PLANTED_ENV))!;
    const page = await get(`/search?env=${PLANTED_ENV}`);
    expect(page.status).toBe(200);
    expect(hrefs(page.text).filter((href) => href.includes("/commits/"))).toEqual([`/repos/${WIDGETS}/commits/${planted.sha}`]);

    const titles = async (params: string) => (await searchApi(params)).hits.map((hit) => hit.title).sort();
    const widgetTitles = (filter: (title: string) => boolean) => fixture.commits.filter((commit) => commit.repo === WIDGETS && filter(commit.title)).map((commit) => commit.title).sort();
    expect(await titles(`env=${PLANTED_ENV}`)).toEqual([planted.title]);
    expect(await titles(`flag=${encodeURIComponent(PLANTED_FLAG)}`)).toEqual(["feat(cli): add --widget-verbose"]);
    expect(await titles("dependency=click")).toEqual(["build(deps): add click for the command line"]);
    expect(await titles("symbol=list_widgets")).toEqual(["feat(api): add the widget API", "refactor(api)!: remove list_widgets"]);
    expect(await titles("importance=high")).toEqual(["refactor(api)!: remove list_widgets"]);
    expect(await titles("type=dependency")).toEqual(["build(deps): add click for the command line", "build(deps): bump requests to 2.32.0"]);
    expect(await titles("bots=only")).toEqual(["build(deps): bump requests to 2.32.0"]);
    expect(await titles("bots=exclude")).not.toContain("build(deps): bump requests to 2.32.0");
    expect(await titles(`author=${encodeURIComponent("Grace Hopper")}`)).toEqual(widgetTitles((title) => ["docs: a guide to widgets", "test: cover make_widget", "build(deps): add click for the command line"].includes(title)));
    expect(await titles(`repo=${GADGETS}`)).toEqual(["feat: a gadget", "fix: the gadget returns two"]);
    expect(await titles("since=2026-01-15&until=2026-01-15")).toEqual(["refactor(api)!: remove list_widgets", "test: cover make_widget"]);
    expect(await titles(`path=${encodeURIComponent("src/acme/cli.py")}&importance=medium`)).toEqual(["feat(cli): add --widget-verbose", "fix(cli): name the program"]);
    expect(await titles(`path=${encodeURIComponent("lib/**")}`)).toEqual(["feat: a gadget", "fix: the gadget returns two"]);
    expect(await titles("q=gadget")).toEqual(["feat: a gadget", "fix: the gadget returns two"]);
  });

  it("/search pages its results: every commit once across the pages, with links to the next", async () => {
    const { total } = await searchApi("");
    expect(total).toBe(fixture.commits.length);
    const seen: string[] = [];
    for (let offset = 0; offset < total; offset += 5) seen.push(...(await searchApi(`limit=5&offset=${offset}`)).hits.map((hit) => hit.sha));
    expect(seen.sort()).toEqual(fixture.commits.map((commit) => commit.sha).sort());
    const page1 = await get("/search?limit=5");
    expect(hrefs(page1.text)).toContain("/search?limit=5&page=2");
    const page3 = await get("/search?limit=5&page=3");
    expect(hrefs(page3.text).filter((href) => href.includes("/commits/"))).toHaveLength(total - 10);
    expect(hrefs(page3.text)).toContain("/search?limit=5&page=2");
  });

  it("/search.atom: the same search as an Atom feed, entries linking to the commit pages", async () => {
    const { status, headers, text } = await get(`/search.atom?env=${PLANTED_ENV}`);
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const planted = fixture.commits.find((commit) => commit.title.includes(PLANTED_ENV))!;
    expect(text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    expect([...text.matchAll(/<entry>/g)]).toHaveLength(1);
    expect(text).toContain(`<link rel="alternate" href="${server.url}repos/${WIDGETS}/commits/${planted.sha}"/>`);
    expect(text).toContain(`<link rel="self" type="application/atom+xml" href="${server.url}search.atom?env=${PLANTED_ENV}"/>`);
  });

  it("/trends: commits per day by importance, hotspots, API, dependencies and authors, counted right", async () => {
    const trends = await api<{ since: string; until: string; trends: { perDay: Array<{ day: string; high: number; medium: number; low: number }>; api: Array<{ day: string; added: number; removed: number; breaking: number }>; dependencies: Array<{ day: string; commits: number }>; authors: Array<{ author: string; bot: boolean; commits: number }>; modules: Array<{ module: string; commits: number; lines: number }> } }>(
      `/api/v1/trends?repo=${WIDGETS}`,
    );
    // The default period: 30 days ending on the newest commit's day.
    expect(trends.until).toBe("2026-01-17");
    expect(trends.since).toBe("2025-12-19");
    expect(trends.trends.perDay).toHaveLength(30);
    const { hits } = await searchApi(`repo=${WIDGETS}&limit=100`);
    const perDay = trends.trends.perDay.filter((row) => row.high + row.medium + row.low > 0);
    const expected = [...new Set(fixture.days[WIDGETS])].map((day) => {
      const ofDay = hits.filter((hit) => new Date(hit.committedAt).toISOString().startsWith(day));
      return { day, high: ofDay.filter((hit) => hit.importance === "high").length, medium: ofDay.filter((hit) => hit.importance === "medium").length, low: ofDay.filter((hit) => hit.importance === "low").length };
    });
    expect(perDay).toEqual(expected);
    expect(perDay.map((row) => row.high + row.medium + row.low)).toEqual(fixture.days[WIDGETS]!.map((day) => fixture.commits.filter((commit) => commit.repo === WIDGETS && commit.day === day).length));
    expect(trends.trends.api.filter((row) => row.removed > 0 || row.breaking > 0)).toEqual([{ day: "2026-01-15", added: 0, removed: 1, breaking: 1 }]);
    expect(trends.trends.dependencies.filter((row) => row.commits > 0)).toEqual([
      { day: "2026-01-13", commits: 1 },
      { day: "2026-01-17", commits: 1 },
    ]);
    expect(trends.trends.authors).toEqual([
      { author: "Ada Lovelace", bot: false, commits: 6 },
      { author: "Grace Hopper", bot: false, commits: 3 },
      { author: "dependabot[bot]", bot: true, commits: 1 },
    ]);
    expect(trends.trends.modules[0]?.module).toBe("src/acme");

    const page = await get(`/trends?repo=${WIDGETS}&since=2026-01-12&until=2026-01-17`);
    expect(page.status).toBe(200);
    // The page draws the same numbers: one bar segment per day and importance that has commits.
    const segments = [...page.text.matchAll(/<rect class="c-(high|medium|low)"[^>]*data-day="([\d-]+)" data-series="\w+" data-value="(\d+)"/g)].map((match) => ({ day: match[2], importance: match[1], value: Number(match[3]) }));
    const fromApi = expected.flatMap((row) => (["low", "medium", "high"] as const).filter((key) => row[key] > 0).map((key) => ({ day: row.day, importance: key, value: row[key] })));
    expect(segments).toEqual(fromApi);
    expect(page.text).toContain('<svg role="img" aria-labelledby="chart-per-day-title"');
    expect(page.text).toContain('data-day="2026-01-15" data-series="removed" data-value="1"');
    expect(page.text).toContain('data-day="2026-01-15" data-series="breaking" data-value="1"');
    expect(page.text).toContain('data-key="dependabot[bot]" data-value="1"');
    const bad = await get("/trends?since=2026-01-17&until=2026-01-12");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("since: 2026-01-17 is after until (2026-01-12); swap them");
  });

  it("refuses a parameter it cannot use with one line naming it and what it takes, on pages and in the API", async () => {
    const page = await get("/search?importance=urgent");
    expect(page.status).toBe(400);
    expect(page.text).toContain('<p class="error-line">importance: &quot;urgent&quot; is not allowed; expected one of high, medium, low</p>');
    const json = await get("/api/v1/search?since=yesterday");
    expect(json.status).toBe(400);
    expect(JSON.parse(json.text)).toEqual({
      schemaVersion: 1,
      error: { status: 400, message: 'since: "yesterday" is not allowed; expected a day (YYYY-MM-DD) or an ISO instant with its offset (2026-01-17T08:00:00Z)' },
    });
    expect((await get("/search?lang=fr")).status).toBe(400);
    // What the store itself refuses is the request's fault too, not the server's.
    const words = await get(`/api/v1/search?q=${encodeURIComponent(Array.from({ length: 17 }, (_, index) => `w${index}`).join(" "))}`);
    expect(words.status).toBe(400);
    expect(JSON.parse(words.text).error.message).toBe("search: 17 words in the text, at most 16 are allowed (search for fewer words)");
    expect((await get("/nowhere")).status).toBe(404);
  });

  it("answers HEAD like GET, without a body", async () => {
    const response = await fetch(new URL("/search", server.url), { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toBe(APP_CSP);
    expect(await response.text()).toBe("");
  });
});

describe("repo-digest serve: the JSON API", () => {
  it("every response has schemaVersion 1, and the API holds what the pages show", async () => {
    const index = await api<{ endpoints: string[] }>("/api/v1");
    expect(index.endpoints).toContain("/api/v1/search");

    const repos = await api<{ repos: Array<{ name: string; reports: number; latestReport: { name: string } | null }> }>("/api/v1/repos");
    expect(repos.repos.map((repo) => [repo.name, repo.reports, repo.latestReport?.name])).toEqual([
      [GADGETS, 2, "2026-01-17--acme-gadgets"],
      [WIDGETS, 12, "2026-01-17--acme-widgets"],
    ]);
    // Never where a repository lives (a path, or a URL that may hold credentials).
    expect(JSON.stringify(repos)).not.toContain("/tmp/");

    const calendar = await api<{ days: Array<{ day: string; reports: Array<{ name: string }> }> }>("/api/v1/calendar");
    expect(calendar.days.map((day) => [day.day, day.reports.length])).toEqual([
      ["2026-01-17", 3],
      ["2026-01-16", 3],
      ["2026-01-15", 2],
      ["2026-01-14", 2],
      ["2026-01-13", 2],
      ["2026-01-12", 2],
    ]);

    const reports = await api<{ total: number; reports: Array<{ name: string; lang: string; repos: string[] }> }>(`/api/v1/reports?repo=${WIDGETS}&limit=3`);
    expect(reports.total).toBe(12);
    expect(reports.reports).toHaveLength(3);

    const report = await api<{ report: { name: string; periodLabel: string }; model: unknown }>("/api/v1/reports/2026-01-15--acme-widgets.en");
    expect(report.report.periodLabel).toBe("2026-01-15");
    expect(report.model).toEqual(JSON.parse(readFileSync(join(fixture.outDir, "2026-01-15--acme-widgets.en.json"), "utf8")));

    const repo = await api<{ name: string; reports: { total: number; reports: unknown[] }; commits: { total: number; hits: Hit[] } }>(`/api/v1/repos/${WIDGETS}?page=2`);
    expect(repo.name).toBe(WIDGETS);
    expect(repo.reports.total).toBe(12);
    expect(repo.reports.reports).toHaveLength(2);
    expect(repo.commits.total).toBe(10);

    const planted = fixture.commits.find((commit) => commit.title.includes(PLANTED_ENV))!;
    const commit = await api<{ lang: string; commit: { sha: string; envVars: string[]; importance: string; changeType: string; analysisText: string; paths: string[] }; reports: Array<{ name: string }> }>(
      `/api/v1/repos/${WIDGETS}/commits/${planted.sha.slice(0, 12)}?lang=en`,
    );
    expect(commit.lang).toBe("en");
    expect(commit.commit.sha).toBe(planted.sha);
    expect(commit.commit.envVars).toEqual([PLANTED_ENV]);
    expect(commit.commit.paths).toEqual(["src/acme/server.py"]);
    expect(commit.reports.map((item) => item.name).sort()).toEqual(["2026-01-13--acme-widgets", "2026-01-13--acme-widgets.en"]);

    const search = await api<{ total: number; hits: Hit[]; query: { envVar: string; lang: string } }>(`/api/v1/search?env=${PLANTED_ENV}`);
    expect(search.query.envVar).toBe(PLANTED_ENV);
    expect(search.hits.map((hit) => hit.sha)).toEqual([planted.sha]);

    const missing = await get("/api/v1/reports/nothing-here");
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toEqual({ schemaVersion: 1, error: { status: 404, message: "no report named nothing-here" } });
  });
});

describe("repo-digest serve: security", () => {
  it.each(["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])("refuses %s with 405 and says what it allows", async (method) => {
    for (const path of ["/", "/search", "/api/v1/search", `/repos/${WIDGETS}`]) {
      const response = await get(path, { method, ...(method === "OPTIONS" ? {} : { body: "x" }) });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD");
    }
  });

  it("sends a Content-Security-Policy of 'self' only, and pages carry no inline script or style", async () => {
    const planted = fixture.commits.find((commit) => commit.title.includes(PLANTED_ENV))!;
    for (const path of ["/", "/reports", `/repos/${WIDGETS}`, `/repos/${WIDGETS}/commits/${planted.sha}`, "/search?q=widget", "/trends", "/nowhere"]) {
      const { headers, text } = await get(path);
      expect(headers.get("content-security-policy"), path).toBe("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
      expect(headers.get("x-content-type-options")).toBe("nosniff");
      expect(headers.get("referrer-policy")).toBe("no-referrer");
      expect(text).not.toMatch(/<script|<style/i);
      // No style or handler attribute in any tag (escaped text such as `onerror=` in a title is not a tag).
      expect(text).not.toMatch(/<[a-z][^>]*\s(?:style|on[a-z]+)=/i);
      // Nothing from another host: every stylesheet, image and form target is on this one.
      for (const match of text.matchAll(/<(?:link|img|form)[^>]*(?:href|src|action)="([^"]*)"/g)) expect(match[1]!.startsWith("/")).toBe(true);
    }
    const stylesheet = /<link rel="stylesheet" href="([^"]+)">/.exec((await get("/")).text)![1]!;
    const css = await get(stylesheet);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(css.text).toContain("prefers-color-scheme: dark");
    expect(css.text).not.toMatch(/url\(|@import/);
  });

  it("keeps a hostile commit message text everywhere it shows it", async () => {
    const hostile = fixture.byTitle(HOSTILE_TITLE);
    const escapedTitle = "fix: &lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt; &#39;q&#39; &amp; &quot;dq&quot;";
    for (const path of [`/repos/${WIDGETS}/commits/${hostile.sha}`, `/repos/${WIDGETS}`, "/search?q=pwned", `/search?repo=${WIDGETS}`, "/reports/2026-01-14--acme-widgets"]) {
      const { status, text } = await get(path);
      expect(status, path).toBe(200);
      expect(text, path).toContain(escapedTitle);
      expect(text, path).not.toContain("<script>window.__pwned");
      expect(text, path).not.toContain("<img src=x");
    }
    const commit = (await get(`/repos/${WIDGETS}/commits/${hostile.sha}`)).text;
    expect(commit).toContain("&lt;/pre&gt;&lt;/code&gt;&lt;script&gt;window.__pwned=3&lt;/script&gt;");
    expect(commit).not.toContain('href="javascript:');
    const feed = (await get("/search.atom?q=pwned")).text;
    expect(feed).not.toContain("<script>");
    expect(feed).toContain("&lt;script&gt;window.__pwned=1&lt;/script&gt;");
    // The API gives it back as the string it is: JSON, not markup.
    const { commit: entry } = await api<{ commit: { title: string; body: string } }>(`/api/v1/repos/${WIDGETS}/commits/${hostile.sha}`);
    expect(entry.title).toBe(HOSTILE_TITLE);
    expect(entry.body).toContain(HOSTILE_BODY.split("\n")[0]!);
  });

  it("without a token, answers only requests addressed to a loopback name (DNS rebinding)", async () => {
    const port = new URL(server.url).port;
    const withHost = (host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path: "/api/v1/repos", headers: { host } }, (res) => {
          let body = "";
          res.on("data", (chunk: Buffer) => (body += chunk.toString()));
          res.on("end", () => resolve({ status: res.statusCode!, body }));
        });
        req.on("error", reject);
        req.end();
      });
    expect((await withHost(`evil.example:${port}`)).status).toBe(403);
    expect((await withHost("attacker.test")).body).toContain("without a token this server answers only requests to a loopback name");
    expect((await withHost(`localhost:${port}`)).status).toBe(200);
    expect((await withHost(`127.0.0.1:${port}`)).status).toBe(200);
  });

  it("off loopback, refuses to start without a token: one line, exit 2", async () => {
    const run = await runServe(fixture.dataDir, ["--host", "0.0.0.0", "--port", "0"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'repo-digest: --host: "0.0.0.0" is not allowed; expected a loopback address (127.0.0.1, ::1, localhost) unless a token is set (set REPO_DIGEST_SERVE_TOKEN to a long random secret (openssl rand -hex 32) to serve on another address)\n',
    );
    const short = await runServe(fixture.dataDir, ["--host", "0.0.0.0", "--port", "0"], { REPO_DIGEST_SERVE_TOKEN: "short" });
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/^repo-digest: REPO_DIGEST_SERVE_TOKEN: .* at least 16 characters without spaces \(generate one with `openssl rand -hex 32`\)\n$/);
    expect(short.stderr).not.toContain("short");
  });

  it("off loopback with a token: every request must carry it (Bearer, ?token=, then the cookie)", async () => {
    const token = "b1e2c3d4e5f60718293a4b5c6d7e8f90";
    const guarded = await startServe(fixture.dataDir, ["--host", "0.0.0.0"], { REPO_DIGEST_SERVE_TOKEN: token });
    try {
      expect(guarded.stderr()).toContain(`listening on ${guarded.url} (reachable from other machines, token required (REPO_DIGEST_SERVE_TOKEN: Authorization: Bearer … or ?token=))`);
      const at = (path: string) => new URL(path, `http://127.0.0.1:${new URL(guarded.url).port}/`);
      const none = await fetch(at("/api/v1/repos"));
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toBe('Bearer realm="repo-digest"');
      expect(await none.json()).toEqual({ schemaVersion: 1, error: { status: 401, message: "this server requires its token: send `Authorization: Bearer <token>` or add `?token=<token>` (REPO_DIGEST_SERVE_TOKEN)" } });
      expect((await fetch(at("/"), { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
      expect((await fetch(at("/"), { headers: { authorization: `Bearer ${token.slice(0, -1)}` } })).status).toBe(401);
      expect((await fetch(at("/"), { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      // A non-loopback Host is fine once the token is there.
      expect((await fetch(at("/api/v1/repos"), { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      const viaQuery = await fetch(at(`/search?token=${token}`));
      expect(viaQuery.status).toBe(200);
      const cookie = viaQuery.headers.get("set-cookie")!;
      expect(cookie).toBe(`repo_digest_token=${token}; Path=/; HttpOnly; SameSite=Strict`);
      // The page's own links carry no token; the browser's cookie does.
      expect(await viaQuery.text()).not.toContain(token);
      expect((await fetch(at("/trends"), { headers: { cookie: cookie.split(";")[0]! } })).status).toBe(200);
      expect((await fetch(at("/trends"), { headers: { cookie: "repo_digest_token=wrong" } })).status).toBe(401);
      // The gate comes after the method check: nothing writes, token or not.
      expect((await fetch(at("/"), { method: "POST", headers: { authorization: `Bearer ${token}` } })).status).toBe(405);
    } finally {
      expect(await guarded.stop()).toBe(0);
    }
  });
});

describe("repo-digest serve on PostgreSQL", () => {
  it("serves a store in PostgreSQL (`store: postgres://…`) the same way", async () => {
    const database = await freshDatabase();
    const repo = makeRepo();
    const dataDir = join(fixture.outDir, "pg-data");
    try {
      repo.write("src/app.py", "import os\n\nHOME = os.getenv('PG_PLANTED_HOME')\n");
      const sha = repo.commit({ message: "feat: read PG_PLANTED_HOME", date: "2026-01-17T10:00:00+00:00" });
      const env = { REPO_DIGEST_DATABASE_URL: database.url };
      const run = await runCli(["report", "--repo", repo.dir, "--name", "acme/pg", "--date", "2026-01-17", "--tz", "UTC", "--out", fixture.outDir, "-f", "json", "--no-fetch", "--analyzer", "rules", "--no-deliver"], {
        cwd: fixture.outDir,
        dataDir,
        env,
      });
      expect(run.status, run.stderr).toBe(0);
      const pgServer = await startServe(dataDir, [], env);
      try {
        expect(pgServer.stderr()).toContain("store: postgres, read-only");
        const search = (await (await fetch(new URL("/api/v1/search?env=PG_PLANTED_HOME", pgServer.url))).json()) as { hits: Hit[] };
        expect(search.hits.map((hit) => hit.sha)).toEqual([sha]);
        for (const [path, shows] of [
          ["/", "/reports/2026-01-17--acme-pg"],
          [`/repos/acme/pg/commits/${sha}`, "PG_PLANTED_HOME"],
          ["/reports/2026-01-17--acme-pg", "PG_PLANTED_HOME"],
          ["/search?q=PG_PLANTED", "PG_PLANTED_HOME"],
          ["/trends", '<rect class="c-'],
        ]) {
          const response = await fetch(new URL(path!, pgServer.url));
          expect(response.status, path).toBe(200);
          expect(await response.text(), path).toContain(shows);
        }
      } finally {
        expect(await pgServer.stop()).toBe(0);
      }
    } finally {
      repo.cleanup();
      await database.drop();
    }
  }, 60_000);
});

describe("repo-digest serve: failures and stopping", () => {
  it("without a store: one line saying to run a report first, exit 2", async () => {
    const empty = join(fixture.outDir, "no-store-here");
    const run = await runServe(empty, ["--port", "0"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`repo-digest: no store at ${join(empty, "repo-digest.sqlite")} (run \`repo-digest report\` first, or give the --data-dir that holds the store)\n`);
  });

  it("a port in use: one line, exit 3", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = await runServe(fixture.dataDir, ["--port", String(port)]);
      expect(run.status).toBe(3);
      expect(run.stderr).toBe(`repo-digest: port ${port} on 127.0.0.1 is in use (stop what listens there, or choose another port with --port (0: any free port))\n`);
    } finally {
      blocker.close();
    }
  });

  it("an address this machine does not have: one line, exit 2", async () => {
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): no machine has it.
    const run = await runServe(fixture.dataDir, ["--host", "192.0.2.1", "--port", "0"], { REPO_DIGEST_SERVE_TOKEN: "0123456789abcdef0123" });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("repo-digest: 192.0.2.1 is not an address of this machine (give one of its addresses with --host, such as 127.0.0.1)\n");
  });

  it("a bad --port: one line, exit 2", async () => {
    const run = await runServe(fixture.dataDir, ["--port", "99999"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^repo-digest: serve: option '--port <n>' argument '99999' is invalid\. a port number from 0 to 65535/);
  });

  it("Ctrl-C stops it: exit 0, and the port is free again", async () => {
    const running = await startServe(fixture.dataDir);
    const { port } = new URL(running.url);
    expect((await fetch(running.url)).status).toBe(200);
    expect(await running.stop()).toBe(0);
    expect(running.stderr()).toContain("repo-digest serve: stopped");
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it("left the store as it was: the server never wrote to it", () => {
    expect(hashStore()).toBe(storeHash);
  });

  it("shows a report written while it serves, though it keeps answers: they last only while the store is unchanged", async () => {
    const before = await api<{ repos: Array<{ name: string }> }>("/api/v1/repos");
    const home = await get("/");
    expect(before.repos.map((repo) => repo.name)).not.toContain("acme/late");
    const late = makeRepo();
    try {
      late.write("late.py", "def late():\n    return 1\n");
      late.commit({ message: "feat: arrive late", date: "2026-01-18T10:00:00+00:00" });
      const run = await runCli(["report", "--repo", late.dir, "--name", "acme/late", "--date", "2026-01-18", "--tz", "UTC", "--out", fixture.outDir, "-f", "json", "--no-fetch", "--analyzer", "rules", "--no-deliver"], {
        cwd: fixture.outDir,
        dataDir: fixture.dataDir,
      });
      expect(run.status, run.stderr).toBe(0);
    } finally {
      late.cleanup();
    }
    // The server looks at the store's files at most once a second.
    const deadline = Date.now() + 10_000;
    let names: string[] = [];
    while (Date.now() < deadline) {
      names = (await api<{ repos: Array<{ name: string }> }>("/api/v1/repos")).repos.map((repo) => repo.name);
      if (names.includes("acme/late")) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(names).toContain("acme/late");
    const after = await get("/");
    expect(after.text).not.toBe(home.text);
    expect(hrefs(after.text)).toContain("/reports/2026-01-18--acme-late");
    expect((await searchApi("q=arrive")).hits.map((hit) => hit.title)).toEqual(["feat: arrive late"]);
  });
});
