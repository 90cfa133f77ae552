/**
 * Answers kept until the store changes. A page costs a few store queries (tens of ms for a
 * search of 10,000 commits on SQLite, which blocks the event loop meanwhile) and the same
 * page asked again is the same bytes until a report writes to the store; so each answer is
 * kept with the store's version, and given again while the version holds. Concurrent asks
 * for one address wait for the first one's answer instead of each querying the store. The
 * cache is bounded in bytes (least recently used out first), so memory stays flat.
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

export function createResponseCache(options: { maxBytes: number; maxEntryBytes: number }): ResponseCache {
  const entries = new Map<string, { version: string; answer: CachedAnswer }>();
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
      const making = make().then(
        (answer) => {
          if (answer) keep(key, version, answer);
          else remove(key);
          return answer;
        },
      );
      pending.set(`${version}\n${key}`, making);
      try {
        return await making;
      } finally {
        pending.delete(`${version}\n${key}`);
      }
    },
  };
}
