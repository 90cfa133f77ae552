/**
 * The query string of every page and API call, checked: a value the app cannot use is a 400
 * with one line naming the parameter, what it got and what it takes. An empty value counts
 * as absent, since a search form sends every field, filled or not.
 */
import * as z from "zod";
import { CHANGE_TYPES, IMPORTANCE_ORDER, type ChangeType, type Importance } from "../analysis/types.js";
import { LANGUAGES, type Lang } from "../i18n/lang.js";
import type { SearchQuery } from "../store/types.js";

/** A query string the app cannot use; the message is the one line shown (page) or returned (API). */
export class BadRequest extends Error {
  override readonly name = "BadRequest";
}

/** Every value of every parameter, as Hono's `c.req.queries()` gives them. */
export type RawQuery = Record<string, string[]>;

export const PAGE_SIZE = 20;
/** A repository's archive of reports: ten a page, a fortnight of one language or a week of two. */
export const ARCHIVE_PAGE_SIZE = 10;
export const MAX_LIMIT = 100;
/** The longest trends period, in days: a year and a bit, so that a chart's bars stay readable. */
export const MAX_TREND_DAYS = 400;
export const DEFAULT_TREND_DAYS = 30;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
// An ISO 8601 instant with its offset (2026-01-17T08:00:00Z, 2026-01-17T16:00:00+08:00).
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

const BOTS = ["all", "exclude", "only"] as const;
export type BotsFilter = (typeof BOTS)[number];

/** The values of `name`, empty ones dropped. */
function values(query: RawQuery, name: string): string[] {
  return (query[name] ?? []).map((value) => value.trim()).filter((value) => value !== "");
}

/** The one value of a single-valued parameter, or undefined. */
function single(query: RawQuery, name: string): string | undefined {
  const all = values(query, name);
  if (all.length > 1) throw new BadRequest(`${name}: given ${all.length} times; give it once`);
  const value = all[0];
  if (value !== undefined && value.length > 500) throw new BadRequest(`${name}: longer than 500 characters; shorten it`);
  return value;
}

/** A repeatable parameter: `repo=a&repo=b`, or `repo=a,b`. */
function list(query: RawQuery, name: string): string[] {
  return values(query, name).flatMap((value) => value.split(",").map((part) => part.trim()).filter((part) => part !== ""));
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  const parsed = z.enum(allowed as [T, ...T[]]).safeParse(value);
  if (!parsed.success) throw new BadRequest(`${name}: ${JSON.stringify(value)} is not allowed; expected one of ${allowed.join(", ")}`);
  return parsed.data;
}

function wholeNumber(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = z.coerce.number().int().min(min).max(max).safeParse(value);
  if (!/^\d+$/.test(value) || !parsed.success) throw new BadRequest(`${name}: ${JSON.stringify(value)} is not allowed; expected a whole number from ${min} to ${max}`);
  return parsed.data;
}

export function parseLang(query: RawQuery, fallback: Lang): Lang {
  const value = single(query, "lang");
  return value === undefined ? fallback : oneOf("lang", value, LANGUAGES);
}

/**
 * A day (`YYYY-MM-DD`, midnight UTC; for `until` the day is included, so the next midnight)
 * or an ISO instant with its offset (taken as it is; `until` excluded).
 */
export function parseInstant(name: "since" | "until", value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (DAY.test(value)) {
    const start = Date.parse(`${value}T00:00:00Z`);
    if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== value) throw new BadRequest(`${name}: ${JSON.stringify(value)} is not a day of the calendar; expected YYYY-MM-DD`);
    return new Date(name === "until" ? start + 86_400_000 : start).toISOString();
  }
  if (INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  throw new BadRequest(`${name}: ${JSON.stringify(value)} is not allowed; expected a day (YYYY-MM-DD) or an ISO instant with its offset (2026-01-17T08:00:00Z)`);
}

export interface Paging {
  limit: number;
  offset: number;
}

/** `page` (1, 2, …; of `pageSize` items, or `limit`), or `limit` and `offset` (the API's), which win when given. */
export function parsePaging(query: RawQuery, pageSize = PAGE_SIZE): Paging {
  const page = wholeNumber("page", single(query, "page"), 1, 100_000) ?? 1;
  const limit = wholeNumber("limit", single(query, "limit"), 1, MAX_LIMIT) ?? pageSize;
  const offset = wholeNumber("offset", single(query, "offset"), 0, 10_000_000) ?? (page - 1) * limit;
  return { limit, offset };
}

/** The search form's values, as the user gave them: kept to fill the form again and to build page links. */
export interface SearchForm {
  q?: string;
  repo: string[];
  since?: string;
  until?: string;
  importance?: Importance;
  type: ChangeType[];
  author?: string;
  bots: BotsFilter;
  /** Only commits that can break the user's code (`usedBy:`). */
  affects: boolean;
  path?: string;
  module?: string;
  symbol?: string;
  env?: string;
  flag?: string;
  dependency?: string;
}

export const SEARCH_TEXT_FIELDS = ["q", "author", "path", "module", "symbol", "env", "flag", "dependency"] as const;

export function parseSearchForm(query: RawQuery): SearchForm {
  const form: SearchForm = { repo: list(query, "repo"), type: [], bots: "all", affects: false };
  for (const field of SEARCH_TEXT_FIELDS) {
    const value = single(query, field);
    if (value !== undefined) form[field] = value;
  }
  const since = single(query, "since");
  const until = single(query, "until");
  // Checked here, kept as given (the form shows them again).
  parseInstant("since", since);
  parseInstant("until", until);
  if (since !== undefined) form.since = since;
  if (until !== undefined) form.until = until;
  const importance = single(query, "importance");
  if (importance !== undefined) form.importance = oneOf("importance", importance, IMPORTANCE_ORDER);
  form.type = list(query, "type").map((type) => oneOf("type", type, CHANGE_TYPES));
  const bots = single(query, "bots");
  if (bots !== undefined) form.bots = oneOf("bots", bots, BOTS);
  const affects = single(query, "affects");
  if (affects !== undefined) form.affects = oneOf("affects", affects, ["1", "0"] as const) === "1";
  return form;
}

/** The store's query for a search form, in a language, on a page. */
export function toSearchQuery(form: SearchForm, lang: Lang, paging: Paging): SearchQuery {
  const query: SearchQuery = { lang, limit: paging.limit, offset: paging.offset };
  if (form.q !== undefined) query.text = form.q;
  if (form.repo.length > 0) query.repos = form.repo;
  const since = parseInstant("since", form.since);
  const until = parseInstant("until", form.until);
  if (since !== undefined) query.since = since;
  if (until !== undefined) query.until = until;
  if (since !== undefined && until !== undefined && since >= until) throw new BadRequest(`since: ${form.since} is not before until (${form.until}); swap them`);
  if (form.importance !== undefined) query.minImportance = form.importance;
  if (form.type.length > 0) query.changeTypes = form.type;
  if (form.author !== undefined) query.author = form.author;
  if (form.bots !== "all") query.bots = form.bots === "only";
  if (form.affects) query.affects = true;
  if (form.path !== undefined) query.path = form.path;
  if (form.module !== undefined) query.module = form.module;
  if (form.symbol !== undefined) query.symbol = form.symbol;
  if (form.env !== undefined) query.envVar = form.env;
  if (form.flag !== undefined) query.flag = form.flag;
  if (form.dependency !== undefined) query.dependency = form.dependency;
  return query;
}

/** The form as query parameters again (for page links and the feed's address), empty ones left out. */
export function searchFormParams(form: SearchForm): Array<[string, string]> {
  const params: Array<[string, string]> = [];
  if (form.q !== undefined) params.push(["q", form.q]);
  for (const repo of form.repo) params.push(["repo", repo]);
  if (form.since !== undefined) params.push(["since", form.since]);
  if (form.until !== undefined) params.push(["until", form.until]);
  if (form.importance !== undefined) params.push(["importance", form.importance]);
  for (const type of form.type) params.push(["type", type]);
  for (const field of SEARCH_TEXT_FIELDS) {
    const value = form[field];
    if (field !== "q" && value !== undefined) params.push([field, value]);
  }
  if (form.bots !== "all") params.push(["bots", form.bots]);
  if (form.affects) params.push(["affects", "1"]);
  return params;
}

export interface TrendsForm {
  repo: string[];
  /** Days, both included (YYYY-MM-DD, UTC); undefined for the default period. */
  since?: string;
  until?: string;
}

export function parseTrendsForm(query: RawQuery): TrendsForm {
  const form: TrendsForm = { repo: list(query, "repo") };
  for (const name of ["since", "until"] as const) {
    const value = single(query, name);
    if (value === undefined) continue;
    // Trends count whole days: an instant would cut one in two.
    if (!DAY.test(value)) throw new BadRequest(`${name}: ${JSON.stringify(value)} is not allowed; expected a day, YYYY-MM-DD`);
    parseInstant(name, value);
    form[name] = value;
  }
  return form;
}

/** The days of a trends period: `until` given or the newest indexed day (else today), and `since` given or 30 days before. */
export function resolveTrendDays(form: TrendsForm, newestDay: string): { since: string; until: string } {
  const until = form.until ?? (form.since !== undefined ? addDays(form.since, DEFAULT_TREND_DAYS - 1) : newestDay);
  const since = form.since ?? addDays(until, -(DEFAULT_TREND_DAYS - 1));
  if (since > until) throw new BadRequest(`since: ${since} is after until (${until}); swap them`);
  const days = daysBetween(since, until);
  if (days > MAX_TREND_DAYS) throw new BadRequest(`since..until: ${days} days; give at most ${MAX_TREND_DAYS}`);
  return { since, until };
}

export function parseReportsForm(query: RawQuery): { repo?: string; day?: string } {
  const form: { repo?: string; day?: string } = {};
  const repo = single(query, "repo");
  if (repo !== undefined) form.repo = repo;
  const day = single(query, "day");
  if (day !== undefined) {
    if (!DAY.test(day)) throw new BadRequest(`day: ${JSON.stringify(day)} is not allowed; expected YYYY-MM-DD`);
    parseInstant("since", day);
    form.day = day;
  }
  return form;
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Days from `since` to `until`, both included. */
export function daysBetween(since: string, until: string): number {
  return Math.round((Date.parse(`${until}T00:00:00Z`) - Date.parse(`${since}T00:00:00Z`)) / 86_400_000) + 1;
}
