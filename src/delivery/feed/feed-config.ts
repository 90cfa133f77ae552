import * as z from "zod";

/** `delivery.feed`: one Atom feed that gains an entry per report. */
export const feedConfigSchema = z.strictObject({
  /**
   * The feed file (`.atom` or `.xml`), or a folder to hold `feed.atom`; relative paths
   * are taken from the output folder.
   */
  path: z.string().min(1).default("feed.atom"),
  /** Default: "repo-digest 日报" / "repo-digest daily reports". */
  title: z.string().min(1).optional(),
  /** The feed's permanent id (an IRI, RFC 4287 §4.2.6); default: a urn:uuid made on the first run and kept. */
  id: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/, { message: "an absolute IRI, such as https://example.com/digest/feed.atom or urn:uuid:…" })
    .optional(),
  /** Where the feed and the reports are published; links become absolute under it. */
  baseUrl: z.string().url().optional(),
  maxEntries: z.number().int().min(1).max(1_000).default(60),
});

export type FeedConfig = z.infer<typeof feedConfigSchema>;
export type FeedConfigInput = z.input<typeof feedConfigSchema>;
