import { readFileSync } from "node:fs";
import * as z from "zod";
import { InputError } from "../../errors.js";

/**
 * The feed's entries as data, kept in `<feed>.entries.json` beside the feed. The feed XML
 * is rebuilt from this list on every run rather than parsed back: a reader of our own
 * XML breaks the day a tool reformats the file or an escaping rule changes, while the
 * JSON is checked by a schema, and rebuilding means every entry, old ones included, is
 * escaped by today's rules.
 */
const entrySchema = z.object({
  /** Period and repositories: the same report run again has the same key. */
  key: z.string().min(1),
  id: z.string().min(1),
  title: z.string(),
  link: z.string().optional(),
  /** ISO instants. */
  published: z.string(),
  updated: z.string(),
  /** End of the report's period, for newest-first order. */
  periodUntil: z.string(),
  summary: z.string(),
  /** HTML, escaped into the feed as `<content type="html">`. */
  contentHtml: z.string(),
});

const stateSchema = z.object({
  version: z.literal(1),
  feedId: z.string().min(1),
  /** The day the feed was started (UTC), the date part of the entries' tag: URIs. */
  created: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  entries: z.array(entrySchema),
});

export type FeedEntry = z.infer<typeof entrySchema>;
export type FeedState = z.infer<typeof stateSchema>;

export function sidecarPath(feedPath: string): string {
  return `${feedPath.replace(/\.(atom|xml)$/i, "")}.entries.json`;
}

/** The stored state, or undefined when the feed has not been started. */
export function readFeedState(path: string): FeedState | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new InputError(`cannot read the feed's entry list ${path}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw brokenState(path, error);
  }
  const result = stateSchema.safeParse(parsed);
  if (!result.success) throw brokenState(path, result.error);
  return result.data;
}

function brokenState(path: string, cause: unknown): InputError {
  return new InputError(`the feed's entry list ${path} is damaged`, {
    hint: "restore it from a backup, or delete it together with the feed to start the feed afresh",
    cause,
  });
}

export function serializeFeedState(state: FeedState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

/**
 * Puts `entry` in the list: in place of the entry with the same key (keeping its id and
 * first publication), or as a new one; newest period first; the oldest beyond `max` dropped.
 */
export function upsertEntry(entries: readonly FeedEntry[], entry: FeedEntry, max: number): FeedEntry[] {
  const previous = entries.find((existing) => existing.key === entry.key);
  const merged = previous ? { ...entry, id: previous.id, published: previous.published } : entry;
  const others = entries.filter((existing) => existing.key !== entry.key);
  return [merged, ...others].sort(compareNewestFirst).slice(0, max);
}

function compareNewestFirst(a: FeedEntry, b: FeedEntry): number {
  return Date.parse(b.periodUntil) - Date.parse(a.periodUntil) || Date.parse(b.updated) - Date.parse(a.updated);
}
