/**
 * What the HTTP server calls for each request: the app, behind its kept answers. A request
 * the gate lets through (src/serve/security.ts) is answered from the cache while the store's
 * version holds, without going through the app at all (one lookup and one write: thousands
 * a second on one core); anything else goes to the app, whose answer is kept when it is a
 * 200, the same for everyone (no cookie set), and its address was asked before
 * (response-cache.ts: a search asked once is not worth keeping).
 */
import { createApp, type AppOptions } from "./create-app.js";
import { createResponseCache, type CachedAnswer } from "./response-cache.js";
import { createGate } from "./security.js";
import type { StoreVersion } from "./store-version.js";

/** Kept answers: 64 MiB at most, none over 4 MiB (a report of a very busy day is rendered each time). */
const CACHE_BYTES = 64 * 1024 * 1024;
const CACHE_ENTRY_BYTES = 4 * 1024 * 1024;

/** The node server's second argument: the raw request, whose headers are a plain object (cheaper than Request.headers). */
export type Handler = (request: Request, env?: { incoming?: { headers: Record<string, string | string[] | undefined> } }) => Promise<Response> | Response;

export function createHandler(options: AppOptions & { storeVersion?: StoreVersion }): Handler {
  const app = createApp(options);
  const { storeVersion } = options;
  if (!storeVersion) return (request) => app.fetch(request);
  const cache = createResponseCache({ maxBytes: CACHE_BYTES, maxEntryBytes: CACHE_ENTRY_BYTES });
  const gate = createGate(options.token);
  return async (request, env) => {
    if (request.method !== "GET" && request.method !== "HEAD") return app.fetch(request);
    const key = request.url;
    // A ?token= visit (its answer sets a cookie) is the app's to answer, as is every refusal.
    if (key.includes("token=")) return app.fetch(request);
    const raw = env?.incoming?.headers;
    const header = raw ? (name: string) => first(raw[name]) : (name: string) => request.headers.get(name) ?? undefined;
    if (!gate({ header, query: () => undefined }).pass) return app.fetch(request);
    let own: Response | undefined;
    const answer = await cache.get(key, storeVersion(), async (): Promise<CachedAnswer | undefined> => {
      // Made with GET, so that a HEAD first keeps the body for the GETs after it.
      own = await app.fetch(request.method === "GET" ? request : new Request(request.url, { headers: request.headers }));
      if (own.status !== 200 || own.headers.has("set-cookie")) return undefined;
      const headers = Object.fromEntries(own.headers.entries());
      delete headers["content-length"];
      const body = new Uint8Array(await own.arrayBuffer());
      own = undefined;
      return { status: 200, headers, body };
    });
    if (answer) return new Response(request.method === "HEAD" ? null : answer.body, { status: answer.status, headers: answer.headers });
    // Not kept: the first asker has its own answer; one who waited for it asks the app itself.
    return own ?? app.fetch(request);
  };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
