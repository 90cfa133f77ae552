/**
 * A real smart-HTTP git server on loopback: node's http server in front of
 * `git http-backend` as a CGI program (git-http-backend(1)), behind Basic auth. A clone
 * without the right credentials gets a 401, as from a real host; every request's
 * Authorization header is kept so that a test can check what git sent.
 */
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>`; repositories are below it by their path under `root`. */
  url: string;
  /** Authorization headers of every request, in order ("" when none was sent). */
  authorizations: string[];
  /** Every authorised request: its path and when it was answered. */
  requests: ServedRequest[];
  close(): Promise<void>;
}

export interface ServedRequest {
  path: string;
  startedAt: number;
  endedAt: number | undefined;
}

export async function startGitHttpServer(
  root: string,
  credentials: { user: string; password: string },
  options: { delayMs?: number } = {},
): Promise<GitHttpServer> {
  const expected = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString("base64")}`;
  const authorizations: string[] = [];
  const requests: ServedRequest[] = [];
  const server = createServer((request, response) => {
    const authorization = request.headers.authorization ?? "";
    authorizations.push(authorization);
    if (authorization !== expected) {
      response.writeHead(401, { "WWW-Authenticate": 'Basic realm="git"', "Content-Type": "text/plain" });
      response.end("authentication required\n");
      return;
    }
    const served: ServedRequest = { path: new URL(request.url ?? "/", "http://localhost").pathname, startedAt: Date.now(), endedAt: undefined };
    requests.push(served);
    response.on("finish", () => (served.endedAt = Date.now()));
    // A slow host: each answer waits, as over a long link.
    setTimeout(() => serveCgi(root, request, response), options.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    authorizations,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function serveCgi(root: string, request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? "/", "http://localhost");
  const child = spawn("git", ["http-backend"], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: "1",
      REQUEST_METHOD: request.method ?? "GET",
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: request.headers["content-type"] ?? "",
      REMOTE_USER: "test",
      REMOTE_ADDR: "127.0.0.1",
      ...(request.headers["content-encoding"] ? { HTTP_CONTENT_ENCODING: String(request.headers["content-encoding"]) } : {}),
      ...(request.headers["git-protocol"] ? { GIT_PROTOCOL: String(request.headers["git-protocol"]) } : {}),
    },
    stdio: ["pipe", "pipe", "inherit"],
  });
  request.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on("data", (chunk: Buffer) => {
    if (headersSent) {
      response.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const crlf = head.indexOf("\r\n\r\n");
    const lf = head.indexOf("\n\n");
    const end = crlf >= 0 && (lf < 0 || crlf < lf) ? { at: crlf, size: 4 } : lf >= 0 ? { at: lf, size: 2 } : undefined;
    if (!end) return;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end.at).toString("latin1").split(/\r?\n/)) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
      else headers[name] = value;
    }
    response.writeHead(status, headers);
    headersSent = true;
    response.write(head.subarray(end.at + end.size));
  });
  child.on("close", () => {
    if (!headersSent) response.writeHead(500);
    response.end();
  });
}
