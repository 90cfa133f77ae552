/**
 * Who may read the store through the web app. On a loopback address nobody else can connect,
 * so no token is needed; on any other address the server does not start without one
 * (REPO_DIGEST_SERVE_TOKEN), and every request must carry it. Tokens are compared in constant
 * time, through their SHA-256 digests so that their lengths do not leak either.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import { ConfigError } from "../errors.js";

export const TOKEN_ENV = "REPO_DIGEST_SERVE_TOKEN";
/** The cookie a browser gets after a `?token=` visit, so that the pages' own links need no token. */
export const TOKEN_COOKIE = "repo_digest_token";
/** A token anyone could guess in a day of tries is no token: 16 characters at least (`openssl rand -hex 32` gives 64). */
const MIN_TOKEN_LENGTH = 16;

/** 127.0.0.0/8, ::1, and `localhost`: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (bare === "localhost") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  if (isIP(bare) === 6) return bare === "::1" || /^::ffff:127\./.test(bare);
  return false;
}

/**
 * The token the server requires, or undefined for none. Required off loopback; on loopback
 * too when the variable is set (the user asked for it).
 */
export function resolveToken(host: string, env: NodeJS.ProcessEnv): string | undefined {
  const token = env[TOKEN_ENV];
  if (token === undefined || token === "") {
    if (isLoopbackHost(host)) return undefined;
    throw new ConfigError("--host", host, "a loopback address (127.0.0.1, ::1, localhost) unless a token is set", {
      hint: `set ${TOKEN_ENV} to a long random secret (openssl rand -hex 32) to serve on another address`,
    });
  }
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    throw new ConfigError(TOKEN_ENV, "(hidden)", `at least ${MIN_TOKEN_LENGTH} characters without spaces`, { hint: "generate one with `openssl rand -hex 32`" });
  }
  return token;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Checks the presented token against the expected one in constant time. */
export function createTokenCheck(expected: string): (presented: string | undefined) => boolean {
  const want = digest(expected);
  return (presented) => presented !== undefined && timingSafeEqual(digest(presented), want);
}

/** The token a request carries: `Authorization: Bearer …`, else `?token=`, else the cookie. */
export function presentedToken(request: { header(name: string): string | undefined; query(name: string): string | undefined }): { token?: string; fromQuery: boolean } {
  const authorization = request.header("authorization");
  const bearer = authorization === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  if (bearer !== undefined) return { token: bearer, fromQuery: false };
  const query = request.query("token");
  if (query !== undefined && query !== "") return { token: query, fromQuery: true };
  const cookie = request.header("cookie");
  const fromCookie = cookie === undefined ? undefined : readCookie(cookie, TOKEN_COOKIE);
  return fromCookie === undefined ? { fromQuery: false } : { token: fromCookie, fromQuery: false };
}

function readCookie(header: string, name: string): string | undefined {
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) {
      try {
        return decodeURIComponent(rest.join("="));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
}

/**
 * Without a token, a request whose Host is not a loopback name is refused: otherwise a web
 * page elsewhere could point a name of its own at 127.0.0.1 (DNS rebinding) and read the
 * store through the user's browser.
 */
export function isLoopbackHostHeader(hostHeader: string | undefined): boolean {
  if (hostHeader === undefined) return false;
  const host = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(hostHeader.trim())?.[1];
  return host !== undefined && isLoopbackHost(host);
}

export type GateVerdict = { pass: true; tokenFromQuery?: string } | { pass: false; status: 403 | 401 };

/**
 * The gate every request passes, in one place for the app and its kept answers: without a
 * token, a loopback Host; with one, the token (Bearer, `?token=`, or the cookie).
 */
export function createGate(token: string | undefined): (request: { header(name: string): string | undefined; query(name: string): string | undefined }) => GateVerdict {
  if (token === undefined) return (request) => (isLoopbackHostHeader(request.header("host")) ? { pass: true } : { pass: false, status: 403 });
  const check = createTokenCheck(token);
  return (request) => {
    const presented = presentedToken(request);
    if (!check(presented.token)) return { pass: false, status: 401 };
    return presented.fromQuery ? { pass: true, tokenFromQuery: presented.token! } : { pass: true };
  };
}

/** The policy of the app's own pages: nothing but its own stylesheet; no script at all. */
export const APP_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** The policy of a report page: the renderer's one inline stylesheet, allowed by its hash only. */
export function reportCsp(styleHash: string): string {
  return `default-src 'none'; style-src 'sha256-${styleHash}'; img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`;
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};
