import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { InputError } from "../../errors.js";
import type { Localized } from "../../i18n/lang.js";
import { fromOsError } from "../../os-errors.js";
import type { Channel, Delivery, DeliveryResult } from "../types.js";
import { writeFileAtomically } from "../file/write-file.js";
import { buildFeedEntry, withSlash } from "./build-entry.js";
import type { FeedConfig } from "./feed-config.js";
import { readFeedState, serializeFeedState, sidecarPath, upsertEntry, type FeedState } from "./feed-state.js";
import { renderAtom } from "./render-atom.js";

const DEFAULT_FILE = "feed.atom";
/** Waits of 0.1, 0.2, 0.4, 0.8, then 1 s: about 17 s for another run that holds the feed. */
const LOCK_RETRIES = 20;
const DEFAULT_TITLE: Localized = { "zh-CN": "repo-digest 日报", en: "repo-digest daily reports" };

export interface FeedChannelOptions {
  /** The output folder; a relative `path` in the config is taken from here. */
  dir: string;
}

/**
 * Keeps one Atom feed with an entry per report. Each delivery reads the entry list,
 * puts this report's entry in (replacing the one for the same period and repositories),
 * and writes the list, then the feed, each atomically; a lock keeps two runs that share
 * the feed from losing each other's entries.
 */
export function createFeedChannel(config: FeedConfig, options: FeedChannelOptions): Channel {
  const feedPath = resolveFeedPath(config.path, options.dir);
  const statePath = sidecarPath(feedPath);
  return {
    id: "feed",
    async deliver(delivery: Delivery): Promise<DeliveryResult[]> {
      try {
        mkdirSync(dirname(feedPath), { recursive: true });
      } catch (error) {
        throw new InputError(`cannot create the folder for the feed ${feedPath}`, { hint: "check feed.path", cause: error });
      }
      const release = await lockFeed(feedPath);
      try {
        const state = readFeedState(statePath) ?? startFeed(feedPath, statePath, config, delivery.report.generatedAt);
        const feedId = config.id ?? state.feedId;
        const entry = buildFeedEntry(delivery, {
          feedId,
          created: state.created,
          feedPath,
          reportDir: resolve(options.dir),
          ...(config.baseUrl === undefined ? {} : { baseUrl: config.baseUrl }),
        });
        const next: FeedState = { ...state, feedId, entries: upsertEntry(state.entries, entry, config.maxEntries) };
        const xml = renderAtom(
          {
            id: feedId,
            title: config.title ?? DEFAULT_TITLE[delivery.report.lang],
            lang: delivery.report.lang,
            ...(config.baseUrl === undefined ? {} : { selfUrl: new URL(encodeURIComponent(basename(feedPath)), withSlash(config.baseUrl)).href }),
            generatorVersion: delivery.report.generator.version,
          },
          next.entries,
        );
        // The list first: should the run die between the two writes, the next run
        // rebuilds the feed from the list, so the two never disagree for long.
        writeFileAtomically(statePath, serializeFeedState(next), { doing: "writing the feed's entry list" });
        writeFileAtomically(feedPath, xml, { doing: "writing the feed" });
      } finally {
        await release();
      }
      return [{ channel: "feed", target: feedPath, format: "atom" }];
    },
  };
}

function resolveFeedPath(path: string, dir: string): string {
  const absolute = resolve(dir, path);
  return /\.(atom|xml)$/i.test(absolute) ? absolute : join(absolute, DEFAULT_FILE);
}

function startFeed(feedPath: string, statePath: string, config: FeedConfig, now: string): FeedState {
  // Without its entry list, a feed file is either someone else's or one whose history we
  // would silently drop by writing over it.
  if (existsSync(feedPath)) {
    throw new InputError(`${feedPath} exists, but its entry list ${statePath} does not`, {
      hint: "restore the entry list, or move the feed file away to start a new feed",
    });
  }
  const feedId =
    config.id ?? (config.baseUrl === undefined ? `urn:uuid:${randomUUID()}` : new URL(encodeURIComponent(basename(feedPath)), withSlash(config.baseUrl)).href);
  return { version: 1, feedId, created: now.slice(0, 10), entries: [] };
}

async function lockFeed(feedPath: string): Promise<() => Promise<void>> {
  // Loaded by the one channel that locks: a run without a feed does not load it (bench/startup.bench.ts).
  const { default: lockfile } = await import("proper-lockfile");
  // Retried here, not by proper-lockfile, which retries every error: only another run's
  // lock (ELOCKED) is worth waiting for; a full disk or a read-only folder fails at once.
  for (let attempt = 0; ; attempt++) {
    try {
      // realpath off: the feed may not exist yet. A lock older than `stale` is a dead run's.
      return await lockfile.lock(feedPath, { realpath: false, stale: 30_000, retries: 0 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ELOCKED") {
        throw fromOsError(error, { doing: "locking the feed", path: feedPath }) ?? error;
      }
      if (attempt >= LOCK_RETRIES) {
        throw new InputError(`another run is writing the feed ${feedPath}`, { hint: "try again when it has finished", cause: error });
      }
      await delay(Math.min(100 * 2 ** attempt, 1_000));
    }
  }
}
