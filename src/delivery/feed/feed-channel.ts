import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import lockfile from "proper-lockfile";
import writeFileAtomic from "write-file-atomic";
import { InputError } from "../../errors.js";
import type { Localized } from "../../i18n/lang.js";
import type { Channel, Delivery, DeliveryResult } from "../types.js";
import { buildFeedEntry, withSlash } from "./build-entry.js";
import type { FeedConfig } from "./feed-config.js";
import { readFeedState, serializeFeedState, sidecarPath, upsertEntry, type FeedState } from "./feed-state.js";
import { renderAtom } from "./render-atom.js";

const DEFAULT_FILE = "feed.atom";
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
        await writeFileAtomic(statePath, serializeFeedState(next), { encoding: "utf8" });
        await writeFileAtomic(feedPath, xml, { encoding: "utf8" });
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
  try {
    // realpath off: the feed may not exist yet. A lock older than `stale` is a dead run's.
    return await lockfile.lock(feedPath, { realpath: false, stale: 30_000, retries: { retries: 20, minTimeout: 100, maxTimeout: 1_000 } });
  } catch (error) {
    throw new InputError(`another run is writing the feed ${feedPath}`, { hint: "try again when it has finished", cause: error });
  }
}
