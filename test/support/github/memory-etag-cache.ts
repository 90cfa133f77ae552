import type { EtagCache } from "../../../src/github/types.js";

/** An EtagCache that lives as long as the process, for the GitHub client tests (runs keep theirs in the store). */
export function createMemoryEtagCache(): EtagCache {
  const entries = new Map<string, { etag: string; body: unknown }>();
  return {
    get: async (key) => entries.get(key),
    set: async (key, etag, body) => {
      entries.set(key, { etag, body });
    },
  };
}
