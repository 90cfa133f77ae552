/**
 * PostgreSQL's failures as the one line a user can act on: the server cannot be reached (the
 * machine or the network, exit 3), it refuses the login or has no such database (the setting,
 * exit 2), its disk is full (exit 3). No message ever carries the URL's password: they name
 * the server by host:port, and any text that came from elsewhere is scrubbed of it.
 */
import { EnvironmentError, InputError, isKnownError, type KnownError } from "../../errors.js";
import { redactUrlCredentials } from "../../sources/git/run-git.js";

/** Where the store's URL is set, for hints. */
export const STORE_SETTING = "`store:` in the config or REPO_DIGEST_DATABASE_URL";

/** What messages may say about the server, and what they must never say. */
export interface PostgresTarget {
  /** host:port, or the socket folder and port. */
  address: string;
  database: string;
  user: string | undefined;
  /** The password as written and as decoded: scrubbed from any text that reaches a message. */
  secrets: readonly string[];
}

/**
 * Reads the parts of a `postgres://` URL that messages name. A URL `new URL` cannot read is
 * refused without echoing it: where it breaks, the password may be what breaks it.
 */
export function describePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? "postgres:";
    throw new InputError(`the PostgreSQL store's URL cannot be read (${scheme}//…)`, {
      hint: `write it as postgres://user:password@host:port/database in ${STORE_SETTING}, with special characters of the password percent-encoded`,
    });
  }
  const params = parsed.searchParams;
  // A socket folder (?host=/run/postgresql) stands for the host, as in libpq.
  const host = decode(parsed.hostname) || params.get("host") || "localhost";
  const port = parsed.port || params.get("port") || "5432";
  const user = decode(parsed.username) || params.get("user") || undefined;
  const secrets = [parsed.password, decode(parsed.password), params.get("password") ?? ""].filter((secret) => secret.length > 0);
  return {
    address: `${host}:${port}`,
    database: decode(parsed.pathname.replace(/^\//, "")) || user || "postgres",
    user,
    secrets: [...new Set(secrets)],
  };
}

/** `text` without the target's password or any URL's credentials. */
export function scrubSecrets(text: string, target: PostgresTarget): string {
  let scrubbed = redactUrlCredentials(text);
  // Longest first, so that a decoded password inside its encoded form goes whole.
  for (const secret of [...target.secrets].sort((a, b) => b.length - a.length)) scrubbed = scrubbed.split(secret).join("***");
  return scrubbed;
}

/** Node's network errors (errno codes) while connecting, in words. */
const NETWORK: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "unknown host",
  EAI_AGAIN: "the host name cannot be resolved now",
  EAI_FAIL: "the host name cannot be resolved",
  ETIMEDOUT: "timed out",
  EHOSTUNREACH: "host unreachable",
  EHOSTDOWN: "host down",
  ENETUNREACH: "network unreachable",
  ENETDOWN: "network down",
  ECONNRESET: "the connection was reset",
  EPIPE: "the connection was closed",
  ENOENT: "no server socket in that folder",
  EACCES: "permission denied on the server socket",
};

/**
 * SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html) that are
 * the setting's or the server's state, never a bug of ours.
 */
const SQLSTATE: Readonly<Record<string, { kind: "input" | "environment" | "reach"; says: string; fix: string }>> = {
  "28P01": { kind: "input", says: "the server refused the login", fix: `check the user and password in ${STORE_SETTING}` },
  "28000": { kind: "input", says: "the server refused the login", fix: `check the user and password in ${STORE_SETTING}, and the server's pg_hba.conf` },
  "3D000": { kind: "input", says: "no such database", fix: `create it (createdb), or correct the database name in ${STORE_SETTING}` },
  "42501": {
    kind: "input",
    says: "permission denied",
    fix: "grant the user the right to create tables in the database's schema (or let the database's owner connect)",
  },
  "53100": { kind: "environment", says: "the database server's disk is full", fix: "free space on the database server" },
  "53200": { kind: "environment", says: "the database server is out of memory", fix: "try again later, or give the server more memory" },
  "53300": { kind: "environment", says: "the database server has too many connections", fix: "try again later, or raise max_connections" },
  "25006": { kind: "environment", says: "the database server is read-only (a standby?)", fix: `point ${STORE_SETTING} at the primary` },
  "57P01": { kind: "reach", says: "the server is shutting down", fix: "" },
  "57P02": { kind: "reach", says: "the server is shutting down", fix: "" },
  "57P03": { kind: "reach", says: "the server is not accepting connections yet", fix: "" },
};

const REACH_FIX = `start the database server, or correct the address in ${STORE_SETTING}`;

/**
 * The error as a KnownError when it is the network's, the server's or the setting's; undefined
 * for anything else (a query of ours the server rejects), which then is a bug.
 */
export function fromPostgresError(error: unknown, target: PostgresTarget, doing: string, timeoutMs: number): KnownError | undefined {
  if (isKnownError(error)) return error;
  if (!(error instanceof Error)) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  const cannotReach = (reason: string, fix = REACH_FIX) =>
    new EnvironmentError(`${doing}: cannot reach the PostgreSQL store at ${target.address} (${reason})`, { hint: fix, cause: error });

  if (typeof code === "string" && NETWORK[code] !== undefined) return cannotReach(NETWORK[code]);
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) {
    const mapping = SQLSTATE[code] ?? (code.startsWith("08") ? { kind: "reach" as const, says: "connection failure", fix: "" } : undefined);
    if (mapping === undefined) return undefined;
    if (mapping.kind === "reach") return cannotReach(mapping.says);
    // The server's own words name the user or the database (never the password), scrubbed anyway, on one line.
    const message = `${doing}: ${mapping.says} at the PostgreSQL store ${target.address}/${target.database}: ${scrubSecrets(error.message, target).replace(/\s*\n\s*/g, " ")}`;
    const options = { hint: mapping.fix, cause: error };
    return mapping.kind === "input" ? new InputError(message, options) : new EnvironmentError(message, options);
  }
  // pg's own errors carry no code; these messages are its (pg 8, lib/client.js, pg-pool).
  if (/connection timeout|timeout expired/i.test(error.message)) return cannotReach(`no answer within ${Math.round(timeoutMs / 1000)} s`);
  if (/^Connection terminated/i.test(error.message)) return cannotReach("the connection was closed");
  if (/^SASL: .*password must be a string|password must be a string/i.test(error.message)) {
    return new InputError(`${doing}: the PostgreSQL store at ${target.address} asks for a password and none was given`, {
      hint: `add it to the URL in ${STORE_SETTING} (postgres://user:password@host/db), or to ~/.pgpass`,
      cause: error,
    });
  }
  if (/does not support SSL/i.test(error.message)) {
    return new InputError(`${doing}: the PostgreSQL store at ${target.address} does not support SSL`, {
      hint: `remove sslmode from the URL in ${STORE_SETTING}, or enable SSL on the server`,
      cause: error,
    });
  }
  return undefined;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
