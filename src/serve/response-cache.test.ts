import { describe, expect, it } from "vitest";
import { createResponseCache, type CachedAnswer } from "./response-cache.js";

const answer = (text: string): CachedAnswer => ({ status: 200, headers: {}, body: new TextEncoder().encode(text) });
const textOf = (kept: CachedAnswer | undefined) => (kept ? new TextDecoder().decode(kept.body) : undefined);

describe("kept answers", () => {
  it("gives an answer again while the store's version holds, and makes it again when it changes", async () => {
    const cache = createResponseCache({ maxBytes: 1000, maxEntryBytes: 1000 });
    let made = 0;
    const make = async () => answer(`made ${++made}`);
    expect(textOf(await cache.get("/a", "v1", make))).toBe("made 1");
    // Asked again: made again, and kept from now on.
    expect(textOf(await cache.get("/a", "v1", make))).toBe("made 2");
    expect(textOf(await cache.get("/a", "v1", make))).toBe("made 2");
    expect(textOf(await cache.get("/a", "v2", make))).toBe("made 3");
    expect(textOf(await cache.get("/a", "v2", make))).toBe("made 3");
    expect(cache.stats).toMatchObject({ hits: 2, misses: 3, entries: 1, bytes: 6 });
  });

  it("keeps no answer asked once: unique searches leave the cache empty and the often-opened pages in it", async () => {
    const cache = createResponseCache({ maxBytes: 100, maxEntryBytes: 100, seenKeys: 50 });
    let home = 0;
    for (const _ of [1, 2]) await cache.get("/", "v", async () => answer(`home ${++home}`));
    for (let index = 0; index < 1000; index++) await cache.get(`/search?q=${index}`, "v", async () => answer("a result page"));
    expect(cache.stats).toMatchObject({ entries: 1, bytes: 6 });
    expect(textOf(await cache.get("/", "v", async () => answer("never")))).toBe("home 2");
    // An address asked twice among the last `seenKeys` is kept.
    await cache.get("/search?q=999", "v", async () => answer("again"));
    expect(textOf(await cache.get("/search?q=999", "v", async () => answer("never")))).toBe("again");
  });

  it("makes an answer once however many ask for it at the same time", async () => {
    const cache = createResponseCache({ maxBytes: 1000, maxEntryBytes: 1000 });
    let made = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const make = async () => {
      made++;
      await gate;
      return answer("once");
    };
    const asks = Array.from({ length: 50 }, () => cache.get("/slow", "v1", make));
    release();
    expect((await Promise.all(asks)).map(textOf)).toEqual(Array.from({ length: 50 }, () => "once"));
    expect(made).toBe(1);
  });

  it("keeps at most its bytes, the least recently used going first, and nothing over an entry's limit", async () => {
    const cache = createResponseCache({ maxBytes: 10, maxEntryBytes: 8 });
    // Each asked twice, so that each is kept.
    for (const _ of [1, 2]) await cache.get("/a", "v", async () => answer("aaaa"));
    for (const _ of [1, 2]) await cache.get("/b", "v", async () => answer("bbbb"));
    // /a used again: /b is now the oldest and goes when /c comes.
    await cache.get("/a", "v", async () => answer("never"));
    for (const _ of [1, 2]) await cache.get("/c", "v", async () => answer("cccc"));
    expect(cache.stats).toMatchObject({ entries: 2, bytes: 8 });
    expect(textOf(await cache.get("/b", "v", async () => answer("BBBB")))).toBe("BBBB");
    for (const _ of [1, 2]) expect(textOf(await cache.get("/big", "v", async () => answer("x".repeat(9))))).toBe("x".repeat(9));
    expect(textOf(await cache.get("/big", "v", async () => answer("again")))).toBe("again");
    expect(cache.stats.bytes).toBeLessThanOrEqual(10);
  });

  it("keeps nothing for an answer not given (an error)", async () => {
    const cache = createResponseCache({ maxBytes: 100, maxEntryBytes: 100 });
    for (const _ of [1, 2]) await cache.get("/e", "v", async () => answer("ok"));
    expect(cache.stats.entries).toBe(1);
    expect(await cache.get("/e", "v2", async () => undefined)).toBeUndefined();
    expect(textOf(await cache.get("/e", "v2", async () => answer("later")))).toBe("later");
  });
});
