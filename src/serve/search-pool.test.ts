import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, afterAll, describe, expect, it } from "vitest";
import { openStore } from "../store/open-store.js";
import type { SearchEntry, Store } from "../store/types.js";
import { makeSearchEntry, makeSha, makeTempDir } from "../../test/support/store/fixtures.js";
import { createHandler } from "./create-handler.js";
import { createSearchPool, withSearchPool, type SearchPool } from "./search-pool.js";
import { listen, type Listening } from "./start-server.js";

const REPO = "acme/widgets";
const GATED_WORKER = new URL("../../test/support/serve/gated-search-worker.ts", import.meta.url);

function makeEntry(n: number): SearchEntry {
  return makeSearchEntry(n, {
    committedAt: `2026-01-${String(10 + (n % 9)).padStart(2, "0")}T07:00:00Z`,
    title: n % 2 === 0 ? `fix: the scheduler drops a task ${n}` : `docs: housekeeping ${n}`,
    changeType: n % 2 === 0 ? "bugfix" : "docs",
  });
}

let dataDir: string;
let file: string;
let store: Store;

beforeAll(async () => {
  dataDir = makeTempDir();
  file = join(dataDir, "repo-digest.sqlite");
  const writer = openStore(file);
  const { id } = await writer.upsertRepository("https://github.com/acme/widgets.git", REPO);
  await writer.indexCommits(id, Array.from({ length: 20 }, (_, n) => makeEntry(n)));
  await writer.close();
  store = openStore(file, { readonly: true });
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The app on a real server, its searches through a pool of gated threads; `release(n)` lets n searches run. */
async function serveGated(options: { size: number; maxQueue?: number; maxWaitMs?: number }) {
  const gate = new Int32Array(new SharedArrayBuffer(8));
  const pool = createSearchPool({ file, ...options, worker: { url: GATED_WORKER, data: { gate: gate.buffer } } });
  await pool.ready();
  const listening = await listen(createHandler({ store: withSearchPool(store, pool), version: "test", defaultLang: "en" }), "127.0.0.1", 0);
  opened.push({ pool, listening, gate });
  return {
    url: (path: string) => new URL(path, listening.url),
    release: (count: number) => {
      Atomics.add(gate, 0, count);
      Atomics.notify(gate, 0);
    },
    /** Resolves once `count` searches have reached a thread. */
    reached: (count: number) => until(() => Atomics.load(gate, 1) >= count),
    waiting: (count: number) => until(() => pool.load.waiting === count),
  };
}
const opened: Array<{ pool?: SearchPool; listening: Listening; gate?: Int32Array }> = [];
afterEach(async () => {
  for (const { pool, listening, gate } of opened.splice(0)) {
    if (gate) {
      Atomics.add(gate, 0, 1000);
      Atomics.notify(gate, 0);
    }
    await listening.close();
    await pool?.close();
  }
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Settles with the response, and says whether it has yet. */
function track(request: Promise<Response>) {
  const state = { settled: false, response: request.finally(() => (state.settled = true)) };
  return state;
}

describe("searches in worker threads", () => {
  it("answer what the store answers", async () => {
    const server = await serveGated({ size: 1 });
    server.release(10);
    const pooled = (await (await fetch(server.url("/api/v1/search?q=scheduler&limit=3&page=2"))).json()) as { total: number };
    const direct = (await (await fetch(new URL("/api/v1/search?q=scheduler&limit=3&page=2", (await listenDirect()).listening.url))).json()) as unknown;
    expect(pooled).toEqual(direct);
    expect(pooled.total).toBe(10);
  });

  it("a search still running does not hold up a commit page", async () => {
    const server = await serveGated({ size: 1 });
    const search = track(fetch(server.url("/search?q=scheduler")));
    await server.reached(1);
    // The search holds its thread; the page is read on the server's own.
    const page = await fetch(server.url(`/repos/${REPO}/commits/${makeSha(2)}`));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("the scheduler drops a task 2");
    expect(search.settled).toBe(false);
    server.release(1);
    const answer = await search.response;
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain("the scheduler drops a task");
  });

  it("a full queue answers 503 with Retry-After at once, and the searches before it still answer", async () => {
    const server = await serveGated({ size: 1, maxQueue: 1, maxWaitMs: 60_000 });
    const running = track(fetch(server.url("/search?q=scheduler")));
    await server.reached(1);
    const queued = track(fetch(server.url("/api/v1/search?q=scheduler&page=2")));
    await server.waiting(1);
    const refused = await fetch(server.url("/api/v1/search?q=housekeeping"));
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/busy: 1 searches are waiting/);
    expect(running.settled || queued.settled).toBe(false);
    server.release(2);
    expect((await running.response).status).toBe(200);
    expect((await queued.response).status).toBe(200);
  });

  it("a search that waits longer than maxWaitMs for a thread answers 503 with Retry-After", async () => {
    const server = await serveGated({ size: 1, maxWaitMs: 100 });
    const running = track(fetch(server.url("/search?q=scheduler")));
    await server.reached(1);
    const waited = await fetch(server.url("/search?q=housekeeping"));
    expect(waited.status).toBe(503);
    expect(waited.headers.get("retry-after")).toBe("1");
    expect(await waited.text()).toContain("waited 100 ms");
    expect(running.settled).toBe(false);
    server.release(1);
    expect((await running.response).status).toBe(200);
  });

  it("a bad query from a thread is still a 400 naming the problem", async () => {
    const server = await serveGated({ size: 1 });
    server.release(10);
    const words = Array.from({ length: 17 }, (_, n) => `word${n}`).join(" ");
    const answer = await fetch(server.url(`/api/v1/search?q=${encodeURIComponent(words)}`));
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: { message: string } }).error.message).toMatch(/17 words in the text, at most 16/);
  });
});

/** The app over the store itself, no pool. */
async function listenDirect() {
  const listening = await listen(createHandler({ store, version: "test", defaultLang: "en" }), "127.0.0.1", 0);
  opened.push({ listening });
  return { listening };
}
