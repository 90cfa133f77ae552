import { createRequire } from "node:module";
import { pino, type Logger as PinoLogger } from "pino";
import type Pretty from "pino-pretty";

/**
 * One structured logger for the whole program: `logger.debug({ sha }, "analysed")`.
 * It always writes to stderr so that stdout stays free for reports (`--out -`):
 * readable lines on a terminal, JSON lines otherwise (for log collectors and grep).
 */
export type Logger = Pick<PinoLogger, "debug" | "info" | "warn" | "error" | "child" | "level">;

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

const OPTIONS = {
  base: undefined,
  // Secrets must never reach a log, whatever a caller passes in.
  redact: { paths: ["token", "apiKey", "*.token", "*.apiKey", "password", "*.password"], censor: "[redacted]" },
};

/** `text`: one readable line per entry; `json`: JSON lines; `auto`: text on a terminal, else JSON. */
export type LogFormat = "auto" | "text" | "json";

export interface LoggerOptions {
  format?: LogFormat;
  /** Colours in text lines; off by default where `colorEnabled` says so. */
  color?: boolean;
}

/**
 * Colours only on a terminal, and never when the user said no: `NO_COLOR` set to anything
 * (https://no-color.org), `--no-color` (which the CLI turns into NO_COLOR for every library
 * it loads), or `FORCE_COLOR=0`; Node's `hasColors` reads the same variables.
 */
export function colorEnabled(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR === "0") return false;
  return Boolean(stream.isTTY) && (typeof stream.hasColors !== "function" || stream.hasColors());
}

export function createLogger(level: LogLevel = "warn", options: LoggerOptions = {}): Logger {
  const stream = process.stderr;
  const format = options.format ?? "auto";
  if (format === "text" || (format === "auto" && stream.isTTY)) {
    // Loaded only here: a run under cron or a daemon writes JSON lines, and pino-pretty with
    // its dependencies is ~20 ms of every start that never prints a readable line.
    const pretty = createRequire(import.meta.url)("pino-pretty") as typeof Pretty;
    return pino(
      { ...OPTIONS, level },
      pretty({ destination: 2, sync: true, ignore: "pid,hostname,time", colorize: options.color ?? colorEnabled(stream), singleLine: true }),
    );
  }
  return pino(
    { ...OPTIONS, level, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
    pino.destination({ fd: 2, sync: true }),
  );
}

/** A logger that drops everything: the default for library calls and tests. */
export const silentLogger: Logger = pino({ level: "silent" });
