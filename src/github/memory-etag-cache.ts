import type { EtagCache } from "./types.js";

/** An EtagCache that lives as long as the process: for one run, and for tests. */
export function createMemoryEtagCache(): EtagCache {
  const entries = new Map<string, { etag: string; body: unknown }>();
  return {
    get: (key) => entries.get(key),
    set: (key, etag, body) => {
      entries.set(key, { etag, body });
    },
  };
}
