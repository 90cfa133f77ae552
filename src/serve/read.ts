/**
 * What each page shows, read from the store: one function per page, and the JSON API returns
 * the same values, so that the API holds everything a page shows by construction.
 */
import type { Lang } from "../i18n/lang.js";
import { webUrlTemplatesFor, type LinkTemplates } from "../report/links.js";
import { REPORT_SCHEMA_VERSION, type Report } from "../report/types.js";
import type { SearchEntry, SearchHit, Store, StoredReport, Trends } from "../store/types.js";
import { addDays, daysBetween, resolveTrendDays, toSearchQuery, type Paging, type SearchForm, type TrendsForm } from "./params.js";

/** How many reports the calendar and the day lists read at most (newest first). */
const CALENDAR_REPORTS = 5000;
const RECENT_COMMITS = 20;

export interface ReadDeps {
  store: Store;
  /** The config's link templates by repository name (`links:` or its URL); else derived from the stored location. */
  configLinks: ReadonlyMap<string, LinkTemplates>;
}

function otherLang(lang: Lang): Lang {
  return lang === "en" ? "zh-CN" : "en";
}

export interface HomeData {
  repos: Array<{ name: string; reports: number; latest?: StoredReport }>;
  /** Days (the first day of each report's period) with their reports, newest first. */
  days: Array<{ day: string; reports: StoredReport[] }>;
}

export async function readHome(deps: ReadDeps, lang: Lang): Promise<HomeData> {
  const [repositories, all] = await Promise.all([deps.store.listRepositories(), readAllReports(deps.store)]);
  const repos = await Promise.all(
    repositories
      .map((repo) => repo.name)
      .sort((a, b) => a.localeCompare(b))
      .map(async (name) => {
        const { total, reports } = await deps.store.listReportModels({ repo: name, limit: 2, offset: 0 });
        // The two languages' reports of one period: the reader's first.
        const [first, second] = reports;
        const latest = second && second.periodLabel === first?.periodLabel && second.lang === lang ? second : first;
        return latest ? { name, reports: total, latest } : { name, reports: total };
      }),
  );
  return { repos, days: groupByDay(all) };
}

export async function readAllReports(store: Store): Promise<StoredReport[]> {
  const all: StoredReport[] = [];
  for (let offset = 0; offset < CALENDAR_REPORTS; offset += 500) {
    const { total, reports } = await store.listReportModels({ limit: 500, offset });
    all.push(...reports);
    if (offset + 500 >= total || reports.length === 0) break;
  }
  return all;
}

function groupByDay(reports: readonly StoredReport[]): HomeData["days"] {
  const byDay = new Map<string, StoredReport[]>();
  for (const report of reports) {
    const day = report.periodLabel.slice(0, 10);
    const list = byDay.get(day) ?? [];
    list.push(report);
    byDay.set(day, list);
  }
  return [...byDay.entries()].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0)).map(([day, list]) => ({ day, reports: list }));
}

export interface ReportsData {
  total: number;
  reports: StoredReport[];
}

export async function readReports(deps: ReadDeps, form: { repo?: string; day?: string }, paging: Paging): Promise<ReportsData> {
  if (form.day === undefined) return deps.store.listReportModels({ ...(form.repo ? { repo: form.repo } : {}), ...paging });
  const all = (await readAllReports(deps.store)).filter((report) => report.periodLabel.slice(0, 10) === form.day && (form.repo === undefined || report.repos.includes(form.repo)));
  return { total: all.length, reports: all.slice(paging.offset, paging.offset + paging.limit) };
}

export type ReportData = { report: StoredReport; model: Report } | { report: StoredReport; unreadable: string };

export async function readReport(deps: ReadDeps, name: string): Promise<ReportData | undefined> {
  const found = await deps.store.getReportModel(name);
  if (!found) return undefined;
  let model: Report;
  try {
    model = JSON.parse(found.json) as Report;
  } catch {
    return { report: found.report, unreadable: "the stored model is not JSON" };
  }
  if (model.schemaVersion !== REPORT_SCHEMA_VERSION) {
    return { report: found.report, unreadable: `the stored model has schema version ${String(model.schemaVersion)}, this version renders ${REPORT_SCHEMA_VERSION}; run the report again` };
  }
  return { report: found.report, model };
}

export interface RepoData {
  name: string;
  reports: ReportsData;
  commits: { total: number; hits: SearchHit[]; lang: Lang };
}

export async function readRepo(deps: ReadDeps, name: string, lang: Lang, paging: Paging): Promise<RepoData | undefined> {
  const repositories = await deps.store.listRepositories();
  if (!repositories.some((repo) => repo.name === name)) return undefined;
  const [reports, commits] = await Promise.all([
    deps.store.listReportModels({ repo: name, ...paging }),
    searchWithFallback(deps.store, { repo: [name], type: [], bots: "all", affects: false }, lang, { limit: RECENT_COMMITS, offset: 0 }),
  ]);
  return { name, reports, commits };
}

export interface CommitData {
  entry: SearchEntry & { repo: string };
  /** The language of the entry shown: the reader's, else the other one. */
  lang: Lang;
  links: { commit?: string; pullRequest?: string };
  /** Reports whose period holds the commit, newest first. */
  reports: StoredReport[];
}

export async function readCommit(deps: ReadDeps, repo: string, sha: string, lang: Lang): Promise<CommitData | undefined> {
  let shown = lang;
  let entry = await deps.store.getIndexedCommit(repo, sha, lang);
  if (!entry) {
    shown = otherLang(lang);
    entry = await deps.store.getIndexedCommit(repo, sha, shown);
  }
  if (!entry) return undefined;
  const [templates, reports] = await Promise.all([linkTemplates(deps, repo), reportsHolding(deps.store, repo, entry.committedAt)]);
  const links: CommitData["links"] = {};
  if (templates?.commit) links.commit = templates.commit.replaceAll("{sha}", entry.sha);
  if (templates?.pullRequest && entry.prNumber !== undefined) links.pullRequest = templates.pullRequest.replaceAll("{number}", String(entry.prNumber));
  return { entry, lang: shown, links, reports };
}

async function linkTemplates(deps: ReadDeps, repo: string): Promise<LinkTemplates | undefined> {
  const configured = deps.configLinks.get(repo);
  if (configured) return configured;
  const stored = (await deps.store.listRepositories()).find((candidate) => candidate.name === repo);
  return stored ? webUrlTemplatesFor(stored.location) : undefined;
}

/** The repository's reports whose period holds `at`, read newest first until the periods are a month older. */
async function reportsHolding(store: Store, repo: string, at: string): Promise<StoredReport[]> {
  const instant = Date.parse(at);
  const found: StoredReport[] = [];
  for (let offset = 0; offset < 1000; offset += 100) {
    const { reports } = await store.listReportModels({ repo, limit: 100, offset });
    for (const report of reports) {
      if (Date.parse(report.since) <= instant && instant < Date.parse(report.until)) found.push(report);
    }
    const oldest = reports.at(-1);
    if (reports.length < 100 || (oldest && Date.parse(oldest.since) < instant - 31 * 86_400_000)) break;
  }
  return found;
}

export interface SearchData {
  total: number;
  hits: SearchHit[];
  /** The index language the hits come from: the reader's, else the other one where the reader's has none. */
  lang: Lang;
}

export async function readSearch(deps: ReadDeps, form: SearchForm, lang: Lang, paging: Paging): Promise<SearchData> {
  return searchWithFallback(deps.store, form, lang, paging);
}

async function searchWithFallback(store: Store, form: SearchForm, lang: Lang, paging: Paging): Promise<SearchData> {
  const first = await store.searchCommits(toSearchQuery(form, lang, paging));
  if (first.total > 0 || paging.offset > 0) return { ...first, lang };
  // A store reported in one language only: its commits, rather than nothing.
  const other = otherLang(lang);
  const second = await store.searchCommits(toSearchQuery(form, other, paging));
  return second.total > 0 ? { ...second, lang: other } : { ...first, lang };
}

export interface TrendsData {
  repos: string[];
  /** Days, both included (UTC). */
  since: string;
  until: string;
  lang: Lang;
  /** Per-day series hold every day of the period, zeros included. */
  trends: Trends;
}

export async function readTrends(deps: ReadDeps, form: TrendsForm, lang: Lang): Promise<TrendsData> {
  const repos = form.repo;
  let newestDay = new Date().toISOString().slice(0, 10);
  if (form.until === undefined && form.since === undefined) {
    // The period ends on the newest indexed commit: a store of last year's reports still shows something.
    const newest = await searchWithFallback(deps.store, { repo: repos, type: [], bots: "all", affects: false }, lang, { limit: 1, offset: 0 });
    const hit = newest.hits[0];
    if (hit) newestDay = new Date(hit.committedAt).toISOString().slice(0, 10);
  }
  const { since, until } = resolveTrendDays(form, newestDay);
  const query = { ...(repos.length > 0 ? { repos } : {}), since: `${since}T00:00:00.000Z`, until: `${addDays(until, 1)}T00:00:00.000Z` };
  let shown = lang;
  let trends = await deps.store.trends({ ...query, lang });
  if (isEmpty(trends)) {
    const other = await deps.store.trends({ ...query, lang: otherLang(lang) });
    if (!isEmpty(other)) {
      trends = other;
      shown = otherLang(lang);
    }
  }
  return { repos, since, until, lang: shown, trends: fillDays(trends, since, until) };
}

function isEmpty(trends: Trends): boolean {
  return trends.perDay.every((day) => day.high + day.medium + day.low === 0);
}

/** Every day of the period in the per-day series, in order, so that a chart's gaps are days without commits. */
function fillDays(trends: Trends, since: string, until: string): Trends {
  const days = Array.from({ length: daysBetween(since, until) }, (_, index) => addDays(since, index));
  const fill = <T extends { day: string }>(rows: readonly T[], empty: (day: string) => T): T[] => {
    const byDay = new Map(rows.map((row) => [row.day, row]));
    return days.map((day) => byDay.get(day) ?? empty(day));
  };
  return {
    ...trends,
    perDay: fill(trends.perDay, (day) => ({ day, high: 0, medium: 0, low: 0 })),
    api: fill(trends.api, (day) => ({ day, added: 0, removed: 0, breaking: 0 })),
    dependencies: fill(trends.dependencies, (day) => ({ day, commits: 0 })),
  };
}
