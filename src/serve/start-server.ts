/**
 * Runs the app on a real HTTP server (@hono/node-server over node:http) until Ctrl-C or
 * SIGTERM. The address it listens on is printed on stdout as one URL (port 0 gives the
 * port the system chose); a port in use or an address this machine does not have is the
 * one line of every other failure.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { EnvironmentError, InputError } from "../errors.js";
import { fromOsError } from "../os-errors.js";

export interface Listening {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** `http://127.0.0.1:8080/`, `http://[::1]:8080/`. */
export function urlOf(host: string, port: number): string {
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  return `http://${bare.includes(":") ? `[${bare}]` : bare}:${port}/`;
}

export function listen(handler: (request: Request) => Promise<Response> | Response, host: string, port: number): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: handler, hostname: host.replace(/^\[(.*)\]$/, "$1"), port }) as Server;
    // A stalled client must not hold a connection for ever; Node's defaults, said out loud.
    server.headersTimeout = 60_000;
    server.requestTimeout = 300_000;
    server.keepAliveTimeout = 5_000;
    const onError = (error: NodeJS.ErrnoException) => {
      server.close();
      reject(listenError(error, host, port));
    };
    server.once("error", onError);
    server.once("listening", () => {
      server.off("error", onError);
      const address = server.address() as AddressInfo;
      resolve({
        url: urlOf(host, address.port),
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive connections of idle browsers would hold close() open.
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** The errors of listen(2) as one line each: in use (3), not an address of this machine (2), a privileged port (3). */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  switch (error.code) {
    case "EADDRINUSE":
      return new EnvironmentError(`port ${port} on ${host} is in use`, { hint: "stop what listens there, or choose another port with --port (0: any free port)", cause: error });
    case "EACCES":
      return new EnvironmentError(`listening on ${where}: permission denied`, { hint: "ports below 1024 need privileges: choose a port from 1024 up with --port", cause: error });
    case "EADDRNOTAVAIL":
      return new InputError(`${host} is not an address of this machine`, { hint: "give one of its addresses with --host, such as 127.0.0.1", cause: error });
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new InputError(`--host ${host} does not resolve to an address`, { hint: "give an IP address or a name of this machine, such as 127.0.0.1", cause: error });
    default:
      return fromOsError(error, { doing: `listening on ${where}` }) ?? error;
  }
}
