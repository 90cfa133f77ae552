/**
 * The documents `--json` prints on stdout for `repos list`, `deliver` and `daemon --once`
 * (and their `--dry-run` plans): one object each, pretty-printed with two spaces, ending
 * with a newline, `schemaVersion` first. The schemas are the contract: a script may parse
 * the output with them, and the tests parse every document the CLI prints through them.
 * Versioning follows the report's (docs/report-schema.md): a field added keeps the
 * version, a field removed or renamed, or a meaning changed, raises it.
 */
import * as z from "zod";
import { subscriptionFilterSchema } from "../subscriptions/subscription-config.js";

export const CLI_JSON_VERSION = 1;

const schemaVersion = z.literal(CLI_JSON_VERSION);

/** `repos list --json`. */
export const reposListDocument = z.strictObject({
  schemaVersion,
  /** The config file read (absolute), or null when there is none. */
  config: z.string().nullable(),
  repos: z.array(
    z.strictObject({
      name: z.string(),
      source: z.enum(["git", "github-api"]),
      /** Absolute: the config's relative paths are taken from its folder. */
      path: z.string().optional(),
      /** Without credentials: `https://***@host/...` where the config holds some. */
      url: z.string().optional(),
      branch: z.string().optional(),
    }),
  ),
});

/** `repos add --org <login> --json` (and with `--dry-run`: what would be added). */
export const reposAddOrgDocument = z.strictObject({
  schemaVersion,
  /** The config file written (or, a dry run, that would be). */
  config: z.string(),
  owner: z.string(),
  ownerKind: z.enum(["organisation", "user"]),
  /** true: nothing was written. */
  dryRun: z.boolean(),
  added: z.array(z.strictObject({ name: z.string(), url: z.string(), source: z.enum(["git", "github-api"]) })),
  /** Each under the first reason that applies: excluded by the globs, archived, a fork, already tracked. */
  skipped: z.array(z.strictObject({ name: z.string(), reason: z.enum(["excluded", "archived", "fork", "tracked"]) })),
});

/** `subscriptions list --json`: each subscription, its filter (defaults applied) and in words, its channel without secrets. */
export const subscriptionsListDocument = z.strictObject({
  schemaVersion,
  /** The config file read (absolute), or null when there is none. */
  config: z.string().nullable(),
  subscriptions: z.array(
    z.strictObject({
      name: z.string(),
      /** The name its deliveries are recorded under (`deliver`, `deliver --retry`). */
      deliveryChannel: z.string(),
      /** The channel type: slack, email, webhook… */
      channel: z.string(),
      /** Where it sends, without secrets ("slack:hooks.slack.com"), or why that is not known (a variable not set). */
      target: z.string(),
      filter: subscriptionFilterSchema,
      description: z.string(),
    }),
  ),
});

/**
 * One report and one channel. `delivered` and `failed`: what happened now (or, for the
 * `deliver` listing, how the last attempt ended); `planned`: a dry run would send it;
 * `skipped`: not attempted (a dry run, or no channel under `delivery:`), `error` says why.
 */
export const deliveryEntry = z.strictObject({
  channel: z.string(),
  /** The report's base name, as its files are named: "2026-01-17--acme-engine". */
  report: z.string(),
  /** The period the report covers: "2026-01-17". */
  period: z.string(),
  status: z.enum(["delivered", "failed", "planned", "skipped"]),
  /** Where it went (or would go), without secrets: "slack:hooks.slack.com", a file path. */
  target: z.string().optional(),
  /** Attempts so far (the `deliver` listing). */
  attempts: z.number().int().optional(),
  error: z.string().optional(),
});

export type DeliveryEntry = z.infer<typeof deliveryEntry>;

/** `deliver --json`, `deliver --retry --json`, `deliver --dry-run --json`. */
export const deliverDocument = z.strictObject({
  schemaVersion,
  /** true: nothing was sent; `deliveries` is what `--retry` would do. */
  dryRun: z.boolean(),
  deliveries: z.array(deliveryEntry),
  exitCode: z.number().int(),
});

/** One day of a `daemon --once` run (or of its plan). */
export const daemonDay = z.strictObject({
  day: z.string(),
  /**
   * done: settled (exitCode 0, 5: a channel missed it, 6: written with gaps); not-done: tried
   * again at the next run; given-up: after too many attempts; planned: a dry run would report it.
   */
  outcome: z.enum(["done", "not-done", "given-up", "planned"]),
  /** The day's report's exit code; absent when planned. */
  exitCode: z.number().int().optional(),
  /** For not-done days whose failure counts against the day: this attempt, of maxAttempts. */
  attempt: z.number().int().optional(),
  maxAttempts: z.number().int().optional(),
  reason: z.string().optional(),
  /** The files written (or, planned, that would be). */
  reports: z.array(z.string()),
});

export type DaemonDay = z.infer<typeof daemonDay>;

/** `daemon --once --json`, `daemon --dry-run --json`. */
export const daemonDocument = z.strictObject({
  schemaVersion,
  dryRun: z.boolean(),
  days: z.array(daemonDay),
  /** Missed days older than schedule.catchUpDays, left out. */
  skippedDays: z.array(z.string()),
  /** Earlier failed deliveries sent again first, then the deliveries of each day. */
  deliveries: z.array(deliveryEntry),
  /** The worst outcome, as the process exits with it (a dry run: 0). */
  exitCode: z.number().int(),
  /** A dry run: when the schedule fires next (the resident daemon's next tick after the first). */
  nextTick: z.string().optional(),
});

export type DaemonDocument = z.infer<typeof daemonDocument>;

/** Writes the document, checked against its schema first so that what is printed is what is documented. */
export function printJson<S extends z.ZodType>(schema: S, document: z.input<S>, write: (text: string) => void = (text) => void process.stdout.write(text)): void {
  write(`${JSON.stringify(schema.parse(document), null, 2)}\n`);
}

/**
 * Runs `fn` with whatever it writes to stdout sent to stderr instead. Under `--json`,
 * stdout holds the document alone; code shared with the human output (`report` prints the
 * paths it wrote on stdout) keeps its lines, on stderr.
 */
export async function withStdoutOnStderr<T>(fn: () => Promise<T>): Promise<T> {
  const original = process.stdout.write;
  process.stdout.write = ((...args: Parameters<typeof process.stderr.write>) => process.stderr.write(...args)) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = original;
  }
}
