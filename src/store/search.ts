/**
 * Search and trends over indexed commits (SearchEntry), written once for both stores: the
 * filters, the ranking, the paging and the snippet are the same SQL and the same code; a
 * {@link Dialect} holds the little that differs (placeholders, lists, flags) and each store
 * adds its own full text (src/store/sqlite-store.ts: FTS5 trigram; src/store/postgres/: pg_trgm).
 *
 * Tables (SQLite migration 7, PostgreSQL migration 2):
 * - `search_entries`: one row per (repository, sha, language), the entry's scalar fields as
 *   columns, its lists as JSON text (`lists`) so that it comes back exactly as given.
 * - `search_terms`: (kind, name, entry) for every path, module, symbol (and a symbol's last
 *   dotted segment), environment variable, flag, config key and dependency: exact lookups by
 *   the primary key (kind, name, …).
 * - `search_churn`: lines changed per module and entry, for hotspots.
 * - the full text: SQLite's FTS5 table `search_text` over the entries' five text columns;
 *   PostgreSQL's `search_documents`, those texts lower-cased (see toSearchDocument).
 */
import picomatch from "picomatch";
import type { ChangeType, Importance } from "../analysis/types.js";
import { CHANGE_TYPES, IMPORTANCE_ORDER } from "../analysis/types.js";
import { InputError, InternalError } from "../errors.js";
import { isLang } from "../i18n/lang.js";
import type { SearchEntry, SearchHit, SearchQuery, Trends } from "./types.js";

export const TERM_KINDS = ["path", "module", "symbol", "env", "flag", "config", "dependency"] as const;
export type TermKind = (typeof TERM_KINDS)[number];

/** `minImportance` compares ranks: high > medium > low. */
export const IMPORTANCE_RANK: Readonly<Record<Importance, number>> = { high: 3, medium: 2, low: 1 };

/** Hits per page at most: a page of the web app, not an export. */
export const MAX_LIMIT = 500;
/** Words of `text` at most: each is one more condition on every candidate. */
export const MAX_TERMS = 16;
/** A snippet's length at most, in characters (code points), ellipses included. */
export const SNIPPET_CHARS = 160;
/** Hotspots and authors listed at most. */
export const TRENDS_TOP = 20;

/** The full text's columns, best first: a word in the title says more than one in the analysis. */
export const TEXT_COLUMNS = [
  { column: "title", weight: 10 },
  { column: "body", weight: 2 },
  { column: "pr_title", weight: 5 },
  { column: "pr_body", weight: 1 },
  { column: "analysis_text", weight: 2 },
] as const;

// ---------------------------------------------------------------------------------------------
// Writing: an entry as rows.

/** An entry's row, as both stores write it (flags as booleans: SQLite's store turns them into 0/1). */
export interface EntryColumns {
  sha: string;
  lang: string;
  committed_at: string;
  committed_ms: number;
  day: string;
  author: string;
  author_key: string;
  bot: boolean;
  title: string;
  body: string;
  pr_number: number | null;
  pr_title: string | null;
  pr_body: string | null;
  importance: Importance;
  importance_rank: number;
  change_type: ChangeType;
  analysis_text: string;
  api_added: number;
  api_removed: number;
  breaking: boolean;
  dependency_count: number;
  lists: string;
  affects: boolean;
}

/** What `lists` holds: the entry's arrays, in their order, as given. */
export type EntryLists = Pick<
  SearchEntry,
  "labels" | "paths" | "modules" | "symbols" | "envVars" | "flags" | "configKeys" | "dependencies" | "churn" | "affects"
>;

/**
 * PostgreSQL's text cannot hold U+0000, which a PR body or a model's answer may carry; both
 * stores index U+FFFD in its place, so that they answer alike.
 */
function indexable(text: string): string {
  return text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text;
}

export function toEntryColumns(entry: SearchEntry): EntryColumns {
  const millis = Date.parse(entry.committedAt);
  if (Number.isNaN(millis)) throw new InternalError(`search entry ${entry.sha} has an unreadable commit date: ${entry.committedAt}`);
  if (!(entry.importance in IMPORTANCE_RANK)) throw new InternalError(`search entry ${entry.sha} has an unknown importance: ${String(entry.importance)}`);
  const lists: EntryLists = {
    labels: entry.labels,
    paths: entry.paths,
    modules: entry.modules,
    symbols: entry.symbols,
    envVars: entry.envVars,
    flags: entry.flags,
    configKeys: entry.configKeys,
    dependencies: entry.dependencies,
    churn: entry.churn,
    ...(entry.affects && entry.affects.length > 0 ? { affects: entry.affects } : {}),
  };
  const author = indexable(entry.author);
  return {
    sha: entry.sha,
    lang: entry.lang,
    committed_at: entry.committedAt,
    committed_ms: millis,
    // The UTC day, once, here: both stores group by it without date functions of their own.
    day: new Date(millis).toISOString().slice(0, 10),
    author,
    author_key: author.toLowerCase(),
    bot: entry.bot,
    title: indexable(entry.title),
    body: indexable(entry.body),
    pr_number: entry.prNumber ?? null,
    pr_title: entry.prTitle === undefined ? null : indexable(entry.prTitle),
    pr_body: entry.prBody === undefined ? null : indexable(entry.prBody),
    importance: entry.importance,
    importance_rank: IMPORTANCE_RANK[entry.importance],
    change_type: entry.changeType,
    analysis_text: indexable(entry.analysisText),
    api_added: entry.apiAdded,
    api_removed: entry.apiRemoved,
    breaking: entry.breaking,
    dependency_count: entry.dependencies.length,
    lists: JSON.stringify(lists),
    affects: (entry.affects?.length ?? 0) > 0,
  };
}

/** The entry's fact names, once each; a dotted symbol also under its last segment (`EngineArgs.foo` → `foo`). */
export function toTermRows(entry: SearchEntry): Array<{ kind: TermKind; name: string }> {
  const rows = new Map<string, { kind: TermKind; name: string }>();
  const add = (kind: TermKind, names: readonly string[]) => {
    for (const name of names) if (name !== "") rows.set(`${kind}\u0000${name}`, { kind, name: indexable(name) });
  };
  add("path", entry.paths);
  add("module", entry.modules);
  add("symbol", entry.symbols);
  add("symbol", entry.symbols.map((symbol) => symbol.slice(symbol.lastIndexOf(".") + 1)));
  add("env", entry.envVars);
  add("flag", entry.flags);
  add("config", entry.configKeys);
  add("dependency", entry.dependencies);
  return [...rows.values()];
}

/** Lines per module, a module named twice summed. */
export function toChurnRows(entry: SearchEntry): Array<{ module: string; lines: number }> {
  const lines = new Map<string, number>();
  for (const { module, lines: count } of entry.churn) {
    if (!Number.isSafeInteger(count) || count < 0) throw new InternalError(`search entry ${entry.sha}: ${module} has ${count} lines of churn`);
    lines.set(indexable(module), (lines.get(indexable(module)) ?? 0) + count);
  }
  return [...lines].map(([module, count]) => ({ module, lines: count }));
}

/** One entry per (sha, language), the last given winning, as indexing them one after another would. */
export function latestEntries(entries: readonly SearchEntry[]): SearchEntry[] {
  return [...new Map(entries.map((entry) => [`${entry.sha}\u0000${entry.lang}`, entry])).values()];
}

// ---------------------------------------------------------------------------------------------
// Reading: SQL both stores run.

/** What differs between SQLite and PostgreSQL in the queries below. */
export interface Dialect {
  /** A placeholder for `value`, which it records. */
  param(value: unknown): string;
  /** `column` is one of `values`. */
  oneOf(column: string, values: readonly string[]): string;
  /** `haystack` contains the (already lower-cased) `needle` placeholder. */
  contains(haystack: string, needle: string): string;
  /** A flag as the database binds it. */
  flag(value: boolean): unknown;
  /** Whether any row of the group has the flag. */
  anyFlag(column: string): string;
}

/** Placeholders as SQLite (named: `@p1`, bound from an object) and PostgreSQL (`$1`, from an array) take them. */
export function createParams(kind: "sqlite" | "postgres"): { param(value: unknown): string; values(): unknown } {
  const values: unknown[] = [];
  return {
    param(value) {
      values.push(value);
      return kind === "sqlite" ? `@p${values.length}` : `$${values.length}`;
    },
    values: () => (kind === "sqlite" ? Object.fromEntries(values.map((value, index) => [`p${index + 1}`, value])) : values),
  };
}

/** A store's full text: the condition that every term holds, and a score (higher is better). */
export interface TextMatch {
  /** Joined after `search_entries e` (SQLite's FTS table, on `e.id`). */
  join?: string;
  where: string[];
  rank: string;
}

/**
 * The text's terms: words split on white space, a "quoted phrase" kept whole; case is ignored
 * by the match, duplicates go.
 */
export function splitTerms(text: string | undefined): string[] {
  if (text === undefined) return [];
  const terms = new Set<string>();
  for (const match of text.matchAll(/"([^"]*)"|(\S+)/gu)) {
    const term = (match[1] ?? match[2] ?? "").replace(/\s+/gu, " ").trim();
    if (term !== "") terms.add(term);
  }
  if (terms.size > MAX_TERMS) {
    throw new InputError(`search: ${terms.size} words in the text, at most ${MAX_TERMS} are allowed`, { hint: "search for fewer words" });
  }
  return [...terms];
}

/** A term's length as the trigram tokenizer and SQL's length() count it: in code points. */
export function termLength(term: string): number {
  return [...term].length;
}

/** `%`, `_` and `\` taken literally by a LIKE … ESCAPE '\'. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

/**
 * The score where no bm25 is at hand (PostgreSQL; SQLite's words under three characters): how
 * many of the terms the title or the PR's title holds. Every candidate holds every term
 * somewhere, so a match in a title comes first, then the newest. Cheap on purpose: it is
 * computed for every match of a common word, and titles are short (counting occurrences in
 * every column cost PostgreSQL 0.4 s for 9,000 matches of 10,000 entries).
 */
export function titleRank(inTitles: readonly string[]): string {
  return inTitles.length === 0 ? "0" : inTitles.map((condition) => `(CASE WHEN ${condition} THEN 1 ELSE 0 END)`).join(" + ");
}

/**
 * What PostgreSQL's LIKE scans (table search_documents): the five texts, one per line, and the
 * two titles, lower-cased here (JavaScript's Unicode case mapping, whatever the database's
 * locale), so that a case-insensitive match is a plain LIKE on lower-cased terms.
 */
export function toSearchDocument(entry: SearchEntry): { document: string; titles: string } {
  const texts = [entry.title, entry.body, entry.prTitle ?? "", entry.prBody ?? "", entry.analysisText];
  return {
    document: indexable(texts.join("\n")).toLowerCase(),
    titles: indexable(`${entry.title}\n${entry.prTitle ?? ""}`).toLowerCase(),
  };
}

/** A picomatch glob as a SQL condition on `t.name` that every matching path meets, and the exact test. */
export interface PathFilter {
  /** Narrows the path terms in SQL; may let through paths the glob does not match, never the reverse. */
  narrowing: string;
  matches(path: string): boolean;
}

/**
 * `dot: true`: `**\/*.yml` finds `.github/workflows/ci.yml` too, as someone searching expects.
 * SQL narrows by what every match must contain, then picomatch decides:
 * - the glob's literal head (picomatch.scan's `base`): a match is that path or lies under it,
 *   a range on the primary key (kind, name, …), the same in both stores as names are compared
 *   bytewise (SQLite BINARY, PostgreSQL COLLATE "C");
 * - else its longest literal run between wildcards (`.py` of `**\/*.py`), with a LIKE: only for
 *   globs of `*`, `?` and literal characters, where every match must contain that run (a `/`
 *   beside `**` may vanish: `**\/x.ts` matches `x.ts`, so the run's own slashes at its ends go).
 * Negated globs, braces, classes, extglobs and escapes are left to picomatch alone.
 */
export function toPathFilter(glob: string, param: (value: unknown) => string): PathFilter {
  const pattern = glob.trim().replace(/^(\.\/)+/, "");
  let matches: (path: string) => boolean;
  try {
    matches = picomatch(pattern, { dot: true });
  } catch (error) {
    throw new InputError(`search: the path glob ${JSON.stringify(glob.slice(0, 80))} cannot be read: ${(error as Error).message}`, {
      hint: "give a picomatch glob such as src/**/*.ts",
      cause: error,
    });
  }
  const scanned = picomatch.scan(pattern);
  const plain = !scanned.negated && !pattern.includes("\\");
  if (plain && scanned.base !== "") {
    // '0' follows '/' in every byte order: [base, base0) holds base and everything under it
    // (and a little more, base.ts say, which picomatch sorts out), one range of the key.
    return { narrowing: `t.name >= ${param(scanned.base)} AND t.name < ${param(`${scanned.base}0`)}`, matches };
  }
  if (plain && !/[{}[\]()]/.test(pattern)) {
    const run = pattern
      .split(/[*?]+/)
      .map((part) => part.replace(/^\/+|\/+$/g, ""))
      .reduce((longest, part) => (part.length > longest.length ? part : longest), "");
    if (run.length >= 2) return { narrowing: `t.name LIKE ${param(`%${escapeLike(run)}%`)} ESCAPE '\\'`, matches };
  }
  return { narrowing: "1 = 1", matches };
}

/**
 * A search with a path glob begins here: the distinct path names the SQL narrowing lets
 * through, which picomatch then sorts out ({@link resolvePathNames}). Paths repeat across
 * commits, so there are far fewer names than paths of matching commits, and the search itself
 * then filters exactly, in SQL, with its count and page.
 */
export function preparePathNames(glob: string, dialect: Dialect): { sql: string; filter: PathFilter } {
  const filter = toPathFilter(glob, dialect.param);
  return { sql: `SELECT DISTINCT t.name FROM search_terms t WHERE t.kind = 'path' AND ${filter.narrowing}`, filter };
}

/** The names the glob matches; `all` when it matches every name let through (the narrowing is then exact). */
export interface ResolvedPaths {
  all: boolean;
  names: string[];
}

export function resolvePathNames(rows: ReadonlyArray<{ name: string }>, filter: PathFilter): ResolvedPaths {
  const names = rows.map((row) => row.name).filter((name) => filter.matches(name));
  return { all: names.length === rows.length, names };
}

export interface PreparedSearch {
  terms: string[];
  /** One statement: `total` (in every row, and in the one row of an empty page) and the page's rows. */
  sql: string;
}

/**
 * Checks the query and builds its SQL. `text` is the store's full text for the terms; every
 * other condition is shared. The order: best match first when there is text, then newest,
 * then by SHA and id, so that pages never overlap.
 *
 * With text, every match is ranked before the page is cut: the matches are materialized once,
 * counted, sorted. Without, the count and the page are two subqueries of one statement, the
 * page read in the order of the (lang, committed_ms, sha) index: browsing 10,000 entries needs
 * no sort of them. A path glob is an exact condition by then ({@link preparePathNames}).
 */
export function prepareSearch(
  query: SearchQuery,
  dialect: Dialect,
  text: (terms: readonly string[]) => TextMatch,
  paths?: ResolvedPaths,
): PreparedSearch {
  checkPage(query.limit, query.offset);
  const terms = splitTerms(query.text);
  const { param } = dialect;
  const where: string[] = [...entryFilter(query, dialect)];
  const match = terms.length > 0 ? text(terms) : undefined;
  if (match) where.push(...match.where);
  if (query.minImportance !== undefined) {
    if (!(query.minImportance in IMPORTANCE_RANK)) throw badValue("minImportance", query.minImportance, IMPORTANCE_ORDER.join(", "));
    where.push(`e.importance_rank >= ${param(IMPORTANCE_RANK[query.minImportance])}`);
  }
  if (query.changeTypes !== undefined && query.changeTypes.length > 0) {
    const unknown = query.changeTypes.find((type) => !CHANGE_TYPES.includes(type));
    if (unknown !== undefined) throw badValue("changeTypes", unknown, CHANGE_TYPES.join(", "));
    where.push(dialect.oneOf("e.change_type", query.changeTypes));
  }
  if (query.author !== undefined && query.author.trim() !== "") {
    where.push(dialect.contains("e.author_key", param(query.author.trim().toLowerCase())));
  }
  if (query.bots !== undefined) where.push(`e.bot = ${param(dialect.flag(query.bots))}`);
  if (query.affects === true) where.push(`e.affects = ${param(dialect.flag(true))}`);
  const facts: Array<[TermKind, string | undefined]> = [
    ["module", query.module],
    ["symbol", query.symbol],
    ["env", query.envVar],
    ["flag", query.flag],
    ["dependency", query.dependency],
  ];
  for (const [kind, name] of facts) {
    if (name === undefined || name === "") continue;
    // IN, not EXISTS: both planners then start from the primary key (kind, name, entry_id).
    where.push(`e.id IN (SELECT t.entry_id FROM search_terms t WHERE t.kind = '${kind}' AND t.name = ${param(name)})`);
  }
  if (hasPath(query)) {
    if (paths === undefined) throw new InternalError("a search with a path glob needs its path names resolved first (preparePathNames)");
    const names = paths.all ? toPathFilter(query.path, param).narrowing : paths.names.length > 0 ? dialect.oneOf("t.name", paths.names) : undefined;
    where.push(names === undefined ? "1 = 0" : `e.id IN (SELECT t.entry_id FROM search_terms t WHERE t.kind = 'path' AND ${names})`);
  }

  const conditions = where.join("\n        AND ");
  // The repositories' names are joined to the page's rows alone: counting joins nothing.
  const from = `search_entries e ${match?.join ?? ""}`;
  const newest = "e.committed_ms DESC, e.sha DESC, e.id DESC";
  // The page's bounds are placeholders too, placed only in the statement returned (each
  // placeholder recorded is used): a statement's text then depends on the filters alone, and the
  // store prepares a few dozen of them, not one per page and page size (a thread that prepares
  // every search anew holds their native memory until its next full collection).
  const page = () => `LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}`;
  if (match === undefined) {
    const browse = `SELECT (SELECT count(*) FROM ${from} WHERE ${conditions}) AS total, ${HIT_COLUMNS}
    FROM (SELECT 1 AS one) head
    LEFT JOIN (
      (SELECT e.id, e.committed_ms AS ms FROM ${from} WHERE ${conditions} ORDER BY ${newest} ${page()}) page
      JOIN search_entries e ON e.id = page.id JOIN repositories r ON r.id = e.repo_id
    ) ON 1 = 1
    ORDER BY page.ms DESC, e.sha DESC, e.id DESC`;
    return { terms, sql: browse };
  }

  const ranked = `WITH matched AS MATERIALIZED (
      SELECT e.id, e.committed_ms AS ms, e.sha, ${match.rank} AS rank
      FROM ${from}
      WHERE ${conditions}
    ),
    page AS (SELECT id, ms, sha, rank FROM matched ORDER BY rank DESC, ms DESC, sha DESC, id DESC ${page()})
    SELECT (SELECT count(*) FROM matched) AS total, ${HIT_COLUMNS}
    FROM (SELECT 1 AS one) head
    LEFT JOIN (page JOIN search_entries e ON e.id = page.id JOIN repositories r ON r.id = e.repo_id) ON 1 = 1
    ORDER BY page.rank DESC, page.ms DESC, page.sha DESC, page.id DESC`;
  return { terms, sql: ranked };
}

/** Whether the query has a path glob (a blank one is none). */
export function hasPath(query: SearchQuery): query is SearchQuery & { path: string } {
  return query.path !== undefined && query.path.trim() !== "";
}

/** Conditions of both search and trends: language, repositories, period. */
function entryFilter(query: { lang: string; repos?: string[]; since?: string; until?: string }, dialect: Dialect): string[] {
  if (!isLang(query.lang)) throw badValue("lang", query.lang, "zh-CN, en");
  const where = [`e.lang = ${dialect.param(query.lang)}`];
  if (query.repos !== undefined && query.repos.length > 0) {
    where.push(`e.repo_id IN (SELECT r.id FROM repositories r WHERE ${dialect.oneOf("r.name", query.repos)})`);
  }
  if (query.since !== undefined) where.push(`e.committed_ms >= ${dialect.param(readInstant("since", query.since))}`);
  if (query.until !== undefined) where.push(`e.committed_ms < ${dialect.param(readInstant("until", query.until))}`);
  return where;
}

/**
 * The columns of a hit, and the texts its snippet is cut from; each named, as SQLite would
 * name a column of the parenthesized join `x:1` where another column of it has that name.
 */
export const HIT_COLUMNS = ["id", "sha", "title", "committed_at", "author", "importance", "change_type", "body", "pr_title", "pr_body", "analysis_text"]
  .map((column) => `e.${column} AS ${column}`)
  .concat("r.name AS repo")
  .join(", ");

export interface HitRow {
  id: number;
  repo: string;
  sha: string;
  title: string;
  committed_at: string;
  author: string;
  importance: Importance;
  change_type: ChangeType;
  body: string;
  pr_title: string | null;
  pr_body: string | null;
  analysis_text: string;
}

export function toSearchHit(row: HitRow, terms: readonly string[]): SearchHit {
  return {
    repo: row.repo,
    sha: row.sha,
    title: row.title,
    committedAt: row.committed_at,
    author: row.author,
    importance: row.importance,
    changeType: row.change_type,
    snippet: makeSnippet(row, terms),
  };
}

/** The statement's rows as the answer: one row even for an empty page, holding `total`. */
export function finishSearch(rows: ReadonlyArray<HitRow & { total: number | string }>, terms: readonly string[]): { total: number; hits: SearchHit[] } {
  const total = Number(rows[0]?.total ?? 0);
  return { total, hits: rows.filter((row) => row.sha !== null).map((row) => toSearchHit(row, terms)) };
}


// ---------------------------------------------------------------------------------------------
// Snippets.

/**
 * Plain text (white space as single spaces) around the first match of any term, at most
 * {@link SNIPPET_CHARS} characters, "…" where cut. The body, the PR's text and the analysis
 * are searched before the titles, which the page shows anyway; without text (or a match only
 * where none is stored), the start of the analysis, else of the body.
 */
export function makeSnippet(
  row: Pick<HitRow, "title" | "body" | "pr_title" | "pr_body" | "analysis_text">,
  terms: readonly string[],
): string {
  const texts = [row.body, row.pr_body, row.analysis_text, row.pr_title, row.title].map((text) => plainText(text ?? ""));
  if (terms.length > 0) {
    const pattern = new RegExp(terms.map(escapeRegExp).join("|"), "iu");
    for (const text of texts) {
      const found = pattern.exec(text);
      if (found) return cutAround(text, [...text.slice(0, found.index)].length);
    }
  }
  const [body, prBody, analysis, prTitle, title] = texts;
  return cutAround([analysis, body, prBody, prTitle, title].find((text) => text !== "") ?? "", 0);
}

function plainText(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+");
}

/** Characters kept before the match, so that a reader sees what it is about. */
const LEAD = 40;

function cutAround(text: string, at: number): string {
  const chars = [...text];
  if (chars.length <= SNIPPET_CHARS) return text;
  let start = Math.max(0, at - LEAD);
  // Not inside a word where a space is near (Chinese has none: cut anywhere).
  if (start > 0) {
    const space = chars.indexOf(" ", start);
    if (space !== -1 && space < at && space - start < 20) start = space + 1;
  }
  // Near the end: start earlier, so that the snippet is as long as it may be.
  if (chars.length - start < SNIPPET_CHARS - 1) start = chars.length - (SNIPPET_CHARS - 1);
  const head = start > 0 ? "…" : "";
  const room = SNIPPET_CHARS - head.length;
  if (chars.length - start <= room) return head + chars.slice(start).join("");
  return `${head}${chars.slice(start, start + room - 1).join("").trimEnd()}…`;
}

// ---------------------------------------------------------------------------------------------
// Trends.

export interface PreparedTrends {
  days: string;
  modules: string;
  authors: string;
}

/** Three statements over one filter (their params shared): per day, hotspots, authors. */
export function prepareTrends(query: { repos?: string[]; since: string; until: string; lang: string }, dialect: Dialect): PreparedTrends {
  if (query.since === undefined || query.until === undefined) throw new InputError("trends: since and until are both required", { hint: "give the period as ISO instants" });
  const where = entryFilter(query, dialect).join(" AND ");
  const from = "search_entries e";
  return {
    days: `SELECT e.day,
        count(*) FILTER (WHERE e.importance_rank = 3) AS high,
        count(*) FILTER (WHERE e.importance_rank = 2) AS medium,
        count(*) FILTER (WHERE e.importance_rank = 1) AS low,
        coalesce(sum(e.api_added), 0) AS added,
        coalesce(sum(e.api_removed), 0) AS removed,
        count(*) FILTER (WHERE e.breaking) AS breaking,
        count(*) FILTER (WHERE e.dependency_count > 0) AS dependencies
      FROM ${from} WHERE ${where} GROUP BY e.day ORDER BY e.day`,
    modules: `SELECT c.module, count(*) AS commits, sum(c.lines) AS lines
      FROM search_churn c JOIN search_entries e ON e.id = c.entry_id WHERE ${where}
      GROUP BY c.module ORDER BY lines DESC, c.module LIMIT ${TRENDS_TOP}`,
    authors: `SELECT e.author, ${dialect.anyFlag("e.bot")} AS bot, count(*) AS commits
      FROM ${from} WHERE ${where}
      GROUP BY e.author ORDER BY commits DESC, e.author LIMIT ${TRENDS_TOP}`,
  };
}

interface DayRow {
  day: string;
  high: number | string;
  medium: number | string;
  low: number | string;
  added: number | string;
  removed: number | string;
  breaking: number | string;
  dependencies: number | string;
}

/**
 * The three answers as {@link Trends}. The per-day series list the same days, every day with
 * an indexed commit (zeros included), so that charts line up; days without one are absent.
 */
export function toTrends(
  days: readonly DayRow[],
  modules: ReadonlyArray<{ module: string; commits: number | string; lines: number | string }>,
  authors: ReadonlyArray<{ author: string; bot: number | boolean; commits: number | string }>,
): Trends {
  return {
    perDay: days.map((row) => ({ day: row.day, high: Number(row.high), medium: Number(row.medium), low: Number(row.low) })),
    modules: modules.map((row) => ({ module: row.module, commits: Number(row.commits), lines: Number(row.lines) })),
    api: days.map((row) => ({ day: row.day, added: Number(row.added), removed: Number(row.removed), breaking: Number(row.breaking) })),
    dependencies: days.map((row) => ({ day: row.day, commits: Number(row.dependencies) })),
    authors: authors.map((row) => ({ author: row.author, bot: row.bot === true || row.bot === 1, commits: Number(row.commits) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Checks shared by the calls.

export function checkPage(limit: number, offset: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw badValue("limit", limit, `a whole number from 1 to ${MAX_LIMIT}`);
  if (!Number.isSafeInteger(offset) || offset < 0) throw badValue("offset", offset, "a whole number from 0");
}

/** An ISO instant as milliseconds since the epoch. */
function readInstant(name: string, value: string): number {
  const millis = Date.parse(value);
  if (typeof value !== "string" || Number.isNaN(millis)) throw badValue(name, value, "an ISO instant such as 2026-01-17T00:00:00Z");
  return millis;
}

function badValue(name: string, value: unknown, allowed: string): InputError {
  return new InputError(`search: ${name} ${JSON.stringify(value)} is not allowed; expected ${allowed}`, { hint: `correct ${name}` });
}

/**
 * A short or full SHA as a range of the (repo_id, sha, lang) key: [prefix, prefix + "g"), as
 * every hex digit sorts before "g". Undefined for anything that is not 4 to 40 hex digits.
 */
export function shaRange(sha: string): { from: string; to: string } | undefined {
  const prefix = sha.trim().toLowerCase();
  if (!/^[0-9a-f]{4,40}$/.test(prefix)) return undefined;
  return { from: prefix, to: `${prefix}g` };
}

export function ambiguousSha(repo: string, sha: string): InputError {
  return new InputError(`the short SHA ${sha} names more than one commit of ${repo}`, { hint: "give more of its characters" });
}
