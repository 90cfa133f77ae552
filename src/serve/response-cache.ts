/**
 * Answers kept until the store changes. A page costs a few store queries (tens of ms for a
 * search of 10,000 commits on SQLite, which blocks the event loop meanwhile) and the same
 * page asked again is the same bytes until a report writes to the store; so each answer is
 * kept with the store's version, and given again while the version holds. Concurrent asks
 * for one address wait for the first one's answer instead of each querying the store. The
 * cache is bounded in bytes (least recently used out first), so memory stays flat.
 *
 * An answer is kept from the second time its address is asked, not the first: most searches
 * are asked once (each a new query, a new page), and keeping every one would fill the cache
 * with answers no one asks again, pushing out the pages everyone opens and holding 64 MiB
 * that serve nothing (measured: unique searches at 200 clients filled it in two minutes).
 * The addresses seen once are remembered in a bounded set (a few hundred KiB), forgotten
 * together when it is full: an address asked twice within the last `seenKeys` is kept.
 */

export interface CachedAnswer {
  status: number;
  /** Lower-case names, as the node server writes a plain object of them. */
  headers: Readonly<Record<string, string>>;
  body: Uint8Array;
}


export interface ResponseCache {
  /** The answer for `key`: kept while `version` holds, else made by `make` (once, however many ask at once). */
  get(key: string, version: string, make: () => Promise<CachedAnswer | undefined>): Promise<CachedAnswer | undefined>;
  readonly stats: { hits: number; misses: number; bytes: number; entries: number };
}

export interface ResponseCacheOptions {
  maxBytes: number;
  maxEntryBytes: number;
  /** Addresses asked once remembered at most (default 4,096): only an address asked again is kept. */
  seenKeys?: number;
}

export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const entries = new Map<string, { version: string; answer: CachedAnswer }>();
  const seen = new Set<string>();
  const seenKeys = options.seenKeys ?? 4096;
  /** Whether `key` was asked before (then it may be kept); remembers it if not. */
  const askedBefore = (key: string): boolean => {
    if (seen.has(key) || entries.has(key)) return true;
    if (seen.size >= seenKeys) seen.clear();
    seen.add(key);
    return false;
  };
  const pending = new Map<string, Promise<CachedAnswer | undefined>>();
  const stats = { hits: 0, misses: 0, bytes: 0, entries: 0 };

  const remove = (key: string) => {
    const old = entries.get(key);
    if (!old) return;
    entries.delete(key);
    stats.bytes -= old.answer.body.byteLength;
  };
  const keep = (key: string, version: string, answer: CachedAnswer) => {
    remove(key);
    if (answer.body.byteLength > options.maxEntryBytes) return;
    entries.set(key, { version, answer });
    stats.bytes += answer.body.byteLength;
    // A Map iterates in insertion order: the first key is the least recently used.
    for (const oldest of entries.keys()) {
      if (stats.bytes <= options.maxBytes) break;
      remove(oldest);
    }
    stats.entries = entries.size;
  };

  return {
    stats,
    async get(key, version, make) {
      const kept = entries.get(key);
      if (kept && kept.version === version) {
        stats.hits++;
        entries.delete(key);
        entries.set(key, kept);
        return kept.answer;
      }
      const waiting = pending.get(`${version}\n${key}`);
      if (waiting) {
        stats.hits++;
        return waiting;
      }
      stats.misses++;
      const worthKeeping = askedBefore(key);
      const making = make().then((answer) => {
        if (answer && worthKeeping) {
          seen.delete(key);
          keep(key, version, answer);
        } else if (!answer) remove(key);
        return answer;
      });
      pending.set(`${version}\n${key}`, making);
      try {
        return await making;
      } finally {
        pending.delete(`${version}\n${key}`);
      }
    },
  };
}
