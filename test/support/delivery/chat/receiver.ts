/**
 * A webhook receiver on loopback for the chat channel tests: it records every request,
 * refuses one its platform would refuse (see payloads.ts), and otherwise answers
 * from a script (status, headers, body), or never answers ("hang").
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
  at: number;
  /** Why the receiver refused the request, as its platform would have. */
  problem?: string;
}

export type Reply = { status?: number; headers?: Record<string, string>; body?: unknown } | "hang";

export interface TestReceiver {
  /** The receiver's address with `path` (which may hold a fake token to watch for in errors). */
  url(path?: string): string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * Answers request n with `replies[n]`, or `fallback` once the script runs out; a request
 * that `check` finds a problem with gets HTTP 400 instead. A body that is not a string is
 * sent as JSON.
 */
export async function startReceiver(
  replies: readonly Reply[] = [],
  fallback: Reply = { status: 200, body: "ok" },
  check?: (request: ReceivedRequest) => string | undefined,
): Promise<TestReceiver> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on("data", (part: Buffer) => parts.push(part));
    request.on("end", () => {
      const body = Buffer.concat(parts).toString("utf8");
      let json: unknown;
      try {
        json = JSON.parse(body) as unknown;
      } catch {
        json = undefined;
      }
      const index = requests.length;
      const received: ReceivedRequest = { method: request.method ?? "", url: request.url ?? "", headers: request.headers, body, json, at: Date.now() };
      const problem = check?.(received);
      requests.push(problem === undefined ? received : { ...received, problem });
      const reply = problem === undefined ? (replies[index] ?? fallback) : { status: 400, body: `refused: ${problem}` };
      if (reply === "hang") return;
      const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
      response.writeHead(reply.status ?? 200, {
        "content-type": typeof reply.body === "string" ? "text/plain" : "application/json",
        ...reply.headers,
      });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = "/hook") => `http://127.0.0.1:${port}${path}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
